"""Encoder pretraining (``normcheck train encoder``): a small BERT trained with masked-language
modelling on corpus text, optionally with whole-word masking over jieba words; seeded, ``--device``,
resumable checkpoints (``checkpoint-<step>/``: model and optimiser state as safetensors, JSON state;
never pickle), masked-token accuracy on held-out laws, a model card on save.

The saved folder is a ``BertForMaskedLM`` checkpoint that the heads fine-tune with ``--base-model``.
"""

from __future__ import annotations

import json
import math
import random
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

Progress = Callable[[str], None]
DEVICES = ("cpu", "cuda", "mps", "auto")


def resolve_device(device: str) -> str:
    """``auto`` -> cuda when available, else cpu; anything else as given."""
    if device != "auto":
        return device
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


@dataclass
class EncoderTrainingArguments:
    """What ``normcheck train encoder`` accepts (defaults: the ~1 hour 2-core CPU run; see models/README.md)."""

    out_dir: str = field(default="", metadata={"help": "Folder the encoder is saved in (default: a new folder "
                                                       "under $NORMCHECK_HOME/models/)."})
    tokenizer: str | None = field(default=None, metadata={
        "help": "A tokenizer folder (tokenizer.json, e.g. from `normcheck train tokenizer`); else one is trained."})
    tokenizer_kind: str = field(default="terms", metadata={"help": "Kind of tokenizer to train when none is given."})
    vocab_size: int = field(default=8000, metadata={"help": "Vocabulary size when a tokenizer is trained."})
    hidden_size: int = field(default=128, metadata={"help": "Encoder width."})
    num_layers: int = field(default=2, metadata={"help": "Encoder layers."})
    num_heads: int = field(default=4, metadata={"help": "Attention heads."})
    max_length: int = field(default=128, metadata={"help": "Tokens per training text (longer lines are cut)."})
    batch_size: int = field(default=32, metadata={"help": "Texts per step."})
    learning_rate: float = field(default=1e-3, metadata={"help": "Peak AdamW learning rate (linear decay)."})
    weight_decay: float = field(default=0.01, metadata={"help": "AdamW weight decay."})
    warmup_ratio: float = field(default=0.05, metadata={"help": "Share of steps with a linear warm-up."})
    max_steps: int = field(default=4000, metadata={"help": "Optimiser steps (the learning-rate schedule's length)."})
    max_seconds: float | None = field(default=None, metadata={
        "help": "Stop (and save) after this much wall-clock training time; the schedule keeps max_steps."})
    mlm_probability: float = field(default=0.15, metadata={"help": "Share of tokens (or words) masked."})
    whole_word_mask: bool = field(default=False, metadata={
        "help": "Mask every token of a jieba word together (needs jieba; else token masking, noted)."})
    max_train_texts: int | None = field(default=None, metadata={"help": "Use at most this many training lines."})
    eval_texts: int = field(default=2000, metadata={"help": "Held-out lines for masked-token accuracy."})
    save_steps: int = field(default=500, metadata={"help": "Write a resumable checkpoint every N steps (0: never)."})
    keep_checkpoints: int = field(default=2, metadata={"help": "Checkpoints kept (oldest removed)."})
    resume: bool = field(default=False, metadata={"help": "Continue from the newest checkpoint in out_dir."})
    device: str = field(default="cpu", metadata={"help": "cpu, cuda, mps or auto."})
    seed: int = field(default=0, metadata={"help": "Seed for data order, masking and initialisation."})
    threads: int | None = field(default=None, metadata={"help": "torch CPU threads (default: torch's)."})
    command: str = field(default="", metadata={"help": "How this run was started (written to the card)."})

    def __post_init__(self) -> None:
        from normcheck.ml.tokenization import TOKENIZER_KINDS

        checks = [
            (self.hidden_size > 0 and self.num_layers > 0 and self.num_heads > 0,
             "hidden_size, num_layers and num_heads must be > 0"),
            (self.hidden_size % max(1, self.num_heads) == 0, "hidden_size must be a multiple of num_heads"),
            (16 <= self.max_length <= 4096, "max_length must be in [16, 4096]"),
            (self.batch_size > 0 and self.max_steps > 0, "batch_size and max_steps must be > 0"),
            (0 < self.learning_rate < 1, "learning_rate must be in (0, 1)"),
            (self.weight_decay >= 0 and 0 <= self.warmup_ratio < 1, "weight_decay >= 0, warmup_ratio in [0, 1)"),
            (self.max_seconds is None or self.max_seconds > 0, "max_seconds must be > 0 or None"),
            (0 < self.mlm_probability < 1, "mlm_probability must be in (0, 1)"),
            (self.vocab_size > 16, "vocab_size must be > 16"),
            (self.tokenizer_kind in TOKENIZER_KINDS, f"tokenizer_kind must be one of {', '.join(TOKENIZER_KINDS)}"),
            (self.save_steps >= 0 and self.keep_checkpoints >= 1, "save_steps >= 0, keep_checkpoints >= 1"),
            (self.eval_texts >= 0, "eval_texts must be >= 0"),
            (self.max_train_texts is None or self.max_train_texts > 0, "max_train_texts must be > 0 or None"),
            (self.device in DEVICES or self.device.startswith("cuda:"), f"device must be one of {', '.join(DEVICES)}"),
            (self.threads is None or self.threads > 0, "threads must be > 0 or None"),
        ]
        bad = [msg for ok, msg in checks if not ok]
        if bad:
            raise ValueError("invalid training arguments: " + "; ".join(bad))


