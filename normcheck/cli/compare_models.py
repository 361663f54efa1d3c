"""``normcheck eval --model-dir A --compare B``: the same documents checked with two model folders (or
one folder and the rules), scored with the paired bootstrap of ``normcheck.evaluation.metrics``."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from normcheck.errors import Code, NormcheckError


def _records(dataset: Path | None, suite: str | None, *, split: str, corpus_src: Path | None,
             build_dir: Path | None, limit: int | None, seed: int) -> tuple[list[Any], list[str] | None, str]:
    from normcheck.evaluation.dataset import load_dataset
    from normcheck.evaluation.suites import DEFAULT_MAX_DOCS, build_suite, load_builder, subsample

    if dataset is not None:
        recs = load_dataset(dataset)
        return (subsample(recs, limit, seed) if limit else recs), None, str(dataset)
    if suite is None or suite == "all":
        raise ValueError("--compare with a model folder needs a DATASET or one --suite NAME")
    from normcheck.paths import default_corpus_sources

    src = corpus_src or next(iter(default_corpus_sources()), None)
    if src is None or not Path(src).is_dir():
        raise NormcheckError(Code.CORPUS_SOURCE_MISSING, "no corpus source to build the suite from; pass --corpus-src")
    files = build_suite(suite, Path(src), build_dir=build_dir)
    mod = load_builder(None, suite)
    recs = subsample(load_dataset(files[split]), limit if limit is not None else
                     int(getattr(mod, "MAX_DOCS", DEFAULT_MAX_DOCS)), seed)
    types = list(getattr(mod, "LABEL_TYPES", []) or []) or None
    return recs, types, f"{suite} ({split}, {len(recs)} docs)"


def compare_models(dataset: Path | None, suite: str | None, model_a: Path | None, model_b: Path, *, split: str,
                   corpus: str | None, corpus_src: Path | None, build_dir: Path | None, limit: int | None,
                   seed: int, resamples: int, out: Path | None, as_json: bool,
                   progress: Callable[[int, int], None] | None = None) -> str:
    """A = ``model_a`` (None: the rules alone), B = ``model_b``; the report as Markdown or JSON."""
    from normcheck.evaluation import evaluate
    from normcheck.evaluation.predictions import run_check
    from normcheck.evaluation.report import render_markdown
    from normcheck.ml.plug import MODELS_ENV

    records, types, name = _records(dataset, suite, split=split, corpus_src=corpus_src, build_dir=build_dir,
                                    limit=limit, seed=seed)
    before = os.environ.get(MODELS_ENV)
    runs = []
    try:
        for m in (model_a, model_b):
            os.environ[MODELS_ENV] = str(m) if m is not None else "none"
            runs.append(run_check(records, corpus=corpus, progress=progress))
    finally:
        if before is None:
            os.environ.pop(MODELS_ENV, None)
        else:
            os.environ[MODELS_ENV] = before
    notes = sorted({n for r in runs[1] + runs[0] for n in r.get("notes", []) if "W130" in n})
    rep = evaluate(records, predictions=runs[0], compare=runs[1], types=types, n_resamples=resamples, seed=seed,
                   name=f"{name}: A = {model_a or 'rules'}, B = {model_b}", out_dir=out)
    rep["models"] = {"a": str(model_a) if model_a else None, "b": str(model_b), "notes": notes}
    if as_json:
        return json.dumps(rep, ensure_ascii=False, indent=2, default=str)
    head = f"A: {model_a or 'rules only'}; B: {model_b}" + ("".join(f"\n{n}" for n in notes) if notes else "")
    return head + "\n\n" + render_markdown(rep, plot_name=None)
