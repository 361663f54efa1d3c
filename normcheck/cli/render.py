"""Structure output for ``normcheck segment``: documents as dicts (JSON) or as an indented tree.

Pure functions; the CLI prints what they return.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from typing import Any

from normcheck.errors import Code, NormcheckError
from normcheck.types.document import Document, Node, NodeKind

#: Output formats of :func:`render`.
OUTPUT_FORMATS = ("json", "tree")

_TEXT_KINDS = frozenset({NodeKind.PREAMBLE, NodeKind.ARTICLE, NodeKind.PARAGRAPH, NodeKind.ITEM,
                         NodeKind.SUBITEM, NodeKind.POINT})


def node_to_dict(doc: Document, node: Node) -> dict[str, Any]:
    d: dict[str, Any] = {"kind": node.kind.name.lower(), "start": node.start, "end": node.end}
    for key in ("id", "label", "heading"):
        value = getattr(node, key)
        if value:
            d[key] = value
    if node.number is not None:
        d["number"] = node.number
    if node.suffix:
        d["suffix"] = node.suffix
    if node.kind in _TEXT_KINDS:
        d["text"] = doc.node_text(node)
    if node.children:
        d["children"] = [node_to_dict(doc, c) for c in node.children]
    return d


def _warnings(doc: Document) -> list[Any]:
    """What reading left on the document, then the drafting issues (numbering, 施行 date) of its tree."""
    from normcheck.checks.drafting import drafting_issues

    return [*doc.warnings, *drafting_issues(doc)]


def document_to_dict(doc: Document) -> dict[str, Any]:
    """The structure of one document: path, metadata, warnings, tree, clause IDs."""
    return {
        "path": doc.path,
        "meta": asdict(doc.meta),
        "warnings": [{"code": w.code, "message": w.message, "start": w.start, "end": w.end}
                     for w in _warnings(doc)],
        "clauses": [n.id for n in doc.clauses()],
        "tree": node_to_dict(doc, doc.root),
        "error": None,
    }


def render_tree(doc: Document, width: int = 40) -> str:
    """An indented outline: one line per node with its ID/label, heading and a text excerpt."""
    lines = [f"{doc.path or '<text>'}  《{doc.meta.title}》" if doc.meta.title else (doc.path or "<text>")]

    def walk(node: Node, depth: int) -> None:
        for child in node.children:
            name = child.id or (child.label + (" " + child.heading if child.heading else "")) or child.kind.value
            text = doc.node_text(child).replace("\n", " ")
            excerpt = text[:width] + ("…" if len(text) > width else "")
            lines.append(f"{'  ' * depth}{child.kind.value} {name}  [{child.start}:{child.end}]  {excerpt}")
            walk(child, depth + 1)

    walk(doc.root, 1)
    for w in _warnings(doc):
        lines.append(f"  ! {w.code}: {w.message}")
    return "\n".join(lines)


def segment_paths(paths: Iterable[str | os.PathLike[str]]) -> Iterator[tuple[str, Document | None,
                                                                              NormcheckError | None]]:
    """Segment files one by one; a file that cannot be read yields its error and the batch goes on.

    Folders are walked recursively for .txt/.md/.docx files (``_index.md`` skipped).
    """
    from normcheck.structure.load import read_document

    for path in _expand(paths):
        try:
            yield path, read_document(path), None
        except NormcheckError as exc:
            yield path, None, exc
        except (RecursionError, MemoryError, IndexError, KeyError, TypeError, AttributeError) as exc:
            yield path, None, NormcheckError(Code.INTERNAL, f"internal error ({type(exc).__name__}): please "
                                             "report it with the file", path)


def _expand(paths: Iterable[str | os.PathLike[str]]) -> Iterator[str]:
    for p in paths:
        s = os.fspath(p)
        if os.path.isdir(s):
            for dirpath, dirnames, filenames in os.walk(s):
                dirnames.sort()
                for f in sorted(filenames):
                    if f.lower().endswith((".txt", ".md", ".docx")) and f != "_index.md":
                        yield os.path.join(dirpath, f)
        else:
            yield s


def render(paths: Iterable[str | os.PathLike[str]], fmt: str = "json") -> Iterator[tuple[str, bool]]:
    """``(chunk, ok)`` per input: a JSON line or a tree outline, and whether the file was read."""
    import json

    if fmt not in OUTPUT_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(OUTPUT_FORMATS)}")
    for path, doc, err in segment_paths(paths):
        if doc is not None:
            if fmt == "json":
                yield json.dumps(document_to_dict(doc), ensure_ascii=False), True
            else:
                yield render_tree(doc), True
        else:
            assert err is not None
            if fmt == "json":
                yield json.dumps({"path": path, "error": err.to_dict()}, ensure_ascii=False), False
            else:
                yield f"{path}\n  error {err}", False
