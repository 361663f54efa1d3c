"""Penalties and 查封/扣押 measured against the superior article for the same conduct (issue 14,
checks/authority/penalty.py), and the four lawful look-alikes the older signal words raised.

Provisions below are written for these tests (not corpus text)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from normcheck.checks import CheckContext
from normcheck.checks.authority.check import check_authority
from normcheck.checks.authority.penalty import conduct_of, family_of
from normcheck.errors import NormcheckError
from normcheck.knowledge.legality import validate_legality
from normcheck.knowledge.schema import read_packaged
from normcheck.structure.load import load_document
from normcheck.types.findings import FindingType
from normcheck.types.law import Level


def _doc(body: str, title: str = "某某管理条例") -> Any:
    return load_document(f"{title}\n\n第一条 为了加强管理，制定本条例。\n\n第二条 {body}\n\n"
                         "第三条 本条例自2024年1月1日起施行。\n")


def _findings(body: str, kind: Level, corpus: Any = None, region: str | None = None) -> list[Any]:
    ctx = CheckContext(document=_doc(body), kind=kind, as_of="2024-06-01", region=region, corpus=corpus)
    return [f for f in check_authority(ctx) if (f.clause or "").startswith("第二条")]


# ------------------------------------------------------------------------------------ pieces
def test_conduct_is_the_words_before_the_disposition() -> None:
    got = conduct_of("第九条 违反本条例第五条规定，在河道内倾倒垃圾的，由水行政部门责令改正，处二百元罚款。")
    assert got == "在河道内倾倒垃圾的"
    assert conduct_of("（二）占用绿地停放车辆的，处一百元罚款；") == "占用绿地停放车辆的"


def test_penalty_families() -> None:
    assert family_of("警告") == family_of("通报批评")
    assert family_of("没收违法所得") == family_of("没收非法财物")
    assert family_of("罚款") != family_of("没收违法所得")
    assert family_of("吊销许可证件") == family_of("暂扣许可证件")


def test_superior_measures_section_is_validated() -> None:
    data = copy.deepcopy(read_packaged("legality.json"))
    del data["superior_measures"]["messages"]["fine_below"]
    with pytest.raises(NormcheckError, match="fine_below"):
        validate_legality(data, read_packaged("abolished.json"))
    data = copy.deepcopy(read_packaged("legality.json"))
    data["superior_measures"]["penalty_refs"]["local_regulation"] = "没有这条"
    with pytest.raises(NormcheckError, match="penalty_refs"):
        validate_legality(data, read_packaged("abolished.json"))


# ------------------------------------------------------------------ no corpus: the object rule
def test_seizure_of_papers_by_a_local_regulation_is_not_seizure_of_property() -> None:
    fs = _findings("对无照经营的摊贩，城市管理部门可以扣押其身份证件。", Level.LOCAL_REGULATION)
    got = [f for f in fs if f.type == FindingType.COMPULSION_SETTING]
    assert got and got[0].details["subtype"] == "seizure_object"
    assert all(e.text.strip() for e in got[0].evidence)


# --------------------------------------------------------------------- the four look-alikes
@pytest.mark.parametrize("body, ftype", [
    ("不得要求企业缴纳法律、行政法规规定以外的押金。", FindingType.RIGHTS_OBLIGATIONS),
    ("持有居住证的人员与本市户籍居民平等享有公共文化服务。", FindingType.RIGHTS_OBLIGATIONS),
    ("当事人逾期不履行的，由县人民政府依法申请法院强制执行。", FindingType.COMPULSION_SETTING),
    ("检验费按照国家规定的标准收取。", FindingType.FEE_SETTING),
])
def test_lawful_look_alikes_of_the_older_signal_words_do_not_fire(body: str, ftype: FindingType) -> None:
    assert not [f for f in _findings(body, Level.NORMATIVE_DOCUMENT) if f.type == ftype]


@pytest.mark.parametrize("body, ftype", [
    ("申请人应当向主管部门缴纳押金一万元。", FindingType.RIGHTS_OBLIGATIONS),
    ("逾期不拆除的，由区城管局强制执行。", FindingType.COMPULSION_SETTING),
    ("停车服务费按每小时十元的标准收取。", FindingType.FEE_SETTING),
])
def test_the_unlawful_uses_still_fire(body: str, ftype: FindingType) -> None:
    assert [f for f in _findings(body, Level.NORMATIVE_DOCUMENT) if f.type == ftype]


# --------------------------------------------------------------- with the corpus: the comparison
@pytest.mark.corpus
def test_a_fine_below_the_superior_range_is_reported_with_the_superior_article(shared_corpus: Any) -> None:
    fs = _findings("个人在经营活动中使用不可降解的一次性塑料袋的，处五十元至二百元罚款。", Level.LOCAL_REGULATION,
                   shared_corpus, "湖南")
    got = [f for f in fs if f.details.get("subtype") == "fine_below_range"]
    assert got, [f.message for f in fs]
    f = got[0]
    assert "固体废物污染环境防治法" in f.evidence[0].law and f.evidence[0].text.strip()
    assert "行政处罚法第十二条第二款" in f.basis
    assert f.details["superior_basis"]["article"]


@pytest.mark.corpus
def test_a_fine_inside_the_superior_range_is_not_reported(shared_corpus: Any) -> None:
    fs = _findings("向水体排放油类的，由生态环境主管部门责令改正，处三万元以上十万元以下的罚款。",
                   Level.LOCAL_REGULATION, shared_corpus, "广西")
    assert not [f for f in fs if str(f.details.get("table_row", "")).startswith("penalty.superior")]


@pytest.mark.corpus
def test_a_fine_resting_on_the_law_is_not_compared(shared_corpus: Any) -> None:
    fs = _findings("使用不可降解一次性塑料制品的，依照《中华人民共和国固体废物污染环境防治法》的规定处罚。",
                   Level.LOCAL_REGULATION, shared_corpus, "湖南")
    assert not [f for f in fs if f.type == FindingType.PENALTY_SETTING]


@pytest.mark.corpus
def test_a_penalty_type_the_superior_article_lacks_replaces_the_generic_alarm(shared_corpus: Any) -> None:
    fs = _findings("出租汽车驾驶员拒载乘客三次以上的，责令停止营运三个月。", Level.MUNICIPAL_RULE,
                   shared_corpus, "重庆")
    pen = [f for f in fs if f.type == FindingType.PENALTY_SETTING]
    assert [f.details.get("subtype") for f in pen] == ["penalty_type_added"], [f.message for f in pen]
    assert pen[0].details["superior_basis"]["law"]
