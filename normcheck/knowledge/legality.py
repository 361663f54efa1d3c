"""The legality tables (issue 14): ``data/legality.json`` (superior provisions with their numbering per version,
the analysers' pattern rows, the supervising basis per document kind, the basis-search numbers) and
``data/abolished.json`` (abolished institutions and superseded terms). Validated and compiled once; bad data raises
``NormcheckError(Code.BAD_DATA)`` (E901) naming the file, the row and the field.

A reference (:class:`Ref`) knows which article number a provision had in each version of its law, so a finding on a
2006 document cites the numbering in force in 2006 (or says that the provision did not exist yet), and carries our own
short ``summary`` for versions the corpus lacks — shown marked as a summary, never as statute text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from normcheck.knowledge.schema import (
    bad,
    number,
    obj,
    one_of,
    optional_text,
    pattern,
    read_packaged,
    req,
    rows,
    section,
    text,
)
from normcheck.types.findings import FindingType, Severity
from normcheck.types.law import Level

SEVERITIES = tuple(s.value for s in Severity)
#: The finding types a legality row may raise: every type but the structural ones.
FINDING_TYPES = tuple(t.value for t in FindingType if t not in (FindingType.DRAFTING, FindingType.INVALID_REFERENCE))
_KINDS = {lv.value for lv in Level}
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: How a summary is marked wherever it stands in for statute text (evidence ``text``).
SUMMARY_MARK = "〔摘要，非原文〕"
#: Evidence that names a provision whose text the corpus lacks and no summary covers: the address only, said so.
ADDRESS_MARK = "〔语料库未收录该版本原文，仅列条文出处〕"


def _date(row: dict[str, Any], key: str, file: str, where: str) -> str:
    val = text(row, key, file, where)
    if not _DATE_RE.match(val):
        raise bad(file, where, f"field {key!r} = {val!r} is not a date YYYY-MM-DD")
    return val


def _patterns(row: dict[str, Any], key: str, file: str, where: str) -> tuple[re.Pattern[str], ...]:
    val = row.get(key, [])
    if isinstance(val, str):
        val = [val]
    if not isinstance(val, list):
        raise bad(file, where, f"field {key!r} must be a list of regular expressions")
    return tuple(pattern(p, file, f"{where}.{key}[{i}]") for i, p in enumerate(val))


# ------------------------------------------------------------------------------------ references
@dataclass(frozen=True, slots=True)
class Numbering:
    """The provision's place in one version of its law."""

    version: str  # the version's date, as the corpus names versions
    in_force: str
    article: int  # 0 = a document without articles (cited by ``label``)
    paragraph: int = 0
    label: str | None = None
    summary: str | None = None


@dataclass(frozen=True, slots=True)
class Ref:
    """A superior provision, numbered per version."""

    id: str
    law: str  # full name, as the corpus names it
    short: str
    numbering: tuple[Numbering, ...]  # by version date
    source: str

    def at(self, as_of: str) -> Numbering | None:
        """The numbering in force on ``as_of``; None before the provision existed."""
        got = None
        for n in self.numbering:
            if n.in_force <= as_of:
                got = n
        return got

    def next_after(self, n: Numbering) -> Numbering | None:
        i = self.numbering.index(n)
        return self.numbering[i + 1] if i + 1 < len(self.numbering) else None

    def cite(self, as_of: str) -> str | None:
        """``立法法第十一条`` as numbered on ``as_of`` (None before it existed)."""
        from normcheck.text.numerals import int_to_cn

        n = self.at(as_of)
        if n is None:
            return None
        if not n.article:
            return self.short if not n.label or n.label == "全文" else f"{self.short}{n.label}"
        out = f"{self.short}第{int_to_cn(n.article)}条"
        if n.paragraph:
            out += f"第{int_to_cn(n.paragraph)}款"
        return out


