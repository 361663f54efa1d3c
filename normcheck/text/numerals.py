"""Chinese numerals both ways: 一百零七 <-> 107, 二百一十 <-> 210, 第十条之一."""

from __future__ import annotations

import re

_DIGITS = {"零": 0, "〇": 0, "○": 0, "Ｏ": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2,
           "三": 3, "叁": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6,
           "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}
_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG = {"万": 10_000, "萬": 10_000, "亿": 100_000_000}

#: Characters that may appear in a Chinese numeral (for building regexes).
NUMERAL_CHARS = "零〇○一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟"
NUMERAL_RE = f"[{NUMERAL_CHARS}]+"

_CN_OUT = "零一二三四五六七八九"


def cn_to_int(s: str) -> int:
    """Parse a Chinese (or Arabic) numeral. Raises ``ValueError`` on anything else.

    >>> cn_to_int("一百零七"), cn_to_int("二百一十"), cn_to_int("十二"), cn_to_int("一〇七")
    (107, 210, 12, 107)
    """
    s = s.strip()
    if not s:
        raise ValueError("empty numeral")
    if s.isascii() and s.isdigit():
        return int(s)
    if any(ch not in _DIGITS and ch not in _UNITS and ch not in _BIG for ch in s):
        raise ValueError(f"not a Chinese numeral: {s!r}")
    # Digit-by-digit form (一〇七, 二〇二一) when there are no unit characters.
    if not any(ch in _UNITS or ch in _BIG for ch in s):
        return int("".join(str(_DIGITS[ch]) for ch in s))
    total = 0  # completed big sections (亿/万)
    section = 0  # within the current big section
    digit: int | None = None
    for ch in s:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            section += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
        else:  # big unit
            section += digit or 0
            total = (total + section) * _BIG[ch] if _BIG[ch] > total else total + section * _BIG[ch]
            section, digit = 0, None
    return total + section + (digit or 0)


def int_to_cn(n: int) -> str:
    """Write a non-negative integer as a Chinese numeral the way statutes do (十二, 一百零七, 二百一十).

    >>> int_to_cn(12), int_to_cn(107), int_to_cn(210), int_to_cn(1000)
    ('十二', '一百零七', '二百一十', '一千')
    """
    if n < 0:
        raise ValueError("negative numbers have no clause numeral")
    if n < 10:
        return _CN_OUT[n]
    if n < 20:
        return "十" + (_CN_OUT[n - 10] if n > 10 else "")
    if n >= 100_000_000:
        hi, lo = divmod(n, 100_000_000)
        return int_to_cn(hi) + "亿" + (("零" if lo < 10_000_000 else "") + int_to_cn(lo) if lo else "")
    if n >= 10_000:
        hi, lo = divmod(n, 10_000)
        return int_to_cn(hi) + "万" + (("零" if lo < 1000 else "") + _small(lo, True) if lo else "")
    return _small(n, False)


def _small(n: int, inner: bool) -> str:
    out = []
    zero = False
    started = False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, unit)
        if d:
            if zero and started:
                out.append("零")
            out.append(_CN_OUT[d] + name)
            zero = False
            started = True
        else:
            zero = True
    return "".join(out)


_ARTICLE_RE = re.compile(rf"^第({NUMERAL_RE}|\d+)条(?:之({NUMERAL_RE}|\d+))?$")


def parse_article_label(label: str) -> tuple[int, int]:
    """``第十条之一`` -> (10, 1); ``第十条`` -> (10, 0). Raises ``ValueError`` otherwise."""
    m = _ARTICLE_RE.match(label.strip())
    if not m:
        raise ValueError(f"not an article label: {label!r}")
    return cn_to_int(m.group(1)), cn_to_int(m.group(2)) if m.group(2) else 0


def article_label(number: int, suffix: int = 0) -> str:
    """(10, 1) -> ``第十条之一``."""
    return f"第{int_to_cn(number)}条" + (f"之{int_to_cn(suffix)}" if suffix else "")
