"""Decisions → labelled review outcomes: the eval dataset, precision by type, the accepted-only Result.

The dataset (``eval/README.md`` format) has one record per document with at least one decision:
- an accepted or edited finding is a ``positive`` label of its type (the edited type after an edit) on its
  clause; a rejected one is a ``negative`` (the reason in ``note``); an added problem is a ``positive``;
- findings not decided yet are not labelled. The eval harness counts an unlabelled (type, article) as a
  negative for the types a dataset labels, so export once a document's review is complete.
- ``text`` is the document text as read; ``meta`` keeps the workbench document id, name and the normcheck
  version that produced the findings.

``predictions.jsonl`` holds the results as the workbench showed them (``document.id`` = the record id), so
``normcheck eval dataset.jsonl --predictions predictions.jsonl`` scores that run against the team's
decisions and plain ``normcheck eval dataset.jsonl`` scores the current normcheck. ``pairs.jsonl`` holds
the decided consistency findings as ``{text_a, text_b, label}`` pairs for ``normcheck train pair``
(accepted → ``inconsistent``, rejected → ``consistent``).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from normcheck.serve.store import Decision, DocumentRow, Store
from normcheck.types.findings import FindingType, Result

POSITIVE_ACTIONS = ("accept", "edit", "add")


def record_id(doc: DocumentRow) -> str:
    return f"workbench/{doc.id}"


def _label_clause(clause: str | None) -> str | None:
    from normcheck.evaluation.clauses import article_key

    return clause if clause and clause.startswith("第") and article_key(clause) is not None else None


def labels_of(decisions: Sequence[Decision]) -> list[dict[str, Any]]:
    """The dataset labels of one document's decisions in force (one per finding / added problem)."""
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str | None, str]] = set()
    for d in decisions:
        outcome = "positive" if d.action in POSITIVE_ACTIONS else "negative"
        clause = _label_clause(d.clause)
        note = d.reason if d.action == "reject" else (d.edit.get("message") if d.action == "add" else d.reason)
        key = (d.type, clause, outcome)
        if key in seen:
            continue
        seen.add(key)
        out.append({"type": d.type, "clause": clause, "outcome": outcome, "note": note})
    return out


def dataset_records(store: Store) -> list[dict[str, Any]]:
    """One eval record per document that has decisions (see the module doc)."""
    by_doc: dict[str, list[Decision]] = {}
    for d in store.decisions():
        by_doc.setdefault(d.document_id, []).append(d)
    records: list[dict[str, Any]] = []
    for doc in store.documents():
        if doc.id not in by_doc or not doc.result:
            continue
        info = doc.result.get("document") or {}
        meta = {"workbench": {"document": doc.id, "name": doc.name, "origin": doc.origin,
                              "normcheck_version": doc.normcheck_version,
                              "reviewers": sorted({d.reviewer for d in by_doc[doc.id]})}}
        records.append({"id": record_id(doc), "text": doc.text, "path": None if doc.text else doc.path,
                        "kind": info.get("kind") or doc.kind, "as_of": info.get("as_of") or doc.as_of,
                        "region": info.get("region") or doc.region, "title": info.get("title") or None,
                        "labels": labels_of(by_doc[doc.id]),
                        "meta": json.dumps(meta, ensure_ascii=False, sort_keys=True)})
    records.sort(key=lambda r: r["id"])
    return records


def predictions(store: Store, ids: set[str] | None = None) -> list[dict[str, Any]]:
    """The stored results, each with ``document.id`` = its record id (how the eval harness matches them)."""
    out = []
    for doc in store.documents():
        if doc.result is None or (ids is not None and record_id(doc) not in ids):
            continue
        r = json.loads(json.dumps(doc.result))
        r.setdefault("document", {})["id"] = record_id(doc)
        out.append(r)
    out.sort(key=lambda r: r["document"]["id"])
    return out


def training_pairs(store: Store) -> list[dict[str, Any]]:
    """Decided consistency findings as pairs for ``normcheck train pair``."""
    pairs: list[dict[str, Any]] = []
    for d in store.decisions():
        if d.finding is None or d.action == "add":
            continue
        doc = store.document(d.document_id)
        if doc is None or doc.result is None:
            continue
        findings = doc.result.get("findings") or []
        f = findings[d.finding] if d.finding < len(findings) else None
        if not f or f.get("type") != FindingType.INCONSISTENT_WITH_SUPERIOR.value or not f.get("evidence"):
            continue
        clause = next((c for c in doc.result.get("clauses") or [] if c["id"] == f.get("clause")), None)
        ev = f["evidence"][0]
        text_a = clause["text"] if clause else str(doc.text or "")[f["start"]:f["end"]]
        if not text_a or not ev.get("text"):
            continue
        pairs.append({"text_a": text_a, "text_b": ev["text"],
                      "label": "consistent" if d.action == "reject" else "inconsistent",
                      "group": f"{ev.get('law')}#{ev.get('article')}",
                      "note": f"workbench {d.action} by {d.reviewer}" + (f": {d.reason}" if d.reason else "")})
    return pairs


