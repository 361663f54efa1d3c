"""Paraphrase comparison (issue 13, fourth round): numbers and fines a reviewer pairs across reworded
sentences, and look-alike differences a reviewer would not raise. Table-driven, on statute-like texts
written here (no statute text)."""

from __future__ import annotations

import pytest

from normcheck.checks.consistency.compare import DiffKind, compare, fine_ranges

# (case, clause, superior, expected kind, a word the note must contain)
FOUND = [
    ("the same list of acts with a lower fine",
     "违反本办法规定，未经景区管理机构审核，在景区内进行下列活动的，责令停止违法行为，并处一千元以上一万元以下罚款：\n"
     "（一）设置商业广告；\n（二）举办大型游乐活动。",
     "违反本条例规定，未经景区管理机构审核，在景区内进行下列活动的，责令停止违法行为，并处五万元以上十万元以下的罚款：\n"
     "（一）设置商业广告；\n（二）举办大型游乐活动。",
     DiffKind.FINE_RANGE, "罚款下限低于上位法"),
    ("interval with no numeral on the superior's side",
     "本市从事集中供餐工作的人员，每两年应当参加一次岗位培训，培训合格后方可上岗。",
     "从事集中供餐工作的人员应当每年参加岗位培训，培训合格后方可上岗。",
     DiffKind.NUMBER, "每两年"),
    ("half a year against a quarter, the act named before the interval",
     "本市县级以上示范主管部门应当定期向社会发布示范水质状况信息，发布频次每半年不少于一次。",
     "县级以上示范主管部门应当至少每季度向社会公开一次示范水质状况信息。",
     DiffKind.NUMBER, "每半年"),
    ("a cap written as 最长",
     "领取示范证后应当在两个月内开工；不能按期开工的，可以申请延期，延期最多两次，每次最长四个月。",
     "应当自领取示范证之日起两个月内开工。不能按期开工的，可以申请延期；延期以两次为限，每次不超过两个月。",
     DiffKind.NUMBER, "四个月"),
    ("a period in another sentence of the superior than the one paired",
     "经营企业对示范设备的检修记录及相关凭证，应当保存至设备报废后至少一年。",
     "经营企业应当建立示范设备检修记录制度，如实记录设备名称、检修日期和检修人员，并保存相关凭证。"
     "记录和凭证保存期限不得少于设备报废后二年。",
     DiffKind.NUMBER, "一年"),
    ("a cap that an equal floor elsewhere does not settle",
     "示范合同期限满一年不满三年的，考察期不超过三个月。",
     "示范合同期限一年以上不满三年的，考察期不得超过二个月；示范合同期限三个月以上不满一年的，考察期不得超过一个月。",
     DiffKind.NUMBER, "三个月"),
    ("a fine whose conduct the superior names in items",
     "未经许可擅自开采示范矿石的，由县级以上示范主管部门责令停止违法行为，处五万元以上二十万元以下罚款。",
     "有下列行为之一的，由县级以上人民政府示范主管部门责令停止违法行为，处二万元以上十万元以下的罚款：\n"
     "（一）未经许可擅自开采示范矿石的；\n（二）未按照许可规定的范围开采示范矿石的。",
     DiffKind.FINE_RANGE, "上位法"),
    ("one fine of a restated pair changed",
     "擅自占用示范广场经营的，由示范管理部门责令限期改正，对个人处一千元以上一万元以下罚款，对单位处一万元以上五万元以下罚款。",
     "擅自占用示范广场经营的，由示范管理部门责令限期改正。个人有前款规定行为的，处1000元以上1万元以下的罚款；"
     "单位有前款规定行为的，处5万元以上20万元以下的罚款。",
     DiffKind.FINE_RANGE, "一万元以上五万元以下"),
    ("a duty made a discretion with other words around the act",
     "本市区人民政府示范主管部门可以对辖区内示范场所开展年度安全检查。",
     "县级以上人民政府示范主管部门应当对辖区内的示范场所每年进行一次安全检查。",
     DiffKind.MODALITY, "可以"),
    ("a duty made a discretion on a stated basis",
     "示范用人单位可以根据经营状况为劳动者缴纳示范保险费。",
     "示范用人单位应当为劳动者缴纳示范保险费。",
     DiffKind.MODALITY, "可以"),
    ("the one age limit of each text, reworded around it",
     "在本市从事示范客运的驾驶人员，应当持有相应驾驶证，年龄在六十五周岁以下，最近三年内没有发生重大责任事故。",
     "从事示范客运的驾驶人员，应当符合下列条件：\n（一）取得相应的驾驶证；\n（二）年龄不超过60周岁；\n"
     "（三）3年内无重大以上责任事故记录。",
     DiffKind.NUMBER, "六十五周岁"),
    ("a numbered list restated in running text with an item left out",
     "示范机关拟作出较大数额罚款、吊销示范证照或者没收示范设备的决定的，应当告知当事人有权要求召开说明会。",
     "示范机关拟作出下列决定，应当告知当事人有要求召开说明会的权利：\n（一）较大数额罚款；\n（二）吊销示范证照；\n"
     "（三）责令停止示范经营；\n（四）没收示范设备。",
     DiffKind.LIST, "责令停止示范经营"),
    ("an open list of banned means restated with items left out",
     "示范机关不得通过对居民停止供水、供电的方式催缴示范费用。",
     "示范机关不得对居民采取停止供水、供电、供暖、供气等方式催缴示范费用。",
     DiffKind.LIST, "供暖、供气"),
]

