"""The knowledge layer: every legal vocabulary, table and policy number normcheck uses, read from the
validated data files of ``normcheck/data/`` (JSON, each with a ``description`` and rows citing their
source). One loader per file, each cached so a file is read once; bad data raises
``NormcheckError(Code.BAD_DATA)`` (E901) naming the file, the row and the field.

- ``authority.json`` (设定权 rows, fine limits) and ``signals.json`` (signal words): :mod:`.authority`
- ``penalties.json`` penalty types and families · ``modals.json`` modal verbs · ``units.json`` units and
  bounds · ``comparison.json`` condition/exception words and actors · ``kind_rules.json`` kind inference ·
  ``regions.json`` provinces and cities · ``regional_scope.json`` laws of some regions only ·
  ``severities.json`` · ``confidence.json`` ·
  ``reference_rules.json`` · ``messages.json`` finding wording: :mod:`.tables`

Code elsewhere imports these accessors; a legal word in Python outside a docstring or a comment is a
bug (``tests/test_knowledge.py`` greps for them).
"""

from __future__ import annotations

from normcheck.knowledge.authority import (
    ACTS,
    AuthorityTables,
    FineLimit,
    Rule,
    Signals,
    authority_tables,
    load_json,
    signals,
    validate_authority,
    validate_signals,
)
from normcheck.knowledge.tables import (
    VALIDATORS,
    Comparison,
    KindRules,
    Modals,
    Penalties,
    PenaltyType,
    ReferenceRules,
    Region,
    Severities,
    Units,
    applies_in,
    city_index,
    comparison,
    confidence,
    kind_rules,
    message,
    modals,
    municipalities,
    penalties,
    province_alternation,
    reference_rules,
    regional_scope,
    regions,
    severities,
    units,
)

__all__ = [
    "ACTS",
    "VALIDATORS",
    "AuthorityTables",
    "Comparison",
    "FineLimit",
    "KindRules",
    "Modals",
    "Penalties",
    "PenaltyType",
    "ReferenceRules",
    "Region",
    "Rule",
    "Severities",
    "Signals",
    "Units",
    "applies_in",
    "authority_tables",
    "city_index",
    "comparison",
    "confidence",
    "kind_rules",
    "load_json",
    "message",
    "modals",
    "municipalities",
    "penalties",
    "province_alternation",
    "reference_rules",
    "regional_scope",
    "regions",
    "severities",
    "signals",
    "units",
    "validate_all",
    "validate_authority",
    "validate_signals",
]


def validate_all() -> None:
    """Load and validate every packaged table, including the cross-file rule that every penalty type of
    ``signals.json`` is a row of ``penalties.json``; E901 on the first problem."""
    from normcheck.knowledge.schema import bad

    authority_tables()
    sig = signals()
    for fn in (penalties, modals, units, comparison, kind_rules, regions, regional_scope, severities, reference_rules):
        fn()
    confidence("drafting")
    message("compare.fine_wider")
    known = set(penalties().names)
    for i, s in enumerate(sig.acts["penalty"]):
        if s.type not in known:
            raise bad("signals.json", f"penalty[{i}] ({s.type})", "field 'type' is not a row of penalties.json")
