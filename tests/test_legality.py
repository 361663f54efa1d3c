"""Legality review (issue 14): the tables of data/legality.json and data/abolished.json, the analysers of
checks/authority/burdens.py, the superior-basis search of checks/authority/basis.py, and — over a seeded sample of
real DLC regulations — that no finding quotes an empty or fabricated text.

Provisions below are written for these tests (not corpus text)."""

from __future__ import annotations

import copy
import random
from pathlib import Path
from typing import Any

import pytest

from normcheck.checks import CheckContext
from normcheck.checks.authority.basis import find_basis, ref_evidence, shared_share
from normcheck.checks.authority.burdens import abolished_in, analyse_text, check_legality, sentences
from normcheck.errors import NormcheckError
from normcheck.knowledge.legality import SUMMARY_MARK, legality, validate_legality
from normcheck.knowledge.schema import read_packaged
from normcheck.structure.load import load_document
from normcheck.text.numerals import cn_to_int
from normcheck.types.law import Article, Law, LawVersion, Level

# ------------------------------------------------------------------------------------------ tables


def test_tables_load_and_every_row_cites_a_source() -> None:
    t = legality()
    assert t.analysers and t.abolished and t.supervising
    assert all(r.source for r in t.analysers) and all(r.source for r in t.abolished)
    assert all(ref.source for ref in t.refs.values())


def _raw() -> tuple[Any, Any]:
    return copy.deepcopy(read_packaged("legality.json")), copy.deepcopy(read_packaged("abolished.json"))


@pytest.mark.parametrize("mutate, where", [
    (lambda d, a: d["analysers"][0].pop("source"), "analysers[0]"),
    (lambda d, a: d["analysers"][0].__setitem__("match", ["(unclosed"]), "match"),
    (lambda d, a: d["analysers"][0].__setitem__("evidence", ["no-such-ref"]), "no-such-ref"),
    (lambda d, a: d["analysers"][0].__setitem__("kinds", ["city"]), "kind code"),
    (lambda d, a: a["rows"][0].__setitem__("since", "2013"), "since"),
    (lambda d, a: d["refs"]["国办发〔2018〕37号"]["numbering"][0].pop("summary"), "article 0"),
])
def test_bad_rows_raise_e901_naming_the_place(mutate: Any, where: str) -> None:
    d, a = _raw()
    mutate(d, a)
    with pytest.raises(NormcheckError) as exc:
        validate_legality(d, a)
    assert exc.value.code.value == "E901" and where in str(exc.value)


@pytest.mark.parametrize("ref, as_of, cite", [
    ("立法法.法律保留", "2006-05-01", "立法法第八条"),
    ("立法法.法律保留", "2016-05-01", "立法法第八条"),
    ("立法法.法律保留", "2024-05-01", "立法法第十一条"),
    ("立法法.改变撤销", "2024-05-01", "立法法第一百零七条"),
    ("立法法.改变撤销", "2010-05-01", "立法法第八十七条"),
    ("立法法.地方规章权利义务", "2010-05-01", None),  # no such paragraph before 2015
    ("立法法.地方规章权利义务", "2020-05-01", "立法法第八十二条第六款"),
    ("监督法.规范性文件", "2025-01-01", "监督法第三十九条"),
    ("国办发〔2018〕37号", "2017-01-01", None),
    ("国办发〔2018〕37号", "2019-01-01", "国办发〔2018〕37号一、（二）严禁越权发文"),
])
def test_article_numbering_follows_the_documents_date(ref: str, as_of: str, cite: str | None) -> None:
    assert legality().ref(ref).cite(as_of) == cite


def test_a_summary_is_marked_and_never_empty_without_a_corpus() -> None:
    ev = ref_evidence(None, legality().ref("国办发〔2018〕37号"), "2020-01-01")
    assert ev is not None and ev.text.startswith(SUMMARY_MARK) and len(ev.text) > len(SUMMARY_MARK) + 10
    assert ref_evidence(None, legality().ref("立法法.地方规章权利义务"), "2010-01-01") is None


