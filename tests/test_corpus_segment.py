"""Walk the whole LawRefBook corpus: every file segments, and the 条 count matches the line count.

Reference count: lines that begin an article, ``^第[一二…]+条(之X)?`` (allowing stray spaces, as in
``第一百二十八 条``), counted independently of the segmenter. Files that differ for a good reason are
listed in EXPECTED_DIFFERENCES with the reason. Marked ``corpus``; skipped when the corpus is absent.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from normcheck.structure.segment import segment_text
from normcheck.text.numerals import NUMERAL_CHARS
from normcheck.types.document import NodeKind

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "lawrefbook"

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CORPUS.is_dir(), reason=f"LawRefBook corpus not found at {CORPUS}"),
]

REFERENCE = re.compile(rf"^[ \t\u3000]*第[ \t\u3000]*[{NUMERAL_CHARS}]+[ \t\u3000]*条(?:之[{NUMERAL_CHARS}]+)?", re.M)

#: relative path -> (reference count, segmenter count, reason)
EXPECTED_DIFFERENCES = {
    "行政法/文物保护法(2017-11-04).md": (
        81, 80, "a history line in the preamble is wrapped and begins '第三十一条的决定》第一次修正': not an article"),
    "行政法规/飞行基本规则(2007-10-18).md": (
        12, 124, "each chapter's articles are run together on one line; the segmenter splits them at "
                 "'。 第X条 ' with the expected next number"),
}


def _files() -> list[Path]:
    return sorted(p for p in CORPUS.rglob("*.md") if p.name != "_index.md")


@pytest.mark.timeout(300)
def test_whole_corpus_segments_and_counts_match() -> None:
    files = _files()
    assert len(files) > 3000
    t0 = time.perf_counter()
    mismatches: dict[str, tuple[int, int]] = {}
    chars = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        chars += len(text)
        doc = segment_text(text, fmt="md", path=str(path))  # must not raise
        got = sum(1 for n in doc.root.walk() if n.kind == NodeKind.ARTICLE)
        ref = len(REFERENCE.findall(text))
        if got != ref:
            mismatches[str(path.relative_to(CORPUS))] = (ref, got)
    elapsed = time.perf_counter() - t0
    expected = {k: v[:2] for k, v in EXPECTED_DIFFERENCES.items()}
    assert mismatches == expected
    assert elapsed < 120, f"{len(files)} files, {chars} chars in {elapsed:.1f}s"


def test_sample_structure_is_sane() -> None:
    """A few files in depth: spans are stripped text, nested in order, IDs unique."""
    files = _files()[::400]
    for path in files:
        text = path.read_text(encoding="utf-8")
        doc = segment_text(text, fmt="md", path=str(path))
        seen: set[str] = set()
        for node in doc.root.walk():
            span = doc.node_text(node)
            if node.kind != NodeKind.DOCUMENT:
                assert span and span == span.strip(), (path, node)
            for child in node.children:
                assert node.start <= child.start <= child.end <= node.end
            if node.id:
                assert node.id not in seen
                seen.add(node.id)
