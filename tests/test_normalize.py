"""Normalisation and its offset map (issue 2)."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normcheck.text.normalize import normalize, to_original_span

CASES = [
    # (original, normalised)
    ("第１２条", "第12条"),
    ("ＡＢＣ　ｄｅｆ", "ABC def"),
    ("罚款（一万元）；处理：", "罚款（一万元）；处理："),  # Chinese punctuation kept
    ("《行政处罚法》、第十条，", "《行政处罚法》、第十条，"),
    ("１．申请", "1.申请"),
    ("百分之５０％", "百分之50%"),
    ("a\u00a0b", "a b"),
    ("a\r\nb\rc", "a\nb\nc"),
    ("第 一 条", "第一条"),
    ("第一百二十八 条侦查", "第一百二十八条侦查"),
    ("第\u3000三\u3000章", "第三章"),
    ("第 5 条", "第5条"),
    ("零宽\u200b字符\ufeff", "零宽字符"),
    ("第一 人", "第一 人"),  # not a marker: spaces kept
]


@pytest.mark.parametrize(("original", "expected"), CASES)
def test_normalize(original: str, expected: str) -> None:
    text, offsets = normalize(original)
    assert text == expected
    assert len(offsets.to_original) == len(text) + 1
    assert offsets.to_original[-1] == len(original)


def test_offsets_point_back() -> None:
    original = "第 十 条\r\n　罚款１０元"
    text, offsets = normalize(original)
    i = text.index("罚")
    assert original[offsets.original(i)] == "罚"
    s, e = to_original_span(offsets, text.index("第"), text.index("条") + 1)
    assert original[s:e] == "第 十 条"
    # a span ending before a deleted CR does not swallow it
    s, e = to_original_span(offsets, 0, text.index("\n"))
    assert original[s:e] == "第 十 条"


@given(st.text(alphabet=st.sampled_from(list("第一十条章 \t\r\n\u3000\u00a0\u200bＡ１（）abc中文。")), max_size=80))
def test_offset_map_monotone_and_faithful(original: str) -> None:
    text, offsets = normalize(original)
    to = offsets.to_original
    assert len(to) == len(text) + 1
    assert all(a < b for a, b in pairwise(to))
    assert to[-1] == len(original)
    for i, ch in enumerate(text):
        o = original[to[i]]
        # every kept character is the original one or its normalised form
        assert ch == o or normalize(o)[0] == ch or (o == "\r" and ch == "\n")
