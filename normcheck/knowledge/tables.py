"""The vocabulary and policy tables of ``normcheck/data/`` other than the 设定权 table and the signal
words (see :mod:`normcheck.knowledge.authority`): penalty types, modal verbs, units and bounds, the
comparison's condition/exception words, the kind rules, regions, severities, confidence numbers,
the references check's facts and finding wording. Each ``validate_*`` checks one file's parsed JSON
and returns typed, compiled rows; each accessor loads its packaged file once (``lru_cache``).

Size: one small typed accessor per data file, all alike; one module so every table has the same
loading, validation and caching path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from normcheck.knowledge.schema import (
    bad,
    duplicates,
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
    words,
)


def _alternation(items: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in items)


# ------------------------------------------------------------------------------------ penalties
@dataclass(frozen=True, slots=True)
class PenaltyType:
    """One penalty type (行政处罚法第九条): its 项 (family), keyword and comparison pattern."""

    type: str
    item: int
    keyword: str | None
    mention: re.Pattern[str] | None
    basis: str


@dataclass(frozen=True, slots=True)
class Penalties:
    types: tuple[PenaltyType, ...]
    fine_type: str
    fine_word: re.Pattern[str]
    mention_gate: re.Pattern[str]
    keyword_uses: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]  # use -> (add, drop)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(t.type for t in self.types)

    def keywords(self, use: str) -> tuple[str, ...]:
        """The keyword list for ``use`` (``references``, ``rank``): the rows' keywords, less the
        use's ``drop``, plus its ``add`` (duplicates removed, in order)."""
        if use not in self.keyword_uses:
            raise ValueError(f"unknown keyword use {use!r}; use one of: {', '.join(self.keyword_uses)}")
        add, drop = self.keyword_uses[use]
        base = [t.keyword for t in self.types if t.keyword and t.keyword not in drop]
        return tuple(dict.fromkeys([*base, *add]))

    def mentions(self) -> tuple[tuple[str, re.Pattern[str]], ...]:
        """(type, pattern) for the types the consistency comparison looks for, in table order."""
        return tuple((t.type, t.mention) for t in self.types if t.mention is not None)


def validate_penalties(data: Any, file: str = "penalties.json") -> Penalties:
    obj(data, file, "<top>")
    types = []
    for where, row in rows(data, "types", file, id_field="type"):
        item = req(row, "item", int, file, where)
        if not 1 <= item <= 6:
            raise bad(file, where, "field 'item' must be a 项 of 行政处罚法第九条 (1-6)")
        mention = row.get("mention")
        types.append(PenaltyType(type=row["type"], item=item, keyword=optional_text(row, "keyword", file, where),
                                 mention=None if mention is None else pattern(mention, file, f"{where}.mention"),
                                 basis=text(row, "basis", file, where)))
    fine = section(data, "fine_type", file)
    fine_type = text(fine, "type", file, "fine_type")
    text(fine, "source", file, "fine_type")
    if fine_type not in {t.type for t in types}:
        raise bad(file, "fine_type", f"type {fine_type!r} is not a row of 'types'")
    pats = {}
    for key in ("fine_word", "mention_gate"):
        sec = section(data, key, file)
        text(sec, "source", file, key)
        pats[key] = pattern(sec.get("pattern"), file, f"{key}.pattern")
    uses: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for use, sec in section(data, "keyword_uses", file).items():
        where = f"keyword_uses.{use}"
        obj(sec, file, where)
        text(sec, "source", file, where)
        add = words(sec, "add", file, where, allow_empty=True)
        drop = words(sec, "drop", file, where, allow_empty=True)
        known = {t.keyword for t in types}
        if any(w not in known for w in drop):
            raise bad(file, where, f"field 'drop' names {[w for w in drop if w not in known][:1]}, not a row keyword")
        uses[use] = (add, drop)
    return Penalties(types=tuple(types), fine_type=fine_type, fine_word=pats["fine_word"],
                     mention_gate=pats["mention_gate"], keyword_uses=uses)


