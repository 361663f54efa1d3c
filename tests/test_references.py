"""The "references" check (issue 4): outdated_reference and invalid_reference findings."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from normcheck.checks import CheckContext, load_builtin
from normcheck.checks.references import check_references, reference_findings
from normcheck.text.numerals import int_to_cn
from normcheck.types.document import Document, DocumentMeta, Node, NodeKind, OffsetMap
from normcheck.types.findings import Finding, FindingType, Severity
from normcheck.types.law import Level


def _load_fake_corpus() -> object:
    """The in-memory CorpusAPI of tests/test_resolve.py (loaded by path: tests/ is no package)."""
    spec = importlib.util.spec_from_file_location("_nc_test_resolve", Path(__file__).with_name("test_resolve.py"))
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.fake_corpus


fake_corpus = _load_fake_corpus()


def build_doc(articles: list[list[str]], *, date: str | None = "2022-01-01", title: str = "测试条例") -> Document:
    """A segmented document: one ARTICLE per entry, one PARAGRAPH node per string when >1."""
    text = ""
    arts: list[Node] = []
    for i, paras in enumerate(articles, 1):
        label = f"第{int_to_cn(i)}条"
        a_start = len(text)
        text += label + " "
        pnodes = []
        for j, p in enumerate(paras, 1):
            p_start = a_start if j == 1 else len(text)
            text += p + "\n"
            pnodes.append(Node(NodeKind.PARAGRAPH, p_start, len(text), number=j, label="",
                               id=f"{label}第{int_to_cn(j)}款"))
        art = Node(NodeKind.ARTICLE, a_start, len(text), number=i, label=label, id=label,
                   children=pnodes if len(pnodes) > 1 else [])
        arts.append(art)
    root = Node(NodeKind.DOCUMENT, 0, len(text), children=arts)
    return Document(original=text, text=text, offsets=OffsetMap.identity(len(text)), root=root,
                    meta=DocumentMeta(title=title, adopted=date))


def run(doc: Document, *, as_of: str = "2026-11-28", corpus: object | None = None,
        region: str | None = None) -> list[Finding]:
    return reference_findings(doc, corpus if corpus is not None else fake_corpus(), as_of=as_of, region=region,
                              kind=Level.LOCAL_REGULATION)


def kinds(fs: list[Finding]) -> list[tuple[str, str, str]]:
    return [(f.type.value, f.severity.value, f.details.get("reason", "")) for f in fs]


# (articles, expected (type, severity, reason) list)
INTERNAL_CASES = [
    ([["违反本条例第二条规定的，责令改正。"], ["内容。"]], []),
    ([["违反本条例第九条规定的，责令改正。"], ["内容。"]], [("invalid_reference", "medium", "missing_article")]),
    ([["依照本条例第九千九百条处理。"]], [("invalid_reference", "medium", "missing_article")]),
    ([["有前款规定情形的，处罚款。"]], [("invalid_reference", "medium", "no_previous_paragraph")]),
    ([["第一款内容。", "有前款规定情形的，处罚款。"]], []),
    ([["第一款内容。", "前两款规定。"]], [("invalid_reference", "medium", "no_previous_paragraph")]),
    ([["甲。", "乙。", "前两款规定。"]], []),
    ([["本条第二款所称。"]], [("invalid_reference", "medium", "missing_paragraph")]),
    ([["本条第二款所称。", "第二款。"]], []),
    ([["见本条例第二条第三款。"], ["甲。", "乙。"]], [("invalid_reference", "medium", "missing_paragraph")]),
    ([["见本条例第二条第二款。"], ["甲。", "乙。"]], []),
    ([["依照第五条处理。"]], [("invalid_reference", "medium", "missing_article")]),
]


@pytest.mark.parametrize(("articles", "expected"), INTERNAL_CASES)
def test_internal_references(articles: list[list[str]], expected: list[tuple[str, str, str]]) -> None:
    assert kinds(run(build_doc(articles))) == expected


def test_internal_checks_work_without_corpus() -> None:
    doc = build_doc([["违反本条例第九条规定的。"]])
    fs = reference_findings(doc, None, as_of="2026-11-28", region=None, kind=None)
    assert kinds(fs) == [("invalid_reference", "medium", "missing_article")]
    assert fs[0].clause == "第一条" and doc.original[fs[0].start:fs[0].end] == "第九条"
    assert fs[0].basis and fs[0].evidence


def test_amendment_decision_bare_articles_not_checked() -> None:
    doc = build_doc([["将第五十条修改为：……"]], title="关于修改《测试条例》的决定")
    assert run(doc) == []


# (clause text, as_of, expected)
LAW_CASES = [
    # repealed law; penalty clause → high, else medium
    ("违反《中华人民共和国测试合同法》第二条规定的，处一千元罚款。", "2026-11-28",
     [("outdated_reference", "high", "law_repealed")]),
    ("依照《中华人民共和国测试合同法》订立合同。", "2026-11-28", [("outdated_reference", "medium", "law_repealed")]),
    ("依照《中华人民共和国测试合同法》订立合同。", "2020-06-01", []),
    # in force, articles fine
    ("依照《测试处罚法》第一条。", "2026-11-28", []),
    # article out of range of a law the corpus has
    ("依照《测试处罚法》第九千九百条。", "2026-11-28", [("invalid_reference", "medium", "missing_article")]),
    ("依照《测试处罚法》第三条第三款。", "2026-11-28", [("invalid_reference", "low", "missing_paragraph")]),
    # not in the corpus: low; a likely typo: medium
    ("依照《某部门管理办法》。", "2026-11-28", [("invalid_reference", "low", "law_not_found")]),
    ("依照《测试处法》。", "2026-11-28", [("invalid_reference", "medium", "law_not_found")]),
    # the document itself repeals the old law, or keeps it for a transition: no finding
    ("1999年通过的《中华人民共和国测试合同法》同时废止。", "2026-11-28", []),
    ("本条例施行前订立的，仍按照《中华人民共和国测试合同法》执行。", "2026-11-28", []),
    # a short name the document defines itself (以下简称《规则》) is not an unknown law
    ("按照《某某乘坐规则》（以下简称《规则》）执行，违反《规则》的。", "2026-11-28",
     [("invalid_reference", "low", "law_not_found")]),
    # another region's law is not a misspelling of ours; and a local title the corpus lacks is no
    # finding at all (hand check 2026-11-28: all such titles were real regulations the DLC lacks)
    ("依照《浙江省测试处罚法》。", "2026-11-28", []),
    # forms and amendment decisions are not laws
    ("领取《门楼号确认书》。", "2026-11-28", []),
]


@pytest.mark.parametrize(("clause", "as_of", "expected"), LAW_CASES)
def test_law_citations(clause: str, as_of: str, expected: list[tuple[str, str, str]]) -> None:
    assert kinds(run(build_doc([[clause]]), as_of=as_of)) == expected


def test_repealed_names_successor_with_evidence() -> None:
    fs = run(build_doc([["依照《中华人民共和国测试合同法》第二条。"]]))
    f = fs[0]
    assert "中华人民共和国测试法典" in f.message and f.details["successor"] == "中华人民共和国测试法典"
    assert f.evidence[0].law == "中华人民共和国测试合同法" and f.evidence[0].text == "合同二。"
    assert f.basis


# Document made in 2019 (old version in force) citing articles of 测试处罚法, reviewed in 2026.
# 2017: 1 总则, 2 罚款(two paras), 3 删除的, 4 第四条原文 ; 2021: 1 总则, 2 新增, 3 罚款, 4 第四条修改
SUPERSEDED_CASES = [
    ("第一条", []),
    ("第二条", [("outdated_reference", "medium", "article_moved")]),
    ("第三条", [("outdated_reference", "medium", "article_deleted")]),
    ("第四条", [("outdated_reference", "low", "article_changed")]),
]


@pytest.mark.parametrize(("addr", "expected"), SUPERSEDED_CASES)
def test_superseded_version(addr: str, expected: list[tuple[str, str, str]]) -> None:
    doc = build_doc([[f"依照《测试处罚法》{addr}。"]], date="2019-05-01")
    fs = run(doc)
    assert kinds(fs) == expected
    # judged as of the document's own date nothing is outdated
    assert run(doc, as_of="2019-05-01") == []


def test_moved_article_shows_old_and_new_text() -> None:
    f = run(build_doc([["依照《测试处罚法》第二条。"]], date="2019-05-01"))[0]
    assert f.details["new_article"] == 3
    assert [e.version for e in f.evidence] == ["2017-01-01", "2021-01-22"]
    assert [e.article for e in f.evidence] == ["第二条", "第三条"]
    assert "第三条" in f.message


def test_ambiguous_choice_is_reported() -> None:
    fs = run(build_doc([["依照《物业管理条例》第九条。"]]), region="上海")
    assert kinds(fs) == [("invalid_reference", "medium", "missing_article")]
    assert fs[0].details["alternatives"] and fs[0].confidence < 0.7


def test_registered_and_uses_ctx_citations() -> None:
    assert load_builtin()["references"] is check_references
    doc = build_doc([["违反本条例第九条规定的。"]])
    ctx = CheckContext(document=doc, kind=Level.LOCAL_REGULATION, as_of="2026-11-28", region=None,
                       corpus=fake_corpus())
    fs = check_references(ctx)
    assert [f.type for f in fs] == [FindingType.INVALID_REFERENCE]
    ctx.citations = []  # an empty list means "not filled": the check finds them itself
    assert len(check_references(ctx)) == 1
    d = fs[0].to_dict()
    assert d["type"] == "invalid_reference" and d["severity"] in {s.value for s in Severity}


def test_preamble_citations_ignored() -> None:
    text = "测试条例\n（根据《关于修改〈测试条例〉的决定》修正，依照《不存在法》第九条）\n"
    doc = Document(original=text, text=text, offsets=OffsetMap.identity(len(text)),
                   root=Node(NodeKind.DOCUMENT, 0, len(text)))
    assert run(doc) == []


# Hand check 2026-11-28 (eval/citations/README.md): regressions for the wrong findings it found.
# (clause text, expected (type, severity, reason) list, first suggestion or None)
HANDCHECK_CASES = [
    # a misspelt 中华人民共和国 before a known law is a misnaming (was: low "not in the corpus")
    ("依照《中华人民和国测试处罚法》处理。", [("invalid_reference", "medium", "law_not_found")],
     "中华人民共和国测试处罚法"),
    ("依照《中国人民共和国测试处罚法》处理。", [("invalid_reference", "medium", "law_not_found")],
     "中华人民共和国测试处罚法"),
    # only a filler word (管理, 暂行, 实施) added: the same law misnamed
    ("依照《中华人民共和国测试处罚管理法》处理。", [("invalid_reference", "medium", "law_not_found")],
     "中华人民共和国测试处罚法"),
    # a content word added (医疗 vs 中医药, 自治 vs 旅游): another law, no misspelling
    ("依照《测试行政处罚法》处理。", [("invalid_reference", "low", "law_not_found")], None),
    # titles the corpus does not collect: local regulations, decisions, charters, party rules, treaties
    ("依照《上海市测试管理条例》处理。", [], None),
    ("依照《某某县测试管理条例》处理。", [], None),
    ("依照本市《测试管理办法》处理。", [], None),
    ("依照《全国人民代表大会常务委员会关于测试的决定》处理。", [], None),
    ("依照《中国工会章程》开展活动。", [], None),
    ("依照《中国共产党测试工作条例》执行。", [], None),
    ("依照《测试湿地公约》执行。", [], None),
    # 市场 is no place name: a national-looking unknown title stays a low finding
    ("依照《人力资源市场测试条例》处理。", [("invalid_reference", "low", "law_not_found")], None),
    # a penalty word inside a cited title does not make the clause a penalty clause (was: high)
    ("违反《中华人民共和国测试合同法》和《治安管理处罚条例》后果较重的人员。",
     [("outdated_reference", "medium", "law_repealed"), ("invalid_reference", "low", "law_not_found")], None),
    ("违反《中华人民共和国测试合同法》第二条规定的，处一千元罚款。",
     [("outdated_reference", "high", "law_repealed")], None),
    # … but 处理 under a cited penalty law punishes
    ("违反《中华人民共和国测试合同法》《治安管理处罚条例》的，由公安机关依法处理。",
     [("outdated_reference", "high", "law_repealed"), ("invalid_reference", "low", "law_not_found")], None),
    # 本《办法》第九条 is an internal reference, checked against the document's own articles
    ("违反本《办法》第九条规定的。", [("invalid_reference", "medium", "missing_article")], None),
    ("违反本《办法》第一条规定的。", [], None),
]


@pytest.mark.parametrize(("clause", "expected", "suggestion"), HANDCHECK_CASES)
def test_handcheck_regressions(clause: str, expected: list[tuple[str, str, str]], suggestion: str | None) -> None:
    fs = run(build_doc([[clause]], title="某某市测试条例"))
    assert kinds(fs) == expected
    if suggestion is not None:
        assert fs[0].details["suggestions"][0] == suggestion and suggestion in fs[0].message
