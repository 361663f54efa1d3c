"""Diff marks: the pair's differing stretches wrapped in 〔〕 before tokenisation.

A tiny encoder trained from scratch in minutes cannot learn to line two texts up character by
character; a character diff (``difflib``) can. Marking what differs lets the model judge the
*difference* (a benign local substitution or a changed number, modality, condition) and how much
of the pair differs (unrelated). A model trained with marks stores ``input_format = "diff_marked"``
in its config and :func:`normcheck.ml.training.predict_proba` marks its inputs the same way.
"""

from __future__ import annotations

from difflib import SequenceMatcher

OPEN, CLOSE = "〔", "〕"
INPUT_FORMATS = ("plain", "diff_marked")


def mark_differences(a: str, b: str) -> tuple[str, str]:
    """``a`` and ``b`` with every stretch that is not shared (in order) wrapped in 〔〕."""
    a = a.replace(OPEN, "(").replace(CLOSE, ")")
    b = b.replace(OPEN, "(").replace(CLOSE, ")")
    ops = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    out_a: list[str] = []
    out_b: list[str] = []
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            out_a.append(a[i1:i2])
            out_b.append(b[j1:j2])
            continue
        if i2 > i1:
            out_a += [OPEN, a[i1:i2], CLOSE]
        if j2 > j1:
            out_b += [OPEN, b[j1:j2], CLOSE]
    return "".join(out_a), "".join(out_b)


def prepare(pairs: list[tuple[str, str]], input_format: str) -> list[tuple[str, str]]:
    """Pairs as the model expects them (``plain``: unchanged)."""
    if input_format not in INPUT_FORMATS:
        raise ValueError(f"unknown input_format {input_format!r}; use one of {', '.join(INPUT_FORMATS)}")
    return pairs if input_format == "plain" else [mark_differences(a, b) for a, b in pairs]
