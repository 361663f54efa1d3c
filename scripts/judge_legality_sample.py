"""A stratified, seeded sample of the legality/authority checks' high and medium findings on real DLC regulations,
for hand judgement (issue 14's done-means: high+medium precision >= 0.85 on 100 findings from real regulations).

Every DLC regulation (latest version of each title) runs under its true kind as of its own date (the date in its file
name; region from its folder), with only the ``authority`` and ``legality`` checks (not ``consistency``). The high and
medium findings are grouped by stratum (the finding type; the legality analysers' abolished terms are one stratum,
``abolished``, apart from other ``outdated_reference`` findings) and up to ``--sample`` are drawn with a fixed seed,
at most ``--cap`` per stratum; where strata have fewer, all of them are taken and the room left goes to the others
(water-filling, so no stratum exceeds the others' share unless they ran out). ``--cap 0`` draws a simple random
sample over all high/medium findings instead (every type pooled, no strata).

    NORMCHECK_HOME=/tmp/nchome nice .venv/bin/python scripts/judge_legality_sample.py \
        --corpus-src ../shared/corpora/lawrefbook --out /tmp/judge_legality

Writes ``findings.jsonl`` (every finding with the clause text and evidence — local only, never committed: it holds
corpus text), ``sample.csv`` (ids, clause address, type, severity, our message; ``verdict``/``reason`` left for the
judge) and ``counts.json``. ``--summarize FILE.csv`` prints per-stratum and overall precision of a judged CSV with
Wilson 95% intervals.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SEED = 1202
CHECKS = ["authority", "legality"]
COLUMNS = ["n", "doc", "kind", "as_of", "clause", "stratum", "rule", "row", "type", "severity", "message",
           "verdict", "reason"]


def documents(src: Path) -> list[tuple[str, Path, str, str | None, str]]:
    """(relative path, path, kind, date, region) of the latest version of every DLC regulation, sorted."""
    from normcheck.corpus.lawfiles import list_law_files, versions_by_title

    out = []
    for (region, _title), files in versions_by_title(list_law_files(src)).items():
        if region is None:
            continue
        f = files[-1]
        out.append((f.rel, f.path, f.kind, f.date, region))
    return sorted(out)


def row_of(f: dict) -> str:
    """The table row / analyser / comparison that raised a finding."""
    d = f.get("details") or {}
    return str(d.get("analyser") or d.get("table_row") or d.get("subtype") or d.get("row") or "")


def stratum_of(f: dict) -> str:
    if f["rule"] == "legality" and row_of(f).startswith("abolished."):
        return "abolished"
    return f["type"]


def allocate(sizes: dict[str, int], total: int, cap: int) -> dict[str, int]:
    """Per-stratum quotas: at most ``cap`` each, room left by small strata shared among the rest (water-filling)."""
    quota = {k: 0 for k in sizes}
    left = total
    while left > 0:
        open_ = sorted(k for k, n in sizes.items() if quota[k] < min(n, cap))
        if not open_:
            break
        share = max(left // len(open_), 1)
        for k in open_:
            take = min(share, min(sizes[k], cap) - quota[k], left)
            quota[k] += take
            left -= take
    return quota


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    den = 1 + z * z / n
    mid = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return (max(0.0, mid - half), min(1.0, mid + half))


def summarize(path: Path) -> dict:
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    by: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        if r["verdict"] not in ("correct", "false_alarm"):
            continue
        by[r["stratum"]][0] += r["verdict"] == "correct"
        by[r["stratum"]][1] += 1
    out = {}
    for k, (c, n) in sorted(by.items()):
        lo, hi = wilson(c, n)
        out[k] = {"correct": c, "n": n, "precision": round(c / n, 3), "wilson95": [round(lo, 3), round(hi, 3)]}
    c = sum(v[0] for v in by.values())
    n = sum(v[1] for v in by.values())
    lo, hi = wilson(c, n)
    out["ALL"] = {"correct": c, "n": n, "precision": round(c / max(n, 1), 3), "wilson95": [round(lo, 3), round(hi, 3)]}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--corpus-src", default=str(ROOT.parent / "shared" / "corpora" / "lawrefbook"))
    ap.add_argument("--sample", type=int, default=100)
    ap.add_argument("--cap", type=int, default=25,
                    help="at most this many per stratum (0 = no strata: a simple random sample of all high/medium)")
    ap.add_argument("--docs", type=int, default=0, help="documents to run (seeded; 0 = all)")
    ap.add_argument("--seed", type=int, default=SEED,
                    help=f"sampling seed (default {SEED}; 1203 for the 2026-12-02b draw, 2026120214 with --cap 0 "
                         "for the 2026-12-02c draw)")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--from-findings", type=Path, help="redraw the sample from an earlier findings.jsonl")
    ap.add_argument("--summarize", type=Path, help="print the precision of a judged CSV and exit")
    args = ap.parse_args(argv)
    if args.summarize:
        print(json.dumps(summarize(args.summarize), ensure_ascii=False, indent=1))
        return 0
    if args.out is None:
        ap.error("--out is required")
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    rows: list[dict] = []
    n_articles = 0
    if args.from_findings:
        rows = [json.loads(line) for line in args.from_findings.open(encoding="utf-8")]
        n_docs = len({r["doc"] for r in rows})
    else:
        from normcheck.pipeline import check

        docs = documents(Path(args.corpus_src))
        if args.docs and args.docs < len(docs):
            docs = sorted(rng.sample(docs, args.docs))
        n_docs = len(docs)
        with (out / "findings.jsonl").open("w", encoding="utf-8") as fj:
            for rel, path, kind, date, region in docs:
                d = check(path, kind=kind, as_of=date, region=region, checks=CHECKS).to_dict()
                n_articles += len({c["article"] for c in d["clauses"] if c.get("article")})
                texts = {c["id"]: c["text"] for c in d["clauses"]}
                for f in d["findings"]:
                    row = {"doc": rel, "kind": kind, "as_of": date, "clause": f["clause"], "rule": f["rule"],
                           "row": row_of(f), "type": f["type"], "severity": f["severity"],
                           "message": f["message"], "basis": f["basis"], "details": f.get("details"),
                           "clause_text": texts.get(f["clause"] or "", ""), "evidence": f["evidence"]}
                    row["stratum"] = stratum_of(row)
                    fj.write(json.dumps(row, ensure_ascii=False) + "\n")
                    rows.append(row)
    hm = [r for r in rows if r["severity"] in ("high", "medium")]
    strata: dict[str, list[dict]] = defaultdict(list)
    for r in hm:
        strata[r["stratum"]].append(r)
    key = lambda r: (r["doc"], r["clause"] or "", r["row"], r["message"])  # noqa: E731
    sample = []
    if args.cap <= 0:  # simple random over all high/medium findings, every type pooled (2026-12-02c draw)
        pool = sorted(hm, key=key)
        sample = pool if args.sample >= len(pool) else rng.sample(pool, args.sample)
        quota = dict(Counter(r["stratum"] for r in sample))
    else:
        quota = allocate({k: len(v) for k, v in strata.items()}, args.sample, args.cap)
        for k in sorted(strata):
            pool = sorted(strata[k], key=key)
            sample += pool if quota[k] >= len(pool) else rng.sample(pool, quota[k])
    sample.sort(key=lambda r: (r["stratum"], r["row"], r["doc"], r["clause"] or ""))
    with (out / "sample.csv").open("w", encoding="utf-8", newline="") as fc:
        w = csv.writer(fc)
        w.writerow(COLUMNS)
        for i, r in enumerate(sample, 1):
            w.writerow([i, r["doc"], r["kind"], r["as_of"], r["clause"], r["stratum"], r["rule"], r["row"],
                        r["type"], r["severity"], r["message"], "", ""])
    counts = Counter(f"{r['stratum']}|{r['severity']}" for r in rows)
    summary = {"documents": n_docs, "articles": n_articles, "findings": len(rows), "high_medium": len(hm),
               "high": sum(r["severity"] == "high" for r in rows),
               "strata_high_medium": {k: len(v) for k, v in sorted(strata.items())}, "quota": quota,
               "by_stratum_severity": dict(sorted(counts.items())), "seed": args.seed, "cap": args.cap}
    (out / "counts.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
