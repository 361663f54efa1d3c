"""What reports show: ``--min-severity`` / ``--min-confidence`` (default: every finding).

The JSONL always carries every finding (it is the contract and the batch journal); CSV, HTML and
Word reports show the findings this filter keeps and say so when it leaves any out.
"""

from __future__ import annotations

from dataclasses import dataclass

from normcheck.types.findings import Finding, Result, Severity

_ORDER = {Severity.LOW: 0, Severity.MEDIUM: 1, Severity.HIGH: 2}


@dataclass(frozen=True, slots=True)
class ReportFilter:
    """Keep findings with severity >= ``min_severity`` and confidence >= ``min_confidence``."""

    min_severity: Severity | None = None
    min_confidence: float | None = None

    @classmethod
    def parse(cls, min_severity: str | None = None, min_confidence: float | str | None = None) -> ReportFilter:
        """From option values. Raises ValueError [E205] naming the valid values."""
        sev = None
        if min_severity is not None:
            try:
                sev = Severity(str(min_severity).strip().lower())
            except ValueError:
                raise ValueError(f"[E205] --min-severity must be one of: high, medium, low; got {min_severity!r}"
                                 ) from None
        conf = None
        if min_confidence is not None:
            try:
                conf = float(min_confidence)
            except ValueError:
                conf = -1.0
            if not 0.0 <= conf <= 1.0:
                raise ValueError(f"[E205] --min-confidence must be a number from 0 to 1; got {min_confidence!r}")
        return cls(sev, conf)

    @property
    def active(self) -> bool:
        return self.min_severity is not None or self.min_confidence is not None

    def keep(self, f: Finding) -> bool:
        if self.min_severity is not None and _ORDER[f.severity] < _ORDER[self.min_severity]:
            return False
        return self.min_confidence is None or float(f.confidence) + 1e-9 >= self.min_confidence

    def kept(self, result: Result) -> set[int]:
        """Indices of ``result.findings`` this filter keeps."""
        return {i for i, f in enumerate(result.findings) if self.keep(f)}

    def describe(self) -> str:
        """The filter in words (empty when it keeps everything)."""
        from normcheck.report.labels import severity_label

        parts = []
        if self.min_severity is not None:
            parts.append(f"严重程度不低于“{severity_label(self.min_severity.value)}”")
        if self.min_confidence is not None:
            parts.append(f"置信度不低于{self.min_confidence:.2f}")
        return "、".join(parts)


ALL = ReportFilter()
