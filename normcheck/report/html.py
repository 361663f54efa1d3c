"""HTML report: ONE self-contained page per batch (no external assets).

Documents by priority; each document's clauses in reading (document) order, flagged ones
highlighted with the finding span marked, and the finding with its basis and the superior provision
side by side; checkboxes filter by finding type (inline JS). Every piece of document or corpus text
goes through ``html.escape``; on top of that a Content-Security-Policy allows only this page's own
script (by its sha256), so even a ``<script>`` that slipped through would not run.

Browser self-test hook: ``report.html#click=f-penalty_setting,only-flagged`` clicks those controls on
load (``scripts/html_browser_check.py`` uses it with headless chromium).
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from collections.abc import Iterable
from html import escape
from pathlib import Path
from typing import Any

from normcheck.report.atomic import write_text_atomic
from normcheck.report.jsonl import ResultLike, as_dict
from normcheck.report.labels import SEVERITY_LABELS, TYPE_LABELS, evidence_heading, type_label

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
.cid{color:#888;font-size:12px;margin-right:6px}.score{color:#999;font-size:12px}
.finding{border:1px solid #e3c27d;border-radius:4px;padding:4px 8px;margin-bottom:6px;background:#fffdf7}
.finding.sev-high{border-color:#d9534f}.finding.sev-low{border-color:#bbb}
.finding .msg{font-weight:bold}.finding .basis{font-size:13px;color:#444}
.superior{font-size:13px;background:#eef4fb;border-left:3px solid #5b8dd6;padding:4px 6px;margin-top:4px;
white-space:pre-wrap}
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
    cuts = sorted((max(0, s - start), min(len(text), e - start)) for s, e in spans)
    merged: list[list[int]] = []
    for s, e in cuts:
        if e <= s:
            continue
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    out, pos = [], 0
    for s, e in merged:
        out.append(_e(text[pos:s]) + "<mark>" + _e(text[s:e]) + "</mark>")
        pos = e
    out.append(_e(text[pos:]))
    return "".join(out)


def _finding_html(f: dict[str, Any]) -> str:
    sev = str(f.get("severity") or "")
    parts = [f'<div class="finding sev-{_e(sev)}" data-type="{_e(f.get("type"))}">',
             f'<div class="msg">【{_e(type_label(str(f.get("type"))))}】{_e(f.get("message"))}</div>',
             f'<div class="basis">依据：{_e(f.get("basis"))}　严重程度：{_e(SEVERITY_LABELS.get(sev, sev))}'
             f'　置信度：{float(f.get("confidence") or 0):.2f}</div>']
    for ev in f.get("evidence") or []:
        head = evidence_heading(ev, " ")
        parts.append(f'<div class="superior"><b>{_e(head)}</b>\n{_e(ev.get("text"))}</div>')
    parts.append("</div>")
    return "".join(parts)


def _doc_html(n: int, d: dict[str, Any]) -> str:
    doc = d.get("document", {})
    title = doc.get("title") or Path(str(doc.get("path") or "")).name or f"文件{n}"
    meta = "　".join(f"{k}：{v}" for k, v in (("路径", doc.get("path")), ("类别", doc.get("kind")),
                                              ("地区", doc.get("region")), ("审查基准日", doc.get("as_of")),
                                              ("优先级", f"{float(d.get('priority') or 0):.2f}")) if v)
    out = [f'<section class="doc" id="doc-{n}"><h2>{n}. {_e(title)}</h2><div class="meta">{_e(meta)}'
           f'　问题：<span class="count"></span></div>']
    err = d.get("error")
    if err:
        out.append(f'<p class="error">无法处理：[{_e(err.get("code"))}] {_e(err.get("message"))}</p></section>')
        return "".join(out)
    by_clause: dict[str, list[dict[str, Any]]] = {}
    loose: list[dict[str, Any]] = []
    clauses = d.get("clauses") or []
    ids = {c.get("id") for c in clauses}
    for f in d.get("findings") or []:
        cid = f.get("clause")
        if cid in ids:
            by_clause.setdefault(cid, []).append(f)
        else:  # a larger unit (an article with paragraphs) or the document: by span, else document-level
            fs_, fe_ = int(f.get("start") or 0), int(f.get("end") or 0)
            hit = [c["id"] for c in clauses if c.get("start", 0) < max(fe_, fs_ + 1) and fs_ < c.get("end", 0)]
            for h in hit:
                by_clause.setdefault(h, []).append(f)
            if not hit:
                loose.append(f)
    if loose:
        out.append('<div class="docfindings">' + "".join(_finding_html(f) for f in loose) + "</div>")
    out.append('<ol class="clauses">')
    for c in sorted(clauses, key=lambda c: c.get("start", 0)):
        fs = by_clause.get(c.get("id"), [])
        types = " ".join(sorted({str(f.get("type")) for f in fs}))
        text = _marked(str(c.get("text") or ""), int(c.get("start") or 0),
                       [(int(f.get("start") or 0), int(f.get("end") or 0)) for f in fs])
        out.append(f'<li class="clause{" flagged" if fs else ""}" data-types="{_e(types)}" '
                   f'data-rank="{_e(c.get("rank"))}"><div class="text"><span class="cid">{_e(c.get("id"))}</span>'
                   f'<span class="score">#{_e(c.get("rank"))} · {float(c.get("score") or 0):.2f}</span>\n{text}</div>'
                   f'<div class="side">{"".join(_finding_html(f) for f in fs)}</div></li>')
    out.append("</ol></section>")
    return "".join(out)


def render_html(results: Iterable[ResultLike], *, title: str = "normcheck 审查报告") -> str:
    """The whole page as a string."""
    docs = [as_dict(r) for r in results]
    order = sorted(range(len(docs)),
                   key=lambda i: (bool(docs[i].get("error")), -float(docs[i].get("priority") or 0), i))
    counts: Counter[str] = Counter(str(f.get("type")) for d in docs for f in d.get("findings") or [])
    types = [t for t in TYPE_LABELS if counts[t]] + sorted(t for t in counts if t not in TYPE_LABELS)
    script_hash = base64.b64encode(hashlib.sha256(_JS.encode("utf-8")).digest()).decode("ascii")
    csp = f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{script_hash}'"
    boxes = "".join(f'<label><input type="checkbox" class="ftype" id="f-{_e(t)}" value="{_e(t)}" checked> '
                    f"{_e(type_label(t))}（{counts[t]}）</label>" for t in types)
    nav = ["<nav><table><tr><th>#</th><th>优先级</th><th>文件</th><th>问题</th></tr>"]
    sections = []
    for n, i in enumerate(order, start=1):
        d = docs[i]
        doc = d.get("document", {})
        name = doc.get("title") or Path(str(doc.get("path") or "")).name
        state = "无法处理" if d.get("error") else '<span class="count"></span>'
        nav.append(f'<tr id="nav-doc-{n}"><td>{n}</td><td>{float(d.get("priority") or 0):.2f}</td>'
                   f'<td><a href="#doc-{n}">{_e(name)}</a></td><td>{state}</td></tr>')
        sections.append(_doc_html(n, d))
    nav.append("</table></nav>")
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{_e(csp)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>"
        f'<header><h1>{_e(title)}</h1><div>文件 {len(docs)} 件，显示问题 <span id="shown">'
        f"{sum(counts.values())}</span> 条</div>"
        f'<form id="filters">{boxes}'
        '<label><input type="checkbox" id="only-flagged"> 只看有问题的条款</label></form></header>'
        f"<main>{''.join(nav)}{''.join(sections)}</main><script>{_JS}</script></body></html>\n"
    )


def write_html(results: Iterable[ResultLike], path: str | Path, *, title: str = "normcheck 审查报告") -> None:
    """Write the page atomically (UTF-8)."""
    write_text_atomic(path, render_html(results, title=title))
