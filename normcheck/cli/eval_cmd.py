"""``normcheck eval``: score a run against a labelled dataset, or run the benchmark suites (thin)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from normcheck.errors import NormcheckError


def _fail(msg: str, code: int = 2) -> NoReturn:
    typer.echo(msg, err=True)
    raise typer.Exit(code)


def eval_command(
    dataset: Annotated[Path | None, typer.Argument(help="Dataset (.jsonl or .parquet); see eval/README.md.")] = None,
    predictions: Annotated[Path | None, typer.Option("--predictions", "-p",
                                            help="Results JSONL of `normcheck check` (else it is run).")] = None,
    compare: Annotated[Path | None, typer.Option("--compare", help="A second results JSONL, or a second model "
                                                 "folder (run against --model-dir, or the rules), for a paired "
                                                 "test.")] = None,
    model_dir: Annotated[Path | None, typer.Option("--model-dir", help="A trained model folder that check uses "
                                                   "(pair cross-encoder); default: the rules.")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Report folder (JSON, Markdown, PNG).")] = None,
    suite: Annotated[str | None, typer.Option("--suite", help="Run a benchmark suite by name, or 'all'.")] = None,
    corpus: Annotated[str | None, typer.Option("--corpus", help="Corpus index to run normcheck with.")] = None,
    corpus_src: Annotated[Path | None, typer.Option("--corpus-src",
                                           help="Law collection the suites are built from "
                                                "(default ../shared/corpora/lawrefbook).")] = None,
    build_dir: Annotated[Path | None, typer.Option("--build-dir", help="Built suites ($NORMCHECK_HOME/eval).")] = None,
    split: Annotated[str, typer.Option("--split", help="dev or test (suites).")] = "test",
    limit: Annotated[int | None, typer.Option("--limit", help="At most N docs per suite (seeded).")] = None,
    resamples: Annotated[int, typer.Option("--resamples", help="Bootstrap resamples (0 = no intervals).")] = 1000,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Rebuild suites even when cached.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON, not Markdown.")] = False,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="No progress output.")] = False,
    from_workbench: Annotated[Path | None, typer.Option("--from-workbench", help="A workbench database "
                                                        "(workbench.sqlite): precision by type from the "
                                                        "reviewers' accepted/rejected findings.")] = None,
) -> None:
    """Score predictions against labelled review outcomes; `--suite all` runs every benchmark in eval/."""
    if from_workbench is not None:
        _from_workbench(from_workbench, as_json)
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from normcheck.evaluation import evaluate
    from normcheck.evaluation.report import render_markdown
    from normcheck.evaluation.suites import available_suites, render_table, run_suites

    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=Console(stderr=True), disable=quiet)
    tasks: dict[str, Any] = {}

    def progress(*args: object) -> None:
        """(suite, done, total) from run_suites, (done, total) from evaluate."""
        *label, done, total = args
        name = str(label[0]) if label else "documents"
        if name not in tasks:
            tasks[name] = bar.add_task(name, total=int(str(total)))
        bar.update(tasks[name], completed=int(str(done)))

    import os

    from normcheck.ml.plug import MODELS_ENV

    if model_dir is not None:
        os.environ[MODELS_ENV] = str(model_dir)
    if compare is not None and compare.is_dir():  # two model folders (or a folder and the rules), same suite
        try:
            from normcheck.cli.compare_models import compare_models

            typer.echo(compare_models(dataset, suite, model_dir, compare, split=split, corpus=corpus,
                                      corpus_src=corpus_src, build_dir=build_dir, limit=limit, seed=seed,
                                      resamples=resamples, out=out, as_json=as_json, progress=None))
        except (NormcheckError, ValueError) as e:
            _fail(str(e), 1 if isinstance(e, NormcheckError) else 2)
        return
    try:
        bar.start()
        if suite is not None:
            known = available_suites()
            names = list(known) if suite == "all" else [suite]
            if any(n not in known for n in names):
                _fail(f"unknown suite {suite!r}; use one of: {', '.join(known)}, all")
            from normcheck.paths import default_corpus_sources

            src = corpus_src or next(iter(default_corpus_sources()), None)
            if src is None or not Path(src).is_dir():
                _fail("[E103] no corpus source to build the suites from; pass --corpus-src "
                      "(e.g. ../shared/corpora/lawrefbook)")
            res = run_suites(names, corpus_root=Path(str(src)), corpus=corpus, split=split, build_dir=build_dir,
                             limit=limit, seed=seed, n_resamples=resamples, out_dir=out, force_build=rebuild,
                             progress=progress)
            if out is not None:
                out.mkdir(parents=True, exist_ok=True)
                (out / "suites.md").write_text(render_table(res) + "\n", encoding="utf-8")
                (out / "suites.json").write_text(json.dumps({k: v for k, v in res.items() if k != "reports"},
                                                            ensure_ascii=False, indent=2), encoding="utf-8")
            bar.stop()
            typer.echo(json.dumps(res["rows"], ensure_ascii=False, indent=2) if as_json else render_table(res))
            return
        if dataset is None:
            _fail("give a DATASET file or --suite NAME|all")
        rep = evaluate(dataset, predictions=predictions, compare=compare, corpus=corpus, out_dir=out,
                       n_resamples=resamples, seed=seed, progress=progress)
        bar.stop()
        typer.echo(json.dumps(rep, ensure_ascii=False, indent=2, default=str) if as_json
                   else render_markdown(rep, plot_name=None))
    except NormcheckError as e:
        bar.stop()
        _fail(str(e), 1)
    except ValueError as e:
        bar.stop()
        _fail(str(e), 2)
    finally:
        bar.stop()


def _from_workbench(db: Path, as_json: bool) -> None:
    from normcheck.serve.outcomes import precision_by_type, render_precision
    from normcheck.serve.store import Store

    try:
        store = Store.open_existing(db)
        rep = precision_by_type(store)
        store.close()
    except NormcheckError as e:
        _fail(str(e), 1)
    typer.echo(json.dumps(rep, ensure_ascii=False, indent=2) if as_json else render_precision(rep))


def register(app: typer.Typer) -> None:
    """Add ``normcheck eval``."""
    app.command("eval")(eval_command)
