"""Clause IDs for scoring: labels and findings match on type and *article* (第十二条第二款 ~ 第十二条)."""

from __future__ import annotations

import re

from normcheck.text.numerals import NUMERAL_RE, cn_to_int

_ART_RE = re.compile(rf"^第({NUMERAL_RE}|\d+)条(?:之({NUMERAL_RE}|\d+))?")

ArticleKey = tuple[int, int]


def article_key(clause: str | None) -> ArticleKey | None:
    """``第十条之一第二款`` -> (10, 1); ``第十二条`` -> (12, 0); None for null or non-article IDs."""
    if not clause:
        return None
    m = _ART_RE.match(clause.strip())
    if not m:
        return None
    try:
        return cn_to_int(m.group(1)), cn_to_int(m.group(2)) if m.group(2) else 0
    except ValueError:
        return None
