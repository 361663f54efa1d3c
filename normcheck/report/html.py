"""HTML report: ONE self-contained page per batch (no external assets).

Documents by priority; each document's findings that concern no single clause (a gap in the chapter
numbering, say) in a section of their own, then its clauses in reading (document) order, flagged ones
highlighted with the finding span marked, and the finding with its basis and the superior provision
side by side; checkboxes filter by finding type (inline JS). Each finding appears exactly once, where
``normcheck.rank`` placed it (``Result.findings_by_section``), so the page's counts are the JSONL's.
Every piece of document or corpus text goes through ``html.escape``; on top of that a
Content-Security-Policy allows only this page's own script (by its sha256), so even a ``<script>``
that slipped through would not run.

Browser self-test hook: ``report.html#click=f-penalty_setting,only-flagged`` clicks those controls on
load (``scripts/html_browser_check.py`` uses it with headless chromium).
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any

from normcheck.report.atomic import write_text_atomic
from normcheck.report.filters import ALL, ReportFilter
from normcheck.report.jsonl import placed
from normcheck.report.labels import (
    CAVEAT,
    LEGEND_CONFIDENCE,
    LEGEND_PRIORITY,
    LEGEND_RANK,
    LEGEND_SCORE,
    LOW_CONFIDENCE,
    TYPE_LABELS,
    cn_date,
    evidence_heading,
    is_provision_text,
    kind_label,
    note_label,
    severity_label,
    type_label,
)
from normcheck.report.spans import marked_pieces
from normcheck.types.findings import Evidence, Finding, Result

_CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:0;color:#222;background:#f6f6f4}
header{position:sticky;top:0;background:#fff;border-bottom:1px solid #ccc;padding:8px 16px;z-index:2}
h1{font-size:20px;margin:4px 0}h2{font-size:18px;margin:0 0 4px}
#filters label{margin-right:12px;white-space:nowrap;font-size:14px}
main{padding:8px 16px}nav table{border-collapse:collapse;font-size:14px;background:#fff}
nav td,nav th{border:1px solid #ddd;padding:3px 8px;text-align:left}
section.doc{background:#fff;border:1px solid #ccc;border-radius:6px;margin:14px 0;padding:10px 14px}
.meta{color:#666;font-size:13px;margin-bottom:6px}
ol.clauses{list-style:none;padding:0;margin:0}
li.clause{display:grid;grid-template-columns:1fr 1fr;gap:12px;border-top:1px solid #eee;padding:4px 0}
li.clause .text{white-space:pre-wrap;line-height:1.6}
li.clause.flagged{background:#fff4e0;border-left:4px solid #e08a00;padding-left:6px}
mark{background:#ffd27a}
ul.notes{color:#7a5b00;background:#fffbe8;font-size:13px;margin:4px 0 8px;padding:4px 8px 4px 24px}
.cid{color:#888;font-size:12px;margin-right:6px}.score{color:#999;font-size:12px}
.finding{border:1px solid #e3c27d;border-radius:4px;padding:4px 8px;margin-bottom:6px;background:#fffdf7}
.finding.sev-high{border-color:#d9534f}.finding.sev-low{border-color:#bbb}
.finding .msg{font-weight:bold}.finding .basis{font-size:13px;color:#444}
.superior{font-size:13px;background:#eef4fb;border-left:3px solid #5b8dd6;padding:4px 6px;margin-top:4px;
white-space:pre-wrap}
.note{font-size:13px;color:#555;background:#f3f3f3;border-left:3px solid #aaa;padding:4px 6px;margin-top:4px}
.docfindings{border:1px dashed #e3c27d;border-radius:4px;padding:4px 8px;margin:6px 0}
.docfindings h3{font-size:15px;margin:2px 0 6px}
.legend{font-size:13px;color:#444}.legend ul{margin:4px 0;padding-left:20px}
.error{color:#b00}[hidden]{display:none!important}
"""