@dataclass
class EncoderResult:
    out_dir: Path
    metrics: dict[str, dict[str, Any]]  # split -> {"n_masked", "masked_accuracy", "loss"}
    steps: int
    train_seconds: float
    n_params: int
    history: list[dict[str, float]]
    notes: list[str] = field(default_factory=list)


def encoder_config(vocab_size: int, *, hidden_size: int, num_layers: int, num_heads: int, max_length: int,
                   pad_id: int = 0) -> Any:
    from transformers import BertConfig

    return BertConfig(vocab_size=vocab_size, hidden_size=hidden_size, num_hidden_layers=num_layers,
                      num_attention_heads=num_heads, intermediate_size=4 * hidden_size,
                      max_position_embeddings=max(max_length, 512), type_vocab_size=2, pad_token_id=pad_id)


_WORD_RE = re.compile(r"[\u4e00-\u9fff]")


def word_ids(texts: Sequence[str], offsets: Sequence[Sequence[tuple[int, int]]], *, use_jieba: bool) -> list[list[int]]:
    """Per text, a word index per token (-1 for special tokens): jieba words when ``use_jieba``, else one
    word per token."""
    out: list[list[int]] = []
    seg = None
    if use_jieba:
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        seg = jieba.Tokenizer()
    for t, offs in zip(texts, offsets, strict=True):
        if seg is None:
            out.append([-1 if e <= s else i for i, (s, e) in enumerate(offs)])
            continue
        char_word = [0] * (len(t) + 1)
        pos = 0
        for w_i, w in enumerate(seg.cut(t, HMM=False)):
            for k in range(pos, pos + len(w)):
                char_word[k] = w_i
            pos += len(w)
        out.append([-1 if e <= s else char_word[s] for s, e in offs])
    return out


def mask_tokens(ids: list[int], words: list[int], *, rng: random.Random, p: float, mask_id: int,
                vocab_size: int, special: set[int]) -> tuple[list[int], list[int]]:
    """(inputs, labels) with ``p`` of the words chosen (every token of a chosen word: 80% [MASK], 10%
    a random token, 10% unchanged); labels are -100 where nothing is predicted. At least one word is chosen."""
    groups: dict[int, list[int]] = {}
    for i, w in enumerate(words):
        if w >= 0 and ids[i] not in special:
            groups.setdefault(w, []).append(i)
    keys = list(groups)
    if not keys:
        return list(ids), [-100] * len(ids)
    n = max(1, round(p * len(keys)))
    chosen = rng.sample(keys, min(n, len(keys)))
    inp, lab = list(ids), [-100] * len(ids)
    for w in chosen:
        r = rng.random()
        for i in groups[w]:
            lab[i] = ids[i]
            if r < 0.8:
                inp[i] = mask_id
            elif r < 0.9:
                inp[i] = rng.randrange(vocab_size)
    return inp, lab


