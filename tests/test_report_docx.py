"""Word output: one comment per finding on the right paragraph; 审查意见 draft; LibreOffice when present."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from normcheck.report.docx_report import annotate, opinion, write_docx, write_docx_reports
from normcheck.report.filters import ReportFilter
from normcheck.report.jsonl import to_line
from normcheck.types.findings import Evidence, Result
from tests.report_factories import finding, make_doc, result_for

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

DOC = make_doc("某市测试管理办法", [
    ["为了测试，制定本办法。"],
    ["第一款内容。", ("有下列情形之一的，处以罚款：", ["情形甲", "情形乙<script>x</script>"])],
    ["本办法自2026年1月1日起施行。"],
])


def _result() -> Result:
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


# ------------------------------------------------------------------ 审查意见 in house style (issue 18)


def _opinion_text(results: list[Result], **kw: object) -> str:
    wd = opinion(results, **kw)  # type: ignore[arg-type]
    return "\n".join(p.text for p in wd.paragraphs)


def _real_like() -> Result:
    """The sample draft's troublesome findings, rebuilt by hand: a status-only outdated reference, a
    count-only invalid reference, a 0.30 obligation hit, a consistency finding with its differences."""
    d = make_doc("某市共享单车管理办法", [
        ["押金管理依照《中华人民共和国合同法》第五十二条执行。"],
        ["运营企业应当建立电子围栏。"],
        ["违反本办法第九十条规定的，处一万元罚款。"],
        ["申请人应当提交本市户籍证明。"],
    ])
    c = {n: d.clause(n) for n in ("第一条", "第二条", "第三条", "第四条")}
    old = finding("第一条", c["第一条"].start, c["第一条"].end, type="outdated_reference", severity="medium",
                  message="引用的《中华人民共和国合同法》已于2021-01-01废止，已由《中华人民共和国民法典》取代",
                  basis="立法法第一百零七条")
    old.evidence = [Evidence("中华人民共和国合同法", None, "第五十二条", "已于2021-01-01废止"),
                    Evidence("中华人民共和国民法典", None, "", "现行有效的继受法律：《中华人民共和国民法典》")]
    bad = finding("第三条", c["第三条"].start, c["第三条"].end, type="invalid_reference", severity="medium",
                  confidence=0.8, message="内部引用本办法第九十条指向不存在的条文（本文件共四条）",
                  basis="立法技术规范")
    bad.evidence = [Evidence("某市共享单车管理办法", None, "", "本文件共四条")]
    duty = finding("第二条", c["第二条"].start, c["第二条"].end, type="rights_obligations", severity="low",
                   confidence=0.3, message="设定了义务", basis="立法法第九十三条第六款",
                   evidence_text="没有上位法依据，规章不得增加义务（测试用虚构文本）。")
    duty.evidence = [Evidence("中华人民共和国立法法", "2023-03-13", "第九十三条",
                              "没有上位法依据，规章不得增加义务（测试用虚构文本）。")]
    inc = finding("第四条", c["第四条"].start, c["第四条"].end, type="inconsistent_with_superior",
                  confidence=0.8, message="与某某法第九条的规定不一致：增加了上位法没有的条件：本市户籍",
                  basis="立法法第一百零七条第（二）项", evidence_text="申请人应当提交证明（测试用虚构文本）。")
    inc.details = {"differences": [{"note": "增加了上位法没有的条件：本市户籍"}],
                   "clause_marked": "申请人应当提交【本市户籍】证明。", "superior_marked": "申请人应当提交【】证明。"}
    return result_for(d, [old, duty, bad, inc])


def test_opinion_never_quotes_a_status_or_a_count() -> None:
    text = _opinion_text([_real_like()])
    assert "规定：“已于" not in text and "“已于" not in text
    assert "“本文件共" not in text and "“现行有效的继受法律" not in text
    quotes = re.findall(r"规定：“([^”]*)”", text)
    assert quotes and all("测试用虚构文本" in q for q in quotes)  # only provision texts are quoted


@pytest.mark.parametrize(("needle", "present"), [
    ("建议：建议", False),
    ("2021-01-01", False),
    ("2021年1月1日", True),
    ("2023年3月13日版本", True),
    ("2026年11月28日", True),
    ("《中华人民共和国立法法》第九十三条第六款（2023年3月13日版本）规定：“", True),  # the cited 款
    ("机器辅助审查结果，请审查人员复核", True),
    ("问题：", True), ("依据：", True), ("建议：", True),
    ("关于第一条", True), ("关于第四条", True),
])
def test_opinion_house_style(needle: str, present: bool) -> None:
    assert (needle in _opinion_text([_real_like()])) is present


def test_low_confidence_is_a_question_not_a_formal_suggestion() -> None:
    text = _opinion_text([_real_like()])
    sec = text[text.index("关于第二条"):text.index("关于第三条")]
    assert "请核实" in sec and "删除" not in sec and "（待核实）" in sec


def test_comparison_table_for_consistency_findings() -> None:
    wd = opinion([_real_like()])
    assert len(wd.tables) == 1
    rows = [[c.text for c in r.cells] for r in wd.tables[0].rows]
    assert rows[0] == ["本文件条文", "上位法条文", "差异"]
    assert rows[1][0] == "申请人应当提交【本市户籍】证明。"
    assert rows[1][1].startswith("《某某法》第十条：") and "【（无）】" in rows[1][1]
    assert rows[1][2] == "增加了上位法没有的条件：本市户籍"


@pytest.mark.parametrize(("kind", "basis"), [
    ("municipal_rule", "《法规规章备案审查条例》"),
    ("local_regulation", "《法规、司法解释备案审查工作办法》"),
    ("normative_document", "国办发〔2018〕37号"),
    (None, "文件类别未能识别"),
])
def test_review_basis_follows_the_kind(kind: str | None, basis: str) -> None:
    r = result_for(DOC, [])
    r.document.kind = kind
    assert basis in _opinion_text([r])


def test_caveat_always_present() -> None:
    for r in (result_for(DOC, []), result_for(DOC, [], error={"code": "E005", "message": "坏"}), _real_like()):
        assert "机器辅助审查结果，请审查人员复核" in _opinion_text([r])


def test_min_severity_and_confidence_filter_the_opinion() -> None:
    r = _real_like()
    text = _opinion_text([r], keep=ReportFilter.parse("medium", 0.5))
    assert "关于第二条" not in text and "另有一项未列入" in text
    assert "共三项问题" in text


def test_nested_title_marks() -> None:
    r = result_for(make_doc("某市实施《某某法》办法", [["内容。"]]), [])
    assert "关于《某市实施〈某某法〉办法》的审查意见" in _opinion_text([r])


def test_docx_counts_match_jsonl(tmp_path: Path) -> None:
    """Open the written files with python-docx: one comment per finding, each once; the opinion's
    count is the JSONL's."""
    results = [_real_like(), _result()]
    written = write_docx_reports(results, tmp_path / "out")
    lines = [json.loads(to_line(r)) for r in results]
    commented = [p for p in written if p.name.endswith(".批注.docx")]  # in input order
    assert len(commented) == 2
    for path, line in zip(commented, lines, strict=True):
        assert len(list(docx.Document(str(path)).comments)) == len(line["findings"])
    summary = "\n".join(p.text for p in docx.Document(str(tmp_path / "out" / "审查意见汇总.docx")).paragraphs)
    assert "共四项问题" in summary and "共三项问题" in summary
