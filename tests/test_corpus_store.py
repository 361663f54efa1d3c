"""corpus.store queries and corpus.align on a small corpus the tests write (issue 3)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from corpus_factories import write_demo_corpus

from normcheck.corpus.ingest import build_corpus
from normcheck.corpus.store import Corpus, describe_law
from normcheck.corpus.versions import align_articles, similarity
from normcheck.errors import CorpusError
from normcheck.types.law import Article, Level, Status

DEMO = "中华人民共和国示范法"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    root = tmp_path_factory.mktemp("corpus")
    out = root / "c.sqlite"
    build_corpus([write_demo_corpus(root / "src")], out, today="2024-01-01")
    with Corpus.open(out) as c:
        yield c


@pytest.mark.parametrize("date, version", [
    ("2009-12-31", None), ("2010-01-01", "2010-01-01"), ("2020-05-31", "2010-01-01"),
    ("2020-06-01", "2020-05-01"), ("2030-01-01", "2020-05-01"),
])
def test_version_in_force(corpus: Corpus, date: str, version: str | None) -> None:
    v = corpus.version_in_force(DEMO, date)
    assert (v.version if v else None) == version


def test_versions_dates_and_status(corpus: Corpus) -> None:
    old, new = corpus.versions(DEMO)
    assert (old.valid_from, old.valid_to, old.status) == ("2010-01-01", "2020-06-01", Status.AMENDED)
    assert (new.valid_from, new.valid_to, new.status) == ("2020-06-01", None, Status.IN_FORCE)


@pytest.mark.parametrize("name", ["示范法", "《示范法》", "中华人民共和国示范法", "《中华人民共和国示范法》"])
def test_find_laws_by_alias(corpus: Corpus, name: str) -> None:
    assert [law.id for law in corpus.find_laws(name)] == [DEMO]


def test_find_laws_unknown_and_suggest(corpus: Corpus) -> None:
    assert corpus.find_laws("示范条例法") == []
    assert DEMO in corpus.suggest("示范去")


def test_article_text_and_paragraphs(corpus: Corpus) -> None:
    art = corpus.article(DEMO, "2010-01-01", 3)
    assert art is not None and art.label == "第三条"
    assert art.text.startswith("违反本法规定擅自组织示范活动的") and "一千元" in art.text
    assert art.chapter.startswith("第一章")
    assert corpus.article(DEMO, "2010-01-01", 99) is None
    assert [a.number for a in corpus.articles(DEMO, "2020-05-01")] == [1, 2, 3, 4, 5]
    path, start, end = corpus.article_offsets(DEMO, "2010-01-01", 3)
    assert Path(path).read_text(encoding="utf-8")[start:end].startswith("第三条 违反本法")


def test_repeal_scan_and_registry(corpus: Corpus) -> None:
    old = corpus.find_laws("旧示范法")[0]  # named only in "…《中华人民共和国旧示范法》同时废止"
    assert old.repealed_on == "2010-01-01" and old.successor == DEMO
    assert corpus.successor(old.id).id == DEMO
    assert any(f["fact"] == "successor" and "示范法(2010-01-01).md" in f["source"] for f in corpus.facts(old.id))
    contract = corpus.find_laws("合同法")[0]  # from normcheck/data/registry.csv, absent from the texts
    assert contract.repealed_on == "2021-01-01"
    assert corpus.successor(contract.id).name == "中华人民共和国民法典"
    assert corpus.version_in_force(contract.id, "2020-12-31") is not None
    assert corpus.version_in_force(contract.id, "2021-01-01") is None


@pytest.mark.parametrize("kind, region, expected, not_expected", [
    (Level.MUNICIPAL_RULE, "杭州", {DEMO, "示范管理条例", "浙江省示范条例", "杭州市示范条例"}, set()),
    (Level.PROVINCIAL_RULE, "浙江", {DEMO, "示范管理条例", "浙江省示范条例"}, {"杭州市示范条例"}),
    (Level.PROVINCIAL_RULE, "上海", {DEMO, "示范管理条例"}, {"浙江省示范条例"}),
    (Level.ADMINISTRATIVE_REGULATION, None, {DEMO}, {"示范管理条例"}),
    (Level.LAW, None, set(), {DEMO}),
])
def test_superior_laws(corpus: Corpus, kind: Level, region: str | None, expected: set[str],
                       not_expected: set[str]) -> None:
    ids = {law.id for law in corpus.superior_laws(kind, region, "2020-01-01")}
    assert expected <= ids
    assert not (not_expected & ids)


def test_superior_laws_respect_date(corpus: Corpus) -> None:
    ids = {law.id for law in corpus.superior_laws(Level.MUNICIPAL_RULE, "杭州", "2015-01-01")}
    assert "浙江省示范条例" not in ids and "杭州市示范条例" not in ids  # not yet in force


@pytest.mark.parametrize("query, kwargs, expected", [
    ("罚款", {}, {(DEMO, "2010-01-01", 3), (DEMO, "2020-05-01", 4)}),
    ("罚款", {"as_of": "2024-01-01"}, {(DEMO, "2020-05-01", 4)}),
    ("罚款", {"as_of": "2015-01-01"}, {(DEMO, "2010-01-01", 3)}),
    ("一千元以下罚款", {}, {(DEMO, "2010-01-01", 3)}),
    ("示范 保证金", {}, {("示范管理条例", "2012-03-01", 2)}),
    ("保证金", {"levels": [Level.LAW]}, set()),
    ("本省实际", {"region": "浙江"}, {("浙江省示范条例", "2015-03-01", 1)}),
    ("本省实际", {"region": "上海"}, set()),
    ("金", {}, {("示范管理条例", "2012-03-01", 2)}),
    ("不存在的词语", {}, set()),
])
def test_search(corpus: Corpus, query: str, kwargs: dict, expected: set) -> None:
    hits = corpus.search(query, **kwargs)
    assert {(h.law.id, h.version.version, h.article.number) for h in hits} == expected


def test_search_limit_and_bad_limit(corpus: Corpus) -> None:
    assert len(corpus.search("本", limit=2)) == 2
    with pytest.raises(ValueError):
        corpus.search("罚款", limit=0)


def test_align_demo_versions(corpus: Corpus) -> None:
    got = {(m.old_number, m.new_number, m.status) for m in corpus.align(DEMO, "2010-01-01", "2020-05-01")}
    assert got == {(1, 1, "same"), (2, 3, "moved"), (3, 4, "moved_changed"), (4, None, "deleted"),
                   (5, 5, "changed")}
    with pytest.raises(ValueError, match="versions"):
        corpus.align(DEMO, "2010-01-01", "1999-01-01")


def _art(n: int, text: str) -> Article:
    return Article(law_id="x", version="v", number=n, text=text)


@pytest.mark.parametrize("old, new, expected", [
    (["甲乙丙丁戊己庚", "子丑寅卯辰巳午"], ["甲乙丙丁戊己庚", "子丑寅卯辰巳午"], ["same", "same"]),
    (["甲乙丙丁戊己庚"], ["新增的一条内容", "甲乙丙丁戊己庚"], ["moved"]),
    (["甲乙丙丁戊己庚辛壬癸"], ["甲乙丙丁戊己庚辛壬子"], ["changed"]),
    (["甲乙丙丁戊己庚辛壬癸"], ["毫不相干的文字内容"], ["deleted"]),
    (["本法自公布之日起施行。"], ["其他", "本法自公布之日起施行。"], ["moved"]),
])
def test_align_articles_table(old: list[str], new: list[str], expected: list[str]) -> None:
    maps = align_articles([_art(i + 1, t) for i, t in enumerate(old)], [_art(i + 1, t) for i, t in enumerate(new)])
    assert [m.status for m in maps] == expected


def test_similarity_ignores_punctuation() -> None:
    assert similarity("下列事项只能制定法律：", "下列事项只能制定法律:") == 1.0
    assert similarity("甲乙", "丙丁") == 0.0


def test_describe_law(corpus: Corpus) -> None:
    d = describe_law(corpus, "示范法", as_of="2015-01-01", article=3)
    assert d["version"] == "2010-01-01" and d["article"]["label"] == "第三条"
    assert [v["version"] for v in d["versions"]] == ["2010-01-01", "2020-05-01"]
    with pytest.raises(CorpusError) as err:
        describe_law(corpus, "示范去")
    assert err.value.code.value == "E105" and "示范法" in str(err.value)
