"""Issue 15: search_many's ranking key in two passes and its top k by repeated minima give what the
straightforward dense code (kept here as the reference) gives, bit for bit and in the same order —
ties included, which go to argpartition as before."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse import csr_matrix
from scipy.sparse import random as sparse_random

from normcheck.checks.consistency import retrieve
from normcheck.checks.consistency.retrieve import _bm25_scale, _combined_neg, _top_k, _top_k_argpartition


def _reference_top_k(neg: np.ndarray, kk: int) -> np.ndarray:
    part = np.argpartition(neg, kk - 1, axis=1)[:, :kk]
    order = np.argsort(np.take_along_axis(neg, part, axis=1), axis=1, kind="stable")
    return np.take_along_axis(part, order, axis=1)


def _reference_neg(bm: np.ndarray, cos: np.ndarray, pw_pr: np.ndarray | None) -> np.ndarray:
    """The dense computation search_many did before issue 15's change, line for line."""
    top = bm.max(axis=1, keepdims=True)
    bm_n = np.divide(bm, np.where(top > 0, top, 1.0), dtype=bm.dtype)
    bm_n *= 0.5
    total = np.multiply(cos, 0.5)
    total += bm_n
    neg = np.negative(total, dtype=np.result_type(total, pw_pr) if pw_pr is not None else total.dtype)
    if pw_pr is not None:
        neg -= pw_pr
    return neg


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_top_k_equals_argpartition_with_ties(dtype: type) -> None:
    rng = np.random.default_rng(15)
    for trial in range(400):
        rows, n = int(rng.integers(1, 20)), int(rng.integers(1, 300))
        levels = int(rng.choice([2, 3, 5, 50, 10**6]))  # few levels: many ties
        neg = (-rng.integers(0, levels, (rows, n)) / levels).astype(dtype)
        if trial % 7 == 0:
            neg[rng.random((rows, n)) < 0.05] = np.inf
        if trial % 11 == 0:
            neg[rng.random((rows, n)) < 0.05] = np.nan
        if trial % 13 == 0:
            neg[rng.random((rows, n)) < 0.05] = -np.inf
        if trial % 5 == 0:
            neg[rng.random((rows, n)) < 0.2] = -0.0
        before = neg.copy()
        for kk in (1, 2, 3, 4, 8, 9, 40):
            kk = min(kk, n)
            got = _top_k(neg, kk)
            assert got.tolist() == _reference_top_k(neg, kk).tolist()
            assert np.array_equal(neg, before, equal_nan=True) and neg.tobytes() == before.tobytes()
    assert _top_k_argpartition(np.zeros((2, 5)), 3).shape == (2, 3)


def test_top_k_row_subsets_rank_as_whole_blocks() -> None:
    """The tied rows are re-ranked as a block of their own: argpartition ranks each row by itself."""
    rng = np.random.default_rng(3)
    neg = -rng.integers(0, 3, (64, 500)).astype(np.float32)
    whole = _reference_top_k(neg, 3)
    rows = np.flatnonzero(rng.random(64) < 0.5)
    assert _reference_top_k(neg[rows], 3).tolist() == whole[rows].tolist()
    for r in range(64):
        assert _reference_top_k(neg[r:r + 1], 3).tolist() == whole[r:r + 1].tolist()


@pytest.mark.parametrize("prior", [None, np.float32, np.float64])
def test_combined_key_equals_the_dense_computation(prior: type | None) -> None:
    rng = np.random.default_rng(7)
    for trial in range(60):
        rows, n = int(rng.integers(1, 24)), int(rng.integers(1, 400))
        bm_p = csr_matrix(sparse_random(rows, n, density=float(rng.random()) * 0.4, dtype=np.float32,
                                        random_state=trial))
        cos = sparse_random(rows, n, density=float(rng.random()) * 0.4, dtype=np.float32,
                            random_state=trial + 50).toarray()
        if trial % 4 == 0:  # rows without a BM25 score, cosines at the same entries
            bm_p = csr_matrix(bm_p.multiply(rng.random((rows, 1)) < 0.5))
            cos[bm_p.toarray() > 0] = bm_p.toarray()[bm_p.toarray() > 0]
        bm = bm_p.toarray()
        pw_pr = None if prior is None else (0.15 * rng.integers(0, 4, n) / 3).astype(prior)
        got = _combined_neg(bm, bm_p, cos, _bm25_scale(bm), pw_pr)
        want = _reference_neg(bm, cos, pw_pr)
        assert got.dtype == want.dtype and got.tobytes() == want.tobytes()


