"""Word output: the original .docx (or a new one for text input) with one Word comment per finding
(finding, basis, superior text) on the flagged clause, plus a generated 审查意见 draft (问题, 依据, 建议).

Clauses are found in the .docx by their text: each paragraph's text is matched, in order, against the
clause's first line; a finding whose clause cannot be found is anchored on the first paragraph that
has text (and says so), so every finding yields exactly one comment.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from normcheck.report.atomic import atomic_path
from normcheck.report.jsonl import ResultLike, as_dict
from normcheck.report.labels import SEVERITY_LABELS, SUGGESTIONS, evidence_heading, type_label
from normcheck.text.numerals import int_to_cn

AUTHOR = "normcheck"
INITIALS = "NC"


def _norm(s: str) -> str:
    return "".join(s.split())


def _text_doc(original: str) -> DocxDocument:
    d = docx.Document()
    for line in original.splitlines():
        d.add_paragraph(line)
    return d


def _source_text(path: str | None) -> str | None:
    if not path or not Path(path).is_file():
        return None
    try:
        from normcheck.text.read import read_document

        return read_document(path).original  # type: ignore[no-any-return]
    except Exception:
        return None


def comment_text(f: dict[str, Any]) -> list[str]:
    """The lines of one finding's comment."""
    sev = str(f.get("severity") or "")
    lines = [f"【{type_label(str(f.get('type')))}】{f.get('message') or ''}",
             f"依据：{f.get('basis') or ''}（严重程度：{SEVERITY_LABELS.get(sev, sev)}，"
             f"置信度：{float(f.get('confidence') or 0):.2f}）"]
    for ev in f.get("evidence") or []:
        head = evidence_heading(ev)
        lines.append(f"上位法：{head}：{ev.get('text') or ''}")
    return lines


def _anchor(paras: list[Paragraph], clause_text: str, start_at: int) -> int | None:
    """Index of the paragraph holding the clause's first line, searching from ``start_at`` then all."""
    first = next((ln for ln in clause_text.splitlines() if ln.strip()), "")
    key = _norm(first)[:40]
    if not key:
        return None
    order = list(range(start_at, len(paras))) + list(range(0, start_at))
    for i in order:
        t = _norm(paras[i].text)
        if t and (key in t or (len(t) >= 4 and t in key)):
            return i
    return None


def annotate(result: ResultLike, source: str | Path | None = None) -> tuple[DocxDocument, int]:
    """The commented Word document for one result, and the number of comments added.

    ``source``: the original .docx to annotate; default the result's path when it is a .docx, else a
    new document is built from the document's text (read again from its path, else from its clauses).
    """
    d = as_dict(result)
    path = str(source) if source is not None else d.get("document", {}).get("path")
    if path and str(path).lower().endswith(".docx") and Path(path).is_file():
        wd = docx.Document(str(path))
    else:
        text = _source_text(path)
        if text is None:
            title = d.get("document", {}).get("title") or ""
            text = "\n".join([title, *(str(c.get("text") or "") for c in d.get("clauses") or [])])
        wd = _text_doc(text)
    paras = [p for p in wd.paragraphs if p.text.strip()]
    if not paras:
        paras = [wd.add_paragraph("（空文件）")]
    for p in paras:
        if not p.runs:  # text held only in hyperlinks/fields: give the comment a run to hold
            p.add_run("")
    clauses = {c.get("id"): c for c in d.get("clauses") or []}
    n = 0
    cursor = 0
    for f in sorted(d.get("findings") or [], key=lambda f: (int(f.get("start") or 0), int(f.get("end") or 0))):
        c = clauses.get(f.get("clause"))
        text = str(c.get("text") or "") if c else ""
        if not c and f.get("clause"):  # a larger unit: its first leaf
            text = next((str(x.get("text") or "") for k, x in clauses.items()
                         if str(k).startswith(f"{f.get('clause')}第")), "")
        idx = _anchor(paras, text, cursor) if text else None
        lines = comment_text(f)
        if idx is None:
            idx = 0
            if f.get("clause"):
                lines.append(f"（未能在原文中定位 {f.get('clause')}，批注置于文首）")
        else:
            cursor = idx
        para = paras[idx]
        comment = wd.add_comment(para.runs, text=lines[0], author=AUTHOR, initials=INITIALS)
        for line in lines[1:]:
            comment.add_paragraph(line)
        n += 1
    return wd, n


