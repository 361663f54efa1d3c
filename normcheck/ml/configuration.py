"""Configuration of the pair classifier: a small BERT encoder with a 3-way head."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # transformers comes with the [ml] extra; imported where a config is built
    from transformers import BertConfig

#: The classes, in id order: the clause restates the superior provision faithfully / restates it
#: with a change (inconsistent) / is about something else.
LABELS: tuple[str, ...] = ("consistent", "inconsistent", "unrelated")


def pair_config(vocab_size: int, *, hidden_size: int = 128, num_layers: int = 2, num_heads: int = 4,
                intermediate_size: int | None = None, max_length: int = 256, dropout: float = 0.1,
                labels: tuple[str, ...] = LABELS) -> BertConfig:
    """A ``BertConfig`` for :class:`~transformers.BertForSequenceClassification` over char pairs,
    with ``label2id``/``id2label`` stored."""
    if hidden_size % num_heads:
        raise ValueError(f"hidden_size ({hidden_size}) must be a multiple of num_heads ({num_heads})")
    if len(set(labels)) != len(labels) or len(labels) < 2:
        raise ValueError(f"labels must be >= 2 distinct names, got {labels}")
    from transformers import BertConfig

    return BertConfig(
        vocab_size=vocab_size,
        hidden_size=hidden_size,
        num_hidden_layers=num_layers,
        num_attention_heads=num_heads,
        intermediate_size=intermediate_size or 4 * hidden_size,
        max_position_embeddings=max_length,
        type_vocab_size=2,
        hidden_dropout_prob=dropout,
        attention_probs_dropout_prob=dropout,
        num_labels=len(labels),  # type: ignore[call-arg]  # a PretrainedConfig kwarg
        id2label=dict(enumerate(labels)),
        label2id={name: i for i, name in enumerate(labels)},
        problem_type="single_label_classification",
    )