def test_add_at_nonzeros_both_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(1)
    m = csr_matrix(sparse_random(9, 30, density=0.3, dtype=np.float32, random_state=2))
    base = rng.random((9, 30)).astype(np.float32)
    want = base + m.toarray()
    a = base.copy()
    retrieve._add_at_nonzeros(a, m, m.data)
    b = base.copy()
    retrieve._add_at_nonzeros(b, m, m.data.astype(np.float64))  # other type: the fancy-indexing way
    assert a.tobytes() == want.tobytes() and b.tobytes() == want.tobytes()


@pytest.fixture()
def index(demo_retrieval_index):  # type: ignore[no-untyped-def]
    return demo_retrieval_index


def _reference_search_many(ix, queries, *, k, method, mask=None, prior=None,  # type: ignore[no-untyped-def]
                           prior_weight=retrieve.PRIOR_WEIGHT):
    """search_many as it was before issue 15's change: the whole dense block, argpartition, 32 rows."""
    out: list[list] = [[] for _ in queries]
    if ix._base_mask is not None:
        mask = ix._base_mask if mask is None else (mask & ix._base_mask)
    cols = np.flatnonzero(mask) if mask is not None else np.arange(len(ix.entries))
    if not len(cols):
        return out
    pw_pr = prior_weight * prior[cols] if prior is not None else None
    texts = [retrieve.clean(q) for q in queries]
    kk = min(k, len(cols))
    for lo in range(0, len(texts), 32):
        chunk = texts[lo:lo + 32]
        bm = cos = None
        if method != "tfidf":
            bm = (ix._query_rows(ix._bm25, chunk, False) @ ix._bm25.matrix())[:, cols].toarray()
        if method != "bm25":
            cos = (ix._query_rows(ix._tfidf, chunk, True) @ ix._tfidf.matrix())[:, cols].toarray()
        if bm is not None:
            top = bm.max(axis=1, keepdims=True)
            bm_n = np.divide(bm, np.where(top > 0, top, 1.0), dtype=bm.dtype)
        if method == "bm25":
            total = bm_n
        elif method == "tfidf":
            total = cos
        else:
            bm_n *= 0.5
            total = np.multiply(cos, 0.5)
            total += bm_n
        neg = np.negative(total, dtype=np.result_type(total, pw_pr) if pw_pr is not None else total.dtype)
        if pw_pr is not None:
            neg -= pw_pr
        idx = _reference_top_k(neg, kk)
        tot = np.take_along_axis(total, idx, axis=1)
        for r in range(len(chunk)):
            if not chunk[r]:
                continue
            hits = []
            for c in range(idx.shape[1]):
                if not tot[r, c] > 0:
                    continue
                sc = {}
                if bm is not None:
                    sc["bm25"] = float(bm[r, idx[r, c]])
                if cos is not None:
                    sc["tfidf"] = float(cos[r, idx[r, c]])
                hits.append((int(cols[idx[r, c]]), float(min(tot[r, c], 1.0)), sc))
            out[lo + r] = hits
    return out


