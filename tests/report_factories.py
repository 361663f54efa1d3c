"""Small factories for rank/report/batch tests: hand-made Documents, Findings and Results.

Texts are invented for the tests (no statute text). Independent of normcheck.structure.segment.
"""

from __future__ import annotations

from normcheck.text.numerals import int_to_cn
from normcheck.types.document import Document, DocumentMeta, Node, NodeKind, OffsetMap
from normcheck.types.findings import ClauseResult, DocumentInfo, Evidence, Finding, FindingType, Result, Severity

Para = str | tuple[str, list[str]]


def make_doc(title: str, articles: list[list[Para]], path: str | None = None) -> Document:
    """A Document of ``articles``; each article a list of paragraphs; a paragraph is text or
    (text, [item texts]). IDs follow 第N条 / 第N条第M款 / 第N条第M款第（K）项."""
    parts: list[str] = [title, "\n"]
    pos = len(title) + 1
    root = Node(NodeKind.DOCUMENT, 0, 0)
    root.children.append(Node(NodeKind.PREAMBLE, 0, len(title)))
    for a, paras in enumerate(articles, start=1):
        aid = f"第{int_to_cn(a)}条"
        art = Node(NodeKind.ARTICLE, pos, pos, number=a, label=aid, id=aid)
        for m, para in enumerate(paras, start=1):
            text, items = (para, []) if isinstance(para, str) else para
            prefix = f"{aid}　" if m == 1 else ""
            pid = f"{aid}第{int_to_cn(m)}款" if len(paras) > 1 else aid
            line = prefix + text + "\n"
            pnode = Node(NodeKind.PARAGRAPH, pos, pos + len(line) - 1, number=m, id=pid)
            parts.append(line)
            pos += len(line)
            for k, item in enumerate(items, start=1):
                iline = f"（{int_to_cn(k)}）{item}\n"
                pnode.children.append(Node(NodeKind.ITEM, pos, pos + len(iline) - 1, number=k,
                                           label=f"（{int_to_cn(k)}）", id=f"{pid}第（{int_to_cn(k)}）项"))
                parts.append(iline)
                pos += len(iline)
                pnode.end = pos - 1
            if len(paras) > 1:
                art.children.append(pnode)
            else:
                art.children.extend(pnode.children)
        art.end = pos - 1
        root.children.append(art)
    text = "".join(parts)
    root.end = len(text)
    return Document(original=text, text=text, offsets=OffsetMap.identity(len(text)), root=root,
                    meta=DocumentMeta(title=title), path=path)


def finding(clause: str | None, start: int = 0, end: int = 0, *, type: str = "penalty_setting",
            severity: str = "high", confidence: float = 0.9, message: str = "测试发现",
            basis: str = "某法第十条", evidence_text: str = "上位条文（测试用虚构文本）") -> Finding:
    return Finding(type=FindingType(type), clause=clause, start=start, end=end, severity=Severity(severity),
                   confidence=confidence, message=message, basis=basis,
                   evidence=[Evidence(law="某某法", version="2021-01-22", article="第十条", text=evidence_text)])


def result_for(doc: Document, findings: list[Finding], *, path: str | None = None, sha: str = "0" * 64,
               error: dict[str, str] | None = None) -> Result:
    from normcheck.rank.score import rank

    info = DocumentInfo(path=path or doc.path, title=doc.meta.title, kind="municipal_rule", kind_inferred=False,
                        as_of="2026-11-28", region="上海", sha256=sha)
    res = Result(document=info, findings=findings, error=error)
    if error is None:
        rank(res, doc)
    return res


def simple_result(title: str = "某市测试管理办法", n: int = 3) -> tuple[Document, Result]:
    doc = make_doc(title, [[f"测试条文{i}，应当遵守。"] for i in range(1, n + 1)])
    clause = doc.clause("第二条")
    res = result_for(doc, [finding("第二条", clause.start, clause.end)])
    return doc, res


__all__ = ["ClauseResult", "finding", "make_doc", "result_for", "simple_result"]
