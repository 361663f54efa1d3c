"""Change impact for cleanup campaigns (法规清理, issue 16).

``impact(LAW, paths)``: for each document, the clauses a superior change touches and a suggested
amendment for each; ``impact(since=DATE, paths=...)``: the same for every change after a date.

- :mod:`normcheck.impact.changes` — what changed between two versions of a law (or its repeal);
- :mod:`normcheck.impact.affected` — the clauses of a document each change touches;
- :mod:`normcheck.impact.suggest` — amendments in the form of amendment decisions;
- :mod:`normcheck.impact.report` — JSONL / CSV / HTML campaign reports.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from normcheck.impact.affected import AffectedClause, DocumentImpact, affected_clauses
from normcheck.impact.changes import LawChange, changes_since, law_change

__all__ = ["AffectedClause", "DocumentImpact", "ImpactReport", "LawChange", "changes_since", "impact",
           "law_change", "law_changes"]

_SUFFIXES = (".md", ".txt", ".docx")
_PRC = "中华人民共和国"
ProgressFn = Callable[[int, int, str], None]


@dataclass(slots=True)
class ImpactReport:
    changes: list[LawChange]
    documents: list[DocumentImpact] = field(default_factory=list)  # affected ones, most to change first
    scanned: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        by_region: dict[str, dict[str, int]] = {}
        kinds: dict[str, int] = {}
        for d in self.documents:
            r = by_region.setdefault(d.region or "?", {"documents": 0, "clauses": 0})
            r["documents"] += 1
            r["clauses"] += len(d.clauses)
            for c in d.clauses:
                kinds[c.kind] = kinds.get(c.kind, 0) + 1
        return {"changes": [c.to_dict() for c in self.changes], "scanned": self.scanned,
                "affected_documents": len(self.documents),
                "affected_clauses": sum(len(d.clauses) for d in self.documents), "by_kind": kinds,
                "by_region": dict(sorted(by_region.items())), "errors": len(self.errors)}


def law_changes(corpus: Any, law: str, *, from_: str | None = None, to: str | None = None) -> list[LawChange]:
    """The changes a campaign about ``law`` follows: its revision ``from_`` → ``to`` (or its repeal), and
    the repeal of every law it replaced (民法典 → 合同法, 物权法, …). Raises ``ValueError`` when the
    corpus knows no such law or nothing changed."""
    from normcheck.impact.changes import _pick_law

    target = _pick_law(corpus, law)
    out: list[LawChange] = []
    problem = ""
    try:
        out.append(law_change(corpus, target, from_=from_, to=to))
    except ValueError as exc:
        problem = str(exc)
    if hasattr(corpus, "laws"):
        for other in corpus.laws():
            if other.repealed_on and other.successor and other.successor in (target.name, target.id) \
                    and other.id != target.id:
                out.append(law_change(corpus, other))
    if not out:
        raise ValueError(problem or f"nothing changed in {target.name}")
    return out


def _walk(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in _SUFFIXES
                              and not any(part.startswith(".") for part in q.parts)))
        else:
            out.append(p)
    return out


def _names(change: LawChange) -> set[str]:
    law = change.law
    return {n for n in (law.name, law.name.removeprefix(_PRC), *law.aliases) if len(n) >= 2}


def impact(law: str | None = None, paths: Sequence[str | os.PathLike[str]] = (), *, corpus: Any = None,
           from_: str | None = None, to: str | None = None, since: str | None = None,
           progress: ProgressFn | None = None) -> ImpactReport:
    """Which clauses of the documents under ``paths`` the change of ``law`` (``from_`` → ``to``, dates)
    touches — or, with ``since``, every change after that date — with a suggested amendment each.

    ``corpus``: a Corpus, a path to an index, or None for the default index. Raises ``ValueError`` for
    an unknown law, nothing to compare, or neither ``law`` nor ``since``. Unreadable documents are
    listed in :attr:`ImpactReport.errors`; they never stop the run."""
    from normcheck.errors import NormcheckError
    from normcheck.pipeline import parse_date, resolve_corpus
    from normcheck.structure.kind import infer_region
    from normcheck.structure.load import load_document

    corpus_obj, note = resolve_corpus(corpus)
    if corpus_obj is None:
        raise ValueError(note or "no corpus index")
    if since is not None:
        changes = changes_since(corpus_obj, parse_date(since, what="--since"),
                                until=parse_date(to, what="--to") if to else None)
    elif law:
        changes = law_changes(corpus_obj, law, from_=parse_date(from_, what="--from") if from_ else None,
                              to=parse_date(to, what="--to") if to else None)
    else:
        raise ValueError("name a LAW, or give --since DATE")
    names = {id(c): _names(c) for c in changes}
    files = _walk(paths)
    report = ImpactReport(changes=changes)
    for i, path in enumerate(files):
        if progress is not None:
            progress(i, len(files), str(path))
        report.scanned += 1
        try:
            raw = path.read_bytes()
        except OSError as exc:
            report.errors.append({"path": str(path), "error": str(exc)})
            continue
        if path.suffix.lower() != ".docx":
            text = raw.decode("utf-8", errors="ignore")
            relevant = [c for c in changes if any(n in text for n in names[id(c)])]
            if not relevant:
                continue
        else:
            relevant = changes
        try:
            doc = load_document(path)
        except NormcheckError as exc:
            report.errors.append({"path": str(path), "error": str(exc)})
            continue
        clauses: list[AffectedClause] = []
        for ch in relevant:
            clauses.extend(affected_clauses(doc, ch, corpus_obj))
        if clauses:
            clauses.sort(key=lambda c: (c.start, c.end))
            report.documents.append(DocumentImpact(str(path), doc.meta.title, infer_region(doc) or "",
                                                   doc.meta.date, clauses))
    if progress is not None:
        progress(len(files), len(files), "")
    report.documents.sort(key=lambda d: (-d.score, d.path))
    return report