class _FakeCorpus:
    """A corpus with one law (立法法, versions 2015 and 2023) whose article 11 / 8 has a text of our own."""

    def __init__(self) -> None:
        self.law = Law(id="lfl", name="中华人民共和国立法法", level=Level.LAW)
        self.v15 = LawVersion(law_id="lfl", version="2015-03-15", valid_from="2015-03-15")
        self.v23 = LawVersion(law_id="lfl", version="2023-03-13", valid_from="2023-03-13")

    def find_laws(self, name: str, **_: Any) -> list[Law]:
        return [self.law] if "立法法" in name else []

    def version_in_force(self, law_id: str, date: str) -> LawVersion | None:
        return self.v23 if date >= "2023-03-13" else self.v15 if date >= "2015-03-15" else None

    def article(self, law_id: str, version: str, number: int, suffix: int = 0) -> Article | None:
        want = 11 if version == "2023-03-13" else 8
        if number != want:
            return None
        body = "测试用条文：某些事项只能由法律规定。"
        return Article(law_id=law_id, version=version, number=number, label=f"第{'十一' if want == 11 else '八'}条",
                       text=body, paragraphs=(body,))


@pytest.mark.parametrize("as_of, version, article, summary", [
    ("2024-01-01", "2023-03-13", "第十一条", False),
    ("2016-01-01", "2015-03-15", "第八条", False),
    ("2006-01-01", "2000-03-15", "第八条", True),  # the corpus lacks the 2000 text: our summary, marked
])
def test_reference_evidence_is_the_corpus_text_of_the_version_in_force(as_of: str, version: str, article: str,
                                                                       summary: bool) -> None:
    ev = ref_evidence(_FakeCorpus(), legality().ref("立法法.法律保留"), as_of)
    assert ev is not None and ev.version == version and ev.article == article
    assert ev.text.startswith(SUMMARY_MARK) is summary


# --------------------------------------------------------------------------------------- analysers
HITS = [
    ("申请本区网约车驾驶员证的，应当具有本区户籍并在本区居住满两年。", "normative_document", "hukou_condition"),
    ("申领救助金的，申请人须提交无犯罪记录证明。", "normative_document", "no_crime_record"),
    ("对拒不签订协议的当事人，暂停办理其子女的入学手续和其配偶的低保审批。", "normative_document", "family_sanction"),
    ("外嫁女的户口虽未迁出，不再参与本组征地补偿款分配。", "normative_document", "married_women"),
    ("商户入驻本市场，应当交纳管理保证金两千元。", "normative_document", "deposit"),
    ("全县行政区域内全面禁止燃放烟花爆竹。", "municipal_regulation", "blanket_ban_fireworks"),
    ("机关工作人员违反规定生育第三个子女的，予以开除。", "local_regulation", "birth_dismissal"),
    ("小区共用部位广告收益，由物业服务企业和社区居民委员会按比例分成。", "local_regulation", "common_property"),
    ("调查违法行为时，执法人员可以调取当事人的通话记录。", "municipal_rule", "communication_records"),
    ("对多次滋事的人员，可以送至学习教育中心集中学习，期限不超过一个月。", "normative_document", "personal_freedom"),
    ("行政案件中变更被告的，审理期限重新计算。", "normative_document", "litigation_rule"),
    ("当事人逾期不拆除的，街道办事处可以组织强制拆除。", "normative_document", "enforcement_wording"),
    ("开设棋牌室的，应当事先取得区文化部门核发的经营许可证。", "normative_document", "licence_phrasing"),
    ("乡镇人民政府负责辖区内农药经营的查处，并承担检测费用。", "normative_document", "township_duty"),
]
MISSES = [
    ("申请表填写申请人的户籍所在地和联系电话。", "normative_document"),
    ("持有本区居住证的人员，与户籍居民同等享受公共文化服务。", "normative_document"),
    ("学校招聘教职工前，应当查询应聘者有无性侵害违法犯罪记录。", "normative_document"),
    ("最低生活保障以共同生活的家庭成员的收入作为审核依据。", "normative_document"),
    ("不得要求企业缴纳法律、行政法规规定以外的保证金。", "normative_document"),
    ("城区中心区域禁止燃放烟花爆竹；具体区域和时段由市人民政府公布。", "municipal_regulation"),
    ("国家工作人员有违法行为的，依法给予处分。", "local_regulation"),
    ("利用共有部分取得的收入，扣除合理成本后归全体业主所有。", "local_regulation"),
    ("因侦查犯罪需要检查公民通信的，由公安机关依照刑事诉讼法规定的程序进行。", "normative_document"),
    ("当事人不服的，有权申请复议，也可以直接向人民法院起诉。", "normative_document"),
    ("逾期不拆除的，由区人民政府申请人民法院强制执行。", "normative_document"),
    ("从事食品经营的，应当依照《食品安全法》取得食品经营许可。", "normative_document"),
    ("镇人民政府依照《消防法》指导村民委员会做好消防工作。", "normative_document"),
    ("违反本条例规定的，由公安机关依照《治安管理处罚法》给予拘留。", "local_regulation"),
    ("物业服务人不得有下列行为：\n（一）采取停止供水、供电方式催交物业费。", "local_regulation"),
]


