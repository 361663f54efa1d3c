"""Evaluation datasets: one record per document with labels (format in ``eval/README.md``).

JSONL or Parquet; both load with Hugging Face ``datasets`` offline. :func:`load_dataset` validates every
record and raises ``NormcheckError(Code.BAD_DATASET)`` (E204) naming the record and the field.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from normcheck.errors import Code, NormcheckError
from normcheck.types.findings import FindingType
from normcheck.types.law import Level

OUTCOMES = ("positive", "negative")
FINDING_TYPES = tuple(t.value for t in FindingType)
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_FIELDS = ("id", "text", "path", "kind", "as_of", "region", "title", "labels", "meta")


@dataclass(frozen=True, slots=True)
class Label:
    type: str
    clause: str | None
    outcome: str
    note: str | None = None

    @property
    def positive(self) -> bool:
        return self.outcome == "positive"

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "clause": self.clause, "outcome": self.outcome, "note": self.note}


@dataclass(frozen=True, slots=True)
class Record:
    id: str
    text: str | None
    path: str | None
    kind: str | None
    as_of: str | None
    region: str | None
    title: str | None = None
    labels: tuple[Label, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "text": self.text, "path": self.path, "kind": self.kind,
            "as_of": self.as_of, "region": self.region, "title": self.title,
            "labels": [lab.to_dict() for lab in self.labels],
            "meta": json.dumps(self.meta, ensure_ascii=False, sort_keys=True) if self.meta else None,
        }


def split_of(record_id: str, dev_share: int = 50) -> str:
    """The fixed split of a record: ``"dev"`` or ``"test"`` by a hash of its id (dev_share % to dev)."""
    h = int.from_bytes(hashlib.sha256(record_id.encode("utf-8")).digest()[:4], "big")
    return "dev" if h % 100 < dev_share else "test"


def _bad(where: str, fld: str, problem: str, path: str | None) -> NormcheckError:
    return NormcheckError(Code.BAD_DATASET, f"dataset record {where}, field {fld!r}: {problem}", path)


def validate_record(raw: Any, where: str, path: str | None = None) -> Record:
    """Check one raw record (a dict) and return a :class:`Record`; E204 on any problem."""
    if not isinstance(raw, dict):
        raise _bad(where, "<record>", f"expected a JSON object, got {type(raw).__name__}", path)
    unknown = sorted(set(raw) - set(_FIELDS))
    if unknown:
        raise _bad(where, unknown[0], f"unknown field; allowed fields are {', '.join(_FIELDS)}", path)
    rid = raw.get("id")
    if not isinstance(rid, str) or not rid.strip():
        raise _bad(where, "id", "required: a non-empty string", path)
    where = f"{where} (id {rid!r})"
    if isinstance(raw.get("as_of"), _dt.date):  # HF datasets / Parquet turn dates into timestamps
        raw = {**raw, "as_of": raw["as_of"].strftime("%Y-%m-%d")}
    for fld in ("text", "path", "kind", "as_of", "region", "title"):
        v = raw.get(fld)
        if v is not None and not isinstance(v, str):
            raise _bad(where, fld, f"must be a string or null, got {type(v).__name__}", path)
    text, fpath = raw.get("text"), raw.get("path")
    if not text and not fpath:
        raise _bad(where, "text", "one of 'text' or 'path' is required", path)
    kind = raw.get("kind")
    if kind:
        try:
            kind = Level.parse(kind).value
        except ValueError as e:
            raise _bad(where, "kind", str(e).removeprefix("[E201] "), path) from None
    as_of = raw.get("as_of")
    if as_of and not _DATE_RE.match(as_of):
        raise _bad(where, "as_of", f"{as_of!r} is not a date YYYY-MM-DD", path)
    labels_raw = raw.get("labels")
    if labels_raw is None:
        labels_raw = []
    if not isinstance(labels_raw, list):
        raise _bad(where, "labels", "must be a list of label objects", path)
    labels = [_label(lab, f"{where} label {i}", path) for i, lab in enumerate(labels_raw)]
    meta_raw = raw.get("meta")
    meta: dict[str, Any] = {}
    if isinstance(meta_raw, str) and meta_raw:
        try:
            meta = json.loads(meta_raw)
        except json.JSONDecodeError:
            raise _bad(where, "meta", "a string meta must hold a JSON object", path) from None
    elif isinstance(meta_raw, dict):
        meta = meta_raw
    elif meta_raw not in (None, ""):
        raise _bad(where, "meta", "must be a JSON object, a string holding one, or null", path)
    if not isinstance(meta, dict):
        raise _bad(where, "meta", "must be a JSON object", path)
    return Record(id=rid, text=text or None, path=fpath or None, kind=kind or None, as_of=as_of or None,
                  region=raw.get("region") or None, title=raw.get("title") or None,
                  labels=tuple(labels), meta=meta)


def _label(raw: Any, where: str, path: str | None) -> Label:
    if not isinstance(raw, dict):
        raise _bad(where, "labels", "each label must be an object {type, clause, outcome, note}", path)
    t = raw.get("type")
    if t not in FINDING_TYPES:
        raise _bad(where, "labels.type", f"{t!r} is not a finding type; use one of {', '.join(FINDING_TYPES)}",
                   path)
    clause = raw.get("clause")
    if clause is not None and (not isinstance(clause, str) or not clause.startswith("第")):
        raise _bad(where, "labels.clause", f"{clause!r} is not a clause ID like 第十二条第二款 (or null)", path)
    if clause is not None:
        from normcheck.evaluation.clauses import article_key

        if article_key(clause) is None:
            raise _bad(where, "labels.clause", f"{clause!r} does not start with an article (第X条)", path)
    outcome = raw.get("outcome")
    if outcome not in OUTCOMES:
        raise _bad(where, "labels.outcome", f"{outcome!r}; use one of {', '.join(OUTCOMES)}", path)
    note = raw.get("note")
    if note is not None and not isinstance(note, str):
        raise _bad(where, "labels.note", "must be a string or null", path)
    return Label(type=t, clause=clause or None, outcome=outcome, note=note)


def validate_records(raws: list[Any], path: str | None = None) -> list[Record]:
    """Validate a list of raw records; ids must be unique."""
    out: list[Record] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(raws):
        rec = validate_record(raw, f"#{i + 1}", path)
        if rec.id in seen:
            raise _bad(f"#{i + 1} (id {rec.id!r})", "id", f"duplicate of record #{seen[rec.id] + 1}", path)
        seen[rec.id] = i
        out.append(rec)
    return out


def load_dataset(path: str | Path) -> list[Record]:
    """Read and validate a JSONL or Parquet dataset. E204 on a bad file or record."""
    p = Path(path)
    if not p.is_file():
        raise NormcheckError(Code.BAD_DATASET, "dataset file not found; give a .jsonl or .parquet file", str(p))
    if p.suffix == ".parquet":
        raws = _read_parquet(p)
    else:
        raws = []
        with p.open(encoding="utf-8-sig") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    raws.append(json.loads(line))
                except json.JSONDecodeError as e:
                    raise NormcheckError(Code.BAD_DATASET, f"dataset line {n} is not valid JSON ({e.msg}); "
                                         "one JSON object per line", str(p)) from None
    return validate_records(raws, str(p))


def _read_parquet(p: Path) -> list[dict[str, Any]]:
    try:
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover - pyarrow ships with datasets, in the [ml] extra
        raise NormcheckError(Code.EXTRA_MISSING, "reading Parquet needs pyarrow; install it with "
                             "pip install 'normcheck[ml]' (or pip install pyarrow), or give a .jsonl dataset",
                             str(p)) from None
    try:
        rows: list[dict[str, Any]] = pq.read_table(p).to_pylist()
    except Exception as e:  # pyarrow raises many types on a bad file
        raise NormcheckError(Code.BAD_DATASET, f"not a readable Parquet file ({e})", str(p)) from None
    return rows


def write_jsonl(records: list[Record] | list[dict[str, Any]], out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(out.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        for r in records:
            d = r.to_dict() if isinstance(r, Record) else r
            f.write(json.dumps(d, ensure_ascii=False, sort_keys=True) + "\n")
    tmp.replace(out)
    return out


def write_splits(records: list[dict[str, Any]], out_dir: Path) -> dict[str, Path]:
    """Validate builder records, split by :func:`split_of` and write ``dev.jsonl`` / ``test.jsonl``."""
    recs = validate_records(records)
    recs.sort(key=lambda r: r.id)
    parts: dict[str, list[Record]] = {"dev": [], "test": []}
    for r in recs:
        parts[split_of(r.id)].append(r)
    return {name: write_jsonl(rs, out_dir / f"{name}.jsonl") for name, rs in parts.items()}
