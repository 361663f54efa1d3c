"""False-alarm classes of the 设定权 rows and the fine comparison found by the hand-judged DLC sample of 2026-12-02
(seed 1203, issue 14), each with the lawful reading it must keep and the unlawful one it must still report:

- 征收/征用 only spoken of: inside a title (《…征用…条例》同时废止), put under the land laws by the next sub-clause
  (征收集体土地，应当依照土地管理法律、法规的规定…), one of a list of circumstances or of ways (…等特殊情形, 采用征收、
  划拨等方式);
- 拘留人员, 服刑人员: persons, not a detention imposed;
- restatements the basis search missed: a sentence that restates two superior articles (each sentence is searched on
  its own), the superior's own ladder of sizes (五日以下…五日以上十日以下), one ；-piece of a long sentence (a tax
  exemption the superior law grants);
- a fine compared with the provision of another conduct in the same superior article (the paragraph of the conduct
  is compared, not the whole article).

The provisions below are written for these tests (not corpus text)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from normcheck.checks import CheckContext
from normcheck.checks.authority.acts import analyze_clause
from normcheck.checks.authority.check import check_authority
from normcheck.checks.authority.penalty import conduct_unit, conduct_units
from normcheck.knowledge.legality import legality
from normcheck.structure.load import load_document
from normcheck.types.law import Level


def _sets(text: str, family: str) -> list[str]:
    return [a.type for a in analyze_clause(text).acts if a.family == family and a.sets]


@pytest.mark.parametrize(("text", "family"), [
    ("本条例自2015年3月1日起施行。《某市征用集体所有土地房屋拆迁办法》同时废止。", "reserved"),
    ("征收、征用集体土地，应当依照土地管理法律、法规的规定办理补偿，保障农户的合法权益。", "reserved"),
    ("园区建设征用集体土地，应严格按照土地法律、法规的有关规定足额支付费用。", "reserved"),
    ("因重点工程征收村集体土地面积较大等特殊情形需要调整承包地的，应当经村民会议同意。", "reserved"),
    ("供水设施可以采用征收、划拨或者集体土地调剂等方式取得用地。", "reserved"),
    ("司法行政部门应当对拘留人员、服刑人员开展法治教育。", "penalty"),
    ("司法行政机关应当做好剥夺政治权利并在社会上服刑人员的管理工作。", "reserved"),
])
def test_a_measure_only_spoken_of_is_not_set(text: str, family: str) -> None:
    assert _sets(text, family) == []


@pytest.mark.parametrize(("text", "family", "type_"), [
    ("县人民政府可以征收农民集体所有的宅基地用于旅游开发。", "reserved", "征收征用"),
    ("涉嫌转移资金的，监管部门可以冻结涉案人员的存款。", "compulsion", "冻结"),
    ("在公共场所赌博的，处十日以下拘留。", "penalty", "行政拘留"),
    ("对拒不配合的，公安机关可以拘留其负责人。", "penalty", "行政拘留"),
])
def test_a_measure_set_here_is_still_set(text: str, family: str, type_: str) -> None:
    assert type_ in _sets(text, family)


@dataclass
class _Article:
    text: str
    paragraphs: tuple[str, ...]


_TWO_CONDUCTS = _Article(
    text="",
    paragraphs=("违反本法规定，甲类单位未安装净化装置的，由主管部门责令改正，处五千元的罚款。",
                "违反本法规定，在禁止区域内使用乙类高排放机械的，由主管部门依法予以处罚。"))
_ITEMS_AND_FINES = _Article(
    text="",
    paragraphs=("有下列行为之一的，由主管部门责令停止违法行为：",
                "（一）向河道倾倒垃圾的；",
                "（二）在河道内清洗车辆的。",
                "有前款第一项行为的，处一万元以上十万元以下的罚款；有前款第二项行为的，处五百元以上五千元以下的罚款。"))


@pytest.mark.parametrize(("article", "n_units"), [(_TWO_CONDUCTS, 2), (_ITEMS_AND_FINES, 1)])
def test_conduct_units_keep_items_and_back_references_with_their_provision(article: _Article, n_units: int) -> None:
    assert len(conduct_units(article)) == n_units


def test_the_fine_is_compared_with_the_paragraph_of_the_same_conduct() -> None:
    generic = legality().measures.generic  # type: ignore[union-attr]
    art = _Article(text="".join(_TWO_CONDUCTS.paragraphs), paragraphs=_TWO_CONDUCTS.paragraphs)
    unit = conduct_unit(art, "在禁止区域内使用乙类高排放机械", generic)
    assert "五千元" not in unit and "乙类" in unit
    # no provision clearly the conduct's: the whole article, as before
    assert conduct_unit(art, "违反本法规定的", generic) == art.text


def _findings(body: str, as_of: str, corpus: Any, kind: Level = Level.MUNICIPAL_REGULATION,
              region: str = "山东") -> list[Any]:
    doc = load_document(f"某某条例\n\n第一条 为了加强管理，制定本条例。\n\n第二条 {body}\n\n"
                        "第三条 本条例自公布之日起施行。\n")
    ctx = CheckContext(document=doc, kind=kind, as_of=as_of, region=region, corpus=corpus)
    return [f for f in check_authority(ctx) if (f.clause or "").startswith("第二条")]


def _high_or_medium(found: list[Any], row: str) -> list[Any]:
    return [f for f in found if f.details.get("table_row") == row and f.severity.value in ("high", "medium")]


def test_detention_restating_the_public_security_law_raises_no_alarm(shared_corpus: Any) -> None:
    # two sentences, two conducts of 治安管理处罚法 (恐吓/辱骂; 殴打), the same ladder of sizes
    body = ("对恐吓、辱骂劝导员的，公安机关处五日以下拘留或者五百元以下罚款；情节较重的，处五日以上十日以下拘留，"
            "并可处五百元以下罚款。殴打劝导员的，处五日以上十日以下拘留，并处二百元以上五百元以下罚款；情节较轻的，"
            "处五日以下拘留或者五百元以下罚款。")
    assert not _high_or_medium(_findings(body, "2017-06-01", shared_corpus), "penalty.regulation.forbidden")


def test_detention_a_regulation_sets_itself_is_still_high(shared_corpus: Any) -> None:
    body = "在广场、公园内组织斗鸡取乐的，由公安机关处十五日以下拘留，可以并处三千元以下罚款。"
    got = _high_or_medium(_findings(body, "2017-06-01", shared_corpus), "penalty.regulation.forbidden")
    assert got and got[0].severity.value == "high"


def test_a_tax_exemption_the_income_tax_law_grants_is_not_high(shared_corpus: Any) -> None:
    body = ("企业的研发费用可以按照国家有关规定加计扣除；企业的研发仪器可以加速折旧；符合条件的企业技术转让所得，"
            "可以免征、减征企业所得税。")
    assert not _high_or_medium(_findings(body, "2011-06-01", shared_corpus), "reserved.other")


def test_a_flat_tax_exemption_set_by_a_regulation_is_still_high(shared_corpus: Any) -> None:
    body = "区内从事观光农业的个体工商户免征个人所得税和城镇土地使用税。"
    assert _high_or_medium(_findings(body, "2015-06-01", shared_corpus), "reserved.other")


def test_no_fine_comparison_with_another_conducts_paragraph(shared_corpus: Any) -> None:
    # 大气污染防治法第一百一十四条: its 第一款 fines one conduct, 第二款 leaves this one to 依法处罚
    body = ("违反本条例规定，在禁止使用高排放非道路移动机械的区域使用高排放非道路移动机械的，"
            "由生态环境主管部门责令改正，处五百元罚款。")
    got = [f for f in _findings(body, "2020-06-01", shared_corpus)
           if str(f.details.get("table_row", "")).startswith("penalty.superior.fine_")]
    assert not got


def test_a_fine_below_the_range_of_the_same_conduct_is_still_found(shared_corpus: Any) -> None:
    # 水污染防治法第八十五条: the conduct in an item, its fine in the paragraph that points back to it
    body = "向水体排放油类、酸液、碱液的，处五百元至一千元罚款。"
    got = [f for f in _findings(body, "2024-06-01", shared_corpus, kind=Level.LOCAL_REGULATION, region="广西")
           if f.details.get("table_row") == "penalty.superior.fine_below_range"]
    assert got
