"""Clause analysis (issue 5): what a clause does, and setting vs referring. Texts are our own."""

from __future__ import annotations

import pytest

from normcheck.checks.authority.acts import analyze_clause, parse_fine

# (text, family, type, sets)
CASES = [
    ("违反本办法第五条规定的，由市场监管部门责令改正，处一千元以上一万元以下罚款。", "penalty", "罚款", True),
    ("违反本办法规定的，依照《中华人民共和国食品安全法》的规定没收违法所得，并处罚款。", "penalty", "罚款", False),
    ("依照《中华人民共和国食品安全法》的规定没收违法所得，并处罚款。", "penalty", "没收违法所得", False),
    ("情节严重的，由原发证机关依法吊销其经营许可证。", "penalty", "吊销许可证件", False),
    ("情节严重的，由原发证机关吊销其经营许可证。", "penalty", "吊销许可证件", True),
    ("情节严重的，由市场监管部门吊销营业执照。", "penalty", "吊销营业执照", True),
    ("违反前款规定的，依照有关法律、法规的规定给予警告。", "penalty", "警告", False),
    ("违反本规定的，由公安机关给予警告，处五日以下拘留。", "penalty", "行政拘留", True),
    ("正在受拘留处罚的人员，暂停行使选举权利。", "penalty", "行政拘留", False),
    ("拒不改正的，责令停产停业。", "penalty", "责令停产停业", True),
    ("执法人员可以查封、扣押其经营工具。", "compulsion", "扣押", True),
    ("对拒不改正的，由执法部门依法查封违法场所。", "compulsion", "查封", False),
    ("对逾期不履行的，行政机关可以申请人民法院强制执行。", "compulsion", "强制执行", False),
    ("对逾期不履行的，由区人民政府组织强制拆除。", "compulsion", "强制执行", True),
    ("行政机关不得查封与违法行为无关的场所。", "compulsion", "查封", None),
    ("从事犬只经营的，应当经区农业农村部门批准。", "license", "许可", True),
    ("未经批准擅自经营的，处五百元罚款。", "license", "许可", None),
    ("投标人应当缴纳投标保证金。", "obligation", "保证金押金", True),
    ("参加本市政府采购的供应商须为本市户籍人员设立的企业。", "obligation", "户籍地域限制", True),
    ("物业服务企业不得收取任何费用。", "fee", "收费", None),
    ("办理登记的，收取工本费二十元。", "fee", "收费", True),
    ("办理登记的，按照国家有关规定收取工本费。", "fee", "收费", False),
    ("有下列行为之一的，以盗窃罪论处。", "reserved", "犯罪和刑罚", True),
    ("依照法律被剥夺政治权利的人没有选举权。", "reserved", "剥夺政治权利", False),
]


@pytest.mark.parametrize(("text", "family", "type_", "sets"), CASES)
def test_setting_vs_referring(text: str, family: str, type_: str, sets: bool | None) -> None:
    acts = [a for a in analyze_clause(text).of(family) if a.type == type_]
    if sets is None:  # prohibited or merely described: no act of that type, or not a setting
        assert not [a for a in acts if a.sets], acts
        return
    assert acts, f"no {family}/{type_} found in {text}"
    assert acts[0].sets is sets, acts[0]
    for a in acts:
        assert text[a.start:a.end] == a.text


@pytest.mark.parametrize(("window", "expected"), [
    ("处一千元以上一万元以下", (1000, 10000, None, None)),
    ("处五万元以下的", (None, 50000, None, None)),
    ("处10万元以上50万元以下", (100000, 500000, None, None)),
    ("处二百元", (200, 200, None, None)),
    ("处违法所得一倍以上三倍以下的", (None, None, 1, 3)),
    ("处货值金额三倍以下", (None, None, None, 3)),
    ("处1.5万元以上", (15000, 15000, None, None)),
])
def test_parse_fine(window: str, expected: tuple) -> None:
    assert parse_fine(window) == expected


def test_defer_marks_acts() -> None:
    r = analyze_clause("违反本条例规定的，处一万元罚款；法律、行政法规另有规定的，从其规定。")
    assert r.defers and all(a.deferred for a in r.penalties)


def test_fine_amount_on_act() -> None:
    (fine,) = analyze_clause("对单位处二万元以上二十万元以下罚款。").penalties
    assert (fine.amount_min, fine.amount_max) == (20000, 200000)


def test_bad_family_is_value_error() -> None:
    with pytest.raises(ValueError, match="penalty"):
        analyze_clause("无").of("nonsense")
