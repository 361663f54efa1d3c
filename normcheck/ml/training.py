"""Train the pair classifier: a plain torch loop (no accelerate), seeded, metrics per split, a model
card and safetensors weights on save."""

from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from normcheck.ml.common import TrainResult, default_out_dir, model_arg_checks, prepare_run, raise_bad_arguments
from normcheck.ml.common import collate as _collate
from normcheck.ml.common import length_batches as _batches
from normcheck.ml.configuration import LABELS, pair_config
from normcheck.ml.data import PairExample
from normcheck.ml.marking import INPUT_FORMATS, prepare
from normcheck.ml.metrics import classification_metrics

Progress = Callable[[str], None]


@dataclass
class PairTrainingArguments:
    """What ``normcheck train pair`` and ``scripts/train_pair.py`` accept. The defaults are those of the
    shipped ``models/pair-tiny`` (its card gives the exact command)."""

    out_dir: str = field(default="", metadata={"help": "Folder the model is saved in (default: a new folder "
                                                       "under $NORMCHECK_HOME/models/; never models/ unless named)."})
    base_model: str | None = field(default=None, metadata={
        "help": "A local HF checkpoint folder to fine-tune (safetensors); else a tiny encoder from scratch."})
    epochs: float = field(default=3.0, metadata={"help": "Passes over the training split."})
    max_steps: int | None = field(default=None, metadata={"help": "Stop after this many optimiser steps."})
    batch_size: int = field(default=32, metadata={"help": "Training pairs per step."})
    eval_batch_size: int = field(default=128, metadata={"help": "Pairs per batch when evaluating."})
    learning_rate: float = field(default=1e-3, metadata={"help": "Peak AdamW learning rate (linear decay)."})
    weight_decay: float = field(default=0.01, metadata={"help": "AdamW weight decay."})
    warmup_ratio: float = field(default=0.06, metadata={"help": "Share of steps with a linear warm-up."})
    max_length: int = field(default=256, metadata={"help": "Tokens per pair ([CLS] a [SEP] b [SEP]), truncated."})
    hidden_size: int = field(default=64, metadata={"help": "Encoder width (from scratch only)."})
    num_layers: int = field(default=2, metadata={"help": "Encoder layers (from scratch only)."})
    num_heads: int = field(default=4, metadata={"help": "Attention heads (from scratch only)."})
    vocab_min_freq: int = field(default=2, metadata={"help": "A character enters the vocabulary from this count."})
    vocab_max_size: int = field(default=8000, metadata={"help": "Vocabulary size cap (from scratch only)."})
    seed: int = field(default=0, metadata={"help": "Seed for data order and initialisation."})
    threads: int | None = field(default=None, metadata={"help": "torch CPU threads (default: torch's)."})
    input_format: str = field(default="diff_marked", metadata={
        "help": "plain, or diff_marked: the pair's differing stretches wrapped in 〔〕 (normcheck.ml.marking)."})
    max_seconds: float | None = field(default=None, metadata={
        "help": "Stop after this much wall-clock training time (the schedule keeps its length)."})
    device: str = field(default="cpu", metadata={"help": "cpu, cuda, mps or auto."})
    command: str = field(default="", metadata={"help": "How this run was started (written to the card)."})

    def __post_init__(self) -> None:
        checks = [
            *model_arg_checks(self),
            (self.threads is None or self.threads > 0, "threads must be > 0 or None"),
            (self.input_format in INPUT_FORMATS, f"input_format must be one of {', '.join(INPUT_FORMATS)}"),
            (self.max_seconds is None or self.max_seconds > 0, "max_seconds must be > 0 or None"),
            (self.device in ("cpu", "cuda", "mps", "auto") or self.device.startswith("cuda:"),
             "device must be cpu, cuda, mps or auto"),
        ]
        raise_bad_arguments(checks)


def _encode(tok: Any, pairs: Sequence[PairExample], max_length: int,
            input_format: str = "plain") -> list[dict[str, list[int]]]:
    if not pairs:
        return []
    texts = prepare([(p.text_a, p.text_b) for p in pairs], input_format)
    enc = tok([a for a, _ in texts], [b for _, b in texts], truncation="longest_first",
              max_length=max_length, padding=False, return_token_type_ids=True, return_attention_mask=False)
    return [{"input_ids": i, "token_type_ids": t} for i, t in zip(enc["input_ids"], enc["token_type_ids"],
                                                                 strict=True)]


