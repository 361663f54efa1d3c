"""Attention scores and ranks: which clauses a reviewer should read first, and which documents.

A clause's raw score combines its findings and a small keyword prior as independent signals::

    raw = 1 - (1 - prior) * prod_f (1 - w_sev(f) * confidence(f))

where ``prior = min(prior_cap, 1 - prod_k (1 - w_k))`` over the clause features ``k`` whose keywords
occur in the clause (penalties, licences, compulsion, obligations, fees, restrictions: the places
where findings arise even where no rule fired). ``raw`` is then mapped through :func:`calibrate`, a
piecewise-linear function whose knots sit in ``normcheck/data/rank_params.json`` (identity until
fitted on labelled data; isotonic regression gives exactly such knots). All weights live in that
file; pass ``params=`` to use others.

Ranks: 1 = read first; ties are broken by document order. Document priority for a batch is
:func:`document_priority`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from typing import Any

from normcheck.knowledge import penalties, severities
from normcheck.types.document import Document, Node, NodeKind
from normcheck.types.findings import ClauseResult, Finding, Result


@dataclass(frozen=True, slots=True)
class Feature:
    name: str
    weight: float
    keywords: tuple[str, ...]


def _keywords(f: dict[str, Any]) -> tuple[str, ...]:
    """A feature's keywords: listed, or ``"keywords_from": "penalties"`` for the penalty catalogue's
    rank keywords (data/penalties.json)."""
    if "keywords" in f:
        return tuple(f["keywords"])
    if f["keywords_from"] != "penalties":
        raise ValueError(f"keywords_from must be 'penalties', not {f['keywords_from']!r}")
    return penalties().keywords("rank")


@dataclass(frozen=True, slots=True)
class RankParams:
    """The parameters of the scoring; read from ``data/rank_params.json`` by :func:`load_params`."""

    severity_weight: dict[str, float]
    features: tuple[Feature, ...]
    prior_cap: float
    knots: tuple[tuple[float, float], ...]
    top_k: int
    decay: float

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> RankParams:
        try:
            knots = tuple((float(x), float(y)) for x, y in d["calibration"]["knots"])
            params = cls(
                severity_weight={k: float(v) for k, v in d.get("severity_weight", severities().weights).items()},
                features=tuple(Feature(str(f["name"]), float(f["weight"]), _keywords(f)) for f in d["features"]),
                prior_cap=float(d["prior_cap"]),
                knots=knots,
                top_k=int(d["document"]["top_k"]),
                decay=float(d["document"]["decay"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"bad rank parameters: {exc!r}; expected the keys of data/rank_params.json") from exc
        params.validate()
        return params

    def validate(self) -> None:
        for sev in ("high", "medium", "low"):
            if not 0.0 <= self.severity_weight.get(sev, -1.0) <= 1.0:
                raise ValueError(f"severity_weight must give high, medium and low in [0, 1]: {self.severity_weight}")
        if any(not 0.0 <= f.weight <= 1.0 for f in self.features) or not 0.0 <= self.prior_cap <= 1.0:
            raise ValueError("feature weights and prior_cap must lie in [0, 1]")
        xs = [x for x, _ in self.knots]
        ys = [y for _, y in self.knots]
        if (len(self.knots) < 2 or xs[0] != 0.0 or xs[-1] != 1.0 or any(b <= a for a, b in pairwise(xs))
                or any(b < a for a, b in pairwise(ys)) or not all(0.0 <= y <= 1.0 for y in ys)):
            raise ValueError("calibration knots must start at x=0, end at x=1, with x increasing, "
                             f"y non-decreasing in [0, 1]: {self.knots}")
        if self.top_k < 1 or not 0.0 < self.decay <= 1.0:
            raise ValueError("document.top_k must be >= 1 and document.decay in (0, 1]")


@lru_cache(maxsize=1)
def load_params() -> RankParams:
    """The packaged parameters (``normcheck/data/rank_params.json``)."""
    text = resources.files("normcheck").joinpath("data/rank_params.json").read_text(encoding="utf-8")
    return RankParams.from_dict(json.loads(text))


def calibrate(raw: float, knots: Sequence[tuple[float, float]] | None = None) -> float:
    """Map a raw combined score to a calibrated one by linear interpolation between knots."""
    pts = list(knots if knots is not None else load_params().knots)
    x = min(1.0, max(0.0, float(raw)))
    for (x0, y0), (x1, y1) in pairwise(pts):
        if x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return pts[-1][1]


def finding_term(f: Finding, params: RankParams | None = None) -> float:
    """One finding's contribution ``w_sev * confidence`` in [0, 1]."""
    p = params or load_params()
    w = p.severity_weight.get(f.severity.value, 0.0)
    return min(1.0, max(0.0, w * float(f.confidence)))


