"""CSV report: one row per finding (a document without findings, or that failed, gets one row with
the finding columns empty), UTF-8 with BOM and CRLF so Excel and WPS open it cleanly.

Headers and labels are Chinese (the type and kind codes are kept in columns of their own, for
filtering); every evidence item is written (one cell, one item a line, numbered ①②…), so the new
text of an outdated reference is not lost. Rows per document = its findings in the JSONL (less those
``keep`` leaves out), so counts agree. Cells that a spreadsheet would take for a formula (starting
with = + - @, tab or CR) are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from normcheck.report.atomic import write_bytes_atomic
from normcheck.report.filters import ALL, ReportFilter
from normcheck.report.jsonl import placed
from normcheck.report.labels import (
    evidence_heading,
    is_provision_text,
    kind_label,
    note_label,
    severity_label,
    type_label,
)
from normcheck.types.findings import ClauseResult, Evidence, Result

#: (column key, Chinese header). The header says what each figure means (rank and score legend).
COLUMNS: tuple[tuple[str, str], ...] = (
    ("document_rank", "文件序号（按优先级）"), ("priority", "文件优先级（0～1）"), ("path", "文件路径"),
    ("title", "文件标题"), ("kind", "文件类别"), ("kind_code", "类别代码"), ("region", "地区"),
    ("as_of", "审查基准日"), ("clause", "条款"), ("clause_rank", "条款阅读顺序（1为最先）"),
    ("clause_score", "条款关注度（0～1）"), ("type", "问题类型"), ("type_code", "类型代码"),
    ("severity", "严重程度"), ("confidence", "置信度（0～1）"), ("message", "问题"), ("basis", "依据"),
    ("evidence_count", "上位法依据条数"), ("evidence", "上位法依据（全部）"), ("start", "起始位置"),
    ("end", "结束位置"), ("clause_text", "条款原文"), ("error_code", "错误代码"), ("error_message", "错误信息"),
    ("notes", "审查说明（法律库覆盖、未执行的检查等）"), ("sha256", "文件SHA-256"),
)
_NUMERIC = {"document_rank", "priority", "clause_rank", "clause_score", "confidence", "start", "end",
            "evidence_count"}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def evidence_cell(evidence: Sequence[Evidence]) -> str:
    """All evidence items, one a line: ``①law（version）article：text``; a status note as ``（说明）``."""
    lines = []
    for n, ev in enumerate(evidence):
        mark = _CIRCLED[n] if n < len(_CIRCLED) else f"({n + 1})"
        head = evidence_heading(ev) if is_provision_text(ev) else f"{ev.law}（说明）" if ev.law else "（说明）"
        lines.append(f"{mark}{head}：{ev.text}")
    return "\n".join(lines)


def rows(results: Sequence[Result], keep: ReportFilter = ALL) -> list[dict[str, Any]]:
    """The rows, documents by priority (highest first; failed ones last), findings by clause rank
    (document-level findings first)."""
    docs = [placed(r) for r in results]
    order = sorted(range(len(docs)), key=lambda i: (bool(docs[i].error), -float(docs[i].priority), i))
    out: list[dict[str, Any]] = []
    for n, i in enumerate(order, start=1):
        r = docs[i]
        doc = r.document
        base = {"document_rank": n, "priority": round(float(r.priority), 4), "path": doc.path, "title": doc.title,
                "kind": kind_label(doc.kind) + ("（推断）" if doc.kind and doc.kind_inferred else ""),
                "kind_code": doc.kind, "region": doc.region, "as_of": doc.as_of, "sha256": doc.sha256,
                "notes": "\n".join(note_label(x) for x in r.notes) or None}
        if r.error:
            out.append({**base, "error_code": r.error.get("code"), "error_message": r.error.get("message")})
            continue
        loose, per = r.findings_by_section()
        by_id = {c.id: c for c in r.clauses}
        kept = keep.kept(r)
        placed_at: list[tuple[ClauseResult | None, int]] = [(None, k) for k in loose]
        placed_at += [(by_id[cid], k) for cid, ks in per.items() for k in ks]
        placed_at = [(c, k) for c, k in placed_at if k in kept]
        placed_at.sort(key=lambda ck: (ck[0].rank if ck[0] else 0, r.findings[ck[1]].start, ck[1]))
        if not placed_at:
            out.append(base)
        for c, k in placed_at:
            f = r.findings[k]
            out.append({**base, "clause": c.id if c else f.clause or "（全文）",
                        "clause_rank": c.rank if c else None, "clause_score": round(c.score, 4) if c else None,
                        "type": type_label(f.type.value), "type_code": f.type.value,
                        "severity": severity_label(f.severity.value), "confidence": round(f.confidence, 4),
                        "message": f.message, "basis": f.basis, "evidence_count": len(f.evidence),
                        "evidence": evidence_cell(f.evidence), "start": f.start, "end": f.end,
                        "clause_text": c.text if c else None})
    return out


def render_csv(results: Sequence[Result], keep: ReportFilter = ALL) -> str:
    """The CSV text (without BOM; :func:`write_csv` adds it)."""
    buf = io.StringIO()
    keys = [k for k, _ in COLUMNS]
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([h for _, h in COLUMNS])
    for row in rows(results, keep):
        w.writerow(["" if row.get(k) is None else (row[k] if k in _NUMERIC else _safe(row[k])) for k in keys])
    return buf.getvalue()


def write_csv(results: Sequence[Result], path: str | Path, keep: ReportFilter = ALL) -> None:
    """Write the CSV atomically, UTF-8 with BOM."""
    write_bytes_atomic(path, render_csv(results, keep).encode("utf-8-sig"))
