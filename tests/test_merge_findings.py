"""One problem, one finding: the authority table's generic 增加义务 finding on a clause is dropped when the
legality check reports the same problem on it with its basis searched (the sample draft's 保证金 clause had
both, and the 审查意见 listed the problem twice)."""

from __future__ import annotations

from normcheck.checks import merge_findings
from normcheck.types.findings import Finding, FindingType, Severity


def _f(rule: str, start: int, end: int, *, clause: str = "第五条", row: str = "obligation.local_rule",
       type_: FindingType = FindingType.RIGHTS_OBLIGATIONS) -> Finding:
    return Finding(type=type_, clause=clause, start=start, end=end, severity=Severity.MEDIUM, confidence=0.5,
                   message="m", basis="b", rule=rule, details={"table_row": row} if rule == "authority" else {})


def test_generic_obligation_dropped_under_a_legality_finding() -> None:
    generic, specific = _f("authority", 10, 40), _f("legality", 30, 37)
    assert merge_findings([generic, specific]) == [specific]


def test_kept_when_clause_type_span_or_row_differ() -> None:
    legal = _f("legality", 30, 37)
    others = [_f("authority", 10, 40, clause="第六条"), _f("authority", 40, 50),
              _f("authority", 10, 40, row="license.municipal_rule"),
              _f("authority", 10, 40, type_=FindingType.LICENSE_SETTING)]
    assert merge_findings([legal, *others]) == [legal, *others]
