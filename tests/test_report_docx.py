"""Word output: one comment per finding on the right paragraph; 审查意见 draft; LibreOffice when present."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from normcheck.report.docx_report import annotate, opinion, write_docx, write_docx_reports
from tests.report_factories import finding, make_doc, result_for

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

DOC = make_doc("某市测试管理办法", [
    ["为了测试，制定本办法。"],
    ["第一款内容。", ("有下列情形之一的，处以罚款：", ["情形甲", "情形乙<script>x</script>"])],
    ["本办法自2026年1月1日起施行。"],
])


def _result() -> object:
    item = DOC.clause("第二条第二款第（二）项")
    return result_for(DOC, [
        finding("第二条第二款第（二）项", item.start, item.end, message="设定了罚款"),
        finding("第三条", DOC.clause("第三条").start, DOC.clause("第三条").end, type="drafting", severity="low"),
        finding(None, 0, 0, type="outdated_reference", severity="medium", message="文件层面的问题"),
    ])


def commented_paragraphs(path: Path) -> list[str]:
    """Text of each paragraph that opens a comment range, one entry per comment."""
    d = docx.Document(str(path))
    out = []
    for p in d.paragraphs:
        for _ in p._p.iter(f"{W}commentRangeStart"):
            out.append(p.text)
    return out


def make_source_docx(path: Path) -> None:
    d = docx.Document()
    for line in DOC.original.splitlines():
        p = d.add_paragraph()
        p.add_run(line[:3])
        p.add_run(line[3:])  # several runs per paragraph, as in real Word files
    d.save(str(path))


@pytest.mark.parametrize("source", ["docx", "text"])
def test_one_comment_per_finding_on_its_clause(tmp_path: Path, source: str) -> None:
    res = _result()
    src = tmp_path / "draft.docx"
    if source == "docx":
        make_source_docx(src)
    out, op = write_docx(res, tmp_path / "out.docx", source=src if source == "docx" else None)
    d = docx.Document(str(out))
    comments = list(d.comments)
    assert len(comments) == 3
    assert "设定了罚款" in comments[1].text or any("设定了罚款" in c.text for c in comments)
    assert any("上位法：某某法（2021-01-22）第十条" in c.text for c in comments)
    anchored = commented_paragraphs(out)
    assert len(anchored) == 3
    assert "情形乙<script>x</script>" in anchored[1]
    assert "本办法自2026年1月1日起施行" in anchored[2]
    assert anchored[0] == "某市测试管理办法"  # the document-level finding sits on the title
    text = "\n".join(p.text for p in docx.Document(str(op)).paragraphs)
    for word in ("审查意见", "问题：设定了罚款", "依据：某法第十条", "建议："):
        assert word in text


def test_opinion_for_clean_and_failed_documents() -> None:
    clean = result_for(DOC, [])
    failed = result_for(DOC, [], error={"code": "E005", "message": "坏文件"})
    text = "\n".join(p.text for p in opinion([clean, failed]).paragraphs)
    assert "未发现明显的合法性问题" in text and "E005" in text


def test_batch_folder_output(tmp_path: Path) -> None:
    written = write_docx_reports([_result(), _result()], tmp_path / "out")
    names = sorted(p.name for p in written)
    assert "审查意见汇总.docx" in names and len(names) == 5


def test_annotate_unlocatable_clause_still_comments() -> None:
    res = result_for(DOC, [finding("第九条", 10_000, 10_010)])
    wd, n = annotate(res)
    assert n == 1 and "未能在原文中定位" in next(iter(wd.comments)).text


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice not installed; the PDF conversion check is skipped")
def test_libreoffice_opens_it(tmp_path: Path) -> None:
    out, _ = write_docx(_result(), tmp_path / "out.docx")
    assert SOFFICE
    subprocess.run([SOFFICE, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
                   capture_output=True, timeout=120, check=True)
    assert (tmp_path / "out.pdf").stat().st_size > 1000
    # and LibreOffice sees one comment (annotation) per finding
    subprocess.run([SOFFICE, "--headless", "--convert-to", "fodt", "--outdir", str(tmp_path), str(out)],
                   capture_output=True, timeout=120, check=True)
    assert (tmp_path / "out.fodt").read_text(encoding="utf-8").count("<office:annotation ") == 3
