"""``normcheck train TASK``: train a tokenizer, an encoder or a head from our own data (thin).

Options map onto the task's dataclass of training arguments (``normcheck.ml``); an option left out
keeps the dataclass default (for ``pair``: the shipped ``models/pair-tiny``). Without ``--out`` the
model goes to a new folder under ``$NORMCHECK_HOME/models/``: ``train`` never writes into the
repository's ``models/`` unless ``--out`` names it.
"""

from __future__ import annotations

import dataclasses
import json
import shlex
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from normcheck.errors import NormcheckError


def _fail(msg: str, code: int = 2) -> NoReturn:
    typer.echo(msg, err=True)
    raise typer.Exit(code)


_FLAGS = {"out_dir": "--out", "base_model": "--base-model", "tokenizer": "--tokenizer", "epochs": "--epochs",
          "max_steps": "--max-steps", "max_seconds": "--max-seconds", "batch_size": "--batch-size",
          "learning_rate": "--lr", "hidden_size": "--hidden", "num_layers": "--layers", "num_heads": "--heads",
          "max_length": "--max-length", "save_steps": "--save-steps", "device": "--device", "seed": "--seed",
          "threads": "--threads", "input_format": "--input-format", "vocab_size": "--vocab-size", "kind": "--kind",
          "tokenizer_kind": "--kind", "max_texts": "--max-texts", "max_train_texts": "--max-texts",
          "max_train_rows": "--max-rows", "positive_weight": "--positive-weight", "amended_weight": "--amended-weight",
          "blend": "--blend", "resamples": "--resamples"}


def _command(task: str, data: Path | None, corpus_src: Path | None, given: dict[str, Any]) -> str:
    """The command line that reproduces this run (written to the model card)."""
    parts = ["normcheck", "train", task]
    if data is not None:
        parts += ["--data", str(data)]
    if corpus_src is not None:
        parts += ["--corpus-src", str(corpus_src)]
    for k, v in given.items():
        if v is None:
            continue
        if k == "whole_word_mask":
            parts.append("--whole-word-mask" if v else "--token-mask")
        elif k == "resume":
            parts.append("--resume")
        elif k in _FLAGS:
            parts += [_FLAGS[k], str(v)]
    return " ".join(shlex.quote(x) for x in parts)


