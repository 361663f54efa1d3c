"""Issue 15: the retrieval cache opened memory-mapped, its entries built on demand, damage still rebuilt."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import numpy as np
import pytest

from normcheck.corpus.arrays import ALIGN, open_arrays, save_arrays


def test_arrays_round_trip_aligned_read_only_and_npz_compatible(tmp_path: Path) -> None:
    arrays = {"key": np.asarray("k1"), "w": np.arange(11, dtype=np.float32), "empty": np.zeros(0, dtype=np.int64),
              "m": np.arange(12, dtype=np.int16).reshape(3, 4), "f": np.asfortranarray(np.ones((3, 5)))[:, :2],
              "names": np.asarray(["甲", "乙丙"])}
    p = tmp_path / "a.npz"
    save_arrays(p, arrays)
    got = open_arrays(p)
    assert sorted(got) == sorted(arrays)
    for name, want in arrays.items():
        assert got[name].dtype == want.dtype and got[name].shape == want.shape
        assert np.array_equal(got[name], want)
        assert not got[name].flags.writeable
        if got[name].size:
            assert got[name].ctypes.data % ALIGN == 0
    with np.load(p) as z:  # an ordinary npz for numpy
        assert str(z["key"]) == "k1" and np.array_equal(z["m"], arrays["m"])
    plain = tmp_path / "plain.npz"
    np.savez(plain, **arrays)  # any uncompressed npz opens (unaligned)
    assert np.array_equal(open_arrays(plain)["w"], arrays["w"])


@pytest.mark.parametrize("damage", ["empty", "random", "truncated", "compressed", "not-npy"])
def test_open_arrays_refuses_damaged_files(tmp_path: Path, damage: str) -> None:
    p = tmp_path / "a.npz"
    save_arrays(p, {"key": np.asarray("k"), "w": np.arange(5000, dtype=np.float64)})
    raw = p.read_bytes()
    if damage == "empty":
        p.write_bytes(b"")
    elif damage == "random":
        p.write_bytes(os.urandom(len(raw)))
    elif damage == "truncated":
        p.write_bytes(raw[: len(raw) // 2])
    elif damage == "compressed":
        np.savez_compressed(p, w=np.arange(10))
    else:
        with zipfile.ZipFile(p, "w") as zf:
            zf.writestr("w.npy", b"not an array")
    with pytest.raises(ValueError):
        open_arrays(p)


@pytest.fixture()
def demo(tmp_path: Path) -> Path:
    from normcheck.corpus.ingest import build_corpus
    from tests.corpus_factories import write_demo_corpus

    src = write_demo_corpus(tmp_path / "src")
    out = tmp_path / "corpus.sqlite"
    build_corpus([src], out)
    return out


def _fresh_index(path: Path):  # type: ignore[no-untyped-def]
    from normcheck.checks.consistency import retrieve
    from normcheck.corpus.store import Corpus

    retrieve._CORPUS_INDEX.clear()
    retrieve._INDEX_CACHE.clear()
    retrieve._SLICES.clear()
    corpus = Corpus.open(path)
    return corpus, *retrieve.corpus_index(corpus)


def test_corpus_index_reopens_lazily_with_the_same_entries_and_hits(demo: Path) -> None:
    from normcheck.checks.consistency.retrieve import LazyEntries

    corpus, built, by_version = _fresh_index(demo)
    cache = demo.with_name(demo.name + ".retrieval.npz")
    assert cache.is_file() and not isinstance(built.entries, LazyEntries)
    want_entries = list(built.entries)
    queries = [e.article.text[:30] for e in want_entries[:12]]
    want_hits = built.search_many(queries, k=5)
    want_one = [built.search(q, k=5) for q in queries]
    corpus.close()

    corpus2, lazy, by_version2 = _fresh_index(demo)
    assert isinstance(lazy.entries, LazyEntries) and len(lazy.entries) == len(want_entries)
    assert not lazy.entries._made  # nothing read yet
    assert lazy.search_many(queries, k=5) == want_hits
    assert [lazy.search(q, k=5) for q in queries] == want_one
    assert lazy.entries[3] == want_entries[3] and lazy.entries[-1] == want_entries[-1]
    assert list(lazy.entries) == want_entries
    assert {k: v.tolist() for k, v in by_version2.items()} == {k: v.tolist() for k, v in by_version.items()}
    assert lazy.key_to_index == built.key_to_index
    title = want_entries[0].law.name
    assert np.array_equal(lazy.law_prior(title), built.law_prior(title))
    corpus2.close()


@pytest.mark.parametrize("damage", ["truncated", "random", "entry-table", "scoring-arrays"])
def test_damaged_corpus_cache_is_rebuilt(demo: Path, damage: str) -> None:
    from normcheck.checks.consistency.retrieve import LazyEntries

    corpus, built, _ = _fresh_index(demo)
    queries = [e.article.text[:30] for e in list(built.entries)[:6]]
    want = built.search_many(queries, k=5)
    corpus.close()
    cache = demo.with_name(demo.name + ".retrieval.npz")
    raw = cache.read_bytes()
    if damage == "truncated":
        cache.write_bytes(raw[: len(raw) // 2])
    elif damage == "random":
        cache.write_bytes(os.urandom(len(raw)))
    else:
        arrays = {k: np.array(v) for k, v in open_arrays(cache).items()}
        if damage == "entry-table":
            arrays["entry_version"] = arrays["entry_version"][:-1]
        else:
            arrays["tfidf_docs"] = arrays["tfidf_docs"][:2]
        save_arrays(cache, arrays)
    corpus2, again, _ = _fresh_index(demo)
    assert not isinstance(again.entries, LazyEntries)  # rebuilt from the corpus
    assert again.search_many(queries, k=5) == want
    corpus2.close()
    corpus3, third, _ = _fresh_index(demo)  # and the cache was replaced by a good one
    assert isinstance(third.entries, LazyEntries) and third.search_many(queries, k=5) == want
    corpus3.close()
