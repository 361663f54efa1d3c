"""Sentence-by-sentence comparison of paraphrased restatements (issue 13), on texts written for these tests.

Each row: a superior provision and a clause that restates it in other words (reordered, split, local
subjects), and what :func:`compare` must report on the paraphrase path (``near_copy=False``).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normcheck.checks.consistency.compare import DiffKind, compare
from normcheck.checks.consistency.sentences import pair_units, similarity, units
from normcheck.types.findings import Severity

SUP_TERMS = ("示范证照有效期三年以上不满五年的，复核期不得超过一个月；示范证照有效期五年以上的，复核期不得超过二个月。")
SUP_FINE = ("违反本法规定，擅自在示范保护区内采砂的，由示范主管部门令其停止采砂并没收所得，"
            "对其处一万元以上五万元以下的罚款；情形严重的，收回其示范证照。")
SUP_MODAL = "示范产品经营者不得向未满十六周岁的人出售示范产品。"
SUP_LIST = "示范区内禁止设置烟花、爆竹、风筝销售点。"
SUP_PERIOD = "主管部门应当将示范规划草案予以公示，公示期不少于十日。"
SUP_DEADLINE = "主管部门应当自收到示范申请之日起十日内作出答复。"

# (superior, clause, expected kind or None, text of the clause the difference points at)
CASES = [
    pytest.param(
        SUP_TERMS, "有效期满三年不满五年的示范证照，复核期不超过一个月；有效期五年以上的，复核期不超过三个月。",
        DiffKind.NUMBER, "三个月", id="number-in-the-paired-sentence"),
    pytest.param(
        SUP_TERMS, "有效期五年以上的示范证照，复核期不超过二个月；有效期满三年不满五年的，复核期不超过一个月。",
        None, None, id="sentences-reordered"),
    pytest.param(SUP_PERIOD, "规划草案由市主管部门公示，公示期为十五日。", None, None, id="longer-than-a-floor"),
    pytest.param(SUP_PERIOD, "规划草案由市主管部门公示，公示期为七日。", DiffKind.NUMBER, "七日", id="below-a-floor"),
    pytest.param(SUP_FINE, "在本市示范保护区内擅自采砂的，由市示范主管部门令其停止采砂并没收所得，"
                 "对其处二万元以上十万元以下罚款。",
                 DiffKind.FINE_RANGE, "二万元以上十万元以下罚款", id="fine-range-wider"),
    pytest.param(SUP_FINE, "在本市示范保护区内擅自采砂的，由市示范主管部门令其停止采砂并没收所得，"
                 "对其处一万元以上三万元以下罚款。",
                 None, None, id="fine-range-inside"),
    pytest.param(SUP_MODAL, "经其监护人同意的，示范产品经营者可以向未满十六周岁的人出售示范产品。",
                 DiffKind.MODALITY, "可以", id="prohibition-turned-permission"),
    pytest.param(SUP_MODAL, "任何示范产品经营者均不得向未满十六周岁的人销售示范产品。", None, None,
                 id="same-prohibition"),
    pytest.param(SUP_DEADLINE, "市主管部门对示范申请作出答复的期限不得超过十日，自收到申请之日起计算。",
                 None, None, id="deadline-written-as-a-cap"),
    pytest.param(SUP_LIST, "本市示范区内不得设置烟花、爆竹销售点。", DiffKind.LIST, "烟花、爆竹销售点",
                 id="list-item-dropped"),
    pytest.param(SUP_LIST, "本市示范区内不得设置风筝、烟花、爆竹销售点。", None, None, id="list-reordered"),
]


@pytest.mark.parametrize("superior,clause,kind,marked", CASES)
def test_paraphrase_comparison(superior: str, clause: str, kind: DiffKind | None, marked: str | None) -> None:
    diffs = [d for d in compare(clause, superior, paraphrase=True, near_copy=False) if not d.benign]
    if kind is None:
        assert diffs == [], [d.note for d in diffs]
        return
    assert [d.kind for d in diffs] == [kind], [d.note for d in diffs]
    (d,) = diffs
    assert d.clause_span is not None and clause[d.clause_span[0]:d.clause_span[1]].endswith(marked)
    assert d.superior_span is not None and superior[d.superior_span[0]:d.superior_span[1]]


def test_messages_say_what_changed_and_which_way() -> None:
    (d,) = compare("规划草案由市主管部门公示，公示期为七日。", SUP_PERIOD, paraphrase=True, near_copy=False)
    assert d.note == "期限由上位法的十日（以上）缩短为七日"
    (m,) = compare("经其监护人同意的，示范产品经营者可以向未满十六周岁的人出售示范产品。", SUP_MODAL, paraphrase=True,
                   near_copy=False)
    assert m.severity == Severity.HIGH and "不得" in m.note and "可以" in m.note
    (li,) = compare("本市示范区内不得设置烟花、爆竹销售点。", SUP_LIST, paraphrase=True, near_copy=False)
    assert li.note == "删去了上位法所列的：风筝"


def test_units_and_pairing() -> None:
    text = "有下列情形之一的，不予办理：\n（一）材料不全的；\n（二）逾期申请的。"
    assert [u.text for u in units(text)] == ["有下列情形之一的，不予办理", "材料不全的", "逾期申请的"]
    for u in units(text):
        assert text[u.start:u.end] == u.text
    pairs = pair_units("复核期不超过三个月；有效期五年以上的。", SUP_TERMS, min_similarity=0.3)
    assert pairs and all(0.3 <= s <= 1 for *_, s in pairs)
    assert similarity("公示期不少于十日", "公示期不少于三十日") == 1.0  # numerals left out


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="示范应当可以不得十二三日元以上下罚款、，。；（）一\n", max_size=80),
       st.text(alphabet="示范应当可以不得十二三日元以上下罚款、，。；（）一\n", max_size=80))
def test_never_crashes_and_spans_are_inside(clause: str, superior: str) -> None:
    for d in compare(clause, superior, paraphrase=True, near_copy=False):
        if d.clause_span:
            assert 0 <= d.clause_span[0] <= d.clause_span[1] <= len(clause)
        if d.superior_span:
            assert 0 <= d.superior_span[0] <= d.superior_span[1] <= len(superior)
    for u in units(clause):
        assert clause[u.start:u.end] == u.text


def test_purpose_clause_and_lead_in_with_items() -> None:
    """The purpose-and-basis clause is never compared; a lead-in with its items is compared as one text and
    the difference is reported on the item it lies in."""
    from consistency_factories import LAWS, FakeCorpus

    from normcheck import segment
    from normcheck.checks.consistency.check import consistency_findings
    from normcheck.types.law import Level

    laws = [*LAWS, ("中华人民共和国示范证照法", Level.LAW, "2019-04-23", [
        "示范证照的复核，依照下列规定办理：\n（一）有效期三年以上不满五年的示范证照，复核期不得超过一个月；"
        "\n（二）有效期五年以上的示范证照，复核期不得超过二个月。"])]
    text = ("某市示范证照条例\n\n"
            "第一条 为了规范示范证照的复核，根据《中华人民共和国示范证照法》，结合本市实际，制定本条例。\n\n"
            "第二条 本市示范证照的复核，按照下列规定执行：（一）有效期满三年不满五年的示范证照，复核期不超过一个月；"
            "（二）有效期满五年的示范证照，复核期不超过三个月。\n\n第三条 本条例自2024年1月1日起施行。\n")
    from normcheck.cite import find_citations

    doc = segment(text)
    found = consistency_findings(doc, FakeCorpus(laws), kind=Level.LOCAL_REGULATION, region=None, as_of="2024-01-01",
                                 citations=find_citations(doc))
    got = [(f.clause, f.details["differences"][0]["clause_value"]) for f in found]
    assert got == [("第二条第（二）项", "三个月（以下/以内）")]