def _refs(data: dict[str, Any], file: str) -> dict[str, Ref]:
    out: dict[str, Ref] = {}
    for rid, row in section(data, "refs", file).items():
        where = f"refs.{rid}"
        obj(row, file, where)
        nums = []
        for i, n in enumerate(req(row, "numbering", list, file, where)):
            w = f"{where}.numbering[{i}]"
            obj(n, file, w)
            art = req(n, "article", int, file, w)
            if art < 0:
                raise bad(file, w, "field 'article' must be >= 0")
            summary = optional_text(n, "summary", file, w)
            label = optional_text(n, "label", file, w)
            if art == 0 and (summary is None or label is None):
                raise bad(file, w, "a document without articles (article 0) needs 'label' and 'summary'")
            nums.append(Numbering(version=_date(n, "version", file, w), in_force=_date(n, "from", file, w),
                                  article=art, paragraph=int(n.get("paragraph", 0)), label=label, summary=summary))
        if not nums:
            raise bad(file, where, "field 'numbering' is an empty list")
        if [n.version for n in nums] != sorted(n.version for n in nums):
            raise bad(file, where, "field 'numbering' must be in version order")
        out[rid] = Ref(id=rid, law=text(row, "law", file, where), short=text(row, "short", file, where),
                       numbering=tuple(nums), source=text(row, "source", file, where))
    return out


# ------------------------------------------------------------------------------------- analysers
@dataclass(frozen=True, slots=True)
class Analyser:
    """One legality pattern row (see the file's description)."""

    id: str
    type: str
    subtype: str
    kinds: frozenset[str]
    conditional: bool
    match: tuple[re.Pattern[str], ...]
    with_: tuple[re.Pattern[str], ...]
    unless: tuple[re.Pattern[str], ...]
    with_object: re.Pattern[str] | None
    measure: re.Pattern[str] | None
    severity: dict[str, str]
    confidence: float
    message: str
    basis: str
    evidence: tuple[str, ...]
    enterprise: bool
    items: tuple[tuple[str, re.Pattern[str]], ...]
    min_missing: int
    source: str
    scope: str = "sentence"  # sentence | clause (the whole analysed piece, for provisions split by ；)
    title: re.Pattern[str] | None = None  # the sentence or the document title must match (e.g. 自然保护区)
    since: str | None = None  # the rule it applies exists from this date (e.g. 行政强制法, 2012-01-01)

    def severity_for(self, kind: str) -> str:
        return self.severity.get(kind, self.severity.get("*", "medium"))


@dataclass(frozen=True, slots=True)
class Supervising:
    """The review basis added to a finding of ``types`` on a document of ``kinds``."""

    id: str
    kinds: frozenset[str]
    types: frozenset[str]
    refs: tuple[str, ...]
    when: re.Pattern[str] | None
    source: str


