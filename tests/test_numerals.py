"""Chinese numerals both ways (issue 2)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normcheck.text.numerals import article_label, cn_to_int, int_to_cn, parse_article_label

CASES = [
    ("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("二十一", 21), ("一百", 100), ("一百零七", 107),
    ("一百一十", 110), ("二百一十", 210), ("九百九十九", 999), ("一千", 1000), ("一千零一", 1001),
    ("一千二百六十", 1260), ("一万", 10_000), ("一万零五", 10_005), ("两百", 200), ("一〇七", 107),
    ("二〇二一", 2021), ("42", 42),
]


@pytest.mark.parametrize(("cn", "n"), CASES)
def test_cn_to_int(cn: str, n: int) -> None:
    assert cn_to_int(cn) == n


@pytest.mark.parametrize(("n", "cn"), [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (107, "一百零七"),
                                      (110, "一百一十"), (210, "二百一十"), (1000, "一千"), (1001, "一千零一"),
                                      (1260, "一千二百六十"), (0, "零")])
def test_int_to_cn(n: int, cn: str) -> None:
    assert int_to_cn(n) == cn


@pytest.mark.parametrize("bad", ["", "abc", "第一", "十x"])
def test_cn_to_int_rejects(bad: str) -> None:
    with pytest.raises(ValueError):
        cn_to_int(bad)


@pytest.mark.parametrize(("label", "expected"), [("第十条", (10, 0)), ("第十条之一", (10, 1)),
                                                 ("第一百零七条之二", (107, 2)), ("第5条", (5, 0))])
def test_article_labels(label: str, expected: tuple[int, int]) -> None:
    assert parse_article_label(label) == expected
    assert parse_article_label(article_label(*expected)) == expected


@given(st.integers(min_value=0, max_value=99_999))
def test_round_trip(n: int) -> None:
    assert cn_to_int(int_to_cn(n)) == n
