"""Ranking quality of normcheck's attention scores against two baselines (issue 7).

For each suite with clause labels, runs ``normcheck.check`` once per document and scores three
rankings of the same clauses with the evaluation harness:

- ``normcheck``: the attention score (findings + clause-feature prior), as shipped;
- ``rules``: findings alone (the same severity x confidence combination, no prior);
- ``order``: document order (the first clause first), what a reviewer reading top-down gets.

Prints precision@k, NDCG@10, MAP and AUPR per suite and system. A benchmark, not a test:

    python scripts/eval_ranking.py --corpus $NORMCHECK_HOME/corpus.sqlite [--suites amended citations authority]
"""

from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path
from typing import Any

from normcheck.evaluation import evaluate, load_dataset
from normcheck.evaluation.predictions import run_check
from normcheck.evaluation.suites import build_suite, subsample
from normcheck.paths import default_corpus_path, default_corpus_sources
from normcheck.rank.score import assign_ranks, raw_scores
from normcheck.types.findings import ClauseResult, Finding, FindingType, Severity

COLUMNS = ("precision@5", "precision@10", "precision@50", "ndcg@10", "map", "aupr")


def _finding(d: dict[str, Any]) -> Finding:
    return Finding(type=FindingType(d["type"]), clause=d.get("clause"), start=d["start"], end=d["end"],
                   severity=Severity(d["severity"]), confidence=d["confidence"], message=d.get("message", ""),
                   basis=d.get("basis", ""))


def _clauses(res: dict[str, Any]) -> list[ClauseResult]:
    return [ClauseResult(id=c["id"], article=c["article"], paragraph=c["paragraph"], item=c["item"], text="",
                         start=c["start"], end=c["end"]) for c in res.get("clauses", [])]


def rules_only(res: dict[str, Any]) -> dict[str, Any]:
    """The same result with clause scores from findings alone (no clause-feature prior)."""
    out = copy.deepcopy(res)
    leaves = _clauses(res)  # without text: no clause-feature prior
    for leaf, score in zip(leaves, raw_scores(leaves, [_finding(f) for f in res.get("findings", [])]), strict=True):
        leaf.score = score
    assign_ranks(leaves)
    for c, leaf in zip(out.get("clauses", []), leaves, strict=True):
        c["score"], c["rank"] = leaf.score, leaf.rank
    return out


def document_order(res: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(res)
    n = len(out.get("clauses", []))
    for i, c in enumerate(out.get("clauses", [])):
        c["score"], c["rank"] = 1.0 - i / max(n, 1), i + 1
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(default_corpus_path()))
    ap.add_argument("--corpus-src", default=None, help="law collection the suites are built from")
    ap.add_argument("--suites", nargs="+", default=["amended", "citations", "authority", "inconsistency"])
    ap.add_argument("--split", default="test")
    ap.add_argument("--limit", type=int, default=40, help="documents per suite (fixed-seed sample)")
    args = ap.parse_args(argv)
    srcs = [Path(args.corpus_src)] if args.corpus_src else default_corpus_sources()
    if not srcs:
        print("no law collection found: pass --corpus-src", file=sys.stderr)
        return 2
    print(f"| suite | system | docs | positives | {' | '.join(COLUMNS)} |")
    print("|---|---|---|---|" + "---|" * len(COLUMNS))
    for suite in args.suites:
        files = build_suite(suite, srcs[0])
        records = subsample(load_dataset(files[args.split]), args.limit, 0)
        shipped = run_check(records, corpus=args.corpus)
        for name, preds in (("normcheck", shipped), ("rules", [rules_only(r) for r in shipped]),
                            ("order", [document_order(r) for r in shipped])):
            rep = evaluate(records, predictions=preds, n_resamples=0)
            rk = rep["ranking"]
            cells = " | ".join("–" if rk.get(c) is None else f"{rk[c]:.3f}" for c in COLUMNS)
            print(f"| {suite} | {name} | {len(records)} | {rk['n_positives']} | {cells} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
