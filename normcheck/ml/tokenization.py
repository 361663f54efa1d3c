"""Character-level tokenisation for Chinese legal text.

The vocabulary is one token per character seen in the training texts (Chinese characters, digits,
Latin letters, punctuation), plus BERT's special tokens, saved as ``vocab.txt`` one token a line.
It is loaded with transformers' :class:`~transformers.BertTokenizerFast` (``vocab=``) and
``tokenize_chinese_chars=True``, which splits every CJK character into its own token; runs of other
characters (``2025``, ``GB``) are split into single characters by WordPiece through the ``##x``
continuation entries written for every non-CJK character.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

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


# --- trained vocabularies (``normcheck train tokenizer``, issue 12) ----------------------------------

#: Tokenizer kinds ``train_tokenizer`` builds: characters plus frequent legal terms (each term one
#: token, matched longest-first before the per-character split), or a plain BPE / WordPiece vocabulary
#: learnt from the text (no per-character split of Chinese).
TOKENIZER_KINDS = ("terms", "bpe", "wordpiece", "chars")
_CJK_ONLY = re.compile(r"^[\u4e00-\u9fff]+$")


def jieba_available() -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec("jieba") is not None
    except (ImportError, ValueError):
        return False


def frequent_ngrams(texts: Iterable[str], *, n_min: int = 2, n_max: int = 6, min_count: int = 30,
                    limit: int = 20000) -> dict[str, int]:
    """Chinese n-grams seen at least ``min_count`` times that are not just part of a longer n-gram
    seen (almost) as often: the corpus's candidate terms, most frequent first."""
    counts: Counter[str] = Counter()
    for t in texts:
        for run in re.findall(r"[\u4e00-\u9fff]+", t):
            for n in range(n_min, n_max + 1):
                counts.update(run[i:i + n] for i in range(len(run) - n + 1))
    out = {g: c for g, c in counts.items() if c >= min_count}
    # a longer n-gram that explains nearly all occurrences of a shorter one absorbs it
    absorbed = {sub for g, c in out.items() for sub in (g[1:], g[:-1]) if len(sub) >= n_min
                and sub in out and c >= 0.9 * out[sub]}
    ranked = sorted(((g, c) for g, c in out.items() if g not in absorbed), key=lambda kv: (-kv[1], kv[0]))
    return dict(ranked[:limit])


def mine_terms(texts: list[str], *, top_k: int = 3000, min_count: int = 30, use_jieba: bool | None = None
               ) -> tuple[list[str], str]:
    """Frequent legal terms (2-6 Chinese characters) of ``texts`` and how they were found.

    With jieba installed (and ``use_jieba`` not False): the frequent n-grams become a user dictionary
    (weighted by count) of a fresh jieba tokenizer, the texts are segmented with it (no HMM) and the most
    frequent multi-character words are the terms; else the frequent n-grams themselves."""
    grams = frequent_ngrams(texts, min_count=min_count)
    if use_jieba is None:
        use_jieba = jieba_available()
    if not use_jieba:
        return [g for g in grams][:top_k], "frequent n-grams (jieba not installed)"
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    seg = jieba.Tokenizer()
    for g, c in grams.items():
        seg.add_word(g, freq=c)
    words: Counter[str] = Counter()
    for t in texts:
        words.update(w for w in seg.cut(t, HMM=False) if 2 <= len(w) <= 6 and _CJK_ONLY.match(w))
    return [w for w, c in words.most_common() if c >= min_count][:top_k], \
        "jieba with a user dictionary of the corpus's frequent n-grams"


def _fast(tok_obj: object, max_length: int) -> BertTokenizerFast:
    from transformers import PreTrainedTokenizerFast

    return PreTrainedTokenizerFast(tokenizer_object=tok_obj, unk_token="[UNK]", pad_token="[PAD]",  # type: ignore[return-value]
                                   cls_token="[CLS]", sep_token="[SEP]", mask_token="[MASK]",
                                   model_max_length=max_length,
                                   model_input_names=["input_ids", "token_type_ids", "attention_mask"])


def train_tokenizer(texts: list[str], out_dir: str | Path | None, *, kind: str = "terms", vocab_size: int = 8000,
                    terms: list[str] | None = None, min_freq: int = 2, max_length: int = 512) -> BertTokenizerFast:
    """A Hugging Face tokenizer (``tokenizer.json``) trained on ``texts`` with the ``tokenizers`` library.

    ``terms``: characters (WordPiece over single Chinese characters; digits and Latin letters as
    subwords) plus ``terms`` as whole tokens (matched longest-first on the raw text).
    ``bpe`` / ``wordpiece``: the plain baselines, learnt on runs of text between spaces and punctuation.
    ``chars``: characters only (as ``terms`` without terms). Saved in ``out_dir`` when given."""
    from tokenizers import AddedToken, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

    if kind not in TOKENIZER_KINDS:
        raise ValueError(f"unknown tokenizer kind {kind!r}; use one of {', '.join(TOKENIZER_KINDS)}")
    specials = list(SPECIAL_TOKENS)
    if kind == "bpe":
        tok = Tokenizer(models.BPE(unk_token="[UNK]"))
        trainer: object = trainers.BpeTrainer(vocab_size=vocab_size, min_frequency=min_freq, special_tokens=specials)
        tok.decoder = decoders.BPEDecoder()
    else:
        tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
        trainer = trainers.WordPieceTrainer(vocab_size=vocab_size, min_frequency=min_freq, special_tokens=specials)
        tok.decoder = decoders.WordPiece()
    tok.normalizer = normalizers.Sequence([normalizers.NFC(), normalizers.BertNormalizer(
        clean_text=True, handle_chinese_chars=kind in ("terms", "chars"), strip_accents=False, lowercase=False)])
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.train_from_iterator(texts, trainer=trainer)  # type: ignore[arg-type]
    if kind == "terms" and terms:
        tok.add_tokens([AddedToken(t, single_word=False, normalized=False) for t in terms])
    cls_id, sep_id = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", cls_id), ("[SEP]", sep_id)])
    fast = _fast(tok, max_length)
    if out_dir is not None:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
        fast.save_pretrained(str(out_dir))
    return fast


