"""Reading files into text: .txt/.md (encoding detection) and .docx (python-docx, checked first).

- :func:`read_text` -> ``(text, ReadInfo)``: bytes to text, nothing more (segmentation is the next stage,
  ``normcheck.structure``); :func:`source_path` decides whether a caller's ``source`` is a path or text.
- Encodings: UTF-8 with/without BOM, UTF-16 LE/BE with BOM or BOM-less (NUL pattern or, for CJK text,
  a plausibility score), UTF-32 with BOM, GB18030 (a superset of GBK/GB2312).
- Limits: files over ``max_bytes`` (default 20 MB, env ``NORMCHECK_MAX_BYTES``) are refused before
  reading; a .docx is checked from its zip directory (sum of uncompressed sizes, compression ratio,
  number of members) before python-docx touches it.
- Every bad input raises :class:`~normcheck.errors.InputError` with a code and the file's path.

Size: one module for every reader (.txt encodings, .docx with its zip checks and Word numbering)
because they share the limits and the coded errors; the .docx part is the first to split out if it grows.
"""

from __future__ import annotations

import os
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from normcheck.errors import Code, InputError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
#: .docx limits, from the zip directory: total uncompressed size, ratio and member count.
DOCX_MAX_UNCOMPRESSED_FACTOR = 10  # x max_bytes
DOCX_MAX_RATIO = 200
DOCX_MAX_MEMBERS = 5000

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text", ""})
DOCX_SUFFIXES = frozenset({".docx"})
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\xd0\xcf\x11\xe0", b"PK\x03\x04", b"\x7fELF",
                 b"MZ")


@dataclass(frozen=True, slots=True)
class ReadInfo:
    """How a file was read: ``source_format`` txt | md | docx, the encoding, the size in bytes."""

    path: str
    source_format: str
    encoding: str
    size: int


def max_bytes_default() -> int:
    """The size limit: ``NORMCHECK_MAX_BYTES`` if set (a positive integer), else 20 MB."""
    raw = os.environ.get("NORMCHECK_MAX_BYTES", "").strip()
    if not raw:
        return DEFAULT_MAX_BYTES
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"NORMCHECK_MAX_BYTES must be a positive integer number of bytes, not {raw!r}") from None
    if value <= 0:
        raise ValueError(f"NORMCHECK_MAX_BYTES must be a positive integer number of bytes, not {raw!r}")
    return value


