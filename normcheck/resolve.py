"""Resolve a citation against the corpus: law → version in force on a date → article(s).

Two public verbs: :func:`resolve` (one citation) and :func:`resolve_citations` (the pipeline's
resolution stage: every citation of a document, memoised, in citation order). A short title can
name several laws (a Shanghai rule citing 《物业管理条例》: the State Council's, or 上海市物业管理条例?);
the choice is made by the issuer prefix, exact name, the document's region and level, and whether
the cited articles exist, and is reported in :attr:`Resolution.choice_reason` with the alternatives
in :attr:`Resolution.candidates`.

Two dates matter: ``cited_on`` (the document's own date: the version the drafters meant) and
``as_of`` (the date of review: the version in force now). When they differ the resolution carries
both versions so the references check can tell "superseded, article moved/changed/deleted".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from normcheck.cite import ArticleRef, Citation, LawCitation
from normcheck.corpus.api import CorpusAPI
from normcheck.types.document import Document
from normcheck.types.law import Article, Law, LawVersion, Level, Status

__all__ = ["ArticleResolution", "Resolution", "document_date", "resolve", "resolve_citations"]

_ITEM_RE = re.compile(r"[（(]([一二三四五六七八九十]{1,4})[）)]")
_NATIONAL_ISSUERS = ("国务院", "全国人民代表大会", "全国人大", "国家")
_LOCAL_ISSUERS = ("省", "市", "自治区", "本省", "本市", "本自治区")
_PREFIXES = ("中华人民共和国",)


@dataclass(frozen=True, slots=True)
class ArticleResolution:
    """One cited address looked up in one version.

    ``status``: ``found`` | ``missing_article`` | ``missing_paragraph`` | ``missing_item`` |
    ``unchecked`` (no article number, or no version text to look in).
    ``max_article`` is the last article number of the version (for messages).
    """

    ref: ArticleRef
    status: str
    article: Article | None = None
    max_article: int | None = None


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a citation points at.

    ``status``: ``resolved`` (a law was chosen), ``not_found`` (no law of that name in the corpus:
    see ``suggestions``), ``not_law`` (the citation is not a law title, e.g. a form or an amendment
    decision), ``not_applicable`` (internal references and unnamed bases: nothing to resolve in the
    corpus).
    ``law_status`` is the chosen law's status on ``as_of``; ``version`` is the version in force on
    ``as_of`` (or the last one before repeal), ``cited_version`` the one in force on ``cited_on``.
    ``articles`` are looked up in ``cited_version`` (falling back to ``version``).
    """

    citation: Citation
    status: str
    law: Law | None = None
    version: LawVersion | None = None
    cited_version: LawVersion | None = None
    law_status: Status = Status.UNKNOWN
    articles: tuple[ArticleResolution, ...] = ()
    candidates: tuple[Law, ...] = ()
    choice_reason: str = ""
    successor: Law | None = None
    suggestions: tuple[str, ...] = ()
    as_of: str = ""
    cited_on: str = ""
    notes: tuple[str, ...] = field(default=())

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


def _strip(title: str) -> str:
    for p in _PREFIXES:
        if title.startswith(p):
            return title[len(p):]
    return title


def _title_variants(title: str) -> list[str]:
    out = [title]
    swapped = title.replace("〈", "《").replace("〉", "》")
    if swapped != title:
        out.append(swapped)
    return out


def _lookup(corpus: CorpusAPI, title: str, region: str | None) -> list[Law]:
    seen: dict[str, Law] = {}
    for t in _title_variants(title):
        for law in corpus.find_laws(t, region=region):
            seen.setdefault(law.id, law)
        if not seen and region is not None:
            for law in corpus.find_laws(t):
                seen.setdefault(law.id, law)
    return list(seen.values())


def _article_count_ok(corpus: CorpusAPI, law: Law, version: LawVersion | None,
                      refs: tuple[ArticleRef, ...]) -> bool:
    if version is None:
        return False
    return all(r.article is None or corpus.article(law.id, version.version, r.article, r.suffix) is not None
               for r in refs)


