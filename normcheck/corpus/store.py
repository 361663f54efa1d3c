"""Read side of the corpus index: :class:`Corpus` implements :class:`normcheck.corpus.api.CorpusAPI`
over one SQLite file written by :func:`normcheck.corpus.ingest.build_corpus`.

Dates are ISO strings; a version is in force on ``d`` when ``valid_from <= d < valid_to`` (a missing
``valid_from`` falls back to the version date; a missing ``valid_to`` means open-ended unless the
version is marked repealed, in which case its end is unknown and it is never reported in force).

Size: the one read API over the SQLite index (laws, versions, articles, aliases, search, alignment);
every query of the schema is here so the schema has one reader.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import sqlite3
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

from normcheck.corpus.api import ArticleMapping, SearchHit
from normcheck.corpus.registry import normalize_title
from normcheck.corpus.schema import SCHEMA_VERSION, fts_query
from normcheck.corpus.versions import align_articles
from normcheck.errors import Code, CorpusError
from normcheck.knowledge import applies_in, city_index
from normcheck.types.law import Article, Law, LawVersion, Level, Status, superior_levels

_BUILD_HINT = "run `normcheck corpus build` (sources: $NORMCHECK_CORPUS_SRC or ../shared/corpora/lawrefbook)"


_LOCKED_HINT = ("another process is writing the index (a `normcheck corpus build` running?): wait for it to "
                "finish, then run again")


def sqlite_uri(path: str | Path, mode: str = "ro") -> str:
    """A ``file:`` URI for ``path`` with ``?``, ``#``, ``%`` and spaces quoted (sqlite3 reads them as URI syntax)."""
    p = Path(path).absolute()
    return f"file:{urllib.parse.quote(p.as_posix(), safe='/')}?mode={mode}"


def database_error(exc: sqlite3.Error, path: Path) -> CorpusError:
    """The coded error for a SQLite failure on an index: locked (E106) or unreadable/corrupt (E102)."""
    msg = str(exc)
    if "locked" in msg or "busy" in msg:
        return CorpusError(Code.CORPUS_LOCKED, f"the corpus index is locked ({msg}); {_LOCKED_HINT}", str(path))
    return CorpusError(Code.CORPUS_CORRUPT, f"the corpus index cannot be read ({msg}): it is damaged or not a "
                       f"normcheck index; {_BUILD_HINT}", str(path))


def _fatal(exc: sqlite3.Error) -> bool:
    """Errors that mean the index itself is unusable (not a query the caller may recover from)."""
    if isinstance(exc, sqlite3.OperationalError):
        msg = str(exc)
        return any(w in msg for w in ("locked", "busy", "disk I/O", "malformed", "not a database", "unable to open"))
    return isinstance(exc, sqlite3.DatabaseError)


#: ``raw_decode`` skips ``json.loads``' whitespace checks: ~130k article rows are decoded when the retrieval
#: index opens (issue 15); the column always holds ``json.dumps`` output.
_JSON = json.JSONDecoder()


class _Rows:
    """A cursor whose SQLite failures become coded CorpusErrors (while fetching, too)."""

    def __init__(self, cur: sqlite3.Cursor, path: Path) -> None:
        self._cur = cur
        self._path = path

    def _call(self, fn: Any) -> Any:
        try:
            return fn()
        except sqlite3.Error as exc:
            if _fatal(exc):
                raise database_error(exc, self._path) from exc
            raise

    def fetchone(self) -> Any:
        return self._call(self._cur.fetchone)

    def fetchall(self) -> list[Any]:
        rows: list[Any] = self._call(self._cur.fetchall)
        return rows

    def __iter__(self) -> Iterator[Any]:
        # in batches: one Python call per row was a third of opening the retrieval index (issue 15)
        while True:
            rows = self._call(lambda: self._cur.fetchmany(512))
            if not rows:
                return
            yield from rows


class _Guarded:
    """The read-only connection, with SQLite failures on a damaged or locked index turned into
    CorpusError E102/E106 (a corrupt index must fail loudly, not switch checks off one by one)."""

    def __init__(self, con: sqlite3.Connection, path: Path) -> None:
        self._con = con
        self._path = path

    def execute(self, sql: str, args: Any = ()) -> _Rows:
        try:
            return _Rows(self._con.execute(sql, args), self._path)
        except sqlite3.Error as exc:
            if _fatal(exc):
                raise database_error(exc, self._path) from exc
            raise

    def close(self) -> None:
        self._con.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)


