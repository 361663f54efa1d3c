"""The superior basis of a measure (issue 14): before a conditional alarm (a licence, a condition, a deposit, a
compulsory measure… that is lawful only where superior law provides for it), look for the superior provision that
provides for the same measure on the same subject.

:func:`find_basis` retrieves the clause's candidates among the document's superior laws in force on its date (the
consistency stage's index: :func:`normcheck.checks.consistency.retrieve.superior_index` + ``align``) and keeps the
best one that (a) contains the measure's words (``measure``, from the analyser's row) and (b) shares enough of the
clause's informative bigrams (``basis_search`` in ``data/legality.json``). The answer either cites that provision or
names the superior laws that were searched, so every conditional alarm carries one or the other.

:func:`ref_evidence` turns a packaged reference (:class:`normcheck.knowledge.legality.Ref`) into evidence: the
article's text from the corpus version in force on the date when the corpus has it, else our summary, marked as such
(:data:`normcheck.knowledge.legality.SUMMARY_MARK`) — never an empty quotation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from normcheck.knowledge.legality import SUMMARY_MARK, BasisSearch, Ref, legality
from normcheck.text.numerals import int_to_cn
from normcheck.types.findings import Evidence
from normcheck.types.law import Level

_PUNCT = re.compile(r"[\s，。；：、,.;:！？!?（）()《》〈〉“”\"'‘’【】\[\]—\-…·\d]")
#: How many law names ``searched`` lists (the candidates examined, best first).
SEARCHED_NAMES = 8
#: A date after every version: the superior laws of a kind whatever their first version in the corpus.
_FAR = "9999-12-31"
_MEASURE_MASKS: dict[tuple[int, int, str], np.ndarray] = {}
_ENACTED: dict[tuple[int, str], str | None] = {}
_GAP_INDEX: dict[tuple[int, str, str, str], Any] = {}
_CACHE_MAX = 64
#: A 设定权 row's measure (拘留, 吊销营业执照, 冻结, 税收…) rests only on a national law or administrative regulation.
_NATIONAL = frozenset({Level.LAW, Level.ADMINISTRATIVE_REGULATION})
_SIZES = re.compile(r"[零〇一二两三四五六七八九十百千万\d]+(日|元|万元|倍|年|个月)(以上|以下|以内)?")
#: A superior article that provides the measure with every one of the clause's sizes (at least this many distinct
#: ones: 五日以下…五百元以下…五日以上…十日以下) and shares at least ``_SIZE_SHARED`` of its other words restates it: the
#: same ladder of sizes is the superior's own (治安管理处罚法 第四十二条 restated for 威胁、侮辱劝阻人的, whose
#: conduct words a bigram share cannot match).
_SIZE_TOKENS = 3
_SIZE_SHARED = 0.15


@dataclass(frozen=True, slots=True)
class Basis:
    """The outcome of a basis search. ``evidence`` is set when a superior provision provides for the measure;
    ``strong`` when it covers the clause's subject closely (the alarm is dropped); ``searched`` names the laws whose
    articles were examined and ``scope`` how many superior laws were in the search."""

    evidence: Evidence | None = None
    strong: bool = False
    shared: float = 0.0
    score: float = 0.0
    searched: list[str] = field(default_factory=list)
    scope: int = 0
    note: str = ""
    later_version: bool = False  # the corpus lacks the version in force then; the basis is its next version

    @property
    def found(self) -> bool:
        return self.evidence is not None

    @property
    def cite(self) -> str:
        """``law`` + ``article`` of the basis found, with the version when it is a later one."""
        if self.evidence is None:
            return ""
        out = f"{self.evidence.law}{self.evidence.article}"
        if self.later_version:
            out += f"（语料库未收录当时施行的版本，据{self.evidence.version}版本）"
        return out

    def details(self) -> dict[str, Any]:
        """What goes into a finding's ``details``."""
        if self.evidence is not None:
            sup = {"law": self.evidence.law, "version": self.evidence.version, "article": self.evidence.article,
                   "shared": round(self.shared, 3), "score": round(self.score, 3)}
            if self.later_version:
                sup["later_version"] = True
            return {"superior_basis": sup}
        out: dict[str, Any] = {"searched": list(self.searched), "searched_scope": self.scope}
        if self.note:
            out["searched_note"] = self.note
        return out


