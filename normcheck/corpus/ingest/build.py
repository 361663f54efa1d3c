"""Build the corpus index: :func:`build_corpus` ingests law collections into one SQLite file.

Sources: the LawRefBook layout (root ``db.sqlite3`` + category folders, ``DLC/<X>地方法规/`` with
their own ``db.sqlite3``), or plain folders/files of .md/.txt/.docx laws, optionally with a
manifest ``normcheck-corpus.csv`` or ``.json`` (columns: file, name, level, region, city, version,
published, valid_from, valid_to, status). Files are read and segmented like drafts
(``normcheck.text.read``, ``normcheck.structure.segment``).

Incremental: a source file whose size and mtime (else sha256) are unchanged keeps its articles;
laws, versions, aliases and facts are recomputed on every build (cheap). Atomic: the build writes
``<out>.tmp-<pid>`` next to the target (a copy of the old index when one exists) and ``os.replace``s
it at the end, so a failed build leaves the old index intact.

Full-text index — measured on the whole shared corpus (3,2xx law files, 2 cores; see
``scripts/bench_corpus.py`` and the report on issue 3 for the numbers), FTS5 variants:

- ``trigram`` (SQLite's built-in): exact substring semantics for queries of 3+ characters, but no
  index use for the 2-character words that make up most Chinese legal vocabulary (罚款, 许可, 吊销)
  — those fall back to a full ``LIKE`` scan;
- ``bigram`` (our own overlapping-bigram tokens in a contentless ``unicode61`` table): a query is a
  phrase of its bigrams, which is exact substring matching for 2+ characters (runs of CJK text),
  one-character queries fall back to ``LIKE``;
- ``jieba`` tokens: not kept — segmenting the corpus with jieba costs tens of seconds more and a
  query misses matches that cross word boundaries (下列事项只能制定法律 vs 制定法律).

Measured with ``scripts/bench_corpus.py --compare`` on the shared LawRefBook snapshot (3,423 files,
146,704 articles; 2 shared cores under load from other jobs; 1,000 sampled 2–6 character queries,
limit 20):

============  ==========  ===========  ========  =============  =============  ============
tokenizer     full build  no-op build  size      search p50     search p95     recall (LIKE)
============  ==========  ===========  ========  =============  =============  ============
bigram        46.9 s      2.7 s        195.5 MB  6.9 ms         84.7 ms        1.00
trigram       45.3 s      3.5 s        227.7 MB  8.2 ms         170.6 ms       1.00 (*)
============  ==========  ===========  ========  =============  =============  ============

(*) trigram reaches full recall on 2-character queries only through the ``LIKE`` fallback, which is
what makes its p95 twice as slow. On an idle machine the full bigram build took 27 s. Chosen:
``bigram`` — smaller, faster, exact substring hits for 2+ characters.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import time
from datetime import date
from pathlib import Path

from normcheck.corpus.coverage import compute_snapshots
from normcheck.corpus.ingest.laws import _derive
from normcheck.corpus.ingest.parse import _parse_file
from normcheck.corpus.ingest.sources import (
    DEFAULT_FTS,
    NO_ARTICLES,
    BuildIssue,
    BuildReport,
    Include,
    ProgressFn,
    _Entry,
    _included,
    discover,
)
from normcheck.corpus.registry import load_registry
from normcheck.corpus.schema import (
    SCHEMA_VERSION,
    SOURCE_TABLES,
    fts_ddl,
    fts_delete,
    fts_insert,
)
from normcheck.errors import Code, CorpusError, InputError

# ----------------------------------------------------------------------------- the build


def _open_target(out: Path, tmp: Path, fts: str) -> sqlite3.Connection:
    """Start the temp index from a copy of a compatible old index, else empty."""
    if out.is_file():
        try:
            con = sqlite3.connect(f"file:{out}?mode=ro", uri=True)
            meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
            con.close()
            if meta.get("schema_version") == str(SCHEMA_VERSION) and meta.get("fts_tokenizer") == fts:
                shutil.copyfile(out, tmp)
        except sqlite3.DatabaseError:
            pass
    con = sqlite3.connect(tmp)
    con.execute("PRAGMA journal_mode = OFF")
    con.execute("PRAGMA synchronous = OFF")
    con.executescript(SOURCE_TABLES)
    con.execute(fts_ddl(fts))
    return con


def _drop_source(con: sqlite3.Connection, fts: str, source_id: int) -> None:
    rows = con.execute("SELECT id, text FROM articles WHERE source_id = ?", (source_id,)).fetchall()
    if rows:
        fts_delete(con, fts, rows)
    con.execute("DELETE FROM articles WHERE source_id = ?", (source_id,))


def build_corpus(sources: list[Path], out: Path, *, progress: ProgressFn | None = None,
                 include: Include = None, fts: str = DEFAULT_FTS, registry: Path | None = None,
                 today: str | None = None) -> BuildReport:
    """Index ``sources`` into the SQLite file ``out`` (incremental, atomic).

    ``include``: keep only files whose path relative to their source contains one of these strings
    (or for which the callable is true) — for tests that need a small subset. ``progress`` is called
    as ``progress(done, total, path)``. ``today`` (ISO) decides not-yet-in-force status.
    Problems with single sources or files are collected in ``BuildReport.issues``; a failure of the
    build itself raises ``CorpusError`` and leaves any old index untouched.
    """
    if fts not in ("bigram", "trigram"):
        raise ValueError(f"unknown fts tokenizer {fts!r}; use 'bigram' or 'trigram'")
    t0 = time.perf_counter()
    out = Path(out).expanduser()
    report = BuildReport(out=str(out), fts_tokenizer=fts)
    reg = load_registry(registry)
    entries = [e for e in discover([Path(s) for s in sources], report.issues) if _included(include, e.rel)]
    report.files_seen = len(entries)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CorpusError(Code.CORPUS_CORRUPT, f"cannot create the index folder ({exc})", str(out)) from exc
    tmp = out.with_name(f"{out.name}.tmp-{os.getpid()}")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    try:
        con = _open_target(out, tmp, fts)
        try:
            source_ids = _ingest_files(con, fts, entries, report, progress)
            _derive(con, entries, source_ids, reg, report, today or date.today().isoformat())
            con.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [
                ("schema_version", str(SCHEMA_VERSION)), ("fts_tokenizer", fts),
                ("built_at", time.strftime("%Y-%m-%dT%H:%M:%S")), ("normcheck_version", _version()),
                ("sources", json.dumps([str(Path(s).expanduser().resolve()) for s in sources], ensure_ascii=False)),
                ("source_snapshots", json.dumps(compute_snapshots(con, [str(Path(s).expanduser().resolve())
                                                                        for s in sources]), ensure_ascii=False))])
            con.commit()
            if report.files_indexed or report.files_removed:
                con.execute("INSERT INTO articles_fts (articles_fts) VALUES ('optimize')")
                con.commit()
                if report.files_removed or report.files_unchanged:
                    con.execute("VACUUM")
        finally:
            con.close()
        os.replace(tmp, out)
    except sqlite3.Error as exc:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise CorpusError(Code.CORPUS_CORRUPT, f"corpus build failed ({exc}); the old index is unchanged",
                          str(out)) from exc
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    report.size_bytes = out.stat().st_size
    report.seconds = round(time.perf_counter() - t0, 3)
    return report


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("normcheck")
    except Exception:
        return "0"


def _ingest_files(con: sqlite3.Connection, fts: str, entries: list[_Entry], report: BuildReport,
                  progress: ProgressFn | None) -> dict[str, int]:
    old = {p: (i, size, mt, sha) for i, p, size, mt, sha in
           con.execute("SELECT id, path, size, mtime_ns, sha256 FROM sources")}
    seen: dict[str, int] = {}
    total = len(entries)
    for n, e in enumerate(entries, start=1):
        key = str(e.path.resolve())
        if progress is not None:
            progress(n - 1, total, e.rel)
        try:
            st = e.path.stat()
            prev = old.get(key)
            if prev is not None and prev[1] == st.st_size and prev[2] == st.st_mtime_ns:
                seen[key] = prev[0]
                report.files_unchanged += 1
                continue
            data = e.path.read_bytes()
            sha = hashlib.sha256(data).hexdigest()
            if prev is not None and prev[3] == sha:
                con.execute("UPDATE sources SET size = ?, mtime_ns = ? WHERE id = ?", (st.st_size, st.st_mtime_ns,
                                                                                   prev[0]))
                seen[key] = prev[0]
                report.files_unchanged += 1
                continue
            info, arts = _parse_file(e, data)
        except (OSError, UnicodeDecodeError, ValueError, InputError) as exc:
            report.issues.append(BuildIssue(Code.CORPUS_SOURCE_BAD.value, e.rel, f"unreadable law file ({exc}); "
                                                                                "skipped"))
            continue
        except Exception as exc:  # a segmenter bug must not sink the whole build
            report.issues.append(BuildIssue(Code.INTERNAL.value, e.rel, f"could not segment ({exc!r}); skipped"))
            continue
        if not arts:
            report.issues.append(BuildIssue(NO_ARTICLES, e.rel, "no articles found; the law is listed without "
                                                              "article text"))
        if prev is not None:
            _drop_source(con, fts, prev[0])
            con.execute("DELETE FROM sources WHERE id = ?", (prev[0],))
        cur = con.execute("INSERT INTO sources (path, size, mtime_ns, sha256, info, n_articles) "
                          "VALUES (?, ?, ?, ?, ?, ?)",
                          (key, st.st_size, st.st_mtime_ns, sha, json.dumps(info, ensure_ascii=False), len(arts)))
        sid = int(cur.lastrowid or 0)
        seen[key] = sid
        rows = [(sid, num, suf, label, text, json.dumps(paras, ensure_ascii=False), chap, s, en)
                for num, suf, label, text, paras, chap, s, en in arts]
        first = con.execute("SELECT COALESCE(MAX(id), 0) FROM articles").fetchone()[0]
        con.executemany('INSERT INTO articles (source_id, number, suffix, label, text, paragraphs, chapter, start, '
                        '"end") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', rows)
        fts_insert(con, fts, [(first + i + 1, r[4]) for i, r in enumerate(rows)])
        report.files_indexed += 1
    for key, (sid, *_rest) in old.items():
        if key not in seen:
            _drop_source(con, fts, sid)
            con.execute("DELETE FROM sources WHERE id = ?", (sid,))
            report.files_removed += 1
    if progress is not None:
        progress(total, total, "")
    return seen


