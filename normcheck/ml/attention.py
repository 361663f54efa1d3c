"""The attention head (issue 12): clause -> probability that it needs a reviewer's attention.

Two parts, saved in one model folder:

1. a small text classifier (``BertForSequenceClassification``, labels ``ok`` / ``attention``) over the
   clause text, trained on the labelled suites' rows (``scripts/build_attention_data.py``);
2. a **blend**: a logistic regression (numpy, L2) over the text model's logit and the clause's rule features
   (:func:`normcheck.rank.score.attention_features`: the calibrated rule score, findings alone, the keyword
   prior, the largest term per finding type, ...), fitted on the ``dev`` rows (not trained on), so the model
   can re-rank the rules rather than replace them. Stored in ``config.json`` as ``normcheck_blend``.

Rows (JSONL, one clause each): ``{"suite", "doc", "split": train|dev|test, "text", "label": 0|1,
"features": {name: value}}``; ``--data`` is a folder of ``train/dev/test.jsonl`` or one file with ``split``.

Metrics per split and suite: AUPR (average precision, ties grouped) of the model, of the text model alone
and of the two rules-only baselines on the same clauses: ``normcheck`` (the calibrated attention score of
``normcheck.rank``) and ``rules`` (findings alone), with percentile intervals and the paired bootstrap over
documents (model - baseline).
"""

from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from normcheck.errors import Code, NormcheckError
from normcheck.ml.common import (
    TrainResult,
    collate,
    length_batches,
    model_arg_checks,
    prepare_run,
    raise_bad_arguments,
)

Progress = Callable[[str], None]

#: Classes of the text model, in id order.
ATTENTION_LABELS: tuple[str, ...] = ("ok", "attention")
#: The rules-only baselines every metric is reported against (feature names of the rows).
BASELINES: tuple[str, ...] = ("score", "rules")
BLEND_MODES = ("features", "none")


@dataclass(frozen=True, slots=True)
class AttentionRow:
    suite: str
    doc: str
    split: str
    text: str
    label: int
    features: dict[str, float]
    template: bool = False  # a generic article of a planted benchmark document (never labelled)


@dataclass
class AttentionTrainingArguments:
    """What ``normcheck train attention`` accepts; the defaults are those of the shipped
    ``models/attention-tiny`` (its card gives the exact command)."""

    out_dir: str = field(default="", metadata={"help": "Folder the model is saved in (default: a new folder "
                                                       "under $NORMCHECK_HOME/models/; never models/ unless named)."})
    base_model: str | None = field(default=None, metadata={
        "help": "A local HF checkpoint folder to fine-tune (e.g. models/encoder-tiny); else from scratch."})
    tokenizer: str | None = field(default=None, metadata={
        "help": "From scratch: a tokenizer folder (e.g. models/encoder-tiny); else a character vocabulary of the "
                "training clauses."})
    epochs: float = field(default=2.0, metadata={"help": "Passes over the (subsampled) training rows."})
    max_steps: int | None = field(default=None, metadata={"help": "Stop after this many optimiser steps."})
    batch_size: int = field(default=32, metadata={"help": "Training clauses per step."})
    eval_batch_size: int = field(default=128, metadata={"help": "Clauses per batch when predicting."})
    learning_rate: float = field(default=1e-3, metadata={"help": "Peak AdamW learning rate (linear decay)."})
    weight_decay: float = field(default=0.01, metadata={"help": "AdamW weight decay."})
    warmup_ratio: float = field(default=0.06, metadata={"help": "Share of steps with a linear warm-up."})
    max_length: int = field(default=128, metadata={"help": "Tokens per clause, truncated."})
    hidden_size: int = field(default=64, metadata={"help": "Encoder width (from scratch only)."})
    num_layers: int = field(default=2, metadata={"help": "Encoder layers (from scratch only)."})
    num_heads: int = field(default=4, metadata={"help": "Attention heads (from scratch only)."})
    vocab_min_freq: int = field(default=2, metadata={"help": "Character vocabulary: a character enters from "
                                                             "this count (no --tokenizer/--base-model)."})
    vocab_max_size: int = field(default=6000, metadata={"help": "Character vocabulary size cap."})
    max_train_rows: int | None = field(default=12000, metadata={
        "help": "Keep every positive training row and a seeded sample of negatives up to this many rows."})
    positive_weight: float = field(default=3.0, metadata={"help": "Loss weight of a positive row."})
    amended_weight: float = field(default=0.5, metadata={
        "help": "Weight of the amended suite's rows (a noisy 'the next version changed it' label) in the loss "
                "and the blend."})
    blend: str = field(default="features", metadata={
        "help": "features: a logistic regression over the text logit and the rule features, fitted on dev; "
                "none: the text model alone."})
    blend_l2: float = field(default=1.0, metadata={"help": "L2 penalty of the blend's logistic regression."})
    resamples: int = field(default=1000, metadata={"help": "Bootstrap resamples for the intervals and paired tests."})
    seed: int = field(default=0, metadata={"help": "Seed for sampling, data order, initialisation and bootstrap."})
    threads: int | None = field(default=None, metadata={"help": "torch CPU threads (default: torch's)."})
    max_seconds: float | None = field(default=None, metadata={
        "help": "Stop after this much wall-clock training time (the schedule keeps its length)."})
    device: str = field(default="cpu", metadata={"help": "cpu, cuda, mps or auto."})
    command: str = field(default="", metadata={"help": "How this run was started (written to the card)."})

    def __post_init__(self) -> None:
        checks = [
            *model_arg_checks(self),
            (self.max_train_rows is None or self.max_train_rows > 0, "max_train_rows must be > 0 or None"),
            (self.positive_weight > 0 and self.amended_weight >= 0, "positive_weight > 0, amended_weight >= 0"),
            (self.blend in BLEND_MODES, f"blend must be one of {', '.join(BLEND_MODES)}"),
            (self.blend_l2 >= 0, "blend_l2 must be >= 0"),
            (self.resamples >= 0, "resamples must be >= 0"),
            (self.threads is None or self.threads > 0, "threads must be > 0 or None"),
            (self.max_seconds is None or self.max_seconds > 0, "max_seconds must be > 0 or None"),
            (self.device in ("cpu", "cuda", "mps", "auto") or self.device.startswith("cuda:"),
             "device must be cpu, cuda, mps or auto"),
        ]
        raise_bad_arguments(checks)


