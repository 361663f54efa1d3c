"""Build the corpus index: :func:`build_corpus` ingests law collections into one SQLite file.

Sources: the LawRefBook layout (root ``db.sqlite3`` + category folders, ``DLC/<X>地方法规/`` with
their own ``db.sqlite3``), or plain folders/files of .md/.txt/.docx laws, optionally with a
manifest ``normcheck-corpus.csv`` or ``.json`` (columns: file, name, level, region, city, version,
published, valid_from, valid_to, status). Files are segmented by :func:`normcheck.structure.segment.segment`.

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
import csv
import hashlib
import json
import os
import re
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from normcheck.corpus.coverage import compute_snapshots
from normcheck.corpus.registry import PRC, RegistryEntry, load_registry, normalize_title, title_aliases
from normcheck.corpus.schema import (
    DERIVED_TABLES,
    SCHEMA_VERSION,
    SOURCE_TABLES,
    fts_ddl,
    fts_delete,
    fts_insert,
)
from normcheck.errors import Code, CorpusError, InputError
from normcheck.knowledge import municipalities, regions
from normcheck.types.law import Level, Status

DEFAULT_FTS = "bigram"

#: Issue codes in :class:`BuildReport` (beyond the E1xx codes of ``errors.Code``).
NO_ARTICLES = "W110"  # a law file in which the segmenter found no article: indexed without articles
DUPLICATE_VERSION = "W111"  # two files give the same version of the same law: the later one is skipped
NO_METADATA = "W112"  # a file the collection's db.sqlite3 does not list: level/dates guessed

ProgressFn = Callable[[int, int, str], None]
Include = Callable[[str], bool] | Iterable[str] | None

_FILE_DATE = re.compile(r"^(?P<name>.+?)[(（](?P<date>\d{4}-\d{2}-\d{2})[)）]$")
_CN_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_EFFECTIVE = re.compile(r"自\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*起\s*(?:施行|实施|生效)")
_TITLE_IN = re.compile(r"《([^《》]{2,60})》")
_SKIP_NAMES = {"_index.md", "法律法规模版.md", "README.md", "SOURCE.md"}
_SKIP_DIRS = {"案例", ".git"}
_TEXT_SUFFIXES = {".md", ".txt", ".docx"}
_LRB_LEVELS = {"法律": Level.LAW, "行政法规": Level.ADMINISTRATIVE_REGULATION,
               "司法解释": Level.JUDICIAL_INTERPRETATION,
               "部门规章": Level.DEPARTMENT_RULE, "宪法": Level.CONSTITUTION, "其他": Level.OTHER,
               "地方性法规": Level.LOCAL_REGULATION}
_MUNICIPALITIES = set(municipalities())  # data/regions.json
_PROVINCE_SUFFIX = ("省", "市", "自治区")


@dataclass(frozen=True, slots=True)
class BuildIssue:
    """A problem met while building: a source or file reported and skipped (or indexed partially)."""

    code: str
    path: str
    message: str


@dataclass(slots=True)
class BuildReport:
    out: str
    fts_tokenizer: str = DEFAULT_FTS
    files_seen: int = 0
    files_indexed: int = 0  # (re)segmented in this build
    files_unchanged: int = 0  # kept from the previous index
    files_removed: int = 0
    laws: int = 0
    versions: int = 0
    articles: int = 0
    facts: int = 0
    seconds: float = 0.0
    size_bytes: int = 0
    issues: list[BuildIssue] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class _Entry:
    """One law file to index, with what the collection's metadata says about it."""

    path: Path
    rel: str
    fmt: str
    level: Level
    region: str = ""
    city: str = ""
    issuer: str = ""
    name: str = ""  # the collection's (short) name
    file_date: str | None = None
    published: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    expired: bool = False
    status: str | None = None
    has_meta: bool = True
    level_guessed: bool = False  # no metadata: re-guessed from the title once the file is read


# ----------------------------------------------------------------------------- discovery


