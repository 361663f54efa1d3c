"""Fit the calibration knots of the attention score (issue 7) on labelled suites; report before/after.

Runs ``normcheck.check`` on a fixed-seed sample of each suite's DEV split, recomputes every clause's
raw (uncalibrated) score with :func:`normcheck.rank.score.raw_scores`, labels it 1 when its article carries
a positive label of the suite, fits an isotonic map (numpy pool-adjacent-violators,
:mod:`normcheck.rank.isotonic`) reduced to a few knots, and reports clause-level ECE / reliability bins and
the ranking metrics on the TEST splits with the raw and the calibrated scores. ``--write`` puts the
knots into ``normcheck/data/rank_params.json`` (only its ``calibration`` block changes).

Which labels mean "needs attention" (the fit suites):

- ``citations``: real local regulations; an article citing a repealed law or a changed/deleted
  article is positive, every other clause is presumed fine.
- ``authority``, ``inconsistency``: a planted clause that the rules of domain.md forbid (or a
  perturbed superior article) is positive; the rest of those short documents is presumed fine.
- ``noise_floor``: real regulations in force on their own date: no clause is presumed to need
  attention. This is what keeps high scores honest: an alarm on a sound regulation counts as wrong.
- ``amended`` is NOT fitted on: "the next version changed this article" marks a third of all
  articles for reasons that are mostly policy, not legality; fitting on it would lift every clause
  to that base rate. It is reported (test ECE) as a different target, for reference.

A benchmark, not a test (about 4 minutes on 2 cores)::

    NORMCHECK_HOME=/tmp/nchome python scripts/calibrate_rank.py --corpus $NORMCHECK_HOME/corpus.sqlite \\
        --corpus-src ../shared/corpora/lawrefbook [--write]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from normcheck.evaluation import evaluate, load_dataset
from normcheck.evaluation.clauses import article_key
from normcheck.evaluation.dataset import Record
from normcheck.evaluation.metrics import expected_calibration_error, reliability_bins
from normcheck.evaluation.predictions import run_check
from normcheck.evaluation.suites import build_suite, subsample
from normcheck.paths import default_corpus_path, default_corpus_sources
from normcheck.rank.isotonic import Knots, fit_knots
from normcheck.rank.score import RankParams, assign_ranks, calibrate, load_params, raw_scores
from normcheck.types.findings import ClauseResult, Finding, FindingType, Severity

FIT_SUITES = ("citations", "authority", "inconsistency", "noise_floor")
REPORT_SUITES = ("amended",)
LIMITS = {"citations": 60, "authority": 180, "inconsistency": 300, "noise_floor": 60, "amended": 40}
SEED = 0
PARAMS_FILE = Path(__file__).resolve().parents[1] / "normcheck" / "data" / "rank_params.json"
RANK_COLUMNS = ("precision@5", "precision@10", "precision@50", "ndcg@10", "aupr")


@dataclass
class SuiteRun:
    suite: str
    records: list[Record]
    results: list[dict[str, Any]]
    raw: np.ndarray = field(default_factory=lambda: np.zeros(0))
    label: np.ndarray = field(default_factory=lambda: np.zeros(0))
    per_doc: list[list[float]] = field(default_factory=list)  # raw score per clause, per result
    n_error: int = 0


def _finding(d: dict[str, Any]) -> Finding:
    return Finding(type=FindingType(d["type"]), clause=d.get("clause"), start=d["start"], end=d["end"],
                   severity=Severity(d["severity"]), confidence=d["confidence"], message=d.get("message", ""),
                   basis=d.get("basis", ""))


def _clause_article(c: dict[str, Any]) -> tuple[int, int] | None:
    if c.get("article"):
        return int(c["article"]), int(c.get("article_suffix") or 0)
    return article_key(c.get("id"))


def clause_pairs(run: SuiteRun) -> None:
    """Fill ``run.raw`` / ``run.label`` (one entry per clause of every result without error)."""
    raw: list[float] = []
    lab: list[float] = []
    for rec, res in zip(run.records, run.results, strict=True):
        if res.get("error"):
            run.n_error += 1
            run.per_doc.append([])
            continue
        pos = {article_key(lb.clause) for lb in rec.labels if lb.positive and lb.clause}
        clauses = [ClauseResult(id=c["id"], article=c["article"], paragraph=c["paragraph"], item=c["item"],
                                text=c.get("text") or "", start=c["start"], end=c["end"])
                   for c in res.get("clauses", [])]
        scores = raw_scores(clauses, [_finding(f) for f in res.get("findings", [])])
        run.per_doc.append(scores)
        raw += scores
        lab += [1.0 if _clause_article(c) in pos else 0.0 for c in res.get("clauses", [])]
    run.raw, run.label = np.array(raw), np.array(lab)


def rescored(run: SuiteRun, knots: Knots) -> list[dict[str, Any]]:
    """The run's results with clause scores ``calibrate(raw, knots)`` and ranks recomputed."""
    out = []
    for res, scores in zip(run.results, run.per_doc, strict=True):
        r = dict(res)
        cl = [dict(c) for c in res.get("clauses", [])]
        tmp = [ClauseResult(id=c["id"], article=None, paragraph=None, item=None, text="", start=0, end=0,
                            score=calibrate(s, knots)) for c, s in zip(cl, scores, strict=False)]
        assign_ranks(tmp)
        for c, t in zip(cl, tmp, strict=False):
            c["score"], c["rank"] = t.score, t.rank
        r["clauses"] = cl
        out.append(r)
    return out


