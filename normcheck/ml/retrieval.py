"""The retrieval head (``normcheck train retrieval``): a bi-encoder for clause <-> superior provision.

Trained contrastively (InfoNCE, temperature ``temperature``) on mined pairs (``scripts/mine_pairs.py``:
a local article and the national article it restates or cites), with in-batch negatives plus the
pairs' same-law hard negatives; identical candidate texts are never counted as negatives. Splits are
by the target law (``law_split``), so test laws are unseen. Texts are mean-pooled and L2-normalised; the
score is the cosine. Saved as a ``BertModel`` (safetensors) with ``normcheck_task = "retrieval"``.
"""

from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from normcheck.errors import Code, NormcheckError

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class RetrievalExample:
    query: str  # the local clause (citations hidden)
    positive: str  # the superior article it restates or cites
    negatives: tuple[str, ...] = ()  # other articles of the same law (hard negatives)
    law: str = ""  # the target law (split key)
    kind: str = ""  # citation / restatement


def load_retrieval_pairs(path: str | Path) -> dict[str, list[RetrievalExample]]:
    """``{"train", "dev", "test"}`` from a mined-pairs JSONL (``query``, ``positive``, ``hard_negatives``,
    ``target_law``, ``law_split``); records without a positive are skipped; E204 on bad records."""
    p = Path(path)
    if p.is_dir():
        p = p / "pairs.jsonl"
    if not p.is_file():
        raise NormcheckError(Code.FILE_NOT_FOUND, "no mined pairs here; run scripts/mine_pairs.py first", str(p))
    out: dict[str, list[RetrievalExample]] = {"train": [], "dev": [], "test": []}
    for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            raise NormcheckError(Code.BAD_DATASET, f"line {i} is not JSON ({e.msg})", str(p)) from e
        if not isinstance(rec, dict) or not isinstance(rec.get("query"), str):
            raise NormcheckError(Code.BAD_DATASET, f"line {i}: a pair needs a string 'query'", str(p))
        if not isinstance(rec.get("positive"), str) or not rec["positive"].strip():
            continue
        split = rec.get("law_split") if rec.get("law_split") in out else "train"
        out[str(split)].append(RetrievalExample(rec["query"], rec["positive"],
                                                tuple(str(x) for x in rec.get("hard_negatives") or ()),
                                                str(rec.get("target_law", "")), str(rec.get("kind", ""))))
    if not any(out.values()):
        raise NormcheckError(Code.BAD_DATASET, "no pair has a 'positive' text (mine_pairs.py writes it)", str(p))
    return out


@dataclass
class RetrievalTrainingArguments:
    """What ``normcheck train retrieval`` accepts."""

    out_dir: str = field(default="", metadata={"help": "Folder the bi-encoder is saved in (default: a new folder "
                                                       "under $NORMCHECK_HOME/models/)."})
    base_model: str | None = field(default=None, metadata={
        "help": "A local encoder folder (e.g. from `normcheck train encoder`, or any HF BERT checkpoint, safetensors); "
                "else a tiny character encoder from scratch."})
    epochs: float = field(default=3.0, metadata={"help": "Passes over the training pairs."})
    max_steps: int | None = field(default=None, metadata={"help": "Stop after this many steps."})
    max_seconds: float | None = field(default=None, metadata={"help": "Stop after this much wall-clock time."})
    batch_size: int = field(default=32, metadata={"help": "Pairs per step (in-batch negatives)."})
    hard_negatives: int = field(default=1, metadata={"help": "Same-law hard negatives per pair in a batch."})
    learning_rate: float = field(default=3e-4, metadata={"help": "Peak AdamW learning rate."})
    warmup_ratio: float = field(default=0.06, metadata={"help": "Share of steps with a linear warm-up."})
    temperature: float = field(default=0.05, metadata={"help": "InfoNCE temperature."})
    max_length: int = field(default=128, metadata={"help": "Tokens per text."})
    hidden_size: int = field(default=128, metadata={"help": "Encoder width (from scratch)."})
    num_layers: int = field(default=2, metadata={"help": "Encoder layers (from scratch)."})
    num_heads: int = field(default=4, metadata={"help": "Attention heads (from scratch)."})
    device: str = field(default="cpu", metadata={"help": "cpu, cuda, mps or auto."})
    seed: int = field(default=0, metadata={"help": "Seed."})
    threads: int | None = field(default=None, metadata={"help": "torch CPU threads."})
    command: str = field(default="", metadata={"help": "How this run was started (written to the card)."})

    def __post_init__(self) -> None:
        checks = [
            (self.epochs > 0, "epochs must be > 0"),
            (self.max_steps is None or self.max_steps > 0, "max_steps must be > 0 or None"),
            (self.max_seconds is None or self.max_seconds > 0, "max_seconds must be > 0 or None"),
            (self.batch_size > 1, "batch_size must be > 1 (in-batch negatives)"),
            (self.hard_negatives >= 0, "hard_negatives must be >= 0"),
            (0 < self.learning_rate < 1 and 0 <= self.warmup_ratio < 1, "learning_rate in (0, 1), warmup in [0, 1)"),
            (0 < self.temperature <= 1, "temperature must be in (0, 1]"),
            (16 <= self.max_length <= 4096, "max_length must be in [16, 4096]"),
            (self.hidden_size > 0 and self.num_layers > 0 and self.num_heads > 0
             and self.hidden_size % self.num_heads == 0, "hidden_size a positive multiple of num_heads"),
            (self.device in ("cpu", "cuda", "mps", "auto") or self.device.startswith("cuda:"),
             "device must be cpu, cuda, mps or auto"),
            (self.threads is None or self.threads > 0, "threads must be > 0 or None"),
        ]
        bad = [msg for ok, msg in checks if not ok]
        if bad:
            raise ValueError("invalid training arguments: " + "; ".join(bad))


