"""What every trainer shares: the result record, seeding and the default output folder."""

from __future__ import annotations

import random
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
