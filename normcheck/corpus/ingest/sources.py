"""Discovery: the law files of a source (LawRefBook layout with its db.sqlite3, or plain folders with an
optional manifest) and what the collection's metadata says about each."""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from normcheck.corpus.registry import PRC
from normcheck.errors import Code
from normcheck.knowledge import municipalities, regions
from normcheck.types.law import Level

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


