"""The document model: original text, normalised text, offset map, metadata, structure tree.

Structure nodes are *spans over one Document* (offsets into the original text plus labels), not
copied strings. This module imports nothing else of normcheck's except errors.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum

from normcheck.errors import Warning_


class NodeKind(str, Enum):
    """Structure levels, outermost first. Values are the Chinese unit words."""

    DOCUMENT = "文件"
    PREAMBLE = "序言"  # title, history lines, preamble text before the first article
    PART = "编"
    SUBPART = "分编"
    CHAPTER = "章"
    SECTION = "节"
    ARTICLE = "条"
    PARAGRAPH = "款"
    ITEM = "项"
    SUBITEM = "目"
    POINT = "点"  # 决定/通知-style documents numbered 一、二、 without 条


#: Kinds that carry a clause address (条/款/项/目 and 点).
CLAUSE_KINDS = frozenset({NodeKind.ARTICLE, NodeKind.PARAGRAPH, NodeKind.ITEM, NodeKind.SUBITEM,
                          NodeKind.POINT})
_UNIT_KINDS = frozenset({NodeKind.ARTICLE, NodeKind.POINT})


@dataclass(slots=True)
class Node:
    """One structure node: a span ``[start, end)`` of the *original* text.

    ``number`` is the parsed ordinal (第十二条 -> 12; 第（三）项 -> 3; 第二款 -> 2), ``suffix`` the
    之X number (第十条之一 -> 1), ``label`` the marker as written (``第十二条``, ``（三）``, ``1.``),
    ``id`` the stable clause address (``第十二条第二款第（三）项``; empty for non-clause nodes),
    ``heading`` the title text of 编/章/节 nodes.
    """

    kind: NodeKind
    start: int
    end: int
    number: int | None = None
    suffix: int = 0
    label: str = ""
    id: str = ""
    heading: str = ""
    children: list[Node] = field(default_factory=list)

    def walk(self) -> Iterator[Node]:
        """This node and all its descendants, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(slots=True)
class OffsetMap:
    """Maps offsets of the normalised text back to the original text.

    ``to_original[i]`` is the original offset of normalised character ``i``; it has one extra
    entry for the end of the text. Both directions are monotone.
    """

    to_original: list[int]

    def original(self, i: int) -> int:
        if i < 0:
            i = 0
        if i >= len(self.to_original):
            return self.to_original[-1]
        return self.to_original[i]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Normalised ``[start, end)`` -> original ``[start, end)``."""
        if end <= start:
            o = self.original(start)
            return o, o
        # end is exclusive: map the last character and step past it in the original.
        last = self.original(end - 1)
        nxt = self.original(end)
        return self.original(start), max(nxt, last + 1)

    @classmethod
    def identity(cls, n: int) -> OffsetMap:
        return cls(list(range(n + 1)))


@dataclass(slots=True)
class DocumentMeta:
    """What can be read from a document's title, preamble and last article."""

    title: str = ""
    issuer: str = ""  # e.g. 上海市人民代表大会常务委员会
    region: str = ""  # e.g. 上海
    adopted: str | None = None  # 通过 date, ISO
    amended: list[str] = field(default_factory=list)  # 修正/修订 dates, ISO, in order
    published: str | None = None  # 公布/发布 date, ISO
    effective: str | None = None  # 施行 date, ISO
    source_format: str = "txt"  # txt | md | docx | text
    encoding: str = "utf-8"

    @property
    def date(self) -> str | None:
        """The document's own date: the latest of its adoption, amendment and publication dates,
        else its effective date (a preamble may carry several 通过 lines; the last one counts)."""
        dates = [d for d in (self.adopted, *self.amended, self.published) if d]
        return max(dates) if dates else self.effective


