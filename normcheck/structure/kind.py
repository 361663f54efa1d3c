"""Document kind and region: given (``--kind``) or inferred from title, issuer and wording.

``infer_kind(doc) -> (Level | None, reason)`` and ``infer_region(doc) -> str | None`` (a province's short
name such as 浙江). Place names are data (``data/regions.json``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from normcheck.knowledge import Region, city_index, kind_rules
from normcheck.knowledge import regions as knowledge_regions
from normcheck.types.document import Document
from normcheck.types.law import Level

_K = kind_rules()  # data/kind_rules.json: the tests and reasons of the decision tree below
_P = _K.patterns
_R = _K.reasons
_PREAMBLE_CHARS = _K.preamble_chars
_ISSUER_RE = _P["issuer"]
_REG_WORDS = _P["congress"]
_GOV_RE = _P["government"]
_RULE_ORDER_RE = _P["rule_order"]
_NORMDOC_TITLE_RE = _P["normdoc_title"]
_RULE_TITLE_RE = _P["rule_title"]
_REG_TITLE_RE = _P["regulation_title"]
_AUTONOMOUS_RE = _P["autonomous"]


@dataclass(frozen=True, slots=True)
class Place:
    province: str | None  # short name, e.g. 浙江
    city: str | None  # a 设区的市 (or 自治州), e.g. 杭州
    evidence: str = ""


def regions() -> dict[str, Region]:
    """The region table: province short name -> :class:`Region` (``data/regions.json``). E901 on bad data."""
    return knowledge_regions()


def _city_index() -> dict[str, str]:
    return city_index()


def _title(doc: Document) -> str:
    if doc.meta.title:
        return doc.meta.title.strip()
    for line in doc.text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line
    return ""


def _preamble(doc: Document) -> str:
    text = doc.text[:_PREAMBLE_CHARS]
    m = _P["preamble_end"].search(text)
    return text[: m.start()] if m else text


def find_place(text: str) -> Place:
    """The province and city a piece of text (title, issuer) names first; cities imply their province."""
    if not text:
        return Place(None, None)
    cities = _city_index()
    best: tuple[int, str | None, str | None, str] | None = None
    for cname, cprov in cities.items():
        for m in re.finditer(re.escape(cname), text):
            # A city name must be followed by 市/州 or open the text (杭州西湖…, 宁波杭州湾新区条例).
            nxt = text[m.end():m.end() + 1]
            if m.start() == 0 or nxt in ("市", "州") or text[m.start() - 1] in "《（(":
                cand = (m.start(), cprov, cname, text[m.start():m.end() + 1])
                if best is None or cand[0] < best[0]:
                    best = cand
                break
    for prov, row in regions().items():
        full = row.full
        for m in re.finditer(re.escape(full) + "|" + re.escape(prov), text):
            if best is None or m.start() < best[0]:
                # a city named right after its own province (浙江省杭州市) stays the better answer
                best = (m.start(), prov, None, m.group(0))
            break
    if best is None:
        return Place(None, None)
    found_prov: str | None = best[1]
    city: str | None = best[2]
    ev = best[3]
    if city is None and found_prov is not None:
        # 浙江省杭州市人民政府: the city follows the province
        rest = text[best[0]:best[0] + 12]
        for c, p in cities.items():
            if p == found_prov and c in rest:
                city = c
                break
    return Place(found_prov, city, ev)


def infer_issuer(doc: Document) -> str:
    """The issuing body as written (meta.issuer, else the preamble's first organ name)."""
    if doc.meta.issuer:
        return doc.meta.issuer
    m = _ISSUER_RE.search(_preamble(doc)[len(_title(doc)):])
    return m.group(1) if m else ""


def infer_place(doc: Document) -> Place:
    """Province and 设区的市 from the title, then the issuer, then the preamble."""
    title = _title(doc)
    for text in (title, infer_issuer(doc), _preamble(doc)):
        place = find_place(text)
        if place.province:
            if place.city is None and text is title:
                # a city-level issuer in the preamble (XX市人民代表大会常务委员会…通过) refines the title
                pre = find_place(_preamble(doc)[len(title):])
                if pre.province == place.province and pre.city and re.search(
                        re.escape(pre.city) + _K.pattern_text("city_organ"), _preamble(doc)):
                    return pre
            return place
    return Place(None, None)


def infer_region(doc: Document) -> str | None:
    """The province-level region (short name, e.g. 浙江) named by title, issuer or preamble."""
    given = doc.meta.region.strip().removesuffix("省").removesuffix("市") if doc.meta.region else ""
    if given in regions():
        return given
    if given in _city_index():
        return _city_index()[given]
    return infer_place(doc).province


def infer_kind(doc: Document) -> tuple[Level | None, str]:
    """Infer the document kind from title, issuer and wording; return (kind or None, reason in Chinese)."""
    title = _title(doc)
    issuer = infer_issuer(doc)
    pre = _preamble(doc)
    place = infer_place(doc)
    where = f"{place.province or ''}{'·' + place.city if place.city else ''}" or _K.no_place
    if _P["constitution_title"].search(title):
        return Level.CONSTITUTION, _R["constitution"]
    if _P["law_title"].search(title):
        return Level.LAW, _R["law"]
    if _P["state_council"].search(issuer) and _P["regulation_suffix"].search(title):
        return Level.ADMINISTRATIVE_REGULATION, _R["administrative_regulation"]
    if _AUTONOMOUS_RE.search(title) or (_P["autonomous_county"].search(issuer) and _REG_WORDS.search(issuer)):
        return Level.AUTONOMOUS_REGULATION, _R["autonomous_regulation"]
    is_congress = bool(_REG_WORDS.search(issuer) or _REG_WORDS.search(pre[len(title):]))
    is_gov = bool(_GOV_RE.search(issuer)) and not is_congress
    decision = bool(_P["decision_suffix"].search(title))
    if _NORMDOC_TITLE_RE.search(title) and not (is_congress and decision):
        suffix = _NORMDOC_TITLE_RE.search(title).group(0)  # type: ignore[union-attr]
        return Level.NORMATIVE_DOCUMENT, _R["normative_document_title"].format(suffix=suffix)
    if _REG_TITLE_RE.search(title) or (is_congress and _RULE_TITLE_RE.search(title + "")):
        unnamed_city = not place.province and bool(_P["city_congress"].search(issuer + pre))
        prefecture = _P["autonomous_prefecture"]
        if place.city or unnamed_city or prefecture.search(title) or prefecture.search(issuer):
            return Level.MUNICIPAL_REGULATION, _R["municipal_regulation"].format(where=where)
        if place.province or is_congress:
            return Level.LOCAL_REGULATION, _R["local_regulation"].format(where=where)
        return Level.LOCAL_REGULATION, _R["local_regulation_unplaced"]
    if _RULE_TITLE_RE.search(title):
        ministry = _P["ministry_issuer"].search(issuer) and not _P["local_issuer"].search(issuer)
        if ministry and _RULE_ORDER_RE.search(pre):
            return Level.DEPARTMENT_RULE, _R["department_rule"].format(issuer=issuer)
        if is_gov and (_RULE_ORDER_RE.search(pre) or _P["government_order"].search(doc.text[:_PREAMBLE_CHARS])):
            city_gov = _P["city_government"]
            if _P["county_government"].search(issuer) and not place.city and not city_gov.search(issuer):
                return Level.NORMATIVE_DOCUMENT, _R["county_government"].format(issuer=issuer)
            if place.city:
                return Level.MUNICIPAL_RULE, _R["municipal_rule"].format(where=where)
            if not place.province and city_gov.search(issuer + pre):
                return Level.MUNICIPAL_RULE, _R["municipal_rule_unplaced"]
            return Level.PROVINCIAL_RULE, _R["provincial_rule"].format(where=where)
        if is_gov or _P["department_issuer"].search(issuer):
            return Level.NORMATIVE_DOCUMENT, _R["normative_document_rule_title"].format(
                issuer=issuer or _K.default_issuer)
        return None, _R["rule_title_no_issuer"]
    if is_congress and decision:
        return (Level.MUNICIPAL_REGULATION if place.city else Level.LOCAL_REGULATION,
                _R["regulation_decision"].format(where=where))
    if issuer:
        return Level.NORMATIVE_DOCUMENT, _R["normative_document_other"].format(issuer=issuer)
    return None, _R["unknown"]
