"""Residual differences of a paraphrase (issue 13): table-driven, on statute-like texts written here."""

from __future__ import annotations

import pytest

from normcheck.checks.consistency.compare import DiffKind, penalty_types
from normcheck.checks.consistency.residuals import residual_differences

# (case, clause, superior, expected kind, a word the note must contain)
FOUND = [
    ("a body to notify left out",
     "示范管线因故障需要紧急抢修的，管线单位可以先行施工，同时通知市示范设施主管部门，并在规定时限内补办手续。",
     "示范管线发生故障需要紧急抢修的，可以先行施工，并同时通知示范工程主管部门和公安交通管理部门，在规定时限内补办手续。",
     DiffKind.LIST, "公安交通管理部门"),
    ("a further step of the same act left out",
     "示范机关认为不公开将对公共利益产生重大影响的，可以决定公开。",
     "示范机关认为不公开可能对公共利益造成重大影响的，可以决定予以公开，并将决定公开的内容和理由书面告知第三方。",
     DiffKind.CONDITION_DROPPED, "书面告知"),
    ("a per-person fine the superior leaves to discretion always imposed",
     "示范单位违法延长工作时间的，主管部门应当责令改正，同时按照每名受侵害人员一百元以上五百元以下的标准计算处以罚款。",
     "示范单位违法延长工作时间的，由主管部门责令改正，并可以按照受侵害的人员每人100元以上500元以下的标准计算，处以罚款。",
     DiffKind.MODALITY, "一律处罚"),
    ("a residence requirement put on a right to consult",
     "具有本市户籍的居民，可以持身份证明向市示范档案馆申请查阅已经开放的档案。",
     "公民可以向示范档案馆申请查阅已开放的档案。",
     DiffKind.CONDITION_ADDED, "本市户籍"),
    ("the consent of residents added to a duty",
     "因特殊需要夜间连续施工的，应当取得区人民政府出具的证明，公告附近居民，并征得受影响居民过半数书面同意。",
     "因特殊需要必须连续施工的，必须有县级以上人民政府出具的证明。",
     DiffKind.CONDITION_ADDED, "居民过半数书面同意"),
    ("a ban on everyone turned into an approval",
     "在示范保护区内新建排污口的，应当经市示范主管部门批准。",
     "任何单位不得在示范保护区内新建排污口。",
     DiffKind.MODALITY, "批准"),
    ("a permission for either of two given to a third as well",
     "业主大会、业主委员会或者物业服务企业可以申请使用示范资金。",
     "业主大会或者业主委员会可以申请使用示范资金。",
     DiffKind.SUBJECT, "物业服务企业"),
    ("a fine the superior keeps for serious cases imposed on all",
     "擅自移动示范界桩的，由示范主管部门责令恢复原状，同时处以五千元以上五万元以下罚款。",
     "擅自移动示范界桩的，由示范主管部门责令恢复原状；情节严重的，处五千元以上五万元以下的罚款。",
     DiffKind.CONDITION_DROPPED, "情节严重"),
    ("a coercive power given to township governments as well",
     "发生示范疫情的场所，所在地县级以上地方人民政府或者乡镇人民政府、街道办事处可以对该场所实施封闭措施。",
     "对发生示范疫情的场所，所在地的县级以上地方人民政府可以实施封闭措施，并同时向上一级人民政府报告。",
     DiffKind.SUBJECT, "街道办事处"),
    ("an encouraged act made a duty",
     "示范企业应当为从事高空作业的职工投保意外伤害保险，支付保险费。",
     "示范企业应当依法为职工缴纳工伤保险费。鼓励示范企业为从事高空作业的职工办理意外伤害保险，支付保险费。",
     DiffKind.MODALITY, "倡导性"),
    ("a fee charged where the superior forbids it",
     "首次申领示范证的，不收取工本费；换领示范证的，以及每年办理示范签注的，按照规定缴纳工本费。",
     "首次申领示范证，免收工本费。换领示范证，应当缴纳工本费。办理示范签注不得收取费用。",
     DiffKind.MODALITY, "不得收取费用"),
    ("prohibition turned into a duty",
     "在住宅小区内使用扩音设备招揽顾客的，应当控制音量。",
     "禁止在住宅小区内使用扩音设备招揽顾客。",
     DiffKind.MODALITY, "应当控制音量"),
    ("prohibition turned into a permission with consent",
     "在临街住宅楼底层新建产生油烟的餐饮项目，应当征得相邻住户书面同意。",
     "禁止在临街住宅楼底层新建产生油烟的餐饮项目。",
     DiffKind.MODALITY, "征得相邻住户书面同意"),
    ("subject narrowed",
     "游泳场所开放期间，救生员应当在岗值守。",
     "游泳场所开放期间，救生员、管理人员应当在岗值守。",
     DiffKind.SUBJECT, "管理人员"),
    ("subject widened",
     "游泳场所开放期间，救生员、管理人员、保洁人员应当在岗值守。",
     "游泳场所开放期间，救生员、管理人员应当在岗值守。",
     DiffKind.SUBJECT, "保洁人员"),
    ("condition of a measure dropped",
     "经营者无照经营的，由市场监督管理部门责令停止经营；对经营者，可以查封其经营场所。",
     "经营者无照经营的，责令停止经营；经营者拒不停止经营活动的，可以查封其经营场所。",
     DiffKind.CONDITION_DROPPED, "拒不停止经营活动"),
    ("exception added to a prohibition",
     "出租人不得以任何形式向承租人收取押金以外的费用；但经承租人书面同意的除外。",
     "出租人不得以任何形式向承租人收取押金以外的费用。",
     DiffKind.EXCEPTION_ADDED, "书面同意"),
    ("blanket ban",
     "本县行政区域内一律禁止放飞孔明灯。",
     "任何单位和个人不得在县级人民政府划定的区域内放飞孔明灯。",
     DiffKind.SCOPE, "全域或全时段"),
    ("penalty type dropped beside the same fine",
     "无证捕捞水产品的，由渔业部门处三千元以上三万元以下罚款。",
     "无证捕捞水产品的，没收违法所得，并处三千元以上三万元以下罚款。",
     DiffKind.PENALTY_DROPPED, "没收违法所得"),
    ("penalty type added beside the same fine",
     "无证捕捞水产品的，处三千元以上三万元以下罚款，并处暂扣捕捞许可证三个月。",
     "无证捕捞水产品的，处三千元以上三万元以下罚款。",
     DiffKind.PENALTY_TYPE, "暂扣许可证件"),
    ("deciding body moved",
     "改变共有部分用途的，由业主委员会决定。",
     "下列事项由业主共同决定：\n（一）改变共有部分的用途；\n（二）利用共有部分从事经营活动。",
     DiffKind.SUBJECT, "业主委员会"),
    ("a fee the superior forbids, charged",
     "驾驶人培训考核合格后发给证书，考核费用按照价格主管部门核定的标准收取。",
     "驾驶人培训考核合格后发给证书，考核不得收费。",
     DiffKind.MODALITY, "不得收费"),
    ("a discretionary fine made mandatory",
     "在居民区露天焚烧落叶的，由城市管理部门责令改正，并处五百元以上二千元以下罚款。",
     "在居民区露天焚烧落叶的，由城市管理部门责令改正，可以处五百元以上二千元以下的罚款。",
     DiffKind.MODALITY, "一律处罚"),
    ("a fee charged where a short superior sentence bans it",
     "从事甲类作业的人员，应当经主管部门组织培训并考核合格；考核费用按照市价格主管部门核定的标准收取。",
     "从事甲类作业的人员，应当由主管部门组织培训并对其考核合格。考核不得收费。",
     DiffKind.MODALITY, "不得收费"),
    ("a discretionary fine for one of two joined conducts made mandatory",
     "在公共绿地焚烧落叶的，由主管部门责令改正，并处二百元以上一千元以下罚款。",
     "在居民区喷洒高毒药剂，或者在公共绿地焚烧落叶的，由主管部门责令改正，并可以处二百元以上一千元以下的罚款。",
     DiffKind.MODALITY, "并可以处"),
    ("consent turned into notice",
     "经营者确需临时占用小区公共通道的，应当事先告知管理委员会。",
     "经营者确需临时占用小区公共通道的，应当征得管理委员会的同意。",
     DiffKind.CONDITION_DROPPED, "同意或批准改为告知"),
    ("approval moved inside the acting body",
     "甲类案件情况复杂的，经本机关负责人批准，可以再延长三十日。",
     "甲类案件情况复杂的，经上一级主管机关批准，可以延长三十日。",
     DiffKind.SUBJECT, "批准机关由上级改为本机关"),
    ("a step named only to waive it",
     "确需夜间连续作业的，作业单位在现场公示后即可作业，无需另行取得主管部门证明。",
     "确需夜间连续作业的，应当取得区主管部门出具的证明，并在现场公示。",
     DiffKind.CONDITION_DROPPED, "免除了上位法规定的程序"),
    ("a ban restated as a rule of thumb",
     "船舶驾驶人员应当遵守操作规程；每次连续驾驶的时间原则上不超过六小时。",
     "船舶驾驶人员应当遵守操作规程，不得违章作业。驾驶人员连续驾驶时间不得超过6个小时。",
     DiffKind.MODALITY, "原则性要求"),
    ("a fine imposed at once where the superior first orders a correction",
     "经营单位未按照规定建立台账的，由主管部门处五千元以上三万元以下罚款。",
     "经营单位未按照规定建立台账的，由主管部门责令限期改正；逾期未改正的，处五千元以上三万元以下罚款。",
     DiffKind.CONDITION_DROPPED, "逾期未改正"),
    ("a filing step with a long body name left out (a low note)",
     "在本市从事拆除作业的单位，应当编制拆除废料的处理方案，并落实防尘措施。",
     "拆除作业单位应当编制拆除废料处理方案，采取防尘措施，并报县级以上地方人民政府环境卫生主管部门备案。",
     DiffKind.CONDITION_DROPPED, "备案"),
    ("approval step dropped (a low note)",
     "设置户外广告设施，应当符合户外广告设置规划。",
     "设置户外广告设施，应当符合户外广告设置规划，并经城市管理部门批准。",
     DiffKind.CONDITION_DROPPED, "批准"),
]

