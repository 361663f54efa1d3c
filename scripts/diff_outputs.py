"""Diff normcheck's JSONL between two commits on the sample draft and a fixed sample of DLC regulations.

    python scripts/diff_outputs.py BASE [OTHER] [--docs 200] [--as-of 2026-11-28] [--keep DIR]

BASE and OTHER are commits (OTHER defaults to the working tree). Each is checked out into a temporary
git worktree (the working tree is used as is) and run in its own interpreter with ``PYTHONPATH`` set
to it, against the corpus index in ``$NORMCHECK_HOME``. Prints how many documents' lines differ and,
for the first few, which top-level fields; exits 1 when any differ. Used for refactors that must not
change output (issue 11): report the count on the issue.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpora" / "lawrefbook"

RUNNER = r"""
import json, sys
paths = json.load(open(sys.argv[1], encoding="utf-8"))
as_of = sys.argv[2]
import normcheck
with open(sys.argv[3], "w", encoding="utf-8") as out:
    for p in paths:
        r = normcheck.check(p, as_of=as_of)
        out.write(json.dumps(r.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
"""


def sample_paths(n: int) -> list[str]:
    dlc = sorted(p for p in (CORPUS / "DLC").rglob("*.md") if not p.name.startswith("_"))
    step = max(1, len(dlc) // n) if n else 1
    picked = dlc[::step][:n] if n else []
    sample = ROOT / "examples" / "sample_draft.txt"
    if not sample.exists():
        sample = ROOT / "normcheck" / "data" / "sample_draft.txt"
    return [str(sample), *map(str, picked)]


def run_at(tree: Path, paths: list[str], as_of: str, out: Path) -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as fh:
        json.dump(paths, fh)
    env = dict(os.environ, PYTHONPATH=str(tree))
    subprocess.run([sys.executable, "-c", RUNNER, fh.name, as_of, str(out)], check=True, env=env, cwd=tree)


def checkout(commit: str, where: Path) -> Path:
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(where), commit], check=True,
                   capture_output=True)
    return where


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("base")
    ap.add_argument("other", nargs="?")
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--as-of", default="2026-11-28")
    ap.add_argument("--keep", type=Path, help="keep the two JSONL files in this folder")
    args = ap.parse_args()
    paths = sample_paths(args.docs)
    tmp = Path(tempfile.mkdtemp(prefix="nc-diff-"))
    outdir = args.keep or tmp
    outdir.mkdir(parents=True, exist_ok=True)
    trees = []
    try:
        base_tree = checkout(args.base, tmp / "base")
        trees.append(base_tree)
        other_tree = checkout(args.other, tmp / "other") if args.other else ROOT
        if args.other:
            trees.append(other_tree)
        a, b = outdir / "base.jsonl", outdir / "other.jsonl"
        run_at(base_tree, paths, args.as_of, a)
        run_at(other_tree, paths, args.as_of, b)
    finally:
        for t in trees:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(t)], capture_output=True)
    la = a.read_text("utf-8").splitlines()
    lb = b.read_text("utf-8").splitlines()
    differ = []
    for p, x, y in zip(paths, la, lb, strict=True):
        if x != y:
            ox, oy = json.loads(x), json.loads(y)
            fields = sorted(k for k in set(ox) | set(oy) if ox.get(k) != oy.get(k))
            differ.append((p, fields))
    print(f"{len(paths)} documents (sample draft + {len(paths) - 1} DLC regulations), as of {args.as_of}: "
          f"{len(differ)} differ")
    for p, fields in differ[:20]:
        print(f"  {Path(p).name}: {', '.join(fields)}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
