"""normcheck's speed on this machine: one table, one JSON file, optionally against an earlier commit.

    python scripts/bench.py [--docs N] [--jobs 1,2] [--sizes 100,500] [--build] [--baseline COMMIT]
                            [--json bench.json]

Measures (issue 15), with the machine noted:
- segmentation: characters/s over every law file of the corpus (read, normalise, segment, metadata);
- corpus build (``--build``): a fresh index of the corpus source, seconds and size;
- latency of one ~50-article DLC regulation: warm (in-process, p50/p95 of 15 runs after one) and cold
  (a new process, CLI start to result, p50/p95 of 5 runs);
- per-stage share of time (``pipeline.check(timings=…)``) over the first documents;
- throughput of ``normcheck check DIR --jobs J`` over N DLC regulations (documents/s, articles/s,
  peak RSS of the largest worker), for each J, and for each size in ``--sizes`` with the last J.

``--baseline COMMIT`` runs the same measurements on that commit (a git worktree on PYTHONPATH) in the
same run and prints ratios (this / baseline), since these machines are shared and noisy: the two sides
take turns step by step (this, baseline, next step…), so a change in the machine's load hits both.
Uses the corpus index in ``$NORMCHECK_HOME`` (build it first) and the corpus source next to the checkout.
The index is never written: each side runs with its own ``NORMCHECK_HOME`` (a temporary folder holding
a link to the index and a copy of its retrieval cache), so a side whose retrieval key differs rebuilds
its cache there (reported as ``retrieval_rebuilt``), not in place. Run it ``nice``d on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
#: the law collection (``NORMCHECK_BENCH_CORPUS`` when the bench runs from a worktree elsewhere)
CORPUS = Path(os.environ.get("NORMCHECK_BENCH_CORPUS") or ROOT.parent / "shared" / "corpora" / "lawrefbook")
AS_OF = "2026-11-28"
CLI = "import sys; from normcheck.cli import main; sys.argv[0] = 'normcheck'; main()"
#: runs a command; writes "peak RSS KB, CPU seconds" of its process tree (what rusage sees: reaped children)
LAUNCH = ("import resource, subprocess, sys; rc = subprocess.run(sys.argv[2:]).returncode; "
          "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
          "open(sys.argv[1], 'w').write(f'{u.ru_maxrss} {u.ru_utime + u.ru_stime}'); sys.exit(rc)")


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        cpu = next(ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo", encoding="utf-8")
                   if ln.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = 0
    try:
        mem = int(next(ln.split()[1] for ln in open("/proc/meminfo", encoding="utf-8") if ln.startswith("MemTotal")))
    except (OSError, StopIteration):
        pass
    return {"cpus": os.cpu_count(), "cpu": cpu, "mem_gb": round(mem / 1024 / 1024, 1),
            "python": platform.python_version(), "load_at_start": os.getloadavg()[0]}


def dlc_files() -> list[Path]:
    return sorted(p for p in (CORPUS / "DLC").rglob("*.md") if not p.name.startswith("_"))


def pick_50_articles(files: list[Path]) -> Path:
    import re

    best, gap = files[0], 10**9
    for p in files[:400]:
        n = len(re.findall(r"(?m)^第[一二三四五六七八九十百零〇]+条", p.read_text("utf-8")))
        if abs(n - 50) < gap:
            best, gap = p, abs(n - 50)
    return best


def bench_segment() -> dict[str, Any]:
    try:
        from normcheck.structure.segment import segment_text
    except ImportError:  # a baseline commit from before the issue 11 layout
        from normcheck.segmentation import segment_text  # type: ignore[import-not-found,no-redef]

    texts = [p.read_text("utf-8") for p in sorted(CORPUS.rglob("*.md")) if p.name != "_index.md"]
    t0 = time.perf_counter()
    arts = sum(len(segment_text(t, fmt="md").articles()) for t in texts)
    s = time.perf_counter() - t0
    chars = sum(map(len, texts))
    return {"files": len(texts), "chars": chars, "articles": arts, "seconds": round(s, 2),
            "chars_per_s": round(chars / s)}


def bench_build() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "corpus.sqlite"
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", CLI, "corpus", "build", str(CORPUS), "--out", str(out), "-q"],
                       check=True)
        return {"seconds": round(time.perf_counter() - t0, 1), "size_mb": round(out.stat().st_size / 2**20, 1)}


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(q * (len(xs) - 1)))]


def bench_latency(doc: Path) -> dict[str, Any]:
    from normcheck.pipeline import check

    check(doc, as_of=AS_OF)  # warm-up: opens the index, loads the retrieval cache
    warm = []
    for _ in range(15):
        t0 = time.perf_counter()
        check(doc, as_of=AS_OF)
        warm.append(time.perf_counter() - t0)
    cold = []
    with tempfile.TemporaryDirectory() as d:
        for i in range(5):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", CLI, "check", str(doc), "--as-of", AS_OF, "--out",
                            str(Path(d) / f"{i}.jsonl"), "-q"], check=True)
            cold.append(time.perf_counter() - t0)
    return {"document": doc.name, "warm_p50": round(statistics.median(warm), 3), "warm_p95": round(pct(warm, .95), 3),
            "cold_p50": round(statistics.median(cold), 2), "cold_p95": round(pct(cold, .95), 2)}


def bench_stages(files: list[Path]) -> dict[str, Any]:
    from normcheck.pipeline import check

    timings: dict[str, float] = {}
    check(files[0], as_of=AS_OF)
    for p in files:
        try:
            check(p, as_of=AS_OF, timings=timings)
        except TypeError:  # a commit without per-stage timings
            return {"documents": len(files), "seconds": None, "share": {}}
    total = sum(timings.values()) or 1.0
    return {"documents": len(files), "seconds": round(total, 2),
            "share": {k: round(v / total, 3) for k, v in sorted(timings.items(), key=lambda kv: -kv[1])}}


def bench_batch(files: list[Path], jobs: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d) / "in"
        folder.mkdir()
        for i, p in enumerate(files):
            (folder / f"{i:05d}.md").symlink_to(p)
        out = Path(d) / "out.jsonl"
        rss_file = Path(d) / "rss"
        t0 = time.perf_counter()
        # through a launcher, so the peak is this run's largest process (the CLI or a worker), not the
        # largest child this bench ever had
        proc = subprocess.run([sys.executable, "-c", LAUNCH, str(rss_file), sys.executable, "-c", CLI, "check",
                               str(folder), "--as-of", AS_OF, "--jobs", str(jobs), "--out", str(out), "-q"],
                              capture_output=True, text=True)
        s = time.perf_counter() - t0
        rss, cpu = (float(x) for x in rss_file.read_text().split()) if rss_file.exists() else (0.0, 0.0)
        lines = out.read_text("utf-8").splitlines() if out.exists() else []
        articles = 0
        errors = 0
        for ln in lines:
            obj = json.loads(ln)
            errors += obj.get("error") is not None
            articles += len({c.get("article") for c in obj.get("clauses", []) if c.get("article")})
    return {"jobs": jobs, "documents": len(lines), "errors": errors, "rc": proc.returncode, "seconds": round(s, 1),
            "docs_per_s": round(len(lines) / s, 2), "articles_per_s": round(articles / s, 1),
            "peak_rss_mb": round(rss / 1024), "cpu_s": round(cpu, 1),
            # CPU seconds per document: what a shared machine's load changes least
            "cpu_s_per_doc": round(cpu / max(1, len(lines)), 3)}


def steps(args: argparse.Namespace) -> list[str]:
    """The measurements, in order, as names a child process can run one at a time."""
    files = dlc_files()
    n = min(args.docs, len(files)) if args.docs else len(files)
    jobs = [int(j) for j in args.jobs.split(",") if j]
    out = ["segment"] + (["build"] if args.build else []) + ["latency", "stages"]
    out += [f"batch:{n}:{j}" for j in jobs]
    out += [f"growth:{s}:{jobs[-1]}" for s in (int(x) for x in args.sizes.split(",") if x)
            if s != n and s <= len(files)]
    if args.only:
        keep = set(args.only.split(","))
        out = [s for s in out if s.split(":")[0] in keep]
    return out


def run_step(step: str, args: argparse.Namespace) -> Any:
    files = dlc_files()
    load = os.getloadavg()[0]
    if step == "segment":
        r: Any = bench_segment()
    elif step == "build":
        r = bench_build()
    elif step == "latency":
        r = bench_latency(pick_50_articles(files))
    elif step == "stages":
        r = bench_stages(files[: args.stage_docs])
    else:
        _kind, size, j = step.split(":")
        r = bench_batch(files[: int(size)], int(j))
    if isinstance(r, dict):
        r["load_before"] = round(load, 2)
    return r


def record(res: dict[str, Any], step: str, r: Any) -> None:
    kind = step.split(":")[0]
    if kind in ("batch", "growth"):
        res.setdefault(kind, []).append(r)
    else:
        res[kind] = r


def private_home(tag: str) -> Path:
    """A NORMCHECK_HOME of this side's own: a link to the index, a copy of its retrieval cache."""
    import shutil

    src = Path(os.environ.get("NORMCHECK_HOME", Path.home() / ".cache" / "normcheck"))
    home = Path(tempfile.mkdtemp(prefix=f"nc-bench-home-{tag}-"))
    index = src / "corpus.sqlite"
    if index.is_file():
        (home / "corpus.sqlite").symlink_to(index.resolve())
        cache = src / "corpus.sqlite.retrieval.npz"
        if cache.is_file():
            shutil.copy2(cache, home / cache.name)
    return home


