"""Scoring functions: pure, numpy only, over per-document gold and predictions.

Units
- Classification matches a prediction and a label on (document, finding type, article); a finding or label
  without a clause is the document-level item (document, type, None). The lenient variant matches on
  (document, type). Documents that errored or are missing from the predictions predict nothing: their
  positives are misses, never dropped.
- Ranking pools the (document, article) units of all documents into one worklist ordered by attention score
  (the article's best clause score), ties broken by document order (dataset order, then position in the
  document). A unit is relevant when the article carries a positive label of a scored type. Recall counts
  every positive, including those in documents that produced no ranking. NDCG@10 and MAP are per document
  (documents with at least one positive), averaged.
- Calibration: each distinct predicted item with its confidence; correct when it matches a positive label.

Undefined values (a precision with no predictions, a recall with no positives) are ``None``.

Size: every metric the harness reports, each small and tested by hand-computed cases; kept together so a
suite's table reads from one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

ArticleKey = tuple[int, int]
Item = tuple[str, ArticleKey | None]  # (finding type, article) ; article None = document level

RECALL_LEVELS = (0.8, 0.9)
KS = (5, 10, 20, 50, 100)


@dataclass(slots=True)
class DocGold:
    positives: set[Item] = field(default_factory=set)
    negatives: set[Item] = field(default_factory=set)


@dataclass(slots=True)
class PredFinding:
    type: str
    article: ArticleKey | None
    confidence: float
    severity: str = "medium"


@dataclass(slots=True)
class DocPred:
    """One document's prediction. ``status``: ok | error | missing. ``units``: (article, score) in doc order."""

    status: str = "ok"
    findings: list[PredFinding] = field(default_factory=list)
    units: list[tuple[ArticleKey, float]] = field(default_factory=list)
    n_articles: int = 0

    @property
    def abstained(self) -> bool:
        return self.status != "ok"


def prf(tp: float, fp: float, fn: float) -> dict[str, float | None]:
    """Precision, recall, F1 from counts; None where undefined (F1 = 2tp/(2tp+fp+fn))."""
    p = tp / (tp + fp) if tp + fp > 0 else None
    r = tp / (tp + fn) if tp + fn > 0 else None
    f = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn > 0 else None
    return {"precision": p, "recall": r, "f1": f}


def _pred_items(pred: DocPred, types: Sequence[str]) -> dict[Item, float]:
    out: dict[Item, float] = {}
    if pred.abstained:
        return out
    for f in pred.findings:
        if f.type in types:
            key = (f.type, f.article)
            out[key] = max(out.get(key, 0.0), float(f.confidence))
    return out


def count_matrix(gold: Sequence[DocGold], pred: Sequence[DocPred], types: Sequence[str],
                 lenient: bool = False) -> np.ndarray:
    """Per document and type: [tp, fp, fn]. Shape (n_docs, n_types, 3)."""
    _check_aligned(gold, pred)
    m = np.zeros((len(gold), len(types), 3), dtype=np.int64)
    tindex = {t: i for i, t in enumerate(types)}
    for d, (g, p) in enumerate(zip(gold, pred, strict=True)):
        pi = set(_pred_items(p, types))
        gi = {it for it in g.positives if it[0] in tindex}
        if lenient:
            pi = {(t, None) for t, _ in pi}
            gi = {(t, None) for t, _ in gi}
        for t, _a in pi & gi:
            m[d, tindex[t], 0] += 1
        for t, _a in pi - gi:
            m[d, tindex[t], 1] += 1
        for t, _a in gi - pi:
            m[d, tindex[t], 2] += 1
    return m


