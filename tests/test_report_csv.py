"""CSV report (issue 18): Chinese headers and labels, one row per finding (counts = JSONL), every
evidence item kept, the filter, formula guards."""

from __future__ import annotations

import csv
import io

import pytest

from normcheck.report.csv_report import COLUMNS, render_csv
from normcheck.report.filters import ReportFilter
from normcheck.types.findings import Evidence, Result
from tests.report_factories import finding, make_doc, result_for
from tests.test_report_html import batch


def _rows(results: list[Result], keep: ReportFilter | None = None) -> list[dict[str, str]]:
    text = render_csv(results, keep or ReportFilter())
    return list(csv.DictReader(io.StringIO(text)))


def test_headers_are_chinese() -> None:
    header = render_csv([]).splitlines()[0]
    assert header.startswith("文件序号（按优先级）,文件优先级（0～1）,")
    assert all(not h.isascii() or h == "SHA-256" for _, h in COLUMNS)
    assert "条款阅读顺序（1为最先）" in header and "条款关注度（0～1）" in header


def test_one_row_per_finding_counts_match_jsonl() -> None:
    results = batch()
    rows = _rows(results)
    for r in results:
        mine = [x for x in rows if x["文件路径"] == r.document.path]
        assert len(mine) == max(1, len(r.to_dict()["findings"])), r.document.path
    spanning = [x for x in rows if x["文件标题"] == "某市另一管理办法"]
    assert {x["条款"] for x in spanning} == {"（全文）", "第三条"}


@pytest.mark.parametrize(("column", "value"), [
    ("文件类别", "设区的市政府规章"), ("类别代码", "municipal_rule"), ("问题类型", "引用已失效或已修改的规定"),
    ("类型代码", "outdated_reference"), ("严重程度", "中"), ("上位法依据条数", "2"),
])
def test_labels(column: str, value: str) -> None:
    rows = [x for x in _rows(batch()) if x["类型代码"] == "outdated_reference"]
    assert rows[0][column] == value


def test_all_evidence_items_kept_issue18() -> None:
    d = make_doc("某办法", [["内容。"]])
    f = finding("第一条", 0, 3, type="outdated_reference")
    f.evidence = [Evidence("某法", "2010-01-01", "第五条", "旧条文。"),
                  Evidence("某法", "2020-01-01", "第六条", "新条文。")]
    cell = _rows([result_for(d, [f])])[0]["上位法依据（全部）"]
    assert cell == "①某法（2010-01-01）第五条：旧条文。\n②某法（2020-01-01）第六条：新条文。"


def test_status_evidence_marked_as_note() -> None:
    rows = [x for x in _rows(batch()) if x["类型代码"] == "outdated_reference"]
    assert rows[0]["上位法依据（全部）"].startswith("①某某法（说明）：已于2021-01-01废止\n②某某新法（说明）：")


def test_filter() -> None:
    rows = _rows(batch(), ReportFilter.parse(None, 0.6))
    assert all(float(x["置信度（0～1）"]) >= 0.6 for x in rows if x["置信度（0～1）"])


def test_csv_guards_formulas() -> None:
    res = Result.from_dict({"document": {"path": "=cmd|'/c calc'!A1", "title": "+x"}, "clauses": [],
                            "priority": 0.5, "error": None,
                            "findings": [{"type": "drafting", "clause": None, "message": "-1", "basis": "@b",
                                          "start": 0, "end": 0, "severity": "low", "confidence": 0.5,
                                          "evidence": []}]})
    row = _rows([res])[0]
    assert row["文件路径"].startswith("'=") and row["文件标题"] == "'+x" and row["问题"] == "'-1"