# ---------------------------------------------------------------------------------------- modals
MODAL_CLASSES = ("oblige", "permit", "prohibit")


@dataclass(frozen=True, slots=True)
class Modals:
    words: tuple[str, ...]  # in matching order
    classes: dict[str, str]  # word -> oblige | permit | prohibit
    regex: re.Pattern[str]


def _check_order(items: tuple[str, ...], file: str, key: str) -> None:
    """A longer item must come before a shorter one it contains (alternations match in order)."""
    for i, w in enumerate(items):
        for j in range(i):
            if items[j] in w and items[j] != w:
                raise bad(file, f"{key}[{i}] ({w})", f"must come before {items[j]!r}, which it contains")


def validate_modals(data: Any, file: str = "modals.json") -> Modals:
    obj(data, file, "<top>")
    classes: dict[str, str] = {}
    for where, row in rows(data, "modals", file, id_field="word"):
        classes[row["word"]] = one_of(row, "class", MODAL_CLASSES, file, where)
        text(row, "source", file, where)
    order = tuple(classes)
    _check_order(order, file, "modals")
    return Modals(words=order, classes=classes, regex=re.compile(_alternation(order)))


# ----------------------------------------------------------------------------------------- units
UNIT_CATEGORIES = ("money", "time", "age", "times", "percent", "count", "length")
BOUNDS = ("ge", "gt", "le", "lt", "eq")


@dataclass(frozen=True, slots=True)
class Units:
    base: dict[str, tuple[str, float]]  # unit -> (category, factor to the base unit), matching order
    bound_canon: dict[str, str]  # bound word -> ge | gt | le | lt
    before: tuple[str, ...]
    after: tuple[str, ...]
    bound_labels: dict[str, str]

    @property
    def alternation(self) -> str:
        """``(?:个工作日|工作日|…)``: the units as one regex group, in matching order."""
        return "(?:" + _alternation(tuple(self.base)) + ")"

    def money(self) -> dict[str, int]:
        """Money units -> yuan (integers)."""
        return {u: int(f) for u, (c, f) in self.base.items() if c == "money"}

    def before_regex(self) -> re.Pattern[str]:
        return re.compile("(" + _alternation(self.before) + ")$")

    def after_regex(self) -> re.Pattern[str]:
        return re.compile("^(" + _alternation(self.after) + ")")


def validate_units(data: Any, file: str = "units.json") -> Units:
    obj(data, file, "<top>")
    base: dict[str, tuple[str, float]] = {}
    for where, row in rows(data, "units", file, id_field="unit"):
        cat = one_of(row, "category", UNIT_CATEGORIES, file, where)
        factor = number(row, "factor", file, where)
        if factor <= 0:
            raise bad(file, where, "field 'factor' must be > 0")
        if cat == "money" and factor != int(factor):
            raise bad(file, where, "a money factor must be a whole number of yuan")
        text(row, "source", file, where)
        base[row["unit"]] = (cat, factor)
    order = tuple(base)
    for i, u in enumerate(order):  # 个工作日 before 工作日, 周岁 before 周
        for j in range(i):
            if order[j] != u and (u.startswith(order[j]) or u.endswith(order[j])):
                raise bad(file, f"units[{i}] ({u})", f"must come before {order[j]!r}")
    canon: dict[str, str] = {}
    sides: dict[str, list[str]] = {"before": [], "after": []}
    for where, row in rows(data, "bounds", file, id_field="word"):
        side = one_of(row, "side", tuple(sides), file, where)
        canon[row["word"]] = one_of(row, "bound", BOUNDS[:4], file, where)
        text(row, "source", file, where)
        sides[side].append(row["word"])
    labels = section(data, "bound_labels", file)
    for b in BOUNDS:
        req(labels, b, str, file, "bound_labels")
    return Units(base=base, bound_canon=canon, before=tuple(sides["before"]), after=tuple(sides["after"]),
                 bound_labels={b: labels[b] for b in BOUNDS})


