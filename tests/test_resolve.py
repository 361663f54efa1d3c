"""Resolver (issue 4): law → version on a date → article, ambiguity by region/level.

Unit tests use a tiny in-memory corpus (FakeCorpus, also used by test_references.py); the
integration tests at the bottom read the real shared corpus through the ``shared_corpus`` fixture.
"""

from __future__ import annotations

import difflib

import pytest

from normcheck.cite import LawCitation, find_citations
from normcheck.corpus.api import ArticleMapping, SearchHit
from normcheck.resolve import resolve
from normcheck.types.document import Document, DocumentMeta, Node, NodeKind, OffsetMap
from normcheck.types.law import Article, Law, LawVersion, Level, Status


class FakeCorpus:
    """A CorpusAPI over a few made-up laws (texts are our own, not statute text)."""

    def __init__(self) -> None:
        self.laws: dict[str, Law] = {}
        self.vers: dict[str, list[LawVersion]] = {}
        self.arts: dict[tuple[str, str], list[Article]] = {}

    def add(self, law: Law, versions: dict[str, list[str | tuple[str, ...]]],
            valid: dict[str, tuple[str, str | None]] | None = None) -> FakeCorpus:
        self.laws[law.id] = law
        out = []
        for v, texts in versions.items():
            vf, vt = (valid or {}).get(v, (v, None))
            out.append(LawVersion(law.id, v, v, vf, vt, Status.IN_FORCE if vt is None else Status.AMENDED))
            arts = []
            for i, t in enumerate(texts, 1):
                paras = t if isinstance(t, tuple) else (t,)
                arts.append(Article(law.id, v, i, 0, f"第{i}条", "\n".join(paras), tuple(paras)))
            self.arts[(law.id, v)] = arts
        self.vers[law.id] = sorted(out, key=lambda x: x.version)
        return self

    @staticmethod
    def _key(name: str) -> str:
        return name.removeprefix("中华人民共和国")

    def law(self, law_id: str) -> Law | None:
        return self.laws.get(law_id)

    def find_laws(self, name: str, *, region: str | None = None) -> list[Law]:
        k = self._key(name)
        hits = [x for x in self.laws.values() if k in {self._key(x.name), *x.aliases}]
        if region is not None:
            hits = [x for x in hits if x.region in ("", region)]
        return hits

    def suggest(self, name: str, limit: int = 5) -> list[str]:
        names = {self._key(x.name): x.name for x in self.laws.values()}
        return [names[k] for k in difflib.get_close_matches(self._key(name), list(names), n=limit, cutoff=0.5)]

    def versions(self, law_id: str) -> list[LawVersion]:
        return self.vers.get(law_id, [])

    def version_in_force(self, law_id: str, date: str) -> LawVersion | None:
        law = self.laws[law_id]
        if law.repealed_on and date >= law.repealed_on:
            return None
        hits = [v for v in self.versions(law_id) if (v.valid_from or "") <= date and (v.valid_to is None or
                                                                                        date < v.valid_to)]
        return hits[-1] if hits else None

    def article(self, law_id: str, version: str, number: int, suffix: int = 0) -> Article | None:
        return next((a for a in self.arts.get((law_id, version), []) if (a.number, a.suffix) == (number, suffix)),
                    None)

    def articles(self, law_id: str, version: str) -> list[Article]:
        return list(self.arts.get((law_id, version), []))

    def align(self, law_id: str, old_version: str, new_version: str) -> list[ArticleMapping]:
        new = self.articles(law_id, new_version)
        out = []
        for a in self.articles(law_id, old_version):
            same = next((b for b in new if b.text == a.text), None)
            if same is not None:
                st = "same" if same.number == a.number else "moved"
                out.append(ArticleMapping(a.number, 0, same.number, 0, st, 1.0))
                continue
            near = max(new, key=lambda b: difflib.SequenceMatcher(None, a.text, b.text).ratio(), default=None)
            r = difflib.SequenceMatcher(None, a.text, near.text).ratio() if near else 0.0
            if near is None or r < 0.5:
                out.append(ArticleMapping(a.number, 0, None, 0, "deleted", r))
            else:
                st = "changed" if near.number == a.number else "moved_changed"
                out.append(ArticleMapping(a.number, 0, near.number, 0, st, r))
        return out

    def successor(self, law_id: str) -> Law | None:
        law = self.laws.get(law_id)
        if law is None or not law.successor:
            return None
        return next(iter(self.find_laws(law.successor)), None)

    def superior_laws(self, kind: Level, region: str | None, date: str) -> list[Law]:
        return []

    def search(self, query: str, **kw: object) -> list[SearchHit]:
        return []


