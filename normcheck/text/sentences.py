"""Sentence pieces of a text with their offsets (the legality and penalty analysers read sentence by sentence)."""

from __future__ import annotations

#: Where a sentence ends: 。；; and line breaks (the end character stays with its sentence).
SENTENCE_END = "。；;\n"


def sentences(text: str) -> list[tuple[int, str]]:
    """(start, sentence) pieces of ``text``, split after 。；; and newlines; blank pieces left out."""
    out = []
    start = 0
    for i, ch in enumerate(text):
        if ch in SENTENCE_END:
            if text[start:i + 1].strip():
                out.append((start, text[start:i + 1]))
            start = i + 1
    if text[start:].strip():
        out.append((start, text[start:]))
    return out