# ------------------------------------------------------------------------------------ comparison
COMPARISON_PATTERNS = ("exception", "condition", "leading_link", "admin_deadline_verb", "alignment_boilerplate")
ACTORS = ("admin", "citizen")


@dataclass(frozen=True, slots=True)
class Comparison:
    patterns: dict[str, re.Pattern[str]]
    actors: dict[str, tuple[str, ...]]
    #: domain -> groups of names of one deciding body (业主: (业主共同, 业主大会, 全体业主), (业主委员会), …)
    body_groups: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)


def _named_patterns(data: dict[str, Any], key: str, names: tuple[str, ...], file: str) -> dict[str, re.Pattern[str]]:
    sec = section(data, key, file)
    out = {}
    for name in names:
        if name not in sec:
            raise bad(file, key, f"missing pattern {name!r}")
    for name, row in sec.items():
        where = f"{key}.{name}"
        obj(row, file, where)
        text(row, "source", file, where)
        out[name] = pattern(row.get("pattern"), file, f"{where}.pattern")
    return out


def validate_comparison(data: Any, file: str = "comparison.json") -> Comparison:
    obj(data, file, "<top>")
    pats = _named_patterns(data, "patterns", COMPARISON_PATTERNS, file)
    actors = {}
    sec = section(data, "actors", file)
    for name in ACTORS:
        row = obj(req(sec, name, dict, file, "actors"), file, f"actors.{name}")
        text(row, "source", file, f"actors.{name}")
        actors[name] = words(row, "words", file, f"actors.{name}")
    groups: dict[str, tuple[tuple[str, ...], ...]] = {}
    if "body_groups" in data:
        sec = obj(data["body_groups"], file, "body_groups")
        text(sec, "source", file, "body_groups")
        for domain, rows in obj(req(sec, "domains", dict, file, "body_groups"), file, "body_groups.domains").items():
            if not isinstance(rows, list) or not rows:
                raise bad(file, f"body_groups.domains.{domain}", "expected a non-empty list of name lists")
            names = []
            for k, row in enumerate(rows):
                if not isinstance(row, list) or not row or not all(isinstance(w, str) and w for w in row):
                    raise bad(file, f"body_groups.domains.{domain}[{k}]", "expected a non-empty list of names")
                names.append(tuple(row))
            groups[domain] = tuple(names)
    return Comparison(patterns=pats, actors=actors, body_groups=groups)


# ------------------------------------------------------------------------------------ kind rules
KIND_PATTERNS = ("preamble_end", "issuer", "congress", "government", "rule_order", "normdoc_title", "rule_title",
                 "regulation_title", "autonomous", "constitution_title", "law_title", "state_council",
                 "regulation_suffix", "autonomous_county", "autonomous_prefecture", "decision_suffix",
                 "city_congress", "ministry_issuer", "local_issuer", "government_order", "county_government",
                 "city_government", "department_issuer", "city_organ")
KIND_REASONS = ("constitution", "law", "administrative_regulation", "autonomous_regulation",
                "normative_document_title", "municipal_regulation", "local_regulation", "local_regulation_unplaced",
                "department_rule", "county_government", "municipal_rule", "municipal_rule_unplaced",
                "provincial_rule", "normative_document_rule_title", "rule_title_no_issuer", "regulation_decision",
                "normative_document_other", "unknown")


@dataclass(frozen=True, slots=True)
class KindRules:
    preamble_chars: int
    no_place: str
    default_issuer: str
    patterns: dict[str, re.Pattern[str]]
    reasons: dict[str, str]

    def pattern_text(self, name: str) -> str:
        return self.patterns[name].pattern


