"""Run the consistency check over a seeded sample of real DLC local regulations (issue 13) and write its
high and medium findings to a CSV for hand-judging (``verdict`` and ``reason`` left empty), plus the
check's cost per clause.

Only ids, clause addresses, law/article names and our own messages go into the CSV: no law text (the
corpus texts are never committed). Read the texts in the corpus when judging.

    NORMCHECK_HOME=/tmp/nchome .venv/bin/python scripts/handcheck_consistency.py --n 200 --out FILE.csv
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DLC = Path(os.environ.get("NORMCHECK_DLC", ROOT.parent / "shared" / "corpora" / "lawrefbook" / "DLC"))
SEED = 13


def sample(n: int, seed: int = SEED) -> list[Path]:
    files = sorted(p for p in DLC.rglob("*.md") if re.search(r"\(\d{4}-\d{2}-\d{2}\)", p.name))
    return sorted(random.Random(seed).sample(files, min(n, len(files))))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--seed", type=int, default=SEED, help="sample seed (13: the 2026-12-02 judged sample)")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--corpus", default="/tmp/nchome/corpus.sqlite")
    args = ap.parse_args()
    from normcheck import check

    rows, clauses, seconds, n_find = [], 0, 0.0, 0
    for p in sample(args.n, args.seed):
        date = re.search(r"\((\d{4}-\d{2}-\d{2})\)", p.name).group(1)  # type: ignore[union-attr]
        region = p.parts[len(DLC.parts)].removesuffix("地方法规")
        check(str(p), as_of=date, region=region, corpus=args.corpus, checks=["references"])  # warm caches
        t = time.perf_counter()
        res = check(str(p), as_of=date, region=region, corpus=args.corpus, checks=["consistency"]).to_dict()
        seconds += time.perf_counter() - t
        clauses += len(res.get("clauses") or [])
        for f in res.get("findings") or []:
            if f.get("type") != "inconsistent_with_superior":
                continue
            n_find += 1
            if f.get("severity") not in ("high", "medium"):
                continue
            sup = (f.get("details") or {}).get("superior") or {}
            rows.append({"document": str(p.relative_to(DLC)), "clause": f.get("clause"), "severity": f["severity"],
                         "law": sup.get("law"), "version": sup.get("version"), "article": sup.get("article"),
                         "paragraph": sup.get("paragraph"), "message": f.get("message"), "verdict": "", "reason": ""})
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]) if rows else ["document"])
        w.writeheader()
        w.writerows(rows)
    print(json.dumps({"documents": args.n, "seed": args.seed, "clauses": clauses, "findings": n_find,
                      "high_medium": len(rows),
                      "consistency_s": round(seconds, 2), "ms_per_clause": round(1000 * seconds / max(clauses, 1), 3)},
                     ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