@dataclass(slots=True)
class Document:
    """A read and segmented document.

    ``original`` is the text as decoded from the file (for .docx, paragraphs joined by newlines);
    ``text`` is the normalised text; ``offsets`` maps ``text`` offsets to ``original`` offsets.
    All node offsets point into ``original``.
    """

    original: str
    text: str
    offsets: OffsetMap
    root: Node
    meta: DocumentMeta = field(default_factory=DocumentMeta)
    path: str | None = None
    warnings: list[Warning_] = field(default_factory=list)
    _index: dict[str, Node] | None = field(default=None, repr=False)
    _units: list[tuple[Node, list[Node]]] | None = field(default=None, repr=False)
    _starts: dict[int, list[int]] = field(default_factory=dict, repr=False)

    def node_text(self, node: Node) -> str:
        return self.original[node.start:node.end]

    def nodes(self, kind: NodeKind | None = None) -> Iterator[Node]:
        for node in self.root.walk():
            if kind is None or node.kind == kind:
                yield node

    def articles(self) -> list[Node]:
        return list(self.nodes(NodeKind.ARTICLE))

    def clause_units(self) -> list[tuple[Node, list[Node]]]:
        """Every addressed unit with text of its own, with its clause ancestors, in document order.

        That is each 条/款/项/目/点 with no clause children, and — as a childless copy of the
        parent spanning only the lead-in — the text a clause has before its first child
        ("有下列行为之一的，处一千元罚款：" before the items). The lead-in keeps the parent's ID.
        """
        if self._units is None:
            out: list[tuple[Node, list[Node]]] = []

            def visit(node: Node, anc: list[Node]) -> None:
                is_clause = node.kind in CLAUSE_KINDS
                kids = [c for c in node.children if c.kind in CLAUSE_KINDS]
                if is_clause and not kids:
                    out.append((node, anc))
                    return
                if is_clause:
                    lead = self._lead_in(node, kids[0].start)
                    if lead is not None:
                        out.append((lead, anc))
                nxt = [*anc, node] if is_clause else anc
                for child in node.children:
                    visit(child, nxt)

            visit(self.root, [])
            self._units = out
        return self._units

    def _lead_in(self, node: Node, child_start: int) -> Node | None:
        end = child_start
        while end > node.start and self.original[end - 1].isspace():
            end -= 1
        own = self.original[node.start:end].strip()
        if node.label and own.startswith(node.label):
            own = own[len(node.label):].strip()
        if not own:
            return None
        return Node(kind=node.kind, start=node.start, end=end, number=node.number, suffix=node.suffix,
                    label=node.label, id=node.id, heading=node.heading)

    def clauses(self) -> list[Node]:
        """The finest addressed units with text of their own (see :meth:`clause_units`)."""
        return [node for node, _ in self.clause_units()]

    def clause(self, clause_id: str) -> Node:
        """Look a clause up by its stable ID (``第十二条第二款第（三）项``). Raises ``KeyError``."""
        if self._index is None:
            self._index = {n.id: n for n in self.root.walk() if n.id}
        return self._index[clause_id]

    def path_at(self, offset: int) -> list[Node]:
        """The nodes whose span contains an original offset, outermost first (the root excluded).

        A descent by binary search over each level's children (they are in document order and do not
        overlap): O(depth · log n), so per-clause and per-citation lookups stay linear overall.
        """
        out: list[Node] = []
        node = self.root
        while node.children:
            kids = node.children
            starts = self._starts.get(id(node))
            if starts is None or len(starts) != len(kids):
                starts = self._starts[id(node)] = [c.start for c in kids]
            i = bisect_right(starts, offset) - 1
            nxt = kids[i] if i >= 0 and kids[i].start <= offset < kids[i].end else None
            if nxt is None:  # children out of order or overlapping (a hand-built tree): scan them
                nxt = next((c for c in reversed(kids) if c.start <= offset < c.end), None)
            if nxt is None:
                break
            out.append(nxt)
            node = nxt
        return out

    def containing(self, offset: int, kinds: frozenset[NodeKind] | NodeKind) -> Node | None:
        """The innermost node of ``kinds`` containing an original offset."""
        ks = kinds if isinstance(kinds, frozenset) else frozenset({kinds})
        return next((n for n in reversed(self.path_at(offset)) if n.kind in ks), None)

    def clause_at(self, offset: int) -> Node | None:
        """The finest clause node containing an original offset."""
        return self.containing(offset, CLAUSE_KINDS)

    def article_of(self, node: Node) -> Node | None:
        """The 条 (or 点) containing a node."""
        return next((n for n in self.path_at(node.start) if n.kind in _UNIT_KINDS), None)
