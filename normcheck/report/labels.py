"""Chinese labels and review-opinion phrasing shared by the HTML, CSV and Word reports.

Phrasing tables (labels, suggestions, the review basis per document kind) live here, in one place;
what a report may *quote* is decided by :func:`is_provision_text`.
"""

from __future__ import annotations

import re
from typing import Any

TYPE_LABELS: dict[str, str] = {
    "outdated_reference": "引用已失效或已修改的规定",
    "invalid_reference": "引用不存在的法律或条文",
    "penalty_setting": "超越权限设定行政处罚",
    "license_setting": "超越权限设定行政许可",
    "compulsion_setting": "超越权限设定行政强制",
    "reserved_matter": "涉及法律保留事项",
    "rights_obligations": "减损权利或者增加义务",
    "inconsistent_with_superior": "与上位法规定不一致",
    "fee_setting": "无依据设定收费",
    "drafting": "立法技术问题",
}

SEVERITY_LABELS: dict[str, str] = {"high": "高", "medium": "中", "low": "低"}

#: The 建议 of a review opinion, per finding type, written to follow "建议：" (so never "建议：建议…");
#: formal register, editable by the reviewer. Used for findings with confidence >= LOW_CONFIDENCE.
SUGGESTIONS: dict[str, str] = {
    "outdated_reference": "根据现行有效的上位法修改所引用的法律名称及条文序号。",
    "invalid_reference": "核实所引用的法律、法规名称及条文序号，予以更正或者删除。",
    "penalty_setting": ("删除该项处罚规定，或者修改为在上位法规定的给予行政处罚的行为、种类和幅度范围内"
                        "作出具体规定。"),
    "license_setting": "删除该项许可（审批）规定或者所增设的条件，或者明确其上位法依据。",
    "compulsion_setting": "删除该项行政强制规定，或者修改为与上位法规定的对象、条件、种类相一致。",
    "reserved_matter": "删除相关规定（该事项属于只能制定法律的事项）。",
    "rights_obligations": "删除减损公民、法人和其他组织权利或者增加其义务的规定，或者明确其法律、法规依据。",
    "inconsistent_with_superior": "按照上位法的规定予以修改，保持与上位法相一致。",
    "fee_setting": "删除该项收费规定，或者明确其法律、法规依据及批准文件。",
    "drafting": "按照立法技术规范予以修改完善。",
}

#: Below this confidence a finding is a question for the reviewer, not a formal 建议 (issue 18: a
#: 0.30 "义务" keyword hit must not become 建议删除).
LOW_CONFIDENCE = 0.5

#: The 建议 of a low-confidence finding: what to verify (follows "建议：").
VERIFY: dict[str, str] = {
    "outdated_reference": "请核实所引用的法律是否仍然有效；如已废止或者修改，据实更新引用。",
    "invalid_reference": "请核实所引用的法律、法规名称及条文序号是否准确。",
    "penalty_setting": "请核实该项处罚是否在上位法规定的行为、种类和幅度范围内；如超出，再作修改。",
    "license_setting": "请核实该项许可（审批）或者所设条件是否有上位法依据。",
    "compulsion_setting": "请核实该项行政强制是否有法律、法规依据。",
    "reserved_matter": "请核实该事项是否属于只能制定法律的事项。",
    "rights_obligations": "请核实该条所设定的义务或者限制是否有法律、法规依据；如有，宜在条文中写明。",
    "inconsistent_with_superior": "请对照上位法条文核实两者是否确有不一致。",
    "fee_setting": "请核实该项收费是否有法律、法规依据及批准文件。",
    "drafting": "请核实条文编号和表述是否符合立法技术规范。",
}

#: The rules under which a document of each kind is filed and reviewed (the opening of a 审查意见).
#: 立法法 第一百零九条 (filing of regulations and rules); 法规规章备案审查条例 (State Council, rules);
#: 监督法 第三十条 and 法规、司法解释备案审查工作办法 (NPC Standing Committee, regulations);
#: 国办发〔2018〕37号 (administrative normative documents).
REVIEW_BASIS: dict[str, str] = {
    "local_regulation": "《中华人民共和国立法法》和《法规、司法解释备案审查工作办法》",
    "municipal_regulation": "《中华人民共和国立法法》和《法规、司法解释备案审查工作办法》",
    "autonomous_regulation": "《中华人民共和国立法法》和《法规、司法解释备案审查工作办法》",
    "department_rule": "《中华人民共和国立法法》和《法规规章备案审查条例》",
    "provincial_rule": "《中华人民共和国立法法》和《法规规章备案审查条例》",
    "municipal_rule": "《中华人民共和国立法法》和《法规规章备案审查条例》",
    "normative_document": ("《中华人民共和国各级人民代表大会常务委员会监督法》和《国务院办公厅关于加强行政"
                           "规范性文件制定和监督管理工作的通知》（国办发〔2018〕37号）"),
}
DEFAULT_REVIEW_BASIS = "《中华人民共和国立法法》"

