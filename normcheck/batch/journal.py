"""The batch journal, resume and the lock on ``--out``.

- Every finished document is appended to the journal (``<out>.journal.jsonl``; for a docx folder
  ``<out>/results.jsonl``) as one whole line and flushed at once.
- :func:`scan` reads the complete lines of a journal or an old output (a line cut by a kill is
  ignored); each is keyed by (sha256 of the file's bytes, path, ``run_key``). The ``run_key`` is the
  hash of every option that changes a result (kind, as_of, region, the corpus file, the normcheck
  version): a line is reused by ``--resume`` only when it matches, so changing ``--kind``, ``--as-of``
  or a manifest row re-checks the documents it concerns.
- :class:`Journal` opens the journal and holds an exclusive ``flock`` on it for the whole run: a
  second run on the same ``--out`` fails at once with E404 instead of interleaving lines.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from normcheck.errors import Code, NormcheckError

RUN_KEY_VERSION = "1"


@dataclass(slots=True)
class Loc:
    """Where a complete line lives: file, byte offset, length; with its key fields."""

    file: str
    offset: int
    length: int
    sha: str
    path: str
    error: bool
    run_key: str = ""


def scan(path: str) -> tuple[list[Loc], int]:
    """Complete lines of a jsonl file (a cut last line is ignored) and the complete prefix's length."""
    locs: list[Loc] = []
    with open(path, "rb") as fh:
        data = fh.read()
    good = data.rfind(b"\n") + 1
    pos = 0
    for raw in data[:good].split(b"\n"):
        n = len(raw) + 1
        try:
            obj = json.loads(raw)
            doc = obj["document"]
            locs.append(Loc(path, pos, len(raw), str(doc.get("sha256") or ""), str(doc.get("path") or ""),
                            bool(obj.get("error")), str(doc.get("run_key") or "")))
        except (ValueError, KeyError, TypeError, AttributeError):
            pass
        pos += n
    return locs, good


def journal_path(out: str | Path, fmt: str) -> Path:
    out = Path(out)
    if fmt == "docx" and out.suffix.lower() != ".docx":
        return out / "results.jsonl"
    return out.with_name(out.name + ".journal.jsonl")


def run_key(*, kind: str | None, as_of: str | None, region: str | None, corpus: str | None) -> str:
    """The hash of every option that changes one document's result (see the module docstring)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        ver = version("normcheck")
    except PackageNotFoundError:
        ver = ""
    h = hashlib.sha256(json.dumps([RUN_KEY_VERSION, ver, kind, as_of, region, corpus_identity(corpus)],
                                  ensure_ascii=False).encode("utf-8"))
    return h.hexdigest()[:16]


def corpus_identity(corpus: str | None) -> str:
    """The corpus file a run uses, as path|size|mtime (``missing`` when there is none)."""
    from normcheck.paths import default_corpus_path

    p = Path(corpus) if corpus is not None else default_corpus_path()
    try:
        st = p.stat()
    except OSError:
        return f"{p}|missing"
    return f"{p.resolve()}|{st.st_size}|{st.st_mtime_ns}"


def _oserror(exc: OSError, what: str, path: Path) -> NormcheckError:
    if exc.errno == errno.ENOSPC or exc.errno == errno.EDQUOT:
        return NormcheckError(Code.DISK_FULL, f"no space left while writing the {what}: free space, then run "
                              "again with --resume (finished documents are kept)", str(path))
    if exc.errno == errno.EISDIR:
        return NormcheckError(Code.OUTPUT_IS_DIR, f"the {what} path is a folder: give a file name", str(path))
    return NormcheckError(Code.OUTPUT_UNWRITABLE, f"cannot write the {what} ({exc.strerror or exc}): choose a "
                          "writable --out", str(path))


def output_error(exc: OSError, what: str, path: str | Path) -> NormcheckError:
    """A coded error (E401/E402/E403) for an OSError met while writing output."""
    return _oserror(exc, what, Path(path))


class Journal:
    """The open, locked journal of one run (a context manager)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fh: IO[bytes] | None = None

    def open(self) -> Journal:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _oserror(exc, "output folder", self.path.parent) from None
        for _ in range(5):
            try:
                fh = open(self.path, "a+b")
            except OSError as exc:
                raise _oserror(exc, "journal", self.path) from None
            try:
                import fcntl

                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except ImportError:  # not POSIX: no lock
                pass
            except OSError:
                fh.close()
                raise NormcheckError(Code.OUTPUT_LOCKED, "another normcheck run is writing this --out (its journal "
                                     "is locked): wait for it to finish, or choose another --out",
                                     str(self.path)) from None
            try:  # the file we locked must still be the journal (a finishing run may have removed it)
                same = os.fstat(fh.fileno()).st_ino == os.stat(self.path).st_ino
            except OSError:
                same = False
            if same:
                self.fh = fh
                return self
            fh.close()
        raise NormcheckError(Code.OUTPUT_LOCKED, "the journal kept changing under this run: another run is "
                             "using this --out", str(self.path))

    def truncate(self, good: int) -> None:
        """Drop a line cut short by a kill; keep the complete prefix (resume)."""
        assert self.fh is not None
        self.fh.truncate(good)

    def append(self, line: str) -> tuple[int, int]:
        """Write one line; return (offset, length without the newline)."""
        assert self.fh is not None
        data = (line + "\n").encode("utf-8")
        self.fh.seek(0, os.SEEK_END)
        offset = self.fh.tell()
        try:
            self.fh.write(data)
            self.fh.flush()
        except OSError as exc:
            with contextlib.suppress(OSError):
                self.fh.truncate(offset)  # never leave a half line
            raise _oserror(exc, "journal", self.path) from None
        return offset, len(data) - 1

    def remove(self) -> None:
        """Delete the journal while still holding its lock (the output now has every line)."""
        with contextlib.suppress(OSError):
            self.path.unlink()

    def close(self) -> None:
        if self.fh is None:
            return
        with contextlib.suppress(OSError):
            self.fh.flush()
            os.fsync(self.fh.fileno())
        self.fh.close()  # releases the lock
        self.fh = None

    def __enter__(self) -> Journal:
        return self.open()

    def __exit__(self, *exc: Any) -> None:
        self.close()


def read_loc(loc: Loc, handles: dict[str, Any]) -> bytes:
    fh = handles.get(loc.file)
    if fh is None:
        fh = handles[loc.file] = open(loc.file, "rb")
    fh.seek(loc.offset)
    data: bytes = fh.read(loc.length)
    return data
