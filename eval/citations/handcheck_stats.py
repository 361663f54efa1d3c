"""Precision and miss rate, with Wilson 95% intervals, from a hand-check CSV of citation findings.

    .venv/bin/python eval/citations/handcheck_stats.py eval/citations/handcheck-2026-11-28.csv

Rows: kind (finding|unflagged), path, clause, item ("type/severity reason 《title》" for findings),
verdict (correct|wrong|unsure), reason. Precision counts ``unsure`` out (and, conservatively, as wrong);
the miss rate is the share of unflagged citations judged ``wrong`` (a problem the check missed).
"""

from __future__ import annotations

import csv
import math
import sys
from pathlib import Path


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval for k successes in n trials."""
    if n == 0:
        return 0.0, 1.0
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def _line(label: str, k: int, n: int) -> str:
    lo, hi = wilson(k, n)
    rate = k / n if n else float("nan")
    return f"{label:46s} {k:3d}/{n:<3d} = {rate:.2f}  [{lo:.2f}, {hi:.2f}]"


def main(argv: list[str]) -> int:
    rows = list(csv.DictReader(Path(argv[0]).open(encoding="utf-8")))
    fs = [r for r in rows if r["kind"] == "finding"]
    us = [r for r in rows if r["kind"] == "unflagged"]

    def sev(r: dict[str, str]) -> str:
        return r["item"].split()[0].split("/")[1]

    groups = {"all findings": fs, "medium+high findings": [r for r in fs if sev(r) in ("medium", "high")],
              "low findings": [r for r in fs if sev(r) == "low"]}
    for name, g in groups.items():
        ok = sum(r["verdict"] == "correct" for r in g)
        bad = sum(r["verdict"] == "wrong" for r in g)
        print(_line(f"precision, {name} (unsure out)", ok, ok + bad))
        print(_line(f"precision, {name} (unsure=wrong)", ok, len(g)))
    missed = sum(r["verdict"] == "wrong" for r in us)
    print(_line("miss rate, unflagged citations", missed, len(us)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
