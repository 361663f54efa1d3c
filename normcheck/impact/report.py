"""Campaign reports for :func:`normcheck.impact.impact`: JSONL (one document a line, then a summary
line), CSV (one affected clause a row) and HTML (one page; documents ranked by how much must change;
every value escaped). Writers take an open text stream; nothing here prints."""

from __future__ import annotations

import csv
import html
import json
from typing import IO, Any

from normcheck.impact import ImpactReport

__all__ = ["CSV_COLUMNS", "FORMATS", "render_html", "write_csv", "write_jsonl", "write_report"]

FORMATS = ("jsonl", "csv", "html")
CSV_COLUMNS = ("rank", "path", "title", "region", "date", "score", "clause", "kind", "law", "cited", "old_article",
               "new_article", "successor", "suggestion", "note", "old_text", "new_text", "from_version",
               "to_version")
_KIND_ZH = {"repealed": "依据的法律已废止", "deleted": "所引条文已删除", "moved": "所引条文序号已调整",
            "moved_changed": "条文序号调整且内容修改", "changed": "所引条文内容已修改", "title_only": "仅引用名称"}


def write_jsonl(report: ImpactReport, fh: IO[str]) -> None:
    for d in report.documents:
        fh.write(json.dumps(d.to_dict(), ensure_ascii=False) + "\n")
    fh.write(json.dumps({"summary": report.summary()}, ensure_ascii=False) + "\n")


def _rows(report: ImpactReport) -> list[dict[str, Any]]:
    rows = []
    for rank, d in enumerate(report.documents, 1):
        for c in d.clauses:
            x = c.to_dict()
            rows.append({"rank": rank, "path": d.path, "title": d.title, "region": d.region, "date": d.date or "",
                         "score": d.score, **{k: x.get(k) or "" for k in CSV_COLUMNS if k in x}})
    return rows


def write_csv(report: ImpactReport, fh: IO[str]) -> None:
    w = csv.DictWriter(fh, fieldnames=list(CSV_COLUMNS), extrasaction="ignore")
    w.writeheader()
    for r in _rows(report):
        w.writerow(r)


def _marked(text: str) -> str:
    """Escape, then show the 【删：…】 / 【增：…】 marks of :func:`normcheck.impact.changes.marked_diff`
    as <del>/<ins> (a 】 that closes no mark stays as it is)."""
    out = html.escape(text)
    res: list[str] = []
    stack: list[str] = []
    i = 0
    while i < len(out):
        if out.startswith(("【删：", "【增："), i):
            tag = "del" if out[i + 1] == "删" else "ins"
            stack.append(tag)
            res.append(f"<{tag}>")
            i += 3
            continue
        if out[i] == "】" and stack:
            res.append(f"</{stack.pop()}>")
        else:
            res.append(out[i])
        i += 1
    res.extend(f"</{t}>" for t in reversed(stack))
    return "".join(res)


def render_html(report: ImpactReport) -> str:
    e = html.escape
    s = report.summary()
    head = "".join(f"<li>{e(c['law'])}：{e(str(c['from'] or ''))} → {e(str(c['to'] or c['kind']))}"
                   f"{'（由' + e(c['successor']) + '取代）' if c['successor'] else ''}</li>" for c in s["changes"])
    regions = "".join(f"<tr><td>{e(r)}</td><td>{v['documents']}</td><td>{v['clauses']}</td></tr>"
                      for r, v in s["by_region"].items())
    docs = []
    for rank, d in enumerate(report.documents, 1):
        rows = "".join(
            f"<tr><td>{e(c.clause or '')}</td><td>{e(_KIND_ZH.get(c.kind, c.kind))}</td><td>{e(c.cited)}</td>"
            f"<td>{e(c.old_article)} → {e(c.new_article or c.successor or '')}</td>"
            f"<td class=s>{e(c.suggestion)}</td><td>{e(c.note)}</td>"
            f"<td class=t>{_marked(c.old_text)}</td><td class=t>{_marked(c.new_text)}</td></tr>" for c in d.clauses)
        docs.append(f"<section><h2>{rank}. {e(d.title or d.path)}</h2><p>{e(d.region)} · {e(d.date or '日期不详')} · "
                    f"{e(d.path)} · 需修改程度 {d.score:g}</p><table><tr><th>条款</th><th>类型</th><th>引用</th>"
                    f"<th>条文</th><th>修改建议</th><th>说明</th><th>原条文</th><th>新条文</th></tr>{rows}</table>"
                    f"</section>")
    return ("<!doctype html><html lang=zh><meta charset=utf-8><title>法规清理影响报告</title><style>"
            "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;width:100%;margin-bottom:1em}"
            "td,th{border:1px solid #ccc;padding:4px;vertical-align:top;font-size:13px}td.t{max-width:28em}"
            "td.s{background:#f6fff0}del{background:#fdd}ins{background:#dfd;text-decoration:none}</style>"
            f"<h1>法规清理影响报告</h1><ul>{head}</ul><p>扫描文件 {s['scanned']} 件，受影响文件 "
            f"{s['affected_documents']} 件，条款 {s['affected_clauses']} 处。</p>"
            f"<table><tr><th>地区</th><th>文件</th><th>条款</th></tr>{regions}</table>{''.join(docs)}</html>\n")


def write_report(report: ImpactReport, fh: IO[str], fmt: str) -> None:
    """Write ``report`` in ``fmt`` (jsonl | csv | html); ``ValueError`` for another format."""
    if fmt == "jsonl":
        write_jsonl(report, fh)
    elif fmt == "csv":
        write_csv(report, fh)
    elif fmt == "html":
        fh.write(render_html(report))
    else:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