def _encode_texts(tok: Any, texts: Sequence[str], max_length: int, wwm: bool) -> list[tuple[list[int], list[int]]]:
    if not texts:
        return []
    enc = tok(list(texts), truncation=True, max_length=max_length, return_offsets_mapping=True,
              return_token_type_ids=False, return_attention_mask=False)
    words = word_ids(texts, enc["offset_mapping"], use_jieba=wwm)
    return list(zip(enc["input_ids"], words, strict=True))


def _pad(rows: Sequence[list[int]], value: int) -> Any:
    import torch

    n = max(len(r) for r in rows)
    return torch.tensor([r + [value] * (n - len(r)) for r in rows], dtype=torch.long)


def masked_accuracy(model: Any, tok: Any, items: Sequence[tuple[list[int], list[int]]], *, p: float, seed: int,
                    device: str = "cpu", batch_size: int = 64) -> dict[str, float]:
    """Masked-token accuracy (argmax equals the original token at predicted positions) and mean loss on
    ``items``, masked with a fixed ``seed`` so that runs are comparable."""
    import torch

    rng = random.Random(seed)
    special = set(tok.all_special_ids)
    masked = [mask_tokens(ids, w, rng=rng, p=p, mask_id=tok.mask_token_id, vocab_size=len(tok), special=special)
              for ids, w in items]
    model.eval()
    right = total = 0
    loss_sum = 0.0
    with torch.inference_mode():
        for s in range(0, len(masked), batch_size):
            part = masked[s:s + batch_size]
            inp = _pad([m[0] for m in part], tok.pad_token_id).to(device)
            lab = _pad([m[1] for m in part], -100).to(device)
            out = model(input_ids=inp, attention_mask=(inp != tok.pad_token_id).long(), labels=lab)
            sel = lab != -100
            right += int((out.logits.argmax(-1)[sel] == lab[sel]).sum())
            k = int(sel.sum())
            total += k
            loss_sum += float(out.loss) * k
    return {"n_masked": total, "masked_accuracy": round(right / total, 4) if total else 0.0,
            "loss": round(loss_sum / total, 4) if total else 0.0}


def _latest_checkpoint(out: Path) -> Path | None:
    cps = sorted((p for p in out.glob("checkpoint-*") if p.name.split("-")[-1].isdigit()),
                 key=lambda p: int(p.name.split("-")[-1]))
    return cps[-1] if cps else None


def _save_checkpoint(model: Any, opt: Any, out: Path, step: int, state: dict[str, Any], keep: int) -> Path:
    from safetensors.torch import save_file

    cp = out / f"checkpoint-{step}"
    cp.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(cp), safe_serialization=True)
    tensors = {}
    for gi, g in enumerate(opt.param_groups):
        for pi, prm in enumerate(g["params"]):
            for k, v in opt.state.get(prm, {}).items():
                import torch

                t = v if torch.is_tensor(v) else torch.tensor(v)
                tensors[f"{gi}.{pi}.{k}"] = t.detach().cpu().contiguous()
    save_file(tensors, str(cp / "optimizer.safetensors"))
    (cp / "trainer_state.json").write_text(json.dumps({**state, "step": step}, indent=2) + "\n", encoding="utf-8")
    cps = sorted((p for p in out.glob("checkpoint-*") if p.name.split("-")[-1].isdigit()),
                 key=lambda p: int(p.name.split("-")[-1]))
    import shutil

    for old in cps[:-keep]:
        shutil.rmtree(old, ignore_errors=True)
    return cp


def _load_optimizer(opt: Any, path: Path, device: str) -> None:
    from safetensors.torch import load_file

    tensors = load_file(str(path))
    for gi, g in enumerate(opt.param_groups):
        for pi, prm in enumerate(g["params"]):
            st = {k.split(".", 2)[2]: v.to(device) for k, v in tensors.items()
                  if k.startswith(f"{gi}.{pi}.")}
            if st:
                if "step" in st:
                    st["step"] = st["step"].cpu()
                opt.state[prm] = st