@pytest.mark.parametrize("text, kind, analyser", HITS)
def test_each_analyser_finds_its_provision(text: str, kind: str, analyser: str) -> None:
    assert analyser in {h.row.id for h in analyse_text(text, kind)}


@pytest.mark.parametrize("text, kind", MISSES)
def test_lawful_look_alikes_are_left_alone(text: str, kind: str) -> None:
    # the item-level lead-in (不得有下列行为) is checked in the document-level test below
    hits = analyse_text(text, kind, lead="物业服务人不得有下列行为：" if "（一）" in text else "")
    assert not hits, [h.row.id for h in hits]


def test_analysers_respect_the_kind() -> None:
    text = "当事人对复议决定不服的，不得向人民法院起诉。"
    assert analyse_text(text, "normative_document")
    assert not analyse_text("申请人应当具有本市户籍。", "law")


@pytest.mark.parametrize("text, as_of, found", [
    ("当事人对具体行政行为不服的，可以申请复议。", "2014-06-01", False),
    ("当事人对具体行政行为不服的，可以申请复议。", "2016-06-01", True),
    ("对直接责任人员依法给予行政处分。", "2019-06-01", False),
    ("对直接责任人员依法给予行政处分。", "2021-06-01", True),
    ("本条例施行前已经作出但尚未执行的社会抚养费征收决定，不再执行。", "2022-06-01", False),
    ("企业应当每年办理机动车年检。", "2020-06-01", False),
    ("企业应当每年到工商部门办理年检。", "2020-06-01", True),
])
def test_abolished_terms_are_judged_on_the_documents_date(text: str, as_of: str, found: bool) -> None:
    assert bool(abolished_in(text, as_of)) is found


def test_abolished_term_kept_where_the_superior_still_uses_it() -> None:
    text = "对已有的污染环境的设施，应当限期治理。"
    assert abolished_in(text, "2020-01-01")
    assert not abolished_in(text, "2020-01-01", title="某市文物保护条例")


def test_sentences_keep_offsets() -> None:
    text = "甲。乙；丙"
    assert [(s, t) for s, t in sentences(text)] == [(0, "甲。"), (2, "乙；"), (4, "丙")]
    assert all(text[s:s + len(t)] == t for s, t in sentences(text))


def test_shared_share_ignores_generic_words() -> None:
    gen = legality().basis_search.generic
    assert shared_share("应当由有关部门规定", "完全不同的内容", gen) == 0.0
    assert shared_share("夜间施工证明", "夜间施工的，应当取得证明", gen) > 0.5


# ------------------------------------------------------------------------------- document level
DOC = """某市某某管理办法

第一条 为了加强管理，制定本办法。

第二条 报名本市公益性岗位的，须为本市常住户口且落户满三年。

第三条 物业服务人不得有下列行为：
（一）采取停止供水、供电方式催交物业费；
（二）擅自改变共有部分用途。

第四条 当事人对具体行政行为不服的，可以申请复议。
"""


def _ctx(kind: Level, as_of: str, corpus: Any = None) -> CheckContext:
    return CheckContext(document=load_document(DOC), kind=kind, as_of=as_of, region=None, corpus=corpus)


def test_conditional_alarm_says_what_was_searched_and_cites_the_kind_basis() -> None:
    fs = check_legality(_ctx(Level.NORMATIVE_DOCUMENT, "2024-06-01"))
    hukou = [f for f in fs if f.details["analyser"] == "hukou_condition"]
    assert len(hukou) == 1 and hukou[0].clause == "第二条"
    f = hukou[0]
    assert "searched" in f.details or "searched_note" in f.details  # one or the other, always
    assert "国办发〔2018〕37号" in f.basis and "立法法第一百零七条" not in f.basis
    assert all(e.text.strip() for e in f.evidence)
    assert not [x for x in fs if x.details["analyser"] == "utility_cutoff"]  # the item sits under 不得
    old = [x for x in fs if x.type.value == "outdated_reference"]
    assert old and old[0].clause == "第四条" and "行政行为" in old[0].message


