"""``evaluate``: a dataset and predictions in, metrics (a JSON-able dict) out, optionally written as a
report folder (metrics.json, report.md, reliability.png)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from normcheck.evaluation.clauses import article_key
from normcheck.evaluation.dataset import FINDING_TYPES, Record, load_dataset
from normcheck.evaluation.metrics import (
    DocGold,
    DocPred,
    alarms,
    bootstrap_ci,
    calibration_items,
    classification,
    expected_calibration_error,
    paired_bootstrap,
    ranking,
    reliability_bins,
)
from normcheck.evaluation.predictions import gold_of, load_results, match_results, pred_of, run_check

Results = Sequence[dict[str, Any]]


def scored_types(records: Sequence[Record]) -> list[str]:
    """The finding types a dataset labels (in spec order); all types when it has no labels."""
    seen = {lab.type for r in records for lab in r.labels}
    return [t for t in FINDING_TYPES if t in seen] or list(FINDING_TYPES)


def _as_results(src: str | Path | Results, records: Sequence[Record]) -> list[dict[str, Any] | None]:
    results = load_results(src) if isinstance(src, (str, Path)) else list(src)
    return match_results(records, results)


def evaluate(dataset: str | Path | Sequence[Record], *, predictions: str | Path | Results | None = None,
             compare: str | Path | Results | None = None, corpus: str | None = None,
             types: Sequence[str] | None = None, out_dir: str | Path | None = None,
             n_resamples: int = 1000, seed: int = 0, name: str | None = None,
             progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Score predictions against a labelled dataset.

    ``predictions``: a results JSONL path or a list of result dicts; None runs ``normcheck.check`` on each
    record (with ``corpus`` if given). ``compare``: a second system's results for a paired test (A =
    predictions, B = compare). ``types``: finding types to score (default: those the dataset labels).
    With ``out_dir``, writes metrics.json, report.md and reliability.png there.
    """
    records = load_dataset(dataset) if isinstance(dataset, (str, Path)) else list(dataset)
    if types is not None:
        bad = [t for t in types if t not in FINDING_TYPES]
        if bad:
            raise ValueError(f"unknown finding type(s) {bad}; use some of {', '.join(FINDING_TYPES)}")
    tys = list(types) if types is not None else scored_types(records)
    if predictions is None:
        matched: list[dict[str, Any] | None] = list(run_check(records, corpus=corpus, progress=progress))
    else:
        matched = _as_results(predictions, records)
    gold = [gold_of(r, tys) for r in records]
    pred = [pred_of(m) for m in matched]
    report = score(gold, pred, tys, n_resamples=n_resamples, seed=seed)
    report["dataset"] = {"name": name or (str(dataset) if isinstance(dataset, (str, Path)) else "<records>"),
                         "n_documents": len(records),
                         "n_labels": sum(len(r.labels) for r in records),
                         "n_positive_labels": sum(1 for r in records for lab in r.labels if lab.positive)}
    report["worst_errors"] = worst_errors(records, matched, gold, pred, tys)
    if compare is not None:
        other = [pred_of(m) for m in _as_results(compare, records)]
        report["compare"] = {"b": score(gold, other, tys, n_resamples=0, seed=seed),
                             "paired": paired_bootstrap(gold, pred, other, tys, n_resamples=n_resamples,
                                                        seed=seed)}
        report["compare"]["b"].pop("ci", None)
    if out_dir is not None:
        from normcheck.evaluation.report import write_report

        report["files"] = {k: str(v) for k, v in write_report(report, Path(out_dir)).items()}
    return report


def score(gold: Sequence[DocGold], pred: Sequence[DocPred], types: Sequence[str], *,
          n_resamples: int = 1000, seed: int = 0) -> dict[str, Any]:
    conf, ok = calibration_items(gold, pred, types)
    out: dict[str, Any] = {
        "types": list(types),
        "coverage": {"n_documents": len(pred), "n_ok": sum(not p.abstained for p in pred),
                     "n_error": sum(p.status == "error" for p in pred),
                     "n_missing": sum(p.status == "missing" for p in pred)},
        "classification": classification(gold, pred, types),
        "ranking": ranking(gold, pred, types),
        "calibration": {"n": len(conf), "ece": expected_calibration_error(conf, ok),
                        "bins": reliability_bins(conf, ok)},
        "alarms": alarms(pred),
    }
    if n_resamples > 0:
        out["ci"] = bootstrap_ci(gold, pred, types, n_resamples=n_resamples, seed=seed)
    return out


def _clause_text(result: dict[str, Any] | None, art: tuple[int, int] | None, record: Record) -> str:
    if art is None:
        return ""
    texts = []
    for c in (result or {}).get("clauses") or []:
        a = (int(c["article"]), int(c.get("article_suffix") or 0)) if c.get("article") else article_key(c.get("id"))
        if a == art:
            texts.append(str(c.get("text") or ""))
    return "".join(texts)[:300]


def worst_errors(records: Sequence[Record], matched: Sequence[dict[str, Any] | None], gold: Sequence[DocGold],
                 pred: Sequence[DocPred], types: Sequence[str], limit: int = 15) -> dict[str, list[dict[str, Any]]]:
    """Most confident false alarms and the misses (abstentions first), with their text."""
    fps: list[dict[str, Any]] = []
    fns: list[dict[str, Any]] = []
    for rec, res, g, p in zip(records, matched, gold, pred, strict=True):
        predicted: dict[tuple[str, Any], dict[str, Any]] = {}
        for f in (res or {}).get("findings") or [] if not p.abstained else []:
            if f.get("type") in types:
                key = (f.get("type"), article_key(f.get("clause")))
                if key not in predicted or f.get("confidence", 0) > predicted[key].get("confidence", 0):
                    predicted[key] = f
        for key, f in predicted.items():
            if key not in g.positives:
                fps.append({"id": rec.id, "type": key[0], "clause": f.get("clause"),
                            "confidence": f.get("confidence"), "severity": f.get("severity"),
                            "message": f.get("message", ""), "text": _clause_text(res, key[1], rec),
                            "labelled_negative": key in g.negatives})
        notes = {(lab.type, article_key(lab.clause)): lab for lab in rec.labels}
        scores = dict(p.units)
        for key in sorted(g.positives - set(predicted), key=lambda k: (k[0], k[1] or (0, 0))):
            lab = notes.get(key)
            fns.append({"id": rec.id, "type": key[0], "clause": lab.clause if lab else None,
                        "status": p.status, "error": (res or {}).get("error"),
                        "score": scores.get(key[1]) if key[1] else None,
                        "note": lab.note if lab else None, "text": _clause_text(res, key[1], rec)})
    fps.sort(key=lambda d: -(d["confidence"] or 0.0))
    fns.sort(key=lambda d: (d["status"] == "ok", d["score"] if d["score"] is not None else -1.0))
    return {"false_positives": fps[:limit], "false_negatives": fns[:limit]}