class Corpus:
    """A built corpus index (read-only). Use :meth:`open`; close it or use ``with``."""

    def __init__(self, con: sqlite3.Connection, path: Path) -> None:
        self._con: Any = _Guarded(con, path) if isinstance(con, sqlite3.Connection) else con
        self.path = path
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
        self.meta: dict[str, str] = meta
        self.fts_tokenizer = meta.get("fts_tokenizer", "bigram")
        self._laws: dict[str, Law] = {}
        self._aliases: dict[str, tuple[str, ...]] | None = None  # law id -> aliases, read on first use
        self._align_cache: dict[tuple[str, str, str], list[ArticleMapping]] = {}

    # -- opening -------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path | None = None) -> Corpus:
        """Open an index (default ``$NORMCHECK_HOME/corpus.sqlite``). Raises ``CorpusError``:
        E101 when missing, E102 when it is not a normcheck corpus of this schema version."""
        from normcheck.paths import default_corpus_path

        p = Path(path) if path is not None else default_corpus_path()
        if not p.is_file():
            raise CorpusError(Code.CORPUS_MISSING, f"no corpus index here; {_BUILD_HINT}", str(p))
        try:
            con = sqlite3.connect(sqlite_uri(p), uri=True, check_same_thread=False)
        except sqlite3.Error as exc:
            raise database_error(exc, p) from exc
        try:
            version = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except sqlite3.Error as exc:
            con.close()
            if "locked" in str(exc) or "busy" in str(exc):
                raise database_error(exc, p) from exc
            raise CorpusError(Code.CORPUS_CORRUPT, f"not a readable corpus index ({exc}); {_BUILD_HINT}",
                              str(p)) from exc
        try:
            schema = int(version[0]) if version is not None else None
        except (TypeError, ValueError):
            schema = None
        if schema != SCHEMA_VERSION:
            con.close()
            raise CorpusError(Code.CORPUS_CORRUPT,
                              f"corpus schema {version[0] if version else '?'} != {SCHEMA_VERSION}; "
                              f"{_BUILD_HINT} again", str(p))
        try:
            return cls(con, p)
        except CorpusError:
            con.close()
            raise
        except sqlite3.Error as exc:  # meta unreadable past the first row
            con.close()
            raise database_error(exc, p) from exc

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # -- laws ----------------------------------------------------------------------------------
    def _law_from_row(self, row: tuple[Any, ...]) -> Law:
        law_id, name, level, region, _city, issuer, repealed_on, successor, _status, source = row
        if self._aliases is None:  # all at once: the table has no index on law_id (a scan per law, issue 15)
            by_law: dict[str, list[str]] = {}
            for lid, alias in self._con.execute("SELECT law_id, alias FROM aliases ORDER BY rowid"):
                by_law.setdefault(lid, []).append(alias)
            self._aliases = {k: tuple(v) for k, v in by_law.items()}
        aliases = self._aliases.get(law_id, ())
        return Law(id=law_id, name=name, level=Level(level), region=region, issuer=issuer,
                   aliases=aliases, repealed_on=repealed_on, successor=successor, source=source)

    def law(self, law_id: str) -> Law | None:
        if law_id in self._laws:
            return self._laws[law_id]
        row = self._con.execute("SELECT * FROM laws WHERE id = ?", (law_id,)).fetchone()
        if row is None:
            return None
        law = self._law_from_row(row)
        self._laws[law_id] = law
        return law

    def law_city(self, law_id: str) -> str:
        """The city (设区的市) of a municipal regulation or rule, "" otherwise."""
        row = self._con.execute("SELECT city FROM laws WHERE id = ?", (law_id,)).fetchone()
        return row[0] if row else ""

    def find_laws(self, name: str, *, region: str | None = None) -> list[Law]:
        key = normalize_title(name)
        ids = [i for (i,) in self._con.execute(
            "SELECT DISTINCT a.law_id FROM aliases a JOIN laws l ON l.id = a.law_id WHERE a.key = ? "
            "ORDER BY (a.kind = 'canonical') DESC, l.region != '', l.id", (key,))]
        laws = [law for law in (self.law(i) for i in ids) if law is not None]
        if region is not None:
            laws = [law for law in laws if law.region in ("", region)]
        return laws

    def suggest(self, name: str, limit: int = 5) -> list[str]:
        key = normalize_title(name)
        if not hasattr(self, "_keys"):
            self._keys: dict[str, str] = {}
            for k, law_id in self._con.execute("SELECT key, law_id FROM aliases"):
                self._keys.setdefault(k, law_id)
        close = difflib.get_close_matches(key, list(self._keys), n=limit * 3, cutoff=0.5)
        out: list[str] = []
        for k in close:
            law = self.law(self._keys[k])
            if law and law.name not in out:
                out.append(law.name)
        return out[:limit]

    def laws(self, *, level: Level | None = None, region: str | None = None) -> Iterator[Law]:
        sql, args = "SELECT * FROM laws WHERE 1", []
        if level is not None:
            sql += " AND level = ?"
            args.append(Level.parse(level).value)
        if region is not None:
            sql += " AND region = ?"
            args.append(region)
        for row in self._con.execute(sql + " ORDER BY id", args).fetchall():  # one query, not one per law
            law = self._laws.get(row[0])
            if law is None:
                law = self._laws[row[0]] = self._law_from_row(row)
            yield law

    def facts(self, subject: str) -> list[dict[str, str]]:
        """Recorded facts (repeal, successor, …) about a law id, each with its source."""
        return [{"fact": f, "value": v, "source": s} for f, v, s in self._con.execute(
            "SELECT fact, value, source FROM facts WHERE subject = ? ORDER BY rowid", (subject,))]

    # -- versions ------------------------------------------------------------------------------
    @staticmethod
    def _version(row: tuple[Any, ...]) -> LawVersion:
        law_id, version, published, valid_from, valid_to, status, path = row
        return LawVersion(law_id=law_id, version=version, published=published, valid_from=valid_from,
                          valid_to=valid_to, status=Status(status), path=path)

    _VCOLS = "law_id, version, published, valid_from, valid_to, status, path"

    def versions(self, law_id: str) -> list[LawVersion]:
        return [self._version(r) for r in self._con.execute(
            f"SELECT {self._VCOLS} FROM versions WHERE law_id = ? ORDER BY version", (law_id,))]

    def version(self, law_id: str, version: str) -> LawVersion | None:
        row = self._con.execute(f"SELECT {self._VCOLS} FROM versions WHERE law_id = ? AND version = ?",
                                (law_id, version)).fetchone()
        return self._version(row) if row else None

    @staticmethod
    def in_force(v: LawVersion, date: str) -> bool:
        start = v.valid_from or (v.version if v.version[:1].isdigit() else None)
        if start and date < start:
            return False
        if v.valid_to is None:
            return v.status is not Status.REPEALED
        return date < v.valid_to

    def version_in_force(self, law_id: str, date: str) -> LawVersion | None:
        hits = [v for v in self.versions(law_id) if self.in_force(v, date)]
        return hits[-1] if hits else None

    # -- articles ------------------------------------------------------------------------------
    _ACOLS = "a.number, a.suffix, a.label, a.text, a.paragraphs, a.chapter"

    @staticmethod
    def _article(law_id: str, version: str, row: tuple[Any, ...]) -> Article:
        number, suffix, label, text, paragraphs, chapter = row
        return Article(law_id=law_id, version=version, number=number, suffix=suffix, label=label, text=text,
                       paragraphs=tuple(_JSON.raw_decode(paragraphs)[0]), chapter=chapter)

    # CROSS JOIN fixes the join order (version -> its sources -> their articles via articles_source);
    # left to itself SQLite scanned every article per call (~40 ms; 900 laws took 30 s).
    _AJOIN = ("FROM versions v CROSS JOIN version_sources vs CROSS JOIN articles a "
              "WHERE vs.version_id = v.id AND a.source_id = vs.source_id AND v.law_id = ? AND v.version = ?")

    def article(self, law_id: str, version: str, number: int, suffix: int = 0) -> Article | None:
        row = self._con.execute(f"SELECT {self._ACOLS} {self._AJOIN} AND a.number = ? AND a.suffix = ?",
                                (law_id, version, number, suffix)).fetchone()
        return self._article(law_id, version, row) if row else None

    def articles(self, law_id: str, version: str) -> list[Article]:
        return [self._article(law_id, version, r) for r in self._con.execute(
            f"SELECT {self._ACOLS} {self._AJOIN} ORDER BY a.number, a.suffix", (law_id, version))]

    def article_offsets(self, law_id: str, version: str, number: int, suffix: int = 0
                        ) -> tuple[str, int, int] | None:
        """(source path, start, end) of an article in its source file."""
        row = self._con.execute(
            "SELECT s.path, a.start, a.\"end\" FROM articles a JOIN sources s ON s.id = a.source_id "
            "JOIN version_sources vs ON vs.source_id = a.source_id JOIN versions v ON v.id = vs.version_id "
            "WHERE v.law_id = ? AND v.version = ? AND a.number = ? AND a.suffix = ?",
            (law_id, version, number, suffix)).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def align(self, law_id: str, old_version: str, new_version: str) -> list[ArticleMapping]:
        key = (law_id, old_version, new_version)
        if key not in self._align_cache:
            known = {v.version for v in self.versions(law_id)}
            for v in (old_version, new_version):
                if v not in known:
                    raise ValueError(f"{law_id} has no version {v!r}; versions: {sorted(known)}")
            self._align_cache[key] = align_articles(self.articles(law_id, old_version),
                                                    self.articles(law_id, new_version))
        return self._align_cache[key]

    # -- succession and hierarchy ---------------------------------------------------------------
    def successor(self, law_id: str) -> Law | None:
        law = self.law(law_id)
        if law is None or not law.successor:
            return None
        found = self.law(law.successor) or next(iter(self.find_laws(law.successor)), None)
        return found

    def superior_laws(self, kind: Level, region: str | None, date: str) -> list[Law]:
        national, provincial, city_levels = superior_levels(kind)
        province, city = region or "", ""
        if region:
            row = self._con.execute("SELECT region FROM laws WHERE city = ? LIMIT 1", (region,)).fetchone()
            if row:
                province, city = row[0], region
            elif region in (cities := city_index()):  # a city with none of its own laws in the corpus
                province, city = cities[region], region
        wanted: list[tuple[str, str | None, str | None]] = [(lv.value, None, None) for lv in national]
        if province:
            wanted += [(lv.value, province, None) for lv in provincial]
            if city:
                wanted += [(lv.value, province, city) for lv in city_levels]
        out: list[Law] = []
        for level, reg, cty in wanted:
            sql, args = "SELECT id FROM laws WHERE level = ?", [level]
            if reg is not None:
                sql += " AND region = ?"
                args.append(reg)
                if cty is None and level in (Level.LOCAL_REGULATION.value, Level.PROVINCIAL_RULE.value):
                    sql += " AND city = ''"
            if cty is not None:
                sql += " AND city = ?"
                args.append(cty)
            for (law_id,) in self._con.execute(sql + " ORDER BY id", args).fetchall():
                if self.version_in_force(law_id, date) is not None:
                    law = self.law(law_id)
                    if law is not None and (not province or reg is not None or applies_in(law.name, province)):
                        out.append(law)  # a national law of some regions only (长江, 黄河) is above theirs
        return out

    # -- search --------------------------------------------------------------------------------
    def search(self, query: str, *, levels: list[Level] | None = None, region: str | None = None,
               as_of: str | None = None, limit: int = 20) -> list[SearchHit]:
        """Full-text search over article text. Words separated by spaces must all occur (as
        substrings); filters: levels, region (national laws always match), in force on ``as_of``."""
        if not query.strip():
            return []
        if limit < 1:
            raise ValueError("limit must be >= 1")
        where, args = [], []
        match = fts_query(self.fts_tokenizer, query)
        if match is not None:
            base = ("FROM articles_fts f JOIN articles a ON a.id = f.rowid ")
            where.append("articles_fts MATCH ?")
            args.append(match)
            score = "f.rank"
        else:
            base = "FROM articles a "
            for word in query.split():
                where.append("a.text LIKE ?")
                args.append(f"%{word}%")
            score = "0.0"
        base += ("JOIN version_sources vs ON vs.source_id = a.source_id JOIN versions v ON v.id = vs.version_id "
                 "JOIN laws l ON l.id = v.law_id ")
        if levels:
            lv = [Level.parse(x).value for x in levels]
            where.append(f"l.level IN ({','.join('?' * len(lv))})")
            args += lv
        if region is not None:
            where.append("(l.region = ? OR l.region = '' OR l.city = ?)")
            args += [region, region]
        if as_of is not None:
            where.append("COALESCE(v.valid_from, CASE WHEN v.version GLOB '[0-9]*' THEN v.version ELSE '' END)"
                         " <= ? AND "
                         "(v.valid_to > ? OR (v.valid_to IS NULL AND v.status != 'repealed'))")
            args += [as_of, as_of]
        sql = (f"SELECT v.law_id, v.version, {score} AS s, {self._ACOLS}, "
               f"v.published, v.valid_from, v.valid_to, v.status, v.path {base}"
               f"WHERE {' AND '.join(where)} ORDER BY s, l.id, a.number LIMIT ?")
        try:
            rows = self._con.execute(sql, [*args, limit]).fetchall()
        except sqlite3.OperationalError as exc:  # FTS syntax the query builder did not foresee
            raise ValueError(f"cannot search for {query!r}: {exc}") from exc
        hits: list[SearchHit] = []
        for law_id, version, s, *rest in rows:
            law = self.law(law_id)
            if law is None:
                continue
            art = self._article(law_id, version, tuple(rest[:6]))
            pub, vf, vt, st, path = rest[6:]
            ver = LawVersion(law_id, version, pub, vf, vt, Status(st), path)
            hits.append(SearchHit(law=law, version=ver, article=art, score=-float(s)))
        return hits

    # -- info ----------------------------------------------------------------------------------
    def content_id(self) -> str:
        """A digest of what the index holds (schema, every source file's sha256, the facts), the same
        across rebuilds that changed nothing: caches derived from the corpus key on it."""
        h = hashlib.sha256(f"schema {SCHEMA_VERSION}\n".encode())
        for path, sha in self._con.execute("SELECT path, sha256 FROM sources ORDER BY path"):
            h.update(f"{path}\t{sha}\n".encode())
        for row in self._con.execute("SELECT * FROM facts ORDER BY 1, 2, 3, 4"):
            h.update(("\t".join(map(str, row)) + "\n").encode())
        return h.hexdigest()

    def table_counts(self) -> dict[str, int]:
        """Rows of the laws, versions and articles tables (milliseconds: caches key on them besides
        :meth:`content_id`)."""
        return {t: self._con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("laws", "versions", "articles")}

    def info(self) -> dict[str, Any]:
        """Build metadata and counts (for ``normcheck corpus info``)."""
        c = self._con
        counts = {t: c.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                  for t in ("laws", "versions", "articles", "aliases", "facts", "sources")}
        by_level = dict(c.execute("SELECT level, COUNT(*) FROM laws GROUP BY level ORDER BY level").fetchall())
        by_region = dict(c.execute(
            "SELECT region, COUNT(*) FROM laws WHERE region != '' GROUP BY region ORDER BY region").fetchall())
        return {"path": str(self.path), "size_bytes": self.path.stat().st_size, **self.meta,
                "counts": counts, "laws_by_level": by_level, "laws_by_region": by_region}


