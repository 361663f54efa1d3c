"""Tests for the ``consistency`` check (issue 6) on statute-like texts written for these tests."""

from __future__ import annotations

import re

import pytest
from consistency_factories import FakeCorpus

from normcheck import segment
from normcheck.checks import CheckContext, load_builtin
from normcheck.checks.consistency.check import check_consistency, consistency_findings
from normcheck.types.findings import FindingType, Severity
from normcheck.types.law import Level

AS_OF = "2024-01-01"
HEAD = "某市示范许可条例\n\n第一条 为了规范本市示范许可工作，结合本市实际，制定本条例。\n\n"


def _doc(article2: str, title_head: str = HEAD) -> object:
    return segment(title_head + f"第二条 {article2}\n\n第三条 本条例自2024年1月1日起施行。\n")


def _run(article2: str, *, citations: bool = False, head: str = HEAD) -> list:
    doc = _doc(article2, head)
    cits = None
    if citations:
        from normcheck.cite import find_citations

        cits = find_citations(doc)
    return consistency_findings(doc, FakeCorpus(), kind=Level.LOCAL_REGULATION, region=None, as_of=AS_OF,
                                citations=cits)


# (article 2 of the document, expected severity, text marked in the clause, text marked in the superior)
FLAGGED = [
    pytest.param("市主管机关应当自受理示范许可申请之日起三十日内作出示范许可决定。", Severity.MEDIUM,
                 "三十日", "二十日", id="longer-time-for-administration"),
    pytest.param("市主管机关应当自受理示范许可申请之日起十五日内作出示范许可决定。", Severity.LOW,
                 "十五日", "二十日", id="shorter-time-for-administration"),
    pytest.param("违反本条例规定，在示范保护区内从事采砂活动的，由主管机关责令停止违法行为，处二万元以上二十万元以下罚款。",
                 Severity.HIGH, "二万元以上二十万元以下罚款", "一万元以上十万元以下罚款", id="wider-fine"),
    pytest.param("任何单位和个人可以在示范保护区内从事采砂、取土等活动，法律另有规定的除外。", Severity.HIGH,
                 "可以", "不得", id="may-where-law-forbids"),
    pytest.param("申请示范许可的，申请人应当向主管机关如实报送材料，并经所在地街道办事处同意，"
                 "并对所报材料的真实性承担责任。", Severity.HIGH, "经所在地街道办事处同意", None,
                 id="condition-added"),
    pytest.param("任何单位和个人不得在示范保护区内从事采砂、取土等活动。", Severity.LOW, None, "法律另有规定的除外",
                 id="exception-dropped"),  # a partial restatement omitting an exception: a low note (issue 13)
]


@pytest.mark.parametrize("article2,severity,clause_mark,superior_mark", FLAGGED)
def test_inconsistency_found(article2: str, severity: Severity, clause_mark: str | None,
                             superior_mark: str | None) -> None:
    (f,) = _run(article2)
    assert f.type == FindingType.INCONSISTENT_WITH_SUPERIOR
    assert f.clause == "第二条"
    assert f.severity == severity
    assert f.basis.startswith("立法法")
    assert f.evidence and f.evidence[0].law == "中华人民共和国示范许可法"
    assert f.evidence[0].text  # the superior text, for the reviewer
    d = f.details
    if clause_mark:
        assert any(clause_mark in m for m in re.findall(r"【([^】]*)】", d["clause_marked"])), d["clause_marked"]
    if superior_mark:
        assert any(superior_mark in m for m in re.findall(r"【([^】]*)】", d["superior_marked"]))
    assert d["differences"] and d["alignment"]["coverage"] >= 0.6
    assert 0 < f.confidence < 1
    doc = _doc(article2)
    assert doc.original[f.start:f.end]  # offsets point into the document


NOT_FLAGGED = [
    pytest.param("市主管机关应当自受理示范许可申请之日起二十日内作出示范许可决定。", id="faithful"),
    pytest.param("违反本条例规定，在示范保护区内从事采砂活动的，由主管机关责令停止违法行为，处二万元以上五万元以下罚款。",
                 id="fine-inside-superior-range"),
    pytest.param("本市各级人民政府应当加强示范许可工作的宣传。", id="no-superior-restated"),
    pytest.param("禁止在河道内弃置、堆放阻碍行洪的物体。", id="faithful-other-law"),
    pytest.param("主管机关应当作出决定。", id="too-short-to-align"),
]


@pytest.mark.parametrize("article2", NOT_FLAGGED)
def test_no_false_alarm(article2: str) -> None:
    assert _run(article2) == []


