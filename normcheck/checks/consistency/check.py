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
from dataclasses import replace
from functools import lru_cache
from typing import Any

import numpy as np

from normcheck.checks import CheckContext, register
from normcheck.checks.consistency.compare import (
    Difference,
    DiffKind,
    compare,
    fine_ranges,
    penalty_types,
    quantities,
)
from normcheck.checks.consistency.residuals import residual_differences
from normcheck.checks.consistency.retrieve import (
    Alignment,
    SuperiorIndex,
    align_many,
    clean,
    coverage,
    hide_citations,
    superior_index,
    topic_overlap,
    with_coverage,
)
from normcheck.checks.consistency.sentences import same_conduct
from normcheck.cite import InternalReference
from normcheck.knowledge import comparison, confidence, message
from normcheck.knowledge.tables import alignment_model
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


#: A near-verbatim copy of a law on another subject that the document does not name is compared only
#: from this coverage on (procedural wording shared by many laws: 复议、起诉期限, 责令改正).
MIN_COVERAGE_OFF_TOPIC = 0.9
#: Conduct overlap below which a penalty clause and a superior penalty provision punish different acts.
MIN_CONDUCT = 0.3
_PENALTY_KINDS = frozenset({DiffKind.FINE_RANGE, DiffKind.PENALTY_TYPE, DiffKind.PENALTY_DROPPED})
_CONDITION_KINDS = frozenset({DiffKind.CONDITION_ADDED, DiffKind.CONDITION_DROPPED, DiffKind.EXCEPTION_ADDED,
                              DiffKind.EXCEPTION_DROPPED})


def _in_lead(d: Difference, lead: str) -> bool:
    """A penalty or condition of the superior that an item's lead-in states (…未经批准…，没收违法所得，并按下列
    规定处以罚款：): the item, read alone, leaves out nothing."""
    if d.kind == DiffKind.PENALTY_DROPPED:
        return d.superior_value in penalty_types(lead)
    if d.kind in (DiffKind.CONDITION_DROPPED, DiffKind.EXCEPTION_DROPPED) and d.superior_value:
        g, gl = _bigram_set(d.superior_value), _bigram_set(lead)
        return bool(g) and len(g & gl) >= MIN_LEAD_SHARE * len(g)
    return False


def _key(al: Alignment) -> tuple[str, str | None, int]:
    return al.law.id, al.article.label, al.paragraph


def _gate(al: Alignment, named_laws: set[str], leading: set[tuple[str, str | None, int]], threshold: float) -> float:
    """The alignment probability from which ``al`` is compared: lower for a law the document names, lower
    still for its provision that retrieval ranks first by a margin."""
    if al.law.id not in named_laws:
        return threshold
    return NAMED_LEAD_THRESHOLD if _key(al) in leading else NAMED_THRESHOLD


def _general_remedy_limit(d: Difference, body: str, superior: str, law_name: str, law_level: Level) -> bool:
    """A time limit to apply for review or to sue that is longer in the clause than in a superior below
    the level of a law: 行政复议法 and 行政诉讼法 set those limits (sixty days, six months) and a shorter one
    in an administrative regulation or a local text gives way to them."""
    if d.kind != DiffKind.NUMBER or d.clause_span is None or d.superior_span is None or _REMEDY_LAWS.search(law_name) \
            or law_level in (Level.CONSTITUTION, Level.LAW):
        return False  # (a 法律 with its own limit, 矿山安全法 第四十五条: a question for the reviewer)
    s, e = d.clause_span
    lo = max(body.rfind(c, 0, s) for c in "。；;\n") + 1
    end = _SENTENCE_END.search(body, e)
    if not _REMEDY_LIMIT.search(body, lo, end.start() if end else len(body)):
        return False
    mine = [q for q in quantities(body) if q.start == s and q.category == "time"]
    theirs = [q for q in quantities(superior) if q.start == d.superior_span[0] and q.category == "time"]
    return bool(mine and theirs) and mine[0].base > theirs[0].base