def describe_law(corpus: Corpus, name: str, *, as_of: str | None = None, article: int | None = None,
                 suffix: int = 0) -> dict[str, Any]:
    """Everything ``normcheck corpus show`` prints: the law, its versions, the version in force on
    ``as_of`` (default: the latest), and one article of it or the list of article labels.
    Raises ``CorpusError`` (E105) with suggestions when no law has that name."""
    laws = corpus.find_laws(name)
    if not laws:
        hint = corpus.suggest(name)
        raise CorpusError(Code.LAW_NOT_FOUND, f"no law named {name!r} in the corpus"
                          + (f"; did you mean: {', '.join(hint)}" if hint else ""), str(corpus.path))
    law = laws[0]
    versions = corpus.versions(law.id)
    version = corpus.version_in_force(law.id, as_of) if as_of else (versions[-1] if versions else None)
    out: dict[str, Any] = {
        "law": {"id": law.id, "name": law.name, "level": law.level.value, "region": law.region,
                "city": corpus.law_city(law.id), "issuer": law.issuer, "aliases": list(law.aliases),
                "repealed_on": law.repealed_on, "successor": law.successor},
        "other_matches": [x.id for x in laws[1:]],
        "versions": [{"version": v.version, "published": v.published, "valid_from": v.valid_from,
                      "valid_to": v.valid_to, "status": v.status.value, "path": v.path} for v in versions],
        "facts": corpus.facts(law.id),
        "version": version.version if version else None,
    }
    if version is not None:
        if article is not None:
            art = corpus.article(law.id, version.version, article, suffix)
            out["article"] = None if art is None else {"label": art.label, "chapter": art.chapter,
                                                       "text": art.text, "paragraphs": list(art.paragraphs)}
        else:
            out["articles"] = [a.label for a in corpus.articles(law.id, version.version)]
    return out