def train_command(
    task: Annotated[str, typer.Argument(help="What to train: pair (cross-encoder: clause vs superior provision), "
                                        "retrieval (bi-encoder), attention (clause -> needs-attention "
                                        "probability), encoder (MLM pretraining), tokenizer.")],
    data: Annotated[Path | None, typer.Option("--data", help="pair: JSONL of {text_a, text_b, label}, a folder of "
                                              "train/dev/test.jsonl or an inconsistency-benchmark folder; retrieval: "
                                              "scripts/mine_pairs.py output; attention: the folder of "
                                              "scripts/build_attention_data.py (train/dev/test.jsonl); "
                                              "encoder/tokenizer: a law collection "
                                              "(default --corpus-src).")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Folder the model is saved in (default: a new "
                                             "folder under $NORMCHECK_HOME/models/).")] = None,
    base_model: Annotated[Path | None, typer.Option("--base-model", help="A local HF checkpoint folder (safetensors) "
                                                    "to fine-tune, e.g. from `train encoder`.")] = None,
    tokenizer: Annotated[Path | None, typer.Option("--tokenizer", help="encoder, attention: a tokenizer folder "
                                                   "to use.")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="tokenizer (and encoder's own): terms, bpe, wordpiece, "
                                             "chars.")] = None,
    vocab_size: Annotated[int | None, typer.Option("--vocab-size", help="tokenizer/encoder vocabulary.")] = None,
    max_texts: Annotated[int | None, typer.Option("--max-texts", help="encoder/tokenizer: use at most N corpus "
                                                  "lines.")] = None,
    epochs: Annotated[float | None, typer.Option("--epochs", help="Passes over the training split.")] = None,
    max_steps: Annotated[int | None, typer.Option("--max-steps", help="Stop after this many steps.")] = None,
    max_seconds: Annotated[float | None, typer.Option("--max-seconds", help="Wall-clock training budget.")] = None,
    batch_size: Annotated[int | None, typer.Option("--batch-size")] = None,
    learning_rate: Annotated[float | None, typer.Option("--lr", help="Peak learning rate.")] = None,
    hidden_size: Annotated[int | None, typer.Option("--hidden", help="Encoder width (from scratch).")] = None,
    num_layers: Annotated[int | None, typer.Option("--layers", help="Encoder layers (from scratch).")] = None,
    num_heads: Annotated[int | None, typer.Option("--heads", help="Attention heads (from scratch).")] = None,
    max_length: Annotated[int | None, typer.Option("--max-length", help="Tokens per text or pair.")] = None,
    whole_word_mask: Annotated[bool | None, typer.Option("--whole-word-mask/--token-mask",
                                                         help="encoder: mask jieba words together.")] = None,
    save_steps: Annotated[int | None, typer.Option("--save-steps", help="encoder: checkpoint every N steps.")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="encoder: continue from the newest checkpoint in --out.")
                      ] = False,
    device: Annotated[str | None, typer.Option("--device", help="cpu (default), cuda, mps or auto.")] = None,
    seed: Annotated[int | None, typer.Option("--seed")] = None,
    threads: Annotated[int | None, typer.Option("--threads", help="torch CPU threads.")] = None,
    input_format: Annotated[str | None, typer.Option("--input-format", help="pair: diff_marked (differences "
                                                     "wrapped in 〔〕) or plain.")] = None,
    max_rows: Annotated[int | None, typer.Option("--max-rows", help="attention: every positive training row and "
                                                 "sampled negatives, this many rows in all.")] = None,
    positive_weight: Annotated[float | None, typer.Option("--positive-weight", help="attention: loss weight of a "
                                                          "positive row.")] = None,
    amended_weight: Annotated[float | None, typer.Option("--amended-weight", help="attention: weight of the amended "
                                                         "suite's rows.")] = None,
    blend: Annotated[str | None, typer.Option("--blend", help="attention: features (text logit + rule features, "
                                              "fitted on dev) or none (the text model alone).")] = None,
    resamples: Annotated[int | None, typer.Option("--resamples", help="attention: bootstrap resamples.")] = None,
    corpus_src: Annotated[Path | None, typer.Option("--corpus-src", help="Law collection (default "
                                                    "../shared/corpora/lawrefbook).")] = None,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="No progress output.")] = False,
) -> None:
    """Train a model (safetensors, model card and per-split metrics written to --out); prints the metrics."""
    from normcheck.ml.training import TASKS, arguments_class, train
    from normcheck.paths import default_corpus_sources

    if task not in TASKS:
        _fail(f"error: unknown task {task!r}; use one of: {', '.join(TASKS)}")

    def progress(msg: str) -> None:
        if not quiet:
            typer.echo("  " + msg, err=True)

    given: dict[str, Any] = {
        "out_dir": str(out) if out else None, "base_model": str(base_model) if base_model else None,
        "tokenizer": str(tokenizer) if tokenizer else None, "epochs": epochs, "max_steps": max_steps,
        "max_seconds": max_seconds, "batch_size": batch_size, "learning_rate": learning_rate,
        "hidden_size": hidden_size, "num_layers": num_layers, "num_heads": num_heads, "max_length": max_length,
        "whole_word_mask": whole_word_mask, "save_steps": save_steps, "resume": resume or None, "device": device,
        "seed": seed, "threads": threads, "input_format": input_format, "vocab_size": vocab_size,
        "kind" if task == "tokenizer" else "tokenizer_kind": kind,
        "max_texts" if task == "tokenizer" else "max_train_texts": max_texts,
        "max_train_rows": max_rows, "positive_weight": positive_weight, "amended_weight": amended_weight,
        "blend": blend, "resamples": resamples,
    }
    try:
        cls = arguments_class(task)
        names = {f.name for f in dataclasses.fields(cls)}
        unused = sorted(k for k, v in given.items() if v is not None and k not in names)
        if unused:
            _fail(f"error: `train {task}` takes no {', '.join(unused)}")
        kw = {k: v for k, v in given.items() if v is not None}
        kw["command"] = _command(task, data, corpus_src, given)
        args = cls(**kw)
        src = corpus_src or next(iter(default_corpus_sources()), None)
        res = train(task, data, args, corpus_src=src, progress=progress)
    except NormcheckError as e:
        _fail(str(e))
    except ValueError as e:
        _fail(f"error: {e}")
    summary = {"task": task, "out": str(res.out_dir), "steps": res.steps, "train_seconds": res.train_seconds,
               "n_params": res.n_params,
               "metrics": {s: {k: v for k, v in m.items() if not isinstance(v, dict)} for s, m in res.metrics.items()}}
    typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))


def register(app: typer.Typer) -> None:
    app.command("train")(train_command)