def _stated_elsewhere(d: Difference, body: str, others: list[Alignment]) -> bool:
    """Whether the clause's side of a number or fine difference is what another candidate provision
    (one the clause plausibly restates) says."""
    if d.clause_span is None or d.kind not in (DiffKind.NUMBER, DiffKind.FINE_RANGE) or not others:
        return False
    s, e = d.clause_span
    if d.kind == DiffKind.FINE_RANGE:
        mine = [(f.lo, f.hi) for f in fine_ranges(body) if (f.start <= s and e <= f.end + 1) or s <= f.start < e]
        return bool(mine) and any((f.lo, f.hi) in mine for x in others for f in fine_ranges(x.article.text))
    mine_q = [(q.category, q.base) for q in quantities(body) if q.start == s]
    return bool(mine_q) and any((q.category, q.base) in mine_q for x in others for q in quantities(x.article.text))


def _lead_id(clause_id: str | None) -> str:
    """第二条第一款第（三）项 -> 第二条第一款 (the clause an item belongs to)."""
    return re.sub(r"第[（(][一二三四五六七八九十]+[）)]项$", "", clause_id or "")


def near_copy_of(al: Alignment) -> bool:
    """A near-verbatim copy of the provision, whatever its law."""
    return al.coverage >= MIN_COVERAGE_ANY_LAW


def _items_after(clauses: list[Node], k: int) -> list[Node]:
    """The items (第（一）项…) that follow clause ``k`` and belong to it."""
    head = clauses[k].id or ""
    out = []
    for node in clauses[k + 1:]:
        nid = node.id or ""
        if not head or not nid.startswith(head + "第（") or nid.count("项") != head.count("项") + 1:
            break
        out.append(node)
    return out


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


@lru_cache(maxsize=16384)
def _without_boilerplate(text: str) -> str:
    """``text`` less :data:`_BOILERPLATE_RE` (cached: a clause meets several provisions, a provision many clauses)."""
    return _BOILERPLATE_RE.sub("", text)


@lru_cache(maxsize=8192)
def _informative_coverage(body: str, superior: str) -> tuple[float, int]:
    """(coverage, matched characters) of the clause by the superior text, boilerplate removed."""
    a, b = _without_boilerplate(body), _without_boilerplate(superior)
    n = len(clean(a))
    if n == 0:
        return 0.0, 0
    cov = coverage(a, b)
    return cov, round(cov * n)


def _clearly_aligned(al: Alignment, body: str, title: str) -> bool:
    """The hand-set gate of issue 6 (kept for comparison: ``scripts/fit_alignment.py`` reports it beside
    the calibrated one): coverage thresholds, and a title-topic overlap below near-verbatim coverage."""
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


@lru_cache(maxsize=8192)
def _bigram_set(text: str) -> frozenset[str]:
    t = clean(_without_boilerplate(text))
    return frozenset([t[i:i + 2] for i in range(len(t) - 1)])


#: Names of the alignment features, in the order of data/alignment.json.
FEATURES = ("coverage", "informative_coverage", "bigram_containment", "retrieval_score", "margin", "first",
            "cited", "topic", "length_ratio")


def alignment_features(al: Alignment, body: str, title: str, best_other: float) -> dict[str, float]:
    """Lexical evidence that ``body`` restates ``al`` (issue 13): how much of the clause is found in the
    provision (in order; beyond penalty boilerplate; as a bag of bigrams), how it ranked, whether it is
    cited, and topic and length fit. ``best_other``: the best retrieval score of the other candidates."""
    q = hide_citations(body)
    inf_cov, _ = _informative_coverage(q, al.superior_text)
    ga, gb = _bigram_set(q), _bigram_set(al.superior_text)
    la, lb = len(clean(q)), len(clean(al.superior_text))
    return {
        "coverage": al.coverage,
        "informative_coverage": inf_cov,
        "bigram_containment": len(ga & gb) / len(ga) if ga else 0.0,
        "retrieval_score": al.score if al.source != "citation" else 1.0,
        "margin": (al.score - best_other) if al.source != "citation" else 0.5,
        "first": 1.0 if al.score >= best_other else 0.0,
        "cited": 1.0 if al.source == "citation" else 0.0,
        "topic": topic_overlap(title, al.law.name),
        "length_ratio": abs(float(np.log(max(la, 1) / max(lb, 1)))),
    }