_JS = """(function(){
function apply(){
  var on={};
  document.querySelectorAll('input.ftype').forEach(function(b){on[b.value]=b.checked;});
  var only=document.getElementById('only-flagged').checked;
  document.querySelectorAll('.finding').forEach(function(f){f.hidden=!on[f.getAttribute('data-type')];});
  document.querySelectorAll('li.clause').forEach(function(c){
    var n=c.querySelectorAll('.finding:not([hidden])').length;
    c.classList.toggle('flagged',n>0);
    c.hidden=only&&n===0;
  });
  var total=0;
  document.querySelectorAll('section.doc').forEach(function(s){
    var n=s.querySelectorAll('.finding:not([hidden])').length;total+=n;
    var e=s.querySelector('.count');if(e)e.textContent=String(n);
    var r=document.getElementById('nav-'+s.id);var rc=r&&r.querySelector('.count');if(rc)rc.textContent=String(n);
  });
  document.getElementById('shown').textContent=String(total);
  document.body.setAttribute('data-shown',String(total));
}
document.querySelectorAll('#filters input').forEach(function(b){b.addEventListener('change',apply);});
var m=location.hash.match(/click=([A-Za-z0-9_,-]+)/);
if(m){m[1].split(',').forEach(function(id){var b=document.getElementById(id);if(b)b.click();});}
apply();
document.body.setAttribute('data-ready','1');
})();"""


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _marked(text: str, start: int, spans: list[tuple[int, int]]) -> str:
    """Clause text with finding spans (original offsets) wrapped in <mark>, every piece escaped."""
    return "".join(f"<mark>{_e(p)}</mark>" if m else _e(p) for p, m in marked_pieces(text, start, spans))


def _evidence_html(ev: Evidence) -> str:
    if is_provision_text(ev):
        return f'<div class="superior"><b>{_e(evidence_heading(ev, " "))}</b>\n{_e(ev.text)}</div>'
    law = f"《{ev.law}》" if ev.law and ev.law not in ev.text else ""
    return f'<div class="note">说明：{_e(law)}{_e(ev.text)}</div>' if ev.text else ""


def _finding_html(f: Finding, n: int) -> str:
    sev = f.severity.value
    verify = "（待核实）" if f.confidence < LOW_CONFIDENCE else ""
    parts = [f'<div class="finding sev-{_e(sev)}" data-type="{_e(f.type.value)}" data-n="{n}">',
             f'<div class="msg">【{_e(type_label(f.type.value))}】{verify}{_e(f.message)}</div>',
             f'<div class="basis">依据：{_e(f.basis)}　严重程度：{_e(severity_label(sev))}'
             f'　置信度：{float(f.confidence):.2f}</div>']
    parts += [_evidence_html(ev) for ev in f.evidence]
    parts.append("</div>")
    return "".join(parts)


def _title(n: int, r: Result) -> str:
    return r.document.title or Path(str(r.document.path or "")).name or f"文件{n}"


def _doc_html(n: int, r: Result, keep: ReportFilter) -> str:
    doc = r.document
    kind = kind_label(doc.kind) + ("（推断）" if doc.kind and doc.kind_inferred else "")
    meta = "　".join(f"{k}：{v}" for k, v in (("路径", doc.path), ("类别", kind), ("地区", doc.region),
                                              ("审查基准日", cn_date(doc.as_of)),
                                              ("优先级", f"{float(r.priority):.2f}")) if v)
    out = [f'<section class="doc" id="doc-{n}"><h2>{n}. {_e(_title(n, r))}</h2><div class="meta">{_e(meta)}'
           f'　问题：<span class="count">{len(keep.kept(r))}</span> 条</div>']
    if r.notes:
        out.append('<ul class="notes">' + "".join(f"<li>{_e(note_label(x))}</li>" for x in r.notes) + "</ul>")
    if r.error:
        out.append(f'<p class="error">无法处理：[{_e(r.error.get("code"))}] {_e(r.error.get("message"))}</p>'
                   "</section>")
        return "".join(out)
    kept = keep.kept(r)
    loose, per = r.findings_by_section()
    loose = [i for i in loose if i in kept]
    if loose:
        out.append('<div class="docfindings"><h3>全文问题（不限于某一条款）</h3>'
                   + "".join(_finding_html(r.findings[i], i) for i in loose) + "</div>")
    out.append('<ol class="clauses">')
    for c in sorted(r.clauses, key=lambda c: (c.start, c.end)):
        shown = [i for i in per.get(c.id, []) if i in kept]
        marks = [(r.findings[i].start, r.findings[i].end) for i in c.findings or [] if i in kept]
        types = " ".join(sorted({r.findings[i].type.value for i in shown}))
        out.append(f'<li class="clause{" flagged" if shown else ""}" data-types="{_e(types)}" '
                   f'data-rank="{c.rank}"><div class="text"><span class="cid">{_e(c.id)}</span>'
                   f'<span class="score" title="{_e(LEGEND_RANK)}；{_e(LEGEND_SCORE)}">阅读顺序 #{c.rank}'
                   f' · 关注度 {float(c.score):.2f}</span>\n{_marked(c.text, c.start, marks)}</div>'
                   f'<div class="side">{"".join(_finding_html(r.findings[i], i) for i in shown)}</div></li>')
    out.append("</ol></section>")
    return "".join(out)