def predict_proba(model: Any, tok: Any, pairs: Sequence[tuple[str, str]], *, batch_size: int = 128,
                  max_length: int | None = None) -> list[list[float]]:
    """Class probabilities (config id order) for (text_a, text_b) pairs, in input order."""
    import torch

    if not pairs:
        return []
    max_length = max_length or int(getattr(model.config, "normcheck_max_length", 0)
                                    or model.config.max_position_embeddings)
    fmt = str(getattr(model.config, "input_format", "plain"))
    items = _encode(tok, [PairExample(a, b, "") for a, b in pairs], max_length, fmt)
    order = sorted(range(len(items)), key=lambda i: len(items[i]["input_ids"]))
    out: list[list[float]] = [[] for _ in items]
    model.eval()
    with torch.inference_mode():
        for s in range(0, len(order), batch_size):
            idx = order[s:s + batch_size]
            batch = _collate([items[i] for i in idx], tok.pad_token_id)
            probs = torch.softmax(model(**batch).logits.float(), dim=-1).tolist()
            for i, p in zip(idx, probs, strict=True):
                out[i] = p
    return out


def evaluate(model: Any, tok: Any, pairs: Sequence[PairExample], *, batch_size: int = 128,
             max_length: int | None = None) -> dict[str, Any]:
    """Classification metrics of ``model`` on ``pairs`` (labels from the model's config)."""
    id2label = {int(k): v for k, v in model.config.id2label.items()}
    labels = [id2label[i] for i in sorted(id2label)]
    probs = predict_proba(model, tok, [(p.text_a, p.text_b) for p in pairs], batch_size=batch_size,
                          max_length=max_length)
    pred = [labels[max(range(len(p)), key=p.__getitem__)] for p in probs]
    return classification_metrics([p.label for p in pairs], pred, labels)


def train_pair(args: PairTrainingArguments, splits: dict[str, list[PairExample]], *,
               progress: Progress | None = None, extra_card: str = "") -> TrainResult:
    """Train on ``splits["train"]``, evaluate every split, save to ``args.out_dir``; E303 without ``[ml]``."""
    from normcheck.ml import require_ml

    require_ml("training a model")
    import torch

    from normcheck.ml.modeling import build_model, from_base
    from normcheck.ml.tokenization import build_tokenizer

    train = splits.get("train") or []
    if not train:
        raise ValueError("the training split is empty; give pairs with split 'train' (or no split)")
    say = progress or (lambda _m: None)
    out = prepare_run(args, "pair")
    from normcheck.ml.pretraining import resolve_device

    device = resolve_device(args.device)
    if args.base_model:
        from transformers import AutoTokenizer

        from normcheck.ml.load import check_model_dir

        tok = AutoTokenizer.from_pretrained(str(check_model_dir(args.base_model)), local_files_only=True)
        model = from_base(args.base_model, LABELS)
    else:
        texts = [t for ab in prepare([(p.text_a, p.text_b) for p in train], args.input_format) for t in ab]
        tok = build_tokenizer(texts, out, min_freq=args.vocab_min_freq, max_size=args.vocab_max_size,
                              max_length=args.max_length)
        model = build_model(pair_config(len(tok), hidden_size=args.hidden_size, num_layers=args.num_layers,
                                        num_heads=args.num_heads, max_length=args.max_length), seed=args.seed)
    model.config.input_format = args.input_format  # read back by predict_proba
    model.config.normcheck_max_length = args.max_length  # ditto (a base model's positions may reach further)
    label2id = {str(k): int(v) for k, v in (model.config.label2id or {}).items()}
    n_params = sum(p.numel() for p in model.parameters())
    say(f"model: {n_params:,} parameters; train pairs: {len(train):,}")
    items = _encode(tok, train, args.max_length, args.input_format)
    y = [label2id[p.label] for p in train]
    lengths = [len(x["input_ids"]) for x in items]
    steps_per_epoch = math.ceil(len(items) / args.batch_size)
    total = args.max_steps or max(1, math.ceil(args.epochs * steps_per_epoch))
    warm = int(total * args.warmup_ratio)
    decay = [p for n, p in model.named_parameters() if p.ndim > 1 and "LayerNorm" not in n]
    no_decay = [p for n, p in model.named_parameters() if not (p.ndim > 1 and "LayerNorm" not in n)]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}], lr=args.learning_rate)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / max(1, warm) if s < warm else max(0.0, (total - s) / max(1, total - warm)))
    rng = random.Random(args.seed)
    history: list[dict[str, float]] = []
    step, t0, run_loss = 0, time.perf_counter(), 0.0
    model.to(device)  # type: ignore[arg-type]  # torch's wrapped signature
    model.train()
    while step < total:
        for b in _batches(len(items), lengths, args.batch_size, rng):
            batch = {k: v.to(device) for k, v in _collate([items[i] for i in b], tok.pad_token_id).items()}
            loss = model(**batch, labels=torch.tensor([y[i] for i in b], device=device)).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad(set_to_none=True)
            step += 1
            lv = float(loss.detach())
            run_loss = 0.9 * run_loss + 0.1 * lv if step > 1 else lv
            if step % 50 == 0 or step == total:
                history.append({"step": step, "loss": round(run_loss, 4),
                                "seconds": round(time.perf_counter() - t0, 1)})
                say(f"step {step}/{total} loss {run_loss:.4f} ({time.perf_counter() - t0:.0f} s)")
            if step >= total or (args.max_seconds is not None and time.perf_counter() - t0 >= args.max_seconds):
                total = step
                break
    train_seconds = time.perf_counter() - t0
    model.to("cpu")  # type: ignore[arg-type]
    model.config.normcheck_task = "pair"
    metrics = {s: evaluate(model, tok, pairs, batch_size=args.eval_batch_size, max_length=args.max_length)
               for s, pairs in splits.items() if pairs}
    result = TrainResult(out, metrics, step, round(train_seconds, 1), n_params, history)
    save_model(model, tok, args, result, extra_card=extra_card)
    return result


