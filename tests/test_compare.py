"""Tests for checks.consistency.compare (issue 6). Sentences are written for these tests, not taken from laws."""

from __future__ import annotations

import pytest

from normcheck.checks.consistency.compare import DiffKind, Direction, compare, fine_ranges, quantities, similarity
from normcheck.types.findings import Severity

# (clause, superior, expected kind, expected direction, expected severity, clause value, superior value)
DIFFERENT = [
    pytest.param("主管机关应当自收到申请之日起三十日内作出决定。", "主管机关应当自收到申请之日起二十日内作出决定。",
                 DiffKind.NUMBER, Direction.MORE_TIME_FOR_ADMINISTRATION, Severity.MEDIUM, "三十日", "二十日",
                 id="admin-deadline-longer"),
    pytest.param("主管机关应当自收到申请之日起十日内作出决定。", "主管机关应当自收到申请之日起二十日内作出决定。",
                 DiffKind.NUMBER, Direction.LESS_TIME_FOR_ADMINISTRATION, Severity.LOW, "十日", "二十日",
                 id="admin-deadline-shorter"),
    pytest.param("当事人应当在五日内提出书面意见。", "当事人应当在十日内提出书面意见。",
                 DiffKind.NUMBER, Direction.STRICTER_ON_CITIZENS, Severity.HIGH, "五日", "十日",
                 id="citizen-deadline-shorter"),
    pytest.param("主管机关应当在十个工作日内答复。", "主管机关应当在十日内答复。",
                 DiffKind.NUMBER, Direction.MORE_TIME_FOR_ADMINISTRATION, Severity.MEDIUM, "十个工作日", "十日",
                 id="workdays-vs-days"),
    pytest.param("有违法行为的，由主管部门处三万元以上三十万元以下罚款。",
                 "有违法行为的，由主管部门处一万元以上十万元以下罚款。",
                 DiffKind.FINE_RANGE, Direction.WIDER_PENALTY, Severity.HIGH, "三万元", "一万元", id="fine-wider"),
    pytest.param("有违法行为的，由主管部门处500元以上2万元以下罚款。",
                 "有违法行为的，由主管部门处一千元以上二万元以下罚款。",
                 DiffKind.FINE_RANGE, Direction.LIGHTER_PENALTY, Severity.MEDIUM, "500元", "一千元",
                 id="fine-lower-minimum-arabic"),
    pytest.param("有违法行为的，处五千元以下罚款，并吊销营业执照。", "有违法行为的，处五千元以下罚款。",
                 DiffKind.PENALTY_TYPE, Direction.WIDER_PENALTY, Severity.HIGH, "吊销许可证件", "罚款",
                 id="penalty-type-added"),
    pytest.param("任何单位和个人可以在广场内燃放烟花。", "任何单位和个人不得在广场内燃放烟花。",
                 DiffKind.MODALITY, Direction.LOOSER_ON_CITIZENS, Severity.HIGH, "可以", "不得",
                 id="may-where-law-forbids"),
    pytest.param("居民应当在指定地点投放垃圾。", "居民可以在指定地点投放垃圾。",
                 DiffKind.MODALITY, Direction.STRICTER_ON_CITIZENS, Severity.HIGH, "应当", "可以",
                 id="may-becomes-shall"),
    pytest.param("主管机关可以公开检查结果。", "主管机关应当公开检查结果。",
                 DiffKind.MODALITY, Direction.LESS_DUTY_FOR_ADMINISTRATION, Severity.MEDIUM, "可以", "应当",
                 id="admin-duty-weakened"),
    pytest.param("经营者应当持证从事经营，并经所在街道办事处同意。", "经营者应当持证从事经营。",
                 DiffKind.CONDITION_ADDED, Direction.STRICTER_ON_CITIZENS, Severity.HIGH,
                 "，并经所在街道办事处同意", "", id="condition-added"),
    pytest.param("经营者应当持证从事经营活动。", "经营者应当持证从事经营活动，法律另有规定的除外。",
                 DiffKind.EXCEPTION_DROPPED, Direction.STRICTER_ON_CITIZENS, Severity.LOW,  # a note (issue 13)
                 "", "法律另有规定的除外", id="exception-dropped"),
    pytest.param("申请人年满十六周岁的，可以申请登记。", "申请人年满十八周岁的，可以申请登记。",
                 DiffKind.NUMBER, Direction.CHANGED, Severity.MEDIUM, "十六周岁", "十八周岁", id="age"),
    pytest.param("出资比例不得低于百分之二十。", "出资比例不得低于百分之三十。",
                 DiffKind.NUMBER, Direction.CHANGED, Severity.MEDIUM, "百分之二十", "百分之三十", id="percent"),
]


