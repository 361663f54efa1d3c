"""Segmentation: text -> structure tree of 编/分编/章/节/条/款/项/目 (or 点) spans.

The tree, and the IDs it gives (see also ``docs`` in the module functions):

- ``DOCUMENT`` root; a ``PREAMBLE`` (title, history lines, text before the first structure node);
- ``PART``/``SUBPART``/``CHAPTER``/``SECTION`` headings (``第一编``, ``第一章 总则``, Markdown ``##``
  headings; a Markdown heading ``## 一、一般规定`` is a CHAPTER numbered 1); ``heading`` holds the
  title without inner spaces; they have no ID;
- ``ARTICLE`` ``第十二条`` / ``第十条之一`` (ID is the canonical Chinese label, also for ``第12条``);
- ``PARAGRAPH`` 款: only for articles with two or more paragraphs; ID ``第十二条第二款``. The first
  款 starts after the article label;
- ``ITEM`` 项 ``（三）``/``(三)``/``三、`` (and ``1.`` items directly under an article): ID
  ``第十二条第二款第（三）项``, or ``第十二条第（三）项`` when the article has one paragraph;
- ``SUBITEM`` 目 ``1.``/``1、``/``（1）`` under an item: ID ``…第（三）项第1目``;
- ``POINT`` 点 for documents without any 条 (决定/通知/意见 numbered ``一、二、``): ID ``第一点``;
  their items are ``第一点第（二）项``.

A second node with an ID already used (a duplicated number) gets ``#2``, ``#3`` appended so IDs stay
unique; the duplicate is reported by the drafting check (``normcheck.checks.drafting``).

Text in, tree out: this stage reads no file (``normcheck.text.read`` does) and runs no check.

Offsets are into the *original* text; every node's span is stripped of surrounding whitespace, so
``doc.original[node.start:node.end]`` is the node's text. Linear time: one pass over lines with
anchored, bounded regexes.

Size: one linear pass (line classification, then the tree) whose parts share the builder's state;
splitting it would mean passing that state between modules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from normcheck.errors import Code, Warning_
from normcheck.text.normalize import normalize, to_original_span
from normcheck.text.numerals import NUMERAL_CHARS, article_label, cn_to_int, int_to_cn
from normcheck.text.script import looks_traditional
from normcheck.types.document import Document, DocumentMeta, Node, NodeKind, OffsetMap

__all__ = ["FORMATS", "segment_text"]

#: Accepted values of ``fmt``.
FORMATS = ("txt", "md")

_N = f"[{NUMERAL_CHARS}]{{1,12}}"
_NUM = rf"(?:{_N}|[0-9]{{1,5}})"

#: A heading: 第X章 then a space and its title, or a title opening with a quotation mark or bracket
#: straight after the label (第五章“上海文化”品牌建设), or nothing.
_HEADING_RE = re.compile(rf"第({_NUM})(分编|编|章|节)(?:(?:[ \t]+|(?=[“‘\"《（(]))(.*)|$)")
_MD_HEADING_RE = re.compile(r"(#{1,6})[ \t]+(.*)")
_MD_NUMBERED_RE = re.compile(rf"({_N})[、.][ \t]*(.*)")
_ARTICLE_RE = re.compile(rf"第({_NUM})条(?:之({_NUM}))?")
# Characters that, right after 第X条, show a reference rather than an article start.
_NOT_ARTICLE_NEXT = frozenset("的、，,；;。第至和及或与中所规款项修删改增")
_ITEM_PAREN_RE = re.compile(rf"[（(]({_N})[）)]")
_ITEM_DUN_RE = re.compile(rf"({_N})、")
_SUB_PAREN_RE = re.compile(r"[（(]([0-9]{1,3})[）)]")
_SUB_DOT_RE = re.compile(r"([0-9]{1,3})(?:[.、](?![0-9])|[ \t])")
# An inline article or item start after a sentence end: 。第五条 / ：（一）
_INLINE_RE = re.compile(rf"[。！？；：;:][ \t]*(?=第{_NUM}条|[（(]{_N}[）)])")
_PUNCT_RE = re.compile(r"[。，；：、,;:！？!?]")
#: A heading title may list with 、 and ， (第三章 教育内容、对象与形式); a sentence stop means body text.
_HEADING_STOP_RE = re.compile(r"[。；：;:！？!?]")
_SPACE_RE = re.compile(r"\s+")
_INFO_END = "<!-- INFO END -->"

_HEAD_KIND = {"编": NodeKind.PART, "分编": NodeKind.SUBPART, "章": NodeKind.CHAPTER, "节": NodeKind.SECTION}
_HEAD_LEVEL = {NodeKind.PART: 1, NodeKind.SUBPART: 2, NodeKind.CHAPTER: 3, NodeKind.SECTION: 4}


@lru_cache(maxsize=8192)
def _num(s: str) -> int:
    return cn_to_int(s)


@dataclass(slots=True)
class _Line:
    """A (virtual) line of the normalised text: content ``[start, end)`` stripped."""

    start: int
    end: int
    kind: str  # heading | article | item | sub | point | text | md_title | info_end | blank
    number: int | None = None
    suffix: int = 0
    label: str = ""
    body: int = 0  # where the content after the label starts
    head_kind: NodeKind | None = None
    heading: str = ""
    style: str = ""  # item label style: paren | dun | digit


# --------------------------------------------------------------------------- line classification


def _classify(text: str, s: int, e: int, md: bool) -> _Line:
    line = text[s:e]
    if md and line.startswith("#"):
        m = _MD_HEADING_RE.fullmatch(line)
        if m:
            level = len(m.group(1))
            rest = m.group(2).strip()
            h = _HEADING_RE.match(rest)
            if h and (h.group(3) is None or not _HEADING_STOP_RE.search(h.group(3) or "")):
                return _Line(s, e, "heading", _num(h.group(1)), label=f"第{h.group(1)}{h.group(2)}",
                             head_kind=_HEAD_KIND[h.group(2)], heading=_SPACE_RE.sub("", h.group(3) or ""))
            if level == 1:
                return _Line(s, e, "md_title")
            n = _MD_NUMBERED_RE.fullmatch(rest)
            if n:
                return _Line(s, e, "heading", _num(n.group(1)), label=n.group(1) + "、",
                             head_kind=NodeKind.CHAPTER, heading=_SPACE_RE.sub("", n.group(2)))
            return _Line(s, e, "text")  # 序言, 基本案情 …: plain text of the current container
    if md and line == _INFO_END:
        return _Line(s, e, "info_end")
    ch = line[0]
    if ch == "第":
        h = _HEADING_RE.match(line)
        if h and len(line) <= 60 and not _HEADING_STOP_RE.search(h.group(3) or ""):
            return _Line(s, e, "heading", _num(h.group(1)), label=f"第{h.group(1)}{h.group(2)}",
                         head_kind=_HEAD_KIND[h.group(2)], heading=_SPACE_RE.sub("", h.group(3) or ""))
        a = _ARTICLE_RE.match(line)
        if a and (a.end() == len(line) or line[a.end()] not in _NOT_ARTICLE_NEXT):
            body = s + a.end()
            while body < e and text[body] in " \t":
                body += 1
            return _Line(s, e, "article", _num(a.group(1)), _num(a.group(2)) if a.group(2) else 0,
                         label=a.group(0), body=body)
    elif ch in "（(":
        m = _ITEM_PAREN_RE.match(line)
        if m:
            return _Line(s, e, "item", _num(m.group(1)), label=m.group(0), body=_skip(text, s + m.end(), e),
                         style="paren")
        m = _SUB_PAREN_RE.match(line)
        if m:
            return _Line(s, e, "sub", int(m.group(1)), label=m.group(0), body=_skip(text, s + m.end(), e),
                         style="paren")
    elif ch in NUMERAL_CHARS:
        m = _ITEM_DUN_RE.match(line)
        if m:
            return _Line(s, e, "item", _num(m.group(1)), label=m.group(0), body=_skip(text, s + m.end(), e),
                         style="dun")
    elif "0" <= ch <= "9":
        m = _SUB_DOT_RE.match(line)
        if m and s + m.end() < e:
            return _Line(s, e, "sub", int(m.group(1)), label=m.group(0).rstrip(),
                         body=_skip(text, s + m.end(), e), style="digit")
    return _Line(s, e, "text")


def _skip(text: str, i: int, e: int) -> int:
    while i < e and text[i] in " \t":
        i += 1
    return i


def _raw_lines(text: str) -> list[tuple[int, int]]:
    """Non-blank lines as stripped ``(start, end)`` spans of ``text``."""
    out = []
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        if nl < 0:
            nl = n
        s, e = pos, nl
        while s < e and text[s] in " \t\f\v":
            s += 1
        while e > s and text[e - 1] in " \t\f\v":
            e -= 1
        if e > s:
            out.append((s, e))
        pos = nl + 1
    return out


def _lines(text: str, md: bool) -> list[_Line]:
    """Classified lines, with inline article/item starts split into lines of their own.

    An inline start is accepted only after 。！？；： and only when it continues the numbering
    (the next article number, or item （一） after a colon / the next item number), so a reference
    like ``依照第五条`` never splits a line.
    """
    out: list[_Line] = []
    last_article: tuple[int, int] | None = None
    for s, e in _raw_lines(text):
        pieces = [(s, e)]
        if e - s > 4:
            pieces = _split_inline(text, s, e, last_article)
        for ps, pe in pieces:
            ln = _classify(text, ps, pe, md)
            if ln.kind == "article" and ln.number is not None:
                last_article = (ln.number, ln.suffix)
            out.append(ln)
    return out


def _split_inline(text: str, s: int, e: int, last_article: tuple[int, int] | None) -> list[tuple[int, int]]:
    cuts: list[int] = []
    expect_item: int | None = None
    expected_article = (last_article[0] + 1) if last_article else None
    own = _ARTICLE_RE.match(text, s, e)
    if own:
        expected_article = _num(own.group(1)) + 1
    for m in _INLINE_RE.finditer(text, s, e):
        pos = m.end()
        if pos >= e or pos - s < 2:
            continue
        if text[pos] == "第":
            a = _ARTICLE_RE.match(text, pos, e)
            if not a or a.end() >= e or text[a.end()] not in " \t":
                continue
            num = _num(a.group(1))
            if expected_article is None or num != expected_article:
                continue
            cuts.append(pos)
            expected_article = num + 1
            expect_item = None
        else:
            it = _ITEM_PAREN_RE.match(text, pos, e)
            if not it:
                continue
            num = _num(it.group(1))
            sep = text[m.start()]
            if (num == 1 and sep in "：:") or (expect_item is not None and num == expect_item):
                cuts.append(pos)
                expect_item = num + 1
    if not cuts:
        return [(s, e)]
    out: list[tuple[int, int]] = []
    prev = s
    for c in cuts:
        lo, hi = prev, c
        while hi > lo and text[hi - 1] in " \t":
            hi -= 1
        if hi > lo:
            out.append((lo, hi))
        prev = c
    out.append((prev, e))
    return out


# --------------------------------------------------------------------------- tree building


class _Builder:
    def __init__(self, text: str, offsets: OffsetMap, original: str) -> None:
        self.text = text
        self.offsets = offsets
        self.original = original
        self.ids: dict[str, int] = {}

    def span(self, s: int, e: int) -> tuple[int, int]:
        return to_original_span(self.offsets, s, e)

    def node(self, kind: NodeKind, s: int, e: int, **kw: object) -> Node:
        a, b = self.span(s, e)
        return Node(kind, a, b, **kw)  # type: ignore[arg-type]

    def unique(self, cid: str) -> str:
        n = self.ids.get(cid, 0) + 1
        self.ids[cid] = n
        return cid if n == 1 else f"{cid}#{n}"


def _item_node(b: _Builder, ln: _Line, kind: NodeKind, prefix: str) -> Node:
    num = ln.number or 0
    if kind == NodeKind.SUBITEM:
        cid = f"{prefix}第{num}目"
    else:
        cid = f"{prefix}第（{int_to_cn(num)}）项"
    return b.node(kind, ln.start, ln.end, number=num, label=ln.label, id=b.unique(cid))


def _build_body(b: _Builder, parent: Node, base_id: str, first: tuple[int, int] | None,
                lines: list[_Line], point: bool) -> int:
    """Attach 款/项/目 children to an article (or 项/目 to a point); return the last content end."""
    # paragraphs: list of (start, end, items) where items: list of (line, subs)
    paras: list[list] = []  # [start, end, [[item_line, [sub_lines]], ...]]
    if point:
        paras.append([-1, -1, []])
    elif first is not None:
        paras.append([first[0], first[1], []])
    end = first[1] if first else -1
    for ln in lines:
        end = ln.end
        if ln.kind == "item" or (ln.kind == "sub" and (not paras or not paras[-1][2])):
            if not paras:
                paras.append([ln.start, ln.end, []])
            paras[-1][2].append([ln, []])
            paras[-1][1] = ln.end
        elif (ln.kind == "sub" and not paras[-1][2][-1][1] and ln.number != 1
              and ln.number == (paras[-1][2][-1][0].number or 0) + 1):
            paras[-1][2].append([ln, []])  # ``4、`` continuing （一）（二）（三）: a malformed 项
            paras[-1][1] = ln.end
        elif ln.kind == "sub":
            paras[-1][2][-1][1].append(ln)
            paras[-1][1] = ln.end
        elif point:  # text inside a point stays in the point (points have no 款)
            paras[-1][1] = ln.end
        else:  # text line: a new 款
            paras.append([ln.start, ln.end, []])
    multi = len(paras) > 1 and not point
    for pi, (ps, pe, items) in enumerate(paras, start=1):
        if multi:
            pid = b.unique(f"{base_id}第{int_to_cn(pi)}款")
            container = b.node(NodeKind.PARAGRAPH, ps, pe, number=pi, label=f"第{int_to_cn(pi)}款", id=pid)
            parent.children.append(container)
            prefix = pid
        else:
            container = parent
            prefix = base_id
        for item_line, subs in items:
            item_end = subs[-1].end if subs else item_line.end
            item_line.end = item_end
            node = _item_node(b, item_line, NodeKind.ITEM, prefix)
            for sub in subs:
                node.children.append(_item_node(b, sub, NodeKind.SUBITEM, node.id))
            container.children.append(node)
    return end


def segment_text(original: str, *, fmt: str | None = None, path: str | None = None,
                 meta: DocumentMeta | None = None) -> Document:
    """Segment decoded text. ``fmt``: ``"md"`` (LawRefBook layout) or ``"txt"``; None detects it."""
    if fmt is not None and fmt not in FORMATS:
        raise ValueError(f"unknown fmt {fmt!r}; expected one of {', '.join(FORMATS)} or None")
    traditional = looks_traditional(original)
    text, offsets = normalize(original, simplify=traditional)
    md = fmt == "md" or (fmt is None and _INFO_END in text)
    b = _Builder(text, offsets, original)
    lines = _lines(text, md)
    has_articles = any(ln.kind == "article" for ln in lines)
    root = Node(NodeKind.DOCUMENT, 0, len(original))

    # txt: 一、 lines without punctuation right before an article are headings (司法解释 style).
    if has_articles:
        for i, ln in enumerate(lines):
            if (ln.kind == "item" and ln.style == "dun" and i + 1 < len(lines)
                    and lines[i + 1].kind in ("article", "heading")
                    and not _PUNCT_RE.search(text, ln.body, ln.end) and ln.end - ln.start <= 30):
                ln.kind = "heading"
                ln.head_kind = NodeKind.CHAPTER
                ln.heading = _SPACE_RE.sub("", text[ln.body:ln.end])
    unit_kind = "article" if has_articles else "point"
    if not has_articles:
        for ln in lines:
            if ln.kind == "item" and ln.style == "dun":
                ln.kind = "point"
    # closing lines (signature, date) after the last unit belong to no clause
    if any(ln.kind == unit_kind for ln in lines):
        k = len(lines) - 1
        while (k > 0 and lines[k].kind == "text" and lines[k].end - lines[k].start <= 30
               and not _PUNCT_RE.search(text, lines[k].start, lines[k].end)):
            lines[k].kind = "closing"
            k -= 1

    # preamble: everything before the first heading/unit
    first = next((i for i, ln in enumerate(lines) if ln.kind in ("heading", unit_kind)), len(lines))
    if md:
        info = next((i for i, ln in enumerate(lines) if ln.kind == "info_end"), None)
        if info is not None and info + 1 > first:
            first = info + 1 if info + 1 <= len(lines) else len(lines)
    if first > 0:
        root.children.append(b.node(NodeKind.PREAMBLE, lines[0].start, lines[first - 1].end))

    stack: list[tuple[int, Node, int]] = []  # (level, node, last content end in normalised text)

    def close_to(level: int, end: int) -> None:
        while stack and stack[-1][0] >= level:
            _, node, nend = stack.pop()
            node.end = max(node.end, b.span(nend - 1, nend)[1] if nend > 0 else node.end)

    def container() -> Node:
        return stack[-1][1] if stack else root

    def extend(end: int) -> None:
        for i, (lvl, node, _) in enumerate(stack):
            stack[i] = (lvl, node, end)

    i = first
    n = len(lines)
    while i < n:
        ln = lines[i]
        if ln.kind == "heading" and ln.head_kind is not None:
            level = _HEAD_LEVEL[ln.head_kind]
            close_to(level, ln.start)
            node = b.node(ln.head_kind, ln.start, ln.end, number=ln.number, label=ln.label, heading=ln.heading)
            container().children.append(node)
            stack.append((level, node, ln.end))
            i += 1
            continue
        if ln.kind == unit_kind:
            j = i + 1
            while j < n and lines[j].kind not in ("heading", unit_kind, "closing"):
                j += 1
            body_lines = [x for x in lines[i + 1:j] if x.kind not in ("info_end", "md_title")]
            if ln.kind == "article":
                num, suf = ln.number or 0, ln.suffix
                cid = b.unique(article_label(num, suf))
                node = b.node(NodeKind.ARTICLE, ln.start, ln.end, number=num, suffix=suf, label=ln.label, id=cid)
                first_span = (ln.body, ln.end) if ln.body < ln.end else None
                end = _build_body(b, node, cid, first_span, body_lines, point=False)
            else:
                num = ln.number or 0
                cid = b.unique(f"第{int_to_cn(num)}点")
                node = b.node(NodeKind.POINT, ln.start, ln.end, number=num, label=ln.label, id=cid)
                end = _build_body(b, node, cid, None, body_lines, point=True)
            end = max(end, ln.end)
            node.end = b.span(end - 1, end)[1]
            container().children.append(node)
            extend(end)
            i = j
            continue
        # stray text between headings and units (e.g. under a chapter before its first article)
        extend(ln.end)
        i += 1
    close_to(0, len(text))

    doc = Document(original=original, text=text, offsets=offsets, root=root, path=path,
                   meta=meta or DocumentMeta(source_format="md" if md else "txt"))
    from normcheck.structure.meta import extract_meta

    if traditional:
        doc.warnings.append(Warning_(Code.TRADITIONAL_SCRIPT.value, "traditional characters were read as simplified "
                                     "for analysis; offsets point into the original text", 0, len(original)))
    extract_meta(doc)
    return doc
