"""Batch inputs: the folder walk, manifests, and the checks made on a file before anything opens it.

- :func:`collect_inputs` walks folders (sorted, hidden entries skipped) and keeps every file whose
  suffix normcheck reads (``READ_SUFFIXES``) *or recognises and refuses* (``REFUSED_SUFFIXES``: .doc,
  .pdf, .docm, .wps, ...), so a folder of PDFs shows up as "could not be processed N", never as 0.
- :func:`precheck` decides, from ``os.stat`` alone, whether a path can be opened at all: missing
  (E001), not a regular file — a FIFO, a device, a socket, or a link to one — (E010, never opened:
  reading ``/dev/zero`` or a FIFO would hang), a refused format (E007), an encrypted Word file (E013),
  over the size limit (E004/E012).
- :func:`file_sha256` hashes a regular file only (opened non-blocking, re-checked with ``fstat``).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import stat
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from normcheck.errors import Code, InputError, NormcheckError
from normcheck.text.read import is_encrypted_office

READ_SUFFIXES = (".txt", ".md", ".markdown", ".text", ".docx")
#: Formats a drafter's folder often holds that normcheck does not read, with the fix for each.
REFUSED_SUFFIXES: dict[str, str] = {
    ".doc": "legacy Word .doc is not supported: open it in Word or WPS and save it as .docx",
    ".dot": "a Word template (.dot) is not a document: save the document as .docx",
    ".dotx": "a Word template (.dotx) is not a document: save the document as .docx",
    ".docm": "a macro-enabled Word file (.docm) is not read (macros are never run): save it as .docx",
    ".dotm": "a macro-enabled Word template (.dotm) is not read: save the document as .docx",
    ".wps": "a WPS file (.wps) is not supported: save it as .docx in WPS",
    ".wpt": "a WPS template (.wpt) is not supported: save the document as .docx in WPS",
    ".pdf": "PDF is not supported: export the text as .docx or .txt (a scanned PDF needs OCR first)",
    ".ofd": "OFD is not supported: export the text as .docx or .txt",
    ".rtf": "RTF is not supported: save it as .docx",
    ".odt": "OpenDocument (.odt) is not supported: save it as .docx",
}
SUFFIXES = READ_SUFFIXES + tuple(REFUSED_SUFFIXES)
MANIFEST_FIELDS = ("path", "kind", "as_of", "region")
#: A .docx whose word/document.xml unpacks to more than this many times the size limit is refused
#: before it is parsed: its text would be far over the limit (E012).
DOCX_XML_BUDGET_FACTOR = 4



@dataclass(slots=True)
class BatchItem:
    """One input document and its per-document settings (None: the batch default)."""

    path: str
    kind: str | None = None
    as_of: str | None = None
    region: str | None = None


# ------------------------------------------------------------------------------------------ manifests


def read_manifest(path: str | Path) -> list[BatchItem]:
    """Read a CSV (header row with at least ``path``) or JSONL manifest. Raises NormcheckError [E203]."""
    p = Path(path)
    try:
        st = os.stat(p)
        if not stat.S_ISREG(st.st_mode):
            raise NormcheckError(Code.BAD_MANIFEST, "the manifest is not a regular file (a folder or a FIFO?)",
                                 str(p))
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise NormcheckError(Code.BAD_MANIFEST, f"cannot read the manifest: {exc}", str(p)) from None
    rows: list[dict[str, Any]] = []
    if p.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise NormcheckError(Code.BAD_MANIFEST, f"line {n} is not JSON ({exc.msg})", str(p)) from None
            if not isinstance(obj, dict):
                raise NormcheckError(Code.BAD_MANIFEST, f"line {n} is not a JSON object", str(p))
            rows.append(obj)
    else:
        try:
            reader = csv.DictReader(text.splitlines())
            fieldnames = reader.fieldnames
        except csv.Error as exc:
            raise NormcheckError(Code.BAD_MANIFEST, f"not a CSV file ({exc})", str(p)) from None
        if not fieldnames or "path" not in [f.strip() for f in fieldnames]:
            raise NormcheckError(Code.BAD_MANIFEST, "the CSV manifest needs a header row with a `path` column "
                                 f"(optional: {', '.join(MANIFEST_FIELDS[1:])})", str(p))
        try:
            rows = [{(k or "").strip(): v for k, v in r.items()} for r in reader]
        except csv.Error as exc:
            raise NormcheckError(Code.BAD_MANIFEST, f"not a CSV file ({exc})", str(p)) from None
    items = []
    for n, row in enumerate(rows, start=1):
        raw = str(row.get("path") or "").strip()
        if not raw:
            raise NormcheckError(Code.BAD_MANIFEST, f"row {n} has no path", str(p))
        if "\x00" in raw:
            raise NormcheckError(Code.BAD_MANIFEST, f"row {n}: the path contains a NUL character", str(p))
        doc = Path(raw) if Path(raw).is_absolute() else p.parent / raw
        items.append(BatchItem(str(doc), *(str(row[k]).strip() or None if row.get(k) else None
                                           for k in MANIFEST_FIELDS[1:])))
    return items


# ----------------------------------------------------------------------------------------- the walk


def collect_inputs(paths: Iterable[str | Path], *, manifest: str | Path | None = None) -> list[BatchItem]:
    """Files as given, folders walked (sorted, hidden entries skipped), then the manifest's rows.

    The walk keeps files normcheck reads and files it recognises but refuses (each gets a coded line);
    symbolic links to folders are not followed (no loops). A path that does not exist stays in the
    list (its line will carry E001). Duplicates are dropped.
    """
    items: list[BatchItem] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            def unreadable(exc: OSError) -> None:  # a folder the walk cannot list: reported, not skipped
                items.append(BatchItem(str(exc.filename or "")))

            for root, dirs, files in os.walk(p, onerror=unreadable):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                items.extend(BatchItem(str(Path(root) / f)) for f in sorted(files)
                             if not f.startswith(".") and f.lower().endswith(SUFFIXES))
        else:
            items.append(BatchItem(str(p)))
    if manifest is not None:
        items.extend(read_manifest(manifest))
    seen: set[str] = set()
    unique = []
    for it in items:
        key = os.path.normpath(os.path.abspath(it.path))
        if key not in seen:
            seen.add(key)
            unique.append(it)
    return unique


# ---------------------------------------------------------------------------------- before opening


def _stat(path: str) -> os.stat_result:
    try:
        return os.stat(path)  # follows links: a link to /dev/zero is a device
    except FileNotFoundError:
        if os.path.lexists(path):
            raise InputError(Code.FILE_NOT_FOUND, "a broken symbolic link: its target does not exist",
                             path) from None
        raise InputError(Code.FILE_NOT_FOUND, "no such file: check the path", path) from None
    except (OSError, ValueError) as exc:  # ENAMETOOLONG, ELOOP, EACCES on a folder, NUL in the name
        msg = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise InputError(Code.READ_FAILED, f"cannot look at the file: {msg}", path) from None


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device file"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def precheck(path: str, *, max_bytes: int) -> None:
    """Raise InputError (coded) when ``path`` must not be opened or read; return when it may be."""
    st = _stat(path)
    if stat.S_ISDIR(st.st_mode):
        raise InputError(Code.READ_FAILED, "a folder that could not be read (permissions?), or a folder named "
                         "where a file was expected: check its permissions", path)
    if not stat.S_ISREG(st.st_mode):
        raise InputError(Code.NOT_REGULAR_FILE, f"{_kind_of(st.st_mode)}, not a regular file: give a regular "
                         "file (reading it could block forever)", path)
    suffix = Path(path).suffix.lower()
    if suffix in REFUSED_SUFFIXES:
        raise InputError(Code.UNSUPPORTED_TYPE, REFUSED_SUFFIXES[suffix], path)
    if st.st_size > max_bytes:
        raise InputError(Code.TOO_LARGE, f"file is {st.st_size} bytes, over the limit of {max_bytes} bytes "
                         "(raise it with NORMCHECK_MAX_BYTES)", path)
    if suffix == ".docx" and st.st_size:
        head = _read_head(path, 1 << 16)
        if is_encrypted_office(head):
            raise InputError(Code.ENCRYPTED_DOCX, "the .docx is password-protected (encrypted): remove the "
                             "password in Word (File > Info > Protect Document) and save it again", path)
        if head.startswith(b"PK"):
            try:
                with zipfile.ZipFile(path) as zf:
                    xml = next((i for i in zf.infolist() if i.filename == "word/document.xml"), None)
            except (zipfile.BadZipFile, OSError, ValueError):
                return  # the reader says what is wrong with it
            if xml is not None and xml.file_size > DOCX_XML_BUDGET_FACTOR * max_bytes:
                raise InputError(Code.SIZE_BUDGET, f"the .docx text part unpacks to {xml.file_size} bytes, over "
                                 f"{DOCX_XML_BUDGET_FACTOR} x the limit of {max_bytes} bytes: split the document "
                                 "(or raise NORMCHECK_MAX_BYTES)", path)


def _open_regular(path: str) -> int:
    """An fd of ``path`` opened without blocking, checked with fstat to be a regular file."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise InputError(Code.READ_FAILED, f"cannot open the file: {exc.strerror or exc}", path) from None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):  # swapped for a FIFO/device after precheck
        os.close(fd)
        raise InputError(Code.NOT_REGULAR_FILE, f"{_kind_of(st.st_mode)}, not a regular file", path)
    return fd


def _read_head(path: str, n: int) -> bytes:
    fd = _open_regular(path)
    try:
        return os.read(fd, n)
    finally:
        os.close(fd)


def file_sha256(path: str) -> str:
    """The sha256 of a regular file's bytes. Raises InputError for anything else (never blocks)."""
    fd = _open_regular(path)
    h = hashlib.sha256()
    with os.fdopen(fd, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
