"""Issue 15: the consistency check's coverage is difflib's number, computed without difflib."""

from __future__ import annotations

import random
from difflib import SequenceMatcher

from hypothesis import given, settings
from hypothesis import strategies as st

from normcheck.checks.consistency.retrieve import MIN_BLOCK, clean, coverage, matched_chars


def _difflib(a: str, b: str) -> int:
    sm = SequenceMatcher(None, a, b, autojunk=False)
    return sum(m.size for m in sm.get_matching_blocks() if m.size >= MIN_BLOCK)


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="abc", max_size=40), st.text(alphabet="abc", max_size=60))
def test_matched_chars_equals_difflib_small_alphabet(a: str, b: str) -> None:
    assert matched_chars(a, b) == _difflib(a, b)


def test_matched_chars_equals_difflib_random_repetitive_texts() -> None:
    rng = random.Random(15)
    for _ in range(3000):
        alphabet = rng.choice(["ab", "abc", "abcd", "abcdefgh", "应当依法备案登记管理罚款"])
        a = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        b = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 300)))
        assert matched_chars(a, b) == _difflib(a, b), (a, b)


def test_matched_chars_on_clause_like_texts() -> None:
    # made-up sentences in the register of local regulations (no statute text)
    clause = "经营者应当在示范区域内设置明显标志，并于每年三月底前向主管部门报送上一年度的运营情况。"
    superior = ("示范区域的经营者应当设置明显标志。经营者应当于每年三月底前向县级以上主管部门报送运营情况，"
                "主管部门应当予以公开。违反本条规定的，由主管部门责令改正。")
    a, b = clean(clause), clean(superior)
    assert matched_chars(a, b) == _difflib(a, b) > 0
    assert coverage(clause, superior) == _difflib(a, b) / len(a)
    assert matched_chars(a, a) == len(a)
    assert coverage("", superior) == 0.0 and coverage(clause, "，。") == 0.0