def _grams(text: str, generic: re.Pattern[str]) -> set[str]:
    t = generic.sub("|", _PUNCT.sub("|", text))
    out: set[str] = set()
    for part in t.split("|"):
        out.update(part[i:i + 2] for i in range(len(part) - 1))
    return out


def informative_grams(text: str, generic: re.Pattern[str]) -> set[str]:
    """The informative bigrams of ``text`` (generic words and punctuation removed)."""
    return _grams(text, generic)


def shared_share(clause: str, superior: str, generic: re.Pattern[str]) -> float:
    """Share of the clause's informative bigrams (generic words and punctuation removed) found in the superior
    text."""
    q = _grams(clause, generic)
    if not q:
        return 0.0
    return len(q & _grams(superior, generic)) / len(q)


def _label(article: Any) -> str:
    return getattr(article, "label", "") or f"第{int_to_cn(article.number)}条"


def find_basis(ctx: Any, clause: str, measure: re.Pattern[str], *, search: BasisSearch | None = None,
               levels: frozenset[Level] | None = None, sizes: frozenset[str] = frozenset()) -> Basis:
    """The superior basis of ``clause``'s measure (see module docstring). ``ctx`` is a CheckContext; ``levels``
    limits the basis to superior laws of those levels (a measure only a law may set has no basis in a rule);
    ``sizes`` (the clause's penalty sizes, when it has at least ``_SIZE_TOKENS``) make a candidate that contains all
    of them a strong basis once it shares ``_SIZE_SHARED`` of the clause's words."""
    search = search or legality().basis_search
    corpus = ctx.corpus
    kind = ctx.kind
    if corpus is None or not hasattr(corpus, "superior_laws"):
        return Basis(note="未提供语料库，未检索上位法")
    if kind is None or kind in (Level.CONSTITUTION, Level.OTHER):
        return Basis(note="文件层级不明，未检索上位法")
    from normcheck.checks.consistency.retrieve import align, superior_index

    lv = ",".join(sorted(x.value for x in levels)) if levels else ""
    sz = "|".join(sorted(sizes))
    key = f"legality.basis.{kind.value}.{ctx.region}.{ctx.as_of}.{lv}.{measure.pattern}.{sz}.{clause}"
    if key in ctx.cache:
        return ctx.cache[key]  # type: ignore[no-any-return]
    try:
        index = superior_index(corpus, kind, ctx.region, ctx.as_of)
        scope_key = f"legality.scope.{kind.value}.{ctx.region}.{ctx.as_of}"
        if scope_key not in ctx.cache:
            ctx.cache[scope_key] = len(corpus.superior_laws(kind, ctx.region, ctx.as_of))
        scope = int(ctx.cache[scope_key])
        title = ctx.document.meta.title or ""
        prior = index.law_prior(title) if title and hasattr(index, "law_prior") else None
        cands = align(clause, index, limit=search.candidates, prior=prior)
    except Exception as exc:  # a broken index must not lose the alarm: say that the search failed
        out = Basis(note=f"上位法检索失败（{type(exc).__name__}）")
        ctx.cache[key] = out
        return out
    subject = measure.sub("|", clause)  # the measure's own words do not count as the same subject
    searched: list[str] = []
    best = _best(cands, measure, subject, search, searched, levels, sizes)
    later = False
    try:  # a weak first answer does not hide a closer article found by the two narrower searches
        if best is None or best[1] < search.strong_shared:  # the articles that provide for the measure, ranked
            # for the clause (a wordy clause's retrieval may rank other articles first)
            mask = _measure_mask(index, measure)
            if mask.any():
                got = _best(align(clause, index, limit=search.candidates, prior=prior, mask=mask), measure,
                            subject, search, searched, levels, sizes)
                if got is not None and (best is None or got[1] > best[1]):
                    best = got
        if best is None or best[1] < search.strong_shared:  # superior laws in force then whose version of that
            # date the corpus lacks: their earliest later version
            gap = _gap_index(corpus, kind, ctx.region, ctx.as_of)
            if gap is not None:
                mask = _measure_mask(gap, measure)
                if mask.any():
                    got = _best(align(clause, gap, limit=search.candidates, mask=mask), measure, subject,
                                search, searched, levels, sizes)
                    if got is not None and (best is None or got[1] > best[1]):
                        best, later = got, True
    except Exception:  # the extra searches are best effort: the first one's answer stands
        pass
    if best is None:
        out = Basis(searched=searched[:SEARCHED_NAMES], scope=scope)
    else:
        al, share = best
        para = al.article.text
        for p in getattr(al.article, "paragraphs", ()) or ():
            if measure.search(p) and shared_share(subject, p, search.generic) >= share - 0.1:
                para = p
                break
        ev = Evidence(law=al.law.name, version=al.version.version, article=_label(al.article), text=para)
        # a later version's article lowers the alarm but never drops it: the text then may have differed
        out = Basis(evidence=ev, strong=share >= search.strong_shared and not later, shared=share, score=al.score,
                    searched=searched[:SEARCHED_NAMES], scope=scope, later_version=later)
    ctx.cache[key] = out
    return out