def test_loose_paraphrase_of_another_topic_is_not_judged() -> None:
    # same wording partly, but neither near-verbatim nor the document's topic: no alignment, no finding
    head = "某市社会治理若干规定\n\n第一条 为了加强社会治理，制定本规定。\n\n"
    assert _run("学校应当建立健全值班制度，每学期开展两次消防演练和安全检查。", head=head) == []


def test_citation_alignment() -> None:
    fs = _run("依照《中华人民共和国示范许可法》第三条，市主管机关应当自受理示范许可申请之日起三十日内"
              "作出示范许可决定。", citations=True)
    assert len(fs) == 1
    assert fs[0].details["alignment"]["source"] == "citation"
    assert fs[0].details["superior"]["article"] == "第三条"


def test_registered_check_and_context() -> None:
    assert "consistency" in load_builtin()
    doc = _doc("市主管机关应当自受理示范许可申请之日起三十日内作出示范许可决定。")
    ctx = CheckContext(document=doc, kind=Level.LOCAL_REGULATION, as_of=AS_OF, region=None, corpus=None)
    assert check_consistency(ctx) == []  # no corpus: nothing to compare with
    ctx.corpus = FakeCorpus()
    (f,) = check_consistency(ctx)
    assert f.rule == "consistency"
    assert f.to_dict()["type"] == "inconsistent_with_superior"


def test_pipeline_runs_the_check() -> None:
    import normcheck

    text = HEAD + "第二条 市主管机关应当自受理示范许可申请之日起三十日内作出示范许可决定。\n"
    res = normcheck.check(text, kind="local_regulation", as_of=AS_OF, corpus=FakeCorpus(), checks=["consistency"])
    assert [f.type.value for f in res.findings] == ["inconsistent_with_superior"]


@pytest.mark.corpus
def test_real_corpus_restatement(shared_corpus: object) -> None:
    """A clause restating a real article of 行政许可法 (read at test time) with its time limit changed;
    the index holds a few real laws only, to stay fast."""
    from normcheck.checks.consistency.retrieve import Entry, SuperiorIndex

    corpus: object = shared_corpus
    entries = []
    for name in ("行政许可法", "行政处罚法", "行政强制法"):
        law = corpus.find_laws(name)[0]  # type: ignore[attr-defined]
        v = corpus.version_in_force(law.id, AS_OF)  # type: ignore[attr-defined]
        entries += [Entry(law, v, a) for a in corpus.articles(law.id, v.version)]  # type: ignore[attr-defined]
    index = SuperiorIndex(entries)
    para = next(p for e in entries if e.law.name.endswith("行政许可法") for p in e.article.paragraphs
                if "二十日内" in p)
    changed = para.replace("二十日内", "四十日内", 1)

    def run(text: str, kind: Level = Level.MUNICIPAL_RULE) -> list:
        doc = segment(f"某市行政许可办法\n\n第一条 {text}\n")
        return consistency_findings(doc, None, kind=kind, region=None, as_of=AS_OF, index=index)

    # 第四十二条 yields to 法律、法规 (另有规定的，依照其规定): a local regulation may set its own time limit
    # (issue 13), a rule may not
    assert run(changed, Level.LOCAL_REGULATION) == []
    (f,) = run(changed)
    assert "【四十日】" in f.details["clause_marked"] and "【二十日】" in f.details["superior_marked"]
    assert f.severity == Severity.MEDIUM  # more time for the administration
    assert run(para) == []


# issue 13: who is bound, and room the superior leaves to lower law
def test_other_body_national_vs_local() -> None:
    from normcheck.checks.consistency.check import other_body

    assert other_body("市人民代表大会常务委员会组成人员五人以上联名，可以提出地方性法规案。",
                      "十名以上常务委员会组成人员联名的，可以向常务委员会提出法律案。")
    assert not other_body("物业服务人不得以停止供电的方式催交物业费。", "物业服务人不得采取停止供电等方式催交物业费。")


def test_delegation_by_kind() -> None:
    from normcheck.checks.consistency.check import delegation

    yields_to_regulations = "应当在二十日内作出决定。法律、法规另有规定的，依照其规定。"
    assert delegation(yields_to_regulations, Level.LOCAL_REGULATION)
    assert delegation(yields_to_regulations, Level.MUNICIPAL_RULE) is None
    assert delegation("具体管理办法由省、自治区、直辖市制定。", Level.PROVINCIAL_RULE)
    assert delegation("行政机关应当在二十日内作出决定。", Level.LOCAL_REGULATION) is None
