"""Metrics against hand-computed values on tiny datasets (issue 8)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from normcheck.evaluation.metrics import (
    DocGold,
    DocPred,
    PredFinding,
    alarms,
    average_precision,
    bootstrap_ci,
    calibration_items,
    classification,
    expected_calibration_error,
    ndcg_at_k,
    paired_bootstrap,
    precision_at_k,
    precision_at_recall,
    ranking,
    recall_at_k,
)

OUT, PEN = "outdated_reference", "penalty_setting"
TYPES = [OUT, PEN]


def gold(*pos: tuple[str, tuple[int, int] | None]) -> DocGold:
    return DocGold(positives=set(pos))


def pred(*findings: tuple[str, tuple[int, int] | None, float], units: list | None = None,
         status: str = "ok", severity: str = "high") -> DocPred:
    fs = [PredFinding(t, a, c, severity) for t, a, c in findings]
    return DocPred(status=status, findings=fs, units=units or [], n_articles=len(units or []))


# ------------------------------------------------------------ ranking primitives

@pytest.mark.parametrize(
    ("rel", "n_pos", "ap", "p_at_r80", "ndcg"),
    [
        ([1, 0, 1, 0], 2, (1 + 2 / 3) / 2, 2 / 3, (1 + 0.5) / (1 + 1 / math.log2(3))),
        ([1, 0, 1, 0], 3, (1 + 2 / 3) / 3, 0.0, (1 + 0.5) / (1 + 1 / math.log2(3) + 0.5)),  # one never ranked
        ([1, 1, 0], 2, 1.0, 1.0, 1.0),  # all right
        ([0, 0, 0], 2, 0.0, 0.0, 0.0),  # all wrong
        ([], 2, 0.0, 0.0, 0.0),  # empty predictions
        ([0, 1], 1, 0.5, 0.5, 1 / math.log2(3)),
    ],
)
def test_ranking_primitives(rel: list[int], n_pos: int, ap: float, p_at_r80: float, ndcg: float) -> None:
    r = np.array(rel, dtype=float)
    assert average_precision(r, n_pos) == pytest.approx(ap)
    assert precision_at_recall(r, n_pos, 0.8) == pytest.approx(p_at_r80)
    assert ndcg_at_k(r, n_pos, 10) == pytest.approx(ndcg)


@pytest.mark.parametrize(("rel", "k", "p", "r"), [
    ([1, 0, 1, 0], 1, 1.0, 0.5), ([1, 0, 1, 0], 2, 0.5, 0.5), ([1, 0, 1, 0], 3, 2 / 3, 1.0),
    ([1, 0, 1, 0], 5, 0.4, 1.0),  # k beyond the list still divides by k
    ([], 3, 0.0, 0.0),
])
def test_precision_recall_at_k(rel: list[int], k: int, p: float, r: float) -> None:
    assert precision_at_k(np.array(rel), k) == pytest.approx(p)
    assert recall_at_k(np.array(rel), k, 2) == pytest.approx(r)


def test_undefined_without_positives() -> None:
    assert average_precision(np.array([0, 1]), 0) is None
    assert recall_at_k(np.array([1]), 1, 0) is None
    with pytest.raises(ValueError):
        precision_at_k(np.array([1]), 0)


def test_precision_at_recall_takes_best_cutoff() -> None:
    # recall 1/2 at pos 1 (p=1), 1 at pos 4 (p=1/2); at 90% only the later cutoff counts
    rel = np.array([1, 0, 0, 1])
    assert precision_at_recall(rel, 2, 0.9) == pytest.approx(0.5)
    assert precision_at_recall(rel, 2, 0.5) == pytest.approx(1.0)


# ------------------------------------------------------------ pooled ranking, ties, abstentions

@pytest.mark.parametrize(("positive_doc", "positive_art", "aupr"), [
    (1, (1, 0), 1 / 3),  # ties: doc 0 comes first in document order, so doc 1's unit is third
    (0, (2, 0), 1 / 2),  # within a document, position breaks the tie
    (0, (1, 0), 1.0),
])
def test_pooled_ties_broken_by_document_order(positive_doc: int, positive_art: tuple[int, int],
                                              aupr: float) -> None:
    g = [DocGold(), DocGold()]
    g[positive_doc] = gold((OUT, positive_art))
    p = [pred(units=[((1, 0), 0.5), ((2, 0), 0.5)]), pred(units=[((1, 0), 0.5)])]
    r = ranking(g, p, TYPES)
    assert r["aupr"] == pytest.approx(aupr)
    assert r["n_units"] == 3


def test_ranking_article_takes_best_clause_score_and_abstentions_are_misses() -> None:
    g = [gold((OUT, (2, 0))), gold((PEN, (1, 0)))]
    # doc 0: article 2 has clauses 0.1 and 0.95 -> article score 0.95 (ranked first)
    p = [pred(units=[((1, 0), 0.5), ((2, 0), 0.1), ((2, 0), 0.95)]), pred(status="error")]
    r = ranking(g, p, TYPES)
    assert r["n_positives"] == 2
    assert r["aupr"] == pytest.approx(0.5)  # 1/1 for the first, 0 for the unretrievable one
    assert r["recall@5"] == pytest.approx(0.5)
    assert r["precision@5"] == pytest.approx(0.2)
    assert r["map"] == pytest.approx(0.5)  # doc 0: 1.0, doc 1 (error): 0.0
    assert r["ndcg@10"] == pytest.approx(0.5)
    assert r["precision@recall80"] == 0.0


# ------------------------------------------------------------ classification

def _example() -> tuple[list[DocGold], list[DocPred]]:
    g = [gold((OUT, (2, 0)), (PEN, (5, 0))), gold((OUT, (1, 0))), gold()]
    p = [pred((OUT, (2, 0), 0.9), (OUT, (3, 0), 0.7), (PEN, None, 0.5)),
         pred(status="error"),
         pred((OUT, (1, 0), 0.4), ("drafting", (1, 0), 0.99))]  # drafting is not scored here
    return g, p


def test_classification_hand_computed() -> None:
    g, p = _example()
    c = classification(g, p, TYPES)
    cl, doc = c["clause"], c["document"]
    assert (cl["per_type"][OUT]["tp"], cl["per_type"][OUT]["fp"], cl["per_type"][OUT]["fn"]) == (1, 2, 1)
    assert cl["per_type"][OUT]["precision"] == pytest.approx(1 / 3)
    assert cl["per_type"][OUT]["recall"] == pytest.approx(1 / 2)
    assert cl["per_type"][OUT]["f1"] == pytest.approx(0.4)
    assert (cl["per_type"][PEN]["tp"], cl["per_type"][PEN]["fp"], cl["per_type"][PEN]["fn"]) == (0, 1, 1)
    assert cl["per_type"][PEN]["f1"] == 0.0
    assert cl["micro"]["precision"] == pytest.approx(0.25)
    assert cl["micro"]["recall"] == pytest.approx(1 / 3)
    assert cl["micro"]["f1"] == pytest.approx(2 / 7)
    assert cl["macro"]["f1"] == pytest.approx(0.2)
    # lenient document level: doc 0 gets both types right, doc 1 (error) misses, doc 2 is a false alarm
    assert doc["per_type"][OUT]["f1"] == pytest.approx(0.5)
    assert doc["per_type"][PEN]["f1"] == pytest.approx(1.0)
    assert doc["micro"]["f1"] == pytest.approx(2 / 3)
    assert doc["macro"]["f1"] == pytest.approx(0.75)


@pytest.mark.parametrize(("case", "p", "r", "f1"), [
    ("empty", None, 0.0, 0.0),
    ("all_missing", None, 0.0, 0.0),
    ("all_right", 1.0, 1.0, 1.0),
    ("all_wrong", 0.0, 0.0, 0.0),
])
def test_classification_edge_cases(case: str, p: float | None, r: float, f1: float) -> None:
    g = [gold((OUT, (1, 0))), gold((OUT, (3, 0)), (OUT, (4, 0)))]
    preds = {
        "empty": [pred(), pred()],
        "all_missing": [DocPred(status="missing"), DocPred(status="error")],
        "all_right": [pred((OUT, (1, 0), 0.9)), pred((OUT, (3, 0), 0.8), (OUT, (4, 0), 0.7))],
        "all_wrong": [pred((OUT, (2, 0), 0.9)), pred((PEN, (3, 0), 0.8))],
    }[case]
    m = classification(g, preds, TYPES)["clause"]["micro"]
    assert m["precision"] == (pytest.approx(p) if p is not None else None)
    assert m["recall"] == pytest.approx(r)
    assert m["f1"] == pytest.approx(f1)


def test_no_positives_no_predictions_is_undefined() -> None:
    m = classification([DocGold()], [pred()], TYPES)["clause"]
    assert m["micro"]["f1"] is None and m["macro"]["f1"] is None


def test_misaligned_inputs_raise() -> None:
    with pytest.raises(ValueError, match="aligned"):
        classification([DocGold()], [], TYPES)


# ------------------------------------------------------------ calibration and alarms

def test_ece_hand_computed() -> None:
    g, p = _example()
    conf, ok = calibration_items(g, p, TYPES)
    assert sorted(zip(conf.tolist(), ok.tolist(), strict=True)) == [(0.4, 0.0), (0.5, 0.0), (0.7, 0.0), (0.9, 1.0)]
    assert expected_calibration_error(conf, ok) == pytest.approx((0.1 + 0.7 + 0.5 + 0.4) / 4)
    # two predictions in one bin average before the gap is taken
    assert expected_calibration_error(np.array([0.81, 0.89]), np.array([1.0, 0.0])) == pytest.approx(0.35)
    assert expected_calibration_error(np.array([1.0]), np.array([1.0])) == pytest.approx(0.0)
    assert expected_calibration_error(np.array([]), np.array([])) is None


def test_alarms_per_100_articles_skip_abstentions() -> None:
    p = [pred((OUT, (1, 0), 0.9), (PEN, (2, 0), 0.9, ), units=[((i, 0), 0.1) for i in range(1, 9)]),
         pred((OUT, (1, 0), 0.9), units=[((1, 0), 0.1), ((2, 0), 0.2)], severity="low"),
         DocPred(status="error")]
    a = alarms(p)
    assert (a["n_articles"], a["n_high"], a["n_findings"]) == (10, 2, 3)
    assert a["high_per_100_articles"] == pytest.approx(20.0)
    assert a["findings_per_100_articles"] == pytest.approx(30.0)


# ------------------------------------------------------------ bootstrap and paired test

def _many(n: int, right: bool) -> tuple[list[DocGold], list[DocPred]]:
    g = [gold((OUT, (1, 0))) for _ in range(n)]
    p = [pred((OUT, (1, 0) if right or i % 3 == 0 else (2, 0), 0.8), units=[((1, 0), 0.9 if right else 0.1),
                                                                            ((2, 0), 0.5)])
         for i in range(n)]
    return g, p


def test_bootstrap_is_seeded_and_brackets_the_point() -> None:
    g, p = _many(20, right=False)
    a = bootstrap_ci(g, p, TYPES, n_resamples=200, seed=1)
    b = bootstrap_ci(g, p, TYPES, n_resamples=200, seed=1)
    assert a == b
    f = a["clause_micro_f1"]
    assert f["lo"] <= f["value"] <= f["hi"]
    assert f["lo"] < f["hi"]


def test_paired_test_identical_and_clearly_different() -> None:
    g, good = _many(30, right=True)
    _, bad = _many(30, right=False)
    same = paired_bootstrap(g, good, good, TYPES, n_resamples=200)
    assert same["clause_micro_f1"]["delta"] == 0.0 and not same["clause_micro_f1"]["significant"]
    diff = paired_bootstrap(g, good, bad, TYPES, n_resamples=200)
    assert diff["clause_micro_f1"]["delta"] > 0.5
    assert diff["clause_micro_f1"]["significant"] and diff["clause_micro_f1"]["p_value"] < 0.05
    assert diff["aupr"]["significant"]