@pytest.mark.parametrize("clause,superior,kind,direction,severity,cval,sval", DIFFERENT)
def test_difference_found(clause: str, superior: str, kind: DiffKind, direction: Direction,
                          severity: Severity, cval: str, sval: str) -> None:
    diffs = [d for d in compare(clause, superior) if not d.benign]
    assert [d.kind for d in diffs] == [kind], diffs
    d = diffs[0]
    assert d.direction == direction
    assert d.severity == severity
    assert d.clause_value.startswith(cval)
    assert d.superior_value.startswith(sval)
    if d.clause_span:  # the span marks the changed text in the clause
        assert clause[d.clause_span[0]:d.clause_span[1]]
    else:
        assert cval == ""
    if d.superior_span and d.kind != DiffKind.CONDITION_ADDED:
        assert superior[d.superior_span[0]:d.superior_span[1]]


SAME = [
    pytest.param("主管机关应当在二十日内作出决定。", "主管机关应当在二十日内作出决定。", id="identical"),
    pytest.param("市人民政府应当加强对本市环境保护工作的领导。", "县级以上人民政府应当加强对环境保护工作的领导。",
                 id="local-substitution"),
    pytest.param("本条例自2021年7月1日起施行。", "本法自2020年1月1日起施行。", id="dates-are-not-quantities"),
    pytest.param("有违法行为的，处二万元以上五万元以下罚款。", "有违法行为的，处一万元以上十万元以下罚款。",
                 id="fine-inside-range-is-lawful"),
    pytest.param("经营者必须持证经营。", "经营者应当持证经营。", id="same-modal-strength"),
    pytest.param("任何单位和个人禁止在河道内倾倒垃圾。", "任何单位和个人不得在河道内倾倒垃圾。",
                 id="prohibit-synonyms"),
    pytest.param("申请人应当提交书面申请。法律、法规另有规定的，从其规定。", "申请人应当提交书面申请。",
                 id="deferral-added-is-fine"),
    pytest.param("", "主管机关应当在二十日内作出决定。", id="empty-clause"),
    pytest.param("学校应当开展安全教育。", "国家鼓励社会力量参与文化建设，对捐赠者依法给予奖励。", id="unrelated"),
]


@pytest.mark.parametrize("clause,superior", SAME)
def test_no_difference(clause: str, superior: str) -> None:
    assert [d for d in compare(clause, superior) if not d.benign] == []


def test_narrower_fine_is_reported_as_benign() -> None:
    diffs = compare("违反规定的，处二万元以上五万元以下罚款。", "违反规定的，处一万元以上十万元以下罚款。")
    assert [(d.kind, d.direction, d.benign) for d in diffs] == [
        (DiffKind.FINE_RANGE, Direction.NARROWER_PENALTY, True)]


@pytest.mark.parametrize("text,expected", [
    ("处一万元以上十万元以下罚款", [(1e4, 1e5)]),
    ("处5万元以下的罚款", [(0.0, 5e4)]),
    ("处违法所得一倍以上三倍以下罚款", [(1.0, 3.0)]),
    ("处二百元罚款", [(200.0, 200.0)]),
    ("责令改正", []),
])
def test_fine_ranges(text: str, expected: list[tuple[float, float]]) -> None:
    assert [(f.lo, f.hi) for f in fine_ranges(text)] == expected


