"""Corpus text for tokenizer and encoder training: the lines of every law file of a LawRefBook-style
source (the Markdown bodies after ``<!-- INFO END -->``), deduplicated, split into train and held-out
texts by a hash of the file's title so that held-out laws are unseen (every version of a law on one side).
"""

from __future__ import annotations

import hashlib
import random
import re
from pathlib import Path

_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_TITLE_RE = re.compile(r"\(\d{4}-\d{2}-\d{2}\)$|\s+")


def _heldout(title: str, pct: int) -> bool:
    return hashlib.sha256(_TITLE_RE.sub("", title).encode("utf-8")).digest()[0] * 100 // 256 < pct


def corpus_lines(src: str | Path, *, heldout_pct: int = 5, min_cjk: int = 8, max_chars: int = 400,
                 seed: int = 0) -> tuple[list[str], list[str]]:
    """(train lines, held-out lines): body lines with at least ``min_cjk`` Chinese characters, cut to
    ``max_chars``, deduplicated, shuffled with ``seed``. Held out: ``heldout_pct``% of the law titles."""
    from normcheck.corpus.lawfiles import list_law_files

    root = Path(src)
    if not root.is_dir():
        from normcheck.errors import Code, NormcheckError

        raise NormcheckError(Code.CORPUS_SOURCE_MISSING, "no corpus source folder here; pass --corpus-src "
                             "(e.g. ../shared/corpora/lawrefbook)", str(root))
    seen: set[str] = set()
    train: list[str] = []
    held: list[str] = []
    for f in list_law_files(root):
        try:
            text = f.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        side = held if _heldout(f.title, heldout_pct) else train
        for line in text.split("<!-- INFO END -->", 1)[-1].splitlines():
            line = line.strip().lstrip("#").strip()
            if len(_CJK_RE.findall(line)) < min_cjk:
                continue
            line = line[:max_chars]
            if line not in seen:
                seen.add(line)
                side.append(line)
    rng = random.Random(seed)
    rng.shuffle(train)
    rng.shuffle(held)
    return train, held
