"""Document kind and region inference (issue 5). Documents are our own short texts."""

from __future__ import annotations

import pytest

from normcheck import segment
from normcheck.structure.kind import find_place, infer_kind, infer_region
from normcheck.types.law import Level

BODY = "\n\n第一条 为了加强管理，制定本{u}。\n第二条 本{u}自2024年1月1日起施行。\n"


@pytest.mark.parametrize(("head", "unit", "kind", "region"), [
    ("浙江省河道管理条例\n\n2020年1月1日浙江省第十三届人民代表大会常务委员会第二十次会议通过", "条例",
     Level.LOCAL_REGULATION, "浙江"),
    ("杭州市河道管理条例\n\n2020年1月1日杭州市第十三届人民代表大会常务委员会第二十次会议通过", "条例",
     Level.MUNICIPAL_REGULATION, "浙江"),
    ("丽水市养犬管理规定\n\n2020年5月29日 丽水市第四届人民代表大会常务委员会第二十五次会议通过", "规定",
     Level.MUNICIPAL_REGULATION, "浙江"),
    ("济南市某某管理办法\n\n（2020年3月1日济南市人民政府令第270号公布）", "办法", Level.MUNICIPAL_RULE, "山东"),
    ("河南省某某管理办法\n\n2019年5月1日河南省人民政府第50次常务会议通过", "办法", Level.PROVINCIAL_RULE, "河南"),
    ("北京市某某管理办法\n\n北京市人民政府令第300号", "办法", Level.PROVINCIAL_RULE, "北京"),
    ("关于加强某某管理的通知\n\n深圳市市场监督管理局", "通知", Level.NORMATIVE_DOCUMENT, "广东"),
    ("关于促进某某发展的若干意见", "意见", Level.NORMATIVE_DOCUMENT, None),
    ("某某区某某工作实施方案\n\n上海市某某区人民政府办公室", "方案", Level.NORMATIVE_DOCUMENT, "上海"),
    ("某某管理办法", "办法", None, None),
    ("景宁畲族自治县水资源管理条例", "条例", Level.AUTONOMOUS_REGULATION, None),
    ("中华人民共和国某某法", "法", Level.LAW, None),
])
def test_infer_kind_and_region(head: str, unit: str, kind: Level | None, region: str | None) -> None:
    doc = segment(head + BODY.format(u=unit))
    got, reason = infer_kind(doc)
    assert got == kind, reason
    assert reason
    assert infer_region(doc) == region


@pytest.mark.parametrize(("text", "province", "city"), [
    ("宁波杭州湾新区条例", "浙江", "宁波"),
    ("浙江省杭州市人民政府", "浙江", "杭州"),
    ("中国（浙江）自由贸易试验区条例", "浙江", None),
    ("东莞市养犬管理规定", "广东", "东莞"),
    ("无地名的文件", None, None),
])
def test_find_place(text: str, province: str | None, city: str | None) -> None:
    p = find_place(text)
    assert (p.province, p.city) == (province, city)
