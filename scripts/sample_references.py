"""Print N random findings and N random unflagged citations (seeded) for a hand check.

    .venv/bin/python scripts/sample_references.py refs.jsonl -n 50 --seed 4
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("jsonl", type=Path, help="output of scripts/run_references.py --out")
    ap.add_argument("-n", type=int, default=50)
    ap.add_argument("--seed", type=int, default=4)
    ap.add_argument("--type", default=None, help="only findings of this type")
    args = ap.parse_args(argv)
    findings, cits = [], []
    with args.jsonl.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec["record"] == "finding":
                if args.type is None or rec["finding"]["type"] == args.type:
                    findings.append(rec)
            else:
                cits.append(rec)
    rng = random.Random(args.seed)
    print(f"=== {min(args.n, len(findings))} of {len(findings)} findings ===")
    for i, rec in enumerate(rng.sample(findings, min(args.n, len(findings))), 1):
        f = rec["finding"]
        print(f"[F{i}] {rec['path']}  {f['clause']}  {f['type']}/{f['severity']}/{f['confidence']}"
              f"  {f.get('details', {}).get('reason', '')}")
        print(f"      {f['message']}")
        print(f"      {rec['context']}")
        for e in f["evidence"][:2]:
            print(f"      evidence: {e['law']} {e['version']} {e['article']} {e['text'][:60]}")
    print(f"\n=== {min(args.n, len(cits))} of {len(cits)} unflagged citations ===")
    for i, rec in enumerate(rng.sample(cits, min(args.n, len(cits))), 1):
        print(f"[C{i}] {rec['path']}  {rec['clause']}  {rec['kind']}  {rec['desc']}")
        print(f"      {rec['context']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
