"""HTML report: escaping, structure, and (when chromium is installed) a real headless browser (issue 7)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from normcheck.report.html import render_html, write_html
from normcheck.types.findings import Result
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
    write_html([r.to_dict() for r in sample_results()], out)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]


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
    assert re.search(r'<div class="finding sev-high" data-type="penalty_setting" hidden', dom)
    assert not re.search(r'data-type="drafting" hidden', dom)
    # only flagged clauses: unflagged ones are hidden
    dom = dump_dom(page, "#click=f-penalty_setting,f-drafting,only-flagged")
    body = re.search(r"<body[^>]*>", dom)
    assert body and 'data-shown="1"' in body.group(0)
    visible = re.findall(r'<li class="clause[^"]*"(?![^>]*hidden)[^>]*>', dom)
    assert len(visible) == 1 and "flagged" in visible[0]
