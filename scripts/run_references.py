"""Run the citation finder, resolver and references check over all DLC local regulations.

Prints counts by finding type (and by reason and severity) and, with ``--out``, writes one JSON line
per finding and per unflagged citation for ``scripts/sample_references.py``.

    .venv/bin/python scripts/run_references.py --corpus /tmp/corpus.sqlite --as-of 2026-11-28 --out refs.jsonl
    .venv/bin/python scripts/run_references.py --corpus /tmp/corpus.sqlite --as-of own
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

from normcheck.checks.references import reference_findings
from normcheck.cite import InternalReference, LawCitation, UnnamedBasis, find_citations
from normcheck.corpus.store import Corpus
from normcheck.resolve import document_date, resolve_citations
from normcheck.types.law import Level

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SRC = REPO.parent / "shared" / "corpora" / "lawrefbook"


def dlc_files(src: Path) -> list[Path]:
    return sorted(p for p in (src / "DLC").glob("*地方法规/地方性法规/*/*.md") if p.name != "_index.md")


def context(text: str, start: int, end: int, width: int = 60) -> str:
    out = text[max(0, start - width):start] + "【" + text[start:end] + "】" + text[end:end + width]
    return out.replace("\n", "⏎")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--src", type=Path, default=DEFAULT_SRC, help="LawRefBook folder (with DLC/)")
    ap.add_argument("--corpus", type=Path, default=None, help="corpus index (default: $NORMCHECK_HOME)")
    ap.add_argument("--as-of", default="2026-11-28", help="YYYY-MM-DD, or 'own' = each document's own date")
    ap.add_argument("--limit", type=int, default=0, help="only the first N files (0 = all)")
    ap.add_argument("--out", type=Path, default=None, help="JSONL of findings and unflagged citations")
    args = ap.parse_args(argv)

    from normcheck import segment
    from normcheck.structure.kind import infer_kind

    files = dlc_files(args.src)
    if args.limit:
        files = files[: args.limit]
    corpus = Corpus.open(args.corpus)
    by_type: Counter[str] = Counter()
    by_reason: Counter[tuple[str, str, str]] = Counter()
    cit_kinds: Counter[str] = Counter()
    docs_with: Counter[str] = Counter()
    no_date = 0
    errors = 0
    cache: dict = {}
    out = args.out.open("w", encoding="utf-8") if args.out else None
    t0 = time.perf_counter()
    for path in files:
        region = path.parent.parent.parent.name.removesuffix("地方法规")
        try:
            doc = segment(path)
        except Exception as exc:  # a script: report and go on
            errors += 1
            print(f"skip {path.name}: {exc}", file=sys.stderr)
            continue
        kind = infer_kind(doc)[0] or Level.LOCAL_REGULATION
        # the version date in the file name, else the latest date in the preamble
        m = re.search(r"\((\d{4}-\d{2}-\d{2})\)\.md$", path.name)
        own = max(d for d in (m.group(1) if m else None, document_date(doc)) if d) \
            if (m or document_date(doc)) else None
        if args.as_of == "own":
            if not own:
                no_date += 1
                continue
            as_of = own
        else:
            as_of = args.as_of
        cits = find_citations(doc)
        for c in cits:
            cit_kinds[c.kind] += 1
        res = resolve_citations(cits, doc, corpus, as_of=as_of, region=region, kind=kind, cited_on=own, memo=cache)
        fs = reference_findings(doc, corpus, as_of=as_of, region=region, kind=kind, citations=cits,
                                cited_on=own, resolutions=res)
        seen_types = set()
        flagged: set[tuple[int, int]] = set()
        for f in fs:
            by_type[f.type.value] += 1
            by_reason[(f.type.value, f.details.get("reason", ""), f.severity.value)] += 1
            seen_types.add(f.type.value)
            flagged.add((f.start, f.end))
            if out:
                out.write(json.dumps({"path": str(path.relative_to(args.src)), "record": "finding",
                                      "as_of": as_of, "doc_date": own, "finding": f.to_dict(),
                                      "context": context(doc.original, f.start, f.end)},
                                     ensure_ascii=False) + "\n")
        for t in seen_types:
            docs_with[t] += 1
        if out:
            for c in cits:
                if isinstance(c, UnnamedBasis) or (isinstance(c, InternalReference) and c.form == "above"):
                    continue
                if any(c.start <= s < c.end or s <= c.start < e for s, e in flagged):
                    continue
                if c.clause is None:
                    continue
                desc = (f"《{c.title}》 refs={[r.label for r in c.refs]}" if isinstance(c, LawCitation)
                        else f"{c.form} {c.word} refs={[r.label for r in c.refs]}")
                out.write(json.dumps({"path": str(path.relative_to(args.src)), "record": "citation",
                                      "as_of": as_of, "doc_date": own, "kind": c.kind, "desc": desc,
                                      "clause": c.clause, "context": context(doc.original, c.start, c.end)},
                                     ensure_ascii=False) + "\n")
    if out:
        out.close()
    dt = time.perf_counter() - t0
    print(f"files {len(files)}  errors {errors}  skipped (no own date) {no_date}  as_of {args.as_of}  {dt:.1f}s")
    print("citations by kind:", dict(cit_kinds))
    print("findings by type:", dict(by_type))
    print("documents with a finding of type:", dict(docs_with))
    print("by (type, reason, severity):")
    for (t, r, s), n in sorted(by_reason.items(), key=lambda kv: -kv[1]):
        print(f"  {n:6d}  {t:20s} {r:22s} {s}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