def _best(cands: list[Any], measure: re.Pattern[str], subject: str, search: BasisSearch,
          searched: list[str], levels: frozenset[Level] | None = None,
          sizes: frozenset[str] = frozenset()) -> tuple[Any, float] | None:
    """The candidate that provides for the measure and shares most of the clause's subject (``searched`` collects
    the law names examined)."""
    best = None
    for al in cands:
        if al.law.name not in searched:
            searched.append(al.law.name)
        if al.score < search.min_score:
            continue
        if levels and (al.law.level not in levels or bool(al.law.region)):
            continue
        text = al.article.text
        if not measure.search(text):
            continue
        share = shared_share(subject, text, search.generic)
        if sizes and share >= _SIZE_SHARED and all(x in text for x in sizes):
            share = max(share, search.strong_shared)  # the superior's own ladder of sizes: a restatement
        if share < search.min_shared:
            continue
        if best is None or share > best[1]:
            best = (al, share)
    return best


def _measure_mask(index: Any, measure: re.Pattern[str]) -> np.ndarray:
    """Entries of the retrieval index whose article contains the measure's words (cached per entry list)."""
    key = (id(index.entries), len(index.entries), measure.pattern)
    got = _MEASURE_MASKS.get(key)
    if got is None:
        got = np.fromiter((bool(measure.search(e.article.text)) for e in index.entries), dtype=bool,
                          count=len(index.entries))
        if len(_MEASURE_MASKS) >= _CACHE_MAX:
            _MEASURE_MASKS.pop(next(iter(_MEASURE_MASKS)))
        _MEASURE_MASKS[key] = got
    return got


_ROOTS: dict[int, Any] = {}
_FIRST_ARTICLE = re.compile(r"^\s*#*\s*第一条", re.M)


def _source_root(corpus: Any, law_id: str, version: Any) -> Any:
    """The folder the corpus's relative version paths start from, found once per corpus from one article's
    absolute source path (``article_offsets`` is a slow join; one call instead of one per law, issue 14 cost)."""
    key = id(corpus)
    if key in _ROOTS:
        return _ROOTS[key]
    from pathlib import Path

    root = None
    rel = str(getattr(version, "path", "") or "")
    arts = corpus.articles(law_id, version.version) if rel else []
    where = corpus.article_offsets(law_id, version.version, arts[0].number, arts[0].suffix) if arts else None
    if where is not None and str(where[0]).endswith(rel):
        root = Path(str(where[0])[: len(str(where[0])) - len(rel)])
    _ROOTS[key] = root
    return root