def summarise_counts(counts: np.ndarray, types: Sequence[str]) -> dict[str, Any]:
    """Per-type, micro and macro P/R/F1 from a (docs, types, 3) count matrix."""
    per_type: dict[str, dict[str, Any]] = {}
    tot = counts.sum(axis=0) if counts.size else np.zeros((len(types), 3), dtype=np.int64)
    for i, t in enumerate(types):
        tp, fp, fn = (int(x) for x in tot[i])
        per_type[t] = {"tp": tp, "fp": fp, "fn": fn, "support": tp + fn, **prf(tp, fp, fn)}
    tp, fp, fn = (int(x) for x in tot.sum(axis=0)) if len(types) else (0, 0, 0)
    micro = {"tp": tp, "fp": fp, "fn": fn, **prf(tp, fp, fn)}
    f1s = [v["f1"] for v in per_type.values() if v["f1"] is not None]
    ps = [v["precision"] for v in per_type.values() if v["precision"] is not None]
    rs = [v["recall"] for v in per_type.values() if v["recall"] is not None]
    macro = {"precision": _mean(ps), "recall": _mean(rs), "f1": _mean(f1s), "n_types": len(f1s)}
    return {"per_type": per_type, "micro": micro, "macro": macro}


def classification(gold: Sequence[DocGold], pred: Sequence[DocPred], types: Sequence[str]) -> dict[str, Any]:
    """Clause-level (type + article) and lenient document-level P/R/F1, per type, micro and macro."""
    return {
        "clause": summarise_counts(count_matrix(gold, pred, types), types),
        "document": summarise_counts(count_matrix(gold, pred, types, lenient=True), types),
    }


# ---------------------------------------------------------------- ranking primitives (sorted relevance)

def precision_at_k(rel: np.ndarray, k: int) -> float:
    """Share of relevant units among the first k (k counts even when the list is shorter)."""
    if k <= 0:
        raise ValueError("k must be positive")
    return float(np.asarray(rel[:k], dtype=float).sum() / k)


def recall_at_k(rel: np.ndarray, k: int, n_pos: int) -> float | None:
    if n_pos <= 0:
        return None
    return float(np.asarray(rel[:k], dtype=float).sum() / n_pos)


def average_precision(rel: np.ndarray, n_pos: int) -> float | None:
    """Mean of precision at each relevant position, over all ``n_pos`` positives (unretrieved ones add 0)."""
    if n_pos <= 0:
        return None
    r = np.asarray(rel, dtype=float)
    if r.size == 0:
        return 0.0
    cum = np.cumsum(r)
    prec = cum / np.arange(1, r.size + 1)
    return float((prec * r).sum() / n_pos)


def ndcg_at_k(rel: np.ndarray, n_pos: int, k: int = 10) -> float | None:
    """Binary-gain NDCG@k; the ideal list puts all ``n_pos`` positives first."""
    if n_pos <= 0:
        return None
    r = np.asarray(rel[:k], dtype=float)
    disc = 1.0 / np.log2(np.arange(2, k + 2))
    dcg = float((r * disc[: r.size]).sum())
    idcg = float(disc[: min(n_pos, k)].sum())
    return dcg / idcg


def precision_at_recall(rel: np.ndarray, n_pos: int, level: float) -> float | None:
    """Best precision at any cutoff whose recall reaches ``level``; 0.0 if recall never gets there."""
    if n_pos <= 0:
        return None
    r = np.asarray(rel, dtype=float)
    if r.size == 0:
        return 0.0
    cum = np.cumsum(r)
    recall = cum / n_pos
    prec = cum / np.arange(1, r.size + 1)
    ok = recall >= level - 1e-12
    return float(prec[ok].max()) if ok.any() else 0.0


# ---------------------------------------------------------------- ranking over documents

@dataclass(slots=True)
class _DocRank:
    scores: np.ndarray  # per unit, doc order
    rel: np.ndarray  # 0/1 per unit
    n_pos: int  # positives of the document (including those with no unit)