def alignment_probability(features: dict[str, float]) -> float:
    """Calibrated probability that the clause restates the provision: the logistic model fitted on
    the dev splits (``scripts/fit_alignment.py`` writes ``data/alignment.json``)."""
    m = alignment_model()
    z = m.bias + sum(w * (features[f] - mu) / sc for f, w, mu, sc in zip(m.features, m.weights, m.mean, m.scale,
                                                                         strict=True))
    return float(1.0 / (1.0 + np.exp(-z)))


#: A paraphrase (not a near-copy) of a law whose name does not share the document's topic is compared
#: from this alignment probability on (the DLC hand check: wrong-law alignments below it).
PARAPHRASE_REPORT = 0.6
#: The alignment probability from which a provision of a law the document names (its 立法依据) is
#: compared: the document says which law it implements, so less lexical evidence is needed.
NAMED_THRESHOLD = 0.2
#: ... and from this one for the named law's provision that retrieval ranks first by NAMED_LEAD_MARGIN
#: (a paraphrase under a generic title, 某市管理条例: little lexical evidence, but the document names the
#: law and retrieval clearly prefers that provision); below MIN_ALARM_PROBABILITY all such are low notes.
NAMED_LEAD_THRESHOLD = 0.1
NAMED_LEAD_MARGIN = 0.15
#: Retrieval prior (in units of the title prior, retrieve.PRIOR_WEIGHT each) of the laws the document
#: names: on the mined citation pairs (dev, citation hidden) R@1 0.15 -> 0.22 at 2.0, R@5 unchanged.
NAMED_PRIOR = 2.0
#: Below this alignment probability a difference is a low note: on the hand-judged DLC samples of
#: 2026-12-02 (seeds 21, 34) 1 of 8 high/medium findings under it was right, 16 of 24 from it.
MIN_ALARM_PROBABILITY = 0.6
#: Difference kinds reported on a paraphrase (a pair the hand gate of issue 6 would not pass).
_PARAPHRASE_KINDS = frozenset({"number", "fine_range", "modality", "list"})
_PURPOSE = comparison().patterns["purpose_clause"]
_BY_REFERENCE = comparison().patterns["by_reference"]
_BY_NUMBER = comparison().patterns["by_number_lead"]
_ALTERNATIVE = comparison().patterns["dropped_alternative"]  # one alternative of an either-or left out
_DEFERS = comparison().patterns["defers_to_national"]
#: Share of a dropped condition's bigrams an item's lead-in must hold for the item to keep it.
MIN_LEAD_SHARE = 0.6
_REMEDY_LIMIT = comparison().patterns["remedy_limit"]
_REMEDY_LAWS = comparison().patterns["remedy_laws"]
_SENTENCE_END = re.compile(r"[。；;\n]")
_URBAN = comparison().patterns["scope_urban"]
_RURAL = comparison().patterns["scope_rural"]
_PROVINCIAL_CONGRESS = comparison().patterns["provincial_congress"]
_CITY_CONGRESS = comparison().patterns["city_congress"]
_LAW_LEVEL_PROVINCE = re.compile(r"^[^市]{2,8}(?:省|自治区)")
_NATIONAL = comparison().patterns["national_organ"]
_VARYING = comparison().patterns["varying_legislation"]
_ITEMS_START = re.compile(r"[（(]一[）)]")  # where an article's list of items begins
_LOCAL = comparison().patterns["local_organ"]
_LOCAL_LEGISLATION = comparison().patterns["local_legislation_title"]
_DELEGATION = {name: comparison().patterns[f"delegation_{name}"] for name in ("regulation", "rule", "local")}
_REGULATIONS = (Level.LOCAL_REGULATION, Level.MUNICIPAL_REGULATION, Level.AUTONOMOUS_REGULATION)


