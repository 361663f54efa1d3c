"""CSV report: one row per finding (a document without findings, or that failed, gets one row with
the finding columns empty), UTF-8 with BOM and CRLF so Excel and WPS open it cleanly.

Cells that a spreadsheet would take for a formula (starting with = + - @, tab or CR) are prefixed
with an apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from normcheck.report.atomic import write_bytes_atomic
from normcheck.report.jsonl import ResultLike, as_dict

COLUMNS = ("document_rank", "priority", "path", "title", "kind", "region", "as_of", "clause", "clause_rank",
           "clause_score", "type", "severity", "confidence", "message", "basis", "evidence_law",
           "evidence_version", "evidence_article", "evidence_text", "start", "end", "clause_text",
           "error_code", "error_message", "sha256")
_NUMERIC = {"document_rank", "priority", "clause_rank", "clause_score", "confidence", "start", "end"}


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def rows(results: Iterable[ResultLike]) -> list[dict[str, Any]]:
    """The rows, documents by priority (highest first; failed ones last), findings by clause rank."""
    docs = [as_dict(r) for r in results]
    order = sorted(range(len(docs)),
                   key=lambda i: (bool(docs[i].get("error")), -float(docs[i].get("priority") or 0), i))
    out: list[dict[str, Any]] = []
    for n, i in enumerate(order, start=1):
        d = docs[i]
        doc = d.get("document", {})
        base = {"document_rank": n, "priority": round(float(d.get("priority") or 0), 4), "path": doc.get("path"),
                "title": doc.get("title"), "kind": doc.get("kind"), "region": doc.get("region"),
                "as_of": doc.get("as_of"), "sha256": doc.get("sha256")}
        err = d.get("error")
        if err:
            out.append({**base, "error_code": err.get("code"), "error_message": err.get("message")})
            continue
        clauses = {c["id"]: c for c in d.get("clauses", [])}
        fs = sorted(d.get("findings", []),
                    key=lambda f: (clauses.get(f.get("clause") or "", {}).get("rank", 10**9), f.get("start", 0)))
        if not fs:
            out.append(base)
        for f in fs:
            c = clauses.get(f.get("clause") or "", {})
            ev = (f.get("evidence") or [{}])[0]
            out.append({**base, "clause": f.get("clause"), "clause_rank": c.get("rank"),
                        "clause_score": c.get("score"), "type": f.get("type"), "severity": f.get("severity"),
                        "confidence": f.get("confidence"), "message": f.get("message"), "basis": f.get("basis"),
                        "evidence_law": ev.get("law"), "evidence_version": ev.get("version"),
                        "evidence_article": ev.get("article"), "evidence_text": ev.get("text"),
                        "start": f.get("start"), "end": f.get("end"), "clause_text": c.get("text")})
    return out


def render_csv(results: Iterable[ResultLike]) -> str:
    """The CSV text (without BOM; :func:`write_csv` adds it)."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\r\n", extrasaction="ignore")
    w.writeheader()
    for row in rows(results):
        w.writerow({k: (v if k in _NUMERIC else _safe(v)) for k, v in row.items() if v is not None})
    return buf.getvalue()


def write_csv(results: Iterable[ResultLike], path: str | Path) -> None:
    """Write the CSV atomically, UTF-8 with BOM."""
    write_bytes_atomic(path, render_csv(results).encode("utf-8-sig"))