def _cn_list_no(i: int) -> str:
    return f"{int_to_cn(i)}、"


def opinion(results: Iterable[ResultLike], *, reviewer: str = "") -> DocxDocument:
    """A 审查意见 draft in formal register: for each document, each finding as 问题 / 依据 / 建议."""
    docs = [as_dict(r) for r in results]
    wd = docx.Document()
    style = wd.styles["Normal"]
    style.font.size = Pt(12)  # type: ignore[attr-defined]
    for d in docs:
        info = d.get("document", {})
        title = info.get("title") or Path(str(info.get("path") or "")).name
        wd.add_heading(f"关于《{title}》的审查意见（草稿）", level=1)
        if d.get("error"):
            wd.add_paragraph(f"该文件未能处理（{d['error'].get('code')}：{d['error'].get('message')}），请人工审查。")
            continue
        fs = d.get("findings") or []
        if not fs:
            wd.add_paragraph("经初步审查，未发现明显的合法性问题。以上为机器辅助审查结果，请审查人员复核。")
            continue
        wd.add_paragraph(f"经审查，《{title}》存在以下问题，提出如下审查意见：")
        for i, f in enumerate(fs, start=1):
            where = f.get("clause") or "全文"
            wd.add_paragraph(f"{_cn_list_no(i)}{where}：{type_label(str(f.get('type')))}")
            wd.add_paragraph(f"问题：{f.get('message') or ''}")
            basis = str(f.get("basis") or "")
            evs = f.get("evidence") or []
            if evs:
                ev = evs[0]
                basis += f"。{ev.get('law') or ''}{ev.get('article') or ''}规定：“{ev.get('text') or ''}”"
            wd.add_paragraph(f"依据：{basis}")
            wd.add_paragraph(f"建议：{SUGGESTIONS.get(str(f.get('type')), '建议予以研究修改。')}")
        wd.add_paragraph("以上意见，请研究处理。")
        if reviewer:
            wd.add_paragraph(reviewer)
    return wd


def _save(wd: DocxDocument, path: Path) -> None:
    with atomic_path(path) as tmp:
        wd.save(str(tmp))


def write_docx(result: ResultLike, out: str | Path, *, source: str | Path | None = None,
               opinion_path: str | Path | None = None) -> tuple[Path, Path]:
    """Write the commented document to ``out`` and the 审查意见 next to it (default ``<stem>.审查意见.docx``)."""
    out = Path(out)
    wd, _ = annotate(result, source)
    _save(wd, out)
    op = Path(opinion_path) if opinion_path else out.with_name(f"{out.stem}.审查意见.docx")
    _save(opinion([result]), op)
    return out, op


def write_docx_reports(results: Iterable[ResultLike], out: str | Path) -> list[Path]:
    """``out`` ending in .docx: one document (the first); else a folder with, per document,
    ``<name>.批注.docx`` and ``<name>.审查意见.docx``, plus ``审查意见汇总.docx`` for the batch."""
    docs = [as_dict(r) for r in results]
    out = Path(out)
    if out.suffix.lower() == ".docx":
        if not docs:
            return []
        return list(write_docx(docs[0], out))
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    seen: dict[str, int] = {}
    for d in docs:
        if d.get("error"):
            continue
        stem = Path(str(d.get("document", {}).get("path") or "document")).stem or "document"
        seen[stem] = seen.get(stem, 0) + 1
        if seen[stem] > 1:
            stem = f"{stem}-{seen[stem]}"
        written += write_docx(d, out / f"{stem}.批注.docx", opinion_path=out / f"{stem}.审查意见.docx")
    summary = out / "审查意见汇总.docx"
    _save(opinion(docs), summary)
    written.append(summary)
    return written
