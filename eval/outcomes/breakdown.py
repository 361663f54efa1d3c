"""Per-subtype and per-origin breakdown of the outcomes suite (what `normcheck eval` does not split out).

    NORMCHECK_HOME=/tmp/nchome .venv/bin/python eval/outcomes/breakdown.py /tmp/outcomes_build/test.jsonl \
        [--predictions results.jsonl] [--save results.jsonl]

For each document the label sits on 第二条 with one finding type. A positive counts as found when normcheck reports
a finding of that type on 第二条; a negative counts as flagged when it does. "any type" columns count a finding of
any of the suite's label types on 第二条 (a wrong-type alarm on a lawful article is still an alarm to the reviewer).
Without --predictions, normcheck's checks are run on every document (a few seconds for the whole suite).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from normcheck.evaluation.dataset import load_dataset

_spec = importlib.util.spec_from_file_location("outcomes_build", Path(__file__).resolve().parent / "build.py")
assert _spec and _spec.loader
_build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_build)
LABEL_TYPES: list[str] = _build.LABEL_TYPES


def _on_article_two(result: dict[str, Any]) -> set[str]:
    types = set()
    for f in result.get("findings") or []:
        clause = str(f.get("clause") or "")
        if clause.startswith("第二条"):
            types.add(str(f.get("type")))
    return types


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dataset")
    ap.add_argument("--predictions", help="results JSONL of `normcheck check` for the same documents, in order")
    ap.add_argument("--save", help="write the results JSONL that were computed")
    ap.add_argument("--corpus", help="corpus index (default: $NORMCHECK_HOME)")
    args = ap.parse_args(argv)
    records = load_dataset(args.dataset)
    if args.predictions:
        with open(args.predictions, encoding="utf-8") as f:
            results = [json.loads(line) for line in f if line.strip()]
        by_id = {r.get("document", {}).get("id"): r for r in results}
        results = [by_id.get(r.id, {}) for r in records]
    else:
        from normcheck.evaluation.predictions import run_check

        results = run_check(records, corpus=args.corpus)
        if args.save:
            with open(args.save, "w", encoding="utf-8") as f:
                for r in results:
                    f.write(json.dumps(r, ensure_ascii=False) + "\n")
    rows: dict[tuple[str, str, str, str], list[int]] = defaultdict(lambda: [0, 0, 0])  # n, same type, any type
    for rec, res in zip(records, results, strict=True):
        lab = rec.labels[0]
        key = (rec.meta.get("origin", "?"), lab.type, rec.meta.get("subtype", "?"), lab.outcome)
        found = _on_article_two(res)
        rows[key][0] += 1
        rows[key][1] += int(lab.type in found)
        rows[key][2] += int(bool(found & set(LABEL_TYPES)))
    print("| origin | type | subtype | label | n | same-type finding on 第二条 | any-type finding on 第二条 |")
    print("|---|---|---|---|---:|---:|---:|")
    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for key in sorted(rows):
        n, same, anyt = rows[key]
        print(f"| {' | '.join(key)} | {n} | {same} | {anyt} |")
        t = totals[(key[0], key[3])]
        t[0] += n
        t[1] += same
        t[2] += anyt
    print()
    print("| origin | label | n | same-type | any-type |")
    print("|---|---|---:|---:|---:|")
    for (origin, label), (n, same, anyt) in sorted(totals.items()):
        print(f"| {origin} | {label} | {n} | {same} ({same / n:.0%}) | {anyt} ({anyt / n:.0%}) |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
