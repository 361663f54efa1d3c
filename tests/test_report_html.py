"""HTML report: escaping, structure, and (when chromium is installed) a real headless browser (issue 7)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from normcheck.report.filters import ReportFilter
from normcheck.report.html import render_html, write_html
from normcheck.report.jsonl import load_result
from normcheck.types.findings import Evidence, Result
from tests.report_factories import finding, make_doc, result_for

EVIL = "<script>document.body.setAttribute('data-pwned','1')</script>"
EVIL_IMG = "<img src=x onerror=\"document.body.setAttribute('data-pwned','2')\">"


def sample_results() -> list[Result]:
    d1 = make_doc("某市测试管理办法", [
        ["为了测试，制定本办法。"],
        ["违反本办法的，处以五万元罚款，并吊销许可证。"],
        [f"草稿中混入的代码{EVIL}{EVIL_IMG}不得执行。"],
        ["本办法自2026年1月1日起施行。"],
    ])
    c3 = d1.clause("第三条")
    r1 = result_for(d1, [
        finding("第二条", d1.original.index("处以"), d1.original.index("，并吊销"), type="penalty_setting",
                message="设定了吊销许可证"),
        finding("第三条", c3.start, c3.end, type="rights_obligations", severity="medium", confidence=0.6,
                message=f"消息里也有{EVIL}", evidence_text=f"上位条文{EVIL_IMG}"),
    ], path="/drafts/a.txt")
    d2 = make_doc(f"另一办法{EVIL}", [["应当登记。"], ["第二条内容。"]])
    r2 = result_for(d2, [finding("第二条", type="drafting", severity="low", confidence=0.5)], path="/drafts/b.txt")
    d3 = make_doc("坏文件", [["x"]])
    r3 = result_for(d3, [], path="/drafts/c.docx", error={"code": "E005", "message": "not a docx"})
    return [r2, r3, r1]


def test_text_is_escaped_and_page_is_self_contained() -> None:
    page = render_html(sample_results())
    assert EVIL not in page and EVIL_IMG not in page
    assert "&lt;script&gt;document.body.setAttribute" in page
    assert page.count("<script>") == 1  # ours only
    assert not re.search(r'(src|href)="(https?:)?//', page)  # no external assets
    assert "Content-Security-Policy" in page


def test_documents_by_priority_clauses_in_order() -> None:
    page = render_html(sample_results())
    assert page.index("某市测试管理办法") < page.index("另一办法") < page.index("坏文件")
    sec = page[page.index('id="doc-1"'):page.index('id="doc-2"')]
    assert sec.index("第一条") < sec.index("第二条") < sec.index("第三条")
    assert "<mark>处以五万元罚款</mark>" in sec
    assert "上位条文" in sec and "无法处理" in page


def test_write_html_atomic(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    write_html([load_result(r.to_dict()) for r in sample_results()], out)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]


def spanning_result() -> Result:
    """A document-level finding spanning three articles and an outdated reference whose evidence is a
    status note, not provision text."""
    d = make_doc("某市另一管理办法", [["第一条内容。"], ["第二条内容。"], ["第三条内容。"], ["第四条内容。"]])
    a2, a4 = d.clause("第二条"), d.clause("第四条")
    old = finding("第三条", d.clause("第三条").start, d.clause("第三条").end, type="outdated_reference",
                  severity="medium", message="引用的《某某法》已于2021-01-01废止")
    old.evidence = [Evidence("某某法", None, "第五十二条", "已于2021-01-01废止"),
                    Evidence("某某新法", None, "", "现行有效的继受法律：《某某新法》")]
    return result_for(d, [old, finding(None, a2.start, a4.end, type="drafting", severity="low",
                                       confidence=0.95, message="编号不连续：缺少第二章")], path="/drafts/d.txt")


def batch() -> list[Result]:
    return [*sample_results(), spanning_result()]


def test_each_finding_once_and_counts_match_jsonl_issue18() -> None:
    results = batch()
    page = render_html(results)
    total = sum(len(r.to_dict()["findings"]) for r in results)
    assert page.count('<div class="finding ') == total == 5
    assert f'问题共 <span id="total">{total}</span> 条' in page
    sec = page[page.index("某市另一管理办法"):]
    assert sec.count("缺少第二章") == 1 and sec.index("全文问题") < sec.index("缺少第二章") < sec.index("第一条内容")


def test_chinese_labels_and_legend_issue18() -> None:
    page = render_html(batch())
    body = re.sub(r"<(style|script)>.*?</\1>", " ", page, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", body)  # what a reader sees (attributes, style and script left out)
    for code in ("municipal_rule", "penalty_setting", "outdated_reference", "high", "medium"):
        assert code not in text, code
    for word in ("设区的市政府规章", "超越权限设定行政处罚", "图例", "阅读顺序", "关注度", "优先级", "置信度",
                 "机器辅助审查结果，请审查人员复核"):
        assert word in text, word


def test_status_evidence_is_a_note_not_provision_text() -> None:
    page = render_html([spanning_result()])
    assert "说明：《某某法》已于2021-01-01废止" in page
    assert '<div class="superior"><b>某某法 第五十二条</b>' not in page


def test_filter_leaves_out_and_says_so() -> None:
    page = render_html(batch(), keep=ReportFilter.parse("medium"))
    assert page.count('<div class="finding ') == 3  # the two low drafting findings left out
    assert "未显示 2 条" in page and '问题共 <span id="total">5</span> 条' in page


def test_typed_and_read_back_results_render_the_same() -> None:
    results = batch()
    assert render_html(results) == render_html([load_result(r.to_dict()) for r in results])


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def dump_dom(page: Path, fragment: str = "") -> str:
    assert CHROMIUM
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
           "--virtual-time-budget=3000", "--dump-dom", page.as_uri() + fragment]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=True).stdout


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install chromium); "
                    "the browser check of the HTML report is skipped")
def test_in_headless_chromium(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    write_html(sample_results(), page)
    dom = dump_dom(page)
    body = re.search(r"<body[^>]*>", dom)
    assert body and 'data-ready="1"' in body.group(0), "the page script did not run"
    assert "data-pwned" not in body.group(0), "a <script> from the document ran"
    assert 'data-shown="3"' in body.group(0)
    assert "<script>document.body" not in dom and "&lt;script&gt;document.body" in dom
    # untick penalty_setting: its finding is hidden, the count drops, the other types stay
    dom = dump_dom(page, "#click=f-penalty_setting")
    body = re.search(r"<body[^>]*>", dom)
    assert body and 'data-shown="2"' in body.group(0)
    assert re.search(r'<div class="finding sev-high" data-type="penalty_setting" data-n="\d+" hidden', dom)
    assert not re.search(r'data-type="drafting" hidden', dom)
    # only flagged clauses: unflagged ones are hidden
    dom = dump_dom(page, "#click=f-penalty_setting,f-drafting,only-flagged")
    body = re.search(r"<body[^>]*>", dom)
    assert body and 'data-shown="1"' in body.group(0)
    visible = re.findall(r'<li class="clause[^"]*"(?![^>]*hidden)[^>]*>', dom)
    assert len(visible) == 1 and "flagged" in visible[0]
