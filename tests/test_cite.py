"""Citation finder (issue 4): every form of domain.md §5, offsets round-trip, bad input."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normcheck.cite import (
    MAX_RANGE_EXPANSION,
    ArticleRef,
    InternalReference,
    LawCitation,
    UnnamedBasis,
    find_citations,
    parse_addresses,
)
from normcheck.types.document import Document, Node, NodeKind, OffsetMap


def make_doc(text: str) -> Document:
    return Document(original=text, text=text, offsets=OffsetMap.identity(len(text)),
                    root=Node(NodeKind.DOCUMENT, 0, len(text)))


def refs_of(c: object) -> list[tuple[int | None, int, int | None, int | None]]:
    return [(r.article, r.suffix, r.paragraph, r.item) for r in c.refs]  # type: ignore[attr-defined]


# (text, expected matched text, title, issuer, refs as (article, suffix, paragraph, item))
LAW_CASES = [
    ("依照《中华人民共和国行政处罚法》第十四条第二款第（三）项的规定",
     "《中华人民共和国行政处罚法》第十四条第二款第（三）项", "中华人民共和国行政处罚法", "", [(14, 0, 2, 3)]),
    ("依据《行政处罚法》有关规定", "《行政处罚法》", "行政处罚法", "", []),
    ("根据国务院《物业管理条例》制定", "国务院《物业管理条例》", "物业管理条例", "国务院", []),
    ("按照省《河南省物业管理条例》执行", "省《河南省物业管理条例》", "河南省物业管理条例", "省", []),
    ("《劳动合同法》第二十八条至第三十条", "《劳动合同法》第二十八条至第三十条", "劳动合同法", "",
     [(28, 0, None, None), (29, 0, None, None), (30, 0, None, None)]),
    ("《劳动合同法》第十条、第十二条规定", "《劳动合同法》第十条、第十二条", "劳动合同法", "",
     [(10, 0, None, None), (12, 0, None, None)]),
    ("《劳动合同法》第十条第一款第二项", "《劳动合同法》第十条第一款第二项", "劳动合同法", "", [(10, 0, 1, 2)]),
    ("《劳动合同法》第四十四条第一项、第四项", "《劳动合同法》第四十四条第一项、第四项", "劳动合同法", "",
     [(44, 0, None, 1), (44, 0, None, 4)]),
    ("《某某法》第十条之一", "《某某法》第十条之一", "某某法", "", [(10, 1, None, None)]),
    ("《河南省实施〈中华人民共和国土地管理法〉办法》第十条", "《河南省实施〈中华人民共和国土地管理法〉办法》第十条",
     "河南省实施〈中华人民共和国土地管理法〉办法", "", [(10, 0, None, None)]),
    ("依照《中华人民\n共和国行政处罚法》\n第三十二条的规定", "《中华人民\n共和国行政处罚法》\n第三十二条",
     "中华人民共和国行政处罚法", "", [(32, 0, None, None)]),
    ("依照《某某法》第107条", "《某某法》第107条", "某某法", "", [(107, 0, None, None)]),
    ("《某某法》第一百零七条、第二百一十条", "《某某法》第一百零七条、第二百一十条", "某某法", "",
     [(107, 0, None, None), (210, 0, None, None)]),
]


@pytest.mark.parametrize(("text", "matched", "title", "issuer", "refs"), LAW_CASES)
def test_law_citations(text: str, matched: str, title: str, issuer: str, refs: list[tuple]) -> None:
    cits = [c for c in find_citations(make_doc(text)) if isinstance(c, LawCitation)]
    assert len(cits) == 1
    c = cits[0]
    assert text[c.start:c.end] == matched
    assert (c.title, c.issuer) == (title, issuer)
    assert refs_of(c) == refs
    assert text[c.title_start:c.title_end].replace("\n", "") == title


# Laws named without 《》: (text, matched, title, refs)
PLAIN_LAW_CASES = [
    ("依照行政处罚法第三十条处理", "行政处罚法第三十条", "行政处罚法", [(30, 0, None, None)]),
    ("根据中华人民共和国立法法第八条，制定", "中华人民共和国立法法第八条", "中华人民共和国立法法",
     [(8, 0, None, None)]),
    ("违反城市道路管理条例第二十七条第一款规定的", "城市道路管理条例第二十七条第一款", "城市道路管理条例",
     [(27, 0, 1, None)]),
]


@pytest.mark.parametrize(("text", "matched", "title", "refs"), PLAIN_LAW_CASES)
def test_plain_law_citations(text: str, matched: str, title: str, refs: list[tuple]) -> None:
    (c,) = [c for c in find_citations(make_doc(text)) if isinstance(c, LawCitation)]
    assert (text[c.start:c.end], c.title, c.bracketed) == (matched, title, False)
    assert refs_of(c) == refs


@pytest.mark.parametrize("text", ["违反本条例第十条规定的", "依照该法第五条", "依照本法第三十条",
                                  "依照有关法第三条", "参照适用本条例第三十九条", "根据实际情况确定本条例第三条"])
def test_plain_law_excludes_self_and_vague(text: str) -> None:
    assert not [c for c in find_citations(make_doc(text)) if isinstance(c, LawCitation)]


# (text, form, matched, refs, count)
INTERNAL_CASES = [
    ("违反本条例第二十条规定的", "self_law", "本条例第二十条", [(20, 0, None, None)], 1),
    ("依照本法第十条第二款", "self_law", "本法第十条第二款", [(10, 0, 2, None)], 1),
    ("本办法第三条、第五条所称", "self_law", "本办法第三条、第五条", [(3, 0, None, None), (5, 0, None, None)], 1),
    ("本规定第八条至第十条", "self_law", "本规定第八条至第十条",
     [(8, 0, None, None), (9, 0, None, None), (10, 0, None, None)], 1),
    ("违反本条例第四十条的第三款、第四款规定", "self_law", "本条例第四十条的第三款、第四款",
     [(40, 0, 3, None), (40, 0, 4, None)], 1),
    ("本条所称", "this_article", "本条", [], 1),
    ("本条第二款规定", "this_article", "本条第二款", [(None, 0, 2, None)], 1),
    ("有前款规定情形", "previous_paragraph", "前款", [], 1),
    ("前款第（一）、（二）项", "previous_paragraph", "前款第（一）、（二）项",
     [(None, 0, None, 1), (None, 0, None, 2)], 1),
    ("前两款规定", "previous_paragraphs", "前两款", [], 2),
    ("前三款", "previous_paragraphs", "前三款", [], 3),
    ("依照第十二条规定处理", "article", "第十二条", [(12, 0, None, None)], 1),
    ("有第二款规定情形", "paragraph", "第二款", [(None, 0, 2, None)], 1),
    ("上述规定", "above", "上述规定", [], 1),
]


@pytest.mark.parametrize(("text", "form", "matched", "refs", "count"), INTERNAL_CASES)
def test_internal_references(text: str, form: str, matched: str, refs: list[tuple], count: int) -> None:
    cits = [c for c in find_citations(make_doc(text)) if isinstance(c, InternalReference)]
    assert len(cits) == 1, cits
    c = cits[0]
    assert (c.form, text[c.start:c.end], refs_of(c), c.count) == (form, matched, refs, count)


UNNAMED_CASES = [
    ("根据有关法律、法规的规定", "basis", "根据有关法律、法规的规定"),
    ("依据国家有关规定执行", "basis", "依据国家有关规定"),
    ("按照国家有关规定处理", "basis", "按照国家有关规定"),
    ("法律、法规另有规定的，从其规定", "reservation", "法律、法规另有规定"),
    ("法律、行政法规另有规定的", "reservation", "法律、行政法规另有规定"),
]


@pytest.mark.parametrize(("text", "form", "matched"), UNNAMED_CASES)
def test_unnamed_basis(text: str, form: str, matched: str) -> None:
    cits = [c for c in find_citations(make_doc(text)) if isinstance(c, UnnamedBasis)]
    assert len(cits) == 1
    assert (cits[0].form, text[cits[0].start:cits[0].end]) == (form, matched)


NOT_CITATIONS = [
    "第一条 为了规范管理，制定本条例。",  # the article's own label
    "第十条\n内容",  # label alone on its line
    "根据城乡规划法和土地管理法的规定",  # names without an address stay prose
    "该法第五条",
    "《未闭合的标题，没有结尾",
]


@pytest.mark.parametrize("text", NOT_CITATIONS)
def test_not_citations(text: str) -> None:
    cits = [c for c in find_citations(make_doc(text)) if not isinstance(c, UnnamedBasis)]
    assert cits == []


def test_title_then_next_article_label_is_not_an_address() -> None:
    text = "第九条 依照《某某条例》\n第十条 内容"
    c = next(c for c in find_citations(make_doc(text)) if isinstance(c, LawCitation))
    assert c.refs == ()
    assert text[c.start:c.end] == "《某某条例》"


def test_unbalanced_bracket_then_real_title() -> None:
    text = "《未闭合\n依照《中华人民共和国行政许可法》第十二条"
    cits = [c for c in find_citations(make_doc(text)) if isinstance(c, LawCitation)]
    assert [c.title for c in cits] == ["中华人民共和国行政许可法"]


def test_absurd_article_number_parses() -> None:
    c = find_citations(make_doc("《某某法》第九千九百条"))[0]
    assert isinstance(c, LawCitation)
    assert c.refs[0].article == 9900


def test_huge_range_is_not_expanded() -> None:
    refs = parse_addresses("第一条至第九千九百条")
    assert [r.article for r in refs] == [1, 9900]
    assert refs[0].range == (1, 9900)
    assert len(parse_addresses("第一条至第一百条")) == 100 <= MAX_RANGE_EXPANSION


@pytest.mark.parametrize(("title", "law_like", "amendment"), [
    ("中华人民共和国行政处罚法", True, False),
    ("某某办法（试行）", True, False),
    ("门楼号确认书", False, False),
    ("关于修改〈广东省环境保护条例〉等十三项地方性法规的决定", True, True),
])
def test_title_kinds(title: str, law_like: bool, amendment: bool) -> None:
    c = find_citations(make_doc(f"依照《{title}》"))[0]
    assert isinstance(c, LawCitation)
    assert (c.is_law_like, c.is_amendment) == (law_like, amendment)


def test_article_ref_label() -> None:
    assert ArticleRef(article=10, suffix=1, paragraph=2, item=3).label == "第十条之一第二款第（三）项"


def test_offsets_map_to_original() -> None:
    # a normalised text with one character removed: offsets must point into the original
    original = "依照 《某某法》第十条"
    text = "依照《某某法》第十条"
    omap = OffsetMap([0, 1, *range(3, len(original) + 1)])
    doc = Document(original=original, text=text, offsets=omap, root=Node(NodeKind.DOCUMENT, 0, len(original)))
    c = find_citations(doc)[0]
    assert original[c.start:c.end] == "《某某法》第十条"


def test_clause_ids_attached() -> None:
    text = "第一条 依照《某某法》第十条。"
    art = Node(NodeKind.ARTICLE, 0, len(text), number=1, label="第一条", id="第一条")
    doc = Document(original=text, text=text, offsets=OffsetMap.identity(len(text)),
                   root=Node(NodeKind.DOCUMENT, 0, len(text), children=[art]))
    assert [c.clause for c in find_citations(doc)] == ["第一条"]


_PIECES = ["《", "》", "〈", "〉", "第", "十", "二", "条", "款", "项", "（", "）", "、", "至", "本条例", "前款",
           "前两款", "本条", "有关法律、法规", "另有规定", "\n", " ", "规定", "中华人民共和国", "法", "之一", "上述"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_offsets_round_trip(pieces: list[str]) -> None:
    text = "".join(pieces)
    doc = make_doc(text)
    for c in find_citations(doc):
        assert 0 <= c.start < c.end <= len(text)
        if isinstance(c, LawCitation):
            assert doc.original[c.start:c.end].endswith(("》", "条", "款", "项", "目", "一", "二", "十"))
            assert text[c.title_start:c.title_end].replace("\n", "").replace(" ", "") == c.title
        if isinstance(c, UnnamedBasis):
            assert doc.original[c.start:c.end] == c.phrase
        for r in getattr(c, "refs", ()):
            assert c.start <= r.start < r.end <= c.end


@pytest.mark.parametrize("bad", ["《" * 20000, "第" * 20000, "第十" * 10000, "《第十条、" * 5000, "前款" * 10000])
def test_linear_time_on_pathological_input(bad: str) -> None:
    t = time.perf_counter()
    find_citations(make_doc(bad))
    assert time.perf_counter() - t < 2.0


# Hand check 2026-11-28: 本《办法》 is the document itself, and 《条例》 alone names no particular law.
# (text, kind, form or is_law_like, matched text, refs)
GENERIC_TITLE_CASES = [
    ("有本《办法》第二十条、第二十一条规定行为之一的", "internal", "self_law", "本《办法》第二十条、第二十一条",
     [(20, 0, None, None), (21, 0, None, None)]),
    ("其它违反本《条例》规定的。", "internal", "self_law", "本《条例》", []),
    ("本《办法》自2018年7月1日起施行。", "internal", "self_law", "本《办法》", []),
    ("依照《条例》的规定处理。", "law", False, "《条例》", []),
    ("依照《测试条例》的规定处理。", "law", True, "《测试条例》", []),
    ("依照国务院《办法》处理。", "law", True, "国务院《办法》", []),
]


@pytest.mark.parametrize(("text", "kind", "form", "matched", "refs"), GENERIC_TITLE_CASES)
def test_generic_titles(text: str, kind: str, form: object, matched: str, refs: list[tuple]) -> None:
    cits = [c for c in find_citations(make_doc(text)) if not isinstance(c, UnnamedBasis)]
    assert len(cits) == 1
    c = cits[0]
    assert c.kind == kind and text[c.start:c.end] == matched and refs_of(c) == refs
    if isinstance(c, InternalReference):
        assert c.form == form and c.word == "本" + matched[2:matched.index("》")]
    else:
        assert isinstance(c, LawCitation) and c.is_law_like is form