def fake_corpus() -> FakeCorpus:
    fc = FakeCorpus()
    fc.add(Law("pm-nat", "物业管理条例", Level.ADMINISTRATIVE_REGULATION),
           {"2018-03-19": ["甲规则。", "乙规则。"]})
    fc.add(Law("pm-sh", "上海市物业管理条例", Level.LOCAL_REGULATION, region="上海", aliases=("物业管理条例",)),
           {"2022-01-01": ["一", "二", "三", "四", "五"]})
    fc.add(Law("pm-zj", "浙江省物业管理条例", Level.LOCAL_REGULATION, region="浙江", aliases=("物业管理条例",)),
           {"2020-01-01": ["一"]})
    fc.add(Law("xf", "中华人民共和国测试处罚法", Level.LAW, aliases=("测试处罚法",)),
           {"2017-01-01": ["总则条文。", ("罚款的规定。", "第二款（一）甲；（二）乙。"),
                           "将被删除的一条很长的文字内容。", "第四条原文。"],
            "2021-01-22": ["总则条文。", "新增加的一条。", ("罚款的规定。", "第二款（一）甲；（二）乙。"),
                           "第四条原文经过修改后的样子。"]},
           valid={"2017-01-01": ("2017-01-01", "2021-07-15"), "2021-01-22": ("2021-07-15", None)})
    fc.add(Law("ht", "中华人民共和国测试合同法", Level.LAW, repealed_on="2021-01-01",
               successor="中华人民共和国测试法典"),
           {"1999-03-15": ["合同一。", "合同二。"]}, valid={"1999-03-15": ("1999-10-01", "2021-01-01")})
    fc.add(Law("dian", "中华人民共和国测试法典", Level.LAW), {"2020-05-28": ["法典一。"]},
           valid={"2020-05-28": ("2021-01-01", None)})
    return fc


def make_doc(text: str, date: str | None = None, title: str = "") -> Document:
    return Document(original=text, text=text, offsets=OffsetMap.identity(len(text)),
                    root=Node(NodeKind.DOCUMENT, 0, len(text)),
                    meta=DocumentMeta(title=title, adopted=date))


def law_cit(doc: Document) -> LawCitation:
    return next(c for c in find_citations(doc) if isinstance(c, LawCitation))


# (text, region, kind, expected law id, reason fragment)
CHOICE_CASES = [
    ("根据《物业管理条例》", "上海", Level.MUNICIPAL_RULE, "pm-nat", "exact name"),
    ("根据国务院《物业管理条例》", "上海", Level.MUNICIPAL_RULE, "pm-nat", "国务院"),
    ("根据本市《物业管理条例》", "上海", Level.MUNICIPAL_RULE, "pm-sh", "local"),
    ("根据《物业管理条例》第五条", "上海", Level.MUNICIPAL_RULE, "pm-sh", "cited articles exist"),
    ("根据《物业管理条例》", "浙江", Level.LOCAL_REGULATION, "pm-nat", "exact name"),
    ("根据《上海市物业管理条例》", "上海", Level.MUNICIPAL_RULE, "pm-sh", "only match"),
]


@pytest.mark.parametrize(("text", "region", "kind", "law_id", "reason"), CHOICE_CASES)
def test_ambiguous_titles_choose_by_issuer_region_level(text: str, region: str, kind: Level, law_id: str,
                                                        reason: str) -> None:
    fc = fake_corpus()
    doc = make_doc(text)
    res = resolve(law_cit(doc), doc, fc, as_of="2026-11-28", region=region, kind=kind)
    assert res.status == "resolved"
    assert res.law is not None and res.law.id == law_id
    assert reason in res.choice_reason
    if "exact" in reason:
        assert res.ambiguous and {c.id for c in res.candidates} >= {"pm-nat", "pm-sh"} - ({"pm-sh"} if region != "上海"
                                                                                          else set())


# (as_of, cited_on, version in force, cited version, status)
VERSION_CASES = [
    ("2026-11-28", None, "2021-01-22", "2021-01-22", Status.IN_FORCE),
    ("2020-01-01", None, "2017-01-01", "2017-01-01", Status.IN_FORCE),
    ("2026-11-28", "2019-05-01", "2021-01-22", "2017-01-01", Status.IN_FORCE),
    ("2021-07-14", None, "2017-01-01", "2017-01-01", Status.IN_FORCE),  # published but not yet in force
    ("2016-01-01", None, "2017-01-01", "2017-01-01", Status.NOT_YET),
]


@pytest.mark.parametrize(("as_of", "cited_on", "version", "cited", "status"), VERSION_CASES)
def test_version_by_date(as_of: str, cited_on: str | None, version: str, cited: str, status: Status) -> None:
    fc = fake_corpus()
    doc = make_doc("依照《测试处罚法》第二条")
    res = resolve(law_cit(doc), doc, fc, as_of=as_of, region=None, kind=None, cited_on=cited_on)
    assert (res.version.version, res.cited_version.version, res.law_status) == (version, cited, status)


