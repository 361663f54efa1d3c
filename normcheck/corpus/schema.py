"""The corpus index's SQLite schema (one file; see ``store`` for queries, ``build`` for ingest).

Articles belong to *source files* (``articles.source_id``) so an incremental build can keep the
articles of unchanged files; laws, versions, aliases and facts are cheap and rebuilt every time.
``articles_fts`` is an FTS5 index over article text; which tokenizer is recorded in ``meta``.
"""

from __future__ import annotations

import re
import sqlite3

SCHEMA_VERSION = 1

FTS_TOKENIZERS = ("bigram", "trigram")

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[0-9A-Za-z]+")

SOURCE_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL, info TEXT NOT NULL, n_articles INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY, source_id INTEGER NOT NULL, number INTEGER NOT NULL, suffix INTEGER NOT NULL,
    label TEXT NOT NULL, text TEXT NOT NULL, paragraphs TEXT NOT NULL, chapter TEXT NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS articles_source ON articles (source_id, number, suffix);
"""

DERIVED_TABLES = """
DROP TABLE IF EXISTS laws;
DROP TABLE IF EXISTS aliases;
DROP TABLE IF EXISTS versions;
DROP TABLE IF EXISTS version_sources;
DROP TABLE IF EXISTS facts;
CREATE TABLE laws (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, level TEXT NOT NULL, region TEXT NOT NULL, city TEXT NOT NULL,
    issuer TEXT NOT NULL, repealed_on TEXT, successor TEXT, status TEXT NOT NULL, source TEXT NOT NULL);
CREATE TABLE aliases (key TEXT NOT NULL, alias TEXT NOT NULL, law_id TEXT NOT NULL, kind TEXT NOT NULL,
    PRIMARY KEY (alias, law_id));
CREATE INDEX aliases_key ON aliases (key);
CREATE TABLE versions (
    id INTEGER PRIMARY KEY, law_id TEXT NOT NULL, version TEXT NOT NULL, published TEXT, valid_from TEXT,
    valid_to TEXT, status TEXT NOT NULL, path TEXT NOT NULL, UNIQUE (law_id, version));
CREATE TABLE version_sources (version_id INTEGER NOT NULL, source_id INTEGER NOT NULL UNIQUE);
CREATE TABLE facts (subject TEXT NOT NULL, fact TEXT NOT NULL, value TEXT NOT NULL, source TEXT NOT NULL);
CREATE INDEX facts_subject ON facts (subject);
CREATE INDEX versions_law ON versions (law_id, version);
CREATE INDEX laws_level ON laws (level, region);
"""


def fts_ddl(tokenizer: str) -> str:
    if tokenizer == "trigram":
        return ("CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5("
                "text, content='articles', content_rowid='id', tokenize='trigram')")
    if tokenizer == "bigram":
        return "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(tok, content='', tokenize='unicode61')"
    raise ValueError(f"unknown FTS tokenizer {tokenizer!r}; use one of {FTS_TOKENIZERS}")


def bigrams(text: str) -> str:
    """Text -> space-separated tokens: overlapping CJK bigrams, whole ASCII words, single CJK
    characters where a run has only one (for the contentless bigram FTS table)."""
    out: list[str] = []
    for m in _CJK.finditer(text):
        run = m.group()
        if run.isascii() or len(run) == 1:
            out.append(run)
        else:
            out.extend(run[i:i + 2] for i in range(len(run) - 1))
    return " ".join(out)


def fts_insert(con: sqlite3.Connection, tokenizer: str, rows: list[tuple[int, str]]) -> None:
    """Index ``(article id, text)`` rows."""
    if tokenizer == "trigram":
        con.executemany("INSERT INTO articles_fts (rowid, text) VALUES (?, ?)", rows)
    else:
        con.executemany("INSERT INTO articles_fts (rowid, tok) VALUES (?, ?)",
                        [(i, bigrams(t)) for i, t in rows])


def fts_delete(con: sqlite3.Connection, tokenizer: str, rows: list[tuple[int, str]]) -> None:
    """Un-index ``(article id, text)`` rows (the text must be what was indexed)."""
    col = "text" if tokenizer == "trigram" else "tok"
    vals = rows if tokenizer == "trigram" else [(i, bigrams(t)) for i, t in rows]
    con.executemany(f"INSERT INTO articles_fts (articles_fts, rowid, {col}) VALUES ('delete', ?, ?)", vals)


def fts_query(tokenizer: str, query: str) -> str | None:
    """A user query (words separated by spaces, all required) -> an FTS5 MATCH expression, or None
    when nothing indexable is left (then callers fall back to LIKE)."""
    phrases: list[str] = []
    for word in query.split():
        if tokenizer == "trigram":
            w = word.replace('"', "")
            if len(w) < 3:
                return None
            phrases.append(f'"{w}"')
        else:
            toks = bigrams(word).split()
            if not toks:
                continue
            if len(toks) == 1 and len(toks[0]) == 1 and not toks[0].isascii():
                return None  # one CJK character: a bigram index cannot find it at the end of a run
            else:
                phrases.append('"' + " ".join(toks) + '"')
    return " AND ".join(phrases) if phrases else None