@pytest.mark.parametrize("text,expected", [
    ("应当在三十日内", [("三十日", "time", 30.0, "le")]),
    ("不超过两年", [("两年", "time", 720.0, "le")]),
    ("年满十八周岁", [("十八周岁", "age", 18.0, "ge")]),
    ("2021年7月1日起施行", []),
    ("五个工作日", [("五个工作日", "time", 7.0, "eq")]),
])
def test_quantities(text: str, expected: list[tuple[str, str, float, str]]) -> None:
    got = [(q.text, q.category, round(q.base, 6), q.bound) for q in quantities(text)]
    assert got == expected


def test_spans_point_into_both_texts() -> None:
    a, b = "当事人应当在五日内提出书面意见。", "当事人应当在十日内提出书面意见。"
    (d,) = compare(a, b)
    assert d.clause_span and d.superior_span
    assert a[slice(*d.clause_span)] == "五日" and b[slice(*d.superior_span)] == "十日"
    assert d.to_dict()["kind"] == "number"


def test_similarity() -> None:
    assert similarity("甲乙丙丁", "甲乙丙丁") == 1.0
    assert similarity("", "甲") == 0.0
    assert similarity("甲乙丙丁", "戊己") == 0.0


def test_moved_words_are_not_an_added_condition() -> None:
    # 未取得 stands before the subject in one text and after it in the other: a reordering
    a = ("养殖场所未取得排污许可证件或者未按照排污许可证件内容进行生产，尚可改正的，执法机关责令限期改正，"
         "处五千元以上一万元以下的罚款。")
    b = ("未取得养殖场所排污许可证或者未按照养殖场所排污许可证的规定进行生产的，由主管部门责令停止生产；"
         "尚可改正的，限期改正，处五千元以上一万元以下的罚款。")
    assert not [d for d in compare(a, b) if d.kind is DiffKind.CONDITION_ADDED]


def test_a_new_residence_condition_is_still_added() -> None:
    a = "参加示范培训的本省户籍学员，可以领取交通补贴。"
    b = "参加示范培训的学员，可以领取交通补贴。"
    assert [d for d in compare(a, b) if d.kind is DiffKind.CONDITION_ADDED]


# issue 13: paraphrased restatements (counterparts paired by their own words, not by character alignment)
@pytest.mark.parametrize(("clause", "superior", "kind", "value"), [
    ("有关部门应当在受理申请之日起三十日内办结审批手续。",
     "行政机关受理许可申请后，应当在二十日内作出是否准予许可的决定。", "number", "三十日"),
    ("当事人逾期缴纳的，可以按照原罚款数额的二倍按日连续处罚。", "拒不改正的，可以按照原处罚数额按日连续处罚。",
     "number", "二倍"),
    ("对其处二万元以上二十万元以下的罚款。", "并处二十万元以上一百万元以下的罚款。", "fine_range",
     "二万元以上二十万元以下的罚款"),
    ("物业服务人可以采取停止供电、供水的方式催交物业费。", "物业服务人不得采取停止供电、供水等方式催交物业费。",
     "modality", "可以"),
])
def test_paraphrase_differences(clause: str, superior: str, kind: str, value: str) -> None:
    diffs = [d for d in compare(clause, superior, paraphrase=True) if not d.benign]
    assert any(d.kind.value == kind and d.clause_value.startswith(value) for d in diffs), diffs


@pytest.mark.parametrize(("clause", "superior"), [
    ("有关部门应当自受理申请之日起二十日内作出决定。",
     "行政机关受理许可申请后，应当在二十日内作出是否准予许可的决定。"),
    ("对其处二十万元以上一百万元以下的罚款。", "并处二十万元以上一百万元以下的罚款。"),
    ("物业服务人不得以停止供电、供水的方式催交物业费。", "物业服务人不得采取停止供电、供水等方式催交物业费。"),
])
def test_paraphrase_faithful_has_no_difference(clause: str, superior: str) -> None:
    assert [d for d in compare(clause, superior, paraphrase=True) if not d.benign] == []
