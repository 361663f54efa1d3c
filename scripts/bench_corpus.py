"""Benchmark the corpus index: full build time, incremental rebuild time, index size, and search
latency p50/p95 over 1,000 queries (sampled substrings of real articles, seeded).

    .venv/bin/python scripts/bench_corpus.py [SRC] [--compare] [--queries 1000]

``--compare`` also builds the trigram variant and reports, per tokenizer, build time, size, latency
and hit quality (recall against a ``LIKE`` substring scan, on 200 of the queries).
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from normcheck.corpus.ingest import build_corpus
from normcheck.corpus.schema import fts_query
from normcheck.corpus.store import Corpus
from normcheck.paths import default_corpus_sources


def _queries(db: Path, n: int, seed: int = 7) -> list[str]:
    con = sqlite3.connect(db)
    texts = [t for (t,) in con.execute("SELECT text FROM articles WHERE length(text) > 20 ORDER BY id")]
    con.close()
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < n:
        t = rng.choice(texts)
        k = rng.choice((2, 2, 3, 4, 4, 6))
        i = rng.randrange(0, len(t) - k)
        q = t[i:i + k]
        if all("\u4e00" <= ch <= "\u9fff" for ch in q):
            out.append(q)
    return out


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p * len(xs)))]


def _latency(c: Corpus, queries: list[str], **kw: object) -> dict[str, float]:
    times = []
    for q in queries:
        t = time.perf_counter()
        c.search(q, limit=20, **kw)  # type: ignore[arg-type]
        times.append((time.perf_counter() - t) * 1000)
    return {"p50_ms": round(statistics.median(times), 2), "p95_ms": round(_pct(times, 0.95), 2),
            "max_ms": round(max(times), 2)}


def _recall(db: Path, tokenizer: str, queries: list[str]) -> float:
    con = sqlite3.connect(db)
    got = want = 0
    for q in queries:
        truth = {i for (i,) in con.execute("SELECT id FROM articles WHERE text LIKE ?", (f"%{q}%",))}
        m = fts_query(tokenizer, q)
        found = truth if m is None else {i for (i,) in con.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", (m,))}
        want += len(truth)
        got += len(truth & found)
    con.close()
    return round(got / want, 4) if want else 1.0


def bench(src: Path, tokenizer: str, queries_n: int, tmp: Path) -> dict[str, object]:
    out = tmp / f"corpus-{tokenizer}.sqlite"
    t = time.perf_counter()
    rep = build_corpus([src], out, fts=tokenizer)
    full = time.perf_counter() - t
    t = time.perf_counter()
    build_corpus([src], out, fts=tokenizer)
    again = time.perf_counter() - t
    queries = _queries(out, queries_n)
    with Corpus.open(out) as c:
        plain = _latency(c, queries)
        filtered = _latency(c, queries, as_of="2024-01-01", region="浙江")
    return {"tokenizer": tokenizer, "full_build_s": round(full, 1), "rebuild_unchanged_s": round(again, 2),
            "size_mb": round(out.stat().st_size / 1e6, 1), "laws": rep.laws, "versions": rep.versions,
            "articles": rep.articles, "search": plain, "search_as_of_region": filtered,
            "recall_vs_like": _recall(out, tokenizer, queries[:200]),
            "recall_2char": _recall(out, tokenizer, [q for q in queries if len(q) == 2][:100])}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src", nargs="?", type=Path)
    ap.add_argument("--compare", action="store_true", help="also build and measure the trigram variant")
    ap.add_argument("--queries", type=int, default=1000)
    args = ap.parse_args(argv)
    src = args.src or next(iter(default_corpus_sources()), None)
    if src is None or not Path(src).is_dir():
        print("no corpus source: pass SRC or set NORMCHECK_CORPUS_SRC", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as d:
        for tok in (["bigram", "trigram"] if args.compare else ["bigram"]):
            print(json.dumps(bench(Path(src), tok, args.queries, Path(d)), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
