"""``PairClassifier``: load a trained pair model and label (clause, superior provision) pairs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from normcheck.ml.load import load_model_dir
from normcheck.ml.training import predict_proba


@dataclass
class PairClassifier:
    """A loaded pair model (CPU). ``predict`` returns (label, probability) per pair."""

    model: Any
    tokenizer: Any
    path: Path

    @classmethod
    def load(cls, path: str | Path, *, threads: int | None = None) -> PairClassifier:
        """Load a model folder (safetensors only, offline); E301/E302 on a missing or unsafe one, E303
        without the ``[ml]`` extra."""
        from normcheck.ml import require_ml

        require_ml("loading a model")
        if threads:
            import torch

            torch.set_num_threads(threads)
        model, tok = load_model_dir(path)
        return cls(model, tok, Path(path))

    @property
    def labels(self) -> list[str]:
        id2label = {int(k): v for k, v in self.model.config.id2label.items()}
        return [id2label[i] for i in sorted(id2label)]

    def predict_proba(self, pairs: Sequence[tuple[str, str]], *, batch_size: int = 64) -> list[dict[str, float]]:
        """Per pair, the probability of every label."""
        labels = self.labels
        return [dict(zip(labels, p, strict=True)) for p in
                predict_proba(self.model, self.tokenizer, pairs, batch_size=batch_size)]

    def predict(self, pairs: Sequence[tuple[str, str]], *, batch_size: int = 64) -> list[tuple[str, float]]:
        """(label, probability) for each (clause, superior provision) pair, in order; batched."""
        out = []
        for p in self.predict_proba(pairs, batch_size=batch_size):
            lab = max(p, key=p.__getitem__)
            out.append((lab, round(p[lab], 4)))
        return out