def render_html(results: Sequence[Result], *, title: str = "normcheck 审查报告",
                keep: ReportFilter = ALL) -> str:
    """The whole page as a string. Each finding appears once (document-level ones in the document's
    own section); ``keep`` leaves findings out (the page says how many and why)."""
    docs = [placed(r) for r in results]
    order = sorted(range(len(docs)), key=lambda i: (bool(docs[i].error), -float(docs[i].priority), i))
    total = sum(len(d.findings) for d in docs)
    counts: Counter[str] = Counter(d.findings[i].type.value for d in docs for i in sorted(keep.kept(d)))
    shown = sum(counts.values())
    types = [t for t in TYPE_LABELS if counts[t]] + sorted(t for t in counts if t not in TYPE_LABELS)
    script_hash = base64.b64encode(hashlib.sha256(_JS.encode("utf-8")).digest()).decode("ascii")
    csp = f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{script_hash}'"
    boxes = "".join(f'<label><input type="checkbox" class="ftype" id="f-{_e(t)}" value="{_e(t)}" checked> '
                    f"{_e(type_label(t))}（{counts[t]}）</label>" for t in types)
    nav = ["<nav><table><tr><th>序号</th><th>优先级</th><th>文件</th><th>类别</th><th>问题数</th></tr>"]
    sections = []
    for n, i in enumerate(order, start=1):
        d = docs[i]
        state = "无法处理" if d.error else f'<span class="count">{len(keep.kept(d))}</span>'
        nav.append(f'<tr id="nav-doc-{n}"><td>{n}</td><td>{float(d.priority):.2f}</td>'
                   f'<td><a href="#doc-{n}">{_e(_title(n, d))}</a></td><td>{_e(kind_label(d.document.kind))}</td>'
                   f"<td>{state}</td></tr>")
        sections.append(_doc_html(n, d, keep))
    nav.append("</table></nav>")
    filtered = (f"；按{keep.describe()}筛选，未显示 {total - shown} 条" if keep.active else "")
    legend = "".join(f"<li>{_e(x)}</li>" for x in (LEGEND_PRIORITY, LEGEND_RANK, LEGEND_SCORE, LEGEND_CONFIDENCE))
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{_e(csp)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>"
        f'<header><h1>{_e(title)}</h1><div>文件 {len(docs)} 件，问题共 <span id="total">{total}</span> 条'
        f'{_e(filtered)}，当前显示 <span id="shown">{shown}</span> 条。{_e(CAVEAT)}</div>'
        f'<form id="filters">{boxes}'
        '<label><input type="checkbox" id="only-flagged"> 只看有问题的条款</label></form>'
        f'<details class="legend"><summary>图例</summary><ul>{legend}</ul></details></header>'
        f"<main>{''.join(nav)}{''.join(sections)}</main><script>{_JS}</script></body></html>\n"
    )


def write_html(results: Sequence[Result], path: str | Path, *, title: str = "normcheck 审查报告",
               keep: ReportFilter = ALL) -> None:
    """Write the page atomically (UTF-8)."""
    write_text_atomic(path, render_html(results, title=title, keep=keep))