@dataclass
class TokenizerTrainingArguments:
    """What ``normcheck train tokenizer`` accepts."""

    out_dir: str = field(default="", metadata={"help": "Folder the tokenizer is saved in (default: a new folder "
                                                       "under $NORMCHECK_HOME/models/)."})
    kind: str = field(default="terms", metadata={"help": "terms (characters + mined legal terms), bpe, wordpiece "
                                                         "or chars."})
    vocab_size: int = field(default=8000, metadata={"help": "Vocabulary learnt from the text (terms are added)."})
    terms: int = field(default=2000, metadata={"help": "Legal terms added as whole tokens (kind terms)."})
    term_min_count: int = field(default=20, metadata={"help": "A term must occur this often in the sample."})
    term_sample: int = field(default=20000, metadata={"help": "Lines the terms are mined from."})
    max_texts: int | None = field(default=None, metadata={"help": "Train on at most this many lines."})
    max_length: int = field(default=512, metadata={"help": "model_max_length stored with the tokenizer."})
    use_jieba: bool | None = field(default=None, metadata={"help": "Propose terms with jieba (default: if installed)."})
    seed: int = field(default=0, metadata={"help": "Seed of the line order."})
    command: str = field(default="", metadata={"help": "How this run was started (written to the card)."})

    def __post_init__(self) -> None:
        checks = [
            (self.kind in TOKENIZER_KINDS, f"kind must be one of {', '.join(TOKENIZER_KINDS)}"),
            (self.vocab_size > len(SPECIAL_TOKENS) + 10, "vocab_size too small"),
            (self.terms >= 0 and self.term_min_count >= 1 and self.term_sample > 0,
             "terms >= 0, term_min_count >= 1, term_sample > 0"),
            (self.max_texts is None or self.max_texts > 0, "max_texts must be > 0 or None"),
            (16 <= self.max_length <= 8192, "max_length must be in [16, 8192]"),
        ]
        bad = [msg for ok, msg in checks if not ok]
        if bad:
            raise ValueError("invalid training arguments: " + "; ".join(bad))


@dataclass
class TokenizerResult:
    out_dir: Path
    metrics: dict[str, dict[str, Any]]
    steps: int = 0
    train_seconds: float = 0.0
    n_params: int = 0


def train_tokenizer_task(args: TokenizerTrainingArguments, train_texts: list[str], held: list[str], *,
                         progress: Callable[[str], None] | None = None) -> TokenizerResult:
    """Mine terms (kind ``terms``), train, save (``tokenizer.json`` + card) and measure on held-out lines."""
    import json
    import time

    say = progress or (lambda _m: None)
    t0 = time.perf_counter()
    texts = train_texts[:args.max_texts] if args.max_texts else train_texts
    terms: list[str] = []
    how = ""
    if args.kind == "terms" and args.terms:
        terms, how = mine_terms(texts[:args.term_sample], top_k=args.terms, min_count=args.term_min_count,
                                use_jieba=args.use_jieba)
        say(f"{len(terms)} terms ({how}): {'、'.join(terms[:12])} ...")
    out = Path(args.out_dir)
    tok = train_tokenizer(texts, out, kind=args.kind, vocab_size=args.vocab_size, terms=terms,
                          max_length=args.max_length)
    seconds = round(time.perf_counter() - t0, 1)
    sample = held[:2000]
    n_chars = sum(len(t) for t in sample)
    n_tok = sum(len(tok.tokenize(t)) for t in sample)
    n_unk = sum(tok.tokenize(t).count("[UNK]") for t in sample)
    m = {"vocab": len(tok), "terms": len(terms), "chars_per_token": round(n_chars / max(1, n_tok), 3),
         "unk_rate": round(n_unk / max(1, n_tok), 5), "n_lines": len(sample)}
    (out / "metrics_heldout.json").write_text(json.dumps(m, indent=2) + "\n", encoding="utf-8")
    if terms:
        (out / "terms.txt").write_text("\n".join(terms) + "\n", encoding="utf-8")
    (out / "README.md").write_text("\n".join([
        f"# normcheck tokenizer ({args.kind})", "",
        f"- kind: {args.kind}; vocabulary {len(tok):,} ({len(terms)} legal terms as whole tokens"
        + (f", proposed by {how}" if how else "") + ")",
        f"- data: {len(texts):,} corpus lines; held-out laws: {m['chars_per_token']} characters per token, "
        f"[UNK] rate {m['unk_rate']}",
        f"- trained in {seconds:.0f} s; command: `{args.command or 'normcheck train tokenizer ...'}`",
        "- format: Hugging Face `tokenizer.json` (load with AutoTokenizer.from_pretrained(path))", "",
        "Masked-token accuracy against a plain BPE vocabulary: scripts/train_tokenizer_compare.py, "
        "models/README.md.", ""]), encoding="utf-8")
    return TokenizerResult(out, {"heldout": m}, train_seconds=seconds)
