"""Document kind and region: given (``--kind``) or inferred from title, issuer and wording.

``infer_kind(doc) -> (Level | None, reason)`` and ``infer_region(doc) -> str | None`` (a province's short
name such as 浙江). Place names are data (``data/regions.json``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from normcheck.errors import Code, NormcheckError
from normcheck.types.document import Document
from normcheck.types.law import Level

_PREAMBLE_CHARS = 600
_ISSUER_RE = re.compile(
    r"([\u4e00-\u9fff]{2,20}?(?:人民代表大会常务委员会|人民代表大会|人大常委会|人民政府办公厅|人民政府办公室|人民政府"
    r"|国务院办公厅|国务院|[\u4e00-\u9fff]{0,12}(?:部|委员会|厅|局|办公室)))")
_REG_WORDS = re.compile(r"人民代表大会|人大常委会")
_GOV_RE = re.compile(r"人民政府(?!办公)")
_RULE_ORDER_RE = re.compile(r"(人民政府|部|委员会|局|署|行)令|令第[\d一二三四五六七八九十百零〇]+号"
                            r"|政府第?[\d一二三四五六七八九十百]*次?常务会议|部务会议|委务会议")
_NORMDOC_TITLE_RE = re.compile(r"(通知|意见|方案|通告|公告|指引|指南|纲要|规划|计划|措施|要点|函|批复"
                               r"|工作规程|若干措施)$")
_RULE_TITLE_RE = re.compile(r"(办法|规定|细则|规则|实施办法|暂行办法|暂行规定)$")
_REG_TITLE_RE = re.compile(r"条例$|(人民代表大会|人大)常务委员会关于.{2,60}的(决定|规定)$")
_AUTONOMOUS_RE = re.compile(r"自治条例|单行条例|自治县")


@dataclass(frozen=True, slots=True)
class Place:
    province: str | None  # short name, e.g. 浙江
    city: str | None  # a 设区的市 (or 自治州), e.g. 杭州
    evidence: str = ""


@lru_cache(maxsize=1)
def regions() -> dict[str, dict[str, object]]:
    """The region table: province short name -> {full, type, cities}. E901 on bad data."""
    try:
        data = json.loads((resources.files("normcheck") / "data" / "regions.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise NormcheckError(Code.BAD_DATA, f"data/regions.json unreadable ({exc}); reinstall normcheck",
                             "regions.json") from None
    provs = data.get("provinces") if isinstance(data, dict) else None
    if not isinstance(provs, dict) or not provs:
        raise NormcheckError(Code.BAD_DATA, "data/regions.json needs a non-empty 'provinces' object", "regions.json")
    for name, row in provs.items():
        if not isinstance(row, dict) or not isinstance(row.get("full"), str) or not isinstance(row.get("cities"), list):
            raise NormcheckError(Code.BAD_DATA, f"data/regions.json: province {name!r} needs 'full' and 'cities'",
                                 "regions.json")
    return provs


@lru_cache(maxsize=1)
def _city_index() -> dict[str, str]:
    out: dict[str, str] = {}
    for prov, row in regions().items():
        cities = row["cities"]
        for city in cities if isinstance(cities, list) else []:
            out[str(city)] = prov
    return out


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
    m = re.search(r"第[一二三四五六七八九十]+条|<!-- INFO END -->|^[一二三四五六七八九十]+、", text, re.M)
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
        full = str(row["full"])
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
                        re.escape(pre.city) + r"市(人民代表大会|人大|人民政府)", _preamble(doc)):
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
    where = f"{place.province or ''}{'·' + place.city if place.city else ''}" or "未识别地名"
    if re.match(r"^(中华人民共和国)?宪法", title):
        return Level.CONSTITUTION, "标题为宪法"
    if title.startswith("中华人民共和国") and title.endswith("法"):
        return Level.LAW, "标题为“中华人民共和国…法”"
    if "国务院" in issuer and title.endswith("条例"):
        return Level.ADMINISTRATIVE_REGULATION, "国务院发布的条例"
    if _AUTONOMOUS_RE.search(title) or ("自治县" in issuer and _REG_WORDS.search(issuer)):
        return Level.AUTONOMOUS_REGULATION, "自治条例或单行条例（自治县/自治条例）"
    is_congress = bool(_REG_WORDS.search(issuer) or _REG_WORDS.search(pre[len(title):]))
    is_gov = bool(_GOV_RE.search(issuer)) and not is_congress
    if _NORMDOC_TITLE_RE.search(title) and not (is_congress and title.endswith("决定")):
        return Level.NORMATIVE_DOCUMENT, f"标题以“{_NORMDOC_TITLE_RE.search(title).group(0)}”结尾（通知/意见/方案类）"  # type: ignore[union-attr]
    if _REG_TITLE_RE.search(title) or (is_congress and _RULE_TITLE_RE.search(title + "")):
        unnamed_city = not place.province and bool(re.search(r"市人民代表大会|市人大", issuer + pre))
        if place.city or unnamed_city or "自治州" in title or "自治州" in issuer:
            return Level.MUNICIPAL_REGULATION, f"人大常委会制定的条例/规定，设区的市（{where}）"
        if place.province or is_congress:
            return Level.LOCAL_REGULATION, f"人大常委会制定的条例/规定，省级（{where}）"
        return Level.LOCAL_REGULATION, "标题为“条例”（规章不得称条例），未识别地名，按省级地方性法规处理"
    if _RULE_TITLE_RE.search(title):
        ministry = re.search(r"(部|委员会|总局|局|署|银行)$", issuer) and not re.search(r"(省|市|区|县)", issuer)
        if ministry and _RULE_ORDER_RE.search(pre):
            return Level.DEPARTMENT_RULE, f"国务院部门（{issuer}）以部门令发布的办法/规定"
        if is_gov and (_RULE_ORDER_RE.search(pre) or "人民政府令" in doc.text[:_PREAMBLE_CHARS]):
            if re.search(r"[县区]人民政府", issuer) and not place.city and not re.search(r"市人民政府", issuer):
                return Level.NORMATIVE_DOCUMENT, f"县级人民政府（{issuer}）无规章制定权"
            if place.city:
                return Level.MUNICIPAL_RULE, f"设区的市人民政府（{where}）以政府令发布的办法/规定"
            if not place.province and re.search(r"市人民政府", issuer + pre):
                return Level.MUNICIPAL_RULE, ("市人民政府（未识别地名，非直辖市按设区的市处理）"
                                              "以政府令或常务会议通过的办法/规定")
            return Level.PROVINCIAL_RULE, f"省级人民政府（{where}）以政府令发布的办法/规定"
        if is_gov or re.search(r"(厅|局|委员会|办公室|办公厅)$", issuer):
            return Level.NORMATIVE_DOCUMENT, f"{issuer or '机关'}发布的办法/规定，无政府令（按规范性文件处理）"
        return None, "标题为办法/规定但未识别制定机关，无法确定是规章还是规范性文件"
    if is_congress and title.endswith("决定"):
        return (Level.MUNICIPAL_REGULATION if place.city else Level.LOCAL_REGULATION,
                f"人大常委会的法规性决定（{where}）")
    if issuer:
        return Level.NORMATIVE_DOCUMENT, f"{issuer}发布的文件，标题不是条例/办法/规定"
    return None, "标题和制定机关都无法判断文件类型"