def enacted_on(corpus: Any, law_id: str, version: Any) -> str | None:
    """The first date of a law's history (通过/公布…) from the preamble of one of its version files: the law
    existed from then on even where the corpus holds only later versions. None when unknown."""
    key = (id(corpus), law_id)
    if key in _ENACTED:
        return _ENACTED[key]
    out = None
    try:
        from pathlib import Path

        from normcheck.structure.meta import dated_events

        rel = str(getattr(version, "path", "") or "")
        path = Path(rel) if rel and Path(rel).is_absolute() else None
        if path is None and rel:
            root = _source_root(corpus, law_id, version)
            path = root / rel if root is not None else None
        if path is not None and path.is_file():
            with path.open(encoding="utf-8", errors="replace") as fh:
                head = fh.read(6000)
            m = _FIRST_ARTICLE.search(head)  # the preamble before the first article (none: no articles, unknown)
            dates = [iso for _ev, iso, _off in dated_events(head[: min(m.start(), 4000)])] if m else []
            out = min(dates) if dates else None
    except Exception:  # an unreadable source: the law's age is unknown
        out = None
    _ENACTED[key] = out
    return out


def _gap_index(corpus: Any, kind: Level, region: str | None, as_of: str) -> Any:
    """The retrieval index restricted to the earliest corpus version of each superior law that existed on
    ``as_of`` (by its history) but has no corpus version in force then; None when there is none."""
    key = (id(corpus), kind.value, region or "", as_of)
    if key in _GAP_INDEX:
        return _GAP_INDEX[key]
    out = None
    if hasattr(corpus, "laws"):
        from normcheck.checks.consistency.retrieve import corpus_index

        full, by_version = corpus_index(corpus)
        mask = np.zeros(len(full.entries), dtype=bool)
        for law in corpus.superior_laws(kind, region, _FAR):
            if law.level in (Level.CONSTITUTION, Level.OTHER) or corpus.version_in_force(law.id, as_of) is not None:
                continue
            versions = corpus.versions(law.id)
            if not versions or versions[0].version <= as_of:
                continue  # its corpus versions had ended by then: repealed or replaced, not a gap
            enacted = enacted_on(corpus, law.id, versions[0])
            if enacted is None or enacted > as_of:
                continue
            rows = by_version.get((law.id, versions[0].version))
            if rows is not None:
                mask[rows] = True
        if mask.any():
            out = full.view(mask)
    if len(_GAP_INDEX) >= _CACHE_MAX:
        _GAP_INDEX.pop(next(iter(_GAP_INDEX)))
    _GAP_INDEX[key] = out
    return out


def ref_evidence(corpus: Any, ref: Ref, as_of: str, cache: dict[str, Any] | None = None) -> Evidence | None:
    """Evidence for a packaged reference on ``as_of``: the corpus text of the version in force when its numbering
    matches, else the marked summary; None when the provision did not exist on that date (or has no summary)."""
    key = f"legality.ref.{ref.id}.{as_of}"
    if cache is not None and key in cache:
        return cache[key]  # type: ignore[no-any-return]
    out = _ref_evidence(corpus, ref, as_of)
    if cache is not None:
        cache[key] = out
    return out


def refs_evidence(ctx: Any, refs: list[Ref]) -> tuple[list[Evidence], list[str]]:
    """The evidence and the citations (in force on the document's date) of ``refs``, each once."""
    evs: list[Evidence] = []
    cites: list[str] = []
    for ref in refs:
        cite = ref.cite(ctx.as_of)
        if cite is None:
            continue
        ev = ref_evidence(ctx.corpus, ref, ctx.as_of, ctx.cache)
        if ev is not None and ev not in evs:
            evs.append(ev)
        if cite not in cites:
            cites.append(cite)
    return evs, cites


