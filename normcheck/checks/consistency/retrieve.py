"""Alignment: for a clause of a document, the superior provisions it implements or touches, ranked.

Three sources, fused into one ranked list of :class:`Alignment`:

(a) explicit citations in the clause (``normcheck.cite`` + ``normcheck.resolve``): score 1.0;
(b) full-text retrieval: BM25 over character bigrams of the articles of the document's superior
    laws (those in force on the review date, domain.md §2);
(c) a vector baseline: TF-IDF cosine over character 2- and 3-grams (a learned encoder can replace
    it behind the same interface).

The retrieval index is built once per corpus over every version of every superior-capable law
(:func:`corpus_index`); a document's superior laws in force on its date are a boolean mask over it,
cached per (kind, region, date), so a batch — even one judged as of each document's own date — pays
for the index once. Scores are sparse dot products done with numpy.
"""

from __future__ import annotations

import copy
import hashlib
import math
import re
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from normcheck.corpus.arrays import open_arrays, save_arrays
from normcheck.knowledge import comparison, penalties
from normcheck.types.law import Article, Law, LawVersion, Level, superior_levels

METHODS = ("bm25", "tfidf", "combined")
#: Weight of the law-title prior in ranking (tuned on the dev split of the mined pairs).
PRIOR_WEIGHT = 0.15
_TOPIC_STRIP = re.compile(r"^(中华人民共和国|[\u4e00-\u9fff]{2,3}?(省|市|自治区))|(实施细则|实施办法|实施条例|若干规定|"
                          r"管理条例|管理办法|管理规定|条例|办法|规定|细则|法)$")

_PENALTY_GATE = penalties().fine_word  # data/penalties.json
_QUERY_BOILERPLATE = comparison().patterns["penalty_query_boilerplate"]  # data/comparison.json
_STRIP_RE = re.compile(r"[\s，。；：、,.;:！？!?（）()《》〈〉“”\"'‘’【】\[\]—\-…·]")
_CITE_RE = re.compile(r"《[^》]{1,60}》(?:第[零〇一二两三四五六七八九十百千\d]+条(?:之[一二三四五六七八九十]+)?"
                      r"(?:第[零一二三四五六七八九十\d]+款)?(?:第[（(][一二三四五六七八九十]+[）)]项)?[、和及至]?)*")


@lru_cache(maxsize=16384)
def clean(text: str) -> str:
    """Text as indexed: punctuation and whitespace removed (cached: the same clause and provision texts
    are cleaned by every comparison, feature and gate that looks at them)."""
    return _STRIP_RE.sub("", text)


@lru_cache(maxsize=16384)
def _topic_grams(title: str) -> frozenset[str]:
    """The bigrams of :func:`_topic` (cached: a document's title meets every law name of its index)."""
    return frozenset(_grams(_topic(title), 2))


def _topic(title: str) -> str:
    """A law title reduced to its subject: 上海市产品质量条例 -> 产品质量."""
    t = clean(title).replace("中华人民共和国", "")
    for _ in range(2):
        t = _TOPIC_STRIP.sub("", t).removeprefix("实施")
    return t


def topic_overlap(doc_title: str, law_name: str) -> float:
    """Share of the document topic's bigrams found in the law's topic (上海市产品质量条例 vs
    中华人民共和国产品质量法 -> 1.0); 0 when either is empty."""
    q, g = _topic_grams(doc_title), _topic_grams(law_name)
    return len(q & g) / len(q) if q and g else 0.0


def _grams(t: str, n: int) -> list[str]:
    return [t[i:i + n] for i in range(len(t) - n + 1)]


@dataclass(frozen=True, slots=True)
class Entry:
    """One retrievable superior article."""

    law: Law
    version: LawVersion
    article: Article

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.law.id, self.article.number, self.article.suffix)


@dataclass(frozen=True, slots=True)
class Alignment:
    """A superior article aligned to a clause. ``score`` in [0, 1]; ``source`` is ``citation`` or
    ``retrieval``; ``coverage`` is the share of the clause's characters found, in order, in the best
    matching paragraph ``paragraph`` (index into ``article.paragraphs``, or -1 for the whole text)."""

    law: Law
    version: LawVersion
    article: Article
    score: float
    source: str
    coverage: float = 0.0
    paragraph: int = -1
    scores: dict[str, float] = field(default_factory=dict)

    @property
    def superior_text(self) -> str:
        if 0 <= self.paragraph < len(self.article.paragraphs):
            return self.article.paragraphs[self.paragraph]
        return self.article.text


class LazyEntries(Sequence[Entry]):
    """The entries of the saved corpus index, built when asked for (issue 15): the cache holds each
    entry's version and article number, so opening the index reads no article; an :class:`Entry` is
    made (one article query) the first time a hit, a mask or a caller needs it, and kept.
    Iterating reads the articles version by version, as building the index does."""

    def __init__(self, corpus: Any, laws: dict[str, Law], versions: list[tuple[str, str]], version: np.ndarray,
                 number: np.ndarray, suffix: np.ndarray, source: Path | None = None) -> None:
        n = len(version)
        if not (len(number) == len(suffix) == n) or (n and not (0 <= int(version.min())
                                                              and int(version.max()) < len(versions))):
            raise ValueError("the entry table's arrays do not fit together")
        missing = {law_id for law_id, _ in versions} - laws.keys()
        if missing:
            raise ValueError(f"the entry table names {len(missing)} laws the corpus lacks")
        self._corpus, self._laws, self._versions, self._source = corpus, laws, versions, source
        self._version, self._number, self._suffix = version, number, suffix
        self._made: dict[int, Entry] = {}
        self._all: list[Entry] | None = None  # every entry, in order, once all are made
        self._law_versions: dict[int, LawVersion] = {}

    @classmethod
    def from_arrays(cls, corpus: Any, laws: dict[str, Law], arrays: dict[str, np.ndarray],
                    source: Path | None = None) -> LazyEntries:
        import json

        versions = [(str(a), str(b)) for a, b in json.loads(arrays["entry_versions"].tobytes().decode("utf-8"))]
        return cls(corpus, laws, versions, arrays["entry_version"], arrays["entry_number"],
                   arrays["entry_suffix"], source)

    def table(self) -> dict[str, np.ndarray]:
        """The entry table as saved (:func:`_entry_table`)."""
        import json

        raw = json.dumps(self._versions, ensure_ascii=False).encode("utf-8")
        return {"entry_versions": np.frombuffer(raw, dtype=np.uint8), "entry_version": self._version,
                "entry_number": self._number, "entry_suffix": self._suffix}

    def __len__(self) -> int:
        return len(self._version)

    def __getitem__(self, i: Any) -> Any:
        if self._all is not None:
            return self._all[i]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        i = int(i)
        if i < 0:
            i += len(self)
        e = self._made.get(i)
        if e is None:
            self._fill(int(self._version[i]))  # the hit's whole version: one query, not one per hit
            e = self._made.get(i)
        if e is None:
            from normcheck.errors import Code, CorpusError

            law_id, version = self._versions[int(self._version[i])]
            raise CorpusError(Code.CORPUS_CORRUPT, f"the retrieval cache does not match the corpus index "
                              f"({law_id} {version} article {int(self._number[i])}); delete it to rebuild it",
                              str(self._source) if self._source else None)
        return e

    def _fill(self, v: int) -> None:
        """Build the entries of version ``v`` (an index into the version list) from one query."""
        law_id, version = self._versions[v]
        lv = self._law_version(v)
        if lv is None:
            return
        arts = {(a.number, a.suffix): a for a in self._corpus.articles(law_id, version)}
        law = self._laws[law_id]
        for i in self._positions()[v].tolist():
            if i not in self._made:
                art = arts.get((int(self._number[i]), int(self._suffix[i])))
                if art is not None:
                    self._made[i] = Entry(law, lv, art)

    def _positions(self) -> list[np.ndarray]:
        """The entries of each version, by version index (computed once)."""
        m = getattr(self, "_pos", None)
        if m is None:
            order = np.argsort(self._version, kind="stable")
            counts = np.bincount(self._version, minlength=len(self._versions))
            m = self._pos = np.split(order, np.cumsum(counts)[:-1]) if len(counts) else []
        return m

    def __iter__(self) -> Iterator[Entry]:
        done = self._all
        if done is not None:  # every entry made: a plain list walk (callers iterate once per document)
            return iter(done)
        return self._iter_building()

    def _iter_building(self) -> Iterator[Entry]:
        for i in range(len(self)):
            yield self[i]
        if self._all is None and len(self._made) == len(self):
            self._all = [self._made[i] for i in range(len(self))]

    def _law_version(self, v: int) -> LawVersion | None:
        lv = self._law_versions.get(v)
        if lv is None:
            for x in self._corpus.versions(self._versions[v][0]):
                k = self._version_index.get((x.law_id, x.version))
                if k is not None:
                    self._law_versions[k] = x
            lv = self._law_versions.get(v)
        return lv

    @property
    def _version_index(self) -> dict[tuple[str, str], int]:
        m = getattr(self, "_vi", None)
        if m is None:
            m = self._vi = {lv: k for k, lv in enumerate(self._versions)}
        return m

    def law_table(self) -> tuple[list[str], list[str], np.ndarray]:
        """(law ids, their names, each entry's index into them), without building entries."""
        law_ids = list(dict.fromkeys(law_id for law_id, _ in self._versions))
        pos = {law_id: k for k, law_id in enumerate(law_ids)}
        per_version = np.asarray([pos[law_id] for law_id, _ in self._versions], dtype=np.int64)
        entry_law = per_version[self._version] if len(per_version) else np.zeros(0, dtype=np.int64)
        return law_ids, [self._laws[x].name for x in law_ids], entry_law

    def by_version(self) -> dict[tuple[str, str], np.ndarray]:
        """The positions of each version's entries."""
        return {self._versions[k]: part.astype(np.int64) for k, part in enumerate(self._positions()) if len(part)}


