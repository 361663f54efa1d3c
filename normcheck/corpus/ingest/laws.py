"""Laws and versions from the indexed files: canonical names, aliases, versions in order, the registry's
repeal/successor facts and the repeal clauses (…同时废止) scanned from the texts."""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from normcheck.corpus.ingest.sources import (
    _EFFECTIVE,
    _TITLE_IN,
    DUPLICATE_VERSION,
    BuildIssue,
    BuildReport,
    _Entry,
    _guess_level,
)
from normcheck.corpus.registry import RegistryEntry, normalize_title, title_aliases
from normcheck.corpus.schema import (
    DERIVED_TABLES,
)
from normcheck.types.law import Level, Status

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