@pytest.mark.parametrize("method", ["combined", "bm25", "tfidf"])
def test_search_many_equals_the_dense_reference(index, method: str) -> None:  # type: ignore[no-untyped-def]
    texts = [e.article.text for e in index.entries]
    # repeated texts make tied scores; 40 queries span three chunks of 16
    queries = texts[:15] + [t[: max(4, len(t) // 3)] for t in texts[:15]] + texts[:8] + ["", "ＸＹＺ"]
    rng = np.random.default_rng(11)
    n = len(texts)
    for view in (None, rng.random(n) < 0.5):
        ix = index if view is None else index.view(view)
        for prior in (None, rng.integers(0, 3, n).astype(np.float32) / 2):
            for mask in (None, rng.random(n) < 0.7):
                for k in (1, 3, 5, 40):
                    got = ix.search_many(queries, k=k, method=method, prior=prior, mask=mask)
                    want = _reference_search_many(ix, queries, k=k, method=method, prior=prior, mask=mask)
                    assert got == want


def test_search_ranks_as_one_dimensional_argpartition(index, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """search() takes its top k through _top_k on one row: the same as argpartition on the 1-D keys."""

    def one_dimensional(neg: np.ndarray, kk: int) -> np.ndarray:
        row = neg[0]
        idx = np.argpartition(row, kk - 1)[:kk]
        return idx[np.argsort(row[idx], kind="stable")][None, :]

    texts = [e.article.text for e in index.entries]
    queries = texts[:10] + [t[:6] for t in texts[:10]]
    rng = np.random.default_rng(5)
    n = len(texts)
    for method in ("combined", "bm25", "tfidf"):
        for prior in (None, rng.integers(0, 2, n).astype(np.float32)):
            for mask in (None, rng.random(n) < 0.6):
                for k in (1, 3, 7, n + 5):
                    got = [index.search(q, k=k, method=method, prior=prior, mask=mask) for q in queries]
                    with monkeypatch.context() as m:
                        m.setattr(retrieve, "_top_k", one_dimensional)
                        want = [index.search(q, k=k, method=method, prior=prior, mask=mask) for q in queries]
                    assert got == want


def _reference_query_rows(ix, post, texts, weighted):  # type: ignore[no-untyped-def]
    """_query_rows as it was: the term selection in rarity order, then csr_matrix((w, (r, t)))."""
    n = len(texts)
    r, t, count = retrieve._all_terms(post, texts)
    fr, ft, fc = r, t, count
    if len(r):
        df = post.df[t]
        order = np.lexsort((df, r))
        r, t, count, df = r[order], t[order], count[order], df[order]
        rank = np.arange(len(r)) - np.searchsorted(r, r, side="left")
        keep = (df <= retrieve.MAX_DF_SHARE * post.n_docs) | (rank < retrieve.MIN_QUERY_TERMS)
        r, t, count = r[keep], t[keep], count[keep]
    c = count.astype(np.float32)
    if not weighted:
        w = np.ones(len(r), dtype=np.float32)
    else:
        wf = (1.0 + np.log(np.maximum(fc, 1.0))) * ix._tfidf_idf[ft]
        norms = np.sqrt(np.bincount(fr, weights=wf * wf, minlength=n))
        w = ((1.0 + np.log(np.maximum(c, 1.0))) * ix._tfidf_idf[t] / np.maximum(norms[r], 1e-9)).astype(np.float32)
    return csr_matrix((w, (r, t)), shape=(n, len(post.vocab)))


def test_query_rows_are_the_coo_built_matrix(index) -> None:  # type: ignore[no-untyped-def]
    texts = [retrieve.clean(e.article.text) for e in index.entries]
    for chunk in (texts[:16], [*texts[16:19], "", "ＸＹＺ"], [""], texts[:1] * 3):
        for post, weighted in ((index._bm25, False), (index._tfidf, True)):
            got = index._query_rows(post, chunk, weighted)
            want = _reference_query_rows(index, post, chunk, weighted)
            assert got.shape == want.shape and got.dtype == want.dtype
            assert got.indptr.dtype == want.indptr.dtype == got.indices.dtype == np.int32
            assert got.indptr.tolist() == want.indptr.tolist() and got.indices.tolist() == want.indices.tolist()
            assert got.data.tobytes() == want.data.tobytes()

