"""Check ``consistency``: ``inconsistent_with_superior`` findings (立法法 第一百零七条第（二）项).

For every clause: align it to superior provisions (:mod:`normcheck.checks.consistency.retrieve`: citations first, then
retrieval over the document's superior laws), keep the best alignment only when the clause clearly
restates that provision (most of the clause's characters are found, in order, in one superior
paragraph), compare the pair (:mod:`normcheck.checks.consistency.compare`) and report concrete differences. Precision
first: no alignment that clear, or no concrete difference, means no finding.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from normcheck.checks import CheckContext, register
from normcheck.checks.consistency.compare import Difference, compare
from normcheck.checks.consistency.retrieve import (
    Alignment,
    SuperiorIndex,
    align,
    clean,
    coverage,
    hide_citations,
    superior_index,
    topic_overlap,
    with_coverage,
)
from normcheck.knowledge import comparison, confidence
from normcheck.types.document import Document, Node
from normcheck.types.findings import Evidence, Finding, FindingType, Severity
from normcheck.types.law import Article, Law, LawVersion, Level

#: A retrieved provision counts as "the one this clause restates" from this coverage on when its law
#: shares the document's topic (title overlap >= MIN_TOPIC) ...
MIN_COVERAGE = 0.6
MIN_TOPIC = 0.3
#: ... and from this coverage on whatever its law (near-verbatim restatement).
MIN_COVERAGE_ANY_LAW = 0.8
#: At least this many characters of the clause must be found in the superior provision.
MIN_MATCHED_CHARS = 15
#: For a provision the clause cites explicitly.
MIN_COVERAGE_CITED = 0.5
#: Clauses shorter than this (characters, punctuation removed) are not aligned.
MIN_CLAUSE_CHARS = 12
#: How many retrieved provisions are tried per clause.
CANDIDATES = 3
BASIS = "立法法第一百零七条第（二）项"

_LABEL_RE = re.compile(r"^\s*(第[零〇一二两三四五六七八九十百千\d]+条(?:之[一二三四五六七八九十]+)?|"
                       r"[（(][一二三四五六七八九十]+[）)]|\d+[.．、])\s*")
_SEV_ORDER = {Severity.HIGH: 3, Severity.MEDIUM: 2, Severity.LOW: 1}


def _clause_body(doc: Document, node: Node) -> tuple[str, int]:
    """The clause text without its label, and its offset in the original."""
    text = doc.node_text(node)
    m = _LABEL_RE.match(text)
    cut = m.end() if m else 0
    return text[cut:], node.start + cut


def _cited_articles(doc: Document, citations: Sequence[Any], resolutions: Sequence[Any]
                    ) -> dict[str, list[tuple[Law, LawVersion, Article]]]:
    """Article node id -> the superior articles its citations resolve to (the resolution stage's results)."""
    out: dict[str, list[tuple[Law, LawVersion, Article]]] = {}
    for c, res in zip(citations, resolutions, strict=True):
        if res is None or res.status != "resolved" or res.law is None or not getattr(c, "refs", None):
            continue
        node = doc.clause_at(c.start)
        art_node = doc.article_of(node) if node is not None else None
        if art_node is None:
            continue
        for ar in res.articles:
            version = res.cited_version or res.version
            if ar.article is not None and version is not None:
                out.setdefault(art_node.id, []).append((res.law, version, ar.article))
    return out


#: Wording shared by most penalty and procedure clauses of any law: it says nothing about which
#: provision a clause restates, so it is left out when checking that a clause is clearly aligned.
_BOILERPLATE_RE = comparison().patterns["alignment_boilerplate"]  # data/comparison.json


def _informative_coverage(body: str, superior: str) -> tuple[float, int]:
    """(coverage, matched characters) of the clause by the superior text, boilerplate removed."""
    a, b = _BOILERPLATE_RE.sub("", body), _BOILERPLATE_RE.sub("", superior)
    n = len(clean(a))
    if n == 0:
        return 0.0, 0
    cov = coverage(a, b)
    return cov, round(cov * n)


def _clearly_aligned(al: Alignment, body: str, title: str) -> bool:
    """Precision gate: the clause restates this provision (issue 6: high alignment score or a
    citation, and the same subject matter), judged on its wording beyond penalty boilerplate."""
    if al.coverage * len(clean(body)) < MIN_MATCHED_CHARS:
        return False
    inf_cov, inf_chars = _informative_coverage(hide_citations(body), al.superior_text)
    if inf_chars < MIN_MATCHED_CHARS:
        return False
    if al.source == "citation":
        return inf_cov >= MIN_COVERAGE_CITED
    if inf_cov < MIN_COVERAGE:
        return False
    if al.coverage >= MIN_COVERAGE_ANY_LAW:
        return True
    return al.coverage >= MIN_COVERAGE and topic_overlap(title, al.law.name) >= MIN_TOPIC


def _marked(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with each span wrapped in 【】."""
    out, pos = [], 0
    for s, e in sorted(spans):
        if s < pos:
            continue
        out += [text[pos:s], "【", text[s:e], "】"]
        pos = e
    out.append(text[pos:])
    return "".join(out)


def _confidence(al: Alignment, diffs: list[Difference]) -> float:
    """A heuristic probability that a reviewer agrees (not yet calibrated on labelled outcomes)."""
    c = confidence("consistency")  # data/confidence.json
    base = c["base"] + c["coverage_gain"] * min(1.0, max(0.0, (al.coverage - MIN_COVERAGE) / (1.0 - MIN_COVERAGE)))
    if al.source == "citation":
        base += c["cited_bonus"]
    if any(d.kind.value in ("number", "fine_range", "modality") for d in diffs):
        base += c["concrete_bonus"]
    return round(min(c["cap"], base), 4)


def _finding(doc: Document, node: Node, body: str, offset: int, al: Alignment,
             diffs: list[Difference]) -> Finding:
    sup = al.superior_text
    severity = max((d.severity for d in diffs), key=lambda s: _SEV_ORDER[s])
    spans = [d.clause_span for d in diffs if d.clause_span]
    if spans:
        start, end = offset + min(s for s, _ in spans), offset + max(e for _, e in spans)
    else:
        start, end = node.start, node.end
    law_article = f"{al.law.name}{al.article.label or ''}"
    notes = "；".join(dict.fromkeys(d.note for d in diffs))
    return Finding(
        type=FindingType.INCONSISTENT_WITH_SUPERIOR,
        clause=node.id or None,
        start=start,
        end=end,
        severity=severity,
        confidence=_confidence(al, diffs),
        message=f"与{law_article}的规定不一致：{notes}",
        basis=BASIS,
        evidence=[Evidence(law=al.law.name, version=al.version.version, article=al.article.label,
                           text=al.article.text)],
        rule="consistency",
        details={
            "superior": {"law": al.law.name, "law_id": al.law.id, "version": al.version.version,
                         "article": al.article.label, "paragraph": al.paragraph + 1 if al.paragraph >= 0 else None},
            "alignment": {"source": al.source, "score": round(al.score, 4), "coverage": round(al.coverage, 4)},
            "differences": [{**d.to_dict(),
                             "clause_span": [offset + d.clause_span[0], offset + d.clause_span[1]]
                             if d.clause_span else None} for d in diffs],
            "clause_marked": _marked(body, spans),
            "superior_text": sup,
            "superior_marked": _marked(sup, [d.superior_span for d in diffs if d.superior_span]),
        },
    )


def consistency_findings(doc: Document, corpus: Any, *, kind: Level | None, region: str | None, as_of: str,
                         citations: list[Any] | None = None, resolutions: Sequence[Any] | None = None,
                         index: SuperiorIndex | None = None, mask: np.ndarray | None = None) -> list[Finding]:
    """``inconsistent_with_superior`` findings for ``doc``.

    ``corpus`` (a CorpusAPI) gives the superior laws and resolves citations; ``index`` may be given
    instead of (or besides) it, e.g. by benchmarks, with ``mask`` selecting its entries in force.
    ``citations``/``resolutions`` are the pipeline's citation and resolution stages (resolved here when
    only citations are given).
    """
    if index is None:
        if corpus is None:
            return []
        index = superior_index(corpus, kind, region, as_of)
    if not len(index):
        return []
    cited: dict[str, list[tuple[Law, LawVersion, Article]]] = {}
    if corpus is not None and citations:
        if resolutions is None:
            from normcheck.resolve import resolve_citations

            resolutions = resolve_citations(citations, doc, corpus, as_of=as_of, region=region, kind=kind)
        cited = _cited_articles(doc, citations, resolutions)
    prior = index.law_prior(doc.meta.title) if doc.meta.title else None
    out: list[Finding] = []
    for node in doc.clauses():
        body, offset = _clause_body(doc, node)
        if len(clean(body)) < MIN_CLAUSE_CHARS:
            continue
        art = doc.article_of(node)
        cites = cited.get(art.id, []) if art is not None else []
        for al in align(body, index, cited=cites, limit=CANDIDATES, prior=prior, mask=mask):
            if al.source != "citation":
                al = with_coverage(al, body)
            if not _clearly_aligned(al, body, doc.meta.title):
                continue
            diffs = [d for d in compare(body, al.superior_text) if not d.benign]
            if diffs:
                out.append(_finding(doc, node, body, offset, al, diffs))
            break  # the clause restates this provision: judge it against this one only
    return out


@register("consistency")
def check_consistency(ctx: CheckContext) -> list[Finding]:
    """Registered check: clauses that restate a superior provision but differ from it."""
    if ctx.corpus is None:
        return []
    return consistency_findings(ctx.document, ctx.corpus, kind=ctx.kind, region=ctx.region, as_of=ctx.as_of,
                                citations=ctx.citations,
                                resolutions=ctx.resolutions if len(ctx.resolutions) == len(ctx.citations) else None)