# --------------------------------------------------------------------------------------------- data


def _row(obj: Any, where: str, path: str, default_split: str | None) -> AttentionRow:
    if not isinstance(obj, dict):
        raise NormcheckError(Code.BAD_DATASET, f"{where}: expected a JSON object", path)
    split = obj.get("split") or default_split
    feats = obj.get("features") or {}
    if split not in ("train", "dev", "test"):
        raise NormcheckError(Code.BAD_DATASET, f"{where}: 'split' must be train, dev or test", path)
    if not isinstance(obj.get("text"), str) or obj.get("label") not in (0, 1, True, False):
        raise NormcheckError(Code.BAD_DATASET, f"{where}: needs 'text' (a string) and 'label' (0 or 1)", path)
    if not isinstance(feats, dict) or not all(isinstance(v, (int, float)) for v in feats.values()):
        raise NormcheckError(Code.BAD_DATASET, f"{where}: 'features' must map names to numbers", path)
    return AttentionRow(str(obj.get("suite") or "data"), str(obj.get("doc") or where), split, obj["text"],
                        int(obj["label"]), {str(k): float(v) for k, v in feats.items()}, bool(obj.get("template")))


def load_attention_rows(path: str | Path) -> dict[str, list[AttentionRow]]:
    """``{split: rows}`` from a folder of ``train/dev/test.jsonl`` or one JSONL whose rows name their split
    (``scripts/build_attention_data.py`` writes both forms' fields). E204 on a bad row or no training rows."""
    p = Path(path)
    files: list[tuple[Path, str | None]]
    if p.is_dir():
        files = [(p / f"{s}.jsonl", s) for s in ("train", "dev", "test") if (p / f"{s}.jsonl").is_file()]
    elif p.is_file():
        files = [(p, None)]
    else:
        files = []
    if not files:
        raise NormcheckError(Code.BAD_DATASET, "no attention rows here: give scripts/build_attention_data.py's "
                             "folder (train/dev/test.jsonl) or one JSONL of rows with a 'split'", str(p))
    out: dict[str, list[AttentionRow]] = {"train": [], "dev": [], "test": []}
    for f, split in files:
        with f.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as e:
                    raise NormcheckError(Code.BAD_DATASET, f"{f.name} line {n} is not valid JSON ({e.msg})",
                                         str(f)) from None
                r = _row(obj, f"{f.name} line {n}", str(f), split)
                out[r.split].append(r)
    if not out["train"]:
        raise NormcheckError(Code.BAD_DATASET, "no training rows (split 'train')", str(p))
    return {s: v for s, v in out.items() if v}


