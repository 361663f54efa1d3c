"""Attention scores and ranks (issue 7)."""

from __future__ import annotations

import dataclasses
import itertools

import pytest

from normcheck.rank.score import (
    RankParams,
    calibrate,
    clause_features,
    document_priority,
    load_params,
    prior,
    raw_scores,
    score_clauses,
)
from tests.report_factories import finding, make_doc, result_for

# the raw combination, whatever knots are shipped (they are fitted: scripts/calibrate_rank.py)
RAW = dataclasses.replace(load_params(), knots=((0.0, 0.0), (1.0, 1.0)))

DOC = make_doc("某市测试办法", [
    ["为了测试，制定本办法。"],
    ["第一款文字。", ("第二款有下列情形：", ["情形一", "情形二"])],
    ["违反规定的，处以一万元罚款。"],
    ["本办法自2026年1月1日起施行。"],
])


def test_clause_ids_and_ancestry() -> None:
    cs = score_clauses(DOC, [])
    # 第二条第二款's lead-in ("第二款有下列情形：") is a clause of its own, before its items
    assert [c.id for c in cs] == ["第一条", "第二条第一款", "第二条第二款", "第二条第二款第（一）项",
                                  "第二条第二款第（二）项", "第三条", "第四条"]
    assert cs[2].text == "第二款有下列情形：" and (cs[2].paragraph, cs[2].item) == (2, None)
    item = cs[3]
    assert (item.article, item.paragraph, item.item) == (2, 2, 1)
    assert (cs[0].article, cs[0].paragraph, cs[0].item) == (1, None, None)  # a one-paragraph article is its own leaf
    for c in cs:
        assert DOC.original[c.start:c.end] == c.text


@pytest.mark.parametrize(("sev", "conf", "expected"), [
    ("high", 0.9, 0.9), ("medium", 0.5, 0.3), ("low", 1.0, 0.3), ("high", 0.0, 0.0),
])
def test_single_finding_score(sev: str, conf: float, expected: float) -> None:
    node = DOC.clause("第一条")  # no keyword features
    assert prior(DOC.node_text(node)) == 0.0
    cs = score_clauses(DOC, [finding("第一条", node.start, node.end, severity=sev, confidence=conf)], RAW)
    assert cs[0].score == pytest.approx(expected)


def test_findings_combine_noisy_or() -> None:
    node = DOC.clause("第一条")
    fs = [finding("第一条", severity="high", confidence=0.5), finding("第一条", severity="medium", confidence=0.5)]
    assert score_clauses(DOC, fs, RAW)[0].score == pytest.approx(1 - 0.5 * 0.7)
    assert node is not None


def test_prior_from_keywords_without_findings() -> None:
    cs = {c.id: c for c in score_clauses(DOC, [], RAW)}
    assert "penalty" in clause_features(cs["第三条"].text)
    assert 0 < cs["第三条"].score <= load_params().prior_cap
    assert cs["第一条"].score == 0.0
    assert cs["第三条"].rank == 1  # the penalty clause is read first even with no finding


def test_ranks_ties_by_document_order() -> None:
    cs = score_clauses(DOC, [], RAW)
    zero = [c for c in cs if c.score == 0.0]
    assert [c.rank for c in zero] == sorted(c.rank for c in zero)
    assert sorted(c.rank for c in cs) == list(range(1, len(cs) + 1))


def test_article_level_finding_goes_to_its_leaves() -> None:
    art = DOC.clause("第二条")
    cs = {c.id: c for c in score_clauses(DOC, [finding("第二条", art.start, art.end)], RAW)}
    assert cs["第二条第一款"].score == pytest.approx(0.9)
    assert cs["第二条第二款第（二）项"].score == pytest.approx(0.9)
    assert cs["第一条"].score == 0.0


def test_finding_by_span_when_id_unknown() -> None:
    node = DOC.clause("第四条")
    cs = {c.id: c for c in score_clauses(DOC, [finding(None, node.start + 2, node.start + 5)], RAW)}
    assert cs["第四条"].rank == 1 and cs["第四条"].score == pytest.approx(0.9)