def validate_kind_rules(data: Any, file: str = "kind_rules.json") -> KindRules:
    obj(data, file, "<top>")
    chars = req(data, "preamble_chars", int, file, "<top>")
    if chars <= 0:
        raise bad(file, "<top>", "field 'preamble_chars' must be > 0")
    pats = _named_patterns(data, "patterns", KIND_PATTERNS, file)
    pats["preamble_end"] = re.compile(pats["preamble_end"].pattern, re.M)
    reasons = section(data, "reasons", file)
    for name in KIND_REASONS:
        text(reasons, name, file, "reasons")
    return KindRules(preamble_chars=chars, no_place=text(data, "no_place", file, "<top>"),
                     default_issuer=text(data, "default_issuer", file, "<top>"), patterns=pats,
                     reasons={k: str(v) for k, v in reasons.items()})


# --------------------------------------------------------------------------------------- regions
REGION_TYPES = ("municipality", "province", "autonomous_region", "sar")


@dataclass(frozen=True, slots=True)
class Region:
    """A provincial-level region: short name (北京), full name (北京市), type and its 设区的市."""

    name: str
    full: str
    type: str
    cities: tuple[str, ...]


def validate_regions(data: Any, file: str = "regions.json") -> dict[str, Region]:
    obj(data, file, "<top>")
    provs = section(data, "provinces", file)
    if not provs:
        raise bad(file, "provinces", "needs at least one province")
    out: dict[str, Region] = {}
    for name, row in provs.items():
        where = f"provinces.{name}"
        obj(row, file, where)
        out[name] = Region(name=name, full=text(row, "full", file, where),
                           type=one_of(row, "type", REGION_TYPES, file, where),
                           cities=words(row, "cities", file, where, allow_empty=True))
    dup = duplicates(c for r in out.values() for c in r.cities)
    if dup:
        raise bad(file, "provinces", f"city {dup[0]!r} is listed under two provinces")
    return out


def validate_regional_scope(data: Any, file: str = "regional_scope.json") -> dict[str, tuple[str, ...]]:
    """Law name (without 中华人民共和国) -> the provincial-level regions it applies in."""
    obj(data, file, "<top>")
    laws = section(data, "laws", file)
    known = set(regions())
    out: dict[str, tuple[str, ...]] = {}
    for name, row in laws.items():
        where = f"laws.{name}"
        obj(row, file, where)
        text(row, "source", file, where)
        provs = words(row, "provinces", file, where)
        unknown = [p for p in provs if p not in known]
        if unknown:
            raise bad(file, where, f"province {unknown[0]!r} is not in regions.json")
        if name.startswith("中华人民共和国"):
            raise bad(file, where, "write the name without 中华人民共和国")
        out[name] = provs
    return out


# ------------------------------------------------------------------------------------ severities
@dataclass(frozen=True, slots=True)
class Severities:
    order: tuple[str, ...]  # most severe first
    weights: dict[str, float]


def validate_severities(data: Any, file: str = "severities.json") -> Severities:
    obj(data, file, "<top>")
    weights: dict[str, float] = {}
    for where, row in rows(data, "severities", file, id_field="name"):
        weights[row["name"]] = float(number(row, "weight", file, where, 0.0, 1.0))
        text(row, "source", file, where)
    if set(weights) != {"high", "medium", "low"}:
        raise bad(file, "severities", "need exactly the rows high, medium and low")
    order = tuple(weights)
    if any(weights[order[i]] <= weights[order[i + 1]] for i in range(len(order) - 1)):
        raise bad(file, "severities", "rows must be most severe first, with decreasing weights")
    return Severities(order=order, weights=weights)


