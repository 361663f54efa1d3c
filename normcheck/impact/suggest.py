"""Suggested amendments in the form amendment decisions use (关于修改《…》的决定):

- ``将第十二条中的“《中华人民共和国立法法》第七十二条”修改为“《中华人民共和国立法法》第八十一条”``
- ``删去第十二条``

Pure string functions; :mod:`normcheck.impact.affected` decides what to replace.
"""

from __future__ import annotations

import difflib
import re

__all__ = ["delete", "replace", "restated_edits"]

_OPEN, _CLOSE = "“", "”"


def replace(clause: str, old: str, new: str) -> str:
    """将{clause}中的“old”修改为“new”."""
    return f"将{clause}中的{_OPEN}{old}{_CLOSE}修改为{_OPEN}{new}{_CLOSE}"


def delete(clause: str, what: str | None = None) -> str:
    """删去{clause} (the whole clause) or 删去{clause}中的“what”."""
    return f"删去{clause}" if what is None else f"删去{clause}中的{_OPEN}{what}{_CLOSE}"


_PUNCT = re.compile(r"[，。；：、,.;:！？（）()《》“”\s]")


def restated_edits(clause_text: str, old: str, new: str, *, context: int = 2, min_len: int = 3,
                   gap: int = 3) -> list[tuple[str, str]]:
    """(old words, new words) for each change between ``old`` and ``new`` (an article's two versions)
    whose old words, with ``context`` characters either side, occur in ``clause_text`` — the words of
    the changed article that the clause restates. Changes less than ``gap`` characters apart are one
    edit (二十 → 十五). Changes with no old words in the clause, and words that were only moved within the
    article (玩忽职守、滥用职权 → 滥用职权、玩忽职守), are left out."""
    sm = difflib.SequenceMatcher(None, old, new, autojunk=False)
    regions: list[list[int]] = []  # [i1, i2, j1, j2]
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            continue
        x = old[i1:i2].strip("、，；")
        if op == "delete" and len(x) >= 2 and x in new:
            continue  # words that only moved
        if regions and i1 - regions[-1][1] < gap and j1 - regions[-1][3] < gap:
            regions[-1][1], regions[-1][3] = i2, j2
        else:
            regions.append([i1, i2, j1, j2])
    out: list[tuple[str, str]] = []
    for i1, i2, j1, j2 in regions:
        lead = min(context, i1, j1)
        trail = min(context, len(old) - i2, len(new) - j2)
        seg_old, seg_new = old[i1 - lead:i2 + trail], new[j1 - lead:j2 + trail]
        if (len(seg_old) >= min_len and seg_old in clause_text and seg_old != seg_new
                and not _PUNCT.fullmatch(old[i1:i2] or " ") and (seg_old, seg_new) not in out):
            out.append((seg_old, seg_new))
    return out