def subsample_train(rows: Sequence[AttentionRow], cap: int | None, seed: int) -> list[AttentionRow]:
    """Every positive and a seeded sample of negatives, ``cap`` rows in all (order kept)."""
    if cap is None or len(rows) <= cap:
        return list(rows)
    pos = [i for i, r in enumerate(rows) if r.label]
    neg = [i for i, r in enumerate(rows) if not r.label]
    keep = set(pos) | set(random.Random(seed).sample(neg, max(0, min(len(neg), cap - len(pos)))))
    return [r for i, r in enumerate(rows) if i in keep]


# ------------------------------------------------------------------------------------------ metrics


def average_precision(scores: np.ndarray, labels: np.ndarray) -> float | None:
    """Average precision (area under the precision-recall steps), ties grouped as one threshold;
    None without positives."""
    n_pos = int(labels.sum())
    if n_pos == 0:
        return None
    order = np.argsort(-scores, kind="mergesort")
    s, y = scores[order], labels[order]
    tp = np.cumsum(y)
    last = np.r_[np.nonzero(np.diff(s))[0], s.size - 1]  # the end of each group of equal scores
    tp_at, n_at = tp[last], last + 1
    prec = tp_at / n_at
    rec_gain = np.diff(np.r_[0.0, tp_at]) / n_pos
    return float(np.sum(prec * rec_gain))


def _doc_groups(docs: Sequence[str], strata: Sequence[str]) -> dict[str, list[np.ndarray]]:
    by: dict[str, dict[str, list[int]]] = {}
    for i, (d, s) in enumerate(zip(docs, strata, strict=True)):
        by.setdefault(s, {}).setdefault(d, []).append(i)
    return {s: [np.array(ix) for ix in ds.values()] for s, ds in by.items()}


def bootstrap_aupr(systems: Mapping[str, np.ndarray], labels: np.ndarray, docs: Sequence[str],
                   strata: Sequence[str], *, reference: str, resamples: int, seed: int) -> dict[str, Any]:
    """AUPR of each system with a 95% percentile interval, and for every other system the paired bootstrap of
    ``reference - system`` (documents resampled within each stratum, the same resample for all systems):
    ``{"aupr": {name: {value, lo, hi}}, "paired": {name: {delta, lo, hi, p}}}``; ``p`` is two-sided."""
    point = {k: average_precision(v, labels) for k, v in systems.items()}
    out: dict[str, Any] = {"n": int(labels.size), "positives": int(labels.sum()), "docs": len(set(docs)),
                           "aupr": {k: {"value": v} for k, v in point.items()}, "paired": {}}
    if resamples <= 0 or point[reference] is None:
        return out
    groups = _doc_groups(docs, strata)
    rng = np.random.default_rng(seed)
    draws: dict[str, list[float]] = {k: [] for k in systems}
    for _ in range(resamples):
        idx = np.concatenate([gs[j] for gs in groups.values() for j in rng.integers(0, len(gs), len(gs))])
        y = labels[idx]
        if not y.any():
            continue
        for k, v in systems.items():
            draws[k].append(float(average_precision(v[idx], y) or 0.0))
    for k, d in draws.items():
        if d:
            out["aupr"][k].update(lo=float(np.percentile(d, 2.5)), hi=float(np.percentile(d, 97.5)))
    ref = np.array(draws[reference])
    for k in systems:
        if k == reference or not draws[k]:
            continue
        delta = ref - np.array(draws[k])
        p = min(1.0, 2 * min(float((delta <= 0).mean()), float((delta >= 0).mean())))
        out["paired"][k] = {"delta": float((point[reference] or 0.0) - (point[k] or 0.0)),
                            "lo": float(np.percentile(delta, 2.5)), "hi": float(np.percentile(delta, 97.5)),
                            "p": round(p, 4)}
    return out


# -------------------------------------------------------------------------------------------- blend


