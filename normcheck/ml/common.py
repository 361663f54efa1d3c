"""What every trainer shares: the result record, seeding, the default output folder, padding and batching."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class TrainResult:
    out_dir: Path
    metrics: dict[str, dict[str, Any]]  # split -> classification metrics
    steps: int
    train_seconds: float
    n_params: int
    history: list[dict[str, float]]


def set_seed(seed: int) -> None:
    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def prepare_run(args: Any, task: str) -> Path:
    """What every trainer does first: torch threads, the seed, and the output folder (``args.out_dir``,
    else :func:`default_out_dir`), created. Returns the folder."""
    import torch

    if getattr(args, "threads", None):
        torch.set_num_threads(args.threads)
    set_seed(args.seed)
    if not args.out_dir:
        args.out_dir = str(default_out_dir(task))
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return out


def default_out_dir(task: str) -> Path:
    """``$NORMCHECK_HOME/models/<task>-<UTC time>``: where ``train`` writes when no ``--out`` is given
    (never the repository's ``models/``)."""
    import datetime as _dt

    from normcheck.paths import normcheck_home

    stamp = _dt.datetime.now(_dt.UTC).strftime("%Y%m%d-%H%M%S")
    return normcheck_home() / "models" / f"{task}-{stamp}"


def collate(items: Sequence[dict[str, list[int]]], pad_id: int) -> dict[str, Any]:
    import torch

    n = max(len(x["input_ids"]) for x in items)
    ids = torch.full((len(items), n), pad_id, dtype=torch.long)
    types = torch.zeros((len(items), n), dtype=torch.long)
    mask = torch.zeros((len(items), n), dtype=torch.long)
    for r, x in enumerate(items):
        k = len(x["input_ids"])
        ids[r, :k] = torch.tensor(x["input_ids"])
        types[r, :k] = torch.tensor(x["token_type_ids"])
        mask[r, :k] = 1
    return {"input_ids": ids, "token_type_ids": types, "attention_mask": mask}


def length_batches(n: int, lengths: Sequence[int], size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches of similar length (less padding): sort within chunks of 50 batches."""
    order = list(range(n))
    rng.shuffle(order)
    out: list[list[int]] = []
    chunk = size * 50
    for c in range(0, n, chunk):
        part = sorted(order[c:c + chunk], key=lambda i: lengths[i])
        out += [part[i:i + size] for i in range(0, len(part), size)]
    rng.shuffle(out)
    return out


def model_arg_checks(a: Any) -> list[tuple[bool, str]]:
    """The checks every trainer's arguments share (schedule, sizes, vocabulary): (holds, message if not)."""
    return [
        (a.epochs > 0, "epochs must be > 0"),
        (a.max_steps is None or a.max_steps > 0, "max_steps must be > 0 or None"),
        (a.batch_size > 0 and a.eval_batch_size > 0, "batch sizes must be > 0"),
        (0 < a.learning_rate < 1, "learning_rate must be in (0, 1)"),
        (a.weight_decay >= 0, "weight_decay must be >= 0"),
        (0 <= a.warmup_ratio < 1, "warmup_ratio must be in [0, 1)"),
        (16 <= a.max_length <= 4096, "max_length must be in [16, 4096]"),
        (a.hidden_size > 0 and a.num_layers > 0 and a.num_heads > 0,
         "hidden_size, num_layers and num_heads must be > 0"),
        (a.hidden_size % max(1, a.num_heads) == 0, "hidden_size must be a multiple of num_heads"),
        (a.vocab_min_freq >= 1 and a.vocab_max_size > 16, "vocab_min_freq >= 1, vocab_max_size > 16"),
    ]


def raise_bad_arguments(checks: list[tuple[bool, str]]) -> None:
    """ValueError naming every failed check, in order."""
    bad = [msg for ok, msg in checks if not ok]
    if bad:
        raise ValueError("invalid training arguments: " + "; ".join(bad))
