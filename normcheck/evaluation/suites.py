"""Benchmark suites: build, run, tabulate (builder interface in ``eval/README.md``).

Builders live in the package, one module each under :mod:`normcheck.evaluation.builders`, so an
installed wheel can build every built-in suite. Inside a source checkout, any ``eval/<suite>/build.py``
adds a suite too (a new suite can start there before it moves into the package); a packaged builder
wins over a checkout file of the same name.
"""

from __future__ import annotations

import importlib
import importlib.util
import random
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from normcheck.evaluation.dataset import load_dataset

#: The suites whose builders ship with the package, in table order.
BUILTIN_SUITES = ("citations", "amended", "noise_floor", "authority", "inconsistency")
#: Kept for importers: the packaged suites. :func:`available_suites` adds a checkout's ``eval/<suite>/``.
SUITES = BUILTIN_SUITES
DEFAULT_MAX_DOCS = 60
_BUILDERS = "normcheck.evaluation.builders"


def default_eval_dir() -> Path | None:
    """``eval/`` of the source checkout the package is imported from; None for an installed wheel."""
    from normcheck.paths import source_checkout

    root = source_checkout()
    return root / "eval" if root is not None and (root / "eval").is_dir() else None


def default_build_dir() -> Path:
    from normcheck.paths import normcheck_home

    return normcheck_home() / "eval"


def _eval_dir(eval_dir: Path | None) -> Path | None:
    return eval_dir if eval_dir is not None else default_eval_dir()


def available_suites(eval_dir: Path | None = None) -> tuple[str, ...]:
    """The packaged suites, then (sorted) every ``<eval_dir>/<suite>/build.py`` that adds a new name;
    ``eval_dir`` defaults to the checkout's ``eval/`` (none for an installed wheel)."""
    ed = _eval_dir(eval_dir)
    extra = sorted(p.parent.name for p in ed.glob("*/build.py")) if ed is not None and ed.is_dir() else []
    return BUILTIN_SUITES + tuple(n for n in extra if n not in BUILTIN_SUITES)


def load_builder(eval_dir: Path | None, suite: str) -> ModuleType | None:
    """The builder module of ``suite``: the packaged one (``normcheck.evaluation.builders.<suite>``),
    else ``<eval_dir>/<suite>/build.py`` imported by path; None when the suite has no builder."""
    if suite in BUILTIN_SUITES:
        return importlib.import_module(f"{_BUILDERS}.{suite}")
    ed = _eval_dir(eval_dir)
    if ed is None:
        return None
    path = ed / suite / "build.py"
    if not path.is_file():
        return None
    name = f"normcheck_eval_suite_{suite}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        return None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def build_suite(suite: str, corpus_root: Path, *, eval_dir: Path | None = None, build_dir: Path | None = None,
                force: bool = False) -> dict[str, Path]:
    """Build one suite's dev/test files (cached: rebuilt when missing, older than the builder, or forced)."""
    names = available_suites(eval_dir)
    if suite not in names:
        raise ValueError(f"unknown suite {suite!r}; use one of {', '.join(names)} or all")
    mod = load_builder(eval_dir, suite)
    if mod is None:  # pragma: no cover - listed suites always have a builder
        raise FileNotFoundError(f"suite {suite!r} has no builder")
    out = (build_dir or default_build_dir()) / suite
    files = {s: out / f"{s}.jsonl" for s in ("dev", "test")}
    src = Path(str(mod.__file__))
    if not force and all(p.is_file() and p.stat().st_mtime >= src.stat().st_mtime for p in files.values()):
        return files
    return dict(mod.build(Path(corpus_root), out))


def subsample(records: list[Any], n: int | None, seed: int = 0) -> list[Any]:
    """A fixed-seed sample of at most ``n`` records, kept in dataset order."""
    if n is None or len(records) <= n:
        return records
    keep = sorted(random.Random(seed).sample(range(len(records)), n))
    return [records[i] for i in keep]


def run_suites(names: list[str], *, corpus_root: Path, corpus: str | None = None, split: str = "test",
               eval_dir: Path | None = None, build_dir: Path | None = None, limit: int | None = None,
               seed: int = 0, n_resamples: int = 300, out_dir: Path | None = None, force_build: bool = False,
               progress: Callable[[str, int, int], None] | None = None) -> dict[str, Any]:
    """Build (if needed) and evaluate each suite on ``split``; suites without a builder are skipped with a note.

    Returns {"rows": [...one per suite...], "reports": {suite: report}, "skipped": {suite: why}}.
    """
    from normcheck.evaluation.core import evaluate

    if split not in ("dev", "test"):
        raise ValueError(f"split must be dev or test, got {split!r}")
    rows: list[dict[str, Any]] = []
    reports: dict[str, Any] = {}
    skipped: dict[str, str] = {}
    for suite in names:
        mod = load_builder(eval_dir, suite)
        if mod is None:
            skipped[suite] = f"not built yet (no builder: normcheck/evaluation/builders/ or eval/{suite}/build.py)"
            continue
        try:
            files = build_suite(suite, corpus_root, eval_dir=eval_dir, build_dir=build_dir, force=force_build)
        except Exception as e:  # a broken builder must not hide the other suites
            skipped[suite] = f"build failed: {type(e).__name__}: {e}"
            continue
        records = load_dataset(files[split])
        cap = limit if limit is not None else int(getattr(mod, "MAX_DOCS", DEFAULT_MAX_DOCS))
        records = subsample(records, cap, seed)
        types = list(getattr(mod, "LABEL_TYPES", []) or []) or None

        def prog(i: int, n: int, _s: str = suite) -> None:
            if progress:
                progress(_s, i, n)

        rep = evaluate(records, corpus=corpus, types=types, n_resamples=n_resamples, seed=seed,
                       name=f"{suite} ({split}, {len(records)} docs)", progress=prog,
                       out_dir=(out_dir / suite) if out_dir else None)
        reports[suite] = rep
        rows.append(table_row(suite, rep, getattr(mod, "DESCRIPTION", "")))
    return {"rows": rows, "reports": reports, "skipped": skipped, "split": split}


def table_row(suite: str, rep: dict[str, Any], description: str = "") -> dict[str, Any]:
    cl = rep["classification"]["clause"]["micro"]
    doc = rep["classification"]["document"]["micro"]
    rk = rep["ranking"]
    cov = rep["coverage"]
    return {"suite": suite, "description": description, "docs": cov["n_documents"],
            "errors": cov["n_error"] + cov["n_missing"], "positives": rk["n_positives"],
            "P": cl["precision"], "R": cl["recall"], "F1": cl["f1"], "doc_F1": doc["f1"],
            "AUPR": rk["aupr"], "MAP": rk["map"], "NDCG@10": rk["ndcg@10"],
            "P@R80": rk["precision@recall80"], "ECE": rep["calibration"]["ece"],
            "high/100art": rep["alarms"]["high_per_100_articles"]}


def render_table(result: dict[str, Any]) -> str:
    from normcheck.evaluation.report import fmt

    cols = ["suite", "docs", "errors", "positives", "P", "R", "F1", "doc_F1", "AUPR", "MAP", "NDCG@10",
            "P@R80", "ECE", "high/100art"]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for r in result["rows"]:
        lines.append("| " + " | ".join(fmt(r[c], 2 if c == "high/100art" else 3) for c in cols) + " |")
    notes = [f"- {s}: skipped, {why}" for s, why in result["skipped"].items()]
    return "\n".join(lines + (["", *notes] if notes else []))