def _logit(p: np.ndarray) -> np.ndarray:
    q = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(q / (1 - q))


def blend_matrix(text_p: np.ndarray, feats: Sequence[Mapping[str, float]], names: Sequence[str]) -> np.ndarray:
    """The blend's inputs: the text logit, the logit of the calibrated rule score, then ``names``."""
    score = np.array([float(f.get("score", 0.0)) for f in feats])
    cols = [_logit(text_p), _logit(score)] + [np.array([float(f.get(n, 0.0)) for f in feats]) for n in names]
    return np.stack(cols, axis=1) if len(feats) else np.zeros((0, 2 + len(names)))


def fit_logistic(x: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float, iters: int = 50) -> tuple[np.ndarray, float]:
    """Weighted L2 logistic regression by Newton's method (the intercept unpenalised): (coef, intercept)."""
    xb = np.c_[x, np.ones(len(x))]
    beta = np.zeros(xb.shape[1])
    pen = np.full(xb.shape[1], l2)
    pen[-1] = 0.0
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-(xb @ beta)))
        g = xb.T @ (w * (p - y)) + pen * beta
        h = (xb * (w * p * (1 - p))[:, None]).T @ xb + np.diag(pen + 1e-8)
        step = np.linalg.solve(h, g)
        beta -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    return beta[:-1], float(beta[-1])


def apply_blend(blend: Mapping[str, Any] | None, text_p: np.ndarray,
                feats: Sequence[Mapping[str, float]]) -> np.ndarray:
    """The model's probabilities from the text probabilities and the rule features (the text alone without a
    blend)."""
    if not blend:
        return text_p
    x = blend_matrix(text_p, feats, blend["features"])
    z = x @ np.array(blend["coef"], dtype=float) + float(blend["intercept"])
    return np.asarray(1.0 / (1.0 + np.exp(-z)))


# ----------------------------------------------------------------------------------------- model


def _encode(tok: Any, texts: Sequence[str], max_length: int) -> list[dict[str, list[int]]]:
    if not texts:
        return []
    enc = tok(list(texts), truncation=True, max_length=max_length, padding=False, return_token_type_ids=True,
              return_attention_mask=False)
    return [{"input_ids": i, "token_type_ids": t} for i, t in zip(enc["input_ids"], enc["token_type_ids"],
                                                                 strict=True)]


def text_proba(model: Any, tok: Any, texts: Sequence[str], *, batch_size: int = 128,
               max_length: int | None = None, device: str = "cpu") -> np.ndarray:
    """P(attention) of the text model for each clause text, in input order (batched, length-sorted)."""
    import torch

    if not texts:
        return np.zeros(0)
    max_length = max_length or int(getattr(model.config, "normcheck_max_length", 0)
                                    or model.config.max_position_embeddings)
    items = _encode(tok, texts, max_length)
    order = sorted(range(len(items)), key=lambda i: len(items[i]["input_ids"]))
    out = np.zeros(len(items))
    pos = int(model.config.label2id.get("attention", 1))
    model.eval()
    with torch.inference_mode():
        for s in range(0, len(order), batch_size):
            idx = order[s:s + batch_size]
            batch = {k: v.to(device) for k, v in collate([items[i] for i in idx], tok.pad_token_id).items()}
            probs = torch.softmax(model(**batch).logits.float(), dim=-1)[:, pos].cpu().numpy()
            out[idx] = probs
    return out