def train_encoder(args: EncoderTrainingArguments, train_texts: Sequence[str], eval_texts: Sequence[str], *,
                  progress: Progress | None = None) -> EncoderResult:
    """Pretrain (or resume) a BERT MLM on ``train_texts``; masked-token accuracy on ``eval_texts``; save."""
    from normcheck.ml import require_ml

    require_ml("pretraining an encoder")
    import torch
    from transformers import AutoTokenizer, BertForMaskedLM

    from normcheck.ml.common import prepare_run
    from normcheck.ml.tokenization import jieba_available, mine_terms, train_tokenizer

    say = progress or (lambda _m: None)
    notes: list[str] = []
    if not train_texts:
        raise ValueError("no training texts")
    out = prepare_run(args, "encoder")
    device = resolve_device(args.device)
    texts = list(train_texts[:args.max_train_texts] if args.max_train_texts else train_texts)
    held = list(eval_texts[:args.eval_texts])
    resume_from = _latest_checkpoint(out) if args.resume else None
    if resume_from is not None or ((out / "tokenizer.json").is_file() and args.resume):
        tok = AutoTokenizer.from_pretrained(str(out), local_files_only=True)
    elif args.tokenizer:
        tok = AutoTokenizer.from_pretrained(str(args.tokenizer), local_files_only=True)
        tok.save_pretrained(str(out))
    else:
        sample = texts[:50000]
        terms = mine_terms(sample[:20000], top_k=2000, min_count=20)[0] if args.tokenizer_kind == "terms" else None
        tok = train_tokenizer(sample, out, kind=args.tokenizer_kind, vocab_size=args.vocab_size, terms=terms,
                              max_length=args.max_length)
    wwm = args.whole_word_mask
    if wwm and not jieba_available():
        wwm = False
        notes.append("whole-word masking asked for but jieba is not installed: token masking used")
    t_enc = time.perf_counter()
    items = _encode_texts(tok, texts, args.max_length, wwm)
    held_items = _encode_texts(tok, held, args.max_length, wwm)
    say(f"encoded {len(items):,} training and {len(held_items):,} held-out texts in "
        f"{time.perf_counter() - t_enc:.0f} s (whole-word masking: {wwm})")
    if resume_from is not None:
        model = BertForMaskedLM.from_pretrained(str(resume_from), local_files_only=True, use_safetensors=True)
        state = json.loads((resume_from / "trainer_state.json").read_text(encoding="utf-8"))
    else:
        torch.manual_seed(args.seed)
        model = BertForMaskedLM(encoder_config(len(tok), hidden_size=args.hidden_size, num_layers=args.num_layers,
                                               num_heads=args.num_heads, max_length=args.max_length,
                                               pad_id=tok.pad_token_id))
        state = {"step": 0, "seconds": 0.0, "history": []}
    model.to(device)  # type: ignore[arg-type]  # torch's wrapped signature
    n_params = sum(p.numel() for p in model.parameters())
    total, warm = args.max_steps, int(args.max_steps * args.warmup_ratio)
    decay = [p for n, p in model.named_parameters() if p.ndim > 1 and "LayerNorm" not in n]
    no_decay = [p for n, p in model.named_parameters() if not (p.ndim > 1 and "LayerNorm" not in n)]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}], lr=args.learning_rate)
    if resume_from is not None:
        _load_optimizer(opt, resume_from / "optimizer.safetensors", device)
    step = int(state["step"])
    step0 = step  # a resumed schedule starts where it stopped

    def lr_at(s: int) -> float:
        s += step0
        return (s + 1) / max(1, warm) if s < warm else max(0.0, (total - s) / max(1, total - warm))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_at)
    history: list[dict[str, float]] = list(state.get("history", []))
    if resume_from is not None:
        say(f"resumed from {resume_from.name} (step {step})")
    special = set(tok.all_special_ids)
    steps_per_epoch = max(1, math.ceil(len(items) / args.batch_size))
    t0 = time.perf_counter() - float(state.get("seconds", 0.0))
    t_start = time.perf_counter()
    run_loss = float(history[-1]["loss"]) if history else 0.0
    model.train()
    stopped_early = False
    while step < total:
        epoch, pos = divmod(step, steps_per_epoch)
        order = list(range(len(items)))
        random.Random(args.seed * 1000003 + epoch).shuffle(order)
        batch_idx = order[pos * args.batch_size:(pos + 1) * args.batch_size]
        rng = random.Random(args.seed * 7919 + step)  # the masking of a step does not depend on resuming
        masked = [mask_tokens(items[i][0], items[i][1], rng=rng, p=args.mlm_probability, mask_id=tok.mask_token_id,
                              vocab_size=len(tok), special=special) for i in batch_idx]
        inp = _pad([m[0] for m in masked], tok.pad_token_id).to(device)
        lab = _pad([m[1] for m in masked], -100).to(device)
        loss = model(input_ids=inp, attention_mask=(inp != tok.pad_token_id).long(), labels=lab).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad(set_to_none=True)
        step += 1
        lv = float(loss.detach())
        run_loss = 0.95 * run_loss + 0.05 * lv if run_loss else lv
        elapsed = time.perf_counter() - t0
        if step % 50 == 0 or step == total:
            history.append({"step": step, "loss": round(run_loss, 4), "seconds": round(elapsed, 1)})
            say(f"step {step}/{total} loss {run_loss:.3f} ({elapsed:.0f} s)")
        over = args.max_seconds is not None and time.perf_counter() - t_start >= args.max_seconds
        if args.save_steps and (step % args.save_steps == 0 or over):
            _save_checkpoint(model, opt, out, step, {"seconds": round(elapsed, 1), "history": history},
                             args.keep_checkpoints)
        if over:
            stopped_early = step < total
            break
    train_seconds = time.perf_counter() - t0
    if stopped_early:
        notes.append(f"stopped by max_seconds at step {step} of {total}; `--resume` continues")
    metrics = {"heldout": masked_accuracy(model, tok, held_items, p=args.mlm_probability, seed=args.seed,
                                          device=device)} if held_items else {}
    say(f"held-out masked-token accuracy: {metrics.get('heldout', {}).get('masked_accuracy')}")
    res = EncoderResult(out, metrics, step, round(train_seconds, 1), n_params, history, notes)
    model.to("cpu")  # type: ignore[arg-type]
    model.config.normcheck_task = "encoder"
    model.save_pretrained(str(out), safe_serialization=True)
    tok.save_pretrained(str(out))
    for s, m in metrics.items():
        (out / f"metrics_{s}.json").write_text(json.dumps(m, indent=2) + "\n", encoding="utf-8")
    (out / "training_args.json").write_text(json.dumps(
        {**asdict(args), "steps": step, "train_seconds": res.train_seconds, "n_params": n_params,
         "whole_word_mask_used": wwm, "notes": notes, "history": history}, ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8")
    (out / "README.md").write_text(encoder_card(args, res, tok, wwm, len(texts)), encoding="utf-8")
    return res


def encoder_card(args: EncoderTrainingArguments, res: EncoderResult, tok: Any, wwm: bool, n_texts: int) -> str:
    m = res.metrics.get("heldout", {})
    return "\n".join([
        "# normcheck legal encoder (MLM)",
        "",
        "A small BERT encoder pretrained with masked-language modelling on the lines of the corpus's law "
        "files; a base for the retrieval and pair heads (`--base-model`).",
        "",
        f"- size: hidden {args.hidden_size}, {args.num_layers} layers, {args.num_heads} heads, vocabulary "
        f"{len(tok):,}; {res.n_params:,} parameters",
        f"- data: {n_texts:,} training lines (held-out: laws by title hash, unseen); max {args.max_length} tokens",
        f"- training: {res.steps} steps of {args.max_steps}, batch {args.batch_size}, lr {args.learning_rate}, "
        f"seed {args.seed}, masking {args.mlm_probability} ({'whole words (jieba)' if wwm else 'tokens'}), "
        f"{res.train_seconds:.0f} s on {args.device}",
        f"- command: `{args.command or 'normcheck train encoder ...'}`",
        f"- held-out masked-token accuracy: {m.get('masked_accuracy')} ({m.get('n_masked')} masked tokens), "
        f"loss {m.get('loss')}",
        *([f"- notes: {'; '.join(res.notes)}"] if res.notes else []),
        "- weights: safetensors only; checkpoints (`checkpoint-N/`, safetensors + JSON) resume with `--resume`",
        "",
        "Limitations: tiny and briefly trained; it knows the corpus's wording, not legal reasoning. "
        "Intended use: initialising normcheck's heads; not a general Chinese encoder.",
        "",
    ])