def test_repealed_law_names_successor() -> None:
    fc = fake_corpus()
    doc = make_doc("依照《中华人民共和国测试合同法》第二条")
    res = resolve(law_cit(doc), doc, fc, as_of="2026-11-28", region=None, kind=None)
    assert res.law_status == Status.REPEALED
    assert res.successor is not None and res.successor.id == "dian"
    assert res.articles[0].status == "found"
    before = resolve(law_cit(doc), doc, fc, as_of="2020-12-31", region=None, kind=None)
    assert before.law_status == Status.IN_FORCE and before.successor is None


# (address, status per ref)
ARTICLE_CASES = [
    ("第二条", ["found"]),
    ("第五条", ["missing_article"]),
    ("第三条第二款", ["found"]),
    ("第三条第三款", ["missing_paragraph"]),
    ("第三条第二款第（二）项", ["found"]),
    ("第三条第二款第（三）项", ["missing_item"]),
    ("第三条至第五条", ["found", "found", "missing_article"]),
    ("第九千九百条", ["missing_article"]),
]


@pytest.mark.parametrize(("addr", "statuses"), ARTICLE_CASES)
def test_articles_looked_up_in_cited_version(addr: str, statuses: list[str]) -> None:
    fc = fake_corpus()
    doc = make_doc(f"依照《测试处罚法》{addr}", date="2022-01-01")
    res = resolve(law_cit(doc), doc, fc, as_of="2026-11-28", region=None, kind=None)
    assert [a.status for a in res.articles] == statuses
    assert res.articles[0].max_article == 4


@pytest.mark.parametrize(("title", "status"), [("不存在的条例", "not_found"), ("门楼号确认书", "not_law"),
                                               ("关于修改〈测试处罚法〉的决定", "not_law")])
def test_unresolvable(title: str, status: str) -> None:
    fc = fake_corpus()
    doc = make_doc(f"依照《{title}》")
    assert resolve(law_cit(doc), doc, fc, as_of="2026-11-28", region=None, kind=None).status == status


def test_not_found_suggests_close_names() -> None:
    fc = fake_corpus()
    doc = make_doc("依照《测试处法》")
    res = resolve(law_cit(doc), doc, fc, as_of="2026-11-28", region=None, kind=None)
    assert res.status == "not_found" and "中华人民共和国测试处罚法" in res.suggestions


# -------------------------------------------------------------------- real corpus (integration)
@pytest.fixture
def real_corpus(request: pytest.FixtureRequest) -> object:
    """The session ``shared_corpus`` (tests/conftest.py); skipped when it is not available."""
    try:
        return request.getfixturevalue("shared_corpus")
    except pytest.FixtureLookupError:
        pytest.skip("no shared_corpus fixture (tests/conftest.py) in this checkout")


# (title+address, as_of, expected version, expected status, article status)
REAL_CASES = [
    ("《中华人民共和国立法法》第七十二条", "2020-01-01", "2015-03-15", Status.IN_FORCE, "found"),
    ("《立法法》第一百零七条", "2026-11-28", "2023-03-13", Status.IN_FORCE, "found"),
    ("《中华人民共和国体育法》第一条", "2020-01-01", "2016-11-07", Status.IN_FORCE, "found"),
    ("《体育法》第一条", "2026-11-28", "2022-06-24", Status.IN_FORCE, "found"),
    ("《中华人民共和国行政处罚法》第十四条", "2026-11-28", "2021-01-22", Status.IN_FORCE, "found"),
    ("《行政处罚法》第九千九百条", "2026-11-28", "2021-01-22", Status.IN_FORCE, "missing_article"),
]


@pytest.mark.corpus
@pytest.mark.parametrize(("text", "as_of", "version", "status", "art"), REAL_CASES)
def test_real_corpus_versions(real_corpus: object, text: str, as_of: str, version: str, status: Status,
                              art: str) -> None:
    doc = make_doc("依照" + text)
    res = resolve(law_cit(doc), doc, real_corpus, as_of=as_of, region=None, kind=Level.LOCAL_REGULATION)
    assert res.status == "resolved", res
    assert res.version is not None and res.version.version == version
    assert res.law_status == status
    assert res.articles[0].status == art


@pytest.mark.corpus
def test_real_corpus_contract_law_repealed(real_corpus: object) -> None:
    doc = make_doc("依照《中华人民共和国合同法》的规定")
    res = resolve(law_cit(doc), doc, real_corpus, as_of="2026-11-28", region=None, kind=Level.LOCAL_REGULATION)
    assert res.status == "resolved" and res.law_status == Status.REPEALED
    assert res.successor is not None and "民法典" in res.successor.name
    old = resolve(law_cit(doc), doc, real_corpus, as_of="2019-01-01", region=None, kind=Level.LOCAL_REGULATION)
    assert old.law_status != Status.REPEALED
