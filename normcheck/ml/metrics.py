"""Classification metrics (plain Python): accuracy, macro-F1, per-class precision/recall/F1."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def classification_metrics(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict[str, Any]:
    """``{"n", "accuracy", "macro_f1", "per_class": {label: {precision, recall, f1, support}},
    "confusion": {gold: {pred: n}}}``; macro-F1 averages the labels that occur in gold or pred."""
    if len(gold) != len(pred):
        raise ValueError(f"gold and pred differ in length ({len(gold)} != {len(pred)})")
    unknown = (set(gold) | set(pred)) - set(labels)
    if unknown:
        raise ValueError(f"labels {sorted(unknown)} are not among {list(labels)}")
    conf = {g: {p: 0 for p in labels} for g in labels}
    for g, p in zip(gold, pred, strict=True):
        conf[g][p] += 1
    per: dict[str, dict[str, float | int]] = {}
    f1s = []
    for lab in labels:
        tp = conf[lab][lab]
        n_pred = sum(conf[g][lab] for g in labels)
        n_gold = sum(conf[lab].values())
        prec = tp / n_pred if n_pred else 0.0
        rec = tp / n_gold if n_gold else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per[lab] = {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4), "support": n_gold}
        if n_gold or n_pred:
            f1s.append(f1)
    n = len(gold)
    return {
        "n": n,
        "accuracy": round(sum(conf[lab][lab] for lab in labels) / n, 4) if n else 0.0,
        "macro_f1": round(sum(f1s) / len(f1s), 4) if f1s else 0.0,
        "per_class": per,
        "confusion": conf,
    }
