"""The check registry. A check is a plain function ``(CheckContext) -> list[Finding]``.

Register with :func:`register`; users add or disable checks by name (``check(..., checks=[...])``).
Check modules register themselves on import; :func:`load_builtin` imports them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from normcheck.types.document import Document
from normcheck.types.findings import Finding
from normcheck.types.law import Level


@dataclass(slots=True)
class CheckContext:
    """Everything a check may look at. ``corpus`` is a ``CorpusAPI`` or None (no corpus given)."""

    document: Document
    kind: Level | None
    as_of: str
    region: str | None
    corpus: Any = None
    citations: list[Any] = field(default_factory=list)  # the citation stage (normcheck.cite)
    resolutions: list[Any] = field(default_factory=list)  # the resolution stage, one per citation (or None)
    cache: dict[str, Any] = field(default_factory=dict)  # shared between checks of one run
    models: Any = None  # normcheck.ml.plug.Models or None: optional learned hooks, OFF unless given (issue 12)


CheckFn = Callable[[CheckContext], list[Finding]]

REGISTRY: dict[str, CheckFn] = {}

#: Modules that hold the built-in checks, imported lazily by load_builtin().
BUILTIN_MODULES = (
    "normcheck.checks.drafting",
    "normcheck.checks.references",
    "normcheck.checks.authority.check",
    "normcheck.checks.authority.burdens",
    "normcheck.checks.consistency.check",
)


def register(name: str) -> Callable[[CheckFn], CheckFn]:
    def deco(fn: CheckFn) -> CheckFn:
        REGISTRY[name] = fn
        return fn

    return deco


def load_builtin() -> dict[str, CheckFn]:
    for mod in BUILTIN_MODULES:
        try:
            importlib.import_module(mod)
        except ModuleNotFoundError as exc:  # an area not yet built
            if exc.name != mod:
                raise
    return REGISTRY


def _subsumes(a: Finding, b: Finding) -> bool:
    """``a`` (a specific legality finding) says what ``b`` (the authority table's generic "增加义务" row on the
    same clause) says, with its basis searched: ``b`` only repeats it."""
    return (a.rule == "legality" and b.rule == "authority" and a.type == b.type and a.clause == b.clause
            and str((b.details or {}).get("table_row", "")).startswith("obligation.")
            and a.start < b.end and b.start < a.end)


def merge_findings(findings: list[Finding]) -> list[Finding]:
    """Drop findings another check's finding already covers (one problem, one finding, for the reviewer)."""
    return [b for b in findings if not any(a is not b and _subsumes(a, b) for a in findings)]
