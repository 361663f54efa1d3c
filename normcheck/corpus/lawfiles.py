"""Helpers for suite builders: list the law files of a LawRefBook-layout folder and split them into
articles (no corpus index needed). Read at build time only; nothing here is committed text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from normcheck.knowledge import municipalities, regions
from normcheck.types.law import Article

_NAME_RE = re.compile(r"^(?P<title>.+?)(?:\((?P<date>\d{4}-\d{2}-\d{2})\))?$")
_NATIONAL_KIND = {"宪法": "constitution", "行政法规": "administrative_regulation", "部门规章": "department_rule",
                  "司法解释": "judicial_interpretation"}
_SKIP = {"案例", "其他"}
_PROVINCES = {r.name: r.full for r in regions().values()}  # data/regions.json


@dataclass(frozen=True, slots=True)
class LawFile:
    path: Path
    rel: str  # path relative to the corpus root (the record id stem)
    title: str
    date: str | None
    kind: str
    region: str | None


def _kind(top: str, region: str | None, title: str) -> str:
    if region is None:
        return _NATIONAL_KIND.get(top, "law")
    if "自治" in title and ("条例" in title):
        return "autonomous_regulation"
    if title.startswith(_PROVINCES.get(region, region)) or region in municipalities():
        return "local_regulation"
    return "municipal_regulation"


def list_law_files(root: Path) -> list[LawFile]:
    """Every law file (not ``_index.md``, not cases), sorted by relative path."""
    out: list[LawFile] = []
    for p in sorted(root.rglob("*.md")):
        rel = p.relative_to(root)
        parts = rel.parts
        if p.name.startswith("_") or len(parts) < 2 or parts[0] in _SKIP or p.name == "README.md":
            continue
        region = None
        if parts[0] == "DLC":
            if len(parts) < 5 or parts[2] != "地方性法规":
                continue
            region = parts[3]
        m = _NAME_RE.match(p.stem)
        if not m:
            continue
        title = m.group("title")
        out.append(LawFile(p, rel.as_posix(), title, m.group("date"), _kind(parts[0], region, title), region))
    return out


def parse_articles(text: str, law_id: str = "", version: str = "") -> list[tuple[Article, int, int]]:
    """Articles of a LawRefBook file with their (start, end) offsets, as the corpus index splits
    them (:func:`normcheck.corpus.ingest.split_articles`, i.e. the segmenter)."""
    from normcheck.corpus.ingest import split_articles

    out: list[tuple[Article, int, int]] = []
    for number, suffix, label, body, paras, chapter, start, end in split_articles(text, "md", law_id):
        art = Article(law_id=law_id, version=version, number=number, suffix=suffix, label=label, text=body,
                      paragraphs=tuple(paras), chapter=chapter)
        out.append((art, start, end))
    return out


def versions_by_title(files: list[LawFile]) -> dict[tuple[str | None, str], list[LawFile]]:
    """Files grouped by (region, title), only those with a date, oldest first."""
    groups: dict[tuple[str | None, str], list[LawFile]] = {}
    for f in files:
        if f.date:
            groups.setdefault((f.region, f.title), []).append(f)
    for v in groups.values():
        v.sort(key=lambda f: f.date or "")
    return groups
