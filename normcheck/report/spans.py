"""Cutting a clause's text at the spans to mark (finding spans, in original offsets), shared by the HTML
report and the workbench pages, so both mark exactly the same characters."""

from __future__ import annotations

from collections.abc import Sequence


def marked_pieces(text: str, start: int, spans: Sequence[tuple[int, int]]) -> list[tuple[str, bool]]:
    """``text`` (which starts at original offset ``start``) cut into (piece, marked) pieces; the spans are
    clipped to the text and overlapping ones merged. Empty pieces are left out."""
    cuts = sorted((max(0, s - start), min(len(text), e - start)) for s, e in spans)
    merged: list[list[int]] = []
    for s, e in cuts:
        if e <= s:
            continue
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    out: list[tuple[str, bool]] = []
    pos = 0
    for s, e in merged:
        out += [(text[pos:s], False), (text[s:e], True)]
        pos = e
    out.append((text[pos:], False))
    return [p for p in out if p[0]]
