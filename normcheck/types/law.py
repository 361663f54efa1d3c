"""Reference data about laws: levels (document kinds), laws, versions, articles. Frozen."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Level(str, Enum):
    """Document kinds / levels of the hierarchy (domain.md §2). Values are the codes."""

    CONSTITUTION = "constitution"
    LAW = "law"
    ADMINISTRATIVE_REGULATION = "administrative_regulation"
    LOCAL_REGULATION = "local_regulation"
    MUNICIPAL_REGULATION = "municipal_regulation"
    AUTONOMOUS_REGULATION = "autonomous_regulation"
    DEPARTMENT_RULE = "department_rule"
    PROVINCIAL_RULE = "provincial_rule"
    MUNICIPAL_RULE = "municipal_rule"
    NORMATIVE_DOCUMENT = "normative_document"
    JUDICIAL_INTERPRETATION = "judicial_interpretation"
    OTHER = "other"  # cases and anything the corpus holds that is not a norm

    @property
    def chinese(self) -> str:
        return _CHINESE[self]

    @property
    def rank(self) -> int:
        """Smaller is higher in the hierarchy (for ordering; not a full partial order)."""
        return _RANK[self]

    @classmethod
    def parse(cls, value: str | Level) -> Level:
        """Accept a code or any Chinese alias. Raises ``ValueError`` listing the valid options."""
        if isinstance(value, Level):
            return value
        v = value.strip()
        try:
            return cls(v.lower())
        except ValueError:
            pass
        if v in _ALIASES:
            return _ALIASES[v]
        options = ", ".join(f"{k.value} ({k.chinese})" for k in cls if k is not cls.OTHER)
        raise ValueError(f"[E201] unknown document kind {value!r}; use one of: {options}")


_CHINESE = {
    Level.CONSTITUTION: "宪法",
    Level.LAW: "法律",
    Level.ADMINISTRATIVE_REGULATION: "行政法规",
    Level.LOCAL_REGULATION: "地方性法规",
    Level.MUNICIPAL_REGULATION: "设区的市地方性法规",
    Level.AUTONOMOUS_REGULATION: "自治条例和单行条例",
    Level.DEPARTMENT_RULE: "部门规章",
    Level.PROVINCIAL_RULE: "省级政府规章",
    Level.MUNICIPAL_RULE: "设区的市政府规章",
    Level.NORMATIVE_DOCUMENT: "行政规范性文件",
    Level.JUDICIAL_INTERPRETATION: "司法解释",
    Level.OTHER: "其他",
}
_ALIASES = {
    **{v: k for k, v in _CHINESE.items()},
    "省级地方性法规": Level.LOCAL_REGULATION,
    "地方法规": Level.LOCAL_REGULATION,
    "设区的市法规": Level.MUNICIPAL_REGULATION,
    "自治条例": Level.AUTONOMOUS_REGULATION,
    "单行条例": Level.AUTONOMOUS_REGULATION,
    "规章": Level.DEPARTMENT_RULE,
    "省政府规章": Level.PROVINCIAL_RULE,
    "地方政府规章": Level.PROVINCIAL_RULE,
    "市政府规章": Level.MUNICIPAL_RULE,
    "规范性文件": Level.NORMATIVE_DOCUMENT,
    "其他规范性文件": Level.NORMATIVE_DOCUMENT,
    "行政规范性文件（其他规范性文件）": Level.NORMATIVE_DOCUMENT,
    "案例": Level.OTHER,
}
_RANK = {
    Level.CONSTITUTION: 0,
    Level.LAW: 1,
    Level.ADMINISTRATIVE_REGULATION: 2,
    Level.JUDICIAL_INTERPRETATION: 2,
    Level.LOCAL_REGULATION: 3,
    Level.AUTONOMOUS_REGULATION: 3,
    Level.DEPARTMENT_RULE: 4,
    Level.MUNICIPAL_REGULATION: 4,
    Level.PROVINCIAL_RULE: 4,
    Level.MUNICIPAL_RULE: 5,
    Level.NORMATIVE_DOCUMENT: 6,
    Level.OTHER: 9,
}


_NATIONAL = (Level.CONSTITUTION, Level.LAW, Level.ADMINISTRATIVE_REGULATION)


def superior_levels(kind: Level) -> tuple[list[Level], list[Level], list[Level]]:
    """For a document ``kind``: (national levels above it, province-level levels of its own
    region above it, city-level levels of its own city above it) — domain.md §2.

    The hierarchy rule, shared by the corpus (``Corpus.superior_laws``) and retrieval
    (``checks.consistency.retrieve``); it lives here so that neither imports the other."""
    k = Level.parse(kind)
    if k is Level.CONSTITUTION:
        return [], [], []
    if k is Level.LAW:
        return [Level.CONSTITUTION], [], []
    if k in (Level.ADMINISTRATIVE_REGULATION, Level.JUDICIAL_INTERPRETATION):
        return [Level.CONSTITUTION, Level.LAW], [], []
    if k in (Level.DEPARTMENT_RULE, Level.LOCAL_REGULATION, Level.AUTONOMOUS_REGULATION):
        return list(_NATIONAL), [], []
    if k in (Level.MUNICIPAL_REGULATION, Level.PROVINCIAL_RULE):
        return list(_NATIONAL), [Level.LOCAL_REGULATION, Level.AUTONOMOUS_REGULATION], []
    if k is Level.MUNICIPAL_RULE:
        return (list(_NATIONAL), [Level.LOCAL_REGULATION, Level.AUTONOMOUS_REGULATION, Level.PROVINCIAL_RULE],
                [Level.MUNICIPAL_REGULATION])
    if k is Level.NORMATIVE_DOCUMENT:
        return ([*_NATIONAL, Level.DEPARTMENT_RULE],
                [Level.LOCAL_REGULATION, Level.AUTONOMOUS_REGULATION, Level.PROVINCIAL_RULE],
                [Level.MUNICIPAL_REGULATION, Level.MUNICIPAL_RULE])
    return list(_NATIONAL), [], []


class Status(str, Enum):
    IN_FORCE = "in_force"
    AMENDED = "amended"  # superseded by a later version of the same law
    REPEALED = "repealed"
    NOT_YET = "not_yet_in_force"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Law:
    """A law as an abstract work across its versions."""

    id: str
    name: str  # canonical full name, e.g. 中华人民共和国行政处罚法
    level: Level
    region: str = ""  # "" for national
    issuer: str = ""
    aliases: tuple[str, ...] = ()
    repealed_on: str | None = None
    successor: str | None = None  # canonical name of the law that replaced it
    source: str = ""  # where the facts come from


@dataclass(frozen=True, slots=True)
class LawVersion:
    """One version (text) of a law. Dates are ISO strings; ``valid_to`` is exclusive."""

    law_id: str
    version: str  # the version date as in the corpus file name, e.g. 2021-01-22
    published: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    status: Status = Status.UNKNOWN
    path: str = ""


@dataclass(frozen=True, slots=True)
class Article:
    """One article of one law version."""

    law_id: str
    version: str
    number: int
    suffix: int = 0
    label: str = ""  # 第十条之一
    text: str = ""  # the article's text without its label
    paragraphs: tuple[str, ...] = field(default=())
    chapter: str = ""
