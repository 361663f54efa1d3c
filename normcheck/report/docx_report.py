"""Word output: the original .docx (or, for text input, a new one built from the result's clauses)
with one Word comment per finding on the clause rank placed it on, plus a 审查意见 draft.

The source is read only to annotate a .docx; everything else comes from the typed Result. Clauses
are found in the .docx by their text: each paragraph's text is matched, in order, against the
clause's first line; a finding whose clause cannot be found is anchored on the first paragraph that
has text (and says so), so every finding shown yields exactly one comment. Document-level findings
sit on the first paragraph (the title).

The 审查意见 (house style, issue 18): the rules the document is reviewed under (by its kind), then per
clause 问题 / 依据 / 建议, a comparison table 本文件条文 | 上位法条文 | 差异 for consistency findings,
Chinese dates, and the caveat 机器辅助审查结果，请审查人员复核 always. It quotes only evidence whose text
is the text of the provision it names (:func:`~normcheck.report.labels.is_provision_text`); a
status ("已于…废止") or a count ("本文件共十二条") is never put in quotation marks. Findings below
``LOW_CONFIDENCE`` are phrased as 请核实, not as a formal 建议.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from normcheck.report.atomic import atomic_path
from normcheck.report.filters import ALL, ReportFilter
from normcheck.report.jsonl import placed
from normcheck.report.labels import (
    CAVEAT,
    DEFAULT_REVIEW_BASIS,
    LOW_CONFIDENCE,
    REVIEW_BASIS,
    SUGGESTIONS,
    VERIFY,
    cn_date,
    cn_dates,
    evidence_heading,
    is_provision_text,
    kind_label,
    note_label,
    severity_label,
    type_label,
)
from normcheck.text.numerals import int_to_cn
from normcheck.types.findings import ClauseResult, Evidence, Finding, FindingType, Result

AUTHOR = "normcheck"
INITIALS = "NC"


#: Characters XML 1.0 cannot hold (C0 controls but tab/newline/CR, U+FFFE/U+FFFF, lone surrogates):
#: python-docx refuses them ("All strings must be XML compatible") and one would abort the batch.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
#: Longest file-name stem kept, in bytes: room for ".审查意见.docx" and a counter within 255 bytes.
MAX_STEM_BYTES = 200


def xml_safe(text: str) -> str:
    """``text`` with characters XML cannot hold replaced by U+FFFD (so offsets and lengths stay)."""
    return _NOT_XML.sub("\ufffd", text)


def _has_bad(obj: Any) -> bool:
    if isinstance(obj, str):
        return _NOT_XML.search(obj) is not None
    if isinstance(obj, dict):
        return any(_has_bad(v) for v in obj.values())
    if isinstance(obj, list | tuple):
        return any(_has_bad(v) for v in obj)
    return False


def _cleaned(obj: Any) -> Any:
    if isinstance(obj, str):
        return xml_safe(obj)
    if isinstance(obj, dict):
        return {k: _cleaned(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_cleaned(v) for v in obj]
    return obj


def xml_safe_result(result: Result) -> Result:
    """``result`` itself, or (when any of its text holds a character XML cannot) a copy with those
    characters replaced: a C0 control character in one document must not abort a Word batch (issue 17)."""
    d = result.to_dict()
    if not _has_bad(d):
        return result
    return Result.from_dict(_cleaned(d))


def _norm(s: str) -> str:
    return "".join(s.split())


def _text_doc(r: Result) -> DocxDocument:
    """A new document from the result alone: the title, then each clause's text in document order."""
    d = docx.Document()
    if r.document.title:
        d.add_paragraph(r.document.title)
    for c in sorted(r.clauses, key=lambda c: (c.start, c.end)):
        for line in c.text.splitlines():
            if line.strip():
                d.add_paragraph(line)
    return d


def _note(ev: Evidence) -> str:
    """A status or count note (not provision text), with the law it concerns."""
    law = f"《{ev.law}》" if ev.law and ev.law not in ev.text else ""
    return cn_dates(f"{law}{ev.text}")


