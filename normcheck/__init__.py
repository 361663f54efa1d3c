"""normcheck: check Chinese normative documents against the laws above them.

The public verbs, one per stage: :func:`read` (a file) / :func:`segment` (a path or text) →
:func:`find_citations` → :func:`resolve_citations` → :func:`check` (all stages, one document).
Imports are lazy so ``import normcheck`` stays cheap.
"""

from __future__ import annotations

__version__ = "0.1.0"

import datetime as _dt
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from normcheck.cite import Citation
    from normcheck.resolve import Resolution
    from normcheck.types.document import Document
    from normcheck.types.findings import Result
    from normcheck.types.law import Level

__all__ = ["__version__", "check", "find_citations", "read", "resolve_citations", "segment"]


def read(path: str | os.PathLike[str], *, max_bytes: int | None = None, fmt: str | None = None) -> Document:
    """Read a .txt/.md/.docx file into a segmented :class:`~normcheck.types.document.Document`.

    Raises :class:`~normcheck.errors.InputError` (coded E0xx, naming the file) on bad input.
    """
    from normcheck.structure.load import read_document

    return read_document(path, max_bytes=max_bytes, fmt=fmt)


def segment(source: str | os.PathLike[str], *, fmt: str | None = None, path: str | None = None) -> Document:
    """Segment a path (read first) or the document text into a :class:`~normcheck.types.document.Document`.

    A one-line string that looks like a file name (``draft.docx``) is a path: a missing file raises
    E001 rather than being segmented as text. ``path`` is shown in results for text input.
    """
    from normcheck.structure.load import load_document

    return load_document(source, path=path, fmt=fmt)


def find_citations(doc: Document) -> list[Citation]:
    """Every citation in ``doc``: laws by title, short titles, internal references, unnamed bases."""
    from normcheck.cite import find_citations as _find

    return _find(doc)


def resolve_citations(citations: Sequence[Citation], doc: Document, corpus: Any, *, as_of: str,
                      region: str | None = None, kind: Level | None = None) -> list[Resolution | None]:
    """Resolve each citation against ``corpus`` (a Corpus) on ``as_of``: law, version meant, article."""
    from normcheck.resolve import resolve_citations as _resolve

    return _resolve(citations, doc, corpus, as_of=as_of, region=region, kind=kind)


def check(source: str | os.PathLike[str], *, kind: str | Level | None = None, as_of: str | _dt.date | None = None,
          region: str | None = None, corpus: Any = None, checks: Sequence[str] | None = None,
          path: str | None = None, models: Any = None) -> Result:
    """Check one document (a path or the text) against its superior laws: every stage, in order.

    ``kind``: a code or Chinese name (domain.md §2), inferred and reported when absent. ``as_of``: the
    review date (default today). ``corpus``: a Corpus, a path to an index, or None (the default index).
    ``checks``: names from the registry (default all). Bad input never raises: the result carries
    ``error``; misuse (unknown kind, malformed date) raises ``ValueError``. ``models``: trained model
    folders to plug in (default ``$NORMCHECK_MODELS``, else the rules alone; an unusable one is a W130
    note). See :func:`normcheck.pipeline.check`.
    """
    from normcheck.pipeline import check as _check

    return _check(source, kind=kind, as_of=as_of, region=region, corpus=corpus, checks=checks, path=path,
                  models=models)
