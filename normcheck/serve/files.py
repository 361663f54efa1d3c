"""Where the workbench reads and writes files: uploads only inside the data folder, folders only under
an allowed root.

- An upload's name is reduced to a safe base name (no directory part from either ``/`` or ``\\``, no
  control characters, no leading dots, at most ``MAX_NAME_BYTES``), its suffix must be one normcheck
  reads, and it is written to ``<data>/uploads/<document id>/<name>``; the resolved target is checked to
  lie inside the uploads folder before anything is written (so ``../../etc/passwd`` or a symlinked
  folder cannot lead outside).
- Uploads are size-limited by the reader's limit (``NORMCHECK_MAX_BYTES``, default 20 MB): the body is
  read in blocks and refused (E004) as soon as it passes the limit.
- "Open a folder" takes a server-side path; it and every file found under it must resolve (symlinks
  followed) inside one of the allowed roots.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

from normcheck.errors import Code, NormcheckError

UPLOAD_SUFFIXES = (".docx", ".txt", ".md")
MAX_NAME_BYTES = 150
_BAD_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"|?*\u202a-\u202e\u2066-\u2069]')


def safe_name(name: str) -> str:
    """A base name safe to write: the last path component (``/`` or ``\\``), NFC, no control or
    reserved characters, no leading dots or spaces, cut to ``MAX_NAME_BYTES`` keeping the suffix.
    Raises NormcheckError E007 when the suffix is not one of ``UPLOAD_SUFFIXES``."""
    base = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = _BAD_CHARS.sub("_", base).strip().lstrip(". ")
    stem, dot, suffix = base.rpartition(".")
    suffix = ("." + suffix.lower()) if dot else ""
    if suffix not in UPLOAD_SUFFIXES:
        raise NormcheckError(Code.UNSUPPORTED_TYPE, f"only {', '.join(UPLOAD_SUFFIXES)} files can be uploaded",
                             name)
    stem = stem.strip(". ") or "document"
    raw = stem.encode("utf-8")
    if len(raw) > MAX_NAME_BYTES:
        stem = raw[:MAX_NAME_BYTES].decode("utf-8", "ignore") or "document"
    return stem + suffix


def inside(path: Path, root: Path) -> bool:
    """Whether ``path`` (resolved, symlinks followed) is ``root`` or lies under it."""
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def save_upload(stream: BinaryIO, name: str, uploads: Path, doc_id: str, *, max_bytes: int | None = None) -> Path:
    """Write an uploaded file to ``uploads/<doc_id>/<safe name>`` (refusing anything that would land
    outside ``uploads``); E004 when it is over the reader's size limit (nothing is kept then)."""
    from normcheck.text.read import max_bytes_default

    limit = max_bytes if max_bytes is not None else max_bytes_default()
    if not re.fullmatch(r"[0-9a-f]{8,32}", doc_id):
        raise ValueError(f"document id {doc_id!r} is not a workbench id")
    uploads.mkdir(parents=True, exist_ok=True)
    folder = uploads / doc_id
    target = folder / safe_name(name)
    folder.mkdir(exist_ok=False)
    if not inside(target, uploads):
        raise NormcheckError(Code.OUTPUT_UNWRITABLE, "the upload would be written outside the data folder", name)
    size = 0
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            while block := stream.read(1 << 16):
                size += len(block)
                if size > limit:
                    raise NormcheckError(Code.TOO_LARGE, f"the upload is over the size limit of {limit} bytes "
                                         "(NORMCHECK_MAX_BYTES)", name)
                out.write(block)
    except BaseException:
        target.unlink(missing_ok=True)
        folder.rmdir()
        raise
    if size == 0:
        target.unlink(missing_ok=True)
        folder.rmdir()
        raise NormcheckError(Code.EMPTY_FILE, "the uploaded file is empty", name)
    return target


def allowed_folder(path: str, roots: Sequence[Path]) -> Path:
    """The folder ``path`` when it resolves inside one of ``roots``; else E001 / E010-style refusals."""
    if not path.strip():
        raise NormcheckError(Code.FILE_NOT_FOUND, "give a folder path", path)
    p = Path(path).expanduser()
    if not p.is_absolute() and roots:
        p = roots[0] / p
    if not any(inside(p, r) for r in roots):
        allowed = ", ".join(str(r) for r in roots) or "(none: start the server with --root DIR)"
        raise NormcheckError(Code.READ_FAILED, f"the folder is not under an allowed root; allowed: {allowed}", path)
    if not p.is_dir():
        raise NormcheckError(Code.FILE_NOT_FOUND, "no such folder", path)
    return p.resolve()


def folder_files(folder: Path, roots: Sequence[Path], *, limit: int = 500) -> list[Path]:
    """The readable documents under ``folder`` (recursively, sorted; hidden entries skipped), each
    resolving inside an allowed root; at most ``limit``."""
    out: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for f in sorted(filenames):
            p = Path(dirpath) / f
            if f.startswith(".") or p.suffix.lower() not in UPLOAD_SUFFIXES:
                continue
            if not p.is_file() or not any(inside(p, r) for r in roots):
                continue
            out.append(p)
            if len(out) >= limit:
                return out
    return out


def roots_of(paths: Iterable[str | Path]) -> list[Path]:
    return [Path(p).expanduser().resolve() for p in paths]