@dataclass
class AttentionModel:
    """A loaded attention head (CPU): ``predict(texts, features)`` -> P(needs attention) per clause."""

    model: Any
    tokenizer: Any
    path: Path
    blend: dict[str, Any] | None = None

    @classmethod
    def load(cls, path: str | Path, *, threads: int | None = None) -> AttentionModel:
        """Load a model folder (safetensors only, offline); E301/E302 on a missing or unsafe one, E303
        without the ``[ml]`` extra; a folder of another task or with a malformed blend is E301."""
        from normcheck.ml import require_ml
        from normcheck.ml.load import load_model_dir

        require_ml("loading a model")
        if threads:
            import torch

            torch.set_num_threads(threads)
        model, tok = load_model_dir(path)
        if getattr(model.config, "normcheck_task", None) != "attention":
            raise NormcheckError(Code.MODEL_MISSING, "not an attention model (config.json normcheck_task)", str(path))
        blend = getattr(model.config, "normcheck_blend", None) or None
        if blend is not None:
            ok = (isinstance(blend, dict) and isinstance(blend.get("features"), list)
                  and isinstance(blend.get("coef"), list) and len(blend["coef"]) == 2 + len(blend["features"])
                  and isinstance(blend.get("intercept"), (int, float)))
            if not ok:
                raise NormcheckError(Code.MODEL_MISSING, "config.json normcheck_blend is malformed", str(path))
        return cls(model, tok, Path(path), blend)

    def predict(self, texts: Sequence[str], features: Sequence[Mapping[str, float]] | None = None, *,
                batch_size: int = 64) -> list[float]:
        """P(needs attention) per clause; ``features`` are the rule features of each clause
        (:func:`normcheck.rank.score.attention_features`), needed when the model has a blend."""
        p = text_proba(self.model, self.tokenizer, texts, batch_size=batch_size)
        if self.blend:
            if features is None or len(features) != len(texts):
                raise ValueError("this attention model blends rule features: give one feature dict per text")
            p = apply_blend(self.blend, p, features)
        return [float(x) for x in p]


# -------------------------------------------------------------------------------------- training


@dataclass
class AttentionResult(TrainResult):
    comparison: dict[str, Any] = field(default_factory=dict)  # split -> suite|pooled -> bootstrap_aupr
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)  # split -> {n, positives, per suite}
    beats_baseline: bool = False


def _weights(rows: Sequence[AttentionRow], args: AttentionTrainingArguments) -> np.ndarray:
    return np.array([(args.positive_weight if r.label else 1.0) * (args.amended_weight if r.suite == "amended"
                                                                    else 1.0) for r in rows])


#: Suites left out of the pooled figure that decides the default (a different target, as in eval/RESULTS.md).
NOT_POOLED = ("amended",)
#: The pooled group without the planted documents' generic articles (rows with ``template``).
NO_TEMPLATE = "pooled, no template"


def compare_split(rows: Sequence[AttentionRow], model_p: np.ndarray, text_p: np.ndarray, *, resamples: int,
                  seed: int) -> dict[str, Any]:
    """Per suite and pooled (without ``amended``; and ``pooled+amended``): the model, the text alone and the
    rules baselines on the same clauses (:func:`bootstrap_aupr`, reference the model)."""
    labels = np.array([r.label for r in rows], dtype=float)
    systems = {"model": model_p, "text": text_p,
               **{b: np.array([r.features.get(b, 0.0) for r in rows]) for b in BASELINES}}
    suites = sorted({r.suite for r in rows})
    out: dict[str, Any] = {}
    pooled = [s for s in suites if s not in NOT_POOLED]
    templated = sorted({r.suite for r in rows if r.template})
    groups = ([(s, [s], False) for s in suites] + [(f"{s}, no template", [s], True) for s in templated]
              + [("pooled", pooled, False), ("pooled+amended", suites, False), (NO_TEMPLATE, pooled, True)])
    for name, ss, no_template in groups:
        ix = np.array([i for i, r in enumerate(rows) if r.suite in ss and not (no_template and r.template)],
                      dtype=int)
        if ix.size == 0 or (name == "pooled+amended" and not set(ss) & set(NOT_POOLED)) or (
                no_template and not any(r.template for r in rows)):
            continue
        out[name] = bootstrap_aupr({k: v[ix] for k, v in systems.items()}, labels[ix],
                                   [rows[i].doc for i in ix], [rows[i].suite for i in ix], reference="model",
                                   resamples=resamples, seed=seed)
    return out


def beats_rules(comp: Mapping[str, Any]) -> bool:
    """Whether the model beats the rules: its pooled test AUPR above both baselines' with the paired bootstrap's
    95% interval of the difference above 0 — on all pooled clauses and, where the rows mark them, without the
    planted documents' generic articles too (a text model learns to rank those boilerplate articles last and
    so breaks the rules' ties in the planted suites; real regulations have few of them) — and no suite where it
    is significantly worse than the calibrated rule score (:func:`worse_suites`)."""
    test = comp.get("test", {})
    groups = [g for g in ("pooled", NO_TEMPLATE) if g in test] or ["pooled"]
    pooled_wins = all(b in (test.get(g) or {}).get("paired", {}) and test[g]["paired"][b]["lo"] > 0
                      for g in groups for b in BASELINES)
    return pooled_wins and not worse_suites(comp)