def _doc_rank(g: DocGold, p: DocPred, types: Sequence[str]) -> _DocRank:
    pos_articles = {a for t, a in g.positives if t in types and a is not None}
    if p.abstained:
        return _DocRank(np.zeros(0), np.zeros(0), len(pos_articles))
    best: dict[ArticleKey, float] = {}
    order: list[ArticleKey] = []
    for a, s in p.units:
        if a not in best:
            order.append(a)
            best[a] = float(s)
        else:
            best[a] = max(best[a], float(s))
    scores = np.array([best[a] for a in order], dtype=float)
    rel = np.array([1.0 if a in pos_articles else 0.0 for a in order], dtype=float)
    return _DocRank(scores, rel, len(pos_articles))


def _pooled(docs: Sequence[_DocRank], order: Sequence[int]) -> tuple[np.ndarray, int]:
    """Relevance of the pooled worklist over documents ``order`` (with repeats), sorted; total positives."""
    if not order:
        return np.zeros(0), 0
    scores = np.concatenate([docs[d].scores for d in order])
    rel = np.concatenate([docs[d].rel for d in order])
    pos_in_doc = np.concatenate([np.arange(docs[d].scores.size) for d in order])
    slot = np.concatenate([np.full(docs[d].scores.size, i) for i, d in enumerate(order)])
    idx = np.lexsort((pos_in_doc, slot, -scores))  # last key is primary
    return rel[idx], int(sum(docs[d].n_pos for d in order))


def _per_doc(docs: Sequence[_DocRank]) -> tuple[np.ndarray, np.ndarray]:
    """Per-document AP and NDCG@10 (NaN where the document has no positive)."""
    ap = np.full(len(docs), np.nan)
    nd = np.full(len(docs), np.nan)
    for i, dr in enumerate(docs):
        if dr.n_pos > 0:
            idx = np.lexsort((np.arange(dr.scores.size), -dr.scores))
            rel = dr.rel[idx]
            ap[i] = average_precision(rel, dr.n_pos)
            nd[i] = ndcg_at_k(rel, dr.n_pos, 10)
    return ap, nd


def _ranking_from(docs: Sequence[_DocRank], order: Sequence[int], ap: np.ndarray, nd: np.ndarray,
                  ks: Sequence[int] = KS) -> dict[str, Any]:
    rel, n_pos = _pooled(docs, order)
    sel = np.asarray(order, dtype=int)
    ap_sel = ap[sel] if sel.size else np.zeros(0)
    nd_sel = nd[sel] if sel.size else np.zeros(0)
    out: dict[str, Any] = {"n_units": int(rel.size), "n_positives": n_pos}
    for k in ks:
        out[f"precision@{k}"] = precision_at_k(rel, k) if n_pos > 0 else None
        out[f"recall@{k}"] = recall_at_k(rel, k, n_pos)
    out["aupr"] = average_precision(rel, n_pos)
    for lv in RECALL_LEVELS:
        out[f"precision@recall{int(lv * 100)}"] = precision_at_recall(rel, n_pos, lv)
    out["map"] = _nanmean(ap_sel)
    out["ndcg@10"] = _nanmean(nd_sel)
    return out


def ranking(gold: Sequence[DocGold], pred: Sequence[DocPred], types: Sequence[str],
            ks: Sequence[int] = KS) -> dict[str, Any]:
    """Pooled worklist P@k, R@k, AUPR, precision at 80/90% recall; per-document MAP and NDCG@10."""
    _check_aligned(gold, pred)
    docs = [_doc_rank(g, p, types) for g, p in zip(gold, pred, strict=True)]
    ap, nd = _per_doc(docs)
    return _ranking_from(docs, list(range(len(docs))), ap, nd, ks)


# ---------------------------------------------------------------- calibration

