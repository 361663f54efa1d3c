"""Retrieval benchmark for alignment (issue 6): recall@1/@5/@20 of the superior article on mined pairs.

Candidates: every article of every version of the national laws and administrative regulations in
the corpus (about the superior set of a provincial regulation); a hit is the right law and article
number (versions collapsed). Methods: ``bm25`` (full text), ``tfidf`` (vector baseline),
``combined``. ``citation_in_force``: the citation pairs whose cited law has a version in the corpus in
force on the regulation's date (for the others the article number may be an older numbering's, so the
label itself is unsure: more than half of the citation pairs, 58 of 105).

    .venv/bin/python scripts/mine_pairs.py            # first
    .venv/bin/python scripts/bench_retrieval.py [--split dev|test|all]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from mine_pairs import DEFAULT_CORPUS, SHINGLE, entries_of, national_files  # noqa: E402

from normcheck.checks.consistency.retrieve import (  # noqa: E402
    METHODS,
    PRIOR_WEIGHT,
    SuperiorIndex,
    clean,
    query_text,
)

KS = (1, 5, 20)
#: ``--strip-penalty``: search penalty clauses by ``query_text(strip_penalty=True)``.
QUERY: dict[str, float] = {"penalty": False, "named": 0.0}


def ranked_keys(index: SuperiorIndex, query: str, method: str, k: int = 20, title: str = "",
                prior_weight: float = PRIOR_WEIGHT, doc_laws: tuple[str, ...] = ()
                ) -> list[tuple[tuple[str, int], str]]:
    """Top ``k`` (law, article number) keys with the article text, versions collapsed. ``doc_laws``: the
    laws the document names elsewhere, given ``QUERY["named"]`` times the title prior (as ``check`` does)."""
    prior = index.law_prior(title) if title and prior_weight else None
    if doc_laws and QUERY["named"] and prior is not None:
        named = set(doc_laws)
        flags = index.law_flags(lambda n: n.removeprefix("中华人民共和国") in named).astype(prior.dtype)
        prior = np.maximum(prior, flags * QUERY["named"])
    out: list[tuple[tuple[str, int], str]] = []
    seen: set[tuple[str, int]] = set()
    if QUERY["penalty"]:
        query = query_text(query, strip_penalty=True)
    for i, _, _ in index.search(query, k=k * 4, method=method, prior=prior, prior_weight=prior_weight):
        a = index.entries[i].article
        key = (a.law_id, a.number)
        if key not in seen:
            seen.add(key)
            out.append((key, a.text))
        if len(out) >= k:
            break
    return out


def _shingles(text: str) -> set[str]:
    t = clean(text)
    return {t[i:i + SHINGLE] for i in range(len(t) - SHINGLE + 1)}


def hit_rank(pair: dict[str, Any], ranked: list[tuple[tuple[str, int], str]], gold_text: str) -> int:
    """1-based rank of the first correct answer (0 = none). For a restatement, an article that the
    query restates at least as verbatim as the gold one (same or more shared 12-character shingles)
    is also correct: boilerplate repeated across laws has no single right answer."""
    gold = (pair["target_law"], pair["target_article"])
    need = len(_shingles(pair["query"]) & _shingles(gold_text)) if pair["kind"] == "restatement" else None
    q = _shingles(pair["query"]) if need else set()
    for r, (key, text) in enumerate(ranked, 1):
        if key == gold or (need and len(q & _shingles(text)) >= need):
            return r
    return 0


def run(corpus: Path, pairs_path: Path, split: str, prior_weight: float = PRIOR_WEIGHT
        ) -> dict[str, dict[str, dict[str, float]]]:
    t0 = time.perf_counter()
    index = SuperiorIndex(entries_of(national_files(corpus)))
    build_s = time.perf_counter() - t0
    pairs = [json.loads(line) for line in pairs_path.open(encoding="utf-8")]
    if split != "all":
        pairs = [p for p in pairs if p["split"] == split]
    gold_text: dict[tuple[str, int], str] = {}
    for e in index.entries:  # the text of the gold article (latest version wins)
        gold_text[(e.article.law_id, e.article.number)] = e.article.text
    hits: dict[tuple[str, str], list[int]] = defaultdict(list)  # (kind, method) -> rank (0 = miss)
    times: dict[str, float] = defaultdict(float)
    for p in pairs:
        gold = (p["target_law"], p["target_article"])
        for m in METHODS:
            t = time.perf_counter()
            ranked = ranked_keys(index, p["query"], m, title=p.get("title", ""), prior_weight=prior_weight,
                                 doc_laws=tuple(p.get("doc_laws", ())))
            times[m] += time.perf_counter() - t
            r = hit_rank(p, ranked, gold_text.get(gold, ""))
            hits[(p["kind"], m)].append(r)
            hits[("all", m)].append(r)
            if p["kind"] == "citation" and not p.get("version_fallback", p["target_version"] > p["date"]):
                hits[("citation_in_force", m)].append(r)
    report: dict[str, dict[str, dict[str, float]]] = defaultdict(dict)
    for (kind, m), ranks in sorted(hits.items()):
        row = {f"R@{k}": sum(1 for r in ranks if 0 < r <= k) / len(ranks) for k in KS}
        row["n"] = len(ranks)
        report[kind][m] = row
    report["_meta"]["index"] = {"entries": len(index), "build_s": round(build_s, 2),
                                **{f"ms_per_query_{m}": round(1000 * times[m] / max(len(pairs), 1), 2)
                                   for m in METHODS}}
    return report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--pairs", type=Path, default=ROOT / "eval" / "build" / "pairs" / "pairs.jsonl")
    ap.add_argument("--split", choices=("dev", "test", "all"), default="all")
    ap.add_argument("--prior-weight", type=float, default=PRIOR_WEIGHT,
                    help="weight of the document-title law prior (0 = text only)")
    ap.add_argument("--strip-penalty", action="store_true",
                    help="search penalty clauses without their shared penalty wording (query_text)")
    ap.add_argument("--named-prior", type=float, default=0.0,
                    help="prior of the laws the document names elsewhere, in title-prior units "
                         "(check's NAMED_PRIOR is 2.0; 0 = off, the figures of earlier rounds)")
    args = ap.parse_args()
    QUERY["penalty"] = args.strip_penalty
    QUERY["named"] = args.named_prior
    report = run(args.corpus, args.pairs, args.split, args.prior_weight)
    print("| pairs | method | n | R@1 | R@5 | R@20 |\n|---|---|---|---|---|---|")
    for kind in ("citation", "citation_in_force", "restatement", "all"):
        for m in METHODS:
            r = report.get(kind, {}).get(m)
            if r:
                print(f"| {kind} | {m} | {int(r['n'])} | {r['R@1']:.3f} | {r['R@5']:.3f} | {r['R@20']:.3f} |")
    print(json.dumps(report["_meta"], ensure_ascii=False))


if __name__ == "__main__":
    main()