def _choose(cands: list[Law], cit: LawCitation, corpus: CorpusAPI, *, region: str | None, kind: Level | None,
            date: str) -> tuple[Law, str]:
    """Pick one law among same-named candidates; return it and why."""
    if len(cands) == 1:
        return cands[0], "only match"
    title = _strip(cit.title)
    pool = cands
    reasons: list[str] = []
    if cit.issuer:
        if cit.issuer.startswith(_NATIONAL_ISSUERS):
            national = [c for c in pool if not c.region]
            if national:
                pool = national
                reasons.append(f"issuer {cit.issuer} → national")
        elif cit.issuer.endswith(_LOCAL_ISSUERS) or cit.issuer.startswith(_LOCAL_ISSUERS):
            local = [c for c in pool if c.region and (region is None or c.region == region)]
            if local:
                pool = local
                reasons.append(f"issuer {cit.issuer} → local ({region or 'any region'})")
    if len(pool) > 1 and region:
        # a law of another province is never this document's superior law
        mine = [c for c in pool if not c.region or c.region == region]
        if mine and len(mine) < len(pool):
            pool = mine
            reasons.append(f"region {region}")
    if len(pool) > 1 and cit.refs:
        fits = [c for c in pool if _article_count_ok(corpus, c, corpus.version_in_force(c.id, date), cit.refs)]
        if fits and len(fits) < len(pool):
            pool = fits
            reasons.append("cited articles exist")
    if len(pool) > 1:
        exact = [c for c in pool if _strip(c.name) == title]
        if exact and len(exact) < len(pool):
            pool = exact
            reasons.append("exact name")
    if len(pool) > 1:
        rank_cap = kind.rank if kind is not None else 99
        superior = [c for c in pool if c.level.rank <= rank_cap]
        if superior and len(superior) < len(pool):
            pool = superior
            reasons.append("level above the document")
        pool = sorted(pool, key=lambda c: (c.level.rank, c.region != (region or ""), c.name))
        reasons.append("highest level")
    return pool[0], "; ".join(reasons) or "first match"


def _check_ref(corpus: CorpusAPI, law: Law, version: LawVersion, ref: ArticleRef,
               max_article: int | None) -> ArticleResolution:
    if ref.article is None:
        return ArticleResolution(ref, "unchecked", max_article=max_article)
    art = corpus.article(law.id, version.version, ref.article, ref.suffix)
    if art is None:
        return ArticleResolution(ref, "missing_article", max_article=max_article)
    if ref.paragraph is not None:
        paras = art.paragraphs or (art.text,)
        if ref.paragraph > len(paras):
            return ArticleResolution(ref, "missing_paragraph", art, max_article)
        if ref.item is not None and _items(paras[ref.paragraph - 1]) < ref.item:
            return ArticleResolution(ref, "missing_item", art, max_article)
    elif ref.item is not None:
        paras = art.paragraphs or (art.text,)
        if max(_items(p) for p in paras) < ref.item:
            return ArticleResolution(ref, "missing_item", art, max_article)
    return ArticleResolution(ref, "found", art, max_article)


def _items(text: str) -> int:
    from normcheck.text.numerals import cn_to_int

    nums = [cn_to_int(m.group(1)) for m in _ITEM_RE.finditer(text)]
    return max(nums, default=0)


def _max_article(corpus: CorpusAPI, law: Law, version: LawVersion) -> int | None:
    arts = corpus.articles(law.id, version.version)
    return max((a.number for a in arts), default=None)


def _status_on(corpus: CorpusAPI, law: Law, date: str) -> tuple[Status, LawVersion | None]:
    """The law's status on ``date`` and the version to read (in force, or the last before repeal)."""
    v = corpus.version_in_force(law.id, date)
    versions = corpus.versions(law.id)
    if law.repealed_on and law.repealed_on <= date:
        before = [x for x in versions if (x.valid_from or x.published or "") <= date]
        return Status.REPEALED, (before[-1] if before else (versions[-1] if versions else None))
    if v is not None:
        return Status.IN_FORCE, v
    if versions and all((x.valid_from or x.published or "") > date for x in versions):
        return Status.NOT_YET, versions[0]
    if versions and any(x.status == Status.REPEALED for x in versions[-1:]):
        return Status.REPEALED, versions[-1]
    return Status.UNKNOWN, versions[-1] if versions else None