def save_model(model: Any, tok: Any, args: PairTrainingArguments, result: TrainResult, *,
               extra_card: str = "") -> Path:
    """Weights (safetensors only), config, tokenizer, ``metrics_<split>.json``, ``training_args.json``
    and a model card ``README.md`` in ``args.out_dir``."""
    out = Path(args.out_dir)
    model.save_pretrained(str(out), safe_serialization=True)
    tok.save_pretrained(str(out))
    for s, m in result.metrics.items():
        (out / f"metrics_{s}.json").write_text(json.dumps(m, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (out / "training_args.json").write_text(json.dumps(
        {**asdict(args), "steps": result.steps, "train_seconds": result.train_seconds,
         "n_params": result.n_params, "history": result.history}, ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8")
    (out / "README.md").write_text(model_card(args, result, extra_card), encoding="utf-8")
    return out


def model_card(args: PairTrainingArguments, result: TrainResult, extra: str = "") -> str:
    rows = ["| split | n | accuracy | macro-F1 |", "|---|---:|---:|---:|"]
    rows += [f"| {s} | {m['n']} | {m['accuracy']:.3f} | {m['macro_f1']:.3f} |" for s, m in result.metrics.items()]
    labels = list(LABELS)
    per = []
    if "test" in result.metrics:
        per = ["| class | precision | recall | F1 | support |", "|---|---:|---:|---:|---:|"]
        per += [f"| {lab} | {c['precision']:.3f} | {c['recall']:.3f} | {c['f1']:.3f} | {c['support']} |"
                for lab in labels if (c := result.metrics["test"]["per_class"].get(lab))]
    base = args.base_model or (f"none: a BERT encoder trained from scratch (hidden {args.hidden_size}, "
                               f"{args.num_layers} layers, {args.num_heads} heads, character vocabulary)")
    return "\n".join([
        "# normcheck pair classifier",
        "",
        "Classifies a pair (text_a = a clause of a normative document, text_b = a superior provision) as "
        "`consistent` (restates it faithfully), `inconsistent` (restates it with a change: a number, a "
        "modality, an added condition, a dropped exception, a wider fine) or `unrelated`.",
        "",
        f"- base model: {base}",
        f"- parameters: {result.n_params:,}; max length {args.max_length} tokens per pair; input format "
        f"`{args.input_format}` (stored in config.json)",
        f"- training: {result.steps} steps, batch {args.batch_size}, lr {args.learning_rate}, seed {args.seed}, "
        f"{result.train_seconds:.0f} s on CPU",
        "- weights: safetensors only; load with `normcheck.ml.pair.PairClassifier.load(path)` (offline)",
        f"- command: `{args.command or 'normcheck train pair --data DATASET --out DIR'}`",
        "",
        "## Metrics (this model)",
        "",
        *rows,
        "",
        *per,
        "",
        extra,
        "",
    ])


#: Tasks ``normcheck train`` knows.
TASKS = ("pair", "retrieval", "attention", "encoder", "tokenizer")


def arguments_class(task: str) -> type:
    """The dataclass of training arguments for ``task``."""
    if task == "pair":
        return PairTrainingArguments
    if task == "retrieval":
        from normcheck.ml.retrieval import RetrievalTrainingArguments

        return RetrievalTrainingArguments
    if task == "attention":
        from normcheck.ml.attention import AttentionTrainingArguments

        return AttentionTrainingArguments
    if task == "encoder":
        from normcheck.ml.pretraining import EncoderTrainingArguments

        return EncoderTrainingArguments
    if task == "tokenizer":
        from normcheck.ml.tokenization import TokenizerTrainingArguments

        return TokenizerTrainingArguments
    raise ValueError(f"unknown task {task!r}; use one of: {', '.join(TASKS)}")


def train(task: str, data: str | Path | None, args: Any, *, corpus_src: str | Path | None = None,
          progress: Progress | None = None) -> Any:
    """``normcheck train TASK --data DATASET``: load the data and train.

    ``pair``: pairs (:func:`normcheck.ml.data.load_pairs`); ``retrieval``: mined pairs
    (``scripts/mine_pairs.py``); ``attention``: clause rows (``scripts/build_attention_data.py``,
    :func:`normcheck.ml.attention.load_attention_rows`); ``encoder`` and ``tokenizer``: corpus text (``data``
    or ``corpus_src``, a law collection). Unknown task -> ValueError listing the tasks; bad data -> NormcheckError."""
    from normcheck.ml import require_ml

    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}; use one of: {', '.join(TASKS)}")
    require_ml(f"`normcheck train {task}`")
    if not args.out_dir:
        args.out_dir = str(default_out_dir(task))
    if task in ("encoder", "tokenizer"):
        from normcheck.ml.text import corpus_lines

        src = data or corpus_src
        if src is None:
            raise ValueError(f"`train {task}` reads corpus text: give --data or --corpus-src (a law collection)")
        train_texts, held = corpus_lines(src, seed=args.seed if hasattr(args, "seed") else 0)
        if progress:
            progress(f"corpus lines: train {len(train_texts):,}, held-out {len(held):,}")
        if task == "encoder":
            from normcheck.ml.pretraining import train_encoder

            return train_encoder(args, train_texts, held, progress=progress)
        from normcheck.ml.tokenization import train_tokenizer_task

        return train_tokenizer_task(args, train_texts, held, progress=progress)
    if data is None:
        raise ValueError(f"`train {task}` needs --data")
    if task == "retrieval":
        from normcheck.ml.retrieval import load_retrieval_pairs, train_retrieval

        rsplits = load_retrieval_pairs(data)
        if progress:
            progress("pairs: " + ", ".join(f"{s} {len(v)}" for s, v in rsplits.items()))
        return train_retrieval(args, rsplits, progress=progress)
    if task == "attention":
        from normcheck.ml.attention import load_attention_rows, train_attention

        asplits = load_attention_rows(data)
        if progress:
            progress("rows: " + ", ".join(f"{s} {len(v)}" for s, v in asplits.items()))
        return train_attention(args, asplits, progress=progress)
    from normcheck.ml.data import load_pairs

    splits = load_pairs(data, corpus_src=corpus_src)
    if progress:
        progress("pairs: " + ", ".join(f"{s} {len(v)}" for s, v in splits.items()))
    return train_pair(args, splits, progress=progress)