# ------------------------------------------------------------------------------------ confidence
def validate_confidence(data: Any, file: str = "confidence.json") -> dict[str, dict[str, Any]]:
    obj(data, file, "<top>")
    out: dict[str, dict[str, Any]] = {}
    for group, sec in data.items():
        if group in ("schema", "description"):
            continue
        where = group
        obj(sec, file, where)
        text(sec, "source", file, where)
        vals: dict[str, Any] = {}
        for key, val in sec.items():
            if key == "source":
                continue
            if isinstance(val, dict):
                for k in val:
                    number(val, k, file, f"{where}.{key}", 0.0, 1.0)
                vals[key] = dict(val)
            else:
                vals[key] = number(sec, key, file, where, 0.0, 1.0)
        out[group] = vals
    return out


# ------------------------------------------------------------------------------- reference rules
@dataclass(frozen=True, slots=True)
class ReferenceRules:
    basis_outdated: str
    basis_invalid: str
    silent_suffixes: tuple[str, ...]
    silent_prefixes: tuple[str, ...]
    silent_contains: tuple[str, ...]
    fillers: tuple[str, ...]


def validate_reference_rules(data: Any, file: str = "reference_rules.json") -> ReferenceRules:
    obj(data, file, "<top>")
    basis = section(data, "basis", file)
    silent = section(data, "not_found_silent", file)
    text(silent, "source", file, "not_found_silent")
    fill = section(data, "name_variant_fillers", file)
    text(fill, "source", file, "name_variant_fillers")
    return ReferenceRules(
        basis_outdated=text(basis, "outdated_reference", file, "basis"),
        basis_invalid=text(basis, "invalid_reference", file, "basis"),
        silent_suffixes=words(silent, "suffixes", file, "not_found_silent", allow_empty=True),
        silent_prefixes=words(silent, "prefixes", file, "not_found_silent", allow_empty=True),
        silent_contains=words(silent, "contains", file, "not_found_silent", allow_empty=True),
        fillers=words(fill, "words", file, "name_variant_fillers"))


# -------------------------------------------------------------------------------------- messages
def validate_messages(data: Any, file: str = "messages.json") -> dict[str, str]:
    obj(data, file, "<top>")
    out = {}
    for name, row in section(data, "messages", file).items():
        where = f"messages.{name}"
        obj(row, file, where)
        text(row, "source", file, where)
        out[name] = text(row, "text", file, where)
    return out


# ------------------------------------------------------------------------------------- accessors
@lru_cache(maxsize=1)
def penalties() -> Penalties:
    """The packaged penalty catalogue (``data/penalties.json``)."""
    return validate_penalties(read_packaged("penalties.json"))


@lru_cache(maxsize=1)
def modals() -> Modals:
    """The packaged modal verbs (``data/modals.json``)."""
    return validate_modals(read_packaged("modals.json"))


@lru_cache(maxsize=1)
def units() -> Units:
    """The packaged units and bound words (``data/units.json``)."""
    return validate_units(read_packaged("units.json"))


@lru_cache(maxsize=1)
def comparison() -> Comparison:
    """The packaged comparison vocabulary (``data/comparison.json``)."""
    return validate_comparison(read_packaged("comparison.json"))


@lru_cache(maxsize=1)
def kind_rules() -> KindRules:
    """The packaged kind-inference patterns and reasons (``data/kind_rules.json``)."""
    return validate_kind_rules(read_packaged("kind_rules.json"))


@lru_cache(maxsize=1)
def regions() -> dict[str, Region]:
    """Province short name -> :class:`Region` (``data/regions.json``), in table order."""
    return validate_regions(read_packaged("regions.json"))


@lru_cache(maxsize=1)
def city_index() -> dict[str, str]:
    """City (设区的市) -> its province's short name."""
    return {c: r.name for r in regions().values() for c in r.cities}


def municipalities() -> tuple[str, ...]:
    """The 直辖市 (short names)."""
    return tuple(r.name for r in regions().values() if r.type == "municipality")


def province_alternation() -> str:
    """The provincial-level short names as a regex alternation (北京|天津|…)."""
    return _alternation(tuple(regions()))


