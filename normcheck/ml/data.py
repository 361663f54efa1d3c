"""Pair datasets: JSONL of ``{text_a, text_b, label}`` records (``group``, ``split`` optional), a
folder of ``train/dev/test.jsonl`` such records, or a folder built by the inconsistency benchmark
builder (``normcheck.evaluation.builders.inconsistency``: documents whose 第二条 restates a corpus paragraph; the
superior paragraph is read back from the corpus source).

Splits are by a hash of ``group`` (the superior article's id, else ``text_b``), so that no superior
provision sits in two splits.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from normcheck.errors import Code, NormcheckError
from normcheck.ml.configuration import LABELS

SPLITS = ("train", "dev", "test")


@dataclass(frozen=True, slots=True)
class PairExample:
    text_a: str  # the clause
    text_b: str  # the superior provision
    label: str
    group: str = ""  # the superior article's id (split key)
    note: str = ""  # how the pair was made (variant)


def split_of(group: str, *, dev_pct: int = 10, test_pct: int = 10) -> str:
    """``train``/``dev``/``test`` from a stable hash of ``group``."""
    h = int(hashlib.sha1(group.encode("utf-8")).hexdigest()[:8], 16) % 100
    return "test" if h < test_pct else "dev" if h < test_pct + dev_pct else "train"


def _bad(msg: str, path: Path) -> NormcheckError:
    return NormcheckError(Code.BAD_DATASET, msg, str(path))


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    out = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise _bad(f"cannot read the dataset: {e}", path) from e
    for i, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            raise _bad(f"line {i} is not JSON ({e.msg}); one record per line", path) from e
        if not isinstance(rec, dict):
            raise _bad(f"line {i} is not a JSON object", path)
        out.append(rec)
    return out


def _pair(rec: dict[str, Any], where: str, path: Path, labels: tuple[str, ...]) -> PairExample:
    for f in ("text_a", "text_b", "label"):
        if not isinstance(rec.get(f), str) or not rec[f].strip():
            raise _bad(f"{where}: field {f!r} must be a non-empty string", path)
    if rec["label"] not in labels:
        raise _bad(f"{where}: label {rec['label']!r} is not one of {', '.join(labels)}", path)
    group = str(rec.get("group") or rec["text_b"])
    return PairExample(rec["text_a"], rec["text_b"], rec["label"], group, str(rec.get("note") or ""))


def write_pairs(pairs: list[PairExample], path: str | Path) -> Path:
    """Write pairs as JSONL (``text_a, text_b, label, group, note``)."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    with p.open("w", encoding="utf-8") as fh:
        for x in pairs:
            fh.write(json.dumps({"text_a": x.text_a, "text_b": x.text_b, "label": x.label, "group": x.group,
                                 "note": x.note}, ensure_ascii=False) + "\n")
    return p


_CLAUSE_RE = re.compile(r"\n第二条 (.*?)\n\n第三条", re.S)


def _from_benchmark(recs: list[dict[str, Any]], path: Path, corpus_src: Path | None) -> list[PairExample]:
    """Inconsistency-benchmark records -> pairs (positive -> inconsistent, negative -> consistent)."""
    from normcheck.corpus.lawfiles import parse_articles

    if corpus_src is None or not corpus_src.is_dir():
        raise NormcheckError(Code.CORPUS_SOURCE_MISSING, "a benchmark folder names corpus paragraphs: pass the "
                             "corpus source it was built from (--corpus-src ../shared/corpora/lawrefbook)",
                             str(corpus_src) if corpus_src else None)
    cache: dict[str, dict[str, tuple[str, ...]]] = {}
    out = []
    for i, rec in enumerate(recs, 1):
        meta = rec.get("meta")
        meta = json.loads(meta) if isinstance(meta, str) else meta
        m = _CLAUSE_RE.search(str(rec.get("text", "")))
        labels = rec.get("labels") or []
        if not isinstance(meta, dict) or not m or not labels:
            raise _bad(f"record {i} is not an inconsistency-benchmark record (meta, 第二条, labels)", path)
        src, art = str(meta.get("source", "")), str(meta.get("article", ""))
        label, _, para = art.rpartition("-")
        if src not in cache:
            f = corpus_src / src
            if not f.is_file():
                raise NormcheckError(Code.CORPUS_SOURCE_BAD, f"record {i} names {src}, absent from the corpus source",
                                     str(corpus_src))
            cache[src] = {a.label: a.paragraphs for a, _, _ in parse_articles(f.read_text(encoding="utf-8"))}
        paras = cache[src].get(label)
        if not paras or not para.isdigit() or not 0 < int(para) <= len(paras):
            raise _bad(f"record {i}: {src} has no paragraph {art}", path)
        outcome = labels[0].get("outcome") if isinstance(labels[0], dict) else None
        out.append(PairExample(m.group(1), paras[int(para) - 1],
                               "inconsistent" if outcome == "positive" else "consistent",
                               f"{src}#{label}", str(meta.get("variant", ""))))
    return out


def load_pairs(path: str | Path, *, corpus_src: str | Path | None = None,
               labels: tuple[str, ...] = LABELS) -> dict[str, list[PairExample]]:
    """``{"train", "dev", "test"}`` -> pairs from a JSONL file or a folder (see the module doc).

    A folder's own split files are kept as they are; a benchmark folder (dev/test only) is re-split
    by article hash. Bad records raise :class:`NormcheckError` E204.
    """
    p = Path(path)
    if not p.exists():
        raise NormcheckError(Code.FILE_NOT_FOUND, "no dataset here; give a .jsonl file or a folder", str(p))
    splits: dict[str, list[PairExample]] = {s: [] for s in SPLITS}
    if p.is_file():
        files = {"": p}
    else:
        files = {s: p / f"{s}.jsonl" for s in SPLITS if (p / f"{s}.jsonl").is_file()}
        if not files:
            raise _bad("the folder has no train.jsonl, dev.jsonl or test.jsonl", p)
    raw = {s: _read_jsonl(f) for s, f in files.items()}
    first = next((r for rs in raw.values() for r in rs), None)
    if first is None:
        raise _bad("the dataset has no records", p)
    if "text_a" not in first and "labels" in first:
        pairs = _from_benchmark([r for rs in raw.values() for r in rs], p,
                                Path(corpus_src) if corpus_src else None)
        for x in pairs:
            splits[split_of(x.group)].append(x)
        return splits
    for s, recs in raw.items():
        for i, rec in enumerate(recs, 1):
            x = _pair(rec, f"{files[s].name} line {i}", files[s], labels)
            want = s or (rec.get("split") if rec.get("split") in SPLITS else split_of(x.group))
            splits[str(want)].append(x)
    return splits