# (case, clause, superior): nothing to report
NOTHING = [
    ("charging a fee named as the conduct an item lists",
     "示范中介机构向求职人员收取示范费用的；",
     "示范中介机构不得向求职人员收取示范费用。"),
    ("costs a fund pays are no fee charged",
     "市医疗保障部门应当将示范病患者的诊疗费用纳入基本医疗保险支付范围。",
     "卫生行政部门应当为示范病患者免费提供基本公共卫生服务。示范病患者的诊疗费用由基本医疗保险基金支付。"),
    ("the serious-case condition kept in other words",
     "擅自移动示范界桩，造成严重后果的，处五千元以上五万元以下罚款。",
     "擅自移动示范界桩的，责令恢复原状；情节严重的，处五千元以上五万元以下的罚款。"),
    ("the same bodies hold the power",
     "发生示范疫情的场所，所在地县级以上地方人民政府可以对该场所实施封闭措施。",
     "对发生示范疫情的场所，所在地的县级以上地方人民政府可以实施封闭措施。"),
    ("an encouraged act the superior also makes a duty for some",
     "高风险示范单位应当投保示范责任保险。",
     "高风险示范单位应当投保示范责任保险。鼓励其他示范单位投保示范责任保险。"),
    ("the grace period kept in other words",
     "饲养宠物干扰他人正常生活的，由公安机关给予警告；经警告仍不改正的，处二百元以上五百元以下罚款。",
     "饲养宠物干扰他人正常生活的，处警告；警告后不改正的，处二百元以上五百元以下罚款。"),
    ("a hedge over a figure of the clause's own",
     "调查结束后，主管部门一般应当在二十个工作日内，根据调查报告确定事故责任单位。",
     "主管部门应当根据调查报告，确定事故责任单位。"),
    ("a notice the superior also requires is no softened consent",
     "慈善团体确需变更募集方案规定的用途的，应当报登记部门备案。",
     "慈善团体确需变更募集方案规定的用途的，应当报登记部门备案；确需变更捐赠约定的用途的，应当征得捐赠者同意。"),
    ("a fee for another matter than the banned one",
     "从事甲类作业的人员，应当经主管部门组织培训并考核合格；场地租赁费用由作业单位承担。",
     "从事甲类作业的人员，应当由主管部门组织培训并对其考核合格。考核不得收费。"),
    ("the same approving body named in other words",
     "甲类案件情况复杂的，经上一级主管部门批准，可以再延长三十日。",
     "甲类案件情况复杂的，经上一级主管机关批准，可以延长三十日。"),
    ("the clause guards against the forbidden act",
     "物业服务人应当采取措施，防止在住宅小区内使用扩音设备招揽顾客。",
     "禁止在住宅小区内使用扩音设备招揽顾客。"),
    ("the clause punishes the forbidden act",
     "在住宅小区内使用扩音设备招揽顾客的，由城市管理部门处二百元以下罚款。",
     "禁止在住宅小区内使用扩音设备招揽顾客。"),
    ("a prohibition of doing it without approval, restated with the approval",
     "占用城市绿地的，应当经城市绿化主管部门批准。",
     "任何单位和个人不得擅自占用城市绿地。"),
    ("a bound, not a prohibition",
     "最低车速不低于每小时六十公里。",
     "最低车速不得低于每小时60公里。"),
    ("deferring to other law",
     "出租人不得收取押金以外的费用，法律、行政法规另有规定的除外。",
     "出租人不得收取押金以外的费用。"),
    ("an exception the superior article admits in other words",
     "不得在河道管理范围内采砂；但经水行政主管部门批准的除外。",
     "未经水行政主管部门批准，不得在河道管理范围内采砂。"),
    ("the same subjects",
     "游泳场所开放期间，救生员、管理人员应当在岗值守。",
     "游泳场所开放期间，救生员、管理人员应当在岗值守。"),
    ("administrative bodies are not compared as subjects",
     "市人民政府应当组织编制规划。",
     "县级以上人民政府、有关部门应当组织编制规划。"),
    ("a body named, not deciding",
     "业主委员会应当执行业主大会作出的决定。",
     "业主委员会执行业主大会的决定事项。"),
    ("the same deciding body in other words",
     "改变共有部分用途的，由业主大会决定。",
     "下列事项由业主共同决定：\n（一）改变共有部分的用途；\n（二）利用共有部分从事经营活动。"),
    ("another domain's body",
     "居民公约由居民会议讨论决定。",
     "村规民约由村民会议讨论决定。"),
    ("subjects named differently are not a narrower list",
     "用人单位应当在三十日内提出工伤认定申请。",
     "所在单位应当在三十日内提出工伤认定申请。"),
    ("a prohibition qualified before it",
     "开展专项整治，因法定事由经批准采取停业措施的，应当合理确定实施范围和期限。",
     "开展专项整治，除发生重大事故，并报经有权机关批准外，不得采取停业措施。"),
    ("a ban on what fails a standard, restated as a duty to meet it",
     "销售的电动自行车必须符合国家规定的质量标准。",
     "禁止销售不符合国家规定的质量标准的电动自行车。"),
    ("a partial restatement of a sentence's duty, its ban left out",
     "历史街区应当实行整体保护，保持传统格局和历史风貌。",
     "历史街区应当整体保护，保持传统格局和历史风貌，不得改变与其相互依存的自然环境。"),
    ("a condition of a duty left out (the duty binds more widely)",
     "养犬人应当为犬只办理登记。",
     "在城市区域内饲养犬只的，养犬人应当为犬只办理登记。"),
    ("either of two bound: naming one is a refinement",
     "施工前，建设单位应当查明地下管线情况。",
     "施工前，建设单位或者施工单位应当查明地下管线情况。"),
    ("confiscation of the goods named",
     "无证销售孔明灯的，处五千元以上三万元以下罚款，并没收孔明灯和违法所得。",
     "无证销售孔明灯的，处五千元以上三万元以下罚款，没收违法销售的物品和违法所得。"),
    ("the superior's own duty restated from another paragraph, its ban left out",
     "向未成年人提供推荐服务的，应当便于未成年人获取有益信息。",
     "推荐服务提供者向未成年人提供服务的，应当便利未成年人获取有益信息。\n推荐服务提供者不得利用推荐服务诱导未成年人沉迷网络。"),
    ("a ban on some persons beside a duty of others",
     "经营宠物美容服务的单位，应当建立从业人员健康管理制度。",
     "患有传染性疾病的人员不得直接从事宠物美容服务。"),
    ("a discretionary fine kept discretionary",
     "在居民区露天焚烧落叶的，城市管理部门可以处五百元以上二千元以下罚款。",
     "在居民区露天焚烧落叶的，由城市管理部门责令改正，可以处五百元以上二千元以下的罚款。"),
    ("并可处 keeps the discretion",
     "在居民区露天焚烧落叶的，由城市管理部门责令改正，并可处五百元以上二千元以下罚款。",
     "在居民区露天焚烧落叶的，由城市管理部门责令改正，可以处五百元以上二千元以下的罚款。"),
    ("both bodies to notify named",
     "示范管线因故障需要紧急抢修的，管线单位可以先行施工，同时通知示范工程主管部门和公安交通管理部门。",
     "示范管线发生故障需要紧急抢修的，可以先行施工，并同时通知示范工程主管部门和公安交通管理部门。"),
    ("another actor's step in the superior sentence is another rule",
     "在示范河道新建排污口的，应当经区示范主管部门同意。",
     "在示范河道新建排污口，应当经有管辖权的示范主管部门同意，由环境主管部门负责对该项目的环境影响报告书进行审批。"),
    ("a definition restates no procedure",
     "本条例所称一般示范文物，是指具有历史价值，尚未核定公布为示范保护单位的文物。",
     "省示范部门根据文物的历史价值选择确定示范保护单位，报省人民政府核定公布，并报国务院备案。"),
    ("a per-person fine kept discretionary",
     "示范单位违法延长工作时间的，主管部门应当责令改正，可以按照每名受侵害人员一百元以上五百元以下的标准计算罚款。",
     "示范单位违法延长工作时间的，由主管部门责令改正，并可以按照受侵害的人员每人100元以上500元以下的标准计算，处以罚款。"),
    ("a body's internal consent is its own procedure",
     "示范督导机构应当综合分析被督导单位的申辩意见，经督导小组集体评议并征得三分之二以上成员的同意，作出督导意见书。",
     "示范督导机构应当综合分析被督导单位的申辩意见，向被督导单位发出督导意见书。"),
    ("residents' consent the superior requires too, in other words",
     "在住宅楼底层开设示范餐饮的，应当征得相邻住户书面同意。",
     "在住宅楼底层开设示范餐饮的，应当经相邻业主同意。"),
    ("a permission for either of two given to one of them",
     "业主委员会可以申请使用示范资金。",
     "业主大会或者业主委员会可以申请使用示范资金。"),
    ("a fee ban restated",
     "考核不收取任何费用。",
     "考核不得收费。"),
    ("the condition kept in other words",
     "经营者拒不停止经营活动的，可以查封其经营场所。",
     "经营者拒不停止经营活动的，可以查封其经营场所。"),
    ("a limited ban restated with its limit",
     "任何单位和个人不得在县人民政府划定的区域内放飞孔明灯。",
     "任何单位和个人不得在县级人民政府划定的区域内放飞孔明灯。"),
    ("penalty types left out where the fines differ are compared as fines",
     "无证捕捞水产品的，处五百元以下罚款。",
     "无证捕捞水产品的，没收违法所得，并处三千元以上三万元以下罚款。"),
    ("a penalty the superior sets only as 可以 may be left out",
     "无证捕捞水产品的，处三千元以上三万元以下罚款。",
     "无证捕捞水产品的，处三千元以上三万元以下罚款，可以没收渔具。"),
]