def clause_features(text: str, params: RankParams | None = None) -> dict[str, float]:
    """The keyword features present in a clause text: ``{name: weight}``."""
    p = params or load_params()
    return {f.name: f.weight for f in p.features if any(k in text for k in f.keywords)}


def prior(text: str, params: RankParams | None = None) -> float:
    p = params or load_params()
    keep = 1.0
    for w in clause_features(text, p).values():
        keep *= 1.0 - w
    return min(p.prior_cap, 1.0 - keep)


def _address(node: Node, anc: list[Node]) -> dict[str, int | None]:
    """article/paragraph/item/subitem numbers from the node and its ancestors.

    A 点 (一、二、 in 决定/通知-style documents) stands in for an article.
    """
    nums: dict[str, int | None] = {"article": None, "paragraph": None, "item": None, "subitem": None,
                                   "article_suffix": 0}
    keys = {NodeKind.ARTICLE: "article", NodeKind.POINT: "article", NodeKind.PARAGRAPH: "paragraph",
            NodeKind.ITEM: "item", NodeKind.SUBITEM: "subitem"}
    for n in [*anc, node]:
        key = keys.get(n.kind)
        if key and nums[key] is None:
            nums[key] = n.number
            if key == "article":
                nums["article_suffix"] = n.suffix
    return nums


def _within(child_id: str, unit_id: str | None) -> bool:
    """Whether clause ID ``child_id`` lies inside the larger unit ``unit_id`` (第十条 ⊃ 第十条第二款)."""
    return bool(unit_id) and child_id.startswith(f"{unit_id}第")


def _assign(findings: Sequence[Finding], leaves: Sequence[Node | ClauseResult]
            ) -> tuple[list[list[int]], list[int]]:
    """Attach each finding to the finest clauses it concerns; return (finding indices per leaf,
    indices of the unattached ones).

    A finding naming a leaf's ID goes to that leaf; one naming a larger unit (an article with
    paragraphs) goes to the leaves inside that unit that its span overlaps (all of them when none
    does); one naming no clause (a document-level finding, e.g. a gap in the chapter numbering whose
    span is the whole chapter) goes to a leaf only when its span lies within that one leaf. The
    unattached ones are document-level: they enter :func:`document_priority`, never a clause's score
    (issue 18: a document-level finding added to every clause it spans pushed them all up).
    """
    per: list[list[int]] = [[] for _ in leaves]
    by_id = {n.id: i for i, n in enumerate(leaves) if n.id}
    loose: list[int] = []
    for k, f in enumerate(findings):
        idx: list[int] = []
        if f.clause and f.clause in by_id:
            idx = [by_id[f.clause]]
        else:
            inside = [i for i, n in enumerate(leaves) if _within(n.id, f.clause)]
            overlap = [i for i in (inside or range(len(leaves)))
                       if leaves[i].start < max(f.end, f.start + 1) and f.start < leaves[i].end]
            idx = overlap or inside
            if not f.clause and len(idx) > 1:
                idx = []
        if not idx:
            loose.append(k)
        for i in idx:
            per[i].append(k)
    return per, loose


def raw_score(text: str, findings: Sequence[Finding], params: RankParams | None = None) -> float:
    """A clause's uncalibrated score ``1 - (1 - prior) * prod_f (1 - w_sev(f) * confidence(f))``."""
    p = params or load_params()
    keep = 1.0 - prior(text, p)
    for f in findings:
        keep *= 1.0 - finding_term(f, p)
    return 1.0 - keep


def attention_features(text: str, findings: Sequence[Finding], params: RankParams | None = None) -> dict[str, float]:
    """What a learned attention model (``normcheck.ml.attention``) may blend with its text probability: the
    clause's rule scores (``score`` calibrated, ``raw``, ``rules`` = findings alone, ``prior``), the number
    of findings (``n_findings``, capped at 5, over 5), the largest ``w_sev * confidence`` per finding type
    (``type:<type>``) and the keyword features present (``kw:<name>``, 1.0)."""
    p = params or load_params()
    keep = 1.0
    per_type: dict[str, float] = {}
    for f in findings:
        t = finding_term(f, p)
        keep *= 1.0 - t
        key = f"type:{f.type.value}"
        per_type[key] = max(per_type.get(key, 0.0), t)
    raw = raw_score(text, findings, p)
    return {"score": calibrate(raw, p.knots), "raw": raw, "rules": 1.0 - keep, "prior": prior(text, p),
            "n_findings": min(len(findings), 5) / 5.0, **per_type,
            **{f"kw:{name}": 1.0 for name in clause_features(text, p)}}


