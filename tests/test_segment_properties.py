"""Property and pathological-input tests for segmentation (issue 2)."""

from __future__ import annotations

import random
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from normcheck.structure.segment import segment_text
from normcheck.types.document import NodeKind

# Pieces that exercise every rule: markers, numerals, items, headings, spaces, newlines, markdown.
PIECES = ["第", "条", "章", "节", "编", "之", "一", "二", "十", "百", "零", "１", "5", "（", "）", "(", ")", "、",
          "。", "：", "；", " ", "\u3000", "\u00a0", "\n", "\n\n", "\r\n", "#", "## ", "<!-- INFO END -->", "1.",
          "甲", "规定", "施行", "2025年1月1日", "\u200b", "\t"]

texts = st.one_of(st.text(max_size=300), st.lists(st.sampled_from(PIECES), max_size=120).map("".join))


def _check_doc(text: str, fmt: str | None) -> None:
    doc = segment_text(text, fmt=fmt)
    assert doc.original == text
    for node in doc.root.walk():
        assert 0 <= node.start <= node.end <= len(text)
        span = doc.node_text(node)
        assert span == text[node.start:node.end]
        if node.kind != NodeKind.DOCUMENT:
            assert span == span.strip(" \t\n\r\u3000\u00a0\u200b\ufeff")
            assert span  # no empty nodes
        prev_end = node.start
        for child in node.children:
            assert node.start <= child.start <= child.end <= node.end
            assert child.start >= prev_end  # children in order, not overlapping
            prev_end = child.end
    seen = [n.id for n in doc.root.walk() if n.id]
    assert len(seen) == len(set(seen))
    for cid in seen:
        assert doc.clause(cid).id == cid


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.sampled_from([None, "txt", "md"]))
def test_never_raises_and_spans_are_text(text: str, fmt: str | None) -> None:
    _check_doc(text, fmt)


def _pathological() -> list[tuple[str, str]]:
    rnd = random.Random(2)
    cjk = "".join(chr(rnd.randint(0x4E00, 0x9FFF)) for _ in range(300_000))
    return [
        ("repeated 第一条", "第一条" * 350_000),
        ("repeated 第一条 lines", "第一条 甲。\n" * 150_000),
        ("random CJK", cjk),
        ("nested brackets", "（" * 250_000 + "）" * 250_000),
        ("bracketed numerals", "（一" * 300_000),
        ("numeral run", "第" + "一" * 1_000_000 + "条"),
        ("spaces in markers", "第 " * 300_000),
        ("sentence ends", "。第二条" * 200_000),
    ]


@pytest.mark.timeout(60)
@pytest.mark.parametrize(("name", "text"), _pathological(), ids=[p[0] for p in _pathological()])
def test_pathological_inputs_stay_linear(name: str, text: str) -> None:
    t0 = time.perf_counter()
    doc = segment_text(text)
    elapsed = time.perf_counter() - t0
    assert doc.original == text
    # ~1 MB must go well under the timeout; a quadratic regex would take minutes
    assert elapsed < 20, f"{name}: {elapsed:.1f}s"