def comment_text(f: Finding) -> list[str]:
    """The lines of one finding's comment."""
    verify = "（待核实）" if f.confidence < LOW_CONFIDENCE else ""
    lines = [f"【{type_label(f.type.value)}】{verify}{cn_dates(f.message)}",
             f"依据：{cn_dates(f.basis)}（严重程度：{severity_label(f.severity.value)}，置信度：{f.confidence:.2f}）"]
    for ev in f.evidence:
        if is_provision_text(ev):
            lines.append(f"上位法：{evidence_heading(ev)}：{ev.text}")
        elif ev.text:
            lines.append(f"说明：{_note(ev)}")
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


def annotate(result: Result, source: str | Path | None = None, *, keep: ReportFilter = ALL
             ) -> tuple[DocxDocument, int]:
    """The commented Word document for one result, and the number of comments added.

    ``source``: the original .docx to annotate (default: the result's path when it is a .docx);
    otherwise a new document is built from the result's title and clauses.
    """
    r = placed(xml_safe_result(result))
    path = str(source) if source is not None else r.document.path
    if path and str(path).lower().endswith(".docx") and Path(path).is_file():
        wd = docx.Document(str(path))
    else:
        wd = _text_doc(r)
    paras = [p for p in wd.paragraphs if p.text.strip()]
    if not paras:
        paras = [wd.add_paragraph("（空文件）")]
    for p in paras:
        if not p.runs:  # text held only in hyperlinks/fields: give the comment a run to hold
            p.add_run("")
    loose, per = r.findings_by_section()
    kept = keep.kept(r)
    todo: list[tuple[ClauseResult | None, int]] = [(None, k) for k in loose if k in kept]
    for cl in sorted(r.clauses, key=lambda c: (c.start, c.end)):
        todo += [(cl, k) for k in per.get(cl.id, []) if k in kept]
    n = 0
    cursor = 0
    for c, k in todo:
        f = r.findings[k]
        idx = _anchor(paras, c.text, cursor) if c is not None else None
        lines = comment_text(f)
        if idx is None:
            idx = 0
            if c is not None or f.clause:
                lines.append(f"（未能在原文中定位 {c.id if c is not None else f.clause}，批注置于文首）")
        else:
            cursor = idx
        comment = wd.add_comment(paras[idx].runs, text=lines[0], author=AUTHOR, initials=INITIALS)
        for line in lines[1:]:
            comment.add_paragraph(line)
        n += 1
    return wd, n


# ------------------------------------------------------------------------------------ 审查意见


def _cn_list_no(i: int) -> str:
    return f"{int_to_cn(i)}、"


def book(title: str) -> str:
    """``《title》``, with book-title marks inside the title turned into 〈〉 (the Chinese convention)."""
    return "《" + title.replace("《", "〈").replace("》", "〉") + "》"


_PARA_OF = re.compile(r"(第[零一二三四五六七八九十百千]+款)")


def _address(ev: Evidence, basis: str) -> str:
    """The article, or the paragraph when the basis cites one of its paragraphs and the evidence text
    is a single paragraph (立法法第九十三条第六款 quoted from its sixth paragraph alone)."""
    short = ev.law.removeprefix("中华人民共和国")
    at = basis.find(f"{short}{ev.article}") if short else -1
    if at >= 0 and "\n" not in ev.text.strip():
        m = _PARA_OF.match(basis, at + len(short) + len(ev.article))
        if m:
            return ev.article + m.group(1)
    return ev.article


def _quotes(fs: list[Finding], title: str) -> list[str]:
    """``《law》article（version）规定：“text”`` for each distinct provision-text evidence item of
    superior law (the document's own text is quoted as 本文件条文, not as a basis)."""
    out: list[str] = []
    seen: set[tuple[str, str, str | None]] = set()
    for f in fs:
        for ev in f.evidence:
            key = (ev.law, ev.article, ev.version)
            if not is_provision_text(ev) or key in seen or (title and ev.law == title):
                continue
            seen.add(key)
            version = f"（{cn_date(ev.version)}版本）" if ev.version else ""
            text = re.sub(r"\n\s*\n", "\n", ev.text.strip())
            out.append(f"{book(ev.law)}{_address(ev, f.basis)}{version}规定：“{text}”")
    return out


def _suggestion(f: Finding) -> str:
    code = f.type.value
    if f.confidence < LOW_CONFIDENCE:
        return VERIFY.get(code, "请核实该问题是否成立。")
    text = SUGGESTIONS.get(code, "予以研究修改。")
    return text[2:] if text.startswith("建议") else text


