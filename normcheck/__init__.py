"""normcheck: check Chinese normative documents against the laws above them.

The public verbs, one per stage: ``read`` → ``segment`` → ``find_citations`` → ``check``.
"""

from __future__ import annotations

__version__ = "0.1.0"

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from normcheck.types.findings import Result

__all__ = ["__version__", "check", "read", "segment"]


def read(path: str, **kwargs: Any) -> Any:
    """Read a file into a :class:`~normcheck.types.document.Document` (text decoded, normalised, segmented)."""
    from normcheck.text.read import read_document

    return read_document(path, **kwargs)


def segment(source: Any, **kwargs: Any) -> Any:
    """Segment a path or a string into a :class:`~normcheck.types.document.Document`."""
    from normcheck.structure.segment import segment as _segment

    return _segment(source, **kwargs)


def check(source: Any, **kwargs: Any) -> Result:
    """Check one document (path or text) against its superior laws; see :func:`normcheck.pipeline.check`."""
    from normcheck.pipeline import check as _check

    return _check(source, **kwargs)