@lru_cache(maxsize=1)
def regional_scope() -> dict[str, tuple[str, ...]]:
    """Superior laws that apply only in some provinces (``data/regional_scope.json``): name -> provinces."""
    return validate_regional_scope(read_packaged("regional_scope.json"))


def applies_in(law_name: str, province: str) -> bool:
    """Whether a law applies in ``province`` (short name): False only for a law of regional_scope.json
    whose regions do not include it."""
    scope = regional_scope().get(law_name.removeprefix("中华人民共和国"))
    return scope is None or province in scope


@lru_cache(maxsize=1)
def severities() -> Severities:
    """The packaged severities and weights (``data/severities.json``)."""
    return validate_severities(read_packaged("severities.json"))


@lru_cache(maxsize=1)
def _confidence() -> dict[str, dict[str, Any]]:
    return validate_confidence(read_packaged("confidence.json"))


def confidence(group: str) -> dict[str, Any]:
    """The confidence numbers of one check (``data/confidence.json``)."""
    table = _confidence()
    if group not in table:
        raise ValueError(f"unknown confidence group {group!r}; use one of: {', '.join(table)}")
    return table[group]


@lru_cache(maxsize=1)
def reference_rules() -> ReferenceRules:
    """The references check's facts (``data/reference_rules.json``)."""
    return validate_reference_rules(read_packaged("reference_rules.json"))


@lru_cache(maxsize=1)
def _messages() -> dict[str, str]:
    return validate_messages(read_packaged("messages.json"))


def message(name: str, **fields: Any) -> str:
    """The finding wording ``name`` (``data/messages.json``) with ``fields`` filled in."""
    table = _messages()
    if name not in table:
        raise ValueError(f"unknown message {name!r}; see data/messages.json")
    return table[name].format(**fields) if fields else table[name]


#: file name -> validator, for ``normcheck data validate`` style tooling and the tests.
# ------------------------------------------------------------------------------------ alignment
@dataclass(frozen=True, slots=True)
class AlignmentModel:
    """Logistic model of "this clause restates that provision" (issue 13): p = sigmoid(bias + w . x)
    over the named features; ``threshold`` is the probability from which a pair is compared."""

    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    threshold: float


def validate_alignment(data: Any, file: str = "alignment.json") -> AlignmentModel:
    obj(data, file, "<top>")
    sec = obj(req(data, "model", dict, file, "<top>"), file, "model")
    text(sec, "source", file, "model")
    feats = words(sec, "features", file, "model")
    vecs = {}
    for key in ("weights", "mean", "scale"):
        v = req(sec, key, list, file, "model")
        if len(v) != len(feats) or not all(isinstance(x, (int, float)) for x in v):
            raise bad(file, f"model.{key}", f"needs {len(feats)} numbers, one per feature")
        vecs[key] = tuple(float(x) for x in v)
    if any(x <= 0 for x in vecs["scale"]):
        raise bad(file, "model.scale", "scales must be positive")
    return AlignmentModel(features=feats, weights=vecs["weights"], bias=float(number(sec, "bias", file, "model")),
                          mean=vecs["mean"], scale=vecs["scale"],
                          threshold=number(sec, "threshold", file, "model", 0.0, 1.0))


@lru_cache(maxsize=1)
def alignment_model() -> AlignmentModel:
    """The packaged alignment model (``data/alignment.json``)."""
    return validate_alignment(read_packaged("alignment.json"))


VALIDATORS = {
    "alignment.json": validate_alignment,
    "penalties.json": validate_penalties,
    "modals.json": validate_modals,
    "units.json": validate_units,
    "comparison.json": validate_comparison,
    "kind_rules.json": validate_kind_rules,
    "regions.json": validate_regions,
    "regional_scope.json": validate_regional_scope,
    "severities.json": validate_severities,
    "confidence.json": validate_confidence,
    "reference_rules.json": validate_reference_rules,
    "messages.json": validate_messages,
}
