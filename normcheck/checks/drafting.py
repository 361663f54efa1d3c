"""Check ``drafting``: numbering gaps/duplicates/order, malformed items, missing 施行 date.

Turns :func:`normcheck.structure.segment.drafting_issues` into low-severity findings (basis 立法技术规范).
"""

from __future__ import annotations

from normcheck.checks import CheckContext, register
from normcheck.structure.segment import drafting_issues
from normcheck.types.findings import Finding, FindingType, Severity

BASIS = "立法技术规范"

#: Confidence per issue code: numbering facts are certain; a missing 施行 date may sit elsewhere
#: (e.g. in the issuing notice), so it is less sure.
CONFIDENCE = {
    "numbering_gap": 0.95,
    "numbering_duplicate": 0.95,
    "numbering_order": 0.9,
    "malformed_item": 0.8,
    "missing_effective_date": 0.7,
}


@register("drafting")
def check_drafting(ctx: CheckContext) -> list[Finding]:
    out = []
    for issue in drafting_issues(ctx.document):
        out.append(Finding(
            type=FindingType.DRAFTING,
            clause=issue.clause,
            start=issue.start,
            end=issue.end,
            severity=Severity.LOW,
            confidence=CONFIDENCE.get(issue.code, 0.8),
            message=issue.message,
            basis=BASIS,
            rule=f"drafting.{issue.code}",
        ))
    return out
