"""Check eval/paraphrase/cases_fresh.jsonl (the held-out "fresh" set) with verify.py's checks.

    python eval/paraphrase/verify_fresh.py [--corpus /work/shared/corpora/lawrefbook] [--quiet]

Runs ``verify.main`` on cases_fresh.jsonl, accepting the one extra field ``set`` (which must be
"fresh"), and also fails when a fresh case cites one of the laws of cases.jsonl or reuses one of its
ids. verify.py itself is unchanged: ``python eval/paraphrase/verify.py`` still checks cases.jsonl.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FRESH = HERE / "cases_fresh.jsonl"


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    verify = _load("paraphrase_verify", HERE / "verify.py")
    build = verify._builder()
    build.FIELDS = (*tuple(build.FIELDS), "set")
    verify._builder = lambda: build  # the same checks, with "set" a known field
    problems = []
    old = [json.loads(line) for line in (HERE / "cases.jsonl").open(encoding="utf-8") if line.strip()]
    old_laws = {c["law"] for c in old}
    old_ids = {c["id"] for c in old}
    for n, line in enumerate(FRESH.open(encoding="utf-8"), 1):
        if not line.strip():
            continue
        c = json.loads(line)
        if c.get("set") != "fresh":
            problems.append(f"line {n} {c.get('id')}: 'set' must be \"fresh\"")
        if c.get("law") in old_laws:
            problems.append(f"line {n} {c.get('id')}: {c.get('law')} is already used in cases.jsonl")
        if c.get("id") in old_ids:
            problems.append(f"line {n} {c.get('id')}: id already used in cases.jsonl")
    rc = verify.main(["--cases", str(FRESH), *argv])
    for p in problems:
        print("FAIL " + p)
    if problems:
        print(f"\nFAILED: {len(problems)} fresh-set problem(s)")
        return 1
    return rc


if __name__ == "__main__":
    sys.exit(main())
