"""The 设定权 tables (``data/authority.json``) and signal words (``data/signals.json``): loaded once,
validated, compiled. Bad data raises ``NormcheckError(Code.BAD_DATA)`` (E901) naming file, row and field.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from normcheck.errors import Code, NormcheckError
from normcheck.knowledge.schema import bad as _bad
from normcheck.knowledge.schema import req as _req
from normcheck.types.findings import Severity
from normcheck.types.law import Level

#: Act families the analyser reports and the tables rule on.
ACTS = ("penalty", "license", "compulsion", "reserved", "obligation", "fee")
OUTCOMES = ("allowed", "limited", "conditional", "forbidden")
SEVERITIES = tuple(s.value for s in Severity)
_ISSUERS = {lv.value for lv in Level} | {"*"}
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class Rule:
    """One row of the 设定权 table: ``issuers`` × ``act``/``types`` -> ``outcome``, citing an article."""

    id: str
    act: str
    types: tuple[str, ...]
    issuers: tuple[str, ...]
    outcome: str
    law: str  # short name, a key of ``AuthorityTables.laws``
    article: int  # 0 = a document without articles (e.g. 国办发〔2018〕37号)
    severity: str
    note: str
    paragraph: int = 0
    article_before: int = 0  # number in the version before the law's ``changed_on`` date

    def matches(self, act: str, type_: str, issuer: str) -> bool:
        return (self.act == act and ("*" in self.types or type_ in self.types)
                and ("*" in self.issuers or issuer in self.issuers))

    def basis(self, as_of: str | None = None, changed_on: str | None = None) -> str:
        """``行政处罚法第十四条`` (the number in force on ``as_of``)."""
        from normcheck.text.numerals import int_to_cn

        if not self.article:
            return self.law
        n = self.article_number(as_of, changed_on)
        out = f"{self.law}第{int_to_cn(n)}条"
        if self.paragraph:
            out += f"第{int_to_cn(self.paragraph)}款"
        return out

    def article_number(self, as_of: str | None, changed_on: str | None) -> int:
        if self.article_before and changed_on and as_of and as_of < changed_on:
            return self.article_before
        return self.article


@dataclass(frozen=True, slots=True)
class FineLimit:
    """A provincial standing committee's cap on fines set by government rules (行政处罚法第十四条第二款)."""

    region: str
    general: int
    special: int
    special_matters: str
    valid_from: str
    basis: str
    source: str


@dataclass(frozen=True, slots=True)
class AuthorityTables:
    rules: tuple[Rule, ...]
    laws: dict[str, dict[str, str]]  # short name -> {"name": full name, "changed_on": date}
    fine_limits: tuple[FineLimit, ...]

    def rule_for(self, act: str, type_: str, issuer: Level | str) -> Rule | None:
        """The first row that decides ``act``/``type_`` for ``issuer`` (None if no row applies)."""
        code = issuer.value if isinstance(issuer, Level) else issuer
        for rule in self.rules:
            if rule.matches(act, type_, code):
                return rule
        return None

    def fine_limit(self, region: str | None, as_of: str) -> FineLimit | None:
        """The fine limit in force for ``region`` on ``as_of`` (the latest that had started)."""
        if not region:
            return None
        best: FineLimit | None = None
        for lim in self.fine_limits:
            if lim.region == region and lim.valid_from <= as_of and (best is None or lim.valid_from > best.valid_from):
                best = lim
        return best


@dataclass(frozen=True, slots=True)
class Signal:
    type: str
    pattern: re.Pattern[str]
    basis: str