def _comparison(wd: DocxDocument, c: ClauseResult | None, fs: list[Finding]) -> None:
    """The table 本文件条文 | 上位法条文 | 差异 for the consistency findings among ``fs``."""
    rows = [f for f in fs if f.type == FindingType.INCONSISTENT_WITH_SUPERIOR]
    if not rows:
        return
    table = wd.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, head in zip(table.rows[0].cells, ("本文件条文", "上位法条文", "差异"), strict=True):
        cell.text = head
    for f in rows:
        d = f.details or {}
        ev = f.evidence[0] if f.evidence else None
        mine = str(d.get("clause_marked") or (c.text if c else ""))
        sup = str(d.get("superior_marked") or (ev.text if ev else "")).replace("【】", "【（无）】")
        head = f"{book(ev.law)}{ev.article}：" if ev else ""
        notes = [str(x.get("note")) for x in d.get("differences") or [] if isinstance(x, dict) and x.get("note")]
        diff = "；".join(dict.fromkeys(notes)) or f.message.split("：", 1)[-1]
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = mine, head + sup, diff
    wd.add_paragraph("注：表中【】标出存在差异之处；【（无）】表示上位法在该处没有相应内容。")


def _section(wd: DocxDocument, n: int, c: ClauseResult | None, fs: list[Finding], title: str) -> None:
    wd.add_paragraph(f"{_cn_list_no(n)}关于{c.id if c else '文件整体'}")
    if c is not None:
        wd.add_paragraph(f"本文件条文：“{c.text.strip()}”")
    problems = [f"{'（待核实）' if f.confidence < LOW_CONFIDENCE else ''}{cn_dates(f.message)}" for f in fs]
    if len(problems) == 1:
        wd.add_paragraph(f"问题：{problems[0]}")
    else:
        wd.add_paragraph("问题：")
        for i, p in enumerate(problems, start=1):
            wd.add_paragraph(f"（{int_to_cn(i)}）{p}")
    # one basis and one quotation each, however many findings of the clause rest on them
    bases = list(dict.fromkeys(b.strip() for f in fs if f.basis for b in cn_dates(f.basis).split("；") if b.strip()))
    wd.add_paragraph("依据：" + "；".join(bases) + ("。" if bases else ""))
    for q in dict.fromkeys(_quotes(fs, title)):
        wd.add_paragraph(q)
    _comparison(wd, c, fs)
    # a formal suggestion where one finding of a type is sure enough, else what to verify
    by_type: dict[str, Finding] = {}
    for f in fs:
        cur = by_type.get(f.type.value)
        if cur is None or f.confidence > cur.confidence:
            by_type[f.type.value] = f
    suggestions = list(dict.fromkeys(_suggestion(f) for f in by_type.values()))
    if len(suggestions) == 1:
        wd.add_paragraph(f"建议：{suggestions[0]}")
    else:
        wd.add_paragraph("建议：")
        for i, text in enumerate(suggestions, start=1):
            wd.add_paragraph(f"（{int_to_cn(i)}）{text}")


