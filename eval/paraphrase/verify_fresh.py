"""Check a held-out set of eval/paraphrase (cases_fresh.jsonl, cases_fresh2.jsonl, cases_fresh3.jsonl).

    python eval/paraphrase/verify_fresh.py [--file PATH] [--corpus /work/shared/corpora/lawrefbook] [--quiet]

Runs ``verify.main`` on the file (default cases_fresh.jsonl), accepting the one extra field ``set``, which
must carry the set's name ("fresh" for cases_fresh.jsonl, "fresh2" for cases_fresh2.jsonl, "fresh3" for
cases_fresh3.jsonl), and also fails when a case cites a law or reuses an id of an earlier set: cases.jsonl for
the fresh set; cases.jsonl and cases_fresh.jsonl for fresh2; cases.jsonl, cases_fresh.jsonl and
cases_fresh2.jsonl for fresh3. verify.py itself is unchanged: ``python eval/paraphrase/verify.py`` still
checks cases.jsonl.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FRESH = HERE / "cases_fresh.jsonl"
# file name -> (required value of "set", earlier files whose laws and ids it may not use)
HELD_OUT = {
    "cases_fresh.jsonl": ("fresh", ("cases.jsonl",)),
    "cases_fresh2.jsonl": ("fresh2", ("cases.jsonl", "cases_fresh.jsonl")),
    "cases_fresh3.jsonl": ("fresh3", ("cases.jsonl", "cases_fresh.jsonl", "cases_fresh2.jsonl")),
}


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0], add_help=False)
    ap.add_argument("--file", default=str(FRESH), help="the held-out cases file (default cases_fresh.jsonl)")
    args, rest = ap.parse_known_args(argv)
    path = Path(args.file).resolve()
    if path.name not in HELD_OUT:
        print(f"FAIL {path.name}: not a known held-out set ({', '.join(HELD_OUT)})")
        return 1
    set_name, earlier = HELD_OUT[path.name]
    verify = _load("paraphrase_verify", HERE / "verify.py")
    build = verify._builder()
    build.FIELDS = (*tuple(build.FIELDS), "set")
    if set_name not in build.SETS:
        build.SETS = (*tuple(build.SETS), set_name)  # (a set build.py does not list)
    verify._builder = lambda: build  # the same checks, with "set" a known field
    problems = []
    used_laws: dict[str, str] = {}
    used_ids: dict[str, str] = {}
    for name in earlier:
        for c in _read(HERE / name):
            used_laws.setdefault(c["law"], name)
            used_ids.setdefault(c["id"], name)
    with path.open(encoding="utf-8") as f:
        lines = list(f)
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        c = json.loads(line)
        if c.get("set") != set_name:
            problems.append(f"line {n} {c.get('id')}: 'set' must be \"{set_name}\"")
        if c.get("law") in used_laws:
            problems.append(f"line {n} {c.get('id')}: {c.get('law')} is already used in {used_laws[c['law']]}")
        if c.get("id") in used_ids:
            problems.append(f"line {n} {c.get('id')}: id already used in {used_ids[c['id']]}")
    rc = verify.main(["--cases", str(path), *rest])
    for p in problems:
        print("FAIL " + p)
    if problems:
        print(f"\nFAILED: {len(problems)} {set_name}-set problem(s)")
        return 1
    return rc


if __name__ == "__main__":
    sys.exit(main())