def cache_state(home: Path) -> tuple[int, int] | None:
    c = home / "corpus.sqlite.retrieval.npz"
    return (c.stat().st_mtime_ns, c.stat().st_size) if c.is_file() else None


def _commit(where: Path) -> str:
    r = subprocess.run(["git", "-C", str(where), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", str(where), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return r.stdout.strip() + ("+dirty" if dirty and where == ROOT else "")


FIELDS = [("segment", "chars_per_s", "segmentation chars/s", True), ("build", "seconds", "corpus build s", False),
          ("build", "size_mb", "index MB", False), ("latency", "warm_p50", "50-article warm p50 s", False),
          ("latency", "warm_p95", "50-article warm p95 s", False), ("latency", "cold_p50", "cold p50 s", False),
          ("latency", "cold_p95", "cold p95 s", False)]


def rows(res: dict[str, Any]) -> list[tuple[str, float, bool]]:
    out = []
    for sec, key, label, higher in FIELDS:
        if sec in res:
            out.append((label, res[sec][key], higher))
    for b in res.get("batch", []) + res.get("growth", []):
        tag = f"{b['documents']} docs, --jobs {b['jobs']}"
        out += [(f"{tag}: docs/s", b["docs_per_s"], True), (f"{tag}: articles/s", b["articles_per_s"], True),
                (f"{tag}: peak RSS MB", b["peak_rss_mb"], False)]
        if b.get("cpu_s_per_doc"):
            out.append((f"{tag}: CPU s/doc", b["cpu_s_per_doc"], False))
    j = {b["jobs"]: b["docs_per_s"] for b in res.get("batch", [])}
    if 1 in j and 2 in j and j[1]:
        out.append(("--jobs 2 / --jobs 1 speed-up", round(j[2] / j[1], 2), True))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=0, help="DLC regulations for the throughput runs (0 = all)")
    ap.add_argument("--jobs", default="1,2")
    ap.add_argument("--sizes", default="", help="extra document counts for the cost-growth runs, e.g. 100,500")
    ap.add_argument("--stage-docs", type=int, default=30)
    ap.add_argument("--build", action="store_true", help="also time a fresh corpus build (about 1-3 minutes)")
    ap.add_argument("--baseline", help="an earlier commit to measure in the same run")
    ap.add_argument("--only", help="run only these steps: segment,build,latency,stages,batch,growth")
    ap.add_argument("--json", type=Path, default=Path("bench.json"))
    ap.add_argument("--_child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--_step", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args._child:
        print(json.dumps(run_step(args._step, args) if args._step else machine()))
        return 0
    this_home = private_home("this")
    os.environ["NORMCHECK_HOME"] = str(this_home)
    res: dict[str, Any] = {"machine": machine(), "commit": _commit(ROOT)}
    base: dict[str, Any] | None = None
    wt: Path | None = None
    base_env: dict[str, str] = {}
    argv = [a for a in sys.argv[1:] if a not in ("--baseline", args.baseline)]
    if args.baseline:
        wt = Path(tempfile.mkdtemp(prefix="nc-bench-")) / "wt"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(wt), args.baseline],
                       check=True, capture_output=True)
        base_env = dict(os.environ, PYTHONPATH=str(wt), NORMCHECK_HOME=str(private_home("base")))
        base = {"commit": args.baseline}
    before = {"this": cache_state(this_home)}
    if base is not None:
        before["base"] = cache_state(Path(base_env["NORMCHECK_HOME"]))
    try:
        for step in steps(args):
            print(f"[{time.strftime('%H:%M:%S')}] {step} (load {os.getloadavg()[0]:.1f})", file=sys.stderr, flush=True)
            record(res, step, run_step(step, args))
            if base is not None and wt is not None:
                proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), *argv, "--_child", "--_step",
                                       step], cwd=wt, env=base_env, capture_output=True, text=True)
                if proc.returncode != 0:
                    print(f"baseline {step} failed: {proc.stderr[-2000:]}", file=sys.stderr)
                    continue
                record(base, step, json.loads(proc.stdout.strip().splitlines()[-1]))
    finally:
        if wt is not None:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(wt)], capture_output=True)
    res["retrieval_rebuilt"] = cache_state(this_home) != before["this"]
    if base is not None:
        base["machine"] = res["machine"]
        base["retrieval_rebuilt"] = cache_state(Path(base_env["NORMCHECK_HOME"])) != before.get("base")
        base.setdefault("stages", {"share": {}})
    m = res["machine"]
    print(f"normcheck bench — {res['commit']} — {m['cpus']} CPUs ({m['cpu']}), {m['mem_gb']} GB, "
          f"Python {m['python']}, load {m['load_at_start']:.2f}")
    brows = {label: v for label, v, _ in rows(base)} if base else {}
    print(f"{'measure':<44} {'this':>12}" + (f" {base['commit'][:10]:>12} {'ratio':>7}" if base else ""))
    for label, v, higher in rows(res):
        line = f"{label:<44} {v:>12}"
        if base and label in brows and brows[label]:
            ratio = v / brows[label]
            line += f" {brows[label]:>12} {ratio:>6.2f}{'↑' if (ratio > 1) == higher else '↓'}"
        print(line)
    print("stage share:", ", ".join(f"{k} {v:.0%}" for k, v in res.get("stages", {"share": {}})["share"].items()))
    if base and base["stages"]["share"]:
        print("baseline stage share:", ", ".join(f"{k} {v:.0%}" for k, v in base["stages"]["share"].items()))
    args.json.write_text(json.dumps({"this": res, "baseline": base}, ensure_ascii=False, indent=1), "utf-8")
    print(f"written {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
