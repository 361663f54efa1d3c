"""From what a caller gives (a path or the text) to a segmented :class:`Document`.

The composition of two stages that never call each other: ``normcheck.text.read`` (bytes → text) and
``normcheck.structure.segment`` (text → tree + metadata). ``source_path`` decides path-or-text once.
"""

from __future__ import annotations

import os

from normcheck.structure.segment import segment_text
from normcheck.text.read import read_text, source_path
from normcheck.types.document import Document, DocumentMeta

__all__ = ["load_document", "read_document"]


def read_document(path: str | os.PathLike[str], *, max_bytes: int | None = None, fmt: str | None = None) -> Document:
    """Read a file, then segment it. Raises :class:`~normcheck.errors.InputError` (coded) on bad input."""
    text, info = read_text(path, max_bytes=max_bytes)
    if fmt is None:
        fmt = "md" if info.source_format == "md" else None
    meta = DocumentMeta(source_format=info.source_format, encoding=info.encoding)
    doc = segment_text(text, fmt=fmt, path=str(path), meta=meta)
    doc.meta.source_format = info.source_format
    return doc


def load_document(source: str | os.PathLike[str], *, path: str | None = None, fmt: str | None = None,
                  max_bytes: int | None = None) -> Document:
    """A path (read, then segmented) or the document text (segmented; ``path`` is only shown in results)."""
    p = source_path(source)
    if p is not None:
        return read_document(p, max_bytes=max_bytes, fmt=fmt)
    assert isinstance(source, str)  # source_path raised for anything else
    return segment_text(source, fmt=fmt, path=path)