def other_body(body: str, superior: str, law_name: str = "", title: str = "") -> bool:
    """The superior provision binds a national organ (国务院, 全国人大常委会, a 法律案) and the clause a local
    one doing the same kind of thing (市人民政府, 市人大常委会, a 地方性法规案): different bodies, no conflict.
    The local organ may be named by the document's title only (广东省人民代表大会议事规则: 大会主席团)."""
    national = bool(_NATIONAL.search(superior)) or bool(_NATIONAL.search(law_name))
    if national and not _NATIONAL.search(body) and (bool(_LOCAL.search(body)) or
                                                    (bool(_NATIONAL.search(law_name)) and bool(_LOCAL.search(title)))
                                                    or bool(_LOCAL_LEGISLATION.search(title))):
        return True  # (a local legislature's own procedure: 温州市制定地方性法规条例 against 法律案 rules)
    # a province's legislature and a city's (浙江省地方立法条例 against 绍兴市制定地方性法规条例)
    provincial = bool(_PROVINCIAL_CONGRESS.search(superior)) or \
        (bool(_LAW_LEVEL_PROVINCE.search(law_name)) and "立法" in law_name)
    return provincial and not _PROVINCIAL_CONGRESS.search(body) and \
        bool(_CITY_CONGRESS.search(body) or _CITY_CONGRESS.search(title) or "市制定地方性法规" in title)


def other_scope(body: str, title: str, superior: str, law_name: str) -> bool:
    """The superior provision governs urban facilities (城镇、城市) and the document rural ones."""
    urban = bool(_URBAN.search(law_name)) or bool(_URBAN.search(superior))
    rural = bool(_RURAL.search(title)) or bool(_RURAL.search(body))
    return urban and rural and not _URBAN.search(body) and not _URBAN.search(title)


def delegation(article_text: str, kind: Level | None) -> str | None:
    """The superior article's words that let lower law of ``kind`` vary it (另有规定的从其规定,
    省、自治区、直辖市可以规定, 具体办法由…制定), or None."""
    names = ["local"]
    if kind in _REGULATIONS or kind is None:
        names.append("regulation")
    if kind is not None and kind not in _REGULATIONS:
        names.append("rule")
    for name in names:
        m = _DELEGATION[name].search(article_text)
        if m:
            return m.group(0)
    return None


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


def _confidence(al: Alignment, diffs: list[Difference], p_aligned: float) -> float:
    """A heuristic probability that a reviewer agrees: the calibrated alignment probability scales the
    heuristic (not yet calibrated on labelled outcomes)."""
    c = confidence("consistency")  # data/confidence.json
    base = c["base"] + c["coverage_gain"] * min(1.0, max(0.0, (al.coverage - MIN_COVERAGE) / (1.0 - MIN_COVERAGE)))
    base *= min(1.0, 0.5 + p_aligned / 2)
    if al.source == "citation":
        base += c["cited_bonus"]
    if any(d.kind.value in ("number", "fine_range", "modality") for d in diffs):
        base += c["concrete_bonus"]
    return round(min(c["cap"], base), 4)


def _finding(doc: Document, node: Node, body: str, offset: int, al: Alignment,
             diffs: list[Difference], p_aligned: float) -> Finding:
    sup = al.superior_text
    severity = max((d.severity for d in diffs), key=lambda s: _SEV_ORDER[s])
    if p_aligned < MIN_ALARM_PROBABILITY:
        severity = Severity.LOW  # not sure the clause restates this provision: a note, not an alarm
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
        confidence=_confidence(al, diffs, p_aligned),
        message=f"与{law_article}的规定不一致：{notes}",
        basis=BASIS,
        evidence=[Evidence(law=al.law.name, version=al.version.version, article=al.article.label,
                           text=al.article.text)],
        rule="consistency",
        details={
            "superior": {"law": al.law.name, "law_id": al.law.id, "version": al.version.version,
                         "article": al.article.label, "paragraph": al.paragraph + 1 if al.paragraph >= 0 else None},
            "alignment": {"source": al.source, "score": round(al.score, 4), "coverage": round(al.coverage, 4),
                          "probability": round(p_aligned, 4)},
            "differences": [{**d.to_dict(),
                             "clause_span": [offset + d.clause_span[0], offset + d.clause_span[1]]
                             if d.clause_span else None} for d in diffs],
            "clause_marked": _marked(body, spans),
            "superior_text": sup,
            "superior_marked": _marked(sup, [d.superior_span for d in diffs if d.superior_span]),
        },
    )