def ece(raw: np.ndarray, label: np.ndarray, knots: Knots) -> float | None:
    return expected_calibration_error(np.array([calibrate(x, knots) for x in raw]), label)


def run_split(split: str, suites: list[str], srcs: Path, corpus: str) -> dict[str, SuiteRun]:
    runs: dict[str, SuiteRun] = {}
    for s in suites:
        recs = subsample(load_dataset(build_suite(s, srcs)[split]), LIMITS.get(s, 60), SEED)
        run = SuiteRun(s, recs, run_check(recs, corpus=corpus))
        clause_pairs(run)
        runs[s] = run
        print(f"  {split}/{s}: {len(recs)} docs, {run.raw.size} clauses, {int(run.label.sum())} positive, "
              f"{run.n_error} errors", file=sys.stderr, flush=True)
    return runs


def pooled(runs: dict[str, SuiteRun], suites: list[str]) -> tuple[np.ndarray, np.ndarray]:
    return (np.concatenate([runs[s].raw for s in suites]), np.concatenate([runs[s].label for s in suites]))


def write_knots(knots: Knots, provenance: dict[str, Any], path: Path = PARAMS_FILE) -> None:
    """Replace the ``calibration`` block of the params file, keeping the rest of its text as it is."""
    text = path.read_text(encoding="utf-8")
    start = text.index('"calibration": {')
    depth, i, in_str = 0, text.index("{", start), False
    while True:
        ch = text[i]
        if in_str:
            if ch == "\\":
                i += 1
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                break
        i += 1
    doc = ("Piecewise-linear map from the raw combined score to the reported score: knots (x, y), x increasing "
           "in [0, 1], y non-decreasing in [0, 1]. Fitted by isotonic regression (pool-adjacent-violators) on "
           "labelled clauses, reduced to a few knots; see fitted.")
    block = ('"calibration": {\n    "doc": ' + json.dumps(doc, ensure_ascii=False) + ',\n    "knots": '
             + json.dumps([list(k) for k in knots]) + ',\n    "fitted": '
             + json.dumps(provenance, ensure_ascii=False) + "\n  }")
    new = text[:start] + block + text[i + 1:]
    RankParams.from_dict(json.loads(new))  # validates before anything is written
    path.write_text(new, encoding="utf-8")
    load_params.cache_clear()


