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

Version inference (issue 16, :func:`infer_versions`): a citation with article numbers is scored
against the cited article(s) in every version of the law — the bigrams of the citing clause that
tell the versions' texts apart, counted per version. When the document's date is unknown (or only
its 施行 date is known, which an amended text keeps), or the clause fits another version clearly
better, the citation resolves to that version (:attr:`Resolution.inferred_version`, with the reason
in :attr:`Resolution.inference_reason`). The document's other evidence narrows the date too: the
versions its clearly inferred citations point at bound the time it was drafted, which can settle a
citation whose own words say nothing.

Size: one citation's whole resolution (law choice, versions in force, articles, version inference from
the citing words); version inference is the part to split out if it grows further.
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

__all__ = ["ArticleResolution", "Resolution", "VersionScore", "date_evidence", "document_date", "infer_versions",
           "resolve", "resolve_citations", "score_versions"]

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
    #: set when version inference moved ``cited_version`` away from the version the date gave
    #: (``dated_version``); ``inference_scores`` are (version, support) per version scored.
    inferred_version: LawVersion | None = None
    dated_version: LawVersion | None = None
    inference_reason: str = ""
    inference_scores: tuple[tuple[str, int], ...] = ()

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
                      memo: dict[Any, Resolution] | None = None, infer: bool = True) -> list[Resolution | None]:
    """The resolution stage: one :class:`Resolution` per citation, in the same order.

    Law citations are resolved once per distinct (title, issuer, addresses); a repeat reuses the first
    resolution with its own spans. Internal references and unnamed bases get None, and so does every
    citation when ``corpus`` is None (nothing to resolve against). ``infer``: run
    :func:`infer_versions` on the result (which version each citation means, from its words).
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
    if infer and corpus is not None:
        out = infer_versions(out, doc, corpus, as_of=as_of, cited_on=cited_on)
    return out


# ------------------------------------------------------------------------------- version inference
#: The best-fitting version must explain at least this many of the clause's distinguishing bigrams,
#: beat the runner-up by ``INFER_MARGIN`` of them and by the factor ``INFER_RATIO`` (documents that
#: are undated or dated only by their 施行 article, which an amended text keeps).
INFER_MIN_SUPPORT = 4
INFER_MARGIN = 3
INFER_RATIO = 2.0
#: Stricter where the history lines (or the caller) date the document: its behaviour changes only
#: on clear evidence (a 2024 text restating an article as it read before a 2023 revision).
INFER_DATED_MIN_SUPPORT = 8
INFER_DATED_MARGIN = 6
INFER_DATED_RATIO = 4.0

_TITLE_RE = re.compile(r"《[^《》]*》")
_ADDR_RE = re.compile(r"第[零〇一二两三四五六七八九十百千\d]+(?:条(?:之[一二三四五六七八九十]+)?|款|项|目)"
                      r"|[（(][一二三四五六七八九十]+[）)]")
_MIN_CLAUSE_CHARS = 12


@dataclass(frozen=True, slots=True)
class VersionScore:
    """How well a citing clause fits one version of the cited law.

    ``support``: bigrams of the clause that tell the versions' texts of the cited articles apart and
    occur in this version's; ``missing``: cited articles this version lacks; ``key``: the version's
    text of the cited articles, normalised (versions with the same key read alike there)."""

    version: LawVersion
    support: int
    missing: int
    key: str


def date_evidence(doc: Document, cited_on: str | None = None) -> str:
    """What dates the document: ``given`` (the caller's ``cited_on``), ``history`` (通过/修正/修订/公布
    lines), ``effective`` (only the 施行 article: the first version's date, kept by amendments) or
    ``none``."""
    if cited_on:
        return "given"
    m = doc.meta
    if m.adopted or m.published or m.amended:
        return "history"
    return "effective" if m.effective else "none"


def _citing_text(doc: Document, c: LawCitation) -> str:
    """The words of the clause around a citation, without titles and article addresses."""
    node = doc.clause_at(c.start)
    text = doc.node_text(node) if node is not None else ""
    if node is not None and len(_ADDR_RE.sub("", _TITLE_RE.sub("", text))) < _MIN_CLAUSE_CHARS:
        art = doc.article_of(node)
        text = doc.node_text(art) if art is not None else text
    if not text:
        text = doc.original[max(0, c.start - 120):c.end + 120]
    if node is not None and node.label and text.startswith(node.label):
        text = text[len(node.label):]
    return _ADDR_RE.sub("", _TITLE_RE.sub("", text))


def score_versions(text: str, corpus: CorpusAPI, law: Law, refs: Sequence[ArticleRef]) -> list[VersionScore]:
    """Score ``text`` (a citing clause) against the cited articles in every version of ``law`` that has
    article text (oldest first). Only bigrams that differ between the versions' texts count."""
    from normcheck.corpus.versions import _grams, _norm

    nums = list(dict.fromkeys((r.article, r.suffix) for r in refs if r.article is not None))
    if not nums:
        return []
    rows: list[tuple[LawVersion, int, str, frozenset[str]]] = []
    for v in corpus.versions(law.id):
        if not corpus.articles(law.id, v.version):
            continue  # listed without text (a registry stub): nothing to compare
        found = [corpus.article(law.id, v.version, n, s) for n, s in nums]
        norm = "|".join(_norm(a.text) if a is not None else "" for a in found)
        rows.append((v, sum(a is None for a in found), norm, _grams(norm.replace("|", ""))))
    if len(rows) < 2:
        return []
    union = frozenset().union(*(g for *_, g in rows))
    common = frozenset.intersection(*(g for *_, g in rows))
    clause = _grams(_norm(text)) & (union - common)
    return [VersionScore(v, len(clause & g), missing, key) for v, missing, key, g in rows]


def _pick(scores: Sequence[VersionScore], strict: bool) -> tuple[list[VersionScore], str] | None:
    """The versions the clause clearly means (all reading alike at the cited articles), and why."""
    have = [s for s in scores if s.missing == 0]
    if not have:
        return None
    by_key: dict[str, list[VersionScore]] = {}
    for s in have:
        by_key.setdefault(s.key, []).append(s)
    if len(have) < len(scores) and len(by_key) == 1:
        lacking = "、".join(s.version.version for s in scores if s.missing)
        return have, f"所引条文在{lacking}版中不存在"
    if len(by_key) < 2:
        return None
    ranked = sorted(by_key.values(), key=lambda g: -g[0].support)
    best, second = ranked[0][0].support, ranked[1][0].support
    lo, margin, ratio = ((INFER_DATED_MIN_SUPPORT, INFER_DATED_MARGIN, INFER_DATED_RATIO) if strict
                         else (INFER_MIN_SUPPORT, INFER_MARGIN, INFER_RATIO))
    if best >= lo and best - second >= margin and best >= ratio * second:
        return ranked[0], f"引用处的文字与{ranked[0][-1].version.version}版条文相符（区分性字词{best}对{second}）"
    return None


def _interval(group: Sequence[LawVersion], as_of: str) -> tuple[str, str]:
    """[start, end) of the time the versions of ``group`` were in force (end ``as_of`` + 1 when open)."""
    start = min((v.valid_from or v.published or v.version) for v in group)
    ends = [v.valid_to for v in group]
    end = "9999-12-31" if any(e is None for e in ends) else max(e for e in ends if e)
    return start, min(end, _next_day(as_of))


def _next_day(d: str) -> str:
    import datetime as _dt

    try:
        return (_dt.date.fromisoformat(d) + _dt.timedelta(days=1)).isoformat()
    except ValueError:
        return d


def _prev_day(d: str) -> str:
    import datetime as _dt

    try:
        return (_dt.date.fromisoformat(d) - _dt.timedelta(days=1)).isoformat()
    except ValueError:
        return d


def _with_version(res: Resolution, corpus: CorpusAPI, v: LawVersion, reason: str,
                  scores: Sequence[VersionScore]) -> Resolution:
    law, cit = res.law, res.citation
    if law is None:
        return res
    refs = cit.refs if isinstance(cit, LawCitation) else ()
    mx = _max_article(corpus, law, v)
    arts = tuple(_check_ref(corpus, law, v, r, mx) for r in refs)
    return replace(res, cited_version=v, articles=arts, inferred_version=v, dated_version=res.cited_version,
                   inference_reason=reason, inference_scores=tuple((s.version.version, s.support) for s in scores))


def infer_versions(resolutions: Sequence[Resolution | None], doc: Document, corpus: CorpusAPI, *, as_of: str,
                   cited_on: str | None = None) -> list[Resolution | None]:
    """Which version each citation means, from its own words and the document's other evidence.

    For every resolved citation with article numbers of a law with two or more versions: score the
    citing clause against each version (:func:`score_versions`). A clear fit (:func:`_pick`; stricter
    when the history lines date the document) resolves the citation to that version. The clear fits
    bound the time the document was drafted (each version was in force then); where that window, with
    the 施行 date as a lower bound, leaves one version of another cited law, that citation resolves to
    it too. Returns new resolutions (the others unchanged)."""
    evidence = date_evidence(doc, cited_on)
    strict = evidence in ("given", "history")
    out = list(resolutions)
    picks: dict[int, tuple[list[VersionScore], str, list[VersionScore]]] = {}
    for i, res in enumerate(out):
        if res is None or res.status != "resolved" or res.law is None or res.cited_version is None:
            continue
        cit = res.citation
        if not isinstance(cit, LawCitation) or not any(r.article is not None for r in cit.refs):
            continue
        scores = score_versions(_citing_text(doc, cit), corpus, res.law, cit.refs)
        if not scores:
            continue
        pick = _pick(scores, strict)
        if pick is not None:
            picks[i] = (pick[0], pick[1], scores)
    if not picks:
        return out
    # the window in which the document was drafted
    if strict:
        lo, hi = _cited_on(out), _next_day(_cited_on(out))
    else:
        lo, hi = (doc.meta.effective or "0000-01-01"), _next_day(as_of)
    bounded_by: list[str] = []
    for i, (group, _, _) in picks.items():
        res = out[i]
        if res is None or res.law is None:
            continue
        s, e = _interval([g.version for g in group], as_of)
        if max(lo, s) < min(hi, e):
            if (s > lo or e < hi) and not strict:
                bounded_by.append(f"《{_strip(res.law.name)}》{group[-1].version.version}版")
            lo, hi = max(lo, s), min(hi, e)
    for i, res in enumerate(out):
        if res is None or res.law is None or res.cited_version is None:
            continue
        if i in picks:
            group, reason, scores = picks[i]
            versions = [g.version for g in group]
            if any(v.version == res.cited_version.version for v in versions):
                continue
            inside = [v for v in versions if max(lo, _interval([v], as_of)[0]) < min(hi, _interval([v], as_of)[1])]
            chosen = (inside or versions)[-1]
            out[i] = _with_version(res, corpus, chosen, reason, scores)
        elif not strict and bounded_by and isinstance(res.citation, LawCitation) and res.citation.refs:
            if len(corpus.versions(res.law.id)) < 2:
                continue
            v_lo, v_hi = corpus.version_in_force(res.law.id, lo), corpus.version_in_force(res.law.id, _prev_day(hi))
            if v_lo is None or v_hi is None or v_lo.version != v_hi.version:
                continue
            if v_lo.version == res.cited_version.version or not corpus.articles(res.law.id, v_lo.version):
                continue
            reason = (f"文件引用{'、'.join(dict.fromkeys(bounded_by))}，应制定于{lo}至{_prev_day(hi)}之间，"
                      f"其时施行的是{v_lo.version}版")
            out[i] = _with_version(res, corpus, v_lo, reason, ())
    return out


def _cited_on(resolutions: Sequence[Resolution | None]) -> str:
    """The ``cited_on`` date the resolutions were made for (the first resolved one's)."""
    return next((r.cited_on for r in resolutions if r is not None and r.cited_on), "0000-01-01")