def _iso(v: Any) -> str | None:
    s = str(v or "").strip()[:10]
    return s if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s) else None


def _split_name(stem: str) -> tuple[str, str | None]:
    m = _FILE_DATE.match(stem)
    return (m.group("name"), m.group("date")) if m else (stem, None)


def _read_lrb_db(db: Path) -> tuple[dict[tuple[str, str], list[dict[str, Any]]], dict[str, list[dict[str, Any]]]]:
    """(folder, name) -> rows and name -> rows of a LawRefBook ``db.sqlite3``."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        con.row_factory = sqlite3.Row
        rows = con.execute("SELECT l.*, c.folder AS folder FROM law l JOIN category c ON c.id = l.category_id"
                           ).fetchall()
    finally:
        con.close()
    by_key: dict[tuple[str, str], list[dict[str, Any]]] = {}
    by_name: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        d = dict(r)
        by_key.setdefault((d["folder"], d["name"]), []).append(d)
        by_name.setdefault(d["name"], []).append(d)
    return by_key, by_name


def _city_prefix(name: str, region: str) -> str:
    """The 设区的市 of ``region`` that ``name`` begins with (longest match), from the regions table."""
    row = regions().get(region)
    hits = [c for c in row.cities if name.startswith(c)] if row else []
    return max(hits, key=len) if hits else ""


def _local_level(name: str, region: str) -> tuple[Level, str]:
    """(level, city) of a DLC local regulation from its name (a 设区的市's regulation names its city)."""
    if "自治条例" in name or "单行条例" in name or (name.count("自治") and not name.startswith(region)):
        return Level.AUTONOMOUS_REGULATION, ""
    if region in _MUNICIPALITIES or name.startswith(region):
        return Level.LOCAL_REGULATION, ""
    city = _city_prefix(name, region)  # 商丘古城保护条例, 深圳经济特区…条例: the city named without 市
    if city:
        return Level.MUNICIPAL_REGULATION, city
    m = re.match(r"^([\u4e00-\u9fff]{1,6}?)(市|自治州)", name)
    if m and not name.startswith("中国"):
        return Level.MUNICIPAL_REGULATION, m.group(1)
    return Level.LOCAL_REGULATION, ""


def _match_row(rows: list[dict[str, Any]], file_date: str | None) -> dict[str, Any] | None:
    if not rows:
        return None
    if file_date:
        for r in rows:
            if _iso(r.get("publish")) == file_date:
                return r
        for r in rows:
            if _iso(r.get("valid_from")) == file_date:
                return r
        return None if len(rows) > 1 else rows[0]
    return rows[0] if len(rows) == 1 else max(rows, key=lambda r: _iso(r.get("publish")) or "")


def _lrb_entries(root: Path, issues: list[BuildIssue]) -> list[_Entry]:
    entries: list[_Entry] = []
    collections: list[tuple[Path, Path, str]] = [(root / "db.sqlite3", root, "")]
    dlc = root / "DLC"
    if dlc.is_dir():
        for sub in sorted(dlc.iterdir()):
            if sub.is_dir() and (sub / "db.sqlite3").is_file():
                collections.append((sub / "db.sqlite3", sub, sub.name.removesuffix("地方法规")))
    for db, base, region in collections:
        try:
            by_key, by_name = _read_lrb_db(db)
        except sqlite3.DatabaseError as exc:
            issues.append(BuildIssue(Code.CORPUS_SOURCE_BAD.value, str(db),
                                     f"unreadable metadata database ({exc}); its folder is skipped"))
            continue
        for path in sorted(base.rglob("*.md")):
            rel_parts = path.relative_to(base).parts
            if path.name in _SKIP_NAMES or any(p in _SKIP_DIRS for p in rel_parts) or (
                    not region and rel_parts[0] == "DLC"):
                continue
            folder = "/".join(rel_parts[:-1])
            name, fdate = _split_name(path.stem)
            row = _match_row(by_key.get((folder, name), []) or by_key.get((folder, f"{folder} {name}"), [])
                             or by_name.get(name, []), fdate)
            rel = str(path.relative_to(root))
            if row is not None:
                lv = _LRB_LEVELS.get(row["level"], Level.OTHER)
                if row["level"] == "案例":
                    continue
            else:
                top = rel_parts[0]
                lv = (Level.LOCAL_REGULATION if region else Level.ADMINISTRATIVE_REGULATION if top == "行政法规"
                      else Level.JUDICIAL_INTERPRETATION if top == "司法解释"
                      else Level.DEPARTMENT_RULE if top == "部门规章"
                      else Level.CONSTITUTION if top == "宪法" else Level.OTHER if top == "其他" else Level.LAW)
                issues.append(BuildIssue(NO_METADATA, rel, "not listed in db.sqlite3; level from folder, "
                                                           "dates from the file"))
            city = ""
            if region and lv is Level.LOCAL_REGULATION:
                lv, city = _local_level(name, region)
            issuer = rel_parts[1] if rel_parts[0] == "部门规章" and len(rel_parts) > 2 else ""
            entries.append(_Entry(
                path=path, rel=rel, fmt="md", level=lv, region=region, city=city, issuer=issuer,
                name=row["name"] if row else name,
                file_date=fdate,
                published=_iso(row.get("publish")) if row else None,
                valid_from=_iso(row.get("valid_from")) if row else None,
                expired=bool(row.get("expired")) if row else False, has_meta=row is not None))
    return entries


def _manifest(folder: Path, issues: list[BuildIssue]) -> dict[str, dict[str, str]]:
    rows: list[dict[str, Any]] = []
    csv_p, json_p = folder / "normcheck-corpus.csv", folder / "normcheck-corpus.json"
    try:
        if csv_p.is_file():
            with csv_p.open(encoding="utf-8-sig", newline="") as fh:
                rows = list(csv.DictReader(fh))
        elif json_p.is_file():
            data = json.loads(json_p.read_text(encoding="utf-8"))
            rows = data if isinstance(data, list) else data.get("laws", [])
    except (OSError, ValueError, csv.Error) as exc:
        issues.append(BuildIssue(Code.CORPUS_SOURCE_BAD.value, str(folder), f"unreadable manifest ({exc})"))
        return {}
    out: dict[str, dict[str, str]] = {}
    for r in rows:
        if isinstance(r, dict) and r.get("file"):
            out[str(r["file"]).replace("\\", "/")] = {k: str(v or "").strip() for k, v in r.items()}
    return out


def _guess_level(name: str) -> Level:
    if name.startswith(PRC) or name.endswith("法"):
        return Level.LAW
    if name.startswith(("最高人民法院", "最高人民检察院")):
        return Level.JUDICIAL_INTERPRETATION
    if re.match(r"^[\u4e00-\u9fff]{2,8}(省|自治区)", name) or re.match(rf"^({'|'.join(municipalities())})市", name):
        return Level.LOCAL_REGULATION if "条例" in name else Level.PROVINCIAL_RULE
    if re.match(r"^[\u4e00-\u9fff]{2,6}市", name):
        return Level.MUNICIPAL_REGULATION if "条例" in name else Level.MUNICIPAL_RULE
    if name.endswith("条例"):
        return Level.ADMINISTRATIVE_REGULATION
    return Level.OTHER


def _plain_entries(src: Path, issues: list[BuildIssue]) -> list[_Entry]:
    base = src if src.is_dir() else src.parent
    files = [src] if src.is_file() else sorted(p for p in src.rglob("*") if p.suffix.lower() in _TEXT_SUFFIXES
                                                and p.is_file() and p.name not in _SKIP_NAMES)
    manifest = _manifest(base, issues)
    out: list[_Entry] = []
    for path in files:
        rel_in = str(path.relative_to(base)).replace("\\", "/")
        m = manifest.get(rel_in, {})
        name, fdate = _split_name(path.stem)
        name = m.get("name") or name
        try:
            level = Level.parse(m["level"]) if m.get("level") else _guess_level(name)
        except ValueError as exc:
            issues.append(BuildIssue(Code.BAD_MANIFEST.value, str(path), str(exc)))
            level = _guess_level(name)
        region = m.get("region", "")
        out.append(_Entry(path=path, rel=str(path), fmt="md" if path.suffix.lower() == ".md" else
                          path.suffix.lower().lstrip("."), level=level, region=region, city=m.get("city", ""),
                          name=name, file_date=_iso(m.get("version")) or fdate, published=_iso(m.get("published")),
                          valid_from=_iso(m.get("valid_from")), valid_to=_iso(m.get("valid_to")),
                          expired=m.get("status") == "repealed", status=m.get("status") or None,
                          has_meta=bool(m), level_guessed=not m.get("level")))
    return out


def discover(sources: list[Path], issues: list[BuildIssue]) -> list[_Entry]:
    """The law files of every source (missing or unreadable sources are reported, not raised)."""
    out: list[_Entry] = []
    for src in sources:
        src = Path(src).expanduser()
        if not src.exists():
            issues.append(BuildIssue(Code.CORPUS_SOURCE_MISSING.value, str(src),
                                     "source folder does not exist; skipped"))
            continue
        if src.is_dir() and (src / "db.sqlite3").is_file():
            out.extend(_lrb_entries(src, issues))
        elif src.is_dir() or src.suffix.lower() in _TEXT_SUFFIXES:
            out.extend(_plain_entries(src, issues))
        else:
            issues.append(BuildIssue(Code.CORPUS_SOURCE_BAD.value, str(src),
                                     "not a folder or a .md/.txt/.docx file; skipped"))
    return out


def _included(include: Include, rel: str) -> bool:
    if include is None:
        return True
    if callable(include):
        return bool(include(rel))
    return any(s in rel for s in include)


# ----------------------------------------------------------------------------- parsing one file


def _header(text: str) -> dict[str, Any]:
    """Title, part title (民法典 合同编), history dates and 施行 date from a file's head."""
    head_end = text.find("<!-- INFO END -->")
    m_first = re.search(r"(?m)^\s*(?:#+\s*)?第[一二三四五六七八九十百零〇]+[章条编节]", text)
    if head_end < 0:
        head_end = m_first.start() if m_first else min(len(text), 600)
    head = text[:head_end]
    titles = [ln.lstrip("#").strip() for ln in head.splitlines() if ln.startswith("# ")]
    if not titles:
        first = next((ln.strip().lstrip("#").strip() for ln in head.splitlines() if ln.strip()), "")
        titles = [first] if first and not _CN_DATE.search(first) else []
    dates: list[str] = []  # 通过/修正/修订/公布 dates of the history lines, in order
    eff: list[str] = []
    for line in head.splitlines():
        found = [f"{y}-{int(mo):02d}-{int(d):02d}" for y, mo, d in _CN_DATE.findall(line)]
        if not found:
            continue
        if re.search(r"\d日\s*(?:起\s*)?施行", line) and not re.search(r"通过|修正|修订|公布|发布|批准", line):
            eff.append(found[0])
        else:
            dates.append(found[0])
    eff += [f"{y}-{int(mo):02d}-{int(d):02d}" for y, mo, d in _EFFECTIVE.findall(text[-3000:])]
    return {"title": titles[0] if titles else "", "part": titles[1] if len(titles) > 1 else "",
            "dates": dates, "effective": max(eff) if eff else None}


def split_articles(text: str, fmt: str, rel: str) -> list[tuple[int, int, str, str, list[str], str, int, int]]:
    """(number, suffix, label, text, paragraphs, chapter, start, end) per article, via the segmenter
    (the one way law files become articles: the index and the benchmark builders share it)."""
    from normcheck.structure.segment import segment_text
    from normcheck.types.document import NodeKind

    doc = segment_text(text, fmt="md" if fmt == "md" else "txt", path=rel)
    out = []
    seen: set[tuple[int, int]] = set()

    def strip_label(s: str, label: str) -> str:
        return s[len(label):].lstrip() if label and s.startswith(label) else s

    def walk(node: Any, chapter: str) -> None:
        for child in node.children:
            if child.kind in (NodeKind.PART, NodeKind.SUBPART, NodeKind.CHAPTER, NodeKind.SECTION):
                heading = (child.label + " " + child.heading).strip() if child.label else child.heading
                walk(child, heading if child.kind is not NodeKind.SECTION or not chapter else chapter)
            elif child.kind is NodeKind.ARTICLE and child.number is not None:
                key = (child.number, child.suffix)
                if key in seen:
                    continue
                seen.add(key)
                body = strip_label(doc.original[child.start:child.end], child.label)
                paras = [doc.original[c.start:c.end] for c in child.children if c.kind is NodeKind.PARAGRAPH]
                if paras:
                    paras[0] = strip_label(paras[0], child.label)
                else:
                    paras = [body]
                out.append((child.number, child.suffix, child.id or child.label, body, paras, chapter,
                            child.start, child.end))

    walk(doc.root, "")
    return out


def _parse_file(entry: _Entry, data: bytes) -> tuple[dict[str, Any], list[tuple[Any, ...]]]:
    """Law files go through the drafts' reader (``normcheck.text.read``) and segmenter: one decoder,
    one .docx reader, one tree for both."""
    from normcheck.text.read import decode_bytes, read_text

    if entry.fmt == "docx":
        text, _ = read_text(entry.path)
    else:
        text, _ = decode_bytes(data, entry.rel)
    info = _header(text)
    arts = split_articles(text, entry.fmt, entry.rel)
    return info, arts


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


# ----------------------------------------------------------------------------- laws and versions


@dataclass(slots=True)
class _Law:
    id: str
    name: str
    level: Level
    region: str = ""
    city: str = ""
    issuer: str = ""
    aliases: list[tuple[str, str]] = field(default_factory=list)  # (alias, kind)
    versions: dict[str, dict[str, Any]] = field(default_factory=dict)
    expired: bool = False
    repealed_on: str | None = None
    successor: str | None = None
    status: Status | None = None
    source: str = ""


def _canonical(entry: _Entry, info: dict[str, Any]) -> str:
    title = re.sub(r"\s+", "", info.get("title") or "")
    if not title or len(title) > 80:
        title = entry.name
    return title


def _derive(con: sqlite3.Connection, entries: list[_Entry], source_ids: dict[str, int],
            reg: list[RegistryEntry], report: BuildReport, today: str) -> None:
    con.executescript(DERIVED_TABLES)
    infos = {sid: (json.loads(info), n) for sid, info, n in con.execute("SELECT id, info, n_articles FROM sources")}
    laws: dict[str, _Law] = {}
    facts: list[tuple[str, str, str, str]] = []
    for e in entries:
        sid = source_ids.get(str(e.path.resolve()))
        if sid is None or sid not in infos:
            continue
        info, _n = infos[sid]
        name = _canonical(e, info)
        law_id = name
        if law_id in laws and laws[law_id].region != e.region:
            law_id = f"{name}@{e.region}"
        law = laws.get(law_id)
        if law is None:
            level = _guess_level(name) if e.level_guessed else e.level
            law = laws[law_id] = _Law(id=law_id, name=name, level=level, region=e.region, city=e.city,
                                      issuer=e.issuer, source=e.rel.split("/")[0] if e.has_meta else e.rel)
            law.aliases.append((name, "canonical"))
        if e.has_meta and e.name and (e.name.split(" ")[0], "short") not in law.aliases:
            law.aliases.append((e.name.split(" ")[0], "short"))
        dates = info.get("dates") or []
        version = e.file_date or e.published or (dates[-1] if dates else None) or info.get("effective") or "undated"
        v = law.versions.get(version)
        if v is None:
            eff = info.get("effective")
            law.versions[version] = {"published": e.published or (dates[-1] if dates else None),
                                     "valid_from": e.valid_from or (eff if eff and eff >= version else None),
                                     "valid_to": e.valid_to, "path": e.rel, "sources": [sid],
                                     "numbers": set(), "status": e.status}
            v = law.versions[version]
        else:
            numbers = {r for r in con.execute("SELECT number, suffix FROM articles WHERE source_id = ?", (sid,))}
            if v["numbers"] & numbers or not numbers:
                report.issues.append(BuildIssue(DUPLICATE_VERSION, e.rel,
                                                f"another file already gives {name} version {version} "
                                                f"({v['path']}); skipped"))
                continue
            v["sources"].append(sid)
        v["numbers"] |= {r for r in con.execute("SELECT number, suffix FROM articles WHERE source_id = ?", (sid,))}
        law.expired = e.expired if version == max(law.versions) else law.expired
    _apply_registry(laws, reg, facts)
    _scan_repeals(con, laws, facts)
    _write_laws(con, laws, facts, report, today)


def _find(laws: dict[str, _Law], index: dict[str, list[str]], name: str) -> _Law | None:
    ids = index.get(normalize_title(name), [])
    return laws[ids[0]] if ids else None


def _alias_index(laws: dict[str, _Law]) -> dict[str, list[str]]:
    idx: dict[str, list[str]] = {}
    for law in laws.values():
        for a in title_aliases(law.name, *(x for x, _ in law.aliases)):
            ids = idx.setdefault(normalize_title(a), [])
            if law.id not in ids:
                ids.append(law.id)
    return idx


def _apply_registry(laws: dict[str, _Law], reg: list[RegistryEntry], facts: list[tuple[str, str, str, str]]) -> None:
    index = _alias_index(laws)
    for r in reg:
        law = _find(laws, index, r.name)
        if law is None:
            law = laws[r.name] = _Law(id=r.name, name=r.name, level=r.level, region=r.region, city=r.city,
                                      source=r.source)
            law.aliases.append((r.name, "canonical"))
            for i, ver in enumerate(r.versions):
                law.versions[ver] = {"published": ver, "valid_from": r.valid_from if i == 0 else ver,
                                     "valid_to": None, "path": "", "sources": [], "numbers": set(), "status": None}
        law.aliases.extend((a, "registry") for a in r.aliases)
        law.issuer = r.issuer or law.issuer
        if r.repealed_on:
            law.repealed_on = r.repealed_on
            law.status = Status.REPEALED
            facts.append((law.id, "repealed_on", r.repealed_on, r.source))
        if r.successor:
            law.successor = r.successor
            facts.append((law.id, "successor", r.successor, r.source))
        if r.status is not Status.UNKNOWN and law.status is None:
            law.status = r.status


_REPEAL_SENT = re.compile(r"[^。；]*同时废止[^。；]*")


def _scan_repeals(con: sqlite3.Connection, laws: dict[str, _Law], facts: list[tuple[str, str, str, str]]) -> None:
    """Find "…《X》同时废止" clauses in every version of each law: X repealed on that version's
    effective date, succeeded by this law. Registry facts win; laws absent from the corpus get a stub."""
    index = _alias_index(laws)
    found: list[tuple[str, str, str | None, str]] = []  # (repealed name, successor id, date, source)
    for law in list(laws.values()):
        for ver, v in sorted(law.versions.items()):
            if not v["sources"]:
                continue
            q = ",".join("?" * len(v["sources"]))
            rows = con.execute(f"SELECT label, text FROM articles WHERE source_id IN ({q}) AND text LIKE '%同时废止%'",
                               v["sources"]).fetchall()
            for label, text in rows:
                for sent in _REPEAL_SENT.findall(text):
                    before = sent.split("同时废止")[0]
                    eff = _EFFECTIVE.search(text)
                    when = (f"{eff.group(1)}-{int(eff.group(2)):02d}-{int(eff.group(3)):02d}" if eff
                            else v["valid_from"] or ver)
                    for title in _TITLE_IN.findall(before):
                        found.append((title, law.id, when, f"{v['path']} {label}"))
    for title, succ_id, when, source in found:
        target = _find(laws, index, title)
        if target is not None and target.id == succ_id:
            continue  # an older version of the same law
        if target is None:
            succ = laws[succ_id]
            name = title.replace("<", "").replace(">", "")
            if len(name) < 3 or name in laws:
                continue
            target = laws[name] = _Law(id=name, name=name, level=succ.level, region=succ.region, city=succ.city,
                                       source=source)
            target.aliases.append((name, "canonical"))
            index.setdefault(normalize_title(name), []).append(name)
        elif target.versions and when and max(target.versions) >= when:
            continue  # re-enacted or still has later versions: do not trust the match
        if target.repealed_on is None:
            target.repealed_on = when
            target.status = Status.REPEALED
            facts.append((target.id, "repealed_on", when or "", source))
        if target.successor is None:
            target.successor = laws[succ_id].name
            facts.append((target.id, "successor", laws[succ_id].name, source))


def _write_laws(con: sqlite3.Connection, laws: dict[str, _Law], facts: list[tuple[str, str, str, str]],
                report: BuildReport, today: str) -> None:
    law_rows, alias_rows, vs_rows = [], [], []
    n_versions = 0
    for law in sorted(laws.values(), key=lambda x: x.id):
        ordered = sorted(law.versions)
        status_law = law.status or (Status.REPEALED if law.expired else Status.IN_FORCE)
        for i, ver in enumerate(ordered):
            v = law.versions[ver]
            start = v["valid_from"] or v["published"] or (ver if ver != "undated" else None)
            if i + 1 < len(ordered):
                nxt = law.versions[ordered[i + 1]]
                end = v["valid_to"] or nxt["valid_from"] or nxt["published"] or ordered[i + 1]
                st = Status.AMENDED
            else:
                end = v["valid_to"] or law.repealed_on
                st = Status(v["status"]) if v["status"] in {s.value for s in Status} else (
                    Status.REPEALED if status_law is Status.REPEALED else Status.IN_FORCE)
                if st is Status.IN_FORCE and start and start > today:
                    st = Status.NOT_YET
            cur = con.execute("INSERT INTO versions (law_id, version, published, valid_from, valid_to, status, path) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?)",
                              (law.id, ver, v["published"], start, end, st.value, v["path"]))
            n_versions += 1
            vs_rows += [(cur.lastrowid, sid) for sid in v["sources"]]
        law_rows.append((law.id, law.name, law.level.value, law.region, law.city, law.issuer, law.repealed_on,
                         law.successor, status_law.value, law.source))
        seen: set[str] = set()
        extra = [a for a, _ in law.aliases]
        kinds = dict((a, k) for a, k in reversed(law.aliases))
        for alias in title_aliases(law.name, *extra):
            key = normalize_title(alias)
            if alias in seen or not key:
                continue
            seen.add(alias)
            alias_rows.append((key, alias, law.id, kinds.get(alias, "derived")))
    con.executemany("INSERT INTO laws VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", law_rows)
    con.executemany("INSERT OR IGNORE INTO aliases (key, alias, law_id, kind) VALUES (?, ?, ?, ?)", alias_rows)
    con.executemany("INSERT OR IGNORE INTO version_sources (version_id, source_id) VALUES (?, ?)", vs_rows)
    con.executemany("INSERT INTO facts (subject, fact, value, source) VALUES (?, ?, ?, ?)", facts)
    report.laws = len(law_rows)
    report.versions = n_versions
    report.facts = len(facts)
    report.articles = con.execute("SELECT COUNT(*) FROM articles a JOIN version_sources vs "
                                  "ON vs.source_id = a.source_id").fetchone()[0]
