"""Where one process spends its time checking DLC regulations: a pyinstrument (else cProfile) profile.

    python scripts/profile_batch.py [--docs 30] [--cold] [--out profile.txt]

Checks the first ``--docs`` DLC regulations in this process, the first one excluded from the profile
unless ``--cold`` (then opening the corpus and the retrieval index are in it), and prints the top
functions by own time and the per-stage shares (``pipeline.check(timings=…)``). Uses the index in
``$NORMCHECK_HOME``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
#: the DLC regulations (``NORMCHECK_BENCH_CORPUS``, as for bench.py, when run from a worktree elsewhere)
DLC = Path(os.environ.get("NORMCHECK_BENCH_CORPUS") or ROOT.parent / "shared" / "corpora" / "lawrefbook") / "DLC"
AS_OF = "2026-11-28"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=30)
    ap.add_argument("--cold", action="store_true", help="profile the first document too (index loading)")
    ap.add_argument("--out", type=Path, help="also write the full pyinstrument text report here")
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args()
    from normcheck.pipeline import check

    files = sorted(p for p in DLC.rglob("*.md") if not p.name.startswith("_"))[: args.docs]
    if not args.cold:
        check(files[0], as_of=AS_OF)
    timings: dict[str, float] = {}
    try:
        from pyinstrument import Profiler
    except ImportError:
        Profiler = None
    t0 = time.perf_counter()
    prof = cProfile.Profile()
    if Profiler is not None:
        pi = Profiler(interval=0.002)
        pi.start()
    else:
        prof.enable()
    for p in files:
        check(p, as_of=AS_OF, timings=timings)
    if Profiler is not None:
        pi.stop()
    else:
        prof.disable()
    wall = time.perf_counter() - t0
    print(f"{len(files)} documents in {wall:.2f} s ({len(files) / wall:.2f} docs/s, cold={args.cold})")
    total = sum(timings.values()) or 1.0
    print("stages:", ", ".join(f"{k} {v / total:.1%}" for k, v in sorted(timings.items(), key=lambda kv: -kv[1])))
    if Profiler is not None:
        text = pi.output_text(unicode=True, color=False, show_all=False)
        if args.out:
            args.out.write_text(text, "utf-8")
        # own time per function, from the session's frame tree
        own: dict[str, float] = {}

        def walk(frame: Any) -> None:
            named = [c for c in frame.children if not c.function.startswith("[")]
            for child in named:
                walk(child)
            if frame.function.startswith("["):
                return
            key = f"{frame.function}  {Path(frame.file_path_short or '').as_posix()}:{frame.line_no}"
            own[key] = own.get(key, 0.0) + frame.time - sum(c.time for c in named)

        root = pi.last_session.root_frame()
        if root is not None:
            walk(root)
        dur = sum(own.values()) or 1.0
        print(f"top {args.top} by own time (pyinstrument, {dur:.2f} s sampled):")
        for k, v in sorted(own.items(), key=lambda kv: -kv[1])[: args.top]:
            print(f"  {v:7.2f} s {v / dur:6.1%}  {k}")
    else:
        s = io.StringIO()
        pstats.Stats(prof, stream=s).sort_stats("tottime").print_stats(args.top)
        print(s.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