def worse_suites(comp: Mapping[str, Any]) -> list[str]:
    """The test groups (suites, with and without template articles) where the model is worse than the calibrated
    rule score with the paired bootstrap's 95% interval of the difference below 0."""
    return [g for g, c in comp.get("test", {}).items() if not g.startswith("pooled")
            and (d := (c.get("paired") or {}).get("score")) and d["hi"] < 0]


def train_attention(args: AttentionTrainingArguments, splits: dict[str, list[AttentionRow]], *,
                    progress: Progress | None = None) -> AttentionResult:
    """Train the text model on ``splits["train"]``, fit the blend on ``splits["dev"]`` (on train when there is
    no dev split), compare with the rules on every split, save to ``args.out_dir``; E303 without ``[ml]``."""
    from normcheck.ml import require_ml

    require_ml("training a model")
    import torch

    from normcheck.ml.configuration import pair_config
    from normcheck.ml.modeling import build_model, from_base
    from normcheck.ml.pretraining import resolve_device
    from normcheck.ml.tokenization import build_tokenizer

    full_train = splits.get("train") or []
    if not full_train:
        raise ValueError("the training split is empty; give rows with split 'train'")
    say = progress or (lambda _m: None)
    out = prepare_run(args, "attention")
    device = resolve_device(args.device)
    train = subsample_train(full_train, args.max_train_rows, args.seed)
    if args.base_model or args.tokenizer:
        from transformers import AutoTokenizer

        from normcheck.ml.load import check_model_dir

        src = str(args.base_model or args.tokenizer)
        tok_dir = check_model_dir(src) if args.base_model else Path(src)
        tok = AutoTokenizer.from_pretrained(str(tok_dir), local_files_only=True)
        tok.save_pretrained(str(out))
    else:
        tok = build_tokenizer([r.text for r in train], out, min_freq=args.vocab_min_freq,
                              max_size=args.vocab_max_size, max_length=args.max_length)
    if args.base_model:
        model = from_base(args.base_model, ATTENTION_LABELS)
    else:
        model = build_model(pair_config(len(tok), hidden_size=args.hidden_size, num_layers=args.num_layers,
                                        num_heads=args.num_heads, max_length=args.max_length,
                                        labels=ATTENTION_LABELS), seed=args.seed)
    n_params = sum(p.numel() for p in model.parameters())
    say(f"model: {n_params:,} parameters; train rows: {len(train):,} of {len(full_train):,} "
        f"({sum(r.label for r in train)} positive)")
    items = _encode(tok, [r.text for r in train], args.max_length)
    y = [r.label for r in train]
    w = _weights(train, args)
    lengths = [len(x["input_ids"]) for x in items]
    total = args.max_steps or max(1, math.ceil(args.epochs * math.ceil(len(items) / args.batch_size)))
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
    notes: list[str] = []
    while step < total:
        for b in length_batches(len(items), lengths, args.batch_size, rng):
            batch = {k: v.to(device) for k, v in collate([items[i] for i in b], tok.pad_token_id).items()}
            logits = model(**batch).logits
            target = torch.tensor([y[i] for i in b], device=device)
            bw = torch.tensor(w[b], dtype=torch.float32, device=device)
            loss = (torch.nn.functional.cross_entropy(logits, target, reduction="none") * bw).sum() / bw.sum()
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
            if step >= total:
                break
            if args.max_seconds is not None and time.perf_counter() - t0 >= args.max_seconds:
                notes.append(f"stopped by max_seconds at step {step} of {total}")
                total = step
                break
    train_seconds = time.perf_counter() - t0
    model.config.normcheck_task = "attention"
    model.config.normcheck_max_length = args.max_length
    text_p = {s: text_proba(model, tok, [r.text for r in rows], batch_size=args.eval_batch_size,
                            max_length=args.max_length, device=device) for s, rows in splits.items()}
    model.to("cpu")  # type: ignore[arg-type]
    blend: dict[str, Any] | None = None
    if args.blend == "features":
        fit_split = "dev" if splits.get("dev") else "train"
        rows = splits[fit_split]
        names = sorted({k for r in full_train for k in r.features if k != "score"})
        x = blend_matrix(text_p[fit_split], [r.features for r in rows], names)
        yy = np.array([r.label for r in rows], dtype=float)
        ww = np.array([args.amended_weight if r.suite == "amended" else 1.0 for r in rows])
        coef, icpt = fit_logistic(x, yy, ww, args.blend_l2)
        blend = {"features": names, "coef": [round(float(c), 6) for c in coef], "intercept": round(icpt, 6),
                 "fitted_on": fit_split, "inputs": ["logit(text)", "logit(score)", *names]}
        say(f"blend fitted on {fit_split} ({len(rows)} rows)")
    model.config.normcheck_blend = blend
    comparison: dict[str, Any] = {}
    metrics: dict[str, dict[str, Any]] = {}
    for s, rows in splits.items():
        mp = apply_blend(blend, text_p[s], [r.features for r in rows])
        comparison[s] = compare_split(rows, mp, text_p[s], resamples=args.resamples if s != "train" else 0,
                                      seed=args.seed)
        pooled = comparison[s].get("pooled") or comparison[s].get("pooled+amended") or {}
        metrics[s] = {"n": len(rows), "positives": sum(r.label for r in rows),
                      **{f"aupr_{k}": v["value"] for k, v in (pooled.get("aupr") or {}).items()}}
    stats = {s: {"n": len(rows), "positives": sum(r.label for r in rows), "docs": len({r.doc for r in rows}),
                 "suites": {su: sum(1 for r in rows if r.suite == su) for su in sorted({r.suite for r in rows})}}
             for s, rows in splits.items()}
    stats["train_used"] = {"n": len(train), "positives": sum(r.label for r in train)}
    result = AttentionResult(out, metrics, step, round(train_seconds, 1), n_params, history, comparison, stats,
                             beats_rules(comparison))
    save_attention(model, tok, args, result, notes)
    return result