def test_document_priority_orders_documents() -> None:
    node = DOC.clause("第一条")
    bad = result_for(DOC, [finding("第一条", node.start, node.end)])
    worse = result_for(DOC, [finding("第一条", node.start, node.end), finding(None, 0, 0, severity="medium")])
    clean = result_for(DOC, [])
    failed = result_for(DOC, [], error={"code": "E001", "message": "x"})
    assert document_priority(failed) == 0.0
    assert 0 < clean.priority < bad.priority < worse.priority <= 1.0


@pytest.mark.parametrize(("raw", "knots", "expected"), [
    (0.5, [(0.0, 0.0), (1.0, 1.0)], 0.5),
    (0.25, [(0.0, 0.0), (0.5, 0.1), (1.0, 0.9)], 0.05),
    (0.75, [(0.0, 0.0), (0.5, 0.1), (1.0, 0.9)], 0.5),
    (1.5, [(0.0, 0.0), (1.0, 0.8)], 0.8),
])
def test_calibrate(raw: float, knots: list[tuple[float, float]], expected: float) -> None:
    assert calibrate(raw, knots) == pytest.approx(expected)


def test_params_validated() -> None:
    good = load_params()
    with pytest.raises(ValueError, match="knots"):
        dataclasses.replace(good, knots=((0.0, 0.5), (1.0, 0.2))).validate()
    with pytest.raises(ValueError, match="rank parameters"):
        RankParams.from_dict({"severity_weight": {}})
    custom = dataclasses.replace(good, knots=((0.0, 0.0), (1.0, 0.5)))
    node = DOC.clause("第一条")
    assert score_clauses(DOC, [finding("第一条", node.start, node.end)], custom)[0].score == pytest.approx(0.45)


def test_shipped_knots_monotone_in_unit_square() -> None:
    knots = load_params().knots
    xs = [x for x, _ in knots]
    ys = [y for _, y in knots]
    assert xs[0] == 0.0 and xs[-1] == 1.0
    assert all(b > a for a, b in itertools.pairwise(xs))
    assert all(b > a for a, b in itertools.pairwise(ys))  # strictly: calibration keeps every ranking
    assert all(0.0 <= y <= 1.0 for y in ys)
    assert ys[0] <= 0.1 and ys[-1] >= 0.5  # 0 -> about 0, a certain high finding -> at least even odds


def test_shipped_scores_are_calibrated_raw_scores() -> None:
    node = DOC.clause("第三条")
    fs = [finding("第三条", node.start, node.end, severity="medium", confidence=0.7)]
    raw = score_clauses(DOC, fs, RAW)
    shipped = score_clauses(DOC, fs)
    assert [c.score for c in shipped] == pytest.approx([calibrate(c.score) for c in raw])
    assert [c.rank for c in shipped] == [c.rank for c in raw]


def test_raw_scores_from_a_result_match_score_clauses() -> None:
    node = DOC.clause("第二条")
    fs = [finding("第二条", node.start, node.end, severity="high", confidence=0.6),
          finding(None, 0, 0, severity="low")]
    cs = score_clauses(DOC, fs, RAW)
    assert raw_scores(cs, fs) == pytest.approx([c.score for c in cs])
    assert raw_scores(cs, [])[0] == 0.0 and raw_scores(cs, [])[5] == pytest.approx(prior(cs[5].text))


def test_document_level_findings_calibrated_in_priority() -> None:
    halve = dataclasses.replace(load_params(), knots=((0.0, 0.0), (1.0, 0.5)), top_k=1)
    empty = make_doc("某市空白办法", [["为了测试，制定本办法。"]])
    res = result_for(empty, [finding(None, 0, 0, severity="high", confidence=0.8)])
    assert not any(c.score for c in score_clauses(empty, res.findings, halve))  # the finding is document-level
    res.clauses = score_clauses(empty, res.findings, halve)
    assert document_priority(res, halve) == pytest.approx(0.4)
