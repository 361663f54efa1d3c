"""Baseline breakdown for the paraphrase suite: share of changed clauses found, faithful and control
clauses flagged, by split and change kind.

    NORMCHECK_HOME=... python eval/paraphrase/breakdown.py BUILD_DIR [--save-predictions DIR] [--corpus INDEX]

BUILD_DIR holds dev.jsonl / test.jsonl (and fresh.jsonl, the held-out set alone) written by build.py;
a split holding both sets is reported whole and then per set (``meta.set``: main, fresh).
A clause counts as flagged when normcheck
reports ``inconsistent_with_superior`` on its article (第二条), the way ``normcheck eval`` matches
labels; findings of other types on 第二条 are counted separately (they are not scored by this suite).
With --save-predictions the results are written as DIR/<split>.results.jsonl, for
``normcheck eval DATASET --predictions ...``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

TYPE = "inconsistent_with_superior"


def _flags(result: dict) -> tuple[bool, list[str]]:
    from normcheck.evaluation.clauses import article_key

    target = article_key("第二条")
    hit, other = False, []
    for f in result.get("findings") or []:
        if article_key(f.get("clause")) != target:
            continue
        if f.get("type") == TYPE:
            hit = True
        else:
            other.append(str(f.get("type")))
    return hit, other


def _report(title: str, pairs: list[tuple]) -> None:
    by_label: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_change: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    other_types: dict[str, int] = defaultdict(int)
    errors = 0
    hits = []
    for rec, res in pairs:
        if res.get("error"):
            errors += 1
        hit, other = _flags(res)
        label = str(rec.meta.get("label"))
        key = label if label != "control" else f"control/{rec.meta.get('control')}"
        for k in (label, key) if key != label else (label,):
            by_label[k][0] += hit
            by_label[k][1] += 1
        if label == "changed":
            change = str(rec.meta.get("change"))
            by_change[change][0] += hit
            by_change[change][1] += 1
        for t in other:
            other_types[f"{label}:{t}"] += 1
        if hit:
            hits.append(f"{rec.meta.get('case')}")
    print(f"== {title}, {errors} errors")
    for k in ("changed", "faithful", "control", "control/different_subject", "control/delegation"):
        if k in by_label:
            h, n = by_label[k]
            verb = "found" if k == "changed" else "flagged"
            print(f"  {k:27} {verb} {h}/{n} = {h / n:.1%}")
    print("  changed found by kind: " + ", ".join(f"{k} {h}/{n}" for k, (h, n) in sorted(by_change.items())))
    if other_types:
        print("  other finding types on 第二条 (not scored): "
              + ", ".join(f"{k} {v}" for k, v in sorted(other_types.items())))
    print("  flagged cases: " + (", ".join(sorted(hits)) or "none"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("build_dir", type=Path)
    ap.add_argument("--corpus", default=None, help="corpus index (default: $NORMCHECK_HOME/corpus.sqlite)")
    ap.add_argument("--save-predictions", type=Path, default=None)
    ap.add_argument("--splits", default="dev,test")
    args = ap.parse_args(argv)
    from normcheck.evaluation.dataset import load_dataset
    from normcheck.evaluation.predictions import run_check

    for split in args.splits.split(","):
        records = load_dataset(args.build_dir / f"{split}.jsonl")
        results = run_check(records, corpus=args.corpus)
        if args.save_predictions:
            args.save_predictions.mkdir(parents=True, exist_ok=True)
            with (args.save_predictions / f"{split}.results.jsonl").open("w", encoding="utf-8") as f:
                for r in results:
                    f.write(json.dumps(r, ensure_ascii=False) + "\n")
        pairs = list(zip(records, results, strict=True))
        sets = sorted({str(rec.meta.get("set", "main")) for rec in records})
        _report(f"{split}: {len(records)} documents", pairs)
        if len(sets) > 1:
            for name in sets:
                part = [(rec, res) for rec, res in pairs if str(rec.meta.get("set", "main")) == name]
                _report(f"{split}, set {name}: {len(part)} documents", part)
    return 0


if __name__ == "__main__":
    sys.exit(main())