def read_text(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> tuple[str, ReadInfo]:
    """Read and decode a .txt/.md/.docx file. Raises InputError (coded) on bad input."""
    p = Path(path)
    name = str(path)
    limit = max_bytes if max_bytes is not None else max_bytes_default()
    if limit <= 0:
        raise ValueError("max_bytes must be a positive number of bytes")
    try:
        st = os.stat(p)
    except FileNotFoundError:
        raise InputError(Code.FILE_NOT_FOUND, "file not found: check the path", name) from None
    except (OSError, ValueError) as exc:
        raise InputError(Code.READ_FAILED, f"cannot stat file: {getattr(exc, 'strerror', None) or exc}", name) \
            from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(Code.UNSUPPORTED_TYPE, "a folder, not a file: give a file", name)
    if not stat.S_ISREG(st.st_mode):  # never open a FIFO, a device or a socket: reading could block forever
        raise InputError(Code.NOT_REGULAR_FILE, "a FIFO, device or socket, not a regular file: give a regular "
                         "file", name)
    size = st.st_size
    if size == 0:
        raise InputError(Code.EMPTY_FILE, "file is empty: nothing to check", name)
    if size > limit:
        raise InputError(Code.TOO_LARGE, f"file is {size} bytes, over the limit of {limit} bytes "
                         "(raise it with NORMCHECK_MAX_BYTES or max_bytes=)", name)
    suffix = p.suffix.lower()
    if suffix in DOCX_SUFFIXES:
        text = _read_docx(p, name, limit)
        n = len(text.encode("utf-8"))
        if n > limit:  # a small .docx can carry far more text than the file size limit
            raise InputError(Code.SIZE_BUDGET, f"the .docx holds {n} bytes of text, over the limit of {limit} "
                             "bytes (raise it with NORMCHECK_MAX_BYTES or max_bytes=)", name)
        return _check_nonblank(text, name), ReadInfo(name, "docx", "docx", size)
    if suffix == ".doc":
        raise InputError(Code.UNSUPPORTED_TYPE, "legacy Word .doc is not supported: save it as .docx", name)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(Code.READ_FAILED, f"cannot read file: {exc.strerror}", name) from None
    text, encoding = decode_bytes(data, name)
    fmt = "md" if suffix in (".md", ".markdown") else "txt"
    return _check_nonblank(text, name), ReadInfo(name, fmt, encoding, size)


def _check_nonblank(text: str, name: str) -> str:
    if not text.strip():
        raise InputError(Code.EMPTY_FILE, "file has no text (only whitespace): nothing to check", name)
    return text


# --------------------------------------------------------------------------- encodings


def _plausibility(text: str) -> float:
    """Share of characters that look like Chinese legal text (CJK, CJK punctuation, ASCII, newlines)."""
    if not text:
        return 0.0
    good = 0
    for ch in text[:20000]:
        o = ord(ch)
        if 0x4E00 <= o <= 0x9FFF or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF or 0x2000 <= o <= 0x206F:
            good += 2
        elif 0x20 <= o < 0x7F or ch in "\n\t\r":
            good += 1
    return good / (2 * min(len(text), 20000))


def _control_share(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if (ord(ch) < 0x20 and ch not in "\n\r\t\f\v") or 0xE000 <= ord(ch) <= 0xF8FF)
    return bad / len(sample)


def decode_bytes(data: bytes, name: str = "<bytes>") -> tuple[str, str]:
    """Decode file bytes -> ``(text, encoding)``. Raises InputError for binary or undecodable data."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", name), "utf-8-sig"
    if data.startswith(b"\xff\xfe\x00\x00"):
        return _strict(data[4:], "utf-32-le", name), "utf-32-le"
    if data.startswith(b"\x00\x00\xfe\xff"):
        return _strict(data[4:], "utf-32-be", name), "utf-32-be"
    if data.startswith(b"\xff\xfe"):
        return _strict(data[2:], "utf-16-le", name), "utf-16-le"
    if data.startswith(b"\xfe\xff"):
        return _strict(data[2:], "utf-16-be", name), "utf-16-be"
    for magic in _BINARY_MAGIC:
        if data.startswith(magic):
            raise InputError(Code.BINARY_FILE, "this is a binary file (PDF, image, zip or program), not text: "
                             "give a .txt, .md or .docx", name)
    head = data[:65536]
    if b"\x00" in head:
        # BOM-less UTF-16: decode both byte orders and keep the one that reads as text.
        scored = []
        if len(data) % 2 == 0:
            for enc in ("utf-16-le", "utf-16-be"):
                try:
                    text = data.decode(enc)
                except UnicodeDecodeError:
                    continue
                if _control_share(text) < 0.02:
                    scored.append((_plausibility(text), enc, text))
        if scored:
            score, enc, text = max(scored)
            if score >= 0.6:
                return text, enc
        raise InputError(Code.BINARY_FILE, "file contains NUL bytes and is not UTF-16 text: binary data?", name)
    try:
        text = data.decode("utf-8")
        if _control_share(text) < 0.05:
            return text, "utf-8"
        raise InputError(Code.BINARY_FILE, "file is mostly control characters: binary data?", name)
    except UnicodeDecodeError:
        pass
    candidates: list[tuple[float, str, str]] = []
    for enc in ("gb18030", "utf-16-le", "utf-16-be"):
        if enc.startswith("utf-16") and len(data) % 2:
            continue
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _control_share(text) >= 0.02:
            continue
        # gb18030 first in the tuple order: ties go to it
        candidates.append((_plausibility(text), enc, text))
    if not candidates:
        raise InputError(Code.UNDECODABLE, "cannot decode the file as UTF-8, GB18030/GBK or UTF-16: "
                         "save it as UTF-8", name)
    best = max(candidates, key=lambda c: (c[0], c[1] == "gb18030"))
    if best[0] < 0.6:
        raise InputError(Code.BINARY_FILE, "the file does not look like text in any supported encoding", name)
    return best[2], best[1]


def _strict(data: bytes, enc: str, name: str) -> str:
    try:
        return data.decode(enc)
    except UnicodeDecodeError as exc:
        raise InputError(Code.UNDECODABLE, f"file starts with a {enc} byte-order mark but is not valid {enc} "
                         f"(byte {exc.start}): re-save it", name) from None


# --------------------------------------------------------------------------- docx


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARKERS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))


def is_encrypted_office(head: bytes) -> bool:
    """True for an OLE compound file holding an encrypted OOXML package (a password-protected .docx)."""
    return head.startswith(_OLE_MAGIC) and any(m in head for m in _ENCRYPTED_MARKERS)


def check_docx_zip(path: Path, name: str, max_bytes: int) -> None:
    """Refuse non-zips and zip bombs from the zip directory alone (nothing is decompressed)."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        try:
            with open(path, "rb") as fh:
                head = fh.read(1 << 16)
        except OSError:
            head = b""
        if is_encrypted_office(head):
            raise InputError(Code.ENCRYPTED_DOCX, "the .docx is password-protected (encrypted): remove the "
                             "password in Word (File > Info > Protect Document) and save it again", name) from None
        raise InputError(Code.BAD_DOCX, "not a valid .docx (it is not a zip archive; a renamed .doc?): "
                         "open it in Word and save as .docx", name) from None
    if len(infos) > DOCX_MAX_MEMBERS:
        raise InputError(Code.ZIP_BOMB, f".docx has {len(infos)} members (limit {DOCX_MAX_MEMBERS}): refused", name)
    total = sum(i.file_size for i in infos)
    limit = DOCX_MAX_UNCOMPRESSED_FACTOR * max_bytes
    if total > limit:
        raise InputError(Code.ZIP_BOMB, f".docx would unpack to {total} bytes (limit {limit}): refused as a "
                         "possible zip bomb", name)
    for i in infos:
        if i.file_size > 1_000_000 and i.file_size > DOCX_MAX_RATIO * max(i.compress_size, 1):
            raise InputError(Code.ZIP_BOMB, f".docx member {i.filename} has compression ratio "
                             f"{i.file_size // max(i.compress_size, 1)}:1 (limit {DOCX_MAX_RATIO}): refused "
                             "as a possible zip bomb", name)
    if not any(i.filename == "word/document.xml" for i in infos):
        raise InputError(Code.BAD_DOCX, "zip archive without word/document.xml: not a Word document", name)


def _read_docx(path: Path, name: str, max_bytes: int) -> str:
    check_docx_zip(path, name, max_bytes)
    try:
        import docx  # python-docx
        from docx.oxml.ns import qn

        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many kinds on broken packages
        raise InputError(Code.BAD_DOCX, f"cannot open .docx ({type(exc).__name__}): re-save it in Word", name) \
            from None
    numbering = _Numbering(document)
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag
        if tag == qn("w:p"):
            lines.append(numbering.prefix(child) + _p_text(child))
        elif tag == qn("w:tbl"):
            for row in child.iter(qn("w:tr")):
                cells = []
                for cell in row.iter(qn("w:tc")):
                    cells.append(" ".join(_p_text(p) for p in cell.iter(qn("w:p"))).strip())
                lines.append("\t".join(cells))
    return "\n".join(lines)


def _p_text(p: Any) -> str:
    from docx.oxml.ns import qn

    out = []
    for el in p.iter(qn("w:t"), qn("w:tab"), qn("w:br")):
        if el.tag == qn("w:t"):
            out.append(el.text or "")
        elif el.tag == qn("w:tab"):
            out.append("\t")
        else:
            out.append("\n")
    return "".join(out)


_CN_FORMATS = {"chineseCounting", "chineseCountingThousand", "ideographTraditional", "japaneseCounting",
               "ideographDigital", "chineseLegalSimplified"}


class _Numbering:
    """Recover Word auto-numbering (第%1条, （%1）, %1.) for paragraphs that have ``w:numPr``."""

    def __init__(self, document: Any) -> None:
        from docx.oxml.ns import qn

        self.qn = qn
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}  # (numId, ilvl) -> (fmt, text, start)
        self.counters: dict[tuple[str, int], int] = {}
        try:
            part = document.part.numbering_part
            root = part.element
        except Exception:  # no numbering part
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for an in root.iter(qn("w:abstractNum")):
            aid = an.get(qn("w:abstractNumId"))
            lv: dict[int, tuple[str, str, int]] = {}
            for lvl in an.iter(qn("w:lvl")):
                ilvl = int(lvl.get(qn("w:ilvl"), "0"))
                fmt_el = lvl.find(qn("w:numFmt"))
                txt_el = lvl.find(qn("w:lvlText"))
                start_el = lvl.find(qn("w:start"))
                lv[ilvl] = (
                    fmt_el.get(qn("w:val"), "decimal") if fmt_el is not None else "decimal",
                    txt_el.get(qn("w:val"), "") if txt_el is not None else "",
                    int(start_el.get(qn("w:val"), "1")) if start_el is not None else 1,
                )
            abstract[aid or ""] = lv
        for num in root.iter(qn("w:num")):
            nid = num.get(qn("w:numId")) or ""
            ref = num.find(qn("w:abstractNumId"))
            if ref is None:
                continue
            for ilvl, spec in abstract.get(ref.get(qn("w:val")) or "", {}).items():
                self.levels[(nid, ilvl)] = spec

    def prefix(self, p: Any) -> str:
        qn = self.qn
        ppr = p.find(qn("w:pPr"))
        numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
        if numpr is None:
            return ""
        nid_el, ilvl_el = numpr.find(qn("w:numId")), numpr.find(qn("w:ilvl"))
        nid = nid_el.get(qn("w:val")) if nid_el is not None else None
        ilvl = int(ilvl_el.get(qn("w:val"), "0")) if ilvl_el is not None else 0
        if nid is None or (nid, ilvl) not in self.levels:
            return ""
        fmt, lvl_text, start = self.levels[(nid, ilvl)]
        key = (nid, ilvl)
        self.counters[key] = self.counters.get(key, start - 1) + 1
        for k in [k for k in self.counters if k[0] == nid and k[1] > ilvl]:
            del self.counters[k]  # deeper levels restart
        out = lvl_text
        for lv in range(ilvl, -1, -1):
            value = self.counters.get((nid, lv))
            if value is None:
                continue
            f = self.levels.get((nid, lv), (fmt, "", 1))[0]
            out = out.replace(f"%{lv + 1}", _render(value, f))
        if not out or fmt == "bullet":
            return ""
        return out if out.endswith(("、", ".", " ", "\t")) else out + " "


