"""What the corpus index covers, and the notes a check gets where it does not (issue 16).

A corpus is a snapshot: the shared LawRefBook copy is of 2025-04-19 (its ``SOURCE.md``), so a law revised
later is judged against its older text, and a check as of a later date can come back clean where it is
not. Each source of the index has a *snapshot date*: the first ISO date of its ``SOURCE.md`` where it
has one, else the newest version date among its files. The build records them in the index's meta
(``source_snapshots``); an older index gets them computed on open.

Two notes (W-coded, in ``Result.notes``), one per cited law:

- ``W120`` (:attr:`normcheck.errors.Code.COVERAGE_AS_OF`): the check's as-of date is later than the
  snapshot of the source the law's newest text comes from — a newer version may exist;
- ``W121`` (:attr:`normcheck.errors.Code.COVERAGE_VERSION`): the document's date is before the law's
  earliest version in the index — the version it cites is missing and the citation was read in a later one.

The fix for both is the same: add the newer (or older) law file as a plain folder with a manifest and
rebuild (README, "Adding a law the corpus lacks").
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from normcheck.errors import Code

__all__ = ["compute_snapshots", "coverage_notes", "law_snapshot", "source_snapshots"]

_ISO = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
_SOURCE_MD = "SOURCE.md"


def _source_md_date(root: Path) -> str | None:
    p = root / _SOURCE_MD if root.is_dir() else root.parent / _SOURCE_MD
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    m = _ISO.search(text)
    return m.group(1) if m else None


def compute_snapshots(con: Any, roots: Iterable[str]) -> dict[str, str | None]:
    """Snapshot date per source root: its SOURCE.md date, else the newest version date of its files.

    ``con`` is a connection (or the corpus's guarded one) to an index with ``versions``/``sources``."""
    newest: dict[str, str] = {}
    rows = con.execute("SELECT s.path, MAX(v.version) FROM versions v JOIN version_sources vs ON vs.version_id = "
                       "v.id JOIN sources s ON s.id = vs.source_id WHERE v.version GLOB '[0-9]*' "
                       "GROUP BY s.path").fetchall()
    roots = [str(r) for r in roots]
    for path, ver in rows:
        root = _root_of(str(path), roots)
        if root is not None and ver and ver > newest.get(root, ""):
            newest[root] = ver
    return {r: _source_md_date(Path(r)) or newest.get(r) for r in roots}


def _root_of(path: str, roots: Sequence[str]) -> str | None:
    hits = [r for r in roots if path == r or path.startswith(r.rstrip("/") + "/")]
    return max(hits, key=len) if hits else None


_CACHE: dict[tuple[int, str], dict[str, str | None]] = {}


def source_snapshots(corpus: Any) -> dict[str, str | None]:
    """Snapshot date per source of a built index (recorded at build, else computed now); {} for a
    corpus that is not a built index (a test's in-memory corpus)."""
    meta = getattr(corpus, "meta", None)
    if not isinstance(meta, dict):
        return {}
    if meta.get("source_snapshots"):
        try:
            data = json.loads(meta["source_snapshots"])
            if isinstance(data, dict):
                return {str(k): (str(v) if v else None) for k, v in data.items()}
        except ValueError:
            pass
    key = (id(corpus), str(getattr(corpus, "path", "")))
    if key not in _CACHE:
        try:
            roots = json.loads(meta.get("sources") or "[]")
            _CACHE[key] = compute_snapshots(corpus._con, roots)
        except (ValueError, AttributeError, sqlite3.Error):
            _CACHE[key] = {}
    return _CACHE[key]


def law_snapshot(corpus: Any, law_id: str) -> str | None:
    """The snapshot date of the source the law's newest version comes from (the newest snapshot of
    any source for a law listed without a file); None when unknown."""
    snaps = source_snapshots(corpus)
    if not snaps:
        return None
    dated = [d for d in snaps.values() if d]
    versions = corpus.versions(law_id)
    if not versions:
        return max(dated) if dated else None
    try:
        rows = corpus._con.execute(
            "SELECT s.path FROM versions v JOIN version_sources vs ON vs.version_id = v.id JOIN sources s ON "
            "s.id = vs.source_id WHERE v.law_id = ? AND v.version = ?", (law_id, versions[-1].version)).fetchall()
    except (AttributeError, sqlite3.Error):
        rows = []
    found = [snaps.get(_root_of(str(p), list(snaps)) or "") for (p,) in rows]
    found_d = [d for d in found if d]
    if found_d:
        return max(found_d)
    return max(dated) if dated else None


def coverage_notes(resolutions: Sequence[Any], corpus: Any, *, as_of: str) -> list[str]:
    """W120/W121 notes, one per cited law at most per code, for the pipeline's ``Result.notes``.

    ``resolutions``: the resolution stage's output (``normcheck.resolve.Resolution`` or None each).
    Call it after ``resolve_citations``: ``notes.extend(coverage_notes(ctx.resolutions, corpus, as_of=…))``.
    """
    if corpus is None:
        return []
    out: list[str] = []
    seen: set[tuple[str, str]] = set()
    for res in resolutions:
        law = getattr(res, "law", None)
        if res is None or law is None or getattr(res, "status", "") != "resolved":
            continue
        snap = law_snapshot(corpus, law.id)
        if snap and as_of > snap and (law.id, "as_of") not in seen and not law.repealed_on:
            seen.add((law.id, "as_of"))
            out.append(f"[{Code.COVERAGE_AS_OF.value}] 《{law.name}》: the corpus text comes from a snapshot of "
                       f"{snap}, the check is as of {as_of}: a later version may exist and was not checked; add it "
                       f"as a plain folder with a manifest and rebuild (`normcheck corpus build`)")
        cited_on = getattr(res, "cited_on", "")
        if not cited_on or cited_on == as_of or (law.id, "early") in seen:
            continue
        versions = [v for v in corpus.versions(law.id) if v.version[:1].isdigit()]
        if not versions:
            continue
        first = versions[0]
        start = first.valid_from or first.published or first.version
        if cited_on < start and not (law.repealed_on and law.repealed_on <= cited_on):
            seen.add((law.id, "early"))
            out.append(f"[{Code.COVERAGE_VERSION.value}] 《{law.name}》: the document speaks from {cited_on}, but "
                       f"the corpus's earliest version is {first.version} (in force from {start}): the version it "
                       f"cites is missing and the citation was checked against a later text; add the older version "
                       f"and rebuild")
    return out