@dataclass(frozen=True, slots=True)
class Signals:
    acts: dict[str, tuple[Signal, ...]]  # act family -> signals
    refer: tuple[re.Pattern[str], ...]
    refer_near: tuple[re.Pattern[str], ...]
    defer: tuple[re.Pattern[str], ...]
    negate: tuple[re.Pattern[str], ...]
    impose: tuple[re.Pattern[str], ...] = ()
    describe: tuple[re.Pattern[str], ...] = ()
    # penalty, compulsion and reserved matters only (issue 14): whether the clause *sets* the measure as a reviewer
    # reads it — the sub-clause refers to law (依法…), a prohibition governs it, a court or criminal procedure is
    # its subject, it qualifies a noun, or it is the topic of a rule presupposing it; clause kinds that describe
    # (purpose, scope, definition) and list items of 下列行为/情形
    refer_sub: tuple[re.Pattern[str], ...] = ()
    prohibit: tuple[re.Pattern[str], ...] = ()
    judicial: tuple[re.Pattern[str], ...] = ()
    describe_after: tuple[re.Pattern[str], ...] = ()
    topic: tuple[re.Pattern[str], ...] = ()
    topic_next: tuple[re.Pattern[str], ...] = ()
    clause_describes: tuple[re.Pattern[str], ...] = ()
    list_describes: tuple[re.Pattern[str], ...] = ()


#: Optional signal groups (absent = empty).
OPTIONAL_GROUPS = ("refer_sub", "prohibit", "judicial", "describe_after", "topic", "topic_next", "clause_describes",
                   "list_describes")


def validate_authority(data: Any, file: str = "authority.json") -> AuthorityTables:
    """Check and convert the raw authority table; E901 on any problem."""
    if not isinstance(data, dict):
        raise _bad(file, "<top>", "expected a JSON object")
    laws = _req(data, "laws", dict, file, "<top>")
    for key, val in laws.items():
        if not isinstance(val, dict) or not isinstance(val.get("name"), str):
            raise _bad(file, f"laws.{key}", "expected {'name': str, 'changed_on'?: date}")
        if "changed_on" in val and not _DATE_RE.match(str(val["changed_on"])):
            raise _bad(file, f"laws.{key}", "changed_on must be YYYY-MM-DD")
    rules: list[Rule] = []
    seen: set[str] = set()
    for i, row in enumerate(_req(data, "rules", list, file, "<top>")):
        where = f"rules[{i}]"
        if not isinstance(row, dict):
            raise _bad(file, where, "expected an object")
        rid = _req(row, "id", str, file, where)
        where = f"rules[{i}] ({rid})"
        if rid in seen:
            raise _bad(file, where, "duplicate id")
        seen.add(rid)
        act = _req(row, "act", str, file, where)
        if act not in ACTS:
            raise _bad(file, where, f"act {act!r} is not one of {', '.join(ACTS)}")
        types = _req(row, "types", list, file, where)
        issuers = _req(row, "issuers", list, file, where)
        if not types or not all(isinstance(t, str) for t in types):
            raise _bad(file, where, "types must be a non-empty list of strings")
        bad_iss = [x for x in issuers if x not in _ISSUERS]
        if not issuers or bad_iss:
            raise _bad(file, where, f"unknown issuer {bad_iss[:1]}; use level codes or '*'")
        outcome = _req(row, "outcome", str, file, where)
        if outcome not in OUTCOMES:
            raise _bad(file, where, f"outcome {outcome!r} is not one of {', '.join(OUTCOMES)}")
        severity = _req(row, "severity", str, file, where)
        if severity not in SEVERITIES:
            raise _bad(file, where, f"severity {severity!r} is not one of {', '.join(SEVERITIES)}")
        law = _req(row, "law", str, file, where)
        if law not in laws:
            raise _bad(file, where, f"law {law!r} is not listed under 'laws'")
        article = _req(row, "article", int, file, where)
        if article < 0:
            raise _bad(file, where, "article must be >= 0")
        rules.append(Rule(id=rid, act=act, types=tuple(types), issuers=tuple(issuers), outcome=outcome,
                          law=law, article=article, severity=severity,
                          note=_req(row, "note", str, file, where),
                          paragraph=int(row.get("paragraph", 0)), article_before=int(row.get("article_before", 0))))
    limits: list[FineLimit] = []
    for i, row in enumerate(data.get("fine_limits", [])):
        where = f"fine_limits[{i}]"
        if not isinstance(row, dict):
            raise _bad(file, where, "expected an object")
        general = _req(row, "general", int, file, where)
        special = _req(row, "special", int, file, where)
        if general <= 0 or special < general:
            raise _bad(file, where, "need 0 < general <= special")
        valid_from = _req(row, "valid_from", str, file, where)
        if not _DATE_RE.match(valid_from):
            raise _bad(file, where, "valid_from must be YYYY-MM-DD")
        limits.append(FineLimit(region=_req(row, "region", str, file, where), general=general, special=special,
                                special_matters=_req(row, "special_matters", str, file, where),
                                valid_from=valid_from, basis=_req(row, "basis", str, file, where),
                                source=_req(row, "source", str, file, where)))
    return AuthorityTables(rules=tuple(rules), laws=laws, fine_limits=tuple(limits))