# (case, clause, superior): nothing a reviewer would raise
NOTHING = [
    ("fines for units and individuals named in the other order, each inside the superior's",
     "违反本办法规定，在示范区内从事示范建设活动，未经审核的，责令停止建设，对单位处三十万元以上五十万元以下罚款，"
     "对个人处三万元以上五万元以下罚款。",
     "违反本条例规定，在示范区内从事示范建设活动，未经审核的，责令停止建设，对个人处2万元以上5万元以下的罚款，"
     "对单位处20万元以上50万元以下的罚款。"),
    ("twice a year is every half year",
     "示范单位应当每年组织两次示范设备安全检查。",
     "示范单位应当每半年组织一次示范设备安全检查。"),
    ("a permission about the means restated as 应当通过",
     "委员在闭会期间应当通过走访、座谈、网络平台等方式听取、反映群众的意见。",
     "委员在闭会期间可以通过多种方式听取、反映群众的意见。"),
    ("a lawful right restated as 应当依法",
     "公民和其他组织应当依法收藏古旧字画。",
     "公民和其他组织可以依法收藏古旧字画，其依法收藏的字画受法律保护。"),
    ("a duty inside a scope restated as a ban outside it",
     "乡镇人民政府不得在规划确定的建设用地范围以外作出乡村建设许可。",
     "主管部门应当在规划确定的建设用地范围内，依法作出建设许可。"),
    ("a fine inside the range another paragraph sets for the same conduct",
     "违反本办法第十条第二款规定，未取得甲类经营许可证从事经营活动的，由主管部门责令停止经营，没收违法所得，"
     "处二十万元以上五十万元以下罚款。",
     "违反本条例规定，未取得甲类经营许可证从事甲类经营活动的，由主管部门责令停止违法行为，处5万元以上50万元以下罚款；"
     "有违法所得的，没收违法所得；构成犯罪的，依法追究刑事责任。\n\n违反本条例规定，甲类经营者不按照甲类经营许可证的规定"
     "从事经营活动的，由主管部门责令限期改正，处3万元以上20万元以下罚款；有违法所得的，没收违法所得；情节严重的，"
     "吊销甲类经营许可证。"),
    ("the same lead-in over a list of other acts",
     "违反本办法规定，未经景区管理机构审核，在景区内进行下列活动的，责令停止违法行为，并处一千元以上一万元以下罚款：\n"
     "（一）拓印石刻；\n（二）采集植物标本。",
     "违反本条例规定，未经景区管理机构审核，在景区内进行下列活动的，责令停止违法行为，并处五万元以上十万元以下的罚款：\n"
     "（一）设置商业广告；\n（二）举办大型游乐活动。"),
    ("an individual's fine under 情节严重 is not the unit's fine",
     "擅自拆除警报设施的，对个人处二千元以上三千元以下罚款，情节严重的，处三千元以上五千元以下罚款；"
     "对单位处一万元以上三万元以下罚款。",
     "擅自拆除警报设施的，可以对个人并处五千元以下的罚款、对单位并处一万元至五万元的罚款。"),
    ("an interval the superior sets too",
     "从事集中供餐工作的人员，每年应当参加岗位培训。",
     "从事集中供餐工作的人员应当每年参加岗位培训，培训合格后方可上岗。"),
    ("a share set as a fine against a share set as a purchase price",
     "无证运输示范物品的，由示范主管部门处以物品总值百分之二十以上百分之五十以下的罚款。",
     "无证运输示范物品的，由示范主管部门处以罚款，可以按照上年度平均价格的百分之七十收购违法运输的示范物品。"),
    ("a duty to follow the procedure against the power to act",
     "经批准的示范规划不得擅自修改。确需修改的，应当依照法定权限和程序进行修改，并向社会公布。",
     "经批准的示范规划不得擅自修改。有下列情形之一的，组织编制机关可以依照法定权限进行修改。"),
    ("a longer minimum notice the administration gives",
     "拟列入本市示范名录的项目由市主管部门予以公示，公示时间不得少于三十日。",
     "国务院主管部门应当将拟列入国家示范名录的项目予以公示，征求公众意见。公示时间不得少于二十日。"),
    ("the superior's transitional sentence",
     "经依法批准的示范规划是各类建设活动的基本依据。不得在示范规划之外另设其他规划。",
     "国家建立示范规划体系。经依法批准的示范规划是各类建设活动的基本依据。"
     "已经编制示范规划的，不再编制其他规划。在编制示范规划前，经依法批准的其他规划继续执行。"),
    ("a numbered list restated in full in running text",
     "示范机关拟作出较大数额罚款、吊销示范证照、责令停止示范经营或者没收示范设备的决定的，应当告知当事人有权要求召开说明会。",
     "示范机关拟作出下列决定，应当告知当事人有要求召开说明会的权利：\n（一）较大数额罚款；\n（二）吊销示范证照；\n"
     "（三）责令停止示范经营；\n（四）没收示范设备。"),
    ("an item named 等级 is not an open item, and is restated",
     "示范机关拟作出降低示范等级、吊销示范证照或者没收示范设备的决定的，应当告知当事人有权要求召开说明会。",
     "示范机关拟作出下列决定，应当告知当事人有要求召开说明会的权利：\n（一）降低示范等级；\n（二）吊销示范证照；\n"
     "（三）没收示范设备。"),
    ("a power to decide limits and bans is not a ban",
     "区人民政府根据本辖区实际，可以确定限制或者禁止燃放示范焰火的时间和地点。",
     "县级以上地方人民政府可以根据本地实际情况，确定限制或者禁止燃放示范焰火的时间和地点。"),
    ("a duty attached to the act the superior permits",
     "示范征收部门委托示范实施单位实施征收的，应当与示范实施单位签订委托协议。",
     "示范征收部门可以委托示范实施单位，承担示范征收的具体工作。"),
    ("a permission within a limit restated as a duty to keep to it",
     "处理已经公开的示范信息，应当依法在合理的范围内进行；本人明确拒绝的除外。",
     "示范信息处理者可以在合理的范围内处理已经公开的示范信息；本人明确拒绝的除外。"),
    ("a permission to apply restated as the applicant's duty",
     "单位和个人需要使用示范水域的，应当依法向所在地的县级示范主管部门提出使用申请。",
     "单位和个人可以向县级以上示范主管部门申请使用示范水域。"),
    ("the superior's own approval, a word shorter and moved",
     "专业性强或者需要保密的示范档案，经同级示范档案部门同意，可以延长移交的期限。",
     "经同级示范档案部门检查和同意，专业性较强或者需要保密的示范档案，可以延长移交的期限。"),
    ("a procedure given by reference",
     "回乡定居人员需要使用集体土地建住宅的，经村民委员会同意，按照规定的程序报县级人民政府批准。",
     "回乡定居人员需要使用集体土地建住宅的，依照本条第一款第（一）项规定的审批程序办理。"),
]


