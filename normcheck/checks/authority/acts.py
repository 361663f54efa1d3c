"""Clause analysis: what a clause *does* (设定 penalties, licences, compulsory measures, reserved
matters, obligations, fees) and whether it *sets* each act or merely *refers* to a superior provision.

``analyze_clause(text) -> ClauseActs``; every act carries its span ``[start, end)`` within ``text``.
Signal words are data (``data/signals.json``); this module only applies them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from normcheck.knowledge import penalties, units
from normcheck.knowledge.authority import ACTS, Signals, signals
from normcheck.text.numerals import cn_to_int

_DELIMS = "。；;\n"
_SUB_DELIMS = "，,：:。；;\n"
_NUM = r"(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万亿]+)"
_MONEY = units().money()  # data/units.json: unit -> yuan
_MONEY_RE = re.compile(_NUM + r"\s*(" + "|".join(sorted(_MONEY, key=len, reverse=True)) + ")")
_MULT_RE = re.compile(r"(\d+(?:\.\d+)?|[一二两三四五六七八九十]+|半)\s*倍")
# Families whose signals, in a sentence that ends "…的", describe an offence rather than set anything.
_DESCRIPTIVE_FAMILIES = ("license", "obligation", "fee")
# 应当依法取得…许可, 按照国家有关规定办理…批准: an existing licence, not a new one.
# Families whose measures a reviewer reads for who sets them (issue 14): refer_sub, prohibit, judicial, describe_after,
# topic (signals.json) decide whether the clause sets the measure or speaks about it.
SETTING_FAMILIES = ("penalty", "compulsion", "reserved")
_LIST_SEP = "(?:、|和|及|以及|或者|或|与)"
_HEADS: dict[int, re.Pattern[str]] = {}
_LICENSE_REFER_RE = re.compile(r"依法|依照|按照[^，。；]{0,8}规定|法律[、和]?(行政)?法规规定")


@dataclass(frozen=True, slots=True)
class Act:
    """One thing a clause does. ``sets`` is False when it refers to superior law (``reason`` says how)."""

    family: str  # penalty | license | compulsion | reserved | obligation | fee
    type: str  # e.g. 罚款, 吊销营业执照, 查封, 许可, 保证金押金
    start: int
    end: int
    text: str
    sets: bool
    reason: str = ""  # why it is not a setting ("refers: 依照《…》"), or "" when it sets
    basis: str = ""  # the article that defines this kind of act (from signals.json)
    deferred: bool = False  # the clause yields to superior law ("法律、法规另有规定的，从其规定")
    amount_min: float | None = None  # fines: yuan
    amount_max: float | None = None
    multiple_min: float | None = None  # fines as multiples (违法所得一倍以上三倍以下)
    multiple_max: float | None = None


@dataclass(slots=True)
class ClauseActs:
    text: str
    acts: list[Act] = field(default_factory=list)
    defers: bool = False

    def of(self, family: str, *, setting_only: bool = False) -> list[Act]:
        if family not in ACTS:
            raise ValueError(f"unknown act family {family!r}; use one of: {', '.join(ACTS)}")
        return [a for a in self.acts if a.family == family and (a.sets or not setting_only)]

    @property
    def penalties(self) -> list[Act]:
        return self.of("penalty")

    @property
    def licenses(self) -> list[Act]:
        return self.of("license")

    @property
    def compulsions(self) -> list[Act]:
        return self.of("compulsion")

    @property
    def reserved(self) -> list[Act]:
        return self.of("reserved")

    @property
    def obligations(self) -> list[Act]:
        return self.of("obligation")

    @property
    def fees(self) -> list[Act]:
        return self.of("fee")

    def setting(self) -> list[Act]:
        return [a for a in self.acts if a.sets]


def _num(s: str) -> float:
    if s == "半":
        return 0.5
    try:
        return float(s)
    except ValueError:
        return float(cn_to_int(s))


def parse_money(text: str) -> list[tuple[float, int, int]]:
    """Money amounts in ``text`` as (yuan, start, end): ``一千元`` -> 1000, ``10万元`` -> 100000."""
    out = []
    for m in _MONEY_RE.finditer(text):
        try:
            val = _num(m.group(1))
        except ValueError:
            continue
        unit = _MONEY[m.group(2)]
        out.append((val * unit, m.start(), m.end()))
    return out


def parse_fine(window: str) -> tuple[float | None, float | None, float | None, float | None]:
    """Fine range in the words before 罚款: (min yuan, max yuan, min multiple, max multiple).

    ``一千元以上一万元以下`` -> (1000, 10000); ``五万元以下`` -> (None, 50000); ``一万元`` -> (10000, 10000);
    ``违法所得一倍以上三倍以下`` -> multiples (1, 3).
    """
    lo = hi = mlo = mhi = None
    amounts = parse_money(window)
    if amounts:
        vals = [a[0] for a in amounts]
        hi = max(vals)
        only_upper = len(amounts) == 1 and window[amounts[0][2]:amounts[0][2] + 2] in ("以下", "以内")
        lo = None if only_upper else min(vals)
    mults = []
    for m in _MULT_RE.finditer(window):
        try:
            mults.append((_num(m.group(1)), m.end()))
        except ValueError:
            continue
    if mults:
        mhi = max(v for v, _ in mults)
        only_upper = len(mults) == 1 and window[mults[0][1]:mults[0][1] + 2] in ("以下", "以内")
        mlo = None if only_upper else min(v for v, _ in mults)
    return lo, hi, mlo, mhi


def _fragment_start(text: str, pos: int) -> int:
    i = pos
    while i > 0 and text[i - 1] not in _DELIMS:
        i -= 1
    return i


def _fragment_end(text: str, pos: int) -> int:
    i = pos
    while i < len(text) and text[i] not in _DELIMS:
        i += 1
    return i


def _sub_start(text: str, pos: int, floor: int) -> int:
    i = pos
    while i > floor and text[i - 1] not in _SUB_DELIMS:
        i -= 1
    return i


def _is_offence_description(fragment: str) -> bool:
    """``未经批准擅自…的`` / ``（一）未取得许可证从事经营的`` end in 的: they describe an offence."""
    return fragment.rstrip("，,：: 　").endswith("的")


def _overlaps(a: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


def analyze_clause(text: str, sig: Signals | None = None) -> ClauseActs:
    """Find every act in ``text`` and decide, per act, whether the clause sets it or refers to it."""
    sig = sig or signals()
    result = ClauseActs(text=text)
    result.defers = any(p.search(text) for p in sig.defer)
    for family in ACTS:
        taken: list[tuple[int, int]] = []
        for s in sig.acts[family]:
            for m in s.pattern.finditer(text):
                span = (m.start(), m.end())
                if span[1] <= span[0] or _overlaps(span, taken):
                    continue
                act = _classify(text, family, s.type, s.basis, span, sig, result.defers)
                if act is None:
                    continue
                taken.append(span)
                result.acts.append(act)
    result.acts.sort(key=lambda a: (a.start, a.family))
    return result


def _classify(text: str, family: str, type_: str, basis: str, span: tuple[int, int], sig: Signals,
              defers: bool) -> Act | None:
    start, end = span
    fs = _fragment_start(text, start)
    fe = _fragment_end(text, end)
    before = text[fs:start]
    fragment = text[fs:fe]
    # Prohibited or denied (不得收取…费, 不得查封, 不得要求企业缴纳…保证金), not set: not an act at all.
    if family in ("penalty", "compulsion", "fee", "reserved", "obligation"):
        sub = text[_sub_start(text, start, fs):start]
        if any(p.search(sub) for p in sig.negate):
            return None
    reason = ""
    for p in sig.refer:
        m = p.search(before + text[start:end])
        if m and m.start() < len(before):
            reason = f"refers: {m.group(0)[:30]}"
            break
    if not reason:
        for p in sig.refer_near:
            m = p.search(before + text[start:end])
            if m and m.start() < len(before):
                reason = f"refers: {m.group(0)[:30]}"
                break
    if not reason and family == "license" and _LICENSE_REFER_RE.search(text[start:end]):
        reason = "refers: " + _LICENSE_REFER_RE.search(text[start:end]).group(0)  # type: ignore[union-attr]
    if not reason and family in ("penalty", "compulsion", "reserved"):
        sub_start = _sub_start(text, start, fs)
        if any(p.search(text[max(fs, start - 6):start]) for p in sig.describe):
            reason = "describes a status (被/受…)"
        elif family != "reserved" and not any(p.search(before + text[start:end]) for p in sig.impose):
            reason = "mentions, does not impose (no disposition verb before it)"
        elif _is_offence_description(text[sub_start:_next_sub_end(text, end, fe)]):
            reason = "describes a condition (…的)"
    if not reason and family in _DESCRIPTIVE_FAMILIES and _is_offence_description(fragment[: end - fs + 40]):
        if _is_offence_description(text[fs:_next_sub_end(text, end, fe)]):
            reason = "describes an offence"
    if not reason and family in SETTING_FAMILIES:
        reason = _spoken_of(text, family, start, end, fs, fe, sig)
    lo = hi = mlo = mhi = None
    if family == "penalty" and type_ == penalties().fine_type:
        lo, hi, mlo, mhi = parse_fine(text[_sub_start(text, start, fs):start])
    return Act(family=family, type=type_, start=start, end=end, text=text[start:end], sets=not reason,
               reason=reason, basis=basis, deferred=defers, amount_min=lo, amount_max=hi,
               multiple_min=mlo, multiple_max=mhi)


def _list_head(text: str, start: int, floor: int, sig: Signals) -> int:
    """Where the 、-list of measures that the act at ``start`` closes begins (违法查封、扣押、冻结 -> 查封): the words
    governing the list stand before its first item."""
    key = id(sig)
    pat = _HEADS.get(key)
    if pat is None:
        words = [x.pattern.pattern for fam in ("penalty", "compulsion") for x in sig.acts[fam]]
        pat = re.compile("(?:" + "|".join(f"(?:{w})" for w in words) + ")(?:等)?" + _LIST_SEP + "$")
        _HEADS[key] = pat
    i = start
    for _ in range(8):
        m = pat.search(text, floor, i)
        if m is None or m.start() >= i:
            break
        i = m.start()
    return i


def _spoken_of(text: str, family: str, start: int, end: int, fs: int, fe: int, sig: Signals) -> str:
    """Why a penalty, compulsory measure or reserved matter is spoken of rather than set here, or ""."""
    sub_s = _sub_start(text, start, fs)
    sub_e = _next_sub_end(text, end, fe)
    before = text[sub_s:start]
    for p in sig.refer_sub:
        m = p.search(before)
        if m is None:
            m = p.search(text[sub_s:sub_e])
            if m is not None and not (m.start() < start - sub_s < m.end()):
                m = None
        if m is not None:
            return f"refers: {m.group(0)[:30]}"
    head = _list_head(text, start, sub_s, sig)
    if any(p.search(before) or p.search(text[sub_s:head]) for p in sig.prohibit):
        return "prohibited (a prohibition governs the measure)"
    if family != "reserved":
        sent_s = start
        while sent_s > 0 and text[sent_s - 1] not in "。\n":
            sent_s -= 1
        if any(p.search(text[sent_s:start]) for p in sig.judicial):
            return "courts or criminal procedure, not an administrative measure"
    if any(p.search(text[end:fe]) for p in sig.describe_after):
        return ("spoken of in its sentence (…的人, …人员, inside a title 《…》, put under the law by the next "
                "sub-clause, …等情形/方式, …措施 followed by a duty)")
    if any(p.search(before) for p in sig.describe):
        return "describes a status or a duty"
    if family == "reserved" and any(p.search(before) for p in sig.topic) and any(
            p.search(text[end:fe]) for p in sig.topic_next):
        return "the topic of a rule that presupposes it (…，依法给予补偿)"
    return ""


def _next_sub_end(text: str, pos: int, limit: int) -> int:
    i = pos
    while i < limit and text[i] not in "，,：:":
        i += 1
    return i
