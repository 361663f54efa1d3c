"""Tests for checks.consistency.retrieve (issue 6), on a small corpus of statute-like texts written for the tests."""

from __future__ import annotations

import pytest
from consistency_factories import FakeCorpus

from normcheck.checks.consistency.retrieve import (
    METHODS,
    SuperiorIndex,
    align,
    best_paragraph,
    coverage,
    hide_citations,
    superior_entries,
    superior_index,
    topic_overlap,
)
from normcheck.types.law import Level

AS_OF = "2024-01-01"


@pytest.fixture(scope="module")
def index() -> SuperiorIndex:
    corpus = FakeCorpus()
    return SuperiorIndex(superior_entries(corpus, Level.LOCAL_REGULATION, None, AS_OF))


# (clause, expected law, expected article number)
RETRIEVAL = [
    ("市主管机关应当自受理示范许可申请之日起三十日内作出示范许可决定。", "中华人民共和国示范许可法", 3),
    ("任何单位和个人不得在本市示范保护区内从事采砂活动。", "中华人民共和国示范许可法", 4),
    ("禁止在本市河道内弃置、堆放阻碍行洪的物体。", "示范河道管理条例", 3),
    ("学校应当建立安全管理制度，定期开展安全教育。", "中华人民共和国示范教育法", 2),
]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("clause,law,number", RETRIEVAL)
def test_retrieval_top1(index: SuperiorIndex, method: str, clause: str, law: str, number: int) -> None:
    (i, score, scores), *_ = index.search(clause, k=3, method=method)
    e = index.entries[i]
    assert (e.law.name, e.article.number) == (law, number)
    assert 0 < score <= 1.0
    assert set(scores) <= {"bm25", "tfidf"}


def test_search_validates_method(index: SuperiorIndex) -> None:
    with pytest.raises(ValueError, match="bm25"):
        index.search("示范", method="dense")


def test_empty_query_and_index() -> None:
    assert SuperiorIndex([]).search("任何单位", k=3) == []
    idx = SuperiorIndex(superior_entries(FakeCorpus(), Level.LOCAL_REGULATION, None, AS_OF))
    assert idx.search("，。；", k=3) == []


def test_mask_excludes_entries(index: SuperiorIndex) -> None:
    import numpy as np

    mask = np.asarray([e.law.name != "示范河道管理条例" for e in index.entries])
    hits = index.search("禁止在河道内弃置、堆放阻碍行洪的物体。", k=5, mask=mask)
    assert all(index.entries[i].law.name != "示范河道管理条例" for i, _, _ in hits)


def test_law_prior_prefers_topical_law(index: SuperiorIndex) -> None:
    prior = index.law_prior("某市示范河道管理条例")
    by_law = {e.law.name: float(p) for e, p in zip(index.entries, prior, strict=True)}
    assert by_law["示范河道管理条例"] > by_law["中华人民共和国示范教育法"]


def test_align_puts_citations_first(index: SuperiorIndex) -> None:
    corpus = FakeCorpus()
    law = corpus.law("示范河道管理条例")
    assert law is not None
    v = corpus.version_in_force(law.id, AS_OF)
    art = corpus.article(law.id, v.version, 2) if v else None
    assert v is not None and art is not None
    out = align("学校应当建立健全安全管理制度。", index, cited=[(law, v, art)], limit=3)
    assert out[0].source == "citation" and out[0].score == 1.0 and out[0].article.number == 2
    assert [a.source for a in out[1:]] == ["retrieval"] * (len(out) - 1)
    assert len({(a.law.id, a.article.number) for a in out}) == len(out)
    with pytest.raises(ValueError):
        align("x", index, limit=0)


def test_superior_index_is_cached_per_document_context() -> None:
    corpus = FakeCorpus()
    a = superior_index(corpus, Level.MUNICIPAL_RULE, "杭州", AS_OF)
    b = superior_index(corpus, Level.MUNICIPAL_RULE, "杭州", AS_OF)
    assert a is b and corpus.superior_calls == 1
    superior_index(corpus, Level.MUNICIPAL_RULE, "杭州", "2016-01-01")
    assert corpus.superior_calls == 2


def test_laws_not_yet_in_force_are_left_out() -> None:
    entries = superior_entries(FakeCorpus(), Level.LOCAL_REGULATION, None, "2016-06-01")
    assert {e.law.name for e in entries} == {"中华人民共和国示范教育法"}


@pytest.mark.parametrize("clause,superior,lo,hi", [
    ("主管机关应当在二十日内作出决定。", "主管机关应当在二十日内作出决定。", 1.0, 1.0),
    ("主管机关应当在三十日内作出决定。", "主管机关应当在二十日内作出决定。", 0.8, 0.95),
    ("学校应当开展安全教育。", "国家鼓励社会力量参与文化建设。", 0.0, 0.1),
    ("", "任何文本", 0.0, 0.0),
])
def test_coverage(clause: str, superior: str, lo: float, hi: float) -> None:
    assert lo <= coverage(clause, superior) <= hi


def test_best_paragraph_picks_the_restated_one() -> None:
    corpus = FakeCorpus()
    art = corpus.article("中华人民共和国示范许可法", "2019-04-23", 3)
    assert art is not None
    two_para = type(art)(art.law_id, art.version, 3, 0, art.label, "甲乙丙丁戊己庚辛\n" + art.text,
                         ("甲乙丙丁戊己庚辛", art.text))
    p, cov = best_paragraph("主管机关应当自受理示范许可申请之日起二十日内作出示范许可决定。", two_para)
    assert p == 1 and cov > 0.9


@pytest.mark.parametrize("text,expected", [
    ("依照《中华人民共和国示范许可法》第三条的规定处罚。", "依照的规定处罚。"),
    ("根据《示范河道管理条例》第二条、第三条，制定本办法。", "根据，制定本办法。"),
    ("没有引用的条文。", "没有引用的条文。"),
])
def test_hide_citations(text: str, expected: str) -> None:
    assert hide_citations(text) == expected


@pytest.mark.parametrize("title,law,positive", [
    ("上海市示范河道管理条例", "示范河道管理条例", True),
    ("浙江省实施《中华人民共和国示范教育法》办法", "中华人民共和国示范教育法", True),
    ("某市社会治理若干规定", "示范河道管理条例", False),
    ("", "示范河道管理条例", False),
])
def test_topic_overlap(title: str, law: str, positive: bool) -> None:
    assert (topic_overlap(title, law) >= 0.5) is positive


def test_saved_index_scores_like_a_fresh_one(tmp_path, index: SuperiorIndex) -> None:
    cache = tmp_path / "corpus.sqlite.retrieval.npz"
    SuperiorIndex.load_or_build(index.entries, cache, "k1")
    assert cache.is_file()
    loaded = SuperiorIndex.load_or_build(index.entries, cache, "k1")
    for clause, _, _ in RETRIEVAL:
        for method in METHODS:
            assert loaded.search(clause, k=5, method=method) == index.search(clause, k=5, method=method)


def test_saved_index_with_another_key_or_broken_is_rebuilt(tmp_path, index: SuperiorIndex) -> None:
    cache = tmp_path / "idx.npz"
    cache.write_bytes(b"not an npz")
    rebuilt = SuperiorIndex.load_or_build(index.entries, cache, "k2")  # broken: rebuilt and saved
    assert rebuilt.search(RETRIEVAL[0][0], k=1) == index.search(RETRIEVAL[0][0], k=1)
    other = SuperiorIndex.load_or_build(index.entries[:2], cache, "k3")  # other key: not the saved arrays
    assert len(other) == 2