@pytest.mark.parametrize(("case", "clause", "superior", "kind", "word"), FOUND, ids=[c[0] for c in FOUND])
def test_found(case: str, clause: str, superior: str, kind: DiffKind, word: str) -> None:
    diffs = [d for d in compare(clause, superior, paraphrase=True, near_copy=False) if not d.benign]
    assert [d.kind for d in diffs] == [kind], case
    assert word in diffs[0].note + diffs[0].clause_value, diffs[0].note


@pytest.mark.parametrize(("case", "clause", "superior"), NOTHING, ids=[c[0] for c in NOTHING])
def test_nothing(case: str, clause: str, superior: str) -> None:
    for near_copy in (True, False):
        got = [d for d in compare(clause, superior, paraphrase=True, near_copy=near_copy) if not d.benign]
        assert got == [], (case, near_copy, [d.note for d in got])


def test_fine_amount_after_the_word() -> None:
    text = "无法计算违法所得的，罚款为十万元以上二十万元以下；情节严重的，处二十万元以上五十万元以下的罚款。"
    assert [(f.lo, f.hi) for f in fine_ranges(text)] == [(100000.0, 200000.0), (200000.0, 500000.0)]


def test_liability_is_not_a_ban_turned_into_a_duty() -> None:
    from normcheck.checks.consistency.residuals import residual_differences

    clause = ("示范社的理事和管理人员有下列行为之一，造成示范社财产损失的，应当依法承担赔偿责任：\n"
              "（一）侵占示范社资产的；\n（二）违反章程将示范社资金借贷给他人的。")
    superior = "示范社的理事和管理人员不得有下列行为：\n（一）侵占示范社资产；\n（二）违反章程将示范社资金借贷给他人。"
    assert [d for d in residual_differences(clause, superior, superior) if d.kind == DiffKind.MODALITY] == []


