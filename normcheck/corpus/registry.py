"""The committed registry of facts about laws (``normcheck/data/registry.csv``): names, aliases, levels,
issuers, regions, version dates, status, repeal dates and successors, each row citing its source.

Facts only, never law text. Rows cover laws that are absent from the corpus (the nine civil laws
repealed by the 民法典 on 2021-01-01) and override or complete what the corpus metadata says.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from normcheck.errors import Code, CorpusError
from normcheck.paths import data_file
from normcheck.types.law import Level, Status

REGISTRY_COLUMNS = ("name", "aliases", "level", "issuer", "region", "city", "versions", "valid_from",
                    "status", "repealed_on", "successor", "source")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PRC = "中华人民共和国"


@dataclass(frozen=True, slots=True)
class RegistryEntry:
    """One row of the registry (a law and the facts known about it)."""

    name: str
    aliases: tuple[str, ...] = ()
    level: Level = Level.LAW
    issuer: str = ""
    region: str = ""
    city: str = ""
    versions: tuple[str, ...] = ()
    valid_from: str | None = None
    status: Status = Status.UNKNOWN
    repealed_on: str | None = None
    successor: str | None = None
    source: str = ""


def default_registry_path() -> Path:
    return data_file("registry.csv")


def _date(value: str, path: Path, line: int) -> str | None:
    value = value.strip()
    if not value:
        return None
    if not _DATE.match(value):
        raise CorpusError(Code.CORPUS_SOURCE_BAD, f"registry line {line}: bad date {value!r}, use YYYY-MM-DD",
                          str(path))
    return value


def load_registry(path: Path | None = None) -> list[RegistryEntry]:
    """Read and validate a registry CSV (default: the packaged ``normcheck/data/registry.csv``).

    A missing default registry yields ``[]``; a malformed one raises ``CorpusError`` (E104).
    """
    path = path or default_registry_path()
    if not path.is_file():
        return []
    out: list[RegistryEntry] = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in REGISTRY_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise CorpusError(Code.CORPUS_SOURCE_BAD, f"registry lacks columns {missing}", str(path))
        for i, row in enumerate(reader, start=2):
            name = row["name"].strip()
            if not name:
                raise CorpusError(Code.CORPUS_SOURCE_BAD, f"registry line {i}: empty name", str(path))
            if not row["source"].strip():
                raise CorpusError(Code.CORPUS_SOURCE_BAD, f"registry line {i}: every fact needs a source",
                                  str(path))
            try:
                level = Level.parse(row["level"] or "law")
                status = Status(row["status"].strip() or "unknown")
            except ValueError as exc:
                raise CorpusError(Code.CORPUS_SOURCE_BAD, f"registry line {i}: {exc}", str(path)) from exc
            versions = tuple(d for d in (_date(v, path, i) for v in row["versions"].split("|")) if d)
            out.append(RegistryEntry(
                name=name,
                aliases=tuple(a.strip() for a in row["aliases"].split("|") if a.strip()),
                level=level, issuer=row["issuer"].strip(), region=row["region"].strip(),
                city=row["city"].strip(), versions=versions,
                valid_from=_date(row["valid_from"], path, i), status=status,
                repealed_on=_date(row["repealed_on"], path, i),
                successor=row["successor"].strip() or None, source=row["source"].strip(),
            ))
    return out


_BRACKETS = str.maketrans("", "", "《》<>〈〉\u3000 ")


def normalize_title(name: str) -> str:
    """Strip 《》, spaces and a leading 中华人民共和国 (the key aliases are matched on)."""
    s = name.translate(_BRACKETS).strip()
    if s.startswith(PRC) and len(s) > len(PRC):
        s = s[len(PRC):]
    return s


def title_aliases(canonical: str, *extra: str) -> list[str]:
    """Aliases of a title: itself, without 中华人民共和国, the extras (DB short names), and short
    titles without a trailing （试行）/（修订） note. Order kept, duplicates dropped."""
    cands = [canonical, *extra]
    more: list[str] = []
    for c in cands:
        n = normalize_title(c)
        more.append(n)
        short = re.sub(r"[（(](试行|修订|修正|暂行)[）)]$", "", n)
        if short != n:
            more.append(short)
    seen: dict[str, None] = {}
    for a in (*cands, *more):
        a = a.strip()
        if a:
            seen.setdefault(a, None)
    return list(seen)
