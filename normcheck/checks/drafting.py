"""Check ``drafting``: numbering gaps/duplicates/order, malformed items, missing 施行 date.

:func:`drafting_issues` reads them off the segmented tree and metadata (a pure function, also used by
``normcheck segment`` to list them); the check turns them into low-severity findings (basis 立法技术规范).
"""

from __future__ import annotations

from dataclasses import dataclass

from normcheck.checks import CheckContext, register
from normcheck.knowledge import confidence
from normcheck.text.numerals import int_to_cn
from normcheck.types.document import Document, Node, NodeKind
from normcheck.types.findings import Finding, FindingType, Severity

BASIS = "立法技术规范"

#: Confidence per issue code (data/confidence.json): numbering facts are certain; a missing 施行 date may
#: sit elsewhere (e.g. in the issuing notice), so it is less sure.
CONFIDENCE = confidence("drafting")["by_code"]

@dataclass(frozen=True, slots=True)
class DraftingIssue:
    """A numbering or drafting irregularity (立法技术规范).

    ``code``: ``numbering_gap`` | ``numbering_duplicate`` | ``numbering_order`` | ``malformed_item`` |
    ``missing_effective_date``. ``clause``: the clause ID concerned (None for the document).
    Offsets are into the original text.
    """

    code: str
    message: str
    clause: str | None
    start: int
    end: int


def _seq_issues(nodes: list[Node], unit: str, where: str) -> list[DraftingIssue]:
    out: list[DraftingIssue] = []
    prev: tuple[int, int] | None = None
    for node in nodes:
        cur = (node.number or 0, node.suffix)
        label = node.label or unit
        clause = node.id or None
        if prev is None:
            if cur[0] > 1:
                out.append(DraftingIssue("numbering_gap", f"{where}编号从{label}开始，缺少前面的{unit}",
                                         clause, node.start, node.end))
        elif cur == prev:
            out.append(DraftingIssue("numbering_duplicate", f"{where}{label}编号重复", clause,
                                     node.start, node.end))
        elif cur < prev:
            out.append(DraftingIssue("numbering_order", f"{where}{label}编号顺序颠倒或重新开始（前一{unit}为第"
                                     f"{int_to_cn(prev[0])}{unit}）", clause, node.start, node.end))
        elif cur[1] == 0 and cur[0] > prev[0] + 1:
            missing = f"第{int_to_cn(prev[0] + 1)}{unit}" + (
                f"至第{int_to_cn(cur[0] - 1)}{unit}" if cur[0] - 1 > prev[0] + 1 else "")
            out.append(DraftingIssue("numbering_gap", f"{where}编号不连续：缺少{missing}", clause,
                                     node.start, node.end))
        elif cur[1] > 0 and (cur[0] != prev[0] or cur[1] != prev[1] + 1) and not (
                cur[0] == prev[0] and cur[1] == prev[1] + 1):
            if not (cur[0] == prev[0] and prev[1] == 0 and cur[1] == 1):
                out.append(DraftingIssue("numbering_gap", f"{where}{label}编号不连续", clause,
                                         node.start, node.end))
        prev = cur
    return out


def _heading_issues(doc: Document, kind: NodeKind, unit: str) -> list[DraftingIssue]:
    """编/章/节 may number continuously through the document or restart at 一 under each parent."""
    seq: list[tuple[Node, Node]] = []

    def walk(parent: Node) -> None:
        for c in parent.children:
            if c.kind == kind:
                seq.append((parent, c))
            walk(c)

    walk(doc.root)
    out: list[DraftingIssue] = []
    run: list[Node] = []
    last_parent: Node | None = None
    for parent, node in seq:
        if run and parent is not last_parent and node.number == 1:
            out += _seq_issues(run, unit, "")
            run = []
        run.append(node)
        last_parent = parent
    if run:
        out += _seq_issues(run, unit, "")
    return out


def drafting_issues(doc: Document) -> list[DraftingIssue]:
    """Numbering gaps, duplicates and order errors of 条/章/节/项/目 and points, malformed items, and
    a missing 施行 date (documents with articles only). Pure function of the tree and metadata."""
    out: list[DraftingIssue] = []
    articles = [n for n in doc.root.walk() if n.kind == NodeKind.ARTICLE]
    out += _seq_issues(articles, "条", "")
    points = [n for n in doc.root.walk() if n.kind == NodeKind.POINT]
    out += _seq_issues(points, "点", "")
    for kind, unit in ((NodeKind.PART, "编"), (NodeKind.SUBPART, "分编"), (NodeKind.CHAPTER, "章"),
                       (NodeKind.SECTION, "节")):
        out += _heading_issues(doc, kind, unit)
    for parent in doc.root.walk():
        items = [c for c in parent.children if c.kind == NodeKind.ITEM]
        subs = [c for c in parent.children if c.kind == NodeKind.SUBITEM]
        for group, unit in ((items, "项"), (subs, "目")):
            if not group:
                continue
            where = f"{parent.id}中" if parent.id else ""
            out += _seq_issues(group, unit, where)
            styles = {_label_style(c.label) for c in group}
            if len(styles) > 1:
                out.append(DraftingIssue("malformed_item", f"{where}{unit}的序号格式不统一（"
                                         + "、".join(c.label for c in group[:4]) + "）",
                                         group[0].id or None, group[0].start, group[-1].end))
    if articles and not doc.meta.effective and "施行" not in doc.text and "生效" not in doc.text:
        last = articles[-1]
        out.append(DraftingIssue("missing_effective_date",
                                 "文件未规定施行日期（通常在最后一条写明“自X年X月X日起施行”）",
                                 last.id or None, last.start, last.end))
    out.sort(key=lambda i: (i.start, i.code))
    return out


def _label_style(label: str) -> str:
    if label.startswith("（"):
        return "（）"
    if label.startswith("("):
        return "()"
    if label.endswith("、"):
        return "、"
    return "."


@register("drafting")
def check_drafting(ctx: CheckContext) -> list[Finding]:
    out = []
    for issue in drafting_issues(ctx.document):
        out.append(Finding(
            type=FindingType.DRAFTING,
            clause=issue.clause,
            start=issue.start,
            end=issue.end,
            severity=Severity.LOW,
            confidence=CONFIDENCE.get(issue.code, confidence("drafting")["default"]),
            message=issue.message,
            basis=BASIS,
            rule=f"drafting.{issue.code}",
        ))
    return out
