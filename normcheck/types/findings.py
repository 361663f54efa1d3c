"""Findings and results, shaped exactly as ``shared/spec/output.md`` (schema_version 1).

Fields may be added; none may be removed or renamed without bumping SCHEMA_VERSION.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any

SCHEMA_VERSION = 1


class FindingType(str, Enum):
    OUTDATED_REFERENCE = "outdated_reference"
    INVALID_REFERENCE = "invalid_reference"
    PENALTY_SETTING = "penalty_setting"
    LICENSE_SETTING = "license_setting"
    COMPULSION_SETTING = "compulsion_setting"
    RESERVED_MATTER = "reserved_matter"
    RIGHTS_OBLIGATIONS = "rights_obligations"
    INCONSISTENT_WITH_SUPERIOR = "inconsistent_with_superior"
    FEE_SETTING = "fee_setting"
    DRAFTING = "drafting"


class Severity(str, Enum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


@dataclass(frozen=True, slots=True)
class Evidence:
    """A superior provision (or the document's own text) that a finding rests on."""

    law: str
    version: str | None
    article: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Evidence:
        return cls(law=str(d.get("law") or ""), version=d.get("version"), article=str(d.get("article") or ""),
                   text=str(d.get("text") or ""))


@dataclass(slots=True)
class Finding:
    type: FindingType
    clause: str | None  # clause ID, or None for document-level findings
    start: int
    end: int
    severity: Severity
    confidence: float
    message: str
    basis: str
    evidence: list[Evidence] = field(default_factory=list)
    rule: str = ""  # which check produced it (registry name), e.g. "references.outdated"
    details: dict[str, Any] = field(default_factory=dict)  # check-specific extras

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "type": self.type.value,
            "clause": self.clause,
            "start": self.start,
            "end": self.end,
            "severity": self.severity.value,
            "confidence": round(float(self.confidence), 4),
            "message": self.message,
            "basis": self.basis,
            "evidence": [e.to_dict() for e in self.evidence],
        }
        if self.rule:
            d["rule"] = self.rule
        if self.details:
            d["details"] = self.details
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Finding:
        """The inverse of :meth:`to_dict` (a jsonl finding back to a Finding). Raises ValueError for an
        unknown type or severity."""
        return cls(type=FindingType(d["type"]), clause=d.get("clause"), start=int(d.get("start") or 0),
                   end=int(d.get("end") or 0), severity=Severity(d["severity"]),
                   confidence=float(d.get("confidence") or 0.0), message=str(d.get("message") or ""),
                   basis=str(d.get("basis") or ""),
                   evidence=[Evidence.from_dict(e) for e in d.get("evidence") or []],
                   rule=str(d.get("rule") or ""), details=dict(d.get("details") or {}))


@dataclass(slots=True)
class ClauseResult:
    id: str
    article: int | None
    paragraph: int | None
    item: int | None
    text: str
    start: int
    end: int
    score: float = 0.0
    rank: int = 0
    subitem: int | None = None
    article_suffix: int = 0
    #: Indices into ``Result.findings`` of the findings that concern this clause and entered its score,
    #: set by ``normcheck.rank.score`` (None: not placed yet, e.g. just read back from JSON). Not part
    #: of the jsonl object.
    findings: list[int] | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "article": self.article,
            "paragraph": self.paragraph,
            "item": self.item,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "score": round(float(self.score), 4),
            "rank": self.rank,
        }
        if self.subitem is not None:
            d["subitem"] = self.subitem
        if self.article_suffix:
            d["article_suffix"] = self.article_suffix
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> ClauseResult:
        return cls(id=str(d["id"]), article=d.get("article"), paragraph=d.get("paragraph"), item=d.get("item"),
                   text=str(d.get("text") or ""), start=int(d.get("start") or 0), end=int(d.get("end") or 0),
                   score=float(d.get("score") or 0.0), rank=int(d.get("rank") or 0), subitem=d.get("subitem"),
                   article_suffix=int(d.get("article_suffix") or 0))


