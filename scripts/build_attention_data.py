"""Rows for the attention head (issue 12): (clause text, rule features, label) from the labelled suites.

Runs ``normcheck.check`` (the rules, no model) on a fixed-seed sample of each suite's dev and test split and
writes one row per finest clause of every result without error::

    {"suite", "doc", "split", "clause", "text", "label", "template", "features": {...}}

``label`` is 1 when the clause's article carries a positive label of its record (as in
``scripts/calibrate_rank.py``; every ``noise_floor`` clause is 0: a regulation in force on its own date).
``template`` marks the generic first and last articles of the planted three-article documents (authority,
inconsistency, paraphrase, outcomes), which never carry a label. ``features`` are
:func:`normcheck.rank.score.attention_features` of the clause's text and findings, the same
function the rank stage calls when an attention model is plugged in; ``features["score"]`` is normcheck's
calibrated attention score and ``features["rules"]`` findings alone, the two baselines.

Splits: a suite's ``test`` split stays ``test``; its ``dev`` split is divided by a hash of the record id into
``train`` (75%) and ``dev`` (25%, for the blend and early choices), so no document is in two splits. The rows
carry corpus text: they go to a git-ignored folder (default ``eval/build/attention``), never into the
repository. About 4-5 minutes on one core::

    NORMCHECK_HOME=/tmp/nchome .venv/bin/python scripts/build_attention_data.py \\
        --corpus-src ../shared/corpora/lawrefbook --out eval/build/attention
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path
from typing import Any

from normcheck.evaluation import load_dataset
from normcheck.evaluation.clauses import article_key
from normcheck.evaluation.predictions import run_check
from normcheck.evaluation.suites import build_suite, subsample
from normcheck.paths import default_corpus_path, default_corpus_sources
from normcheck.rank.score import _assign, attention_features
from normcheck.types.findings import ClauseResult, Finding, FindingType, Severity

SUITES = ("citations", "authority", "inconsistency", "noise_floor", "paraphrase", "outcomes", "amended")
#: Documents per split and suite (None: all); the sizes of scripts/calibrate_rank.py where it has them.
LIMITS: dict[str, int | None] = {"citations": None, "authority": None, "inconsistency": 300, "noise_floor": 80,
                                 "paraphrase": None, "outcomes": None, "amended": 40}
SEED = 0
DEV_SHARE = 25  # % of a suite's dev split held out of training (the blend is fitted there)
#: Suites whose documents are three articles built around one clause under test (第二条): a generic purpose
#: article (第一条) and a commencement article (第三条) that never carry a label. Their rows get
#: ``"template": true`` so that the comparison can leave them out (a model can learn to recognise them).
PLANTED = ("authority", "inconsistency", "paraphrase", "outcomes")


def inner_split(doc_id: str) -> str:
    h = int.from_bytes(hashlib.sha256(("attention:" + doc_id).encode("utf-8")).digest()[:4], "big")
    return "dev" if h % 100 < DEV_SHARE else "train"


def _finding(d: dict[str, Any]) -> Finding:
    return Finding(type=FindingType(d["type"]), clause=d.get("clause"), start=d["start"], end=d["end"],
                   severity=Severity(d["severity"]), confidence=d["confidence"], message=d.get("message", ""),
                   basis=d.get("basis", ""))


def _article(c: dict[str, Any]) -> tuple[int, int] | None:
    if c.get("article"):
        return int(c["article"]), int(c.get("article_suffix") or 0)
    return article_key(c.get("id"))


def rows_of(suite: str, split: str, rec: Any, res: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per clause of a result (none for a result with an error)."""
    if res.get("error"):
        return []
    pos = {article_key(lb.clause) for lb in rec.labels if lb.positive and lb.clause}
    cl = res.get("clauses", [])
    leaves = [ClauseResult(id=c["id"], article=c["article"], paragraph=c["paragraph"], item=c["item"],
                           text=c.get("text") or "", start=c["start"], end=c["end"]) for c in cl]
    findings = [_finding(f) for f in res.get("findings", [])]
    per, _ = _assign(findings, leaves)
    part = split if split == "test" else inner_split(rec.id)
    arts = {a for c in cl if (a := _article(c)) is not None}
    three = suite in PLANTED and arts == {(1, 0), (2, 0), (3, 0)}
    return [{"suite": suite, "doc": rec.id, "split": part, "clause": c["id"], "text": leaf.text,
             "label": int(suite != "noise_floor" and _article(c) in pos),
             "template": three and _article(c) in ((1, 0), (3, 0)),
             "features": {k: round(v, 6) for k, v in attention_features(leaf.text, [findings[k] for k in ks]).items()}}
            for c, leaf, ks in zip(cl, leaves, per, strict=True)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(default_corpus_path()))
    ap.add_argument("--corpus-src", default=None, help="law collection the suites are built from")
    ap.add_argument("--out", default="eval/build/attention", help="folder for train/dev/test.jsonl (git-ignored)")
    ap.add_argument("--suites", nargs="*", default=list(SUITES))
    ap.add_argument("--limit-scale", type=float, default=1.0, help="multiply every document cap (quick runs)")
    args = ap.parse_args(argv)
    srcs = [Path(args.corpus_src)] if args.corpus_src else default_corpus_sources()
    if not srcs:
        print("no law collection found: pass --corpus-src", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    rows: dict[str, list[dict[str, Any]]] = {"train": [], "dev": [], "test": []}
    meta: dict[str, Any] = {"script": "scripts/build_attention_data.py", "seed": SEED, "dev_share": DEV_SHARE,
                            "suites": {}}
    t0 = time.perf_counter()
    for suite in args.suites:
        files = build_suite(suite, srcs[0])
        for split in ("dev", "test"):
            cap = LIMITS.get(suite)
            cap = None if cap is None else max(1, int(cap * args.limit_scale))
            recs = subsample(load_dataset(files[split]), cap, SEED)
            results = run_check(recs, corpus=args.corpus)
            got = [r for rec, res in zip(recs, results, strict=True) for r in rows_of(suite, split, rec, res)]
            for r in got:
                rows[r["split"]].append(r)
            n_err = sum(1 for r in results if r.get("error"))
            meta["suites"].setdefault(suite, {})[split] = {"docs": len(recs), "errors": n_err, "clauses": len(got),
                                                           "positives": sum(r["label"] for r in got)}
            print(f"  {suite}/{split}: {len(recs)} docs ({n_err} errors), {len(got)} clauses, "
                  f"{sum(r['label'] for r in got)} positive ({time.perf_counter() - t0:.0f} s)", file=sys.stderr,
                  flush=True)
    for split, rs in rows.items():
        with (out / f"{split}.jsonl").open("w", encoding="utf-8") as f:
            for r in rs:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
    meta["rows"] = {s: len(v) for s, v in rows.items()}
    meta["seconds"] = round(time.perf_counter() - t0, 1)
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(meta["rows"]), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