def _compile(pattern: Any, file: str, where: str) -> re.Pattern[str]:
    if not isinstance(pattern, str) or not pattern:
        raise _bad(file, where, "pattern must be a non-empty string")
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise _bad(file, where, f"bad regular expression: {exc}") from None


def validate_signals(data: Any, file: str = "signals.json") -> Signals:
    """Check and compile the raw signal table; E901 on any problem."""
    if not isinstance(data, dict):
        raise _bad(file, "<top>", "expected a JSON object")
    acts: dict[str, tuple[Signal, ...]] = {}
    for act in ACTS:
        rows = _req(data, act, list, file, "<top>")
        sigs = []
        for i, row in enumerate(rows):
            where = f"{act}[{i}]"
            if not isinstance(row, dict):
                raise _bad(file, where, "expected an object")
            sigs.append(Signal(type=_req(row, "type", str, file, where),
                               pattern=_compile(row.get("pattern"), file, where),
                               basis=_req(row, "basis", str, file, where)))
        acts[act] = tuple(sigs)
    groups = {}
    for key in ("refer", "refer_near", "defer", "negate", "impose", "describe"):
        rows = _req(data, key, list, file, "<top>")
        groups[key] = tuple(_compile(r.get("pattern") if isinstance(r, dict) else None, file, f"{key}[{i}]")
                            for i, r in enumerate(rows))
    for key in OPTIONAL_GROUPS:
        rows = data.get(key, [])
        if not isinstance(rows, list):
            raise _bad(file, key, "expected a list of {'pattern': str, 'note': str}")
        for i, r in enumerate(rows):
            if not isinstance(r, dict) or not isinstance(r.get("note"), str) or not r["note"].strip():
                raise _bad(file, f"{key}[{i}]", "every row needs a pattern and a 'note' saying what it reads")
        groups[key] = tuple(_compile(r.get("pattern"), file, f"{key}[{i}]") for i, r in enumerate(rows))
    return Signals(acts=acts, **groups)


def _read(name: str) -> tuple[Any, str]:
    res = resources.files("normcheck") / "data" / name
    try:
        return json.loads(res.read_text(encoding="utf-8")), name
    except FileNotFoundError:
        raise NormcheckError(Code.BAD_DATA, f"data file {name} is missing from the package; reinstall normcheck",
                             name) from None
    except json.JSONDecodeError as exc:
        raise _bad(name, f"line {exc.lineno}", f"not valid JSON ({exc.msg})") from None


@lru_cache(maxsize=1)
def authority_tables() -> AuthorityTables:
    """The packaged 设定权 table (loaded and validated once)."""
    return validate_authority(*_read("authority.json"))


@lru_cache(maxsize=1)
def signals() -> Signals:
    """The packaged signal words (loaded, validated and compiled once)."""
    return validate_signals(*_read("signals.json"))


def load_json(path: str | Path) -> Any:
    """Read a user-supplied table (for validation or a custom check); E901 on bad JSON."""
    p = Path(path)
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise NormcheckError(Code.BAD_DATA, f"cannot read data file: {exc.strerror}", str(p)) from None
    except json.JSONDecodeError as exc:
        raise _bad(str(p), f"line {exc.lineno}", f"not valid JSON ({exc.msg})") from None