def _pool(model: Any, batch: dict[str, Any]) -> Any:
    import torch

    h = model(**batch).last_hidden_state
    m = batch["attention_mask"].unsqueeze(-1).to(h.dtype)
    v = (h * m).sum(1) / m.sum(1).clamp(min=1.0)
    return torch.nn.functional.normalize(v, dim=-1)


def _batch(tok: Any, texts: Sequence[str], max_length: int, device: str) -> dict[str, Any]:
    enc = tok(list(texts), truncation=True, max_length=max_length, padding=True, return_tensors="pt",
              return_token_type_ids=False)
    return {k: v.to(device) for k, v in enc.items()}


@dataclass
class BiEncoder:
    """A loaded bi-encoder (CPU by default). ``encode`` returns L2-normalised vectors (numpy)."""

    model: Any
    tokenizer: Any
    path: Path
    max_length: int = 128
    device: str = "cpu"

    @classmethod
    def load(cls, path: str | Path, *, device: str = "cpu") -> BiEncoder:
        from normcheck.ml import require_ml

        require_ml("loading a model")
        from transformers import AutoModel, AutoTokenizer

        from normcheck.ml.load import check_model_dir

        p = check_model_dir(path)
        try:
            model = AutoModel.from_pretrained(str(p), local_files_only=True, use_safetensors=True)
            tok = AutoTokenizer.from_pretrained(str(p), local_files_only=True)
        except (OSError, ValueError) as e:
            raise NormcheckError(Code.MODEL_MISSING, f"the model folder could not be loaded: {e}", str(p)) from e
        model.eval().to(device)
        return cls(model, tok, p, int(getattr(model.config, "retrieval_max_length", 128)), device)

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> Any:
        """(n, hidden) float32 array, batched in length order, returned in input order."""
        import numpy as np
        import torch

        if not texts:
            return np.zeros((0, int(self.model.config.hidden_size)), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), int(self.model.config.hidden_size)), dtype=np.float32)
        with torch.inference_mode():
            for s in range(0, len(order), batch_size):
                idx = order[s:s + batch_size]
                v = _pool(self.model, _batch(self.tokenizer, [texts[i] for i in idx], self.max_length, self.device))
                out[idx] = v.float().cpu().numpy()
        return out


def recall_at(model: Any, tok: Any, examples: Sequence[RetrievalExample], *, max_length: int, device: str,
              ks: Sequence[int] = (1, 5, 20)) -> dict[str, float]:
    """R@k of each query's positive among every positive and hard negative of ``examples`` (a quick
    in-split measure; scripts/train_retrieval.py ranks against the whole corpus instead)."""
    import numpy as np

    enc = BiEncoder(model, tok, Path("."), max_length, device)
    cands = list(dict.fromkeys([e.positive for e in examples] + [n for e in examples for n in e.negatives]))
    pos = {t: i for i, t in enumerate(cands)}
    q = enc.encode([e.query for e in examples])
    c = enc.encode(cands)
    scores = q @ c.T
    ranks = []
    for i, e in enumerate(examples):
        ranks.append(int((scores[i] > scores[i, pos[e.positive]]).sum()) + 1)
    r = np.array(ranks)
    return {"n": len(examples), "candidates": len(cands), **{f"R@{k}": round(float((r <= k).mean()), 4) for k in ks}}