def _render(value: int, fmt: str) -> str:
    from normcheck.text.numerals import int_to_cn

    if fmt in _CN_FORMATS:
        return int_to_cn(value)
    if fmt == "lowerLetter":
        return chr(ord("a") + (value - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (value - 1) % 26)
    return str(value)


# --------------------------------------------------------------------------- path or text

#: Suffixes that make a one-line string a file name rather than document text (so a missing file is
#: reported as missing instead of being checked as a one-line document: issue 17).
PATH_LIKE_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text", ".docx", ".doc", ".docm", ".dotx", ".wps",
                                ".pdf", ".rtf", ".odt", ".html", ".htm"})
_SENTENCE_PUNCT = frozenset("。；：，！？")


def source_path(source: str | os.PathLike[str]) -> Path | None:
    """The one place that decides "path or text": a :class:`Path` to read, or None when ``source`` is text.

    - a PathLike is a path (whether or not it exists: reading it reports a missing file);
    - a ``str`` naming an existing file is a path (even with a newline in the name);
    - a one-line ``str`` that looks like a file name (a document suffix such as ``.docx``, or a path
      separator, and no sentence punctuation) is a path, so ``check("draft.docx")`` with no such file
      is an E001 rather than a clean result for the text "draft.docx";
    - any other ``str`` is the document text. Anything else raises ``ValueError``.
    """
    if isinstance(source, os.PathLike):
        return Path(source)
    if not isinstance(source, str):
        raise ValueError(f"source must be a path or the document text (str), not {type(source).__name__}")
    if not source or "\x00" in source or len(source) >= 4096:
        return None
    try:
        if os.path.isfile(source):
            return Path(source)
    except (OSError, ValueError):
        return None
    one_line = source.strip()
    if "\n" in one_line or len(one_line) > 1024 or any(ch in _SENTENCE_PUNCT for ch in one_line):
        return None
    if Path(one_line).suffix.lower() in PATH_LIKE_SUFFIXES or "/" in one_line or "\\" in one_line:
        return Path(one_line)
    return None