def _write_jsonl(rows: Sequence[dict[str, Any]], path: Path) -> Path:
    from normcheck.report.atomic import write_text_atomic

    write_text_atomic(path, "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows))
    return path


def export(store: Store, out_dir: str | Path) -> dict[str, Path]:
    """Write ``dataset.jsonl``, ``predictions.jsonl`` and ``pairs.jsonl`` into ``out_dir``."""
    from normcheck.evaluation.dataset import validate_records

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    records = dataset_records(store)
    validate_records(records)  # E204 here rather than in the team's eval run
    ids = {r["id"] for r in records}
    return {"dataset": _write_jsonl(records, out / "dataset.jsonl"),
            "predictions": _write_jsonl(predictions(store, ids), out / "predictions.jsonl"),
            "pairs": _write_jsonl(training_pairs(store), out / "pairs.jsonl")}


def dataset_jsonl(store: Store) -> str:
    from normcheck.evaluation.dataset import validate_records

    records = dataset_records(store)
    validate_records(records)
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records)


def precision_by_type(store: Store) -> dict[str, Any]:
    """From the decisions in force: per finding type, accepted (incl. edited) / rejected / added and
    precision = accepted / (accepted + rejected); ``by_version`` splits the same by normcheck version."""
    rows: dict[str, Counter[str]] = {}
    versions: dict[str, Counter[str]] = {}
    for d in store.decisions():
        c = rows.setdefault(d.type, Counter())
        c[d.action] += 1
        if d.action != "add":
            versions.setdefault(d.normcheck_version or "?", Counter())[d.action] += 1

    def prec(c: Counter[str]) -> float | None:
        tp, fp = c["accept"] + c["edit"], c["reject"]
        return round(tp / (tp + fp), 4) if tp + fp else None

    order = [t.value for t in FindingType]
    types = {t: {"accepted": rows[t]["accept"] + rows[t]["edit"], "edited": rows[t]["edit"],
                 "rejected": rows[t]["reject"], "added": rows[t]["add"], "precision": prec(rows[t])}
             for t in sorted(rows, key=lambda t: order.index(t) if t in order else len(order))}
    total: Counter[str] = Counter()
    for c in rows.values():
        total.update(c)
    return {"types": types,
            "total": {"accepted": total["accept"] + total["edit"], "rejected": total["reject"],
                      "added": total["add"], "precision": prec(total)},
            "by_version": {v: {"precision": prec(c), "decided": c["accept"] + c["edit"] + c["reject"]}
                           for v, c in sorted(versions.items())},
            "documents": len({d.document_id for d in store.decisions()})}


def render_precision(rep: dict[str, Any]) -> str:
    """The precision table as Markdown (``normcheck eval --from-workbench``)."""
    from normcheck.report.labels import type_label

    def p(x: float | None) -> str:
        return "—" if x is None else f"{x:.3f}"

    lines = [f"Workbench decisions: {rep['documents']} documents", "",
             "| type | 类型 | accepted | rejected | precision | added (missed) |", "|---|---|---:|---:|---:|---:|"]
    for t, r in rep["types"].items():
        lines.append(f"| {t} | {type_label(t)} | {r['accepted']} | {r['rejected']} | {p(r['precision'])} | "
                     f"{r['added']} |")
    tot = rep["total"]
    lines.append(f"| **all** | 合计 | {tot['accepted']} | {tot['rejected']} | {p(tot['precision'])} | {tot['added']} |")
    if rep["by_version"]:
        lines += ["", "By normcheck version: " + "; ".join(f"{v}: {p(r['precision'])} ({r['decided']} decided)"
                                                           for v, r in rep["by_version"].items())]
    return "\n".join(lines)


def accepted_result(doc: DocumentRow, decisions: Sequence[Decision]) -> Result:
    """The document's Result with only the findings the reviewer accepted (edits applied) plus the problems
    the reviewer added: what the workbench's 审查意见 reports. Rejected and undecided findings are left out."""
    from normcheck.report.jsonl import load_result

    if doc.result is None:
        raise ValueError(f"document {doc.id} has no result yet")
    d = json.loads(json.dumps(doc.result))
    findings = d.get("findings") or []
    clauses = {c["id"]: c for c in d.get("clauses") or []}
    kept: list[dict[str, Any]] = []
    for dec in decisions:
        if dec.action in ("accept", "edit") and dec.finding is not None and dec.finding < len(findings):
            f = dict(findings[dec.finding])
            f.update({k: v for k, v in dec.edit.items() if k in ("message", "severity", "type", "basis")})
            kept.append(f)
        elif dec.action == "add":
            c = clauses.get(dec.clause or "")
            kept.append({"type": dec.type, "clause": dec.clause, "start": c["start"] if c else 0,
                         "end": c["end"] if c else 0, "severity": dec.edit.get("severity") or "medium",
                         "confidence": 1.0, "message": dec.edit["message"], "basis": dec.edit.get("basis") or "",
                         "evidence": [], "rule": "reviewer"})
    kept.sort(key=lambda f: (f["start"], f["end"], f["type"]))
    d["findings"] = kept
    return load_result(d)