#: A penalty clause that names its conduct only by an article number of its own text (违反本条例第十八条规定的，…)
#: is searched together with that article's text, so that it aligns on the conduct, not on its fine amounts.
EXPAND_REFERENCES = True


def _self_references(citations: Sequence[Any] | None) -> list[tuple[int, int, frozenset[int]]]:
    """(start, end, article numbers) of the document's references to its own articles (本条例第十八条、第二十七条),
    from the citation stage."""
    out = []
    for c in citations or ():
        if isinstance(c, InternalReference) and c.form == "self_law":
            nums = frozenset(r.article for r in c.refs if r.article is not None)
            if nums:
                out.append((c.start, c.end, nums))
    return out


def _with_referenced(body: str, offset: int, refs: list[tuple[int, int, frozenset[int]]],
                     article_text: dict[int, str]) -> str:
    """``body`` (at ``offset`` in the original), followed by the articles of the document it refers to when it
    names its conduct only by them."""
    if not _BY_REFERENCE.match(body):
        return body
    end = offset + len(body)
    numbers = sorted({n for s, e, nums in refs if offset <= s and e <= end for n in nums})
    texts = [article_text[n] for n in numbers if n in article_text]
    return body + "\n" + "\n".join(texts) if texts else body


def _queries(doc: Document, todo: Sequence[tuple[Node, str, int, Any]], citations: Sequence[Any] | None) -> list[str]:
    """What each clause to align is searched by (:func:`_with_referenced`); the article texts read once."""
    refs = _self_references(citations)
    if not refs:
        return [t[1] for t in todo]
    article_text = {a.number: doc.node_text(a) for a in doc.articles() if a.number is not None}
    return [_with_referenced(body, offset, refs, article_text) for _, body, offset, _ in todo]


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
    # laws the document itself names (its 立法依据 in 第一条, citations anywhere): a paraphrase of one of
    # them is on the document's subject whatever its title says
    named_laws = {res.law.id for res in (resolutions or []) if res is not None and res.law is not None}
    prior = index.law_prior(doc.meta.title) if doc.meta.title else None
    if named_laws and NAMED_PRIOR:
        # ... and its provisions are searched first, the way a reviewer opens the law the document names
        names = {res.law.name for res in (resolutions or []) if res is not None and res.law is not None}
        flags = index.law_flags(lambda name: name in names).astype(np.float32) * NAMED_PRIOR
        prior = flags if prior is None else np.maximum(prior, flags)
    title = doc.meta.title
    todo: list[tuple[Node, str, int, list[tuple[Law, LawVersion, Article]]]] = []
    items_of: dict[int, list[Node]] = {}  # position in todo of a lead-in with its items -> the items
    lead_text: dict[str, str] = {}  # lead-in clause id -> its own words (who acts on the items)
    clauses = doc.clauses()
    for k, node in enumerate(clauses):
        body, offset = _clause_body(doc, node)
        art = doc.article_of(node)
        cites = cited.get(art.id, []) if art is not None else []
        items = _items_after(clauses, k)
        if items:
            # a lead-in with its items (有下列情形之一的：（一）…（二）…) is compared as one text, the way the
            # superior article reads; each item is still compared on its own below
            body = doc.original[offset:items[-1].end]
            items_of[len(todo)] = items
            lead_text[node.id or ""] = doc.original[offset:items[0].start]
        if len(clean(body)) < MIN_CLAUSE_CHARS or _PURPOSE.match(body):
            continue  # too short to align, or the purpose-and-basis clause (为了…，根据…，制定本条例)
        todo.append((node, body, offset, cites))
    threshold = alignment_model().threshold
    out: list[Finding] = []
    aligned = align_many([t[1] for t in todo], index, cited=[t[3] for t in todo], limit=CANDIDATES, prior=prior,
                         mask=mask, queries=_queries(doc, todo, citations) if EXPAND_REFERENCES else None)
    lead_law: dict[str, str] = {}  # lead-in clause id -> the law its text with its items aligned to
    for pos, ((node, body, offset, _), als) in enumerate(zip(todo, aligned, strict=True)):
        best: tuple[float, Alignment] | None = None
        scores = [x.score for x in als if x.source != "citation"]
        scored: list[tuple[float, Alignment]] = []
        leading: set[tuple[str, str | None, int]] = set()  # named-law candidates retrieval ranks first by a margin
        for al in als:
            if al.source != "citation":
                al = with_coverage(al, body)
            others = [sc for sc in scores if sc != al.score] or [0.0]
            p = alignment_probability(alignment_features(al, body, title, max(others)))
            scored.append((p, al))
            if al.law.id in named_laws and al.source != "citation" and al.score - max(others) >= NAMED_LEAD_MARGIN \
                    and not _BY_NUMBER.match(body):  # (conduct named by number: its fines are all it shares)
                leading.add(_key(al))
            if best is None or p > best[0]:
                best = (p, al)
        if best is not None and fine_ranges(body) and not fine_ranges(best[1].superior_text):
            # a penalty clause restates the superior's penalty provision, not the duty it sanctions
            # (露天焚烧…并处罚款 against 第一百一十九条, not the ban of 第七十七条)
            fined = [x for x in scored if fine_ranges(x[1].superior_text)]
            alt = max(fined, key=lambda x: x[0]) if fined else None
            if alt is not None and alt[0] >= _gate(alt[1], named_laws, leading, threshold):
                best = alt
        if best is None or best[0] < _gate(best[1], named_laws, leading, threshold):
            continue
        p, al = best
        if pos in items_of:
            lead_law[node.id or ""] = al.law.id
        elif not near_copy_of(al) and lead_law.get(_lead_id(node.id), al.law.id) != al.law.id:
            continue  # an item paraphrasing another law than its lead-in's with its items: a chance match
        if other_body(body, al.superior_text, al.law.name, title) or delegation(al.article.text, kind) is not None \
                or other_scope(body, title, al.superior_text, al.law.name):
            continue  # another body's rule, or room the superior leaves to lower law: no finding
        lead = lead_text.get(_lead_id(node.id)) if pos not in items_of else None
        sup_items = _ITEMS_START.search(al.article.text) if lead else None
        if lead and sup_items and other_body(lead, al.article.text[:sup_items.start()], al.law.name, title):
            continue  # an item of a list a local body acts on, the superior's list a national one's
            # (省辖市…报告省人民政府 against 省…报告国家森林防火指挥机构…国务院: another reporting chain)
        near_copy = _clearly_aligned(al, body, title)
        named = al.law.id in named_laws
        if near_copy and al.coverage < MIN_COVERAGE_OFF_TOPIC and not named \
                and topic_overlap(title, al.law.name) < MIN_TOPIC:
            continue  # shared procedural wording (复议、起诉期限) with a law on another subject
        diffs = [d for d in compare(body, al.superior_text, paraphrase=True, article_text=al.article.text,
                                    near_copy=near_copy) if not d.benign]
        if not near_copy:
            # a paraphrase, not a near-copy: only differences that stand on their own counterparts (a
            # number, a fine for the same conduct, a modal verb governing the same act, a list length);
            # an added condition, a dropped exception or a penalty type needs a near-verbatim pair ...
            diffs = [d for d in diffs if d.kind.value in _PARAPHRASE_KINDS]
        # ... or a paired sentence that says the same of the same act (residuals: a prohibition turned
        # into a duty, an added exception, a dropped condition, who is bound, a blanket ban, a penalty type)
        diffs += residual_differences(body, al.superior_text, al.article.text, found=frozenset(d.kind for d in diffs),
                                      title=title)
        if diffs and bool(penalty_types(body)) != bool(penalty_types(al.superior_text)):
            # a duty clause against a penalty provision (未经批准…的，处…罚款) or the reverse: the superior's
            # conduct is not the clause's condition, and what one adds or leaves out the other never had
            diffs = [d for d in diffs if d.kind not in _CONDITION_KINDS]
        if diffs and al.source != "citation" and \
                same_conduct(body, al.superior_text, al.article.text, min_overlap=MIN_CONDUCT) is False:
            # a penalty for other conduct (修缮民居 against 损坏历史建筑): its amounts and types say nothing
            # (unless the clause itself punishes under that article: 依照…第九十条的规定处罚)
            diffs = [d for d in diffs if d.kind not in _PENALTY_KINDS]
        diffs = [d for d in diffs if not (d.kind == DiffKind.CONDITION_DROPPED
                                          and (_DEFERS.search(d.clause_value) or _ALTERNATIVE.match(d.superior_value)))
                 and not _general_remedy_limit(d, body, al.superior_text, al.law.name, al.law.level)
                 and not (lead and _in_lead(d, lead))]
        if diffs:
            # a value another plausible provision states (道路运输条例 第六十六条 beside 第六十三条): the
            # clause restates that one
            alts = [x for q, x in scored if x is not al and q >= threshold]
            diffs = [d for d in diffs if not _stated_elsewhere(d, body, alts)]
        if diffs and not named and al.source != "citation" and topic_overlap(title, al.law.name) < MIN_TOPIC \
                and _BY_REFERENCE.match(body) and _BY_REFERENCE.match(al.superior_text):
            continue  # both name the conduct only by their own article numbers (违反本条例第十八条规定的，…): the
            # fines and the boilerplate are all they share, on a law of another subject
        if diffs and not near_copy and p < PARAPHRASE_REPORT and topic_overlap(title, al.law.name) < MIN_TOPIC \
                and al.law.id not in named_laws:
            continue  # a paraphrase of a law on another subject than the document's, not clearly aligned
        if not diffs:
            continue
        lead_items = items_of.get(pos)
        if lead_items:
            # lead-in and items: item counts differ lawfully (local texts add and leave out items)
            diffs = [d for d in diffs if not (d.kind == DiffKind.LIST and d.clause_span is None)]
            if not diffs:
                continue
        if not lead_items:
            out.append(_finding(doc, node, body, offset, al, diffs, p))
            continue
        # the lead-in with its items: each difference on the item it lies in
        groups: dict[str, tuple[Node, list[Difference]]] = {}
        for d in diffs:
            at = offset + d.clause_span[0] if d.clause_span else node.start
            host = next((it for it in lead_items if it.start <= at < it.end), node)
            groups.setdefault(host.id or "", (host, []))[1].append(d)
        for host, ds in groups.values():
            out.append(_finding(doc, host, body, offset, al, ds, p))
    # one finding per clause, superior article and difference (an item compared alone and with its lead-in)
    seen: set[tuple[str | None, str, str, str, str]] = set()
    uniq: list[Finding] = []
    for f in out:
        sup = f.details["superior"]
        keys = {(f.clause, f"{sup['law_id']}{sup['article']}", d["kind"], d["clause_value"], d["superior_value"])
                for d in f.details["differences"]}
        if not keys <= seen:
            seen |= keys
            uniq.append(f)
    varying = _VARYING.search(title or "")
    if varying:  # 经济特区法规 may vary superior law under their authorisation: notes to check, not alarms
        note = message("compare.varying_legislation", zone=varying.group(0))
        uniq = [replace(f, severity=Severity.LOW, message=f.message + note,
                        details={**f.details, "varying_legislation": varying.group(0)}) for f in uniq]
    return uniq


@register("consistency")
def check_consistency(ctx: CheckContext) -> list[Finding]:
    """Registered check: clauses that restate a superior provision but differ from it."""
    if ctx.corpus is None:
        return []
    found = consistency_findings(ctx.document, ctx.corpus, kind=ctx.kind, region=ctx.region, as_of=ctx.as_of,
                                 citations=ctx.citations,
                                 resolutions=ctx.resolutions if len(ctx.resolutions) == len(ctx.citations) else None)
    pair = getattr(ctx.models, "pair", None)  # optional pair cross-encoder (issue 12), OFF unless models= given
    if pair is None or not found:
        return found
    from normcheck.ml.plug import confirm_findings

    return confirm_findings(pair, ctx.document, found, drop_threshold=ctx.models.drop_threshold)