def _entry_table(entries: Sequence[Entry]) -> dict[str, np.ndarray]:
    """Each entry's version (an index into a JSON list of (law id, version)) and article number and
    suffix: saved with the index, so that :class:`LazyEntries` can open it without reading articles."""
    if isinstance(entries, LazyEntries):
        return entries.table()
    import json

    versions: dict[tuple[str, str], int] = {}
    ver = np.asarray([versions.setdefault((e.law.id, e.version.version), len(versions)) for e in entries],
                     dtype=np.int32)
    raw = json.dumps(list(versions), ensure_ascii=False).encode("utf-8")
    return {"entry_versions": np.frombuffer(raw, dtype=np.uint8), "entry_version": ver,
            "entry_number": np.asarray([e.article.number for e in entries], dtype=np.int32),
            "entry_suffix": np.asarray([e.article.suffix for e in entries], dtype=np.int32)}


#: Term x entry matrices cut to a view's entries, for the last few views (a batch sorted by folder
#: meets its kinds and regions in runs); (postings, mask, matrix) by (id(postings), id(mask)).
_SLICES: OrderedDict[tuple[int, int], tuple[Any, np.ndarray, Any]] = OrderedDict()
_SLICES_MAX = 4
_BITS = 21  # enough for any Unicode code point
#: Query terms in more than this share of the indexed articles are not scored (see _Postings.score).
MAX_DF_SHARE = 0.05
MIN_QUERY_TERMS = 3


def _codes(texts: Sequence[str], n: int) -> tuple[np.ndarray, np.ndarray]:
    """Character n-grams of every text as int64 codes, with the index of the text each comes from."""
    arrays = [np.frombuffer(t.encode("utf-32-le"), dtype=np.uint32) for t in texts]
    lengths = np.asarray([len(a) for a in arrays], dtype=np.int64)
    if not len(arrays) or int(lengths.sum()) < n:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    chars = np.concatenate(arrays).astype(np.int64)
    owner = np.repeat(np.arange(len(arrays), dtype=np.int64), lengths)
    m = len(chars) - n + 1
    code = np.zeros(m, dtype=np.int64)
    for k in range(n):
        code = (code << _BITS) | chars[k:k + m]
    ok = owner[:m] == owner[n - 1:n - 1 + m]
    return code[ok], owner[:m][ok]


