"""Fit the alignment model of the consistency check (issue 13): "this clause restates that provision".

Training pairs come from the dev splits only: the paraphrase suite (``eval/paraphrase``, faithful and
changed restatements: the cited superior article is the positive, the other retrieved candidates are
negatives) and the perturbation suite (``inconsistency``: the perturbed article's source). Features are
:func:`normcheck.checks.consistency.check.alignment_features`; the model is an L2 logistic regression
in numpy on standardised features; the threshold is the lowest probability at which the positives
kept on dev are still at least ``--precision`` of those kept. Writes ``normcheck/data/alignment.json``
(with ``--write``) and prints dev and test figures (test is never used for fitting).

    NORMCHECK_HOME=/tmp/nchome .venv/bin/python scripts/fit_alignment.py [--write]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from normcheck.checks.consistency.check import (  # noqa: E402
    CANDIDATES,
    FEATURES,
    _clause_body,
    _clearly_aligned,
    alignment_features,
)
from normcheck.checks.consistency.retrieve import align_many, superior_index, with_coverage  # noqa: E402
from normcheck.evaluation.dataset import load_dataset  # noqa: E402
from normcheck.pipeline import resolve_corpus  # noqa: E402
from normcheck.structure.load import load_document  # noqa: E402
from normcheck.types.law import Level  # noqa: E402

CORPUS_SRC = ROOT.parent / "shared" / "corpora" / "lawrefbook"
OUT = ROOT / "normcheck" / "data" / "alignment.json"


def _gold_of(rec: Any) -> tuple[str, str] | None:
    m = rec.meta or {}
    if "law" in m and "article" in m:  # paraphrase
        return str(m["law"]), str(m["article"])
    src, art = m.get("source"), m.get("article")
    if src and art:  # inconsistency: 宪法相关法/X(2015-08-29).md, 第三十二条-1
        law = re.sub(r"\(\d{4}-\d{2}-\d{2}\)$", "", Path(src).stem)
        return law.removeprefix("中华人民共和国"), str(art).split("-")[0]
    return None


def pairs(records: list[Any], corpus: Any) -> list[tuple[dict[str, float], int, bool, str]]:
    """(features, label, old gate, record id) for each candidate of each record's 第二条."""
    out = []
    for rec in records:
        gold = _gold_of(rec)
        if gold is None or (rec.meta or {}).get("label") == "control":
            continue
        doc = load_document(rec.text)
        node = next((n for n in doc.clauses() if (n.id or "").startswith("第二条")), None)
        if node is None:
            continue
        body, _ = _clause_body(doc, node)
        kind = Level.parse(rec.kind) if rec.kind else None
        index = superior_index(corpus, kind, rec.region, rec.as_of or "2025-01-01")
        prior = index.law_prior(doc.meta.title) if doc.meta.title else None
        als = align_many([body], index, limit=CANDIDATES, prior=prior)[0]
        scores = [a.score for a in als]
        for al in als:
            al = with_coverage(al, body)
            others = [s for s in scores if s != al.score] or [0.0]
            f = alignment_features(al, body, doc.meta.title, max(others))
            y = int(al.law.name.removeprefix("中华人民共和国") == gold[0] and al.article.label == gold[1])
            out.append((f, y, _clearly_aligned(al, body, doc.meta.title), rec.id))
    return out


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 3000, lr: float = 0.1
        ) -> tuple[np.ndarray, float]:
    w, b = np.zeros(x.shape[1]), 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(x @ w + b)))
        g = p - y
        w -= lr * (x.T @ g / len(y) + l2 * w / len(y))
        b -= lr * float(g.mean())
    return w, b


def report(name: str, prob: np.ndarray, y: np.ndarray, old: np.ndarray, thr: float) -> str:
    keep = prob >= thr
    tp, fp = int((keep & (y == 1)).sum()), int((keep & (y == 0)).sum())
    otp, ofp = int((old & (y == 1)).sum()), int((old & (y == 0)).sum())
    pos = int(y.sum())
    return (f"{name}: {len(y)} candidates, {pos} gold | calibrated: kept {tp}/{pos} gold, {fp} wrong "
            f"| hand gate: kept {otp}/{pos} gold, {ofp} wrong")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default="/tmp/nchome/corpus.sqlite")
    ap.add_argument("--paraphrase", type=Path, default=Path("/tmp/para"))
    ap.add_argument("--inconsistency", type=Path, default=Path("/tmp/incons"))
    ap.add_argument("--precision", type=float, default=0.9)
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--threshold", type=float, default=None,
                    help="write this threshold instead of the fit's (chosen on the paraphrase dev split)")
    args = ap.parse_args()
    corpus, _ = resolve_corpus(args.corpus)
    sets: dict[str, list[tuple[dict[str, float], int, bool, str]]] = {}
    for split in ("dev", "test"):
        recs = list(load_dataset(args.paraphrase / f"{split}.jsonl"))
        recs += list(load_dataset(args.inconsistency / f"{split}.jsonl"))
        sets[split] = pairs(recs, corpus)
    xs = {k: np.asarray([[f[n] for n in FEATURES] for f, *_ in v]) for k, v in sets.items()}
    ys = {k: np.asarray([t[1] for t in v]) for k, v in sets.items()}
    olds = {k: np.asarray([t[2] for t in v]) for k, v in sets.items()}
    mean, scale = xs["dev"].mean(axis=0), np.maximum(xs["dev"].std(axis=0), 0.01)
    w, b = fit((xs["dev"] - mean) / scale, ys["dev"])
    probs = {k: 1 / (1 + np.exp(-(((x - mean) / scale) @ w + b))) for k, x in xs.items()}
    # the lowest threshold keeping precision >= args.precision on dev
    thr = 0.5
    for t in np.linspace(0.05, 0.95, 91):
        keep = probs["dev"] >= t
        if keep.sum() and (ys["dev"][keep] == 1).mean() >= args.precision:
            thr = float(t)
            break
    if args.threshold is not None:
        thr = args.threshold
    for k in ("dev", "test"):
        print(report(k, probs[k], ys[k], olds[k], thr))
    print("weights:", dict(zip(FEATURES, np.round(w, 3), strict=True)), "bias", round(b, 3), "threshold", thr)
    if args.write:
        data = {
            "schema": 1,
            "description": json.loads(OUT.read_text(encoding="utf-8"))["description"],
            "model": {
                "name": "restates",
                "source": (f"fitted by scripts/fit_alignment.py on the dev splits of the paraphrase and "
                           f"inconsistency suites ({len(ys['dev'])} candidates, {int(ys['dev'].sum())} gold); "
                           f"threshold = lowest with dev precision >= {args.precision}"),
                "features": list(FEATURES),
                "weights": [round(float(v), 4) for v in w],
                "mean": [round(float(v), 4) for v in mean],
                "scale": [round(float(v), 4) for v in scale],
                "bias": round(b, 4),
                "threshold": round(thr, 2),
            },
        }
        OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
