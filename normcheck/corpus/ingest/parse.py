"""Parsing one law file: the drafts' reader and segmenter (one decoder, one tree), plus the title, part
title, history dates and 施行 date of its head."""

from __future__ import annotations

import re
from typing import Any

from normcheck.corpus.ingest.sources import _CN_DATE, _EFFECTIVE, _Entry

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


