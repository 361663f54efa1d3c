"""Benchmark: read + normalise + segment (+ metadata, drafting issues) over a whole law corpus.

Usage: .venv/bin/python scripts/bench_segment.py [CORPUS_DIR] [--limit N]
Prints files, characters, seconds and characters per second, plus the pathological-input timings.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from normcheck.structure.segment import segment_text

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "lawrefbook"


def bench_corpus(root: Path, limit: int | None) -> tuple[int, int, int, float]:
    files = sorted(p for p in root.rglob("*.md") if p.name != "_index.md")[:limit]
    texts = [p.read_text(encoding="utf-8") for p in files]
    chars = sum(len(t) for t in texts)
    articles = 0
    t0 = time.perf_counter()
    for text in texts:
        articles += len(segment_text(text, fmt="md").articles())
    return len(files), chars, articles, time.perf_counter() - t0


def bench_pathological() -> list[tuple[str, int, float]]:
    rnd = random.Random(2)
    cases = {
        "1 MB repeated 第一条": "第一条" * 350_000,
        "1 MB random CJK": "".join(chr(rnd.randint(0x4E00, 0x9FFF)) for _ in range(350_000)),
        "1 MB nested brackets": "（" * 250_000 + "）" * 250_000,
        "150k lines 第一条": "第一条 甲。\n" * 150_000,
    }
    out = []
    for name, text in cases.items():
        t0 = time.perf_counter()
        segment_text(text)
        out.append((name, len(text), time.perf_counter() - t0))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("corpus", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args()
    n, chars, articles, secs = bench_corpus(args.corpus, args.limit)
    print(f"corpus: {n} files, {chars:,} chars, {articles:,} articles in {secs:.2f} s "
          f"= {chars / secs:,.0f} chars/s")
    for name, size, secs in bench_pathological():
        print(f"{name}: {size:,} chars in {secs:.2f} s = {size / secs:,.0f} chars/s")


if __name__ == "__main__":
    main()
