"""Check eval/paraphrase/cases.jsonl against the corpus; exit 1 on any problem.

    python eval/paraphrase/verify.py [--corpus /work/shared/corpora/lawrefbook] [--quiet]

Per case: the cited article exists in that version of the law (and the paragraph, when given), the
``as_of`` date falls while that version was in force, and neither the clause nor its note/expected
shares a run of 16 or more consecutive characters with the superior law (the cited article, and any
other article of that law version: no statute text may be committed). Also fails on a repeated id or
a missing / malformed field. Prints counts by label, change kind, control kind and split.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = os.environ.get("NORMCHECK_LAWREFBOOK", "/work/shared/corpora/lawrefbook")


def _builder():
    spec = importlib.util.spec_from_file_location("paraphrase_build", HERE / "build.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["paraphrase_build"] = mod
    spec.loader.exec_module(mod)
    return mod


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=DEFAULT_CORPUS, help="LawRefBook-layout corpus root")
    ap.add_argument("--cases", default=str(HERE / "cases.jsonl"))
    ap.add_argument("--quiet", action="store_true", help="print only problems and the counts")
    args = ap.parse_args(argv)
    b = _builder()
    cases = b.load_cases(Path(args.cases))
    corpus = b.Corpus(Path(args.corpus))
    failures: list[str] = []
    seen: dict[str, int] = {}
    ok_cases = []
    for n, case in enumerate(cases, 1):
        cid = case.get("id", f"<line {n}>")
        problems = b.case_problems(case)
        if cid in seen:
            problems.append(f"duplicate id (first on line {seen[cid]})")
        else:
            seen[cid] = n
        sup = None
        if not any(p.startswith("missing field") for p in problems):
            try:
                sup = b.locate(corpus, case)
            except b.CaseError as e:
                problems.append(str(e).split(": ", 1)[-1])
        if sup is not None:
            run = b.shared_run(case["clause"], sup.text)
            if run:
                problems.append(f"clause shares 16+ characters with {case['article']}: {run!r}")
            else:
                run = b.shared_run(case["clause"], sup.law_text)
                if run:
                    problems.append(f"clause shares 16+ characters with another article of {case['law']}: {run!r}")
            for fld in ("note", "expected"):
                if isinstance(case.get(fld), str):
                    run = b.shared_run(case[fld], sup.law_text)
                    if run:
                        problems.append(f"{fld} shares 16+ characters with {case['law']}: {run!r}")
            versions = corpus.versions(case["law"])
            later = [v for v in versions if v > case["version"]]
            start = corpus.valid_from(case["law"], case["version"]) or case["version"]
            if case["as_of"] < max(start, case["version"]):
                problems.append(f"as_of {case['as_of']} is before {case['law']}({case['version']}) took effect "
                                f"({max(start, case['version'])})")
            if later and case["as_of"] >= later[0]:
                problems.append(f"as_of {case['as_of']} is on or after the next version ({later[0]})")
        where = (f"{case.get('law')}({case.get('version')}) {case.get('article')}"
                 + (f"第{case['paragraph']}款" if isinstance(case.get("paragraph"), int) else ""))
        if problems:
            for p in problems:
                failures.append(f"{cid}: {p}")
            print(f"FAIL {cid:28} {where}: " + "; ".join(problems))
        else:
            ok_cases.append(case)
            if not args.quiet:
                print(f"ok   {cid:28} {where} exists [{sup.rel if sup else '?'}] "
                      f"split={b.split_of_law(case['law'])}")
    _counts(b, cases)
    if failures:
        print(f"\nFAILED: {len(failures)} problem(s) in {len(cases) - len(ok_cases)} of {len(cases)} cases")
        return 1
    print(f"\nOK: {len(cases)} cases, every cited article found, no 16-character run shared with the superior law")
    return 0


def _counts(b, cases: list[dict]) -> None:
    good = [c for c in cases if isinstance(c, dict) and "label" in c and "law" in c]
    by_label = Counter(c["label"] for c in good)
    by_change = Counter(c.get("change") for c in good if c["label"] == "changed")
    by_control = Counter(c.get("control") for c in good if c["label"] == "control")
    by_split = Counter((b.split_of_law(c["law"]), c["label"]) for c in good)
    laws = Counter(c["law"] for c in good)
    provisions = {(c["law"], c["version"], c["article"], c.get("paragraph")) for c in good if c["label"] != "control"}
    print("\ncounts")
    print(f"  cases: {len(good)}; superior provisions with a faithful/changed pair: {len(provisions)}; "
          f"laws: {len(laws)}")
    print("  by label: " + ", ".join(f"{k} {v}" for k, v in sorted(by_label.items())))
    print("  by change: " + ", ".join(f"{k} {v}" for k, v in sorted(by_change.items())))
    print("  by control: " + ", ".join(f"{k} {v}" for k, v in sorted(by_control.items())))
    for split in ("dev", "test"):
        row = {lab: by_split.get((split, lab), 0) for lab in b.LABELS}
        split_laws = sorted(law for law in laws if b.split_of_law(law) == split)
        print(f"  {split}: {sum(row.values())} cases (" + ", ".join(f"{k} {v}" for k, v in row.items())
              + f"); laws: {'、'.join(split_laws)}")


if __name__ == "__main__":
    sys.exit(main())
