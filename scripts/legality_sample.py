"""Run the legality analysers (issue 14) over real DLC regulations under their true kind as of their own date, and
draw a seeded sample of their high/medium findings for hand judgement.

    NORMCHECK_HOME=/tmp/nchome nice .venv/bin/python scripts/legality_sample.py \
        --corpus-src ../shared/corpora/lawrefbook --docs 600 --sample 100 --out /tmp/legality_sample

Writes ``findings.jsonl`` (every legality finding, with the clause text — local only, never committed: it holds
corpus text), ``sample.csv`` (the sample without law text: document, clause, analyser, type, severity, the matched
words; columns ``verdict`` and ``reason`` left for the judge) and ``counts.json`` (findings per analyser and
severity, articles read). Judged copies live in ``eval/legality/judged.csv``.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from collections import Counter
from pathlib import Path

from normcheck.corpus.lawfiles import list_law_files, versions_by_title
from normcheck.pipeline import check

SEED = 14
MATCHED_MAX = 16  # characters of the matched words kept in the CSV (short words, not statute sentences)


def documents(src: Path) -> list[tuple[str, Path, str, str | None, str]]:
    """(relative path, path, kind, date, region) of the latest version of every DLC regulation, sorted."""
    out = []
    for (region, _title), files in versions_by_title(list_law_files(src)).items():
        if region is None:
            continue
        f = files[-1]
        out.append((f.rel, f.path, f.kind, f.date, region))
    return sorted(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus-src", required=True)
    ap.add_argument("--docs", type=int, default=600, help="documents to run (seeded sample; 0 = all)")
    ap.add_argument("--sample", type=int, default=100)
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    docs = documents(Path(args.corpus_src))
    rng = random.Random(SEED)
    if args.docs and args.docs < len(docs):
        docs = sorted(rng.sample(docs, args.docs))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    n_articles = 0
    counts: Counter[str] = Counter()
    with (out / "findings.jsonl").open("w", encoding="utf-8") as fj:
        for rel, path, kind, date, region in docs:
            res = check(path, kind=kind, as_of=date, region=region, checks=["legality"])
            d = res.to_dict()
            n_articles += len({c["article"] for c in d["clauses"] if c.get("article")})
            texts = {c["id"]: c["text"] for c in d["clauses"]}
            for f in d["findings"]:
                counts[f"{f['details']['analyser']}|{f['severity']}"] += 1
                row = {"doc": rel, "kind": kind, "as_of": date, "clause": f["clause"], "type": f["type"],
                       "severity": f["severity"], "analyser": f["details"]["analyser"],
                       "matched": str(f["details"].get("matched", ""))[:MATCHED_MAX], "message": f["message"],
                       "basis": f["basis"],
                       "clause_text": texts.get(f["clause"] or "", ""), "evidence": f["evidence"]}
                fj.write(json.dumps(row, ensure_ascii=False) + "\n")
                rows.append(row)
    hm = [r for r in rows if r["severity"] in ("high", "medium")]
    sample = hm if len(hm) <= args.sample else rng.sample(hm, args.sample)
    sample.sort(key=lambda r: (r["analyser"], r["doc"], r["clause"] or ""))
    with (out / "sample.csv").open("w", encoding="utf-8", newline="") as fc:
        w = csv.writer(fc)
        w.writerow(["n", "doc", "kind", "as_of", "clause", "analyser", "type", "severity", "matched", "verdict",
                    "reason"])
        for i, r in enumerate(sample, 1):
            w.writerow([i, r["doc"], r["kind"], r["as_of"], r["clause"], r["analyser"], r["type"], r["severity"],
                        r["matched"], "", ""])
    summary = {"documents": len(docs), "articles": n_articles, "findings": len(rows), "high_medium": len(hm),
               "high": sum(r["severity"] == "high" for r in rows),
               "high_per_100_articles": round(100 * sum(r["severity"] == "high" for r in rows) / max(n_articles, 1), 3),
               "by_analyser_severity": dict(sorted(counts.items())), "seed": SEED}
    (out / "counts.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