class _Postings:
    """Term -> (doc ids, weights), stored as flat numpy arrays sorted by term; terms are n-gram codes."""

    def __init__(self, texts: Sequence[str], ns: tuple[int, ...]) -> None:
        codes, owners = zip(*(_codes(texts, n) for n in ns), strict=True)
        code = np.concatenate(codes)
        owner = np.concatenate(owners)
        self.ns = ns
        self.n_docs = len(texts)
        self.vocab, inv = np.unique(code, return_inverse=True)
        d = max(self.n_docs, 1)
        pair, tf = np.unique(inv.astype(np.int64) * d + owner, return_counts=True)  # sorted by term, then doc
        self.terms = pair // d
        self.docs = (pair % d).astype(np.int32)
        self.tf = tf.astype(np.float32)
        self.df = np.bincount(self.terms, minlength=len(self.vocab)).astype(np.float32)
        self.offsets = np.concatenate([[0], np.cumsum(self.df.astype(np.int64))])
        self.doc_len = np.bincount(owner, minlength=self.n_docs).astype(np.float32)
        self.weights = np.zeros(len(self.terms), dtype=np.float32)

    _SAVED = ("vocab", "docs", "df", "offsets", "doc_len", "weights")

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {f"{prefix}{name}": getattr(self, name) for name in self._SAVED}

    @classmethod
    def restore(cls, arrays: dict[str, np.ndarray], prefix: str, ns: tuple[int, ...], n_docs: int) -> _Postings:
        """A compacted posting list from :meth:`arrays` (no rebuilding)."""
        p = cls.__new__(cls)
        p.ns, p.n_docs = ns, n_docs
        for name in cls._SAVED:
            setattr(p, name, arrays[f"{prefix}{name}"])
        p.compact()
        return p

    def compact(self) -> None:
        """Drop what scoring does not need once the weights are set (halves the memory)."""
        self.terms = np.zeros(0, dtype=np.int64)
        self.tf = np.zeros(0, dtype=np.float32)

    def query_terms(self, text: str) -> dict[int, float]:
        """Term id -> count in ``text`` (terms not in the vocabulary are dropped)."""
        if not len(self.vocab):
            return {}
        code = np.concatenate([_codes([text], n)[0] for n in self.ns])
        if not len(code):
            return {}
        pos = np.searchsorted(self.vocab, code)
        pos = np.minimum(pos, len(self.vocab) - 1)
        hit = pos[self.vocab[pos] == code]
        ids, counts = np.unique(hit, return_counts=True)
        return {int(i): float(c) for i, c in zip(ids, counts, strict=True)}

    def score(self, query: dict[int, float]) -> np.ndarray:
        """Scores of every document for a weighted query. Terms found in more than
        :data:`MAX_DF_SHARE` of the documents are skipped (they cost the most postings and carry the
        least evidence), except that the :data:`MIN_QUERY_TERMS` rarest terms always count."""
        if not query:
            return np.zeros(self.n_docs, dtype=np.float32)
        by_rarity = sorted(query, key=lambda t: self.df[t])
        cap = MAX_DF_SHARE * self.n_docs
        kept = [t for t in by_rarity if self.df[t] <= cap]
        if len(kept) < MIN_QUERY_TERMS:
            kept = by_rarity[:MIN_QUERY_TERMS]
        ids, ws = [], []
        for t in kept:
            qw = query[t]
            s, e = self.offsets[t], self.offsets[t + 1]
            ids.append(self.docs[s:e])
            ws.append(self.weights[s:e] * qw)
        return np.bincount(np.concatenate(ids), weights=np.concatenate(ws), minlength=self.n_docs)

    def matrix(self) -> Any:
        """The postings as a sparse (terms x documents) CSR matrix sharing the arrays (built once)."""
        m = getattr(self, "_matrix", None)
        if m is None:
            from scipy.sparse import csr_matrix

            m = csr_matrix((self.weights, self.docs, self.offsets), shape=(len(self.vocab), self.n_docs))
            self._matrix = m
        return m

    def query_matrix(self, texts: Sequence[str], terms: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row, term, count) of every query's in-vocabulary terms, one row per text, with the same
        term selection as :meth:`score` (frequent terms dropped, the rarest few always kept), sorted by
        row, then term. ``terms``: :func:`_all_terms` of the texts (so sorted), when the caller has them."""
        r, t, count = terms if terms is not None else _all_terms(self, texts)
        if not len(r):
            return r, t, count.astype(np.float32)
        df = self.df[t]
        order = np.lexsort((df, r))  # by row, rarest first
        rs, dfs = r[order], df[order]
        start = np.searchsorted(rs, rs, side="left")
        rank = np.arange(len(rs)) - start
        keep = np.empty(len(r), dtype=bool)  # decided in rarity order, applied in (row, term) order
        keep[order] = (dfs <= MAX_DF_SHARE * self.n_docs) | (rank < MIN_QUERY_TERMS)
        return r[keep], t[keep], count[keep].astype(np.float32)


def _all_terms(post: _Postings, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, term, count) of every in-vocabulary term of each text (for the cosine's query norm)."""
    codes_l, rows_l = zip(*(_codes(texts, n) for n in post.ns), strict=True)
    code, row = np.concatenate(codes_l), np.concatenate(rows_l)
    if not len(code) or not len(post.vocab):
        z = np.zeros(0, dtype=np.int64)
        return z, z, np.zeros(0, dtype=np.float64)
    # each distinct code looked up once, in increasing order: the binary searches then walk the 1.8 M-term
    # vocabulary forwards (half the time of looking up every code in text order; the same positions)
    uniq, inv = np.unique(code, return_inverse=True)
    upos = np.minimum(np.searchsorted(post.vocab, uniq), len(post.vocab) - 1)
    pos, ok = upos[inv], (post.vocab[upos] == uniq)[inv]
    pair, count = np.unique(row[ok] * len(post.vocab) + pos[ok], return_counts=True)
    return pair // len(post.vocab), pair % len(post.vocab), count.astype(np.float64)