def opinion(results: Sequence[Result], *, reviewer: str = "", keep: ReportFilter = ALL) -> DocxDocument:
    """A 审查意见 draft in formal register: for each document, per clause 问题 / 依据 / 建议."""
    wd = docx.Document()
    style = wd.styles["Normal"]
    style.font.size = Pt(12)  # type: ignore[attr-defined]
    for r in (placed(xml_safe_result(x)) for x in results):
        info = r.document
        title = info.title or Path(str(info.path or "")).name
        wd.add_heading(f"关于{book(title)}的审查意见（草稿）", level=1)
        kind = (kind_label(info.kind) + ("，系根据标题和制定机关推断" if info.kind_inferred else "")
                if info.kind else "文件类别未能识别")
        basis = REVIEW_BASIS.get(info.kind or "", DEFAULT_REVIEW_BASIS)
        as_of = f"，以{cn_date(info.as_of)}现行有效的上位法为准" if info.as_of else ""
        wd.add_paragraph(f"根据{basis}的有关规定，对{book(title)}（{kind}）进行了审查{as_of}。")
        if r.error:
            wd.add_paragraph(f"该文件未能处理（{r.error.get('code')}：{r.error.get('message')}），请人工审查。")
        else:
            kept = keep.kept(r)
            loose, per = r.findings_by_section()
            groups: list[tuple[ClauseResult | None, list[Finding]]] = []
            if any(k in kept for k in loose):
                groups.append((None, [r.findings[k] for k in loose if k in kept]))
            for cl in sorted(r.clauses, key=lambda c: (c.start, c.end)):
                fs = [r.findings[k] for k in per.get(cl.id, []) if k in kept]
                if fs:
                    groups.append((cl, fs))
            if not groups:
                tail = "（以下审查说明所述范围除外）。" if r.notes else "。"
                wd.add_paragraph("经初步审查，未发现明显的合法性问题" + tail)
            else:
                wd.add_paragraph(f"经审查，提出以下审查意见（共{int_to_cn(sum(len(fs) for _, fs in groups))}项问题）：")
                for n, (c, fs) in enumerate(groups, start=1):
                    _section(wd, n, c, fs, title)
                wd.add_paragraph("以上意见，请研究处理。")
            left = len(r.findings) - len(kept)
            if keep.active and left:
                wd.add_paragraph(f"本意见仅列入{keep.describe()}的问题，另有{int_to_cn(left)}项未列入。")
        if r.notes:
            wd.add_paragraph("审查说明：")
            for note in dict.fromkeys(note_label(x) for x in r.notes):
                wd.add_paragraph(note, style="List Bullet")
        wd.add_paragraph(CAVEAT)
        if reviewer:
            wd.add_paragraph(reviewer)
    return wd


def _save(wd: DocxDocument, path: Path) -> None:
    with atomic_path(path) as tmp:
        wd.save(str(tmp))


def write_docx(result: Result, out: str | Path, *, source: str | Path | None = None,
               opinion_path: str | Path | None = None, keep: ReportFilter = ALL) -> tuple[Path, Path]:
    """Write the commented document to ``out`` and the 审查意见 next to it (default ``<stem>.审查意见.docx``)."""
    out = Path(out)
    wd, _ = annotate(result, source, keep=keep)
    _save(wd, out)
    op = Path(opinion_path) if opinion_path else out.with_name(f"{out.stem}.审查意见.docx")
    _save(opinion([result], keep=keep), op)
    return out, op


def _unique_stem(path: str, used: set[str]) -> str:
    """A file-name stem for a document's reports: its own stem (cut to fit), made unique among
    ``used`` (case-insensitively: a/决定.txt and b/决定.docx get 决定 and 决定-2)."""
    stem = Path(path).stem or "document"
    stem = xml_safe(stem).replace("\ufffd", "_").strip(". ") or "document"
    raw = os.fsencode(stem) if os.name != "nt" else stem.encode("utf-8")
    if len(raw) > MAX_STEM_BYTES:
        stem = raw[:MAX_STEM_BYTES].decode("utf-8", "ignore") or "document"
    cand, n = stem, 1
    while cand.casefold() in used:
        n += 1
        cand = f"{stem}-{n}"
    used.add(cand.casefold())
    return cand


def write_docx_reports(results: Sequence[Result], out: str | Path, *, keep: ReportFilter = ALL) -> list[Path]:
    """``out`` ending in .docx: one document (several are refused: they would overwrite each other);
    else a folder with, per document, ``<name>.批注.docx`` and ``<name>.审查意见.docx`` (names made
    unique across folders and cut to fit 255 bytes), plus ``审查意见汇总.docx`` for the batch."""
    out = Path(out)
    if out.suffix.lower() == ".docx":
        if not results:
            return []
        if len(results) > 1:
            from normcheck.errors import Code, NormcheckError

            raise NormcheckError(Code.OUTPUT_CONFLICT, f"{len(results)} documents cannot go into one .docx: give a "
                                 "folder for --out", str(out))
        return list(write_docx(results[0], out, keep=keep))
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    used = {"审查意见汇总".casefold(), "results".casefold()}
    for r in results:
        if r.error:
            continue
        stem = _unique_stem(str(r.document.path or "document"), used)
        written += write_docx(r, out / f"{stem}.批注.docx", opinion_path=out / f"{stem}.审查意见.docx", keep=keep)
    summary = out / "审查意见汇总.docx"
    _save(opinion(results, keep=keep), summary)
    written.append(summary)
    return written
