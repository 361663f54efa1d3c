"""Typed round trip for reports (issue 11: reports take the typed Result) and rank's placement of
findings on clauses (issue 18: a document-level finding is shown once and raises no clause's score)."""

from __future__ import annotations

import json

import pytest

from normcheck.rank.score import place
from normcheck.report.jsonl import load_result, to_line
from normcheck.types.findings import Result
from tests.report_factories import finding, make_doc, result_for

DOC = make_doc("某市测试管理办法", [
    ["为了测试，制定本办法。"],
    ["第一款内容，应当登记。", "第二款内容，处以罚款。"],
    ["本条内容。"],
    ["本办法自2026年1月1日起施行。"],
])


def _spanning() -> Result:
    """A leaf finding, an article-level finding on a two-paragraph article, and a document-level
    finding whose span covers articles 2 to 4 (like 编号不连续：缺少第二章 on a whole chapter)."""
    a2, a4 = DOC.clause("第二条"), DOC.clause("第四条")
    return result_for(DOC, [
        finding("第三条", DOC.clause("第三条").start, DOC.clause("第三条").end, type="penalty_setting"),
        finding("第二条", a2.start, a2.end, type="drafting", severity="low", confidence=0.7),
        finding(None, a2.start, a4.end, type="drafting", severity="low", confidence=0.95, message="缺少第二章"),
    ])


def _extras(r: Result) -> Result:
    r.findings[0].rule = "authority.penalty"
    r.findings[0].details = {"reason": "x", "nested": {"a": [1, 2]}}
    r.document.kind_reason = "推断理由"
    r.document.date = "2024-11-20"
    r.notes = ["[E101] 无语料库"]
    return r


@pytest.mark.parametrize("make", [
    lambda: result_for(DOC, []),
    _spanning,
    lambda: _extras(_spanning()),
    lambda: result_for(DOC, [], error={"code": "E005", "message": "坏文件"}),
], ids=["clean", "spanning", "extras", "failed"])
def test_from_dict_round_trip_is_byte_identical(make: object) -> None:
    r = make()  # type: ignore[operator]
    line = to_line(r)
    back = Result.from_dict(json.loads(line))
    assert to_line(back) == line
    assert to_line(load_result(line)) == line


def test_from_dict_unplaced_until_rank_places() -> None:
    r = _spanning()
    back = Result.from_dict(r.to_dict())
    assert not back.placed
    with pytest.raises(ValueError, match="place"):
        back.findings_by_section()
    place(back)
    assert back.placed and back.findings_by_section() == r.findings_by_section()
    assert [c.findings for c in back.clauses] == [c.findings for c in r.clauses]


def test_schema_version_checked() -> None:
    with pytest.raises(ValueError, match="schema_version"):
        Result.from_dict({**result_for(DOC, []).to_dict(), "schema_version": 99})


def test_each_finding_once_document_level_apart_issue18() -> None:
    r = _spanning()
    loose, per = r.findings_by_section()
    assert loose == [2]  # the chapter-wide finding is document-level
    assert per == {"第二条第一款": [1], "第三条": [0]}  # the article finding shown at its first paragraph
    shown = loose + [i for ks in per.values() for i in ks]
    assert sorted(shown) == list(range(len(r.findings)))


def test_document_level_finding_raises_no_clause_score_issue18() -> None:
    with_doc = _spanning()
    without = result_for(DOC, _spanning().findings[:2])
    assert [c.score for c in with_doc.clauses] == [c.score for c in without.clauses]
    assert [c.rank for c in with_doc.clauses] == [c.rank for c in without.clauses]
    assert with_doc.priority >= without.priority  # it still counts for the document
    assert all(2 not in (c.findings or []) for c in with_doc.clauses)


def test_unnamed_finding_inside_one_clause_stays_on_it() -> None:
    c3 = DOC.clause("第三条")
    r = result_for(DOC, [finding(None, c3.start + 1, c3.start + 3)])
    assert r.findings_by_section() == ([], {"第三条": [0]})
