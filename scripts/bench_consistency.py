"""Benchmark for the ``consistency`` check (issue 6).

1. Precision / recall of ``inconsistent_with_superior`` on the perturbation suite
   (``normcheck/evaluation/builders/inconsistency.py``), dev and held-out test, overall and per perturbation kind.
2. False alarms on real local regulations (DLC): a seeded sample of provincial regulations,
   checked against the national laws and administrative regulations in force on their date.
   Faithful restatements must not be flagged; every finding is listed for reading.
3. Per-document check time once the index is warm.

The superior index is built from the corpus Markdown files (``scripts/mine_pairs.py``'s reader), so
this runs without a built corpus index.

    .venv/bin/python scripts/bench_consistency.py [--docs 40] [--show 20]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from mine_pairs import DEFAULT_CORPUS, entries_of, local_files, national_files  # noqa: E402

from normcheck import segment  # noqa: E402
from normcheck.checks.consistency.check import consistency_findings  # noqa: E402
from normcheck.checks.consistency.retrieve import SuperiorIndex  # noqa: E402
from normcheck.types.law import Level  # noqa: E402


def in_force_mask(index: SuperiorIndex, date: str) -> np.ndarray:
    """Entries of the latest version of each law dated on or before ``date`` (earliest if none)."""
    best: dict[str, str] = {}
    first: dict[str, str] = {}
    for e in index.entries:
        v = e.version.version
        first[e.law.id] = min(first.get(e.law.id, v), v)
        if v <= date and v > best.get(e.law.id, ""):
            best[e.law.id] = v
    return np.asarray([e.version.version == best.get(e.law.id, first[e.law.id]) for e in index.entries])


def perturbation(index: SuperiorIndex, build_dir: Path) -> dict[str, Any]:
    from normcheck.evaluation.builders import inconsistency as suite

    paths = {s: build_dir / f"{s}.jsonl" for s in ("dev", "test")}
    if not all(p.exists() for p in paths.values()):
        paths = suite.build(DEFAULT_CORPUS, build_dir)
    out: dict[str, Any] = {}
    for split, p in paths.items():
        recs = [json.loads(line) for line in p.open(encoding="utf-8")]
        tp = fp = fn = tn = 0
        by_variant: dict[str, Counter[str]] = defaultdict(Counter)
        for r in recs:
            doc = segment(r["text"])
            fs = consistency_findings(doc, None, kind=Level.LOCAL_REGULATION, region=None, as_of=r["as_of"],
                                      index=index, mask=in_force_mask(index, r["as_of"]))
            pred = any((f.clause or "").startswith("第二条") for f in fs)
            gold = r["labels"][0]["outcome"] == "positive"
            variant = json.loads(r["meta"])["variant"]
            by_variant[variant]["flagged" if pred else "not_flagged"] += 1
            tp += pred and gold
            fp += pred and not gold
            fn += (not pred) and gold
            tn += (not pred) and not gold
        prec = tp / (tp + fp) if tp + fp else None
        rec = tp / (tp + fn) if tp + fn else None
        out[split] = {"n": len(recs), "tp": tp, "fp": fp, "fn": fn, "tn": tn, "precision": prec, "recall": rec,
                      "by_variant": {k: dict(v) for k, v in sorted(by_variant.items())}}
    return out


def real_false_alarms(index: SuperiorIndex, n_docs: int, show: int, seed: int = 0) -> dict[str, Any]:
    files = [f for f in local_files(DEFAULT_CORPUS) if len(f.articles) >= 10]
    rng = random.Random(seed)
    rng.shuffle(files)
    files = files[:n_docs]
    n_clauses = n_findings = 0
    times: list[tuple[int, float]] = []
    shown: list[dict[str, Any]] = []
    sev: Counter[str] = Counter()
    for f in files:
        doc = segment(Path(f.path))
        mask = in_force_mask(index, f.date)
        t = time.perf_counter()
        fs = consistency_findings(doc, None, kind=Level.LOCAL_REGULATION, region=f.region, as_of=f.date,
                                  index=index, mask=mask)
        times.append((len(doc.articles()), time.perf_counter() - t))
        n_clauses += len(doc.clauses())
        n_findings += len(fs)
        for x in fs:
            sev[x.severity.value] += 1
            if len(shown) < show:
                shown.append({"doc": Path(f.path).name, "clause": x.clause, "severity": x.severity.value,
                              "message": x.message, "clause_marked": x.details["clause_marked"][:160],
                              "superior_marked": x.details["superior_marked"][:160]})
    per_article = [t / max(n, 1) for n, t in times]
    return {"docs": len(files), "clauses": n_clauses, "findings": n_findings,
            "findings_per_100_clauses": round(100 * n_findings / max(n_clauses, 1), 2), "by_severity": dict(sev),
            "seconds_per_doc_mean": round(statistics.mean(t for _, t in times), 3),
            "seconds_per_50_articles": round(50 * statistics.mean(per_article), 3),
            "shown": shown}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=40, help="real DLC regulations for the false-alarm run")
    ap.add_argument("--show", type=int, default=20, help="findings on real regulations to print")
    ap.add_argument("--build-dir", type=Path, default=ROOT / "eval" / "build" / "inconsistency")
    args = ap.parse_args()
    t = time.perf_counter()
    index = SuperiorIndex(entries_of(national_files(DEFAULT_CORPUS)))
    print(f"index: {len(index)} articles, built in {time.perf_counter() - t:.1f}s")
    pert = perturbation(index, args.build_dir)
    print("| split | n | precision | recall | tp | fp | fn |\n|---|---|---|---|---|---|---|")
    for split, r in pert.items():
        print(f"| {split} | {r['n']} | {r['precision']:.3f} | {r['recall']:.3f} | {r['tp']} | {r['fp']} | {r['fn']} |")
    for split, r in pert.items():
        print(split, json.dumps(r["by_variant"], ensure_ascii=False))
    real = real_false_alarms(index, args.docs, args.show)
    shown = real.pop("shown")
    print(json.dumps(real, ensure_ascii=False))
    for s in shown:
        print(json.dumps(s, ensure_ascii=False))


if __name__ == "__main__":
    main()