def train_retrieval(args: RetrievalTrainingArguments, splits: dict[str, list[RetrievalExample]], *,
                    progress: Progress | None = None) -> Any:
    """Train on ``splits["train"]``, measure R@k per split, save to ``args.out_dir``."""
    from normcheck.ml import require_ml

    require_ml("training a model")
    import torch
    from transformers import AutoModel, AutoTokenizer, BertModel

    from normcheck.ml.common import TrainResult, prepare_run
    from normcheck.ml.load import check_model_dir
    from normcheck.ml.pretraining import encoder_config, resolve_device
    from normcheck.ml.tokenization import build_tokenizer

    train = splits.get("train") or []
    if not train:
        raise ValueError("the training split is empty")
    say = progress or (lambda _m: None)
    out = prepare_run(args, "retrieval")
    device = resolve_device(args.device)
    if args.base_model:
        base = check_model_dir(args.base_model)
        tok = AutoTokenizer.from_pretrained(str(base), local_files_only=True)
        model = AutoModel.from_pretrained(str(base), local_files_only=True, use_safetensors=True)
    else:
        texts = [t for e in train for t in (e.query, e.positive, *e.negatives)]
        tok = build_tokenizer(texts, out, max_length=args.max_length)
        torch.manual_seed(args.seed)
        model = BertModel(encoder_config(len(tok), hidden_size=args.hidden_size, num_layers=args.num_layers,
                                         num_heads=args.num_heads, max_length=args.max_length,
                                         pad_id=tok.pad_token_id), add_pooling_layer=False)
    model.to(device)
    n_params = sum(p.numel() for p in model.parameters())
    steps_per_epoch = math.ceil(len(train) / args.batch_size)
    total = args.max_steps or max(1, math.ceil(args.epochs * steps_per_epoch))
    warm = int(total * args.warmup_ratio)
    opt = torch.optim.AdamW(model.parameters(), lr=args.learning_rate, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / max(1, warm) if s < warm else max(0.0, (total - s) / max(1, total - warm)))
    rng = random.Random(args.seed)
    say(f"model: {n_params:,} parameters; train pairs {len(train):,}; {total} steps")
    history: list[dict[str, float]] = []
    step, t0, run_loss = 0, time.perf_counter(), 0.0
    model.train()
    while step < total:
        order = list(range(len(train)))
        rng.shuffle(order)
        for s in range(0, len(order) - 1, args.batch_size):
            ex = [train[i] for i in order[s:s + args.batch_size]]
            if len(ex) < 2:
                continue
            cands = [e.positive for e in ex]
            for e in ex:
                cands += rng.sample(list(e.negatives), min(args.hard_negatives, len(e.negatives)))
            q = _pool(model, _batch(tok, [e.query for e in ex], args.max_length, device))
            c = _pool(model, _batch(tok, cands, args.max_length, device))
            logits = q @ c.T / args.temperature
            # the same text as a query's positive elsewhere in the batch is not a negative
            same = torch.tensor([[cands[j] == e.positive and j != i for j in range(len(cands))]
                                 for i, e in enumerate(ex)], device=device)
            logits = logits.masked_fill(same, float("-inf"))
            loss = torch.nn.functional.cross_entropy(logits, torch.arange(len(ex), device=device))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad(set_to_none=True)
            step += 1
            lv = float(loss.detach())
            run_loss = 0.9 * run_loss + 0.1 * lv if step > 1 else lv
            if step % 25 == 0 or step == total:
                history.append({"step": step, "loss": round(run_loss, 4),
                                "seconds": round(time.perf_counter() - t0, 1)})
                say(f"step {step}/{total} loss {run_loss:.4f} ({time.perf_counter() - t0:.0f} s)")
            if step >= total or (args.max_seconds is not None and time.perf_counter() - t0 >= args.max_seconds):
                total = step
                break
    train_seconds = round(time.perf_counter() - t0, 1)
    model.eval()
    metrics = {s: recall_at(model, tok, ex, max_length=args.max_length, device=device)
               for s, ex in splits.items() if ex}
    model.to("cpu")
    model.config.normcheck_task = "retrieval"
    model.config.retrieval_max_length = args.max_length
    model.config.pooling = "mean"
    model.save_pretrained(str(out), safe_serialization=True)
    tok.save_pretrained(str(out))
    for split, m in metrics.items():
        (out / f"metrics_{split}.json").write_text(json.dumps(m, indent=2) + "\n", encoding="utf-8")
    (out / "training_args.json").write_text(json.dumps(
        {**asdict(args), "steps": step, "train_seconds": train_seconds, "n_params": n_params, "history": history},
        ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    res = TrainResult(out, metrics, step, train_seconds, n_params, history)
    rows = ["| split | n | candidates | R@1 | R@5 | R@20 |", "|---|---:|---:|---:|---:|---:|"]
    rows += [f"| {s} | {m['n']} | {m['candidates']} | {m['R@1']:.3f} | {m['R@5']:.3f} | {m['R@20']:.3f} |"
             for s, m in metrics.items()]
    (out / "README.md").write_text("\n".join([
        "# normcheck retrieval bi-encoder", "",
        "Embeds a clause and superior provisions (mean-pooled, normalised; cosine score) to find the provision "
        "a clause restates or applies.", "",
        f"- base model: {args.base_model or f'none (hidden {args.hidden_size}, {args.num_layers} layers, characters)'}",
        f"- parameters: {n_params:,}; max length {args.max_length}",
        f"- training: {step} steps, batch {args.batch_size} + {args.hard_negatives} same-law hard negative(s) "
        f"per pair, temperature {args.temperature}, lr {args.learning_rate}, seed {args.seed}, "
        f"{train_seconds:.0f} s on {args.device}",
        f"- command: `{args.command or 'normcheck train retrieval --data PAIRS --out DIR'}`",
        "- weights: safetensors only; load with `normcheck.ml.retrieval.BiEncoder.load(path)` (offline)", "",
        "## In-split recall (positives and hard negatives of the split as candidates)", "", *rows, "", ""]),
        encoding="utf-8")
    return res
