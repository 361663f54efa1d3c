"""Shared fixtures: ``corpus_root`` (the shared LawRefBook snapshot, or skip) and ``shared_corpus``
(a :class:`normcheck.corpus.store.Corpus` built from it once per session; incremental, so an
up-to-date index — e.g. the one CI builds with ``normcheck corpus build`` — is reused in ~1 s)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LAWREFBOOK = REPO.parent / "shared" / "corpora" / "lawrefbook"


@pytest.fixture(scope="session")
def corpus_root() -> Path:
    if not LAWREFBOOK.is_dir():
        pytest.skip(f"shared corpus absent: {LAWREFBOOK}")
    return LAWREFBOOK


def _index_path(root: Path) -> Path:
    """The default index when it was built from exactly this source, else a test-only index."""
    from normcheck.paths import default_corpus_path, normcheck_home

    default = default_corpus_path()
    if default.is_file():
        try:
            con = sqlite3.connect(f"file:{default}?mode=ro", uri=True)
            meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
            con.close()
            if json.loads(meta.get("sources", "[]")) == [str(root.resolve())] and meta.get("fts_tokenizer") == "bigram":
                return default
        except (sqlite3.Error, ValueError):
            pass
    return normcheck_home() / "corpus-tests.sqlite"


@pytest.fixture(scope="session")
def shared_corpus(corpus_root: Path) -> Iterator[object]:
    from normcheck.corpus.ingest import build_corpus
    from normcheck.corpus.store import Corpus

    out = _index_path(corpus_root)
    build_corpus([corpus_root], out)
    corpus = Corpus.open(out)
    yield corpus
    corpus.close()