@dataclass(slots=True)
class DocumentInfo:
    path: str | None
    title: str
    kind: str | None
    kind_inferred: bool
    as_of: str
    region: str | None
    sha256: str
    kind_reason: str = ""
    date: str | None = None  # the document's own date, when it could be read

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "path": self.path,
            "title": self.title,
            "kind": self.kind,
            "kind_inferred": self.kind_inferred,
            "as_of": self.as_of,
            "region": self.region,
            "sha256": self.sha256,
        }
        if self.kind_reason:
            d["kind_reason"] = self.kind_reason
        if self.date:
            d["date"] = self.date
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> DocumentInfo:
        return cls(path=d.get("path"), title=str(d.get("title") or ""), kind=d.get("kind"),
                   kind_inferred=bool(d.get("kind_inferred")), as_of=str(d.get("as_of") or ""),
                   region=d.get("region"), sha256=str(d.get("sha256") or ""),
                   kind_reason=str(d.get("kind_reason") or ""), date=d.get("date"))


@dataclass(slots=True)
class Result:
    """One document's result: the jsonl object of the spec via :meth:`to_dict`."""

    document: DocumentInfo
    clauses: list[ClauseResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    error: dict[str, str] | None = None
    priority: float = 0.0  # document-level attention, for batches
    notes: list[str] = field(default_factory=list)  # skipped checks, missing corpus, inferred facts

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "document": self.document.to_dict(),
            "clauses": [c.to_dict() for c in self.clauses],
            "findings": [f.to_dict() for f in self.findings],
            "error": self.error,
            "priority": round(float(self.priority), 4),
            "notes": list(self.notes),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Result:
        """The inverse of :meth:`to_dict`: ``Result.from_dict(r.to_dict()).to_dict() == r.to_dict()``.

        Keys this version does not know are ignored. The findings are not yet placed on clauses
        (``placed`` is False until ``normcheck.rank.score.place`` runs; ``report.jsonl.load_result``
        does both).
        """
        if d.get("schema_version", SCHEMA_VERSION) != SCHEMA_VERSION:
            raise ValueError(f"schema_version {d.get('schema_version')!r} is not {SCHEMA_VERSION}, the version "
                             "this normcheck reads; re-run the check with this version")
        err = d.get("error")
        return cls(document=DocumentInfo.from_dict(d.get("document") or {}),
                   clauses=[ClauseResult.from_dict(c) for c in d.get("clauses") or []],
                   findings=[Finding.from_dict(f) for f in d.get("findings") or []],
                   error={str(k): str(v) for k, v in err.items()} if err else None,
                   priority=float(d.get("priority") or 0.0), notes=[str(n) for n in d.get("notes") or []])

    @property
    def placed(self) -> bool:
        """Whether rank has placed the findings on clauses (every clause's ``findings`` is set)."""
        return all(c.findings is not None for c in self.clauses)

    def findings_by_section(self) -> tuple[list[int], dict[str, list[int]]]:
        """Each finding once, for reports: (document-level finding indices, {clause id: indices shown there}).

        A finding is shown at the first clause (in document order) that rank placed it on; one placed
        on no clause is document-level. Raises ValueError when the findings are not placed.
        """
        if not self.placed:
            raise ValueError("the findings are not placed on clauses; call normcheck.rank.score.place(result) "
                             "(normcheck.report.jsonl.load_result does it for jsonl objects)")
        home: dict[int, ClauseResult] = {}
        for c in sorted(self.clauses, key=lambda c: (c.start, c.end)):
            for i in c.findings or []:
                home.setdefault(i, c)
        per: dict[str, list[int]] = {}
        loose: list[int] = []
        for i in range(len(self.findings)):
            if i in home:
                per.setdefault(home[i].id, []).append(i)
            else:
                loose.append(i)
        return loose, per