@dataclass(frozen=True, slots=True)
class BasisSearch:
    candidates: int
    min_score: float
    min_shared: float
    strong_shared: float
    generic: re.Pattern[str]  # words left out when measuring how much of a clause a superior article shares
    # act type -> the words a superior article providing for that measure contains (吊销营业执照 also as
    # 吊销…采矿许可证和营业执照; 税收 as 免征/减征/减免); absent types use the analyser's own signal
    measures: dict[str, re.Pattern[str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SuperiorMeasures:
    """How a penalty or a compulsory measure is compared with the superior article for the same conduct
    (``superior_measures``): the retrieval numbers, the review basis per document kind (行政处罚法 第十一条至第十四条,
    行政强制法 第十条、第十一条: refs), and the words that make two fines incomparable (per unit or per day)."""

    candidates: int
    min_score: float  # retrieval score from which a candidate may be the same conduct's provision
    min_shared: float  # share of the conduct's informative bigrams the candidate must contain
    open_shared: float  # the same when the document names no law it implements (every superior law searched)
    generic: re.Pattern[str]  # words that do not tell one conduct from another (未按照规定, 逾期不改正…)
    firm_score: float  # from here (and firm_shared) the finding keeps its severity; below, one level lower
    firm_shared: float
    penalty_article: re.Pattern[str]  # a superior article that sanctions conduct (处…罚款, 吊销…)
    per_unit: re.Pattern[str]  # 每…/按日: a fine per unit, not comparable with a total
    penalty_refs: dict[str, str]  # kind -> ref id (the article that binds that kind to the superior's range)
    compulsion_refs: tuple[str, ...]  # 行政强制法 第十条第三款, 第十一条第一款
    compulsion_kinds: frozenset[str]
    compulsion_words: re.Pattern[str]  # a superior provision that provides for the measure
    compulsion_object: re.Pattern[str]  # objects that are not 场所、设施、财物 (扣押证件…)
    compulsion_strip: re.Pattern[str]  # the measure's own words, left out of the matter searched for
    dispose: re.Pattern[str]  # where a penalty sentence's conduct ends and its disposition begins
    follow_on: re.Pattern[str]  # a sentence that continues the previous one's conduct (逾期不改正的…)
    families: dict[str, str]  # penalty type -> family compared (声誉罚, 罚款, 没收); others by 行政处罚法第九条's item
    messages: dict[str, str]  # message templates: fine_below, fine_below_floor, fine_above, fine_above_cap, …


@dataclass(frozen=True, slots=True)
class Abolished:
    """An abolished institution or superseded term."""

    id: str
    pattern: re.Pattern[str]
    with_: re.Pattern[str] | None
    unless: re.Pattern[str] | None
    since: str
    replaced_by: str
    severity: str
    ref: str
    source: str
    title_unless: re.Pattern[str] | None = None  # documents whose title matches keep the term lawfully


@dataclass(frozen=True, slots=True)
class LegalityTables:
    refs: dict[str, Ref]
    refer: tuple[re.Pattern[str], ...]
    analysers: tuple[Analyser, ...]
    supervising: tuple[Supervising, ...]
    basis_search: BasisSearch
    abolished: tuple[Abolished, ...]
    measures: SuperiorMeasures | None = None

    def ref(self, rid: str) -> Ref:
        return self.refs[rid]

    def in_force_from(self, short: str) -> str | None:
        """The earliest date from which any packaged provision of the law ``short`` (行政强制法, 立法法,
        行政处罚法…) was in force, from the dated numbering of ``refs``; None when no reference names it."""
        dates = [n.in_force for r in self.refs.values() if r.short == short for n in r.numbering]
        return min(dates) if dates else None

    def supervising_for(self, kind: str, type_: str, clause: str) -> list[Ref]:
        out: list[Ref] = []
        for s in self.supervising:
            if kind in s.kinds and type_ in s.types and (s.when is None or s.when.search(clause)):
                out.extend(self.refs[r] for r in s.refs if self.refs[r] not in out)
        return out


def _kinds(row: dict[str, Any], file: str, where: str) -> frozenset[str]:
    kinds = req(row, "kinds", list, file, where)
    for k in kinds:
        if k not in _KINDS:
            raise bad(file, where, f"field 'kinds' names {k!r}, not a kind code")
    return frozenset(kinds)


def _ref_ids(row: dict[str, Any], key: str, refs: dict[str, Ref], file: str, where: str) -> tuple[str, ...]:
    ids = req(row, key, list, file, where)
    for r in ids:
        if r not in refs:
            raise bad(file, where, f"field {key!r} names {r!r}, not a key of 'refs'")
    return tuple(ids)


def _severity(row: dict[str, Any], file: str, where: str) -> dict[str, str]:
    sev = req(row, "severity", dict, file, where)
    for k, v in sev.items():
        if k != "*" and k not in _KINDS:
            raise bad(file, where, f"severity key {k!r} is not a kind code or '*'")
        if v not in SEVERITIES:
            raise bad(file, where, f"severity {v!r} is not one of {', '.join(SEVERITIES)}")
    return dict(sev)


def validate_legality(data: Any, abolished: Any, file: str = "legality.json",
                      file_abolished: str = "abolished.json") -> LegalityTables:
    obj(data, file, "<top>")
    refs = _refs(data, file)
    refer = _patterns(data, "refer", file, "refer")
    analysers = []
    for where, row in rows(data, "analysers", file, id_field="id"):
        type_ = text(row, "type", file, where)
        if type_ not in FINDING_TYPES:
            raise bad(file, where, f"field 'type' = {type_!r} is not one of {', '.join(FINDING_TYPES)}")
        match = _patterns(row, "match", file, where)
        if not match:
            raise bad(file, where, "field 'match' is empty")
        items = []
        for i, it in enumerate(row.get("items", [])):
            if not (isinstance(it, list) and len(it) == 2 and all(isinstance(x, str) and x for x in it)):
                raise bad(file, f"{where}.items[{i}]", "expected [label, regular expression]")
            items.append((it[0], pattern(it[1], file, f"{where}.items[{i}]")))
        measure = row.get("measure")
        wobj = row.get("with_object")
        analysers.append(Analyser(
            id=row["id"], type=type_, subtype=text(row, "subtype", file, where), kinds=_kinds(row, file, where),
            conditional=req(row, "conditional", bool, file, where), match=match,
            with_=_patterns(row, "with", file, where), unless=_patterns(row, "unless", file, where),
            with_object=None if wobj is None else pattern(wobj, file, f"{where}.with_object"),
            measure=None if measure is None else pattern(measure, file, f"{where}.measure"),
            severity=_severity(row, file, where), confidence=number(row, "confidence", file, where, 0.0, 1.0),
            message=text(row, "message", file, where), basis=text(row, "basis", file, where),
            evidence=_ref_ids(row, "evidence", refs, file, where), enterprise=bool(row.get("enterprise", False)),
            items=tuple(items), min_missing=int(row.get("min_missing", 0)), source=text(row, "source", file, where),
            scope=one_of(row, "scope", ("sentence", "clause"), file, where) if "scope" in row else "sentence",
            title=None if row.get("title") is None else pattern(row["title"], file, f"{where}.title"),
            since=_date(row, "since", file, where) if "since" in row else None))
        if analysers[-1].conditional and analysers[-1].measure is None:
            raise bad(file, where, "a conditional row needs 'measure' (the words the superior basis must contain)")
    supervising = []
    for where, row in rows(data, "supervising", file, id_field="id"):
        types = req(row, "types", list, file, where)
        if any(t not in FINDING_TYPES for t in types):
            raise bad(file, where, "field 'types' names a type that is not a finding type")
        when = row.get("when")
        supervising.append(Supervising(id=row["id"], kinds=_kinds(row, file, where), types=frozenset(types),
                                       refs=_ref_ids(row, "refs", refs, file, where),
                                       when=None if when is None else pattern(when, file, f"{where}.when"),
                                       source=text(row, "source", file, where)))
    bs = section(data, "basis_search", file)
    text(bs, "source", file, "basis_search")
    search = BasisSearch(candidates=int(number(bs, "candidates", file, "basis_search", 1, 50)),
                         min_score=number(bs, "min_score", file, "basis_search", 0.0, 1.0),
                         min_shared=number(bs, "min_shared", file, "basis_search", 0.0, 1.0),
                         strong_shared=number(bs, "strong_shared", file, "basis_search", 0.0, 1.0),
                         generic=pattern(bs.get("generic"), file, "basis_search.generic"),
                         measures=_measure_words(bs, file))
    measures = _measures(data, refs, file) if "superior_measures" in data else None
    obj(abolished, file_abolished, "<top>")
    gone = []
    for where, row in rows(abolished, "rows", file_abolished, id_field="id"):
        ref = text(row, "ref", file_abolished, where)
        if ref not in refs:
            raise bad(file_abolished, where, f"field 'ref' = {ref!r} is not a key of {file}'s 'refs'")
        sev = text(row, "severity", file_abolished, where)
        if sev not in SEVERITIES:
            raise bad(file_abolished, where, f"severity {sev!r} is not one of {', '.join(SEVERITIES)}")
        w, u = row.get("with"), row.get("unless")
        gone.append(Abolished(id=row["id"], pattern=pattern(row.get("pattern"), file_abolished, f"{where}.pattern"),
                              with_=None if w is None else pattern(w, file_abolished, f"{where}.with"),
                              unless=None if u is None else pattern(u, file_abolished, f"{where}.unless"),
                              since=_date(row, "since", file_abolished, where),
                              replaced_by=text(row, "replaced_by", file_abolished, where), severity=sev, ref=ref,
                              source=text(row, "source", file_abolished, where),
                              title_unless=None if row.get("title_unless") is None else
                              pattern(row["title_unless"], file_abolished, f"{where}.title_unless")))
    return LegalityTables(refs=refs, refer=refer, analysers=tuple(analysers), supervising=tuple(supervising),
                          basis_search=search, abolished=tuple(gone), measures=measures)


def _measure_words(bs: dict[str, Any], file: str) -> dict[str, re.Pattern[str]]:
    raw = bs.get("measures", {})
    if not isinstance(raw, dict):
        raise bad(file, "basis_search.measures", "expected an object: act type -> pattern")
    return {str(k): pattern(v, file, f"basis_search.measures.{k}") for k, v in raw.items()}


def _measures(data: dict[str, Any], refs: dict[str, Ref], file: str) -> SuperiorMeasures:
    w = "superior_measures"
    sm = section(data, w, file)
    text(sm, "source", file, w)
    prefs = req(sm, "penalty_refs", dict, file, w)
    for k, r in prefs.items():
        if k not in _KINDS:
            raise bad(file, w, f"penalty_refs key {k!r} is not a kind code")
        if r not in refs:
            raise bad(file, w, f"penalty_refs names {r!r}, not a key of 'refs'")
    return SuperiorMeasures(
        candidates=int(number(sm, "candidates", file, w, 1, 50)), min_score=number(sm, "min_score", file, w, 0.0, 1.0),
        min_shared=number(sm, "min_shared", file, w, 0.0, 1.0),
        open_shared=number(sm, "open_shared", file, w, 0.0, 1.0), generic=pattern(sm.get("generic"), file, w),
        firm_score=number(sm, "firm_score", file, w, 0.0, 1.0),
        firm_shared=number(sm, "firm_shared", file, w, 0.0, 1.0), per_unit=pattern(sm.get("per_unit"), file, w),
        penalty_article=pattern(sm.get("penalty_article"), file, w),
        penalty_refs=dict(prefs), compulsion_refs=_ref_ids(sm, "compulsion_refs", refs, file, w),
        compulsion_kinds=_kinds({"kinds": sm.get("compulsion_kinds", [])}, file, w),
        compulsion_words=pattern(sm.get("compulsion_words"), file, w),
        compulsion_object=pattern(sm.get("compulsion_object"), file, w),
        compulsion_strip=pattern(sm.get("compulsion_strip"), file, w), dispose=pattern(sm.get("dispose"), file, w),
        follow_on=pattern(sm.get("follow_on"), file, w), families=_str_map(sm, "families", file, w),
        messages=_str_map(sm, "messages", file, w, need=_MEASURE_MESSAGES))


_MEASURE_MESSAGES = ("fine_below", "fine_below_floor", "fine_above", "fine_above_cap", "type_added", "seizure_object",
                     "seizure_beyond")


def _str_map(row: dict[str, Any], key: str, file: str, where: str, need: tuple[str, ...] = ()) -> dict[str, str]:
    val = req(row, key, dict, file, where)
    if not all(isinstance(k, str) and isinstance(v, str) and v for k, v in val.items()):
        raise bad(file, where, f"field {key!r} must map strings to non-empty strings")
    missing = [k for k in need if k not in val]
    if missing:
        raise bad(file, where, f"field {key!r} lacks {', '.join(missing)}")
    return dict(val)


@lru_cache(maxsize=1)
def legality() -> LegalityTables:
    """The packaged legality tables (``data/legality.json`` + ``data/abolished.json``), loaded once."""
    return validate_legality(read_packaged("legality.json"), read_packaged("abolished.json"))