def _ref_evidence(corpus: Any, ref: Ref, as_of: str) -> Evidence | None:
    n = ref.at(as_of)
    if n is None:
        return None
    article = f"第{int_to_cn(n.article)}条" if n.article else (n.label or "")
    if n.article and n.paragraph:
        article += f"第{int_to_cn(n.paragraph)}款"
    if n.article and corpus is not None:
        try:
            got = _corpus_text(corpus, ref, n, as_of)
        except Exception:  # a broken corpus falls back to the summary
            got = None
        if got is not None:
            return got
    if not n.summary:
        return None
    return Evidence(law=ref.law, version=n.version, article=article, text=SUMMARY_MARK + n.summary)


def _corpus_text(corpus: Any, ref: Ref, n: Any, as_of: str) -> Evidence | None:
    laws = [law for law in corpus.find_laws(ref.law) if not getattr(law, "region", None)]
    if not laws:
        return None
    law = laws[0]
    version = corpus.version_in_force(law.id, as_of)
    if version is None:
        return None
    nxt = ref.next_after(n)
    if version.version < n.version or (nxt is not None and version.version >= nxt.version):
        return None  # the corpus version in force is numbered differently
    art = corpus.article(law.id, version.version, n.article)
    if art is None or not art.text.strip():
        return None
    text = art.text
    label = _label(art)
    if n.paragraph:
        if len(art.paragraphs) < n.paragraph:
            return None
        text = art.paragraphs[n.paragraph - 1]
        label += f"第{int_to_cn(n.paragraph)}款"
    return Evidence(law=law.name, version=version.version, article=label, text=text)


def summary_evidence(ctx: Any, law_short: str, number: int, paragraph: int = 0) -> Evidence | None:
    """Evidence from the packaged references for a provision another check names by short law name and article
    number as in force on ``ctx.as_of`` (0 = a document without articles, e.g. 国办发〔2018〕37号): the corpus text
    when the numbering matches the version in force, else the marked summary; None when no reference covers it."""
    for ref in legality().refs.values():
        if ref.short != law_short:
            continue
        n = ref.at(ctx.as_of)
        if n is None or n.article != number or (paragraph and n.paragraph and n.paragraph != paragraph):
            continue
        ev = ref_evidence(ctx.corpus, ref, ctx.as_of, ctx.cache)
        if ev is not None:
            return ev
    return None


def measure_basis(ctx: Any, clause: str, types: list[str], acts: list[str]) -> Basis:
    """:func:`find_basis` for a 设定权 row: the measure is each act type's words as superior laws write them
    (``basis_search.measures``; 吊销营业执照 as 吊销…营业执照, 税收 as 免征/减征…), else the matched words."""
    table = legality().basis_search.measures
    words = [table[t].pattern for t in dict.fromkeys(types) if t in table]
    words += [re.escape(a) for t, a in zip(types, acts, strict=False) if t not in table and a.strip()]
    if not words:
        return Basis(note="无可检索的措施用语")
    # amounts and durations (五日以下, 五百元) are the penalty's size, not the conduct: they must not make a basis
    # on their own, but all of them together with some of the conduct's words do (the superior's own ladder)
    sizes = frozenset(m.group(0) for m in _SIZES.finditer(clause))
    clause = _SIZES.sub("", clause)
    return find_basis(ctx, clause, re.compile("|".join(f"(?:{w})" for w in dict.fromkeys(words))),
                      levels=_NATIONAL, sizes=sizes if len(sizes) >= _SIZE_TOKENS else frozenset())


def conditional_basis(ctx: Any, clause: str, acts: list[str]) -> Basis:
    """:func:`find_basis` for another check's conditional alarm on ``clause``, the measure being the words of its
    acts (``acts``: the matched texts, e.g. 许可证, 保证金)."""
    words = [re.escape(a) for a in dict.fromkeys(acts) if a.strip()]
    if not words:
        return Basis(note="无可检索的措施用语")
    return find_basis(ctx, clause, re.compile("|".join(words)))

