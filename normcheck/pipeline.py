"""``check()``: one document through every stage, in order.

Stages, each run once and in this order, each writing its result for the next:

1. read (``normcheck.text.read``: bytes → text) and segment (``normcheck.structure.segment``: text →
   tree + metadata), composed by ``normcheck.structure.load`` — the one place that decides path or text;
2. kind and region (``normcheck.structure.kind``), inferred here when the caller gave none, and reported;
3. citations (``normcheck.cite.find_citations``) → ``CheckContext.citations``;
4. resolution (``normcheck.resolve.resolve_citations``, one memo per run) → ``CheckContext.resolutions``;
5. the registered checks (``normcheck.checks``), each ``(CheckContext) -> [Finding]``, reading 1–4;
6. attention scores and ranks (``normcheck.rank``) → :class:`~normcheck.types.findings.Result`.

Bad input never raises here: the result carries ``error`` (a coded error) and the caller goes on.
Misuse of the API (an unknown kind, a malformed date, an unknown check name) raises ``ValueError``.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import time
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from normcheck.checks import CheckContext, load_builtin, merge_findings
from normcheck.errors import Code, CorpusError, NormcheckError
from normcheck.structure.load import load_document
from normcheck.text.read import source_path
from normcheck.types.document import Document
from normcheck.types.findings import DocumentInfo, Finding, Result
from normcheck.types.law import Level


def parse_date(value: str | _dt.date | None, *, what: str = "--as-of") -> str:
    """Return an ISO date string; today when ``value`` is None. Raises ``ValueError`` [E202]."""
    if value is None:
        return _dt.date.today().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    try:
        return _dt.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise ValueError(f"[{Code.BAD_DATE.value}] {what} must be a date like 2026-11-28, got {value!r}") from None


@lru_cache(maxsize=4)
def _open_corpus(path: str) -> Any:
    from normcheck.corpus.store import Corpus

    return Corpus.open(Path(path))


def resolve_corpus(corpus: Any) -> tuple[Any, str | None]:
    """A corpus object from what the caller gave: an object, a path, or None (the default index).

    Returns (corpus or None, a note when the default index is missing).
    """
    if corpus is not None and not isinstance(corpus, str | os.PathLike):
        return corpus, None
    from normcheck.paths import default_corpus_path

    path = Path(corpus) if corpus is not None else default_corpus_path()
    if corpus is None and not path.exists():
        return None, (f"[{Code.CORPUS_MISSING.value}] no corpus index at {path}: checks that need superior law "
                      "were skipped; build it with `normcheck corpus build`")
    return _open_corpus(str(path)), None


def selected_checks(checks: Sequence[str] | None) -> dict[str, Any]:
    registry = load_builtin()
    if checks is None:
        return dict(registry)
    unknown = [c for c in checks if c not in registry]
    if unknown:
        raise ValueError(f"unknown check(s) {unknown}; available: {sorted(registry)}")
    return {name: registry[name] for name in checks}


def _sha256(source: str | os.PathLike[str], p: Path | None) -> str:
    h = hashlib.sha256()
    if p is not None:
        with open(p, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    else:
        h.update(str(source).encode("utf-8"))
    return h.hexdigest()


def check(
    source: str | os.PathLike[str],
    *,
    kind: str | Level | None = None,
    as_of: str | _dt.date | None = None,
    region: str | None = None,
    corpus: Any = None,
    checks: Sequence[str] | None = None,
    path: str | None = None,
    timings: dict[str, float] | None = None,
    models: Any = None,
) -> Result:
    """Check one document against the laws above it.

    ``source``: a path (.txt/.md/.docx) or the document text. ``kind``: a code or Chinese name from
    domain.md §2 (inferred when absent, and the inference is reported). ``as_of``: the date against
    which citations and versions are judged (default today). ``corpus``: a Corpus, a path to an
    index, or None for the default index. ``checks``: names from the registry (default: all).
    ``timings``: a dict that gets the seconds spent per stage added to it (``load``, ``kind``,
    ``citations``, ``resolve``, ``check:<name>``, ``rank``) — for benchmarks; not part of the result.
    ``models``: learned models to plug in (a model folder, folders joined by os.pathsep,
    ``{"pair": folder}`` or ``normcheck.ml.plug.Models``; default ``$NORMCHECK_MODELS``, else none: the
    rules alone); one that cannot be used becomes a W130 note and the rules decide.
    """
    as_of_s = parse_date(as_of)
    level = Level.parse(kind) if kind is not None else None
    fns = selected_checks(checks)
    p = source_path(source)
    shown_path = str(p) if p is not None else path
    info = DocumentInfo(path=shown_path, title="", kind=level.value if level else None,
                        kind_inferred=False, as_of=as_of_s, region=region, sha256="")
    try:
        t0 = time.perf_counter()
        if p is None or p.is_file():  # never open a FIFO or a device: reading reports it (coded)
            info.sha256 = _sha256(source, p)
        doc = load_document(p if p is not None else source, path=path)
        _tick(timings, "load", t0)
    except NormcheckError as exc:
        return Result(document=info, error=exc.to_dict())
    except OSError as exc:
        err = NormcheckError(Code.READ_FAILED, f"could not read the file: {exc.strerror or exc}", shown_path)
        return Result(document=info, error=err.to_dict())
    return check_document(doc, info=info, kind=level, region=region, corpus=corpus, fns=fns, timings=timings,
                          models=models)


def _tick(timings: dict[str, float] | None, stage: str, since: float) -> float:
    """Add the seconds since ``since`` to ``timings[stage]``; returns now (for the next stage)."""
    now = time.perf_counter()
    if timings is not None:
        timings[stage] = timings.get(stage, 0.0) + now - since
    return now


def check_document(doc: Document, *, info: DocumentInfo, kind: Level | None, region: str | None,
                   corpus: Any, fns: dict[str, Any], timings: dict[str, float] | None = None,
                   models: Any = None) -> Result:
    """The stages after reading, on an already segmented document."""
    from normcheck.cite import find_citations
    from normcheck.rank import document_priority, score_clauses
    from normcheck.resolve import resolve_citations
    from normcheck.structure.kind import infer_kind, infer_region

    t = time.perf_counter()
    notes: list[str] = []
    info.title = doc.meta.title
    info.date = doc.meta.date
    if kind is None:
        kind, reason = infer_kind(doc)
        info.kind = kind.value if kind else None
        info.kind_inferred = True
        info.kind_reason = reason
    if region is None:
        region = infer_region(doc)
        info.region = region
    try:
        corpus_obj, note = resolve_corpus(corpus)
    except CorpusError as exc:  # an index that cannot be opened: say so rather than check without it
        return Result(document=info, error=exc.to_dict(), notes=notes)
    if note:
        notes.append(note)
    t = _tick(timings, "kind", t)
    ctx = CheckContext(document=doc, kind=kind, as_of=info.as_of, region=region, corpus=corpus_obj)
    from normcheck.ml.plug import resolve_models  # optional learned hooks (issue 12): W130 when unusable

    ctx.models, model_notes = resolve_models(models)
    notes.extend(model_notes)
    ctx.citations = find_citations(doc)
    t = _tick(timings, "citations", t)
    from normcheck.corpus.coverage import coverage_notes  # W120/W121: what the index does not cover (issue 16)

    try:
        ctx.resolutions = resolve_citations(ctx.citations, doc, corpus_obj, as_of=info.as_of, region=region,
                                            kind=kind)
        notes.extend(coverage_notes(ctx.resolutions, corpus_obj, as_of=info.as_of))
    except CorpusError as exc:  # a damaged or locked index: a silently incomplete answer would mislead
        return Result(document=info, error=exc.to_dict(), notes=notes)
    t = _tick(timings, "resolve", t)
    findings: list[Finding] = []
    for name, fn in fns.items():
        try:
            findings.extend(fn(ctx))
        except CorpusError as exc:  # a damaged or locked index: a silently incomplete answer would mislead
            return Result(document=info, error=exc.to_dict(), notes=notes)
        except NormcheckError as exc:
            notes.append(f"check {name} skipped: {exc}")
        except Exception as exc:  # a bug in one check must not lose the document
            notes.append(f"[{Code.INTERNAL.value}] check {name} failed: {type(exc).__name__}: {exc}")
        t = _tick(timings, f"check:{name}", t)
    findings = merge_findings(findings)
    findings.sort(key=lambda f: (f.start, f.end, f.type.value))
    result = Result(document=info, findings=findings)
    result.clauses = score_clauses(doc, findings, attention=ctx.models.attention if ctx.models else None,
                                   notes=notes)
    result.priority = document_priority(result)
    result.notes = notes
    _tick(timings, "rank", t)
    return result
