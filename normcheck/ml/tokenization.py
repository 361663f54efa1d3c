"""Character-level tokenisation for Chinese legal text.

The vocabulary is one token per character seen in the training texts (Chinese characters, digits,
Latin letters, punctuation), plus BERT's special tokens, saved as ``vocab.txt`` one token a line.
It is loaded with transformers' :class:`~transformers.BertTokenizerFast` (``vocab=``) and
``tokenize_chinese_chars=True``, which splits every CJK character into its own token; runs of other
characters (``2025``, ``GB``) are split into single characters by WordPiece through the ``##x``
continuation entries written for every non-CJK character.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # transformers comes with the [ml] extra; imported where a tokenizer is made
    from transformers import BertTokenizerFast  # type: ignore[attr-defined]  # an alias of BertTokenizer in v5

SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
VOCAB_FILE = "vocab.txt"


def _is_cjk(ch: str) -> bool:
    cp = ord(ch)
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF
            or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


def build_vocab(texts: Iterable[str], *, min_freq: int = 2, max_size: int = 8000) -> list[str]:
    """Tokens for ``texts``: the special tokens, then characters by falling frequency (ties by code
    point), those seen at least ``min_freq`` times, at most ``max_size`` tokens in all; every
    non-CJK character also gets its ``##`` continuation entry (counted in ``max_size``)."""
    if min_freq < 1 or max_size <= len(SPECIAL_TOKENS):
        raise ValueError(f"min_freq must be >= 1 and max_size > {len(SPECIAL_TOKENS)}")
    counts: Counter[str] = Counter()
    for t in texts:
        counts.update(ch for ch in unicodedata.normalize("NFC", t) if not ch.isspace() and ch.isprintable())
    vocab = list(SPECIAL_TOKENS)
    seen = set(vocab)
    for ch, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        if n < min_freq:
            break
        new = [ch] if _is_cjk(ch) else [ch, "##" + ch]
        if len(vocab) + len(new) > max_size:
            break
        for tok in new:
            if tok not in seen:
                vocab.append(tok)
                seen.add(tok)
    return vocab


def save_vocab(vocab: list[str], out_dir: str | Path) -> Path:
    """Write ``vocab.txt`` in ``out_dir`` (created) and return its path."""
    if list(vocab[:len(SPECIAL_TOKENS)]) != list(SPECIAL_TOKENS):
        raise ValueError(f"a vocabulary must start with {', '.join(SPECIAL_TOKENS)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / VOCAB_FILE
    path.write_text("\n".join(vocab) + "\n", encoding="utf-8")
    return path


def char_tokenizer(vocab_file: str | Path, *, max_length: int = 256) -> BertTokenizerFast:
    """A fast BERT tokenizer over a character vocabulary (no lower-casing, no accent stripping)."""
    lines = Path(vocab_file).read_text(encoding="utf-8").splitlines()
    vocab = {tok: i for i, tok in enumerate(lines) if tok}
    if any(t not in vocab for t in SPECIAL_TOKENS):
        raise ValueError(f"{vocab_file} lacks one of the special tokens {', '.join(SPECIAL_TOKENS)}")
    from transformers import BertTokenizerFast  # type: ignore[attr-defined]

    # transformers >= 5 takes the vocabulary itself (``vocab=``); ``vocab_file=`` is ignored there
    return BertTokenizerFast(vocab=vocab, do_lower_case=False, strip_accents=False,
                             tokenize_chinese_chars=True, model_max_length=max_length)


def build_tokenizer(texts: Iterable[str], out_dir: str | Path, *, min_freq: int = 2, max_size: int = 8000,
                    max_length: int = 256) -> BertTokenizerFast:
    """Build the vocabulary from ``texts``, save it in ``out_dir`` and return the tokenizer."""
    path = save_vocab(build_vocab(texts, min_freq=min_freq, max_size=max_size), out_dir)
    return char_tokenizer(path, max_length=max_length)
