"""Segmentation: structures, IDs, drafting issues, goldens, CLI (issue 2).

Golden files: ``tests/golden/*.txt|*.md`` (documents written for these tests, not law text) with the
expected structure in ``<name>.json``. Regenerate with ``UPDATE_GOLDEN=1 pytest tests/test_segment.py``
and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from normcheck import segment
from normcheck.checks import CheckContext, load_builtin
from normcheck.checks.drafting import drafting_issues
from normcheck.cli.render import document_to_dict
from normcheck.structure.load import read_document
from normcheck.structure.segment import segment_text
from normcheck.types.document import NodeKind
from normcheck.types.findings import FindingType, Severity

GOLDEN = Path(__file__).parent / "golden"
GOLDEN_FILES = sorted(p for p in GOLDEN.iterdir() if p.suffix in (".txt", ".md"))


def ids(text: str, fmt: str | None = None) -> list[str]:
    doc = segment_text(text, fmt=fmt)
    return [n.id for n in doc.root.walk() if n.id]


CASES = [
    ("single article", "第一条　本办法适用于本市。", ["第一条"]),
    ("two paragraphs", "第一条　甲。\n乙。", ["第一条", "第一条第一款", "第一条第二款"]),
    ("items on one paragraph", "第二条　下列：\n（一）甲；\n（二）乙。",
     ["第二条", "第二条第（一）项", "第二条第（二）项"]),
    ("half-width parens", "第二条　下列：\n(一)甲；\n(二)乙。", ["第二条", "第二条第（一）项", "第二条第（二）项"]),
    ("dun items", "第二条　下列：\n一、甲；\n二、乙。", ["第二条", "第二条第（一）项", "第二条第（二）项"]),
    ("items in second paragraph", "第三条　甲。\n下列：\n（一）乙；\n（二）丙。",
     ["第三条", "第三条第一款", "第三条第二款", "第三条第二款第（一）项", "第三条第二款第（二）项"]),
    ("sub-items", "第四条　下列：\n（一）甲：\n1.子一；\n2.子二。",
     ["第四条", "第四条第（一）项", "第四条第（一）项第1目", "第四条第（一）项第2目"]),
    ("paren sub-items", "第四条　下列：\n（一）甲：\n（1）子一；\n（2）子二。",
     ["第四条", "第四条第（一）项", "第四条第（一）项第1目", "第四条第（一）项第2目"]),
    ("之一", "第十条　甲。\n第十条之一　乙。", ["第十条", "第十条之一"]),
    ("arabic article numbers", "第1条　甲。\n第2条　乙。", ["第一条", "第二条"]),
    ("full-width arabic", "第１条　甲。\n第２条　乙。", ["第一条", "第二条"]),
    ("leading spaces", "   第一条 甲。\n\u3000\u3000第二条 乙。", ["第一条", "第二条"]),
    ("mid-line article", "第一条　甲。第二条　乙。", ["第一条", "第二条"]),
    ("mid-line reference is not an article", "第一条　甲。第五条 另有规定的除外。", ["第一条"]),
    ("reference at line start", "第一条　甲。\n第一条的规定适用于乙。", ["第一条", "第一条第一款", "第一条第二款"]),
    ("inline items after colon", "第一条　下列：（一）甲；（二）乙。",
     ["第一条", "第一条第（一）项", "第一条第（二）项"]),
    ("decision points", "关于某事的决定\n一、甲。\n二、乙：\n（一）丙；\n（二）丁。",
     ["第一点", "第二点", "第二点第（一）项", "第二点第（二）项"]),
    ("duplicate ids stay unique", "第一条　甲。\n第一条　乙。", ["第一条", "第一条#2"]),
    ("no structure", "这是一段没有条文的文字。", []),
    ("empty", "", []),
]


@pytest.mark.parametrize(("name", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_ids(name: str, text: str, expected: list[str]) -> None:
    assert ids(text) == expected


@pytest.mark.parametrize(("text", "kinds"), [
    ("第一编　总则\n第一分编　通则\n第一章　一般规定\n第一节　定义\n第一条　甲。",
     ["编", "分编", "章", "节", "条"]),
    ("第一章 总 则\n第一条 甲。", ["章", "条"]),
    ("# 标题\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n### 第一节 通则\n\n第一条 甲。", ["序言", "章", "节", "条"]),
    ("# 标题\n\n<!-- INFO END -->\n\n## 一、一般规定\n\n第一条 甲。", ["序言", "章", "条"]),
])
def test_headings(text: str, kinds: list[str]) -> None:
    doc = segment_text(text)
    assert [n.kind.value for n in doc.root.walk()][1:] == kinds


def test_heading_text_and_spans() -> None:
    text = "某办法\n\n第一章　总　　则\n\n第一条　甲。\n\n第二章　附则\n\n第二条　本办法自2025年1月1日起施行。\n"
    doc = segment_text(text)
    chapters = list(doc.nodes(NodeKind.CHAPTER))
    assert [c.heading for c in chapters] == ["总则", "附则"]
    assert doc.node_text(chapters[0]) == "第一章　总　　则\n\n第一条　甲。"
    assert doc.node_text(doc.clause("第二条")) == "第二条　本办法自2025年1月1日起施行。"
    assert doc.meta.effective == "2025-01-01"
    assert doc.clause_at(text.index("甲")).id == "第一条"


def test_offsets_point_into_original_after_normalisation() -> None:
    text = "第 一 条\u3000罚款１０元。\r\n第２条\u3000乙。\r\n"
    doc = segment_text(text)
    assert doc.node_text(doc.clause("第一条")) == "第 一 条\u3000罚款１０元。"
    assert doc.node_text(doc.clause("第二条")) == "第２条\u3000乙。"


def test_clauses_are_finest_units_with_lead_ins() -> None:
    # The lead-in of a paragraph with items ("丙：") has text of its own: it is a clause too,
    # spanning only that text and keeping the paragraph's ID.
    doc = segment_text("第一条　甲。\n第二条　乙。\n丙：\n（一）丁；\n（二）戊。")
    assert [c.id for c in doc.clauses()] == ["第一条", "第二条第一款", "第二条第二款", "第二条第二款第（一）项",
                                              "第二条第二款第（二）项"]
    assert [doc.node_text(c) for c in doc.clauses()][2] == "丙："


def test_bare_article_label_is_no_lead_in() -> None:
    doc = segment_text("第一条\n甲。\n乙。")
    assert [c.id for c in doc.clauses()] == ["第一条第一款", "第一条第二款"]


def test_segment_path_or_text(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_text("第一条　甲。", encoding="utf-8")
    assert segment(str(p)).path == str(p)
    assert segment(p).articles()[0].id == "第一条"
    assert segment("第一条　甲。").path is None
    with pytest.raises(ValueError, match="txt, md"):
        segment("第一条　甲。", fmt="docx")


DRAFTING = [
    ("gap", "第一条　甲。\n第三条　乙。\n第四条　自2025年1月1日起施行。", ["numbering_gap"]),
    ("duplicate", "第一条　甲。\n第一条　乙。\n第二条　自2025年1月1日起施行。", ["numbering_duplicate"]),
    ("order", "第一条　甲。\n第三条　乙。\n第二条　自2025年1月1日起施行。", ["numbering_gap", "numbering_order"]),
    ("starts late", "第二条　甲。\n第三条　自2025年1月1日起施行。", ["numbering_gap"]),
    ("item gap", "第一条　下列：\n（一）甲；\n（三）乙。\n第二条　自2025年1月1日起施行。", ["numbering_gap"]),
    ("mixed item styles", "第一条　下列：\n（一）甲；\n(二)乙。\n第二条　自2025年1月1日起施行。", ["malformed_item"]),
    ("malformed continuation", "第一条　下列：\n（一）甲；\n（二）乙；\n3、丙。\n第二条　自2025年1月1日起施行。",
     ["malformed_item"]),
    ("no effective date", "第一条　甲。\n第二条　乙。", ["missing_effective_date"]),
    ("clean", "第一条　甲。\n第一条之一　乙。\n第二条　自2025年1月1日起施行。", []),
    ("chapters restart per part", "第一编\n第一章 甲\n第一条 甲。\n第二编\n第一章 乙\n第二条 自公布之日起施行。", []),
    ("chapters continue across parts",
     "第一编\n第一章 甲\n第一条 甲。\n第二编\n第二章 乙\n第二条 自公布之日起施行。", []),
    ("chapter gap", "第一章 甲\n第一条 甲。\n第三章 乙\n第二条 自公布之日起施行。", ["numbering_gap"]),
    ("points", "决定\n一、甲。\n三、乙。", ["numbering_gap"]),
]


@pytest.mark.parametrize(("name", "text", "codes"), DRAFTING, ids=[c[0] for c in DRAFTING])
def test_drafting_issues(name: str, text: str, codes: list[str]) -> None:
    doc = segment_text(text)
    assert sorted(i.code for i in drafting_issues(doc)) == sorted(codes)
    assert doc.warnings == []  # issue 11: the segmenter runs no check; drafting issues are the check's


def test_drafting_check_findings() -> None:
    doc = segment_text("第一条　甲。\n第三条　乙。")
    check = load_builtin()["drafting"]
    findings = check(CheckContext(document=doc, kind=None, as_of="2025-01-01", region=None))
    assert {f.type for f in findings} == {FindingType.DRAFTING}
    assert {f.severity for f in findings} == {Severity.LOW}
    assert {f.basis for f in findings} == {"立法技术规范"}
    gap = next(f for f in findings if f.rule == "drafting.numbering_gap")
    assert gap.clause == "第三条"
    assert doc.original[gap.start:gap.end] == "第三条　乙。"


def test_sample_draft_demonstrates_findings() -> None:
    doc = read_document(Path(__file__).parent.parent / "normcheck" / "data" / "sample_draft.txt")
    assert doc.meta.title.endswith("管理办法")
    assert doc.meta.effective == "2025-01-01"
    assert [i.code for i in drafting_issues(doc)] == ["numbering_gap"]
    for needle in ("行政处罚法》第十四条", "合同法》第五十二条", "立法法》第八条", "本办法第九十条", "保证金", "押金",
                   "许可", "罚款"):
        assert needle in doc.text


META = [
    ("md history", "# 某省某条例\n\n2020年5月20日 某省第十三届人民代表大会常务委员会第十八次会议通过\n\n"
     "2023年9月1日 某省第十四届人民代表大会常务委员会第五次会议修正\n\n<!-- INFO END -->\n\n第一条 甲。",
     {"title": "某省某条例", "adopted": "2020-05-20", "amended": ["2023-09-01"],
      "issuer": "某省人民代表大会常务委员会"}),
    ("bracketed preamble", "上海市某某条例\n（2019年1月1日上海市第十五届人民代表大会常务委员会第八次会议通过）\n"
     "第一条　甲。\n第二条　本条例自2019年3月1日起施行。",
     {"title": "上海市某某条例", "adopted": "2019-01-01", "effective": "2019-03-01", "region": "上海",
      "issuer": "上海市人民代表大会常务委员会"}),
    ("chinese numeral dates", "某办法\n第一条　甲。\n第二条　本办法自二〇二一年七月一日起施行。",
     {"effective": "2021-07-01"}),
    ("from publication", "某规定\n（2022年3月4日某市人民政府公布）\n第一条　甲。\n第二条　本规定自公布之日起施行。",
     {"published": "2022-03-04", "effective": "2022-03-04"}),
]


@pytest.mark.parametrize(("name", "text", "expected"), META, ids=[m[0] for m in META])
def test_meta(name: str, text: str, expected: dict[str, object]) -> None:
    meta = segment_text(text).meta
    for key, value in expected.items():
        assert getattr(meta, key) == value, key


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=[p.name for p in GOLDEN_FILES])
def test_golden(path: Path) -> None:
    doc = read_document(path)
    got = document_to_dict(doc)
    got["path"] = path.name
    expected_path = path.with_suffix(path.suffix + ".json")
    if os.environ.get("UPDATE_GOLDEN") == "1" or not expected_path.exists():
        if os.environ.get("UPDATE_GOLDEN") != "1":
            pytest.fail(f"no golden for {path.name}: run UPDATE_GOLDEN=1 pytest tests/test_segment.py")
        expected_path.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    assert got == expected
    # every node's span is its text, stripped, inside its parent
    for node in doc.root.walk():
        t = doc.node_text(node)
        if node.kind != NodeKind.DOCUMENT:
            assert t == t.strip()
        for child in node.children:
            assert node.start <= child.start <= child.end <= node.end


def test_cli_segment(tmp_path: Path) -> None:
    from normcheck.cli import app

    good = tmp_path / "a.txt"
    good.write_text("第一条　甲。\n第二条　本办法自2025年1月1日起施行。", encoding="utf-8")
    empty = tmp_path / "b.txt"
    empty.write_bytes(b"")
    runner = CliRunner()
    res = runner.invoke(app, ["segment", str(good), str(empty)])
    assert res.exit_code == 1
    lines = [json.loads(x) for x in res.stdout.splitlines()]
    assert lines[0]["clauses"] == ["第一条", "第二条"]
    assert lines[1]["error"]["code"] == "E002"
    res = runner.invoke(app, ["segment", str(good), "--format", "tree"])
    assert res.exit_code == 0 and "条 第二条" in res.stdout
    res = runner.invoke(app, ["segment", str(good), "--format", "xml"])
    assert res.exit_code == 2


def test_public_verbs_stay_callable_after_the_pipeline_ran() -> None:
    # Regression: modules named like the verbs (segment.py, read.py) shadowed normcheck.segment()
    # and normcheck.read() as soon as the pipeline imported them.
    import normcheck

    normcheck.check("第一条　甲。\n第二条　乙。", kind="municipal_rule", as_of="2026-11-28", checks=["drafting"])
    assert callable(normcheck.segment) and callable(normcheck.read) and callable(normcheck.check)
    assert normcheck.segment("第一条　甲。\n第二条　乙。").clause("第二条").number == 2



@pytest.mark.parametrize("heading", ["第三章 教育内容、对象与形式", "第三章 权利，义务", "第三章\u2002附则",
                                     "第三章\u3000附则"])
def test_headings_with_commas_and_odd_spaces_are_headings(heading: str) -> None:
    """Issue 17: a chapter title with 、/， or an en space became a fake 款 and a false "缺少第三章"."""
    doc = segment_text(f"第一章 总则\n第一条 甲。\n第二章 乙\n第二条 乙。\n{heading}\n第三条 自公布之日起施行。")
    chapters = [n for n in doc.root.walk() if n.kind == NodeKind.CHAPTER]
    assert [c.number for c in chapters] == [1, 2, 3]
    assert drafting_issues(doc) == []
    art = doc.clause("第二条")
    assert art is not None and "第三章" not in doc.node_text(art)


def test_sentence_after_chapter_label_is_not_a_heading() -> None:
    doc = segment_text("第一条 甲。\n第二章 规定的事项：由市人民政府决定。\n第二条 乙。")
    assert not [n for n in doc.root.walk() if n.kind == NodeKind.CHAPTER]


def test_heading_title_opening_with_a_quotation_mark() -> None:
    """Issue 17: ``第五章“上海文化”品牌建设`` (no space before the quoted title) was not a heading."""
    doc = segment_text("第四章 甲\n第一条 甲。\n第五章“某某”品牌建设\n第二条 自公布之日起施行。")
    assert [n.heading for n in doc.root.walk() if n.kind == NodeKind.CHAPTER] == ["甲", "“某某”品牌建设"]