@pytest.mark.parametrize(("case", "clause", "superior", "kind", "word"), FOUND, ids=[c[0] for c in FOUND])
def test_found(case: str, clause: str, superior: str, kind: DiffKind, word: str) -> None:
    diffs = residual_differences(clause, superior, superior)
    hits = [d for d in diffs if d.kind == kind]
    assert hits, f"{case}: {[d.note for d in diffs]}"
    assert any(word in d.note for d in hits), [d.note for d in hits]
    for d in hits:
        if d.clause_span:
            s, e = d.clause_span
            assert 0 <= s < e <= len(clause)
        if d.superior_span:
            s, e = d.superior_span
            assert 0 <= s < e <= len(superior)


@pytest.mark.parametrize(("case", "clause", "superior"), NOTHING, ids=[c[0] for c in NOTHING])
def test_nothing(case: str, clause: str, superior: str) -> None:
    assert residual_differences(clause, superior, superior) == [], case


def test_dropped_step_is_a_low_note() -> None:
    clause, superior = FOUND[-1][1], FOUND[-1][2]
    (d,) = residual_differences(clause, superior, superior)
    assert d.severity.value == "low"


def test_found_kinds_are_left_out() -> None:
    clause, superior = next((c[1], c[2]) for c in FOUND if c[0] == "prohibition turned into a duty")
    assert residual_differences(clause, superior, superior, found=frozenset({DiffKind.MODALITY})) == []


