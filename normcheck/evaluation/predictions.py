"""Predictions: results JSONL (``spec/output.md``) matched to dataset records, or produced by running
``normcheck.check`` on each record. Either way, every record gets a prediction: a missing document or one
whose result carries ``error`` is an abstention (a miss), never dropped."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from normcheck.errors import Code, NormcheckError
from normcheck.evaluation.clauses import article_key
from normcheck.evaluation.dataset import Record
from normcheck.evaluation.metrics import DocGold, DocPred, PredFinding


def load_results(path: str | Path) -> list[dict[str, Any]]:
    """Read a results JSONL file (one object per document). E204 on a bad line."""
    p = Path(path)
    if not p.is_file():
        raise NormcheckError(Code.BAD_DATASET, "predictions file not found; give a results .jsonl "
                             "written by `normcheck check`", str(p))
    out: list[dict[str, Any]] = []
    with p.open(encoding="utf-8-sig") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                raise NormcheckError(Code.BAD_DATASET, f"predictions line {n} is not valid JSON ({e.msg})",
                                     str(p)) from None
            if not isinstance(obj, dict) or not isinstance(obj.get("document", {}), dict):
                raise NormcheckError(Code.BAD_DATASET, f"predictions line {n}: expected a result object with "
                                     "a 'document' object (spec/output.md)", str(p))
            out.append(obj)
    return out


def _norm_path(s: str) -> str:
    try:
        return str(Path(s).expanduser().resolve())
    except (OSError, RuntimeError):
        return s


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def match_results(records: Sequence[Record], results: Sequence[dict[str, Any]]) -> list[dict[str, Any] | None]:
    """For each record, its result or None. Keys tried: ``document.id``, ``document.path`` (equal to the
    record's id, or resolving to the record's path), then ``document.sha256`` of the record's text."""
    by_key: dict[str, dict[str, Any]] = {}
    for r in results:
        doc = r.get("document") or {}
        for k in ("id", "path"):
            v = doc.get(k)
            if isinstance(v, str) and v:
                by_key.setdefault(f"k:{v}", r)
                by_key.setdefault(f"p:{_norm_path(v)}", r)
        sha = doc.get("sha256")
        if isinstance(sha, str) and sha:
            by_key.setdefault(f"s:{sha}", r)
    out: list[dict[str, Any] | None] = []
    for rec in records:
        keys = [f"k:{rec.id}"]
        if rec.path:
            keys += [f"k:{rec.path}", f"p:{_norm_path(rec.path)}"]
        if rec.text:
            keys.append(f"s:{_sha(rec.text)}")
        out.append(next((by_key[k] for k in keys if k in by_key), None))
    return out


def gold_of(rec: Record, types: Sequence[str] | None = None) -> DocGold:
    g = DocGold()
    for lab in rec.labels:
        if types is not None and lab.type not in types:
            continue
        item = (lab.type, article_key(lab.clause))
        (g.positives if lab.positive else g.negatives).add(item)
    g.negatives -= g.positives  # a positive wins where the same article is labelled both ways
    return g


def pred_of(result: dict[str, Any] | None) -> DocPred:
    """Convert one result object (or None = missing) into a :class:`DocPred`."""
    if result is None:
        return DocPred(status="missing")
    if result.get("error"):
        return DocPred(status="error")
    findings = []
    for f in result.get("findings") or []:
        try:
            conf = float(f.get("confidence", 0.0) or 0.0)
        except (TypeError, ValueError):
            conf = 0.0
        findings.append(PredFinding(type=str(f.get("type")), article=article_key(f.get("clause")),
                                    confidence=conf, severity=str(f.get("severity") or "medium")))
    units = []
    arts = set()
    for c in result.get("clauses") or []:
        a = (int(c["article"]), int(c.get("article_suffix") or 0)) if c.get("article") else article_key(c.get("id"))
        if a is None:
            continue
        arts.add(a)
        try:
            s = float(c.get("score", 0.0) or 0.0)
        except (TypeError, ValueError):
            s = 0.0
        units.append((a, s))
    if not units:  # no clause list: rank articles by their findings' confidence
        best: dict[tuple[int, int], float] = {}
        for pf in findings:
            if pf.article is not None:
                best[pf.article] = max(best.get(pf.article, 0.0), pf.confidence)
        units = list(best.items())
        arts = set(best)
    return DocPred(status="ok", findings=findings, units=units, n_articles=len(arts))


def run_check(records: Sequence[Record], *, corpus: str | None = None,
              progress: Callable[[int, int], None] | None = None) -> list[dict[str, Any]]:
    """Run ``normcheck.check`` on every record; an exception becomes that document's ``error``."""
    from normcheck import check

    kwargs: dict[str, Any] = {}
    if corpus:
        kwargs["corpus"] = corpus  # check() opens (and caches) an index given by path
    out: list[dict[str, Any]] = []
    for i, rec in enumerate(records):
        source = rec.text if rec.text else (rec.path or "")
        try:
            res = check(source, kind=rec.kind, as_of=rec.as_of, region=rec.region, **kwargs).to_dict()
        except NormcheckError as e:
            res = {"document": {}, "clauses": [], "findings": [], "error": e.to_dict()}
        except Exception as e:  # a crash on one document is scored as a miss, and reported
            res = {"document": {}, "clauses": [], "findings": [],
                   "error": {"code": "E999", "message": f"{type(e).__name__}: {e}"}}
        res.setdefault("document", {})["id"] = rec.id
        out.append(res)
        if progress:
            progress(i + 1, len(records))
    return out