class SuperiorIndex:
    """Retrieval over a fixed set of superior articles (BM25 bigrams; TF-IDF cosine 2+3-grams)."""

    def __init__(self, entries: Sequence[Entry], *, k1: float = 1.2, b: float = 0.75,
                 arrays: dict[str, np.ndarray] | None = None) -> None:
        self.entries: Sequence[Entry] = entries if isinstance(entries, LazyEntries) else list(entries)
        if arrays is not None:  # saved by :meth:`save` for exactly these entries
            n = len(self.entries)
            self._bm25 = _Postings.restore(arrays, "bm25_", (2,), n)
            self._tfidf = _Postings.restore(arrays, "tfidf_", (2, 3), n)
            self._tfidf_idf = arrays["tfidf_idf"]
        else:
            self._build(k1, b)
        self._derive()

    def save(self, path: Path, key: str) -> None:
        """Write the scoring arrays and the entry table to ``path`` (an uncompressed npz with aligned
        arrays, atomically, :func:`normcheck.corpus.arrays.save_arrays`); :meth:`load_or_build` and
        :func:`corpus_index` open it memory-mapped."""
        arrays = {**self._bm25.arrays("bm25_"), **self._tfidf.arrays("tfidf_"), "tfidf_idf": self._tfidf_idf,
                  **_entry_table(self.entries), "key": np.asarray(key)}
        save_arrays(path, arrays)

    @staticmethod
    def open_cache(cache: Path | None, key: str) -> dict[str, np.ndarray] | None:
        """The arrays saved in ``cache`` under ``key``, memory-mapped; None when there is no such file,
        it was saved under another key, or it cannot be read (rebuilt by the caller)."""
        if cache is None or not cache.is_file():
            return None
        try:
            arrays = open_arrays(cache)
            return arrays if "key" in arrays and str(arrays["key"]) == key else None
        except Exception:  # ValueError, struct.error...: the caller rebuilds
            return None

    @classmethod
    def load_or_build(cls, entries: Sequence[Entry], cache: Path | None, key: str) -> SuperiorIndex:
        """The index over ``entries``, read from ``cache`` when it was saved under the same ``key``
        (which must identify the corpus and the entries), else built and saved there (best effort:
        a read-only folder only costs the rebuild next time).

        A cache that cannot be used — stale, truncated, corrupt, arrays of the wrong shape — is never
        skipped silently: the index is rebuilt from ``entries`` and the cache replaced (issue 17)."""
        arrays = cls.open_cache(cache, key)
        if arrays is not None:
            try:
                loaded = cls(entries, arrays=arrays)
                loaded._validate()
                return loaded
            except Exception:  # missing arrays, wrong shapes...: rebuilt below
                pass
        index = cls(entries)
        if cache is not None:
            try:
                index.save(cache, key)
            except OSError:
                pass
        return index

    def _validate(self) -> None:
        """Raise ValueError when arrays read from a cache do not fit together or the entries."""
        n = len(self.entries)
        for post in (self._bm25, self._tfidf):
            off, docs = post.offsets, post.docs
            ok = (post.n_docs == n and off.ndim == 1 and len(off) == len(post.vocab) + 1
                  and len(post.df) == len(post.vocab) and int(off[0]) == 0
                  and int(off[-1]) == len(docs) == len(post.weights)
                  and bool(np.all(np.diff(off) >= 0)) and len(post.doc_len) == n
                  and (not len(docs) or (int(docs.min()) >= 0 and int(docs.max()) < n))
                  and bool(np.all(np.isfinite(post.weights))))
            if not ok:
                raise ValueError("the retrieval cache's arrays do not fit together or the entries")
        if len(self._tfidf_idf) != len(self._tfidf.vocab):
            raise ValueError("the retrieval cache's idf does not fit its vocabulary")

    def _build(self, k1: float, b: float) -> None:
        n = len(self.entries)
        texts = [clean(e.article.text) for e in self.entries]
        # BM25 over bigrams
        bm = _Postings(texts, (2,))
        idf = np.log(1.0 + (n - bm.df + 0.5) / (bm.df + 0.5)).astype(np.float32)
        avgdl = float(bm.doc_len.mean()) if n else 1.0
        dl = bm.doc_len[bm.docs] if n else np.zeros(0, dtype=np.float32)
        bm.weights = (bm.tf * (k1 + 1) / (bm.tf + k1 * (1 - b + b * dl / max(avgdl, 1.0))) * idf[bm.terms]
                      ).astype(np.float32)
        self._bm25 = bm
        # TF-IDF cosine over bigrams and trigrams
        tv = _Postings(texts, (2, 3))
        self._tfidf_idf = (np.log((1 + n) / (1 + tv.df)) + 1.0).astype(np.float32)
        w = (1.0 + np.log(np.maximum(tv.tf, 1.0))) * self._tfidf_idf[tv.terms]
        norms = np.sqrt(np.bincount(tv.docs, weights=w * w, minlength=max(n, 1)))
        tv.weights = (w / np.maximum(norms[tv.docs], 1e-9)).astype(np.float32)
        del w, norms
        bm.compact()
        tv.compact()
        self._tfidf = tv

    def _derive(self) -> None:
        if isinstance(self.entries, LazyEntries):  # from the saved entry table: no Entry built
            law_ids, names, entry_law = self.entries.law_table()
            laws = sorted(zip(law_ids, names, strict=True))
        else:
            laws = sorted({e.law.id: e.law.name for e in self.entries}.items())
        self._law_ids = {law_id: k for k, (law_id, _) in enumerate(laws)}
        self._law_names = [name for _, name in laws]
        self._law_grams = [set(_grams(_topic(name), 2)) for _, name in laws]
        if isinstance(self.entries, LazyEntries):
            remap = np.asarray([self._law_ids[law_id] for law_id in law_ids], dtype=np.int64)
            self._entry_law = remap[entry_law] if len(remap) else np.zeros(0, dtype=np.int64)
        else:
            self._entry_law = np.asarray([self._law_ids[e.law.id] for e in self.entries], dtype=np.int64)
        self._base_mask: np.ndarray | None = None

    @property
    def key_to_index(self) -> dict[tuple[str, int, int], int]:
        """Entry key -> position (the last version's, built on first use)."""
        m = getattr(self, "_key_to_index", None)
        if m is None:
            m = self._key_to_index = {e.key: i for i, e in enumerate(self.entries)}
        return m

    def __len__(self) -> int:
        """Entries searchable through this index (or view)."""
        return len(self.entries) if self._base_mask is None else int(self._base_mask.sum())

    def view(self, mask: np.ndarray) -> SuperiorIndex:
        """The same index restricted to ``mask`` (shares every array; costs only the mask)."""
        v = copy.copy(self)
        v._base_mask = mask if self._base_mask is None else (mask & self._base_mask)
        return v

    def law_flags(self, pick: Callable[[str], bool]) -> np.ndarray:
        """Per-entry ``pick(law name)``, asked once per law (no entry is built)."""
        per_law = np.asarray([bool(pick(name)) for name in self._law_names], dtype=bool)
        return per_law[self._entry_law] if len(per_law) else np.zeros(len(self._entry_law), dtype=bool)

    def law_prior(self, title: str) -> np.ndarray:
        """Per-entry topical prior in [0, 1]: bigram overlap of the document title with the name of
        the entry's law (上海市产品质量条例 -> 产品质量法), so articles of the law a regulation
        implements rank first."""
        q = set(_grams(_topic(title), 2))
        if not q or not self.entries:
            return np.zeros(len(self.entries), dtype=np.float32)
        per_law = np.asarray([len(q & g) / max(len(q), 1) for g in self._law_grams], dtype=np.float32)
        return per_law[self._entry_law]

    # -- scoring --------------------------------------------------------------------------------
    def _bm25_scores(self, query: str) -> np.ndarray:
        q = self._bm25.query_terms(clean(query))
        return self._bm25.score({t: 1.0 for t in q})

    def _tfidf_scores(self, query: str) -> np.ndarray:
        q = self._tfidf.query_terms(clean(query))
        ws = {t: (1.0 + math.log(c)) * float(self._tfidf_idf[t]) for t, c in q.items()}
        norm = math.sqrt(sum(w * w for w in ws.values())) or 1.0
        return self._tfidf.score({k: v / norm for k, v in ws.items()})

    def _query_rows(self, post: _Postings, texts: Sequence[str], weighted: bool) -> Any:
        """The queries as a sparse (queries x terms) matrix: binary for BM25, normalised
        log-tf x idf for the cosine (norm over every in-vocabulary term, as :meth:`search`). Built
        from its CSR arrays directly: the terms come sorted by row, then term, with no duplicates —
        the arrays ``csr_matrix((w, (r, t)))`` sorts them into, without its COO round trip."""
        from scipy.sparse import csr_matrix

        n = len(texts)
        every = _all_terms(post, texts)
        r, t, c = post.query_matrix(texts, every)
        if not weighted:
            w = np.ones(len(r), dtype=np.float32)
        else:
            fr, ft, fc = every
            wf = (1.0 + np.log(np.maximum(fc, 1.0))) * self._tfidf_idf[ft]
            norms = np.sqrt(np.bincount(fr, weights=wf * wf, minlength=n))
            w = ((1.0 + np.log(np.maximum(c, 1.0))) * self._tfidf_idf[t] / np.maximum(norms[r], 1e-9)
                 ).astype(np.float32)
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(r, minlength=n), out=indptr[1:])
        idx_type = np.int32 if max(len(r), len(post.vocab)) < np.iinfo(np.int32).max else np.int64
        return csr_matrix((w, t.astype(idx_type), indptr.astype(idx_type)), shape=(n, len(post.vocab)))

    def _matrix_for(self, post: _Postings, mask: np.ndarray | None, cols: np.ndarray, sliced: bool) -> Any:
        """The term x entry matrix to score ``mask``'s entries with: cut to ``cols`` when ``sliced`` (the
        view's own mask; kept for the last few views), else the whole matrix (gathered after the product)."""
        if not sliced or mask is None:
            return post.matrix()
        key = (id(post), id(mask))
        hit = _SLICES.get(key)
        if hit is not None and hit[0] is post and hit[1] is mask:
            _SLICES.move_to_end(key)
            return hit[2]
        m = post.matrix()[:, cols]
        while len(_SLICES) >= _SLICES_MAX:
            _SLICES.popitem(last=False)
        _SLICES[key] = (post, mask, m)
        return m

    #: Queries scored per sparse product (bounds the dense score block: rows x searchable entries). The rows
    #: are scored independently, so the size changes no result; 16 rows of a local regulation's 44,771
    #: entries (2.9 MB per block) stay in the cache better than 32 (issue 15: 15 % less time per call).
    CHUNK = 16

    def search_many(self, queries: Sequence[str], *, k: int = 20, method: str = "combined",
                    mask: np.ndarray | None = None, prior: np.ndarray | None = None,
                    prior_weight: float = PRIOR_WEIGHT) -> list[list[tuple[int, float, dict[str, float]]]]:
        """:meth:`search` for every query of a document at once: two sparse matrix products
        (queries x terms) @ (terms x entries) per chunk instead of a postings walk per query (issue 13).
        Same scores and order as :meth:`search`."""
        if method not in METHODS:
            raise ValueError(f"unknown method {method!r}; use one of {METHODS}")
        out: list[list[tuple[int, float, dict[str, float]]]] = [[] for _ in queries]
        if not self.entries or not queries:
            return out
        if self._base_mask is not None:
            mask = self._base_mask if mask is None else (mask & self._base_mask)
        cols = np.flatnonzero(mask) if mask is not None else np.arange(len(self.entries))
        if not len(cols):
            return out
        pw_pr = prior_weight * prior[cols] if prior is not None else None
        texts = [clean(q) for q in queries]
        kk = min(k, len(cols))
        # the term x entry matrices cut to the searchable entries once per view (no product over the
        # other entries, no column gather per chunk); the same sums, added in the same order
        sliced = mask is not None and mask is self._base_mask
        bm_m = self._matrix_for(self._bm25, mask, cols, sliced) if method != "tfidf" else None
        tf_m = self._matrix_for(self._tfidf, mask, cols, sliced) if method != "bm25" else None
        gather = mask is not None and not sliced
        for lo in range(0, len(texts), self.CHUNK):
            chunk = texts[lo:lo + self.CHUNK]
            bm = cos = bm_p = None
            if bm_m is not None:
                bm_p = _product(self._query_rows(self._bm25, chunk, False), bm_m)
                bm_p = bm_p[:, cols] if gather else bm_p
                bm = bm_p.toarray()
            if tf_m is not None:
                prod = _product(self._query_rows(self._tfidf, chunk, True), tf_m)
                cos = (prod[:, cols] if gather else prod).toarray()
            # the ranking key: -(score + prior_weight * prior); the top kk of each row, best first
            bm_at: np.ndarray | None
            cos_at: np.ndarray | None
            if method == "combined":
                assert bm is not None and cos is not None and bm_p is not None
                scale = _bm25_scale(bm)
                idx = _top_k(_combined_neg(bm, bm_p, cos, scale, pw_pr), kk)
                bm_at, cos_at = np.take_along_axis(bm, idx, axis=1), np.take_along_axis(cos, idx, axis=1)
                tot = _combined_total(bm_at, cos_at, scale)
            else:
                total = np.divide(bm, _bm25_scale(bm), dtype=bm.dtype) if bm is not None else cos
                assert total is not None
                neg = np.negative(total, dtype=np.result_type(total, pw_pr) if pw_pr is not None else total.dtype)
                if pw_pr is not None:
                    neg -= pw_pr
                idx = _top_k(neg, kk)
                tot = np.take_along_axis(total, idx, axis=1)
                bm_at = np.take_along_axis(bm, idx, axis=1) if bm is not None else None
                cos_at = np.take_along_axis(cos, idx, axis=1) if cos is not None else None
            keep = (tot > 0).tolist()
            ids = cols[idx].tolist()
            capped = np.minimum(tot, 1.0).tolist()
            bms = bm_at.tolist() if bm_at is not None else None
            coss = cos_at.tolist() if cos_at is not None else None
            for r in range(len(chunk)):
                if not chunk[r]:
                    continue
                hits = []
                for c, ok in enumerate(keep[r]):
                    if not ok:
                        continue
                    sc: dict[str, float] = {}
                    if bms is not None:
                        sc["bm25"] = bms[r][c]
                    if coss is not None:
                        sc["tfidf"] = coss[r][c]
                    hits.append((ids[r][c], capped[r][c], sc))
                out[lo + r] = hits
        return out

    def search(self, query: str, *, k: int = 20, method: str = "combined", mask: np.ndarray | None = None,
               prior: np.ndarray | None = None, prior_weight: float = PRIOR_WEIGHT
               ) -> list[tuple[int, float, dict[str, float]]]:
        """Top ``k`` entries for ``query``: (entry index, score in [0, 1], per-method scores).

        ``method``: ``bm25`` (full text), ``tfidf`` (vector baseline) or ``combined`` (mean of the
        BM25 score scaled by its top score and the cosine). ``mask``: boolean array restricting the
        entries (e.g. to the laws in force on a date). ``prior``: per-entry scores in [0, 1] (see
        :meth:`law_prior`) added with ``prior_weight`` before ranking; reported scores exclude it."""
        if method not in METHODS:
            raise ValueError(f"unknown method {method!r}; use one of {METHODS}")
        if not self.entries or not clean(query):
            return []
        if self._base_mask is not None:
            mask = self._base_mask if mask is None else (mask & self._base_mask)
        bm = self._bm25_scores(query) if method != "tfidf" else None
        cos = self._tfidf_scores(query) if method != "bm25" else None
        if mask is not None:  # scale scores within the searchable entries only
            bm = np.where(mask, bm, 0.0) if bm is not None else None
            cos = np.where(mask, cos, 0.0) if cos is not None else None
        if method == "bm25":
            assert bm is not None
            top = float(bm.max()) or 1.0
            total = bm / top
        elif method == "tfidf":
            assert cos is not None
            total = cos
        else:
            assert bm is not None and cos is not None
            top = float(bm.max()) or 1.0
            total = 0.5 * bm / top + 0.5 * cos
        rank_by = total + prior_weight * prior if prior is not None else total
        if mask is not None:
            rank_by = np.where(mask, rank_by, -1.0)
        k = min(k, len(self.entries))
        idx = _top_k((-rank_by)[None, :], k)[0]  # argpartition + stable argsort, by repeated minima
        out = []
        for i in idx:
            if total[i] <= 0 or rank_by[i] < 0:
                continue
            sc: dict[str, float] = {}
            if bm is not None:
                sc["bm25"] = float(bm[i])
            if cos is not None:
                sc["tfidf"] = float(cos[i])
            out.append((int(i), float(min(1.0, total[i])), sc))
        return out


