"""Shared fixtures: ``corpus_root`` (the shared LawRefBook snapshot, or skip) and ``shared_corpus``
(a :class:`normcheck.corpus.store.Corpus` built from it once per session; incremental, so an
up-to-date index — e.g. the one CI builds with ``normcheck corpus build`` — is reused in ~1 s);
``demo_retrieval_index`` (the retrieval index of the small written demo corpus, caches cleared)."""

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


@pytest.fixture()
def demo_retrieval_index(tmp_path: Path) -> Iterator[object]:
    """The consistency check's retrieval index of the demo corpus (``tests/corpus_factories.py``), built fresh
    with the module caches cleared (the speed tests compare fast paths with reference versions on it)."""
    from normcheck.checks.consistency import retrieve
    from normcheck.corpus.ingest import build_corpus
    from normcheck.corpus.store import Corpus
    from tests.corpus_factories import write_demo_corpus

    src = write_demo_corpus(tmp_path / "src")
    out = tmp_path / "corpus.sqlite"
    build_corpus([src], out)
    retrieve._CORPUS_INDEX.clear()
    retrieve._INDEX_CACHE.clear()
    retrieve._SLICES.clear()
    corpus = Corpus.open(out)
    idx, _ = retrieve.corpus_index(corpus)
    yield idx
    corpus.close()
