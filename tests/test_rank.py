"""Attention scores and ranks (issue 7)."""

from __future__ import annotations

import dataclasses

import pytest

from normcheck.rank import (
    RankParams,
    calibrate,
    clause_features,
    document_priority,
    load_params,
    prior,
    score_clauses,
)
from tests.report_factories import finding, make_doc, result_for

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
    cs = score_clauses(DOC, [finding("第一条", node.start, node.end, severity=sev, confidence=conf)])
    assert cs[0].score == pytest.approx(expected)


def test_findings_combine_noisy_or() -> None:
    node = DOC.clause("第一条")
    fs = [finding("第一条", severity="high", confidence=0.5), finding("第一条", severity="medium", confidence=0.5)]
    assert score_clauses(DOC, fs)[0].score == pytest.approx(1 - 0.5 * 0.7)
    assert node is not None


def test_prior_from_keywords_without_findings() -> None:
    cs = {c.id: c for c in score_clauses(DOC, [])}
    assert "penalty" in clause_features(cs["第三条"].text)
    assert 0 < cs["第三条"].score <= load_params().prior_cap
    assert cs["第一条"].score == 0.0
    assert cs["第三条"].rank == 1  # the penalty clause is read first even with no finding


def test_ranks_ties_by_document_order() -> None:
    cs = score_clauses(DOC, [])
    zero = [c for c in cs if c.score == 0.0]
    assert [c.rank for c in zero] == sorted(c.rank for c in zero)
    assert sorted(c.rank for c in cs) == list(range(1, len(cs) + 1))


def test_article_level_finding_goes_to_its_leaves() -> None:
    art = DOC.clause("第二条")
    cs = {c.id: c for c in score_clauses(DOC, [finding("第二条", art.start, art.end)])}
    assert cs["第二条第一款"].score == pytest.approx(0.9)
    assert cs["第二条第二款第（二）项"].score == pytest.approx(0.9)
    assert cs["第一条"].score == 0.0


def test_finding_by_span_when_id_unknown() -> None:
    node = DOC.clause("第四条")
    cs = {c.id: c for c in score_clauses(DOC, [finding(None, node.start + 2, node.start + 5)])}
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
