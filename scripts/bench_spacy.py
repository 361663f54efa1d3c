"""Overhead of the spaCy component over ``normcheck.check`` on the same texts (issue 18, item 6).

    .venv/bin/python scripts/bench_spacy.py [--n 40] [PATH...]

Texts: the PATHs given, else the sample draft plus up to ``--n`` local regulations from the shared corpus
(``../shared/corpora/lawrefbook``, when present). Both runs use the default corpus index. Prints, per
mode, the total and median seconds per document, then the component's overhead (tokenising with
``spacy.blank("zh")``'s character tokenizer, span groups, attributes) in absolute and relative terms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def texts(paths: list[str], n: int) -> list[str]:
    from normcheck.paths import data_file
    from normcheck.text.read import read_text

    if paths:
        return [read_text(p)[0] for p in paths]
    out = [data_file("sample_draft.txt").read_text(encoding="utf-8")]
    src = ROOT.parent / "shared" / "corpora" / "lawrefbook"
    files = sorted(src.glob("DLC/**/*.md"))[:n] if src.is_dir() else []  # DLC: local regulations
    out += [f.read_text(encoding="utf-8") for f in files]
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--n", type=int, default=40)
    args = ap.parse_args()
    import spacy

    import normcheck
    import normcheck.spacy_component

    docs = texts(args.paths, args.n)
    nlp = spacy.blank("zh")
    nlp.add_pipe("normcheck")
    normcheck.check(docs[0])  # warm caches (corpus index, retrieval) for both modes
    nlp(docs[0])
    times: dict[str, list[float]] = {"normcheck.check": [], "spaCy component": [], "tokenizer only": []}
    for t in docs:
        t0 = time.perf_counter()
        normcheck.check(t)
        t1 = time.perf_counter()
        nlp(t)
        t2 = time.perf_counter()
        nlp.make_doc(t)
        t3 = time.perf_counter()
        times["normcheck.check"].append(t1 - t0)
        times["spaCy component"].append(t2 - t1)
        times["tokenizer only"].append(t3 - t2)
    chars = sum(len(t) for t in docs)
    print(f"{len(docs)} documents, {chars} characters")
    for name, ts in times.items():
        print(f"{name:>16}: total {sum(ts):7.2f} s, median {statistics.median(ts) * 1000:8.1f} ms/doc")
    base, comp = sum(times["normcheck.check"]), sum(times["spaCy component"])
    print(f"overhead: {comp - base:+.2f} s ({(comp - base) / base * 100:+.1f} %), "
          f"{(comp - base) / len(docs) * 1000:+.1f} ms/doc")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
