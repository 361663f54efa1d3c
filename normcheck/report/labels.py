"""Chinese labels and review-opinion phrasing for finding types (shared by the HTML and Word reports)."""

from __future__ import annotations

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

#: The 建议 paragraph of a review opinion, per finding type (formal register, editable by the reviewer).
SUGGESTIONS: dict[str, str] = {
    "outdated_reference": "建议根据现行有效的上位法修改所引用的法律名称及条文序号。",
    "invalid_reference": "建议核实所引用的法律、法规名称及条文序号，予以更正或者删除。",
    "penalty_setting": ("建议删除该项处罚规定，或者修改为在上位法规定的给予行政处罚的行为、种类和幅度范围内"
                        "作出具体规定。"),
    "license_setting": "建议删除该项许可（审批）规定或者所增设的条件，或者明确其上位法依据。",
    "compulsion_setting": "建议删除该项行政强制规定，或者修改为与上位法规定的对象、条件、种类相一致。",
    "reserved_matter": "该事项属于只能制定法律的事项，建议删除相关规定。",
    "rights_obligations": "建议删除减损公民、法人和其他组织权利或者增加其义务的规定，或者明确其法律、法规依据。",
    "inconsistent_with_superior": "建议按照上位法的规定予以修改，保持与上位法相一致。",
    "fee_setting": "建议删除该项收费规定，或者明确其法律、法规依据及批准文件。",
    "drafting": "建议按照立法技术规范予以修改完善。",
}


def type_label(code: str) -> str:
    return TYPE_LABELS.get(code, code)


def evidence_heading(ev: dict[str, object], sep: str = "") -> str:
    """``law（version）article`` of one evidence item, parts joined by ``sep`` (empty parts left out)."""
    version = f"（{ev['version']}）" if ev.get("version") else ""
    return sep.join(x for x in (str(ev.get("law") or ""), version, str(ev.get("article") or "")) if x)
