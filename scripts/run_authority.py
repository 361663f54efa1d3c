"""Run the authority check over every DLC local regulation under its true kind, as of its own date.

    .venv/bin/python scripts/run_authority.py [--corpus-root ../shared/corpora/lawrefbook] [--top 20]

They passed review, so most high-severity alarms here are false: prints alarms per 100 articles, by type,
and the top offending documents with their alarm texts (to inspect).
"""

from __future__ import annotations

import argparse
import collections
import re
import sys
import time
from pathlib import Path

from normcheck import segment
from normcheck.checks import CheckContext
from normcheck.checks.authority.check import check_authority
from normcheck.structure.kind import infer_kind, infer_place
from normcheck.types.document import NodeKind
from normcheck.types.law import Level

_REG = {Level.LOCAL_REGULATION, Level.MUNICIPAL_REGULATION, Level.AUTONOMOUS_REGULATION,
        Level.PROVINCIAL_RULE, Level.MUNICIPAL_RULE}
_DATE_RE = re.compile(r"\((\d{4}-\d{2}-\d{2})\)\.md$")


def true_kind(doc) -> Level:  # type: ignore[no-untyped-def]
    kind, _ = infer_kind(doc)
    if kind in _REG:
        return kind  # type: ignore[return-value]
    return Level.MUNICIPAL_REGULATION if infer_place(doc).city else Level.LOCAL_REGULATION


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus-root", default=str(Path(__file__).resolve().parents[1] / "../shared/corpora/lawrefbook"))
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--limit", type=int, default=0, help="only the first N files (0 = all)")
    args = ap.parse_args(argv)
    root = Path(args.corpus_root)
    files = sorted(p for p in root.glob("DLC/*/地方性法规/*/*.md") if p.name != "_index.md")
    if args.limit:
        files = files[: args.limit]
    t0 = time.time()
    n_art = 0
    by_sev: collections.Counter[str] = collections.Counter()
    by_type: collections.Counter[tuple[str, str]] = collections.Counter()
    by_row: collections.Counter[str] = collections.Counter()
    per_doc: list[tuple[int, str, list[str]]] = []
    kinds: collections.Counter[str] = collections.Counter()
    for f in files:
        doc = segment(f)
        kind = true_kind(doc)
        kinds[kind.value] += 1
        m = _DATE_RE.search(f.name)
        as_of = m.group(1) if m else (doc.meta.date or "2025-01-01")
        region = f.parent.name
        ctx = CheckContext(document=doc, kind=kind, as_of=as_of, region=region)
        arts = sum(1 for _ in doc.nodes(NodeKind.ARTICLE))
        n_art += arts
        fs = check_authority(ctx)
        highs = []
        for x in fs:
            by_sev[x.severity.value] += 1
            by_type[(x.type.value, x.severity.value)] += 1
            if x.severity.value == "high":
                by_row[x.details.get("table_row", "")] += 1
                a, b = x.start, x.end
                highs.append(f"  {x.clause} {x.type.value} [{x.details.get('table_row')}] "
                             f"…{doc.original[max(0, a - 40):b + 20]}…".replace("\n", " "))
        if highs:
            per_doc.append((len(highs), f"{region}/{f.name} ({kind.value}, {arts} articles)", highs))
    dt = time.time() - t0
    print(f"files: {len(files)}  articles: {n_art}  time: {dt:.1f}s  kinds: {dict(kinds)}")
    for sev in ("high", "medium", "low"):
        print(f"{sev:6s} alarms: {by_sev[sev]:5d}  per 100 articles: {100 * by_sev[sev] / max(n_art, 1):.3f}")
    print("by type/severity:", dict(sorted(by_type.items())))
    print("high by table row:", dict(by_row.most_common()))
    print(f"documents with a high alarm: {len(per_doc)}")
    per_doc.sort(key=lambda t: (-t[0], t[1]))
    for n, name, highs in per_doc[: args.top]:
        print(f"{n:3d}  {name}")
        for h in highs[:4]:
            print(h)
    return 0


if __name__ == "__main__":
    sys.exit(main())
