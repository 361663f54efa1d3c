"""Findings and results, shaped exactly as ``shared/spec/output.md`` (schema_version 1).

Fields may be added; none may be removed or renamed without bumping SCHEMA_VERSION.
"""

from __future__ import annotations

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
