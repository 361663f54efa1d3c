"""Issue 15: best_paragraph finds the common runs once per article and cuts them to each paragraph; the
coverages, the paragraph picked and its coverage are those of asking ``coverage`` pair by pair."""

from __future__ import annotations

import random
from difflib import SequenceMatcher

from hypothesis import given, settings
from hypothesis import strategies as st

from normcheck.checks.consistency.retrieve import (
    MIN_BLOCK,
    _paragraph_coverages,
    best_paragraph,
    clean,
    coverage,
    matched_chars,
)
from normcheck.types.law import Article


def _difflib_coverage(clause: str, superior: str) -> float:
    a, b = clean(clause), clean(superior)
    if not a or not b:
        return 0.0
    sm = SequenceMatcher(None, a, b, autojunk=False)
    return sum(m.size for m in sm.get_matching_blocks() if m.size >= MIN_BLOCK) / len(a)


def _reference_best(clause: str, article: Article) -> tuple[int, float]:
    """best_paragraph as it was: one coverage per paragraph."""
    best, best_cov = -1, _difflib_coverage(clause, article.text)
    if len(article.paragraphs) > 1:
        for i, txt in enumerate(article.paragraphs):
            cov = _difflib_coverage(clause, txt)
            if cov >= best_cov - 0.02:
                best, best_cov = i, max(cov, best_cov if best == -1 else cov)
    if best >= 0:
        best_cov = _difflib_coverage(clause, article.paragraphs[best])
    return best, best_cov


def _check(clause: str, paragraphs: list[str], joiner: str = "\n") -> None:
    text = joiner.join(paragraphs)
    whole, per = _paragraph_coverages(clause, text, tuple(paragraphs))
    assert whole == _difflib_coverage(clause, text) == coverage(clause, text)
    assert per == [_difflib_coverage(clause, p) for p in paragraphs]
    art = Article("L", "v", 1, text=text, paragraphs=tuple(paragraphs))
    assert best_paragraph(clause, art) == _reference_best(clause, art)


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet="ab，c", max_size=40), st.lists(st.text(alphabet="abc。 ", max_size=30), max_size=5))
def test_paragraph_coverages_small_alphabet(clause: str, paragraphs: list[str]) -> None:
    _check(clause, paragraphs)


def test_paragraph_coverages_random_texts() -> None:
    rng = random.Random(15)
    for _ in range(1500):
        alphabet = rng.choice(["ab", "abc", "abcd", "应当依法备案登记管理罚款", "应当，依法。备案"])
        clause = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
        if rng.random() < 0.3:
            clause = clause[:20]
        paragraphs = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120)))
                      for _ in range(rng.randint(1, 6))]
        if rng.random() < 0.3 and paragraphs[0]:  # the clause restates a paragraph, runs cross boundaries
            clause = paragraphs[0][-10:] + paragraphs[-1][:10] + clause
        _check(clause, paragraphs, rng.choice(["\n", "", "。"]))


def test_text_that_is_not_its_paragraphs_is_asked_pair_by_pair() -> None:
    clause = "主管部门应当自受理申请之日起二十日内作出决定"
    paragraphs = ("主管部门应当自受理申请之日起", "二十日内作出决定")
    other = "主管部门应当在二十日内作出决定"  # not the paragraphs end to end
    whole, per = _paragraph_coverages(clause, other, paragraphs)
    assert whole == coverage(clause, other) and per == [coverage(clause, p) for p in paragraphs]
    assert _paragraph_coverages("", other, paragraphs) == (0.0, [0.0, 0.0])
    assert matched_chars(clean(clause), clean("".join(paragraphs))) == len(clean(clause))
