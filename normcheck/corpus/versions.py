"""Version alignment: map each article of an old version of a law to its counterpart in a newer one.

Statuses (``ArticleMapping.status``): ``same`` (same number, same text), ``moved`` (same text, new
number), ``changed`` (same number, similar text), ``moved_changed`` (new number, similar text),
``deleted`` (nothing similar enough). Example: 立法法 2015 第八条 ("下列事项只能制定法律") is 2023
第十一条.

Method: texts are compared after dropping whitespace and punctuation. Exact matches are anchors;
every other old article is scored against every unmatched new article by character-bigram Dice
similarity plus a small bonus for sitting where the anchors predict, then matched greedily (best
pairs first, one-to-one; a leftover old article may still share a new article it resembles
strongly, as when two articles were merged). Pure functions, no corpus access.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from normcheck.corpus.api import ArticleMapping
from normcheck.types.law import Article

#: Minimum similarity for an article to count as the same provision, changed.
MATCH_THRESHOLD = 0.45
#: A leftover article may share an already-matched new article at this similarity (merges).
MERGE_THRESHOLD = 0.6
_POSITION_BONUS = 0.08
_DROP = re.compile(r"[\s，。；：、,.;:！？!?“”\"'（）()《》【】\[\]—\-]+")


@dataclass(frozen=True, slots=True)
class _Item:
    key: tuple[int, int]
    norm: str
    grams: frozenset[str]


def _norm(text: str) -> str:
    return _DROP.sub("", text)


def _grams(s: str) -> frozenset[str]:
    if len(s) < 2:
        return frozenset({s}) if s else frozenset()
    return frozenset(s[i:i + 2] for i in range(len(s) - 1))


def similarity(a: str, b: str) -> float:
    """Character-bigram Dice similarity of two article texts in [0, 1] (punctuation ignored)."""
    return _dice(_grams(_norm(a)), _grams(_norm(b)))


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def _items(arts: Sequence[Article]) -> list[_Item]:
    out = []
    for a in arts:
        n = _norm(a.text)
        out.append(_Item((a.number, a.suffix), n, _grams(n)))
    return out


def align_articles(old: Sequence[Article], new: Sequence[Article]) -> list[ArticleMapping]:
    """Map every article of ``old`` (in order) to its counterpart in ``new``."""
    olds, news = _items(old), _items(new)
    by_text: dict[str, list[int]] = {}
    for j, it in enumerate(news):
        by_text.setdefault(it.norm, []).append(j)
    match: dict[int, tuple[int, float]] = {}  # old index -> (new index, similarity)
    used: set[int] = set()
    # 1. exact text matches; prefer the same number, then the nearest position
    for i, it in enumerate(olds):
        cands = [j for j in by_text.get(it.norm, []) if j not in used]
        if not cands or not it.norm:
            continue
        j = min(cands, key=lambda j: (news[j].key != it.key, abs(j - i)))
        match[i] = (j, 1.0)
        used.add(j)
    # 2. expected positions from the anchors: offset of the nearest preceding anchor
    anchors = sorted(match.items())

    def expected(i: int) -> int:
        off = 0
        for oi, (nj, _) in anchors:
            if oi > i:
                break
            off = nj - oi
        return i + off

    # 3. score the rest and match greedily
    scored: list[tuple[float, float, int, int]] = []
    rest_new = {j for j in range(len(news)) if j not in used}
    best_any: dict[int, tuple[float, int]] = {}
    for i, it in enumerate(olds):
        if i in match:
            continue
        e = expected(i)
        for j in range(len(news)):
            sim = _dice(it.grams, news[j].grams)
            if sim < MATCH_THRESHOLD:
                continue
            bonus = _POSITION_BONUS * max(0.0, 1.0 - abs(j - e) / 10)
            if news[j].key == it.key:
                bonus += 0.02
            if sim + bonus > best_any.get(i, (-1.0, -1))[0]:
                best_any[i] = (sim + bonus, j)
            if j in rest_new:
                scored.append((sim + bonus, sim, i, j))
    scored.sort(key=lambda t: (-t[0], t[2], t[3]))
    for _, sim, i, j in scored:
        if i in match or j in used:
            continue
        match[i] = (j, sim)
        used.add(j)
    for i, (_, j) in best_any.items():
        if i not in match:
            sim = _dice(olds[i].grams, news[j].grams)
            if sim >= MERGE_THRESHOLD:
                match[i] = (j, sim)
    out: list[ArticleMapping] = []
    for i, it in enumerate(olds):
        if i not in match:
            out.append(ArticleMapping(it.key[0], it.key[1], None, 0, "deleted", 0.0))
            continue
        j, sim = match[i]
        nk = news[j].key
        same_text = sim >= 1.0 and it.norm == news[j].norm
        if nk == it.key:
            status = "same" if same_text else "changed"
        else:
            status = "moved" if same_text else "moved_changed"
        out.append(ArticleMapping(it.key[0], it.key[1], nk[0], nk[1], status, round(sim, 4)))
    return out