#: The caveat every review opinion carries, whatever was found.
CAVEAT = "机器辅助审查结果，请审查人员复核。"

#: Legends for the figures reports show.
LEGEND_RANK = "阅读顺序：#1 为最先阅读的条款（按关注度由高到低，同分按条文顺序）"
LEGEND_SCORE = ("关注度：0～1，综合本条各项问题的严重程度与置信度以及条文中的处罚、许可、强制、义务、收费等关键词；"
                "越高越需优先审查")
LEGEND_PRIORITY = "优先级：0～1，文件整体的关注度（由关注度最高的若干条款及全文问题得出），用于批量文件排序"
LEGEND_CONFIDENCE = "置信度：0～1，审查人员认同该问题的估计概率；低于0.5的为待核实事项"

#: Evidence texts that checks write when they have no provision text: a status or a count, never a
#: quotation (references check: "已于2021-01-01废止", "现行有效的继受法律：《…》", "本文件共十二条").
_NOT_PROVISION = re.compile(r"^(已(于\S*?)?(废止|失效)|现行有效的继受法律：.*|本文件共\S+条)$")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def kind_label(code: str | None) -> str:
    """The Chinese name of a document kind code (``municipal_rule`` → 设区的市政府规章)."""
    if not code:
        return "未识别"
    from normcheck.types.law import Level

    try:
        return Level(code).chinese
    except ValueError:
        return code


def severity_label(code: str) -> str:
    return SEVERITY_LABELS.get(code, code)


def cn_date(iso: str | None) -> str:
    """``2021-01-01`` → ``2021年1月1日``; anything else unchanged."""
    if not iso:
        return ""
    m = _ISO_DATE.fullmatch(iso.strip())
    return f"{int(m.group(1))}年{int(m.group(2))}月{int(m.group(3))}日" if m else iso


def cn_dates(text: str) -> str:
    """Every ISO date inside ``text`` written the Chinese way."""
    return _ISO_DATE.sub(lambda m: f"{int(m.group(1))}年{int(m.group(2))}月{int(m.group(3))}日", text)


def is_provision_text(ev: Any) -> bool:
    """Whether an evidence item's text is the text of the provision it names (so it may be quoted):
    it names an article, has text, and the text is not a status or count note."""
    article = ev.get("article") if isinstance(ev, dict) else ev.article
    text = ev.get("text") if isinstance(ev, dict) else ev.text
    return bool(article) and bool(text) and not _NOT_PROVISION.match(str(text).strip())


def type_label(code: str) -> str:
    return TYPE_LABELS.get(code, code)


def evidence_heading(ev: Any, sep: str = "") -> str:
    """``law（version）article`` of one evidence item (an Evidence or its dict), parts joined by
    ``sep`` (empty parts left out)."""
    d = ev if isinstance(ev, dict) else ev.to_dict()
    version = f"（{d['version']}）" if d.get("version") else ""
    return sep.join(x for x in (str(d.get("law") or ""), version, str(d.get("article") or "")) if x)


_NOTE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^\[W120\] 《(?P<law>[^》]+)》: the corpus text comes from a snapshot of (?P<snap>[\d-]+), "
                r"the check is as of (?P<as_of>[\d-]+)"),
     "法律库中《{law}》的文本截至{snap_cn}，审查基准日为{as_of_cn}：其后的修改未收录，本次未据以审查。"),
    (re.compile(r"^\[W121\] 《(?P<law>[^》]+)》: the document speaks from (?P<cited>[\d-]+), but the corpus's "
                r"earliest version is (?P<first>[\d-]+)"),
     "本文件（{cited_cn}）早于法律库中《{law}》的最早版本（{first_cn}）：所引版本缺失，已按较新文本核对。"),
    (re.compile(r"^\[E101\]"), "未找到法律库索引：需要上位法的检查未执行（运行 normcheck corpus build）。"),
    (re.compile(r"^\[W130\] model (?P<path>\S+) not used"), "模型{path}不可用，本次按规则审查。"),
    (re.compile(r"^check (?P<name>\S+) skipped: (?P<why>.*)$"), "检查项{name}未执行：{why}"),
    (re.compile(r"^\[E999\] check (?P<name>\S+) failed: (?P<why>.*)$"), "检查项{name}出错，未完成：{why}"),
]


def note_label(note: str) -> str:
    """A result note (``Result.notes``, written for developers, coded) as a reviewer reads it, in Chinese.

    Unknown notes are returned as they are: a note is never dropped from a report.
    """
    for pat, template in _NOTE_PATTERNS:
        m = pat.match(note)
        if m:
            g = m.groupdict()
            extra = {f"{k}_cn": cn_date(v) for k, v in g.items() if v and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v)}
            return template.format(**g, **extra)
    return note
