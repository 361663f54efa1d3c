"""Helpers for suite builders: list the law files of a LawRefBook-layout folder and split them into
articles (no corpus index needed). Read at build time only; nothing here is committed text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from normcheck.law import Article
from normcheck.numerals import NUMERAL_RE, cn_to_int

_NAME_RE = re.compile(r"^(?P<title>.+?)(?:\((?P<date>\d{4}-\d{2}-\d{2})\))?$")
_ART_RE = re.compile(rf"^第({NUMERAL_RE})条(?:之({NUMERAL_RE}))?[ 　]*")
_NATIONAL_KIND = {"宪法": "constitution", "行政法规": "administrative_regulation", "部门规章": "department_rule",
                  "司法解释": "judicial_interpretation"}
_SKIP = {"案例", "其他"}
_PROVINCES = {"上海": "上海市", "北京": "北京市", "重庆": "重庆市", "山东": "山东省", "广东": "广东省",
              "河南": "河南省", "浙江": "浙江省"}


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
    if title.startswith(_PROVINCES.get(region, region)) or region in ("上海", "北京", "重庆"):
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


def body_start(text: str) -> int:
    i = text.find("<!-- INFO END -->")
    return i + len("<!-- INFO END -->") if i >= 0 else 0


def parse_articles(text: str, law_id: str = "", version: str = "") -> list[tuple[Article, int, int]]:
    """Articles of a LawRefBook file with their (start, end) offsets: one article starts at a line
    ``第X条``; following lines that are not headings belong to it."""
    out: list[tuple[Article, int, int]] = []
    pos = body_start(text)
    cur: list[object] | None = None  # [number, suffix, label, start, end, lines]
    for line in text[pos:].splitlines(keepends=True):
        start, end = pos, pos + len(line.rstrip("\n"))
        pos += len(line)
        s = line.strip()
        m = _ART_RE.match(s)
        if m:
            if cur:
                out.append(_mk(cur, law_id, version))
            cur = [cn_to_int(m.group(1)), cn_to_int(m.group(2)) if m.group(2) else 0,
                   m.group(0).strip(), start, end, [s[m.end():]]]
        elif cur and s and not s.startswith("#"):
            cur[4] = end
            cur[5].append(s)  # type: ignore[attr-defined]
        elif s.startswith("#") and cur:
            out.append(_mk(cur, law_id, version))
            cur = None
    if cur:
        out.append(_mk(cur, law_id, version))
    return out


def _mk(cur: list[object], law_id: str, version: str) -> tuple[Article, int, int]:
    n, suf, label, start, end, lines = cur
    paras: tuple[str, ...] = tuple(lines)  # type: ignore[arg-type]
    art = Article(law_id=law_id, version=version, number=int(n), suffix=int(suf),  # type: ignore[call-overload]
                  label=str(label), text="\n".join(paras), paragraphs=paras)
    return art, int(start), int(end)  # type: ignore[call-overload]


def versions_by_title(files: list[LawFile]) -> dict[tuple[str | None, str], list[LawFile]]:
    """Files grouped by (region, title), only those with a date, oldest first."""
    groups: dict[tuple[str | None, str], list[LawFile]] = {}
    for f in files:
        if f.date:
            groups.setdefault((f.region, f.title), []).append(f)
    for v in groups.values():
        v.sort(key=lambda f: f.date or "")
    return groups