def test_longer_remedy_limit_follows_the_general_laws() -> None:
    """A review or litigation time limit longer than an older administrative regulation's: the general
    laws on remedies set it, not the regulation (DLC hand check 2026-12-03, seed 6765)."""
    from normcheck.checks.consistency.check import _general_remedy_limit
    from normcheck.types.law import Level

    clause = "当事人对示范处罚决定不服的，可以在接到决定书之日起六十日内申请复议。"
    superior = "当事人对示范处罚决定不服的，可以在接到处罚通知之日起十五日内申请复议。"
    shorter = "当事人对示范处罚决定不服的，可以在接到决定书之日起十日内申请复议。"
    other = "示范机关应当在接到申请之日起六十日内作出决定。"
    other_sup = "示范机关应当在接到申请之日起十五日内作出决定。"
    (d,) = [d for d in compare(clause, superior, paraphrase=True, near_copy=False) if d.kind == DiffKind.NUMBER]
    assert _general_remedy_limit(d, clause, superior, "示范管理条例", Level.ADMINISTRATIVE_REGULATION)
    assert not _general_remedy_limit(d, clause, superior, "中华人民共和国行政复议法", Level.LAW)
    assert not _general_remedy_limit(d, clause, superior, "中华人民共和国示范安全法", Level.LAW)  # a law's own limit
    (d,) = [d for d in compare(shorter, superior, paraphrase=True, near_copy=False) if d.kind == DiffKind.NUMBER]
    assert not _general_remedy_limit(d, shorter, superior, "示范管理条例", Level.ADMINISTRATIVE_REGULATION)
    (d,) = [d for d in compare(other, other_sup, paraphrase=True, near_copy=False) if d.kind == DiffKind.NUMBER]
    assert not _general_remedy_limit(d, other, other_sup, "示范管理条例", Level.ADMINISTRATIVE_REGULATION)


@pytest.mark.parametrize(("text", "defers"), [
    ("按照国家规定执行", True), ("依照国家有关规定办理", True), ("按照有关法律、行政法规的规定办理", True),
    ("报市人民政府批准", False), ("经区人民政府同意", False)])
def test_deferral_to_national_rules(text: str, defers: bool) -> None:
    from normcheck.checks.consistency.check import _DEFERS

    assert bool(_DEFERS.search(text)) is defers


@pytest.mark.parametrize(("text", "named"), [
    ("没收违法砍伐的示范林木和违法所得，并处罚款", True),
    ("处示范费用一倍以上二倍以下的罚款；有违法所得的，予以没收。", True),
    ("没收违法所得", True),
    ("没收示范设备，并处罚款", False)])
def test_confiscation_of_illegal_gains_in_other_words(text: str, named: bool) -> None:
    from normcheck.checks.consistency.compare import penalty_types

    assert ("没收违法所得" in penalty_types(text)) is named


def test_an_items_lead_in_keeps_what_the_item_leaves_out() -> None:
    """An item read alone against the superior: the penalty and condition its lead-in states are kept
    (DLC hand check 2026-12-03, seed 10946)."""
    from normcheck.checks.consistency.check import _in_lead
    from normcheck.checks.consistency.compare import Difference, Direction

    lead = "违反本条例规定，未经批准占用示范海域的，责令退还，没收违法所得，并按下列规定处以罚款："
    gone = Difference(DiffKind.PENALTY_DROPPED, Direction.LIGHTER_PENALTY, None, (0, 6), "", "没收违法所得", "")
    cond = Difference(DiffKind.CONDITION_DROPPED, Direction.LOOSER_ON_CITIZENS, None, (0, 4), "",
                      "未经批准占用示范海域", "")
    other = Difference(DiffKind.PENALTY_DROPPED, Direction.LIGHTER_PENALTY, None, (0, 6), "", "吊销许可证件", "")
    assert _in_lead(gone, lead) and _in_lead(cond, lead)
    assert not _in_lead(other, lead)


def test_a_near_copy_fine_is_paired_by_its_conduct() -> None:
    """Two paragraphs with two ranges: the clause's fine is compared with the range for its own conduct,
    not with the one its characters happen to align with (DLC run 2026-12-03, seed 17711)."""
    clause = ("违反本条例规定，未取得示范经营许可从事示范经营活动的，由主管部门责令停止经营，"
              "并可处以一万元以上十万元以下罚款。")
    superior = ("违反本条例规定，未取得示范经营许可证从事示范经营活动的，由主管部门责令停止违法行为，"
                "处5万元以上50万元以下罚款。\n\n"
                "违反本条例规定，示范经营者不按照示范经营许可证的规定从事示范经营活动的，由主管部门责令限期改正，"
                "处3万元以上20万元以下罚款。")
    (d,) = [d for d in compare(clause, superior, paraphrase=True, near_copy=True) if d.kind == DiffKind.FINE_RANGE]
    assert d.superior_value.startswith("5万元")