def document_date(doc: Document) -> str | None:
    """The date the document's current text speaks from: its latest adoption/amendment/publication
    date (``DocumentMeta.date`` can miss a later 通过 line of a revised text)."""
    m = doc.meta
    dates = [d for d in (m.adopted, m.published, *m.amended) if d]
    return max(dates) if dates else m.date


def resolve(citation: Citation, doc: Document, corpus: CorpusAPI, *, as_of: str, region: str | None,
            kind: Level | None, cited_on: str | None = None) -> Resolution:
    """Resolve one citation of ``doc`` against ``corpus``.

    ``as_of`` is the review date; ``cited_on`` the date the document speaks from (default: its own
    date from ``doc.meta.date``, else ``as_of``). Never raises for unknown titles: the resolution
    says ``not_found`` and carries close-match suggestions.
    """
    cited_on = cited_on or document_date(doc) or as_of
    if cited_on > as_of:
        cited_on = as_of
    if not isinstance(citation, LawCitation):
        return Resolution(citation, "not_applicable", as_of=as_of, cited_on=cited_on)
    if not citation.is_law_like or citation.is_amendment:
        return Resolution(citation, "not_law", as_of=as_of, cited_on=cited_on)
    cands = _lookup(corpus, citation.title, region)
    if not cands:
        return Resolution(citation, "not_found", suggestions=tuple(corpus.suggest(citation.title)),
                          as_of=as_of, cited_on=cited_on)
    law, reason = _choose(cands, citation, corpus, region=region, kind=kind, date=cited_on)
    status, version = _status_on(corpus, law, as_of)
    _, cited_version = _status_on(corpus, law, cited_on)
    if cited_version is None:
        cited_version = version
    successor = corpus.successor(law.id) if status == Status.REPEALED else None
    arts: tuple[ArticleResolution, ...] = ()
    if citation.refs and cited_version is not None:
        mx = _max_article(corpus, law, cited_version)
        arts = tuple(_check_ref(corpus, law, cited_version, r, mx) for r in citation.refs)
    return Resolution(citation, "resolved", law=law, version=version, cited_version=cited_version,
                      law_status=status, articles=arts, candidates=tuple(cands), choice_reason=reason,
                      successor=successor, as_of=as_of, cited_on=cited_on)


def _key(c: LawCitation) -> tuple[Any, ...]:
    return (c.title, c.issuer, tuple((r.article, r.suffix, r.paragraph, r.item) for r in c.refs))


def _rebind(res: Resolution, c: LawCitation) -> Resolution:
    """A memoised resolution for another occurrence of the same citation: swap in its refs/spans."""
    if res.citation is c:
        return res
    arts = tuple(replace(a, ref=r) for a, r in zip(res.articles, c.refs, strict=False))
    return replace(res, citation=c, articles=arts)


def resolve_citations(citations: Sequence[Citation], doc: Document, corpus: CorpusAPI | None, *, as_of: str,
                      region: str | None, kind: Level | None, cited_on: str | None = None,
                      memo: dict[Any, Resolution] | None = None) -> list[Resolution | None]:
    """The resolution stage: one :class:`Resolution` per citation, in the same order.

    Law citations are resolved once per distinct (title, issuer, addresses); a repeat reuses the first
    resolution with its own spans. Internal references and unnamed bases get None, and so does every
    citation when ``corpus`` is None (nothing to resolve against).
    """
    memo = memo if memo is not None else {}
    out: list[Resolution | None] = []
    for c in citations:
        if corpus is None or not isinstance(c, LawCitation):
            out.append(None)
            continue
        key = (*_key(c), as_of, cited_on, region, kind)
        res = memo.get(key)
        if res is None:
            res = resolve(c, doc, corpus, as_of=as_of, region=region, kind=kind, cited_on=cited_on)
            memo[key] = res
        out.append(_rebind(res, c))
    return out
