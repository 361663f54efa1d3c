"""The workbench's data: one SQLite file with the documents, their results and every decision.

Durability: WAL journal with ``synchronous=FULL``, one transaction per write, committed before the
server answers, so a decision the server acknowledged survives the process being killed
(tests/test_serve_durability.py kills it with SIGKILL mid-write). Decisions are append-only: a new
decision on the same finding supersedes the old one (the latest wins), the history stays.

Each decision records who (``reviewer``) and when (UTC), and what produced the finding: the
normcheck version that ran the check, the check (``rule``) and the model (``details.model`` when a
learned model produced it, else ``rules``).
"""

from __future__ import annotations

import datetime as _dt
import json
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from normcheck.types.findings import FindingType, Severity

SCHEMA_VERSION = 1
ACTIONS = ("accept", "reject", "edit", "add")
#: Document states: waiting for the worker, being checked, checked, could not be checked.
STATES = ("queued", "running", "done", "error")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    origin TEXT NOT NULL,            -- upload | folder | api
    path TEXT,                       -- the file checked (uploads: under the data folder)
    text TEXT,                       -- the document text as read (the dataset's text)
    kind TEXT, as_of TEXT, region TEXT,
    status TEXT NOT NULL,
    result TEXT,                     -- the spec/output.md object (JSON)
    priority REAL NOT NULL DEFAULT 0,
    n_findings INTEGER NOT NULL DEFAULT 0,
    normcheck_version TEXT,
    created TEXT NOT NULL,
    checked TEXT
);
CREATE TABLE IF NOT EXISTS decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id TEXT NOT NULL REFERENCES documents(id),
    finding INTEGER,                 -- index into the result's findings; NULL for an added problem
    action TEXT NOT NULL,            -- accept | reject | edit | add
    type TEXT NOT NULL,              -- the finding type (after an edit, the edited type)
    clause TEXT,
    reason TEXT,                     -- why rejected (required), or a note
    edit TEXT,                       -- JSON: the edited / added fields (message, severity, type, basis)
    reviewer TEXT NOT NULL,
    at TEXT NOT NULL,                -- UTC, ISO 8601
    normcheck_version TEXT,          -- the version that produced the finding
    rule TEXT,                       -- the check that produced it
    model TEXT,                      -- the model behind it ("rules" for rule-based checks)
    confidence REAL
);
CREATE INDEX IF NOT EXISTS decisions_doc ON decisions(document_id, finding);
"""


class DecisionError(ValueError):
    """A decision the store refuses (unknown finding, missing reason, ...); the API answers 422."""


@dataclass(frozen=True, slots=True)
class Decision:
    id: int
    document_id: str
    finding: int | None
    action: str
    type: str
    clause: str | None
    reason: str | None
    edit: dict[str, Any]
    reviewer: str
    at: str
    normcheck_version: str | None
    rule: str | None
    model: str | None
    confidence: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "document_id": self.document_id, "finding": self.finding, "action": self.action,
                "type": self.type, "clause": self.clause, "reason": self.reason, "edit": self.edit,
                "reviewer": self.reviewer, "at": self.at, "normcheck_version": self.normcheck_version,
                "rule": self.rule, "model": self.model, "confidence": self.confidence}


@dataclass(slots=True)
class DocumentRow:
    id: str
    name: str
    origin: str
    path: str | None
    text: str | None
    kind: str | None
    as_of: str | None
    region: str | None
    status: str
    result: dict[str, Any] | None
    priority: float
    n_findings: int
    normcheck_version: str | None
    created: str
    checked: str | None

    def summary(self) -> dict[str, Any]:
        doc = (self.result or {}).get("document") or {}
        return {"id": self.id, "name": self.name, "origin": self.origin, "status": self.status,
                "title": doc.get("title") or self.name, "kind": doc.get("kind") or self.kind,
                "priority": self.priority, "n_findings": self.n_findings,
                "error": (self.result or {}).get("error"), "created": self.created, "checked": self.checked}


def now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


def _row_decision(r: sqlite3.Row) -> Decision:
    return Decision(id=r["id"], document_id=r["document_id"], finding=r["finding"], action=r["action"],
                    type=r["type"], clause=r["clause"], reason=r["reason"], edit=json.loads(r["edit"] or "{}"),
                    reviewer=r["reviewer"], at=r["at"], normcheck_version=r["normcheck_version"], rule=r["rule"],
                    model=r["model"], confidence=r["confidence"])


def _row_document(r: sqlite3.Row) -> DocumentRow:
    return DocumentRow(id=r["id"], name=r["name"], origin=r["origin"], path=r["path"], text=r["text"],
                       kind=r["kind"], as_of=r["as_of"], region=r["region"], status=r["status"],
                       result=json.loads(r["result"]) if r["result"] else None, priority=r["priority"],
                       n_findings=r["n_findings"], normcheck_version=r["normcheck_version"], created=r["created"],
                       checked=r["checked"])


class Store:
    """The workbench database. Thread-safe (one connection behind a lock); every write is one
    committed transaction before the method returns."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None, timeout=30)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(_SCHEMA)
        self._db.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))

    @classmethod
    def open_existing(cls, path: str | Path) -> Store:
        """Open a database the workbench wrote; E204 when there is none (``eval --from-workbench``)."""
        p = Path(path)
        if p.is_dir():  # the --data-dir folder
            p = p / "workbench.sqlite"
        if not p.is_file():
            from normcheck.errors import Code, NormcheckError

            raise NormcheckError(Code.BAD_DATASET, "no workbench database here; give the workbench.sqlite of "
                                 "`normcheck serve --data-dir DIR`", str(p))
        return cls(p)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    # documents -----------------------------------------------------------------------------------------
    def add_document(self, *, name: str, origin: str, path: str | None = None, text: str | None = None,
                     kind: str | None = None, as_of: str | None = None, region: str | None = None,
                     doc_id: str | None = None) -> str:
        doc_id = doc_id or uuid.uuid4().hex[:16]
        with self._tx() as db:
            db.execute("INSERT INTO documents(id, name, origin, path, text, kind, as_of, region, status, created) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?)",
                       (doc_id, name, origin, path, text, kind, as_of, region, now()))
        return doc_id

    def set_status(self, doc_id: str, status: str) -> None:
        if status not in STATES:
            raise ValueError(f"status {status!r}; use one of {', '.join(STATES)}")
        with self._tx() as db:
            db.execute("UPDATE documents SET status = ? WHERE id = ?", (status, doc_id))

    def set_result(self, doc_id: str, result: dict[str, Any], *, text: str | None, version: str) -> None:
        status = "error" if result.get("error") else "done"
        with self._tx() as db:
            db.execute("UPDATE documents SET status = ?, result = ?, text = COALESCE(?, text), priority = ?, "
                       "n_findings = ?, normcheck_version = ?, checked = ? WHERE id = ?",
                       (status, json.dumps(result, ensure_ascii=False), text, float(result.get("priority") or 0.0),
                        len(result.get("findings") or []), version, now(), doc_id))

    def document(self, doc_id: str) -> DocumentRow | None:
        with self._lock:
            r = self._db.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return _row_document(r) if r else None

    def documents(self) -> list[DocumentRow]:
        """Every document, highest priority first (then newest)."""
        with self._lock:
            rows = self._db.execute("SELECT * FROM documents ORDER BY priority DESC, created DESC, id").fetchall()
        return [_row_document(r) for r in rows]

    # decisions -----------------------------------------------------------------------------------------
    def add_decision(self, doc_id: str, *, action: str, reviewer: str, finding: int | None = None,
                     reason: str | None = None, edit: dict[str, Any] | None = None, clause: str | None = None,
                     type: str | None = None) -> Decision:
        """Record one decision (committed before it returns). Raises :class:`DecisionError` naming the
        problem: unknown document or finding, a reject with no reason, an edit with nothing edited, an
        added problem without a valid clause, type and message."""
        reviewer = (reviewer or "").strip()
        if not reviewer:
            raise DecisionError("reviewer: give the reviewer's name")
        if action not in ACTIONS:
            raise DecisionError(f"action {action!r}; use one of {', '.join(ACTIONS)}")
        doc = self.document(doc_id)
        if doc is None:
            raise DecisionError(f"no document {doc_id!r}")
        if doc.result is None or doc.status != "done":
            raise DecisionError(f"document {doc_id!r} has no result to decide on (status {doc.status})")
        findings = doc.result.get("findings") or []
        clauses = {c["id"] for c in doc.result.get("clauses") or []}
        edit = {k: v for k, v in (edit or {}).items() if v not in (None, "")}
        for key in edit:
            if key not in ("message", "severity", "type", "basis"):
                raise DecisionError(f"edit.{key}: only message, severity, type and basis can be edited")
        if "severity" in edit and edit["severity"] not in {s.value for s in Severity}:
            raise DecisionError(f"edit.severity {edit['severity']!r}; use high, medium or low")
        if "type" in edit and edit["type"] not in {t.value for t in FindingType}:
            raise DecisionError(f"edit.type {edit['type']!r} is not a finding type")
        version, rule, model, confidence = doc.normcheck_version, None, None, None
        if action == "add":
            if finding is not None:
                raise DecisionError("finding: an added problem is not one of the tool's findings; leave it out")
            ftype = type or edit.get("type")
            if ftype not in {t.value for t in FindingType}:
                raise DecisionError(f"type {ftype!r} is not a finding type")
            if clause is not None and clause not in clauses:
                raise DecisionError(f"clause {clause!r} is not a clause of this document")
            if not str(edit.get("message") or "").strip():
                raise DecisionError("edit.message: say what the problem is")
            edit["type"] = ftype
            version, rule, model = None, "reviewer", "reviewer"
        else:
            if finding is None or not 0 <= finding < len(findings):
                raise DecisionError(f"finding {finding!r}: this document has findings 0..{len(findings) - 1}")
            f = findings[finding]
            ftype = str(edit.get("type") or f["type"])
            clause = f.get("clause")
            rule = str(f.get("rule") or "") or None
            model = str((f.get("details") or {}).get("model") or "rules")
            confidence = float(f.get("confidence") or 0.0)
            if action == "reject" and not (reason or "").strip():
                raise DecisionError("reason: say why the finding is rejected")
            if action == "edit" and not edit:
                raise DecisionError("edit: give the edited message, severity, type or basis")
            if action != "edit":
                edit = {}
        with self._tx() as db:
            cur = db.execute(
                "INSERT INTO decisions(document_id, finding, action, type, clause, reason, edit, reviewer, at, "
                "normcheck_version, rule, model, confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (doc_id, finding, action, ftype, clause, (reason or "").strip() or None,
                 json.dumps(edit, ensure_ascii=False) if edit else None, reviewer, now(), version, rule, model,
                 confidence))
            row = db.execute("SELECT * FROM decisions WHERE id = ?", (cur.lastrowid,)).fetchone()
        return _row_decision(row)

    def decisions(self, doc_id: str | None = None, *, history: bool = False) -> list[Decision]:
        """Decisions in order; by default only the one in force per finding (the latest), plus every
        added problem. ``history=True`` returns all of them."""
        with self._lock:
            if doc_id is None:
                rows = self._db.execute("SELECT * FROM decisions ORDER BY id").fetchall()
            else:
                rows = self._db.execute("SELECT * FROM decisions WHERE document_id = ? ORDER BY id",
                                        (doc_id,)).fetchall()
        out = [_row_decision(r) for r in rows]
        if history:
            return out
        latest: dict[tuple[str, int], Decision] = {}
        for d in out:
            if d.finding is not None:
                latest[(d.document_id, d.finding)] = d
        keep = {d.id for d in latest.values()}
        return [d for d in out if d.finding is None or d.id in keep]

    def count_decisions(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM decisions").fetchone()[0])
