"""Document metadata from the title, the preamble and the last articles -> :class:`DocumentMeta`.

Reads (from the normalised text):
- title: the Markdown ``# `` line, else the first short line without sentence punctuation;
- history lines ``2021年1月22日 第十三届全国人民代表大会常务委员会第二十五次会议通过`` and bracketed
  ``（2020年7月30日……通过　根据……修正）``: each date is classified by the first of
  通过/修正/修订/公布/发布/施行 after it;
- the issuer (the body named around the 通过 date, or the title's prefix before 关于);
- the region (province/autonomous region/municipality, or a 市/州 name, from issuer or title);
- the 施行 date from ``自2021年7月1日起施行`` (or 公布之日 -> the publication date).
Dates are ISO strings; Chinese-numeral dates (二〇二一年七月一日) are understood.
"""

from __future__ import annotations

import re

from normcheck.knowledge import regions
from normcheck.text.numerals import cn_to_int
from normcheck.types.document import Document, DocumentMeta, NodeKind

#: Provincial-level divisions (short names, data/regions.json).
PROVINCES = tuple(regions())

_CN_D = "〇○零一二三四五六七八九十"
_DATE_RE = re.compile(
    rf"([0-9]{{4}}|[{_CN_D}]{{4}})[ ]?年[ ]?([0-9]{{1,2}}|[{_CN_D}]{{1,3}})[ ]?月"
    rf"[ ]?([0-9]{{1,2}}|[{_CN_D}]{{1,3}})[ ]?日"
)
_EVENT_RE = re.compile(r"通过|修正|修订|公布|发布|施行|批准")
_ISSUER_RE = re.compile(
    r"([\u4e00-\u9fff]{0,12}?(?:人民代表大会常务委员会|人民代表大会|人民政府|国务院|最高人民法院|最高人民检察院"
    r"|[\u4e00-\u9fff]{1,12}?(?:部|委员会|总局|局|厅|署|办公厅|办公室)))"
)
_SESSION_RE = re.compile(r"第[一二三四五六七八九十百零〇0-9]+(?:届|次(?:全体|常务)?会议|次会议)")
_REGION_RE = re.compile(r"([\u4e00-\u9fff]{2,6}?)(?:市|自治州|州|盟|地区)")
_EFFECT_RE = re.compile(r"自(.{0,30}?)起(?:施行|生效|实施)")


def _iso(m: re.Match[str]) -> str | None:
    try:
        y = cn_to_int(m.group(1))
        mo = cn_to_int(m.group(2))
        d = cn_to_int(m.group(3))
    except ValueError:
        return None
    if not (1900 <= y <= 2200 and 1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def dated_events(text: str) -> list[tuple[str, str, int]]:
    """``(event, iso_date, offset)`` for each date in ``text`` followed by an event word."""
    out = []
    dates = list(_DATE_RE.finditer(text))
    for k, m in enumerate(dates):
        iso = _iso(m)
        if iso is None:
            continue
        stop = dates[k + 1].start() if k + 1 < len(dates) else len(text)
        stop = min(stop, m.end() + 120)
        ev = _EVENT_RE.search(text, m.end(), stop)
        if ev:
            out.append((ev.group(0), iso, m.start()))
    return out


def find_issuer(text: str) -> str:
    """The issuing body named in a history line or title (session numbers removed)."""
    cleaned = _SESSION_RE.sub("", _DATE_RE.sub(" ", text))
    m = _ISSUER_RE.search(cleaned)
    return m.group(1) if m else ""


def find_region(*texts: str) -> str:
    for t in texts:
        if not t:
            continue
        head = t[:20]
        for p in PROVINCES:
            if head.startswith(p):
                return p
        if head.startswith("中华人民共和国") or head.startswith("全国") or head.startswith("国务院"):
            continue
        m = _REGION_RE.match(head)
        if m:
            return m.group(1)
    return ""


def extract_meta(doc: Document) -> DocumentMeta:
    """Fill ``doc.meta`` (title, issuer, region, dates) in place and return it."""
    meta = doc.meta
    text = doc.text
    pre = next((n for n in doc.root.children if n.kind == NodeKind.PREAMBLE), None)
    first_unit = next((n for n in doc.root.walk() if n.kind in (NodeKind.ARTICLE, NodeKind.POINT)), None)
    # the preamble in normalised coordinates: up to the first structure node
    pre_end_orig = pre.end if pre else (first_unit.start if first_unit else min(len(doc.original), 2000))
    pre_end = _norm_offset(doc, pre_end_orig)
    preamble = text[:pre_end]

    if not meta.title:
        meta.title = _title(preamble if preamble.strip() else text[:500])
    events = dated_events(preamble[:5000])
    for ev, iso, _ in events:
        if ev == "通过" and meta.adopted is None:
            meta.adopted = iso
        elif ev in ("修正", "修订") or (ev == "通过" and iso > (meta.adopted or "")):
            # a later 通过 line adopts a revised text: it dates a new version like 修订
            if iso not in meta.amended:
                meta.amended.append(iso)
        elif ev in ("公布", "发布") and meta.published is None:
            meta.published = iso
        elif ev == "施行" and meta.effective is None:
            meta.effective = iso
    if not meta.issuer:
        for line in preamble.splitlines():
            if "通过" in line or "发布" in line or "公布" in line:
                meta.issuer = find_issuer(line)
                if meta.issuer:
                    break
        if not meta.issuer and "关于" in meta.title:
            meta.issuer = find_issuer(meta.title.split("关于", 1)[0])
    if meta.published is None:
        tail = text.rstrip().rsplit("\n", 1)[-1].strip()
        d = _DATE_RE.fullmatch(tail)
        if d:  # a notice's signature date
            meta.published = _iso(d)
    if meta.effective is None:
        arts = [n for n in doc.root.walk() if n.kind in (NodeKind.ARTICLE, NodeKind.POINT)]
        for node in reversed(arts[-3:]):
            t = doc.original[node.start:node.end]
            m = _EFFECT_RE.search(t)
            if not m:
                continue
            d = _DATE_RE.search(m.group(1))
            if d and _iso(d):
                meta.effective = _iso(d)
            elif "公布之日" in m.group(1) or "发布之日" in m.group(1) or "印发之日" in m.group(1):
                meta.effective = meta.published or meta.adopted
            break
    if not meta.region:
        path = doc.path or ""
        pm = re.search(r"DLC/([^/]+?)地方法规/", path)
        meta.region = pm.group(1) if pm else find_region(meta.title, meta.issuer)
    return meta


def _norm_offset(doc: Document, orig: int) -> int:
    """Smallest normalised offset whose original offset is >= ``orig`` (binary search)."""
    to = doc.offsets.to_original
    lo, hi = 0, len(to) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if to[mid] < orig:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _title(preamble: str) -> str:
    for line in preamble.splitlines():
        s = line.strip()
        if s.startswith("# "):
            return s[2:].strip()
    for line in preamble.splitlines():
        s = line.strip().lstrip("#").strip()
        if not s or s.startswith("<!--"):
            continue
        if _DATE_RE.match(s) or s.startswith("（") or s.startswith("(") or re.search(r"〔\d{4}〕|\[\d{4}\]", s):
            continue
        if len(s) <= 80 and not re.search(r"[。；]", s):
            return s
    return ""
