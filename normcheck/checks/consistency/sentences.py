"""Sentence pairing of a restatement and its superior provision (issue 13).

A reviewer compares a paraphrased clause with the superior provision sentence by sentence (逐句对照): the
clause's sentence about 一年以上不满三年 against the superior's sentence about the same contracts, the
clause's fine against the superior's fine for the same conduct. Character alignment of the two whole
texts fails there: a paraphrase reorders, merges and splits sentences. This module cuts both texts into
units (sentences and list items, split at 。；！？ and line breaks) and pairs each clause unit with the
superior unit that shares most of its wording once numbers are left out (so a changed number does not
hide the pair it changed in). Pure text processing: no corpus, no model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from normcheck.knowledge import comparison
from normcheck.knowledge import units as unit_table

_BREAK_RE = re.compile(r"[。；;！？!?：:\n]+")
_LABEL_RE = re.compile(r"^\s*(?:[（(][一二三四五六七八九十]+[）)]|\d+[.．、])\s*")
#: Quantities (a numeral with its unit, 百分之…), punctuation and space: left out of a unit's wording so
#: that 二十日 and 三十日 read alike (a numeral without a unit stays: 三级保护古树 is not 二级).
_QUANTITY_RE = re.compile(r"百分之[零〇一二两三四五六七八九十百千\d.]+|"
                          r"(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万亿]+)"
                          rf"(?:万|亿)?(?:{unit_table().alternation})|\d+(?:\.\d+)?%")
_NOISE_RE = re.compile(r"[\s，。；：、,.;:！？!?（）()《》“”\"'‘’【】\[\]—\-…·]")
_BOILERPLATE_RE = comparison().patterns["alignment_boilerplate"]  # data/comparison.json
#: Units shorter than this (characters of wording) are not paired on their own.
MIN_UNIT_CHARS = 4


@dataclass(frozen=True, slots=True)
class Unit:
    """A sentence or list item of a text: ``text[start:end]`` (its item label excluded)."""

    start: int
    end: int
    text: str

    def holds(self, s: int, e: int) -> bool:
        return self.start <= s and e <= self.end


def units(text: str) -> list[Unit]:
    """The sentences and list items of ``text``, in order, with their spans."""
    out: list[Unit] = []
    pos = 0
    for m in [*_BREAK_RE.finditer(text), None]:
        end = m.start() if m is not None else len(text)
        piece = text[pos:end]
        lab = _LABEL_RE.match(piece)
        s = pos + (lab.end() if lab else 0)
        if len(wording(text[s:end])) >= MIN_UNIT_CHARS:
            out.append(Unit(s, end, text[s:end]))
        pos = m.end() if m is not None else len(text)
    return out


@lru_cache(maxsize=16384)
def wording(text: str) -> str:
    """The words of a unit without numerals, punctuation and penalty boilerplate."""
    return _NOISE_RE.sub("", _QUANTITY_RE.sub("", _BOILERPLATE_RE.sub("", text)))


@lru_cache(maxsize=16384)
def _bigrams(text: str) -> frozenset[str]:
    t = wording(text)
    return frozenset([t[i:i + 2] for i in range(len(t) - 1)])


def similarity(x: str, y: str) -> float:
    """Dice overlap of the two units' character bigrams (numerals and boilerplate left out)."""
    gx, gy = _bigrams(x), _bigrams(y)
    return 2 * len(gx & gy) / (len(gx) + len(gy)) if gx and gy else 0.0


def pair_units(clause: str, superior: str, *, min_similarity: float) -> list[tuple[Unit, Unit, float]]:
    """Each clause unit with its most similar superior unit (several clause units may pair with one
    superior unit: a clause that splits a sentence), kept from ``min_similarity`` on."""
    ua, ub = units(clause), units(superior)
    if not ua or not ub:
        return []
    gb = [_bigrams(u.text) for u in ub]
    out: list[tuple[Unit, Unit, float]] = []
    for u in ua:
        ga = _bigrams(u.text)
        if not ga:
            continue
        best, score = -1, 0.0
        for k, g in enumerate(gb):
            if g:
                s = 2 * len(ga & g) / (len(ga) + len(g))
                if s > score:
                    best, score = k, s
        if best >= 0 and score >= min_similarity:
            out.append((u, ub[best], score))
    return out


_VIOLATION_LEAD_RE = re.compile(r"^\s*违反本(?:法|条例|办法|规定|细则|决定)"
                                r"(?:第[^，。；]{1,24}?条[^，。；]{0,16}?)?(?:的)?规定[，,]?")
_CONDUCT_END_RE = re.compile(r"的[，,]")


def conduct(text: str) -> str:
    """The conduct a penalty clause punishes, in its words (numerals and boilerplate left out): what
    comes before its first 的， (违反本条例规定，【擅自采砂】的，由…处…罚款). Empty when the clause names it
    only by reference (违反本条例第十条规定的) or by a list (有下列行为之一的)."""
    t = _VIOLATION_LEAD_RE.sub("", text.strip())
    m = _CONDUCT_END_RE.search(t)
    if m is None or "下列" in t[:m.start()]:
        return ""
    return wording(t[:m.start()])


def items_text(text: str) -> str:
    """The wording of a text's sentences after its first (the items of 有下列行为之一的：…)."""
    return "".join(wording(u.text) for u in units(text)[1:])


def same_conduct(clause: str, superior: str, article: str, *, min_overlap: float) -> bool | None:
    """Whether a penalty clause and a superior penalty provision punish the same conduct: True, False,
    or None where either names it only by reference. A superior that lists the conduct in items
    (有下列行为之一的) is read through its items."""
    ca = conduct(clause)
    if len(ca) < 6:
        return None
    cb = conduct(superior)
    listed = False
    if len(cb) < 6:
        pieces = units(superior)
        if not pieces or "下列" not in pieces[0].text:
            return None
        cb, listed = items_text(article), True
        if len(cb) < 6:
            return None
    ga, gb = _pairs_of(ca), _pairs_of(cb)
    if listed:  # how much of the clause's conduct the superior's items name
        return bool(ga) and len(ga & gb) / len(ga) >= min_overlap
    return bool(ga and gb) and 2 * len(ga & gb) / (len(ga) + len(gb)) >= min_overlap


def _pairs_of(t: str) -> set[str]:
    """Character bigrams of an already cleaned text."""
    return {t[i:i + 2] for i in range(len(t) - 1)}
