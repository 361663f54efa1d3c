"""The pair classifier model: ``BertForSequenceClassification`` on (clause, superior provision)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from normcheck.ml.configuration import LABELS

if TYPE_CHECKING:  # transformers comes with the [ml] extra; imported inside the functions
    from transformers import BertConfig, BertForSequenceClassification, PreTrainedModel


def build_model(config: BertConfig, *, seed: int = 0) -> BertForSequenceClassification:
    """A freshly initialised encoder (weights depend only on ``seed``)."""
    import torch
    from transformers import BertForSequenceClassification

    torch.manual_seed(seed)
    return BertForSequenceClassification(config)


def from_base(path: str | Path, labels: tuple[str, ...] = LABELS) -> PreTrainedModel:
    """A local HF checkpoint (any encoder with a sequence-classification head) to fine-tune, with a
    new head for ``labels``. Safetensors only, never the hub (see :func:`normcheck.ml.load.check_model_dir`)."""
    from transformers import AutoModelForSequenceClassification

    from normcheck.ml.load import check_model_dir

    p = check_model_dir(path)
    return AutoModelForSequenceClassification.from_pretrained(
        str(p), num_labels=len(labels), id2label=dict(enumerate(labels)),
        label2id={n: i for i, n in enumerate(labels)}, ignore_mismatched_sizes=True,
        local_files_only=True, use_safetensors=True)