def save_attention(model: Any, tok: Any, args: AttentionTrainingArguments, result: AttentionResult,
                   notes: Sequence[str] = ()) -> Path:
    """Weights (safetensors only), config (with the blend), tokenizer, ``metrics_<split>.json`` (with the
    comparison), ``training_args.json`` and the card ``README.md``."""
    out = Path(args.out_dir)
    model.save_pretrained(str(out), safe_serialization=True)
    tok.save_pretrained(str(out))
    for s, m in result.metrics.items():
        (out / f"metrics_{s}.json").write_text(json.dumps({**m, "comparison": result.comparison.get(s, {})},
                                                          ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (out / "training_args.json").write_text(json.dumps(
        {**asdict(args), "steps": result.steps, "train_seconds": result.train_seconds, "n_params": result.n_params,
         "rows": result.rows, "notes": list(notes), "history": result.history}, ensure_ascii=False, indent=2)
        + "\n", encoding="utf-8")
    (out / "README.md").write_text(attention_card(args, result, notes), encoding="utf-8")
    return out


def _ci(v: Mapping[str, Any]) -> str:
    if v.get("value") is None:
        return "–"
    return f"{v['value']:.3f}" + (f" [{v['lo']:.3f}, {v['hi']:.3f}]" if "lo" in v else "")


def _delta(v: Mapping[str, Any] | None) -> str:
    if not v:
        return "–"
    return f"{v['delta']:+.3f} [{v['lo']:+.3f}, {v['hi']:+.3f}], p = {v['p']:.3f}"


def comparison_table(comp: Mapping[str, Any]) -> list[str]:
    rows = ["| suite | clauses | positives | docs | model AUPR | normcheck score | findings alone | text alone | "
            "model - normcheck (paired) | model - findings (paired) |", "|---|---:|---:|---:|---|---|---|---|---|---|"]
    for name, c in comp.items():
        a = c["aupr"]
        rows.append(f"| {name} | {c['n']} | {c['positives']} | {c['docs']} | {_ci(a['model'])} | {_ci(a['score'])} | "
                    f"{_ci(a['rules'])} | {_ci(a['text'])} | {_delta(c['paired'].get('score'))} | "
                    f"{_delta(c['paired'].get('rules'))} |")
    return rows


def attention_card(args: AttentionTrainingArguments, result: AttentionResult, notes: Sequence[str] = ()) -> str:
    base = args.base_model or (f"none: a BERT encoder trained from scratch (hidden {args.hidden_size}, "
                               f"{args.num_layers} layers, {args.num_heads} heads; tokenizer "
                               f"{args.tokenizer or 'characters of the training clauses'})")
    rows = result.rows
    data = ", ".join(f"{s} {rows[s]['n']:,} clauses / {rows[s]['docs']} documents ({rows[s]['positives']} positive)"
                     for s in ("train", "dev", "test") if s in rows)
    used = rows.get("train_used", {})
    test = result.comparison.get("test", {})
    on = result.beats_baseline
    lines = [
        "# normcheck attention head",
        "",
        "Clause -> probability that it needs a reviewer's attention: a small text classifier over the clause, "
        "blended (a logistic regression fitted on the dev rows) with the rule features of `normcheck.rank` "
        "(the calibrated score, findings alone, the keyword prior, the largest term per finding type), so it "
        "re-ranks the rules' worklist.",
        "",
        f"- base model: {base}",
        f"- parameters: {result.n_params:,}; max length {args.max_length} tokens; blend: `{args.blend}`"
        + (f" (L2 {args.blend_l2}, inputs in config.json `normcheck_blend`)" if args.blend == "features" else ""),
        f"- data: {data}; training used {used.get('n', 0):,} rows (every positive, negatives sampled to "
        f"{args.max_train_rows}), positive weight {args.positive_weight}, amended weight {args.amended_weight}",
        f"- training: {result.steps} steps, batch {args.batch_size}, lr {args.learning_rate}, seed {args.seed}, "
        f"{result.train_seconds:.0f} s on {args.device}" + (f" ({'; '.join(notes)})" if notes else ""),
        f"- command: `{args.command or 'normcheck train attention --data ROWS --out DIR'}`",
        "- weights: safetensors only; load with `normcheck.ml.attention.AttentionModel.load(path)` (offline); in "
        "`check`: `--model-dir DIR` / `models=DIR` (the rank stage then scores clauses with it)",
        f"- **beats the rules: {'yes' if on else 'no'}** — the rule: the pooled test AUPR above both rules-only "
        "baselines with the paired bootstrap's 95% interval of the difference above 0, with and without the planted "
        "documents' generic articles, and no suite significantly worse than the calibrated rule score"
        + (f" (significantly worse on: {', '.join(worse)})" if (worse := worse_suites(result.comparison)) else ""),
        "- **in `check`: off by default**, opt-in with `--model-dir DIR` / `models=DIR` / `NORMCHECK_MODELS`"
        + ("" if on else " (it does not beat the rules)"),
        "",
        "## Held-out AUPR against the rules on the same clauses (test split)",
        "",
        "Clause-level average precision (ties grouped); label: the clause's article carries a positive label of "
        "its suite (every noise_floor clause is 0). `normcheck score`: the calibrated attention score shipped in "
        "`normcheck.rank`; `findings alone`: the same combination without the keyword prior. Intervals: 95% "
        f"percentile bootstrap over documents ({args.resamples} resamples, within suite); paired: the same "
        "resamples for both systems. `pooled` leaves out `amended` (a different target, as in eval/RESULTS.md); "
        f"`{NO_TEMPLATE}` also leaves out the generic first and last articles of the planted three-article "
        "documents (authority, inconsistency, paraphrase, outcomes), which never carry a label.",
        "",
        *(comparison_table(test) if test else ["(no test split)"]),
        "",
        "## Per split (pooled)",
        "",
        "| split | clauses | positives | model | normcheck score | findings alone | text alone |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *[f"| {s} | {m['n']} | {m['positives']} | " + " | ".join(
            "–" if m.get(f"aupr_{k}") is None else f"{m[f'aupr_{k}']:.3f}" for k in ("model", "score", "rules", "text"))
          + " |" for s, m in result.metrics.items()],
        "",
        "Limitations: the labels are the benchmarks' (planted clauses in authority/inconsistency, hand-written "
        "paraphrase and outcome cases, real outdated citations, and the noisy 'the next version changed this "
        "article' of amended); labels are article-level; few positives outside the planted suites, so per-suite "
        "intervals are wide. The text model sees one clause, not its document or its superior law. Intended use: "
        "re-ranking the worklist of `check` when asked for (`--model-dir`), and a baseline for retraining with "
        "more labelled review outcomes.",
        "",
    ]
    return "\n".join(lines)

