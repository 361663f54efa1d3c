"""``normcheck train TASK --data DATASET``: train a model from our own data (thin)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from normcheck.errors import NormcheckError


def _fail(msg: str, code: int = 2) -> NoReturn:
    typer.echo(msg, err=True)
    raise typer.Exit(code)


def train_command(
    task: Annotated[str, typer.Argument(help="What to train: pair (clause vs superior provision).")],
    data: Annotated[Path, typer.Option("--data", help="JSONL of {text_a, text_b, label}, a folder of "
                                       "train/dev/test.jsonl, or an inconsistency-benchmark folder.")],
    base_model: Annotated[Path | None, typer.Option("--base-model", help="A local HF checkpoint folder "
                                                    "(safetensors) to fine-tune instead of the tiny encoder.")] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder the model is saved in.")] = Path("models/pair-tiny"),
    epochs: Annotated[float, typer.Option("--epochs", help="Passes over the training split.")] = 3.0,
    max_steps: Annotated[int | None, typer.Option("--max-steps", help="Stop after this many steps.")] = None,
    batch_size: Annotated[int, typer.Option("--batch-size")] = 32,
    learning_rate: Annotated[float, typer.Option("--lr", help="Peak learning rate.")] = 5e-4,
    hidden_size: Annotated[int, typer.Option("--hidden", help="Encoder width (from scratch).")] = 128,
    num_layers: Annotated[int, typer.Option("--layers", help="Encoder layers (from scratch).")] = 2,
    num_heads: Annotated[int, typer.Option("--heads", help="Attention heads (from scratch).")] = 4,
    max_length: Annotated[int, typer.Option("--max-length", help="Tokens per pair.")] = 256,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    threads: Annotated[int | None, typer.Option("--threads", help="torch CPU threads.")] = None,
    input_format: Annotated[str, typer.Option("--input-format", help="diff_marked (differences wrapped in "
                                              "〔〕) or plain.")] = "diff_marked",
    corpus_src: Annotated[Path | None, typer.Option("--corpus-src", help="Corpus source, for a benchmark "
                                                    "folder (default ../shared/corpora/lawrefbook).")] = None,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="No progress output.")] = False,
) -> None:
    """Train a model (safetensors, model card and per-split metrics written to --out); prints the metrics."""
    from normcheck.ml.training import PairTrainingArguments, train
    from normcheck.paths import default_corpus_sources

    def progress(msg: str) -> None:
        if not quiet:
            typer.echo("  " + msg, err=True)

    try:
        args = PairTrainingArguments(
            out_dir=str(out), base_model=str(base_model) if base_model else None, epochs=epochs,
            max_steps=max_steps, batch_size=batch_size, learning_rate=learning_rate, hidden_size=hidden_size,
            num_layers=num_layers, num_heads=num_heads, max_length=max_length, seed=seed, threads=threads,
            input_format=input_format)
        src = corpus_src or next(iter(default_corpus_sources()), None)
        res = train(task, data, args, corpus_src=src, progress=progress)
    except NormcheckError as e:
        _fail(str(e))
    except ValueError as e:
        _fail(f"error: {e}")
    summary = {"out": str(res.out_dir), "steps": res.steps, "train_seconds": res.train_seconds,
               "n_params": res.n_params,
               "metrics": {s: {k: m[k] for k in ("n", "accuracy", "macro_f1")} for s, m in res.metrics.items()}}
    typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))


def register(app: typer.Typer) -> None:
    app.command("train")(train_command)