def raw_scores(clauses: Sequence[ClauseResult], findings: Sequence[Finding],
               params: RankParams | None = None) -> list[float]:
    """The uncalibrated score of each clause of a result (``clause.text`` gives the prior), before
    :func:`calibrate`: what calibration is fitted on (``scripts/calibrate_rank.py``)."""
    p = params or load_params()
    per, _ = _assign(findings, clauses)
    return [raw_score(c.text, [findings[k] for k in ks], p) for c, ks in zip(clauses, per, strict=True)]


def score_clauses(doc: Document, findings: list[Finding], params: RankParams | None = None, *,
                  attention: Any = None, notes: list[str] | None = None) -> list[ClauseResult]:
    """Every finest clause of ``doc`` with its attention ``score`` in [0, 1] and ``rank`` (1 = first).

    ``attention``: a learned attention model (``normcheck.ml.attention.AttentionModel``, plugged in with
    ``models=``); its probability from the clause text and :func:`attention_features` replaces the rules'
    score. If it fails, the rules' scores stay and a W130 note goes to ``notes``."""
    p = params or load_params()
    pairs = doc.clause_units()
    leaves = [n for n, _ in pairs]
    per, _ = _assign(findings, leaves)
    out: list[ClauseResult] = []
    for (node, anc), ks in zip(pairs, per, strict=True):
        text = doc.original[node.start:node.end]
        nums = _address(node, anc)
        fs = [findings[k] for k in ks]
        out.append(ClauseResult(
            id=node.id, article=nums["article"], paragraph=nums["paragraph"], item=nums["item"],
            text=text, start=node.start, end=node.end, score=calibrate(raw_score(text, fs, p), p.knots),
            subitem=nums["subitem"], article_suffix=int(nums["article_suffix"] or 0), findings=ks,
        ))
    if attention is not None and out:
        from normcheck.ml.plug import attention_scores

        feats = [attention_features(c.text, [findings[k] for k in ks], p) for c, ks in zip(out, per, strict=True)]
        learned = attention_scores(attention, [c.text for c in out], feats, notes)
        if learned is not None:
            for c, s in zip(out, learned, strict=True):
                c.score = s
    assign_ranks(out)
    return out


def assign_ranks(clauses: list[ClauseResult]) -> None:
    """Set ``rank`` in place: highest score first, ties by document order (list order)."""
    order = sorted(range(len(clauses)), key=lambda i: (-round(clauses[i].score, 9), i))
    for r, i in enumerate(order, start=1):
        clauses[i].rank = r


def document_priority(result: Result, params: RankParams | None = None) -> float:
    """A document's attention priority in [0, 1] for ordering a batch (0 for a failed document).

    ``1 - prod_i (1 - t_i * decay**i)`` over the ``top_k`` largest terms: the clause scores and the
    terms of document-level findings (those attached to no clause), calibrated like a clause's.
    """
    p = params or load_params()
    if result.error:
        return 0.0
    _, loose = _assign(result.findings, result.clauses)
    terms = [c.score for c in result.clauses] + [calibrate(finding_term(result.findings[k], p), p.knots)
                                                 for k in loose]
    terms.sort(reverse=True)
    keep = 1.0
    for i, t in enumerate(terms[: p.top_k]):
        keep *= 1.0 - t * p.decay**i
    return min(1.0, max(0.0, 1.0 - keep))


def place(result: Result) -> Result:
    """Set each clause's ``findings`` (indices into ``result.findings``) as :func:`score_clauses` did,
    from the clauses' IDs and offsets alone: for a Result read back from JSON (``Result.from_dict``),
    so that reports show each finding where rank put it. Scores and ranks are left as they are."""
    per, _ = _assign(result.findings, result.clauses)
    for c, ks in zip(result.clauses, per, strict=True):
        c.findings = ks
    return result


def rank(result: Result, doc: Document, params: RankParams | None = None) -> Result:
    """Fill ``result.clauses`` (scores, ranks) and ``result.priority`` from ``result.findings``."""
    result.clauses = score_clauses(doc, result.findings, params)
    result.priority = document_priority(result, params)
    return result
