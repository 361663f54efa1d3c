"""search_many scores only the entries that share a term with a query (issue 15): the same hits, scores
and order as the dense path, ties included."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest


@pytest.fixture()
def index(tmp_path: Path):  # type: ignore[no-untyped-def]
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


def _dense(monkeypatch: pytest.MonkeyPatch, fn):  # type: ignore[no-untyped-def]
    from normcheck.checks.consistency import retrieve

    with monkeypatch.context() as m:
        m.setattr(retrieve, "_top_candidates", lambda *a, **k: None)
        return fn()


@pytest.mark.parametrize("method", ["combined", "bm25", "tfidf"])
@pytest.mark.parametrize("k", [1, 2, 3, 5, 40])
def test_candidates_give_the_dense_hits(index, monkeypatch: pytest.MonkeyPatch, method: str, k: int) -> None:  # type: ignore[no-untyped-def]
    entries = list(index.entries)
    texts = [e.article.text for e in entries]
    # whole articles, pieces of them, the same query twice, an empty one and one sharing nothing
    queries = texts[:20] + [t[: max(4, len(t) // 3)] for t in texts[:20]] + [texts[0], "", "ＸＹＺ"]
    rng = np.random.default_rng(7)
    n = len(entries)
    views = [None, rng.random(n) < 0.5]
    priors = [None, rng.integers(0, 3, n).astype(np.float32) / 2, np.zeros(n, dtype=np.float32)]
    for view in views:
        ix = index if view is None else index.view(view)
        for prior in priors:
            for mask in (None, rng.random(n) < 0.7):
                def run(ix=ix, prior=prior, mask=mask):  # type: ignore[no-untyped-def]
                    return ix.search_many(queries, k=k, method=method, prior=prior, mask=mask)
                assert run() == _dense(monkeypatch, run)


def test_ties_keep_argpartitions_order(index, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """Entries with equal scores (a prior that is the same for all, an index whose articles repeat) are
    ordered as the dense path's argpartition leaves them."""
    from normcheck.checks.consistency.retrieve import Entry, SuperiorIndex

    entries = list(index.entries)
    doubled = SuperiorIndex([Entry(e.law, e.version, e.article) for e in entries * 3])
    queries = [e.article.text[:12] for e in entries[:30]]
    for k in (1, 2, 4, 7):
        prior = np.full(len(doubled.entries), 0.5, dtype=np.float32)
        for pr in (None, prior):
            def run(k=k, pr=pr):  # type: ignore[no-untyped-def]
                return doubled.search_many(queries, k=k, prior=pr)
            got = run()
            assert got == _dense(monkeypatch, run)
            assert k == 1 or any(len(h) > 1 for h in got)
