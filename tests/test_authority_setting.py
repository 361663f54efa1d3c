"""Whether a clause *sets* a penalty, compulsory measure or reserved matter that its issuer may not set, read the way a
reviewer reads it (issue 14; the stratified DLC sample of 2026-12-02 found the 设定权 rows firing on restatements,
prohibitions and descriptions): references to law in the same sub-clause (依法…, 按照规定…, 依照某某法的规定…),
prohibitions governing the measure, courts and criminal procedure, qualified nouns (…的人, …的机制), purpose/scope/
definition clauses and items of lists of conduct; the rule's own law not yet in force on the document's date; the
superior provision that provides the same measure.

The provisions below are written for these tests (not corpus text)."""

from __future__ import annotations

from typing import Any

import pytest

from normcheck.checks import CheckContext
from normcheck.checks.authority.acts import analyze_clause
from normcheck.checks.authority.check import check_authority
from normcheck.knowledge.legality import legality
from normcheck.structure.load import load_document
from normcheck.types.law import Level


def _sets(text: str, family: str) -> list[str]:
    return [a.type for a in analyze_clause(text).acts if a.family == family and a.sets]


@pytest.mark.parametrize("text", [
    "任何单位不得超范围、超数额查封、扣押、冻结经营者的财产。",
    "严禁违反法定条件对企业财产实施查封、扣押和冻结等措施。",
    "行政机关违法查封、扣押、冻结企业财产的，应当及时解除。",
    "司法机关对企业经营者采取限制人身自由的强制措施，应当依照法定程序。",
    "监管部门应当与银行建立快速查询、冻结的协作机制。",
    "对未依法立即冻结有关资金的机构，依照有关法律处理。",
    "但限制人身自由的行政处罚权只能由公安机关行使。",
    "税务机关依法实施冻结存款时，银行应当协助。",
])
def test_compulsion_spoken_of_is_not_set(text: str) -> None:
    assert _sets(text, "compulsion") == []


@pytest.mark.parametrize("text", [
    "违反规定的，由公安机关依法处十日以下拘留。",
    "公安机关依照治安管理处罚法的规定给予拘留处罚。",
    "对直接责任人员依法给予行政拘留。",
])
def test_penalty_by_reference_is_not_set(text: str) -> None:
    assert _sets(text, "penalty") == []


@pytest.mark.parametrize("text", [
    "捐赠物资用于公益事业的，依法减征或者免征进口关税。",
    "符合条件的出口货物，按照规定免征增值税。",
    "被判处拘役而没有附加剥夺政治权利的人，在原选区投票。",
    "街道办事处协助对判处管制、缓刑的青少年的帮教工作。",
    "登记机构根据行政机关作出的征收集体所有土地等有关的决定办理登记。",
    "土地管理机构负责征收集体所有土地房屋补偿的监督工作。",
    "征收集体所有的土地，应当依法给予补偿。",
])
def test_reserved_matter_spoken_of_is_not_set(text: str) -> None:
    assert _sets(text, "reserved") == []


@pytest.mark.parametrize(("text", "family", "type_"), [
    ("涉嫌转移资金的，监管部门可以冻结其资金账户。", "compulsion", "冻结"),
    ("在公共场所赌博的，处十日以下拘留。", "penalty", "行政拘留"),
    ("区内企业之间的货物交易免征增值税。", "reserved", "税收"),
])
def test_a_measure_set_here_is_still_set(text: str, family: str, type_: str) -> None:
    assert type_ in _sets(text, family)


def _findings(body: str, as_of: str, kind: Level = Level.LOCAL_REGULATION, first: str = "为了加强管理，制定本条例。"
              ) -> list[Any]:
    doc = load_document(f"某某条例\n\n第一条 {first}\n\n第二条 {body}\n\n第三条 本条例自公布之日起施行。\n")
    ctx = CheckContext(document=doc, kind=kind, as_of=as_of, region="浙江", corpus=None)
    return [f for f in check_authority(ctx) if (f.clause or "").startswith("第二条")]


def test_freezing_set_by_a_local_regulation_is_high_after_2012_and_low_before() -> None:
    body = "涉嫌转移资金的，监管部门可以冻结其资金账户。"
    after = [f for f in _findings(body, "2015-06-01")
             if f.details.get("table_row") == "compulsion.regulation.forbidden"]
    before = [f for f in _findings(body, "2010-06-01")
              if f.details.get("table_row") == "compulsion.regulation.forbidden"]
    assert after and after[0].severity.value == "high"
    assert before and before[0].severity.value == "low"
    assert before[0].details.get("rule_not_in_force") == "2012-01-01"


def test_reserved_matter_before_the_legislation_law_is_low() -> None:
    got = [f for f in _findings("非法倒卖文物，情节严重的，以走私罪论处。", "1990-01-05")
           if f.details.get("table_row") == "reserved.other"]
    assert got and all(f.severity.value == "low" for f in got)


def test_list_items_of_conduct_and_definitions_set_nothing() -> None:
    items = "有下列行为之一的，由主管部门责令改正：\n（一）辱骂工作人员，或者限制其人身自由；\n（二）拒绝检查。"
    assert not [f for f in _findings(items, "2020-01-01") if f.type.value == "compulsion_setting"]
    definition = "本条例所称自由港，是指绝大多数商品免征关税的特定区域。"
    assert not [f for f in _findings(definition, "2020-01-01") if f.type.value == "reserved_matter"]
    purpose = "为了规范征收集体所有土地房屋补偿工作，根据有关法律，制定本条例。"
    assert not [f for f in _findings("本条例自公布之日起施行。", "2020-01-01", first=purpose)
                if f.type.value == "reserved_matter" and (f.clause or "").startswith("第一条")]


def test_in_force_from_reads_the_dated_references() -> None:
    tables = legality()
    assert tables.in_force_from("行政强制法") == "2012-01-01"
    assert tables.in_force_from("立法法") == "2000-07-01"
    assert tables.in_force_from("行政处罚法") == "1996-10-01"
    assert tables.in_force_from("没有这部法") is None
    assert {"吊销营业执照", "行政拘留", "冻结", "税收"} <= set(tables.basis_search.measures)


def test_a_restatement_of_the_superior_law_raises_no_high_alarm(shared_corpus: Any) -> None:
    # the same conduct and the same measure as the product quality law's penalty for adulterated products
    body = ("生产者在燃气产品中掺杂掺假、以假充真的，责令停止生产和销售，没收有关产品，并处货值金额一倍以上三倍"
            "以下罚款；情节严重的，吊销营业执照。")
    doc = load_document(f"某某条例\n\n第一条 为了加强管理，制定本条例。\n\n第二条 {body}\n\n"
                        "第三条 本条例自公布之日起施行。\n")
    ctx = CheckContext(document=doc, kind=Level.LOCAL_REGULATION, as_of="2020-06-01", region="浙江",
                       corpus=shared_corpus)
    got = [f for f in check_authority(ctx) if f.details.get("table_row") == "penalty.regulation.forbidden"]
    assert all(f.severity.value == "low" for f in got)