def calibration_items(gold: Sequence[DocGold], pred: Sequence[DocPred],
                      types: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(confidence, correct) for every distinct predicted item of a scored type."""
    conf: list[float] = []
    ok: list[float] = []
    for g, p in zip(gold, pred, strict=True):
        for item, c in _pred_items(p, types).items():
            conf.append(c)
            ok.append(1.0 if item in g.positives else 0.0)
    return np.array(conf, dtype=float), np.array(ok, dtype=float)


def reliability_bins(conf: np.ndarray, correct: np.ndarray, n_bins: int = 10) -> list[dict[str, float]]:
    """Equal-width bins over [0, 1] (the last bin includes 1.0): count, mean confidence, accuracy."""
    conf = np.clip(np.asarray(conf, dtype=float), 0.0, 1.0)
    idx = np.minimum((conf * n_bins).astype(int), n_bins - 1)
    bins = []
    for b in range(n_bins):
        m = idx == b
        n = int(m.sum())
        bins.append({"lo": b / n_bins, "hi": (b + 1) / n_bins, "count": n,
                     "confidence": float(conf[m].mean()) if n else 0.0,
                     "accuracy": float(np.asarray(correct)[m].mean()) if n else 0.0})
    return bins


def expected_calibration_error(conf: np.ndarray, correct: np.ndarray, n_bins: int = 10) -> float | None:
    """ECE = sum over bins of (n_b / N) * |accuracy_b - confidence_b|; None with no predictions."""
    n = len(conf)
    if n == 0:
        return None
    return float(sum(b["count"] / n * abs(b["accuracy"] - b["confidence"])
                     for b in reliability_bins(conf, correct, n_bins) if b["count"]))


# ---------------------------------------------------------------- alarms (noise floor)

def alarms(pred: Sequence[DocPred]) -> dict[str, Any]:
    """High-severity and all findings per 100 articles, over documents that produced a result."""
    n_art = sum(p.n_articles for p in pred if not p.abstained)
    n_high = sum(1 for p in pred if not p.abstained for f in p.findings if f.severity == "high")
    n_all = sum(len(p.findings) for p in pred if not p.abstained)
    by_type: dict[str, int] = {}
    for p in pred:
        if not p.abstained:
            for f in p.findings:
                if f.severity == "high":
                    by_type[f.type] = by_type.get(f.type, 0) + 1
    return {
        "n_articles": n_art, "n_high": n_high, "n_findings": n_all,
        "high_per_100_articles": 100.0 * n_high / n_art if n_art else None,
        "findings_per_100_articles": 100.0 * n_all / n_art if n_art else None,
        "high_by_type": dict(sorted(by_type.items())),
    }


# ---------------------------------------------------------------- bootstrap and paired test

HEADLINE = ("clause_micro_f1", "clause_macro_f1", "doc_micro_f1", "aupr", "map", "ndcg@10",
            "high_per_100_articles")


class _Pre:
    """Per-document precomputations so a bootstrap resample is a cheap re-aggregation."""

    def __init__(self, gold: Sequence[DocGold], pred: Sequence[DocPred], types: Sequence[str]) -> None:
        _check_aligned(gold, pred)
        self.types = list(types)
        self.clause = count_matrix(gold, pred, types)
        self.doc = count_matrix(gold, pred, types, lenient=True)
        self.ranks = [_doc_rank(g, p, types) for g, p in zip(gold, pred, strict=True)]
        self.ap, self.nd = _per_doc(self.ranks)
        self.n_art = np.array([0 if p.abstained else p.n_articles for p in pred], dtype=float)
        self.n_high = np.array([0 if p.abstained else sum(f.severity == "high" for f in p.findings)
                                for p in pred], dtype=float)

    def headline(self, order: Sequence[int]) -> dict[str, float | None]:
        sel = np.asarray(order, dtype=int)
        c = summarise_counts(self.clause[sel], self.types)
        d = summarise_counts(self.doc[sel], self.types)
        r = _ranking_from(self.ranks, list(order), self.ap, self.nd, ks=())
        art = float(self.n_art[sel].sum())
        return {"clause_micro_f1": c["micro"]["f1"], "clause_macro_f1": c["macro"]["f1"],
                "doc_micro_f1": d["micro"]["f1"], "aupr": r["aupr"], "map": r["map"], "ndcg@10": r["ndcg@10"],
                "high_per_100_articles": 100.0 * float(self.n_high[sel].sum()) / art if art else None}


def bootstrap_ci(gold: Sequence[DocGold], pred: Sequence[DocPred], types: Sequence[str], *,
                 n_resamples: int = 1000, seed: int = 0, alpha: float = 0.05) -> dict[str, Any]:
    """Percentile bootstrap over documents (seeded): {metric: {"value", "lo", "hi"}}."""
    pre = _Pre(gold, pred, types)
    n = len(gold)
    point = pre.headline(range(n))
    rng = np.random.default_rng(seed)
    samples: dict[str, list[float]] = {k: [] for k in HEADLINE}
    for _ in range(n_resamples if n else 0):
        h = pre.headline(rng.integers(0, n, size=n).tolist())
        for k, v in h.items():
            if v is not None:
                samples[k].append(v)
    out: dict[str, Any] = {}
    for k in HEADLINE:
        s = np.array(samples[k])
        lo, hi = (float(np.quantile(s, alpha / 2)), float(np.quantile(s, 1 - alpha / 2))) if s.size else (None, None)
        out[k] = {"value": point[k], "lo": lo, "hi": hi}
    out["_meta"] = {"n_resamples": n_resamples, "seed": seed, "alpha": alpha, "unit": "document"}
    return out


def paired_bootstrap(gold: Sequence[DocGold], pred_a: Sequence[DocPred], pred_b: Sequence[DocPred],
                     types: Sequence[str], *, n_resamples: int = 1000, seed: int = 0,
                     alpha: float = 0.05) -> dict[str, Any]:
    """Paired bootstrap over documents of A - B for each headline metric.

    Both systems are scored on the same resampled documents. ``p_value`` is two-sided: twice the smaller
    share of resampled differences on either side of zero (capped at 1). ``significant`` when p < alpha.
    """
    pa, pb = _Pre(gold, pred_a, types), _Pre(gold, pred_b, types)
    n = len(gold)
    ha, hb = pa.headline(range(n)), pb.headline(range(n))
    rng = np.random.default_rng(seed)
    deltas: dict[str, list[float]] = {k: [] for k in HEADLINE}
    for _ in range(n_resamples if n else 0):
        order = rng.integers(0, n, size=n).tolist()
        a, b = pa.headline(order), pb.headline(order)
        for k in HEADLINE:
            if a[k] is not None and b[k] is not None:
                deltas[k].append(a[k] - b[k])  # type: ignore[operator]
    out: dict[str, Any] = {}
    for k in HEADLINE:
        d = np.array(deltas[k])
        point = ha[k] - hb[k] if ha[k] is not None and hb[k] is not None else None  # type: ignore[operator]
        if d.size == 0 or point is None:
            out[k] = {"a": ha[k], "b": hb[k], "delta": point, "lo": None, "hi": None, "p_value": None,
                      "significant": False}
            continue
        p = min(1.0, 2 * min(float((d <= 0).mean()), float((d >= 0).mean())))
        out[k] = {"a": ha[k], "b": hb[k], "delta": point,
                  "lo": float(np.quantile(d, alpha / 2)), "hi": float(np.quantile(d, 1 - alpha / 2)),
                  "p_value": p, "significant": p < alpha}
    out["_meta"] = {"test": "paired bootstrap over documents", "n_resamples": n_resamples, "seed": seed,
                    "alpha": alpha}
    return out


def _mean(xs: Sequence[float]) -> float | None:
    return float(np.mean(xs)) if len(xs) else None


def _nanmean(a: np.ndarray) -> float | None:
    a = a[~np.isnan(a)] if a.size else a
    return float(a.mean()) if a.size else None


def _check_aligned(gold: Sequence[Any], pred: Sequence[Any]) -> None:
    if len(gold) != len(pred):
        raise ValueError(f"gold and predictions must be aligned per document: {len(gold)} != {len(pred)}")
