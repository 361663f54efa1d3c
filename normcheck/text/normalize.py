"""Text normalisation with an offset map back to the original.

What changes (everything else is kept as written):

- full-width ASCII digits, letters and punctuation -> half-width (``１２`` -> ``12``, ``．`` -> ``.``),
  EXCEPT the punctuation that carries meaning in Chinese legal text, which is kept full-width:
  ``（）`` ``，`` ``；`` ``：`` ``！`` ``？`` (and ``《》、。`` which are not in the full-width block);
- NBSP, ideographic space (U+3000) and other Unicode spaces -> ``" "``; tabs are kept;
- zero-width characters and BOMs are deleted;
- CRLF -> LF, lone CR -> LF;
- stray spaces inside clause markers are deleted: ``第 一 条`` -> ``第一条``,
  ``第一百二十八 条`` -> ``第一百二十八条`` (also 章/节/编/款/项/目).

One-to-one replacements keep offsets; deletions are recorded in the :class:`OffsetMap`, so every
normalised offset maps to the original (monotone). Linear time: one ``str.translate`` and two
regex scans without nested quantifiers.
"""

from __future__ import annotations

import re
from itertools import chain

from normcheck.text.numerals import NUMERAL_CHARS
from normcheck.text.script import looks_traditional, to_simplified
from normcheck.types.document import OffsetMap

#: Full-width characters that are kept as they are (they mean something in Chinese text).
KEEP_FULLWIDTH = frozenset("（），；：！？")

_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in range(0xFF01, 0xFF5F):
        ch = chr(cp)
        if ch not in KEEP_FULLWIDTH:
            table[cp] = chr(cp - 0xFEE0)
    for ch in _SPACES:
        table[ord(ch)] = " "
    table[ord("\r")] = "\n"  # lone CR; CR before LF is deleted below
    return table


_TABLE = _build_table()

# Characters deleted outright, and CR of a CRLF pair.
_DELETE_RE = re.compile("\r(?=\n)|[\u200b\u200c\u200d\u2060\ufeff]")
# Spaces inside a clause marker: 第 ␣ 十二 ␣ 条. Bounded numeral length keeps it linear.
_MARKER_RE = re.compile(
    rf"第([ \t]*)(?:[{NUMERAL_CHARS}]{{1,12}}|[0-9]{{1,6}})([ \t]*)(?=分编|[条章节编款项目])"
)


def normalize(original: str, *, simplify: bool | None = None) -> tuple[str, OffsetMap]:
    """Normalise ``original``; return the text and the map from its offsets to ``original``'s.

    ``simplify``: map traditional characters to simplified ones (one for one, so offsets are kept);
    None decides by :func:`normcheck.text.script.looks_traditional`.
    """
    translated = original.translate(_TABLE)
    if simplify is None:
        simplify = looks_traditional(original)
    if simplify:
        translated = to_simplified(translated)
    deletions: list[tuple[int, int]] = [(m.start(), m.end()) for m in _DELETE_RE.finditer(original)]
    for m in _MARKER_RE.finditer(translated):
        for g in (1, 2):
            if m.end(g) > m.start(g):
                deletions.append((m.start(g), m.end(g)))
    if not deletions:
        return translated, OffsetMap.identity(len(original))
    deletions.sort()
    pieces: list[str] = []
    ranges: list[range] = []
    pos = 0
    for a, b in deletions:
        if a < pos:  # overlapping (cannot happen for distinct patterns, but stay safe)
            a = pos
        if b <= a:
            continue
        pieces.append(translated[pos:a])
        ranges.append(range(pos, a))
        pos = b
    pieces.append(translated[pos:])
    ranges.append(range(pos, len(original)))
    to_original = list(chain.from_iterable(ranges))
    to_original.append(len(original))
    return "".join(pieces), OffsetMap(to_original)


def to_original_span(offsets: OffsetMap, start: int, end: int) -> tuple[int, int]:
    """Normalised ``[start, end)`` -> original span covering exactly the kept characters.

    Unlike :meth:`OffsetMap.original_span` the end is the last character's original offset + 1, so
    characters deleted after the span (a CR before LF, a zero-width space) are not pulled in.
    """
    if end <= start:
        o = offsets.original(start)
        return o, o
    return offsets.original(start), offsets.original(end - 1) + 1