@pytest.mark.parametrize(("text", "types"), [
    ("处暂扣六个月机动车驾驶证，并处罚款", {"暂扣许可证件", "罚款"}),
    ("吊销机动车驾驶证", {"吊销许可证件"}),
    ("驾驶证被吊销或者被暂扣期间驾驶机动车的，处罚款", {"罚款"}),
])
def test_driving_licence_penalties(text: str, types: set[str]) -> None:
    assert set(penalty_types(text)) == types


def test_subject_of_the_documents_topic_is_not_a_narrowing() -> None:
    clause, superior = "宗教活动场所应当遵守管理制度。", "宗教院校、宗教活动场所应当遵守管理制度。"
    assert [d.kind for d in residual_differences(clause, superior, superior)] == [DiffKind.SUBJECT]
    assert residual_differences(clause, superior, superior, title="某市宗教活动场所管理办法") == []
    clause, superior = "汽车维修经营者应当建立配件登记制度。", "汽车维修经营者、汽车配件经销者应当建立配件登记制度。"
    assert residual_differences(clause, superior, superior, title="某市汽车维修业管理条例") == []


def test_exception_to_a_duty_is_a_note() -> None:
    clause = "临街建筑物前应当设置透景围墙；但需采取特别保卫措施的单位除外。"
    superior = "临街建筑物前应当设置透景围墙。"
    (d,) = residual_differences(clause, superior, superior)
    assert d.kind == DiffKind.EXCEPTION_ADDED and d.severity.value == "low"