def test_regulations_get_the_legislation_basis_of_their_date() -> None:
    fs = check_legality(_ctx(Level.MUNICIPAL_RULE, "2016-06-01"))
    f = next(f for f in fs if f.details["analyser"] == "hukou_condition")
    assert "立法法第八十二条第六款" in f.basis and "国办发" not in f.basis


def test_basis_search_without_a_corpus_says_so() -> None:
    b = find_basis(_ctx(Level.NORMATIVE_DOCUMENT, "2024-06-01"), "须为本市常住户口", legality().analysers[0].measure)  # type: ignore[arg-type]
    assert not b.found and "searched_note" in b.details()


# ---------------------------------------------------------------- real regulations (corpus tests)
def _article_texts(corpus: Any, law_name: str, version: str | None, label: str) -> list[str]:
    laws = [law for law in corpus.find_laws(law_name) if law.name == law_name]
    head = label.split("条")[0].removeprefix("第")
    if not laws or version is None or not head:
        return []
    try:
        number = cn_to_int(head.split("之")[0])
    except ValueError:
        return []
    out = []
    for law in laws:
        art = corpus.article(law.id, version, number)
        if art is not None:
            out += [art.text, *art.paragraphs]
    return out


@pytest.mark.corpus
def test_no_finding_on_real_regulations_quotes_an_empty_or_fabricated_text(shared_corpus: Any,
                                                                            corpus_root: Path) -> None:
    """Issue 14: evidence is the corpus article (or paragraph) it names, or a summary marked as such."""
    from normcheck import check
    from normcheck.corpus.lawfiles import list_law_files, versions_by_title

    docs = sorted((files[-1].rel, files[-1]) for (region, _t), files in
                  versions_by_title(list_law_files(corpus_root)).items() if region)
    sample = random.Random(14).sample(docs, 25)
    # plus documents known to draw legality findings (abolished terms, 强制拆除)
    extra = [d for d in docs if any(k in d[0] for k in ("人口与计划生育条例", "大气污染防治条例", "城乡规划条例"))][:4]
    extra += [d for d in docs if any(k in d[0] for k in ("燃气管理条例", "建设工程施工安全管理条例"))][:3]
    seen = 0
    for _rel, f in sample + extra:
        res = check(f.path, kind=f.kind, as_of=f.date, region=f.region if hasattr(f, "region") else None,
                    corpus=shared_corpus)
        for finding in res.findings:
            for i, ev in enumerate(finding.evidence):
                assert ev.text.strip(), (finding.rule, finding.basis, ev)
                # the authority check's comparison with a superior article quotes that article first
                compared = finding.rule == "authority" and i == 0 and "superior_basis" in finding.details
                if not (finding.rule == "legality" or compared) or ev.text.startswith(SUMMARY_MARK):
                    continue
                seen += 1
                texts = _article_texts(shared_corpus, ev.law, ev.version, ev.article)
                assert ev.text in texts, (finding.message, ev.law, ev.version, ev.article)
    assert seen > 0


def test_authority_check_quotes_a_marked_summary_not_an_empty_text() -> None:
    """Issue 14: the 设定权 finding on a 规范性文件 cited 国办发〔2018〕37号 with an empty text."""
    from normcheck.checks.authority.check import check_authority

    doc = load_document("关于某事的通知\n\n第一条 为了管理，制定本通知。\n\n第二条 经营者应当缴纳保证金五千元。\n")
    fs = check_authority(CheckContext(document=doc, kind=Level.NORMATIVE_DOCUMENT, as_of="2024-06-01", region=None))
    assert fs and all(e.text.strip() for f in fs for e in f.evidence)
    assert any(e.text.startswith(SUMMARY_MARK) for f in fs for e in f.evidence)


def test_authority_check_never_cites_a_later_version_for_an_older_document() -> None:
    from normcheck.checks.authority.check import check_authority

    doc = load_document("某市某某管理办法\n\n第一条 为了管理，制定本办法。\n\n第二条 对违法者予以行政拘留。\n")
    ctx = CheckContext(document=doc, kind=Level.MUNICIPAL_RULE, as_of="2006-06-01", region=None,
                       corpus=_FakeCorpus())
    for f in check_authority(ctx):
        assert all(e.version is None or e.version <= "2006-06-01" for e in f.evidence), f.evidence
