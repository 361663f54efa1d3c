"""search_many's sparse products skip SciPy's first pass (issue 15): the same arrays as ``q @ m``, bit for
bit, hence the same hits, scores and order."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse import csr_matrix
from scipy.sparse import random as sparse_random


@pytest.fixture()
def index(demo_retrieval_index):  # type: ignore[no-untyped-def]
    return demo_retrieval_index


def _same(a, b) -> None:  # type: ignore[no-untyped-def]
    assert a.shape == b.shape and a.dtype == b.dtype
    assert a.indptr.tolist() == b.indptr.tolist() and a.indices.tolist() == b.indices.tolist()
    assert a.data.tobytes() == b.data.tobytes()
    assert a.toarray().tobytes() == b.toarray().tobytes()


def test_product_equals_scipys_on_random_matrices() -> None:
    from normcheck.checks.consistency.retrieve import _product

    rng = np.random.default_rng(3)
    for trial in range(40):
        n, v, e = int(rng.integers(1, 40)), int(rng.integers(1, 300)), int(rng.integers(1, 500))
        q = csr_matrix(sparse_random(n, v, density=float(rng.random()) * 0.3, dtype=np.float32, random_state=trial))
        m = csr_matrix(sparse_random(v, e, density=float(rng.random()) * 0.3, dtype=np.float32,
                                     random_state=trial + 100))
        _same(_product(q, m), q @ m)
    # an empty product and one with another value type go through SciPy
    z = csr_matrix((3, 5), dtype=np.float32)
    assert _product(z, csr_matrix(np.ones((5, 4), dtype=np.float32))).nnz == 0
    q64 = csr_matrix(np.ones((2, 3)))
    _same(_product(q64, csr_matrix(np.ones((3, 2)))), q64 @ csr_matrix(np.ones((3, 2))))


@pytest.mark.parametrize("method", ["combined", "bm25", "tfidf"])
def test_search_many_is_unchanged(index, monkeypatch: pytest.MonkeyPatch, method: str) -> None:  # type: ignore[no-untyped-def]
    from normcheck.checks.consistency import retrieve

    texts = [e.article.text for e in index.entries]
    queries = texts[:20] + [t[: max(4, len(t) // 3)] for t in texts[:20]] + [texts[0], "", "ＸＹＺ"]
    rng = np.random.default_rng(7)
    n = len(texts)
    for view in (None, rng.random(n) < 0.5):
        ix = index if view is None else index.view(view)
        for prior in (None, rng.integers(0, 3, n).astype(np.float32) / 2):
            for mask in (None, rng.random(n) < 0.7):
                for k in (1, 3, 40):
                    got = ix.search_many(queries, k=k, method=method, prior=prior, mask=mask)
                    with monkeypatch.context() as m:
                        m.setattr(retrieve, "_product", lambda q, mat: q @ mat)
                        want = ix.search_many(queries, k=k, method=method, prior=prior, mask=mask)
                    assert got == want
    q = index._query_rows(index._bm25, [retrieve.clean(t) for t in texts[:32]], False)
    _same(retrieve._product(q, index._bm25.matrix()), q @ index._bm25.matrix())