@pytest.mark.parametrize(("case", "clause", "superior"), [
    ("a ban on the others beside an authorisation", "其他组织、个人不得编印宗教内部资料。",
     "宗教团体、宗教院校可以编印宗教内部资料。"),
    ("values of a 分别 list by level", "市和县财政科技经费占经常性支出的比例应当分别不低于百分之六和百分之四。",
     "省、市、县财政科技经费占经常性支出的比例应当分别达到百分之八、百分之四点二和百分之三点二以上。"),
])
def test_compare_leaves_out_what_a_reviewer_would_not_raise(case: str, clause: str, superior: str) -> None:
    from normcheck.checks.consistency.compare import compare

    for near_copy in (True, False):
        diffs = [d for d in compare(clause, superior, paraphrase=True, near_copy=near_copy) if not d.benign]
        assert not [d for d in diffs if d.kind in (DiffKind.MODALITY, DiffKind.NUMBER)], (case, [d.note for d in diffs])


def test_compare_still_reports_a_modal_change() -> None:
    from normcheck.checks.consistency.compare import compare

    diffs = compare("申请人应当在期限届满前三十日内申请延期。", "申请人可以在期限届满前三十日内申请延期。",
                    paraphrase=True, near_copy=True)
    assert any(d.kind == DiffKind.MODALITY for d in diffs)


