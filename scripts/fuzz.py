"""Long fuzzing run (issue 17): the hypothesis properties of tests/test_fuzz.py with a large budget,
then atheris (coverage-guided) on the reader and the segmenter where atheris is installed.

    python scripts/fuzz.py                 # 2,000 examples per property
    python scripts/fuzz.py --examples 20000 --atheris-runs 100000
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run_hypothesis(examples: int) -> int:
    env = {**os.environ, "NORMCHECK_FUZZ_EXAMPLES": str(examples)}
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
           "--timeout", str(max(600, examples)), str(REPO / "tests" / "test_fuzz.py")]
    print("+", " ".join(cmd), flush=True)
    return subprocess.call(cmd, env=env, cwd=REPO)


def run_atheris(runs: int) -> int:
    try:
        import atheris  # type: ignore[import-not-found]
    except ImportError:
        print("atheris is not installed: skipped (pip install atheris)")
        return 0
    sys.path.insert(0, str(REPO))
    with atheris.instrument_imports():
        import normcheck
        from normcheck.errors import NormcheckError
        from normcheck.text.read import decode_bytes

    def one(data: bytes) -> None:
        try:
            text, _ = decode_bytes(data)
        except NormcheckError:
            return
        if text.strip():
            doc = normcheck.segment(text)
            normcheck.find_citations(doc)

    atheris.Setup([sys.argv[0], f"-runs={runs}"], one)
    atheris.Fuzz()
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--examples", type=int, default=2000, help="hypothesis examples per property")
    ap.add_argument("--atheris-runs", type=int, default=20000, help="atheris iterations (0: skip)")
    args = ap.parse_args()
    rc = run_hypothesis(args.examples)
    if rc == 0 and args.atheris_runs:
        rc = run_atheris(args.atheris_runs)
    return rc


if __name__ == "__main__":
    raise SystemExit(main())