def _bm25_scale(bm: np.ndarray) -> np.ndarray:
    """Each row's top BM25 score, 1 where the row has none (what a chunk's BM25 scores are divided by)."""
    top = bm.max(axis=1, keepdims=True)
    return np.where(top > 0, top, 1.0)


def _combined_total(bm: np.ndarray, cos: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """The combined score ``0.5 * bm / scale + 0.5 * cos``, operation by operation as ranked (so the
    hits' scores computed on their few values equal those of the whole block)."""
    half = np.divide(bm, scale, dtype=bm.dtype)
    half *= 0.5
    total = np.multiply(cos, 0.5)
    total += half
    return total


def _add_at_nonzeros(dense: np.ndarray, m: Any, values: np.ndarray) -> None:
    """``dense[r, c] += value`` for every stored (r, c) of the CSR matrix ``m`` (no duplicates), in one
    C loop (SciPy's ``csr_todense`` kernel adds into its output) or by fancy indexing."""
    try:
        from scipy.sparse._sparsetools import csr_todense
    except ImportError:  # pragma: no cover - a SciPy that moved its kernels
        csr_todense = None
    if (csr_todense is not None and dense.flags.c_contiguous and dense.dtype == values.dtype
            and dense.shape == m.shape and m.indptr.dtype == m.indices.dtype):
        csr_todense(m.shape[0], m.shape[1], m.indptr, m.indices, values, dense)
        return
    rows = np.repeat(np.arange(m.shape[0]), np.diff(m.indptr))
    dense[rows, m.indices] += values


def _combined_neg(bm: np.ndarray, bm_p: Any, cos: np.ndarray, scale: np.ndarray, pw_pr: np.ndarray | None
                  ) -> np.ndarray:
    """The ranking key of the combined score, ``-(0.5 * bm / scale + 0.5 * cos) - pw_pr``, bit for bit
    the straightforward dense computation's (``tests/test_perf_topk.py``) in two passes over the block
    instead of seven (issue 15): the BM25 half is only computed where BM25 scored (``bm_p``, the sparse
    form of ``bm``; elsewhere it is 0 and adding it changes nothing) and subtracted from ``-0.5 * cos``
    there — negation is exact and rounding symmetric, so ``(-x) - y == -(x + y)``."""
    wide = pw_pr is not None and np.result_type(cos, pw_pr) != cos.dtype
    if wide or not (bm_p.dtype == cos.dtype == scale.dtype):  # other value types: the straightforward way
        total = _combined_total(bm, cos, scale)
        key = np.negative(total, dtype=np.result_type(total, pw_pr) if pw_pr is not None else total.dtype)
    else:
        half = np.divide(bm_p.data, np.repeat(scale[:, 0], np.diff(bm_p.indptr)), dtype=bm_p.dtype)
        half *= 0.5
        key = np.multiply(cos, -0.5)
        _add_at_nonzeros(key, bm_p, np.negative(half))
    if pw_pr is not None:
        key -= pw_pr
    return key


#: Up to this many hits per row, :func:`_top_k` finds them by repeated minima instead of argpartition.
_TOP_K_BY_MINIMA = 8


def _top_k(neg: np.ndarray, kk: int) -> np.ndarray:
    """The columns of each row's ``kk`` smallest keys, smallest first: what
    ``part = np.argpartition(neg, kk - 1, axis=1)[:, :kk]`` ordered by a stable argsort of its keys gives.

    For small ``kk`` (issue 15: argpartition was 8 % of a document) the ``kk + 1`` smallest keys of every
    row are found by ``kk + 1`` passes of ``argmin`` (each taken out by setting it to +inf, put back
    after). A row whose ``kk + 1`` smallest keys all differ has one answer whatever the method; a row with
    a tie among them (or a key that is not finite) is ranked by argpartition itself, so the ties come out
    arranged as they always have. ``neg`` is left as it was."""
    rows, n = neg.shape
    if not 0 < kk < n or kk > _TOP_K_BY_MINIMA or not rows:
        return _top_k_argpartition(neg, kk)
    r = np.arange(rows)
    picks = np.empty((rows, kk + 1), dtype=np.intp)
    vals = np.empty((rows, kk + 1), dtype=neg.dtype)
    for j in range(kk + 1):
        i = np.argmin(neg, axis=1)
        picks[:, j] = i
        vals[:, j] = neg[r, i]
        neg[r, i] = np.inf
    for j in reversed(range(kk + 1)):  # put the keys back (last taken first: a row whose keys run out of
        neg[r, picks[:, j]] = vals[:, j]  # finite ones picks an +inf twice)
    idx = picks[:, :kk].copy()
    unsure = np.flatnonzero((vals[:, 1:] == vals[:, :-1]).any(axis=1) | ~np.isfinite(vals).all(axis=1))
    if len(unsure):
        idx[unsure] = _top_k_argpartition(neg[unsure], kk)
    return idx


def _top_k_argpartition(neg: np.ndarray, kk: int) -> np.ndarray:
    """:func:`_top_k` the straightforward way."""
    part = np.argpartition(neg, kk - 1, axis=1)[:, :kk]
    order = np.argsort(np.take_along_axis(neg, part, axis=1), axis=1, kind="stable")
    return np.take_along_axis(part, order, axis=1)


def _product(q: Any, m: Any) -> Any:
    """``q @ m`` for CSR matrices, without SciPy's first pass (``csr_matmat_maxnnz``, a third of the
    product's time, issue 15): the output is allocated at a bound instead — each query row gets at most
    the postings of its terms, and at most one value per entry — and filled by the same kernel
    (``csr_matmat``) with the same arrays, so the result is the same, bit for bit. Anything unusual
    (other index or value types, an empty product, SciPy without the kernel) goes through ``@``."""
    try:
        from scipy.sparse import csr_matrix
        from scipy.sparse._sparsetools import csr_matmat
    except ImportError:  # pragma: no cover - a SciPy that moved its kernels
        return q @ m
    i32 = np.dtype(np.int32)
    if not (q.format == m.format == "csr" and q.dtype == m.dtype and q.shape[1] == m.shape[0]
            and q.indptr.dtype == q.indices.dtype == m.indptr.dtype == m.indices.dtype == i32):
        return q @ m
    nrow, ncol = q.shape[0], m.shape[1]
    per_term = m.indptr[q.indices + 1].astype(np.int64) - m.indptr[q.indices]  # postings of each query term
    cum = np.concatenate([[0], np.cumsum(per_term)])
    bound = int(np.minimum(cum[q.indptr[1:]] - cum[q.indptr[:-1]], ncol).sum())
    if bound == 0 or bound >= np.iinfo(np.int32).max:
        return q @ m
    indptr = np.empty(nrow + 1, dtype=i32)
    indices = np.empty(bound, dtype=i32)
    data = np.empty(bound, dtype=q.dtype)
    csr_matmat(nrow, ncol, q.indptr, q.indices, q.data, m.indptr, m.indices, m.data, indptr, indices, data)
    nnz = int(indptr[-1])
    return csr_matrix((data[:nnz], indices[:nnz], indptr), shape=(nrow, ncol))


# ---------------------------------------------------------------------------------------------
# Building the index for a document's superior laws

_INDEX_CACHE: dict[tuple[int, str, str, str], SuperiorIndex] = {}
_INDEX_CACHE_MAX = 8
#: One index over every version of every law that can be superior to something, per corpus object.
_CORPUS_INDEX: dict[int, tuple[Any, SuperiorIndex, dict[tuple[str, str], np.ndarray]]] = {}
_MASK_CACHE_MAX = 256


def superior_entries(corpus: Any, kind: Level, region: str | None, as_of: str) -> list[Entry]:
    """Articles of every superior law of a ``kind`` document in ``region``, in force on ``as_of``."""
    out: list[Entry] = []
    for law in corpus.superior_laws(kind, region, as_of):
        if law.level in (Level.CONSTITUTION, Level.OTHER):
            continue
        version = corpus.version_in_force(law.id, as_of)
        if version is None:
            continue
        out.extend(Entry(law, version, art) for art in corpus.articles(law.id, version.version) if art.text)
    return out


def _superior_capable_levels() -> list[Level]:
    """Levels that are superior law to some document kind (the constitution is not retrieved)."""
    found: set[Level] = set()
    for kind in Level:
        if kind is Level.OTHER:
            continue
        for group in superior_levels(kind):
            found.update(group)
    found.discard(Level.CONSTITUTION)
    return sorted(found, key=lambda lv: lv.value)


#: Bump when the scoring arrays or the entry selection change meaning (invalidates saved indexes).
INDEX_FORMAT = 2


def _cache_of(corpus: Any) -> tuple[Path | None, str]:
    """Where to keep the built index of a corpus file (beside it), and the key that must match: the
    format, the corpus content (:meth:`Corpus.content_id`: schema, every source's digest, the facts)
    and its row counts (a re-parse that changed the articles of unchanged sources), the levels indexed.
    No article is read for it (issue 15: the key used to hash every entry, 0.8 s per process)."""
    path = getattr(corpus, "path", None)
    if not isinstance(path, Path) or not path.is_file():
        return None, ""
    if hasattr(corpus, "content_id"):  # stable across rebuilds that changed nothing
        ident = corpus.content_id()
    else:
        st = path.stat()
        ident = f"{st.st_size}|{st.st_mtime_ns}"
    counts = corpus.table_counts() if hasattr(corpus, "table_counts") else {}
    levels = ",".join(lv.value for lv in _superior_capable_levels())
    h = hashlib.sha256(f"{INDEX_FORMAT}|{ident}|{sorted(counts.items())}|{levels}".encode())
    return path.with_name(path.name + ".retrieval.npz"), h.hexdigest()


def corpus_index(corpus: Any) -> tuple[SuperiorIndex, dict[tuple[str, str], np.ndarray]]:
    """The retrieval index over all versions of all superior-capable laws of ``corpus``, built
    once per corpus object (a batch or a long-lived process pays for it once, whatever the
    documents' kinds, regions and dates), with the positions of each version's entries.

    A saved index (beside the corpus file) is opened memory-mapped with its entries left to build
    on demand (:class:`LazyEntries`); one that is missing, stale or broken is rebuilt and saved."""
    hit = _CORPUS_INDEX.get(id(corpus))
    if hit is not None and hit[0] is corpus:
        return hit[1], hit[2]
    cache, key = _cache_of(corpus)
    laws = {law.id: law for level in _superior_capable_levels() for law in corpus.laws(level=level)}
    index: SuperiorIndex | None = None
    arrays = SuperiorIndex.open_cache(cache, key)
    if arrays is not None:
        try:
            index = SuperiorIndex(LazyEntries.from_arrays(corpus, laws, arrays, cache), arrays=arrays)
            index._validate()
        except Exception:  # an entry table or arrays that do not fit: rebuilt below (issue 17)
            index = None
    if index is None:
        entries: list[Entry] = []
        for level in _superior_capable_levels():
            for law in corpus.laws(level=level):
                for version in corpus.versions(law.id):
                    entries.extend(Entry(law, version, art) for art in corpus.articles(law.id, version.version)
                                   if art.text)
        index = SuperiorIndex(entries)
        if cache is not None:
            try:
                index.save(cache, key)
            except OSError:
                pass
    if isinstance(index.entries, LazyEntries):
        by_version = index.entries.by_version()
    else:
        positions: dict[tuple[str, str], list[int]] = {}
        for i, e in enumerate(index.entries):
            positions.setdefault((e.law.id, e.version.version), []).append(i)
        by_version = {k: np.asarray(v, dtype=np.int64) for k, v in positions.items()}
    _CORPUS_INDEX.clear()  # one corpus at a time: the index is large
    _CORPUS_INDEX[id(corpus)] = (corpus, index, by_version)
    return index, by_version


def superior_index(corpus: Any, kind: Level | None, region: str | None, as_of: str) -> SuperiorIndex:
    """The (cached) retrieval index over the superior laws of a document, in force on ``as_of``.
    Without a kind, the national laws and administrative regulations (superior to every local
    document) are used.

    A full corpus (one with ``laws()``) gets a view of :func:`corpus_index` masked to the document's
    superior versions; a minimal CorpusAPI gets an index of its superior articles alone."""
    level = kind or Level.LOCAL_REGULATION
    key = (id(corpus), level.value, region or "", as_of)
    idx = _INDEX_CACHE.get(key)
    if idx is None:
        if hasattr(corpus, "laws"):
            full, by_version = corpus_index(corpus)
            mask = np.zeros(len(full.entries), dtype=bool)
            for law in corpus.superior_laws(level, region, as_of):
                version = corpus.version_in_force(law.id, as_of)
                if version is not None and (law.id, version.version) in by_version:
                    mask[by_version[(law.id, version.version)]] = True
            idx = full.view(mask)
            cap = _MASK_CACHE_MAX
        else:
            idx = SuperiorIndex(superior_entries(corpus, level, region, as_of))
            cap = _INDEX_CACHE_MAX
        if len(_INDEX_CACHE) >= cap:
            _INDEX_CACHE.pop(next(iter(_INDEX_CACHE)))
        _INDEX_CACHE[key] = idx
    return idx


# ---------------------------------------------------------------------------------------------
# Alignment of one clause

#: Matching blocks shorter than this do not count towards coverage (chance matches of 1-2 characters).
MIN_BLOCK = 3


@lru_cache(maxsize=8192)
def _gram_set(text: str) -> frozenset[str]:
    """The distinct :data:`MIN_BLOCK`-character substrings of ``text`` (cached: a clause is compared with
    every paragraph of several candidates, a provision with many clauses)."""
    return frozenset([text[j:j + MIN_BLOCK] for j in range(len(text) - MIN_BLOCK + 1)])


def _runs(a: str, b: str) -> list[tuple[int, int, int]]:
    """Every maximal common run of at least :data:`MIN_BLOCK` characters on one diagonal: (start in a,
    start in b, length), found from the substrings the two texts share."""
    n, m = len(a), len(b)
    runs: list[tuple[int, int, int]] = []
    afind, bfind = a.find, b.find
    for g in _gram_set(a) & _gram_set(b):
        j = bfind(g)  # a shared gram occurs in b at least once
        jb = [j]
        j = bfind(g, j + 1)
        while j >= 0:
            jb.append(j)
            j = bfind(g, j + 1)
        i = afind(g)
        while i >= 0:
            for j in jb:
                if i and j and a[i - 1] == b[j - 1]:
                    continue  # inside a run that starts earlier
                size = MIN_BLOCK
                while i + size < n and j + size < m and a[i + size] == b[j + size]:
                    size += 1
                runs.append((i, j, size))
            i = afind(g, i + 1)
    return runs


def matched_chars(a: str, b: str) -> int:
    """Characters of ``a`` in the matching blocks of at least :data:`MIN_BLOCK` characters that
    ``difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()`` finds, computed
    without difflib (issue 15; the same number, ``tests/test_perf_coverage.py`` checks it)."""
    return _blocks_total(len(a), len(b), _runs(a, b))


def _blocks_total(n: int, m: int, runs: list[tuple[int, int, int]]) -> int:
    """:func:`matched_chars` of two texts of ``n`` and ``m`` characters from their :func:`_runs`.

    SequenceMatcher takes the longest common block of the two ranges (the earliest in ``a``, then in
    ``b``, on ties) and recurses on both sides of it. Every block is a piece of a maximal common run
    (one diagonal) cut to the range, so the search needs only the runs, and only those of at least
    MIN_BLOCK characters: once the longest block of a range is shorter, so is every block inside it.
    Without junk no two blocks are adjacent, so nothing is merged. (The clipping is written out with
    comparisons rather than ``max``/``min`` calls: this loop is most of the function's time.)"""
    if len(runs) <= 1:
        return runs[0][2] if runs else 0
    total = 0
    stack = [(0, n, 0, m, runs)]
    while stack:
        alo, ahi, blo, bhi, rs = stack.pop()
        size, bi, bj = MIN_BLOCK - 1, 0, 0
        inside = []
        for r in rs:
            i0, j0, length = r
            lo = alo - i0  # the run cut to [alo, ahi) x [blo, bhi): from i0 + lo, k characters
            d = blo - j0
            if d > lo:
                lo = d
            if lo < 0:
                lo = 0
            hi = ahi - i0
            d = bhi - j0
            if d < hi:
                hi = d
            if length < hi:
                hi = length
            k = hi - lo
            if k < MIN_BLOCK:
                continue
            inside.append(r)
            if k > size or (k == size and (i0 + lo < bi or (i0 + lo == bi and j0 + lo < bj))):
                size, bi, bj = k, i0 + lo, j0 + lo
        if size < MIN_BLOCK:
            continue
        total += size
        if len(inside) > 1:
            stack.append((alo, bi, blo, bj, inside))
            stack.append((bi + size, ahi, bj + size, bhi, inside))
    return total


@lru_cache(maxsize=8192)
def coverage(clause_text: str, superior_text: str) -> float:
    """Share of the clause's characters (punctuation removed) found, in order, in the superior text,
    counting only runs of at least :data:`MIN_BLOCK` characters (SequenceMatcher's matching blocks,
    :func:`matched_chars`; cached, since the gate and the features ask for the same pairs)."""
    a, b = clean(clause_text), clean(superior_text)
    if not a or not b:
        return 0.0
    return matched_chars(a, b) / len(a)


def best_paragraph(clause_text: str, article: Article) -> tuple[int, float]:
    """The superior paragraph that best covers the clause: (index, or -1 for the whole text; coverage).
    A single paragraph wins ties with the whole article (a tighter pair to compare)."""
    if len(article.paragraphs) <= 1:
        return -1, coverage(clause_text, article.text)
    return _best_paragraph(clause_text, article.text, article.paragraphs)


@lru_cache(maxsize=8192)
def _best_paragraph(clause_text: str, text: str, paragraphs: tuple[str, ...]) -> tuple[int, float]:
    """:func:`best_paragraph` of an article of several paragraphs (cached: a clause meets the same
    candidate through several alignments)."""
    whole, per = _paragraph_coverages(clause_text, text, paragraphs)
    best, best_cov = -1, whole
    for i, cov in enumerate(per):
        if cov >= best_cov - 0.02:
            best, best_cov = i, max(cov, best_cov if best == -1 else cov)
    if best >= 0:
        best_cov = per[best]
    return best, best_cov


def _paragraph_coverages(clause_text: str, text: str, paragraphs: tuple[str, ...]) -> tuple[float, list[float]]:
    """(:func:`coverage` of the clause by ``text``, by each paragraph), the same numbers as asking
    :func:`coverage` for each (``tests/test_perf_coverage.py``), with one search for common runs
    instead of one per paragraph (issue 15).

    When the cleaned text is the cleaned paragraphs end to end (as the corpus stores articles), the
    maximal common runs of the clause and a paragraph are those of the clause and the whole text cut
    to the paragraph's span: along a diagonal the characters are the same, and a run inside the
    paragraph stops where the paragraph does or where the characters differ, as in the whole text."""
    a, whole = clean(clause_text), clean(text)
    parts = [clean(p) for p in paragraphs]
    if not a or "".join(parts) != whole:
        return coverage(clause_text, text), [coverage(clause_text, p) for p in paragraphs]
    runs = _runs(a, whole)
    n = len(a)
    per = []
    start = 0
    for part in parts:
        end = start + len(part)
        cut = []
        for i, j, length in runs:
            lo = j if j > start else start
            hi = j + length if j + length < end else end
            if hi - lo >= MIN_BLOCK:
                cut.append((i + lo - j, lo - start, hi - lo))
        per.append(_blocks_total(n, len(part), cut) / n if part else 0.0)
        start = end
    return (_blocks_total(n, len(whole), runs) / n if whole else 0.0), per


def query_text(clause_text: str, *, strip_penalty: bool = False) -> str:
    """What a clause is searched by: citations hidden and, in a penalty clause (法律责任), the penalty
    wording shared by every law (责令改正, 处…元以上…元以下罚款, 由…部门) left out, so that it aligns on the
    behaviour it punishes (issue 13). A clause that is nothing but such wording keeps it.

    ``strip_penalty`` is off by default: on the mined pairs it cost restatement recall (R@5 0.981 ->
    0.976 dev) and left citation-hidden recall unchanged (0.441); ``scripts/bench_retrieval.py
    --strip-penalty`` measures it."""
    q = hide_citations(clause_text)
    if not strip_penalty or not _PENALTY_GATE.search(q):
        return q
    stripped = _QUERY_BOILERPLATE.sub("", q)
    return stripped if len(clean(stripped)) >= 8 else q


@lru_cache(maxsize=16384)
def hide_citations(text: str) -> str:
    """The clause with 《…》第X条 citations removed (used for retrieval and for mining pairs)."""
    return _CITE_RE.sub("", text)


def align(clause_text: str, index: SuperiorIndex, *, cited: Iterable[tuple[Law, LawVersion, Article]] = (),
          limit: int = 5, method: str = "combined", prior: np.ndarray | None = None,
          mask: np.ndarray | None = None) -> list[Alignment]:
    """Superior provisions for one clause, best first: cited articles (score 1.0) then retrieved
    ones (no duplicates). ``index`` comes from :func:`superior_index`; ``prior`` from
    :meth:`SuperiorIndex.law_prior` of the document title; ``mask`` restricts the entries."""
    if limit < 1:
        raise ValueError("limit must be >= 1")
    out: list[Alignment] = []
    seen: set[tuple[str, int, int]] = set()
    for law, version, art in cited:
        key = (law.id, art.number, art.suffix)
        if key in seen:
            continue
        seen.add(key)
        p, cov = best_paragraph(clause_text, art)
        out.append(Alignment(law, version, art, 1.0, "citation", cov, p))
    query = hide_citations(clause_text)
    for i, score, scores in index.search(query, k=limit + len(out), method=method, prior=prior,
                                         mask=mask):
        e = index.entries[i]
        if e.key in seen:
            continue
        seen.add(e.key)
        out.append(Alignment(e.law, e.version, e.article, score, "retrieval", 0.0, -1, scores))
        if len(out) >= limit:
            break
    return out[:limit]


def align_many(clause_texts: Sequence[str], index: SuperiorIndex, *,
               cited: Sequence[Iterable[tuple[Law, LawVersion, Article]]] | None = None, limit: int = 5,
               method: str = "combined", prior: np.ndarray | None = None, mask: np.ndarray | None = None,
               queries: Sequence[str] | None = None) -> list[list[Alignment]]:
    """:func:`align` for every clause of a document at once (one batched retrieval, issue 13). ``queries``:
    what each clause is searched by, when not its own text (a penalty clause with the article it refers to)."""
    if limit < 1:
        raise ValueError("limit must be >= 1")
    cited = cited if cited is not None else [() for _ in clause_texts]
    firsts: list[list[Alignment]] = []
    for text, cites in zip(clause_texts, cited, strict=True):
        out: list[Alignment] = []
        seen: set[tuple[str, int, int]] = set()
        for law, version, art in cites:
            key = (law.id, art.number, art.suffix)
            if key not in seen:
                seen.add(key)
                p, cov = best_paragraph(text, art)
                out.append(Alignment(law, version, art, 1.0, "citation", cov, p))
        firsts.append(out)
    k = limit + max((len(x) for x in firsts), default=0)
    hits = index.search_many([query_text(t) for t in (queries if queries is not None else clause_texts)], k=k,
                             method=method, prior=prior, mask=mask)
    result = []
    for out, found in zip(firsts, hits, strict=True):
        seen = {(a.law.id, a.article.number, a.article.suffix) for a in out}
        for i, score, scores in found:
            e = index.entries[i]
            if e.key in seen:
                continue
            seen.add(e.key)
            out.append(Alignment(e.law, e.version, e.article, score, "retrieval", 0.0, -1, scores))
            if len(out) >= limit:
                break
        result.append(out[:limit])
    return result


def with_coverage(al: Alignment, clause_text: str) -> Alignment:
    """The alignment with ``coverage`` and ``paragraph`` filled in (costs one diff per paragraph)."""
    p, cov = best_paragraph(clause_text, al.article)
    return Alignment(al.law, al.version, al.article, al.score, al.source, cov, p, al.scores)