def test_a_local_legislatures_own_procedure_is_another_body() -> None:
    from normcheck.checks.consistency.check import other_body

    superior = "列入常务委员会会议议程的法律案，应当向社会公布，征求意见的时间一般不少于三十日。"
    clause, law = "向社会征求意见的时间一般不少于二十日。", "中华人民共和国立法法"
    assert other_body(clause, superior, law, "某市制定地方性法规条例")
    assert not other_body(clause, superior, law, "某市档案管理条例")


def test_a_penalty_by_reference_is_searched_with_the_article_it_names() -> None:
    from normcheck.checks.consistency.check import _queries
    from normcheck.cite import find_citations
    from normcheck.structure.load import load_document

    doc = load_document("某市河道条例\n\n第十八条 禁止在河道内倾倒垃圾。\n\n"
                        "第四十条 违反本条例第十八条规定的，处五百元以上五千元以下罚款。\n\n"
                        "第四十一条 在河道内倾倒垃圾的，处五百元以上五千元以下罚款。\n")
    todo = []
    for label in ("违反本条例第十八条", "在河道内倾倒垃圾的，处"):
        offset = doc.original.index(label)
        body = doc.original[offset:doc.original.index("。", offset) + 1]
        todo.append((None, body, offset, []))
    by_reference, own_words = _queries(doc, todo, find_citations(doc))  # type: ignore[arg-type]
    assert "倾倒垃圾" in by_reference
    assert own_words == todo[1][1]