def _fmt(v: float | None) -> str:
    return "–" if v is None else f"{v:.3f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(default_corpus_path()))
    ap.add_argument("--corpus-src", default=None, help="law collection the suites are built from")
    ap.add_argument("--max-knots", type=int, default=8)
    ap.add_argument("--prior-weight", type=float, default=2.0, help="pseudo-clauses on the identity per 0.1 step")
    ap.add_argument("--dump", default=None, help="save the (raw, label) pairs per split and suite to this .npz")
    ap.add_argument("--write", action="store_true", help="write the knots into normcheck/data/rank_params.json")
    args = ap.parse_args(argv)
    srcs = [Path(args.corpus_src)] if args.corpus_src else default_corpus_sources()
    if not srcs:
        print("no law collection found: pass --corpus-src", file=sys.stderr)
        return 2
    suites = [*FIT_SUITES, *REPORT_SUITES]
    dev = run_split("dev", suites, srcs[0], args.corpus)
    x, y = pooled(dev, list(FIT_SUITES))
    knots = fit_knots(x, y, max_knots=args.max_knots, prior_weight=args.prior_weight)
    ident: Knots = [(0.0, 0.0), (1.0, 1.0)]
    print(f"knots: {json.dumps([list(k) for k in knots])}")
    print(f"dev (fit) clauses {x.size}, positives {int(y.sum())}: ECE raw {_fmt(ece(x, y, ident))} -> "
          f"calibrated {_fmt(ece(x, y, knots))}")
    test = run_split("test", suites, srcs[0], args.corpus)

    print("\n| test split | clauses | positives | rate | ECE raw | ECE calibrated |")
    print("|---|---|---|---|---|---|")
    for name, ss in [*((s, [s]) for s in suites), ("pooled (fit suites)", list(FIT_SUITES))]:
        tx, ty = pooled(test, ss)
        print(f"| {name} | {tx.size} | {int(ty.sum())} | {ty.mean():.4f} | {_fmt(ece(tx, ty, ident))} | "
              f"{_fmt(ece(tx, ty, knots))} |")
    tx, ty = pooled(test, list(FIT_SUITES))
    print("\nReliability, pooled test clauses of the fit suites (10 equal-width bins; count, mean score, "
          "positive rate):\n")
    print("| bin | raw: n | raw: score | raw: rate | calibrated: n | calibrated: score | calibrated: rate |")
    print("|---|---|---|---|---|---|---|")
    before = reliability_bins(tx, ty)
    after = reliability_bins(np.array([calibrate(v, knots) for v in tx]), ty)
    for b, a in zip(before, after, strict=True):
        if b["count"] or a["count"]:
            cells = [f"{b['count']}", f"{b['confidence']:.3f}" if b["count"] else "–",
                     f"{b['accuracy']:.3f}" if b["count"] else "–", f"{a['count']}",
                     f"{a['confidence']:.3f}" if a["count"] else "–", f"{a['accuracy']:.3f}" if a["count"] else "–"]
            print(f"| {b['lo']:.1f}–{b['hi']:.1f} | " + " | ".join(cells) + " |")

    print("\n| suite | scores | docs | positives | " + " | ".join(RANK_COLUMNS) + " |")
    print("|---|---|---|---|" + "---|" * len(RANK_COLUMNS))
    for s in suites:
        if s == "noise_floor":
            continue
        for name, kn in (("raw", ident), ("calibrated", knots)):
            rep = evaluate(test[s].records, predictions=rescored(test[s], kn), n_resamples=0)
            rk = rep["ranking"]
            print(f"| {s} | {name} | {len(test[s].records)} | {rk['n_positives']} | "
                  + " | ".join(_fmt(rk.get(c)) for c in RANK_COLUMNS) + " |", flush=True)
    if args.dump:
        np.savez(args.dump, **{f"{sp}_{s}_{k}": getattr(runs[s], k) for sp, runs in (("dev", dev), ("test", test))
                               for s in suites for k in ("raw", "label")})
    if args.write:
        prov = {"script": "scripts/calibrate_rank.py", "date": dt.date.today().isoformat(), "split": "dev",
                "suites": {s: {"docs": len(dev[s].records), "clauses": int(dev[s].raw.size),
                               "positives": int(dev[s].label.sum())} for s in FIT_SUITES},
                "n": int(x.size), "positives": int(y.sum()), "seed": SEED,
                "max_knots": args.max_knots, "prior_weight": args.prior_weight,
                "label": "the clause's article has a positive label of its suite; noise_floor clauses all 0"}
        write_knots(knots, prov)
        print(f"\nwrote {PARAMS_FILE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
