"""Legality review as reviewers practise it (issue 14): who is burdened, and how.

Each analyser is a row of ``data/legality.json`` (restrictive conditions on access — 户籍, 无犯罪记录; burdens on
third parties — 连坐; exclusion of groups — 出嫁女; blanket or narrowed bans; sanctions heavier than the superior's;
押金/保证金 and extra proofs; decisions over the owners' common property; matters reserved to law — 通信秘密, 人身自由,
诉讼与仲裁; 强制执行 wording; licence phrasings and delegation of the licence power; duties pushed onto townships and
villages). A sentence of a clause matches a row when one of its ``match`` patterns and all of its ``with`` patterns
match and no ``unless`` pattern does. Rows marked ``conditional`` (lawful where superior law provides for the
measure) first look for the superior basis (:mod:`normcheck.checks.authority.basis`): a close basis drops the alarm,
a looser one lowers it and is cited ("上位法依据：…"), and an alarm without one lists the superior laws searched.

Abolished institutions and superseded terms (``data/abolished.json``: 劳动教养, 收容教育, 暂住证, 限期治理, 社会抚养费,
企业年检, 行政处分 after the 政务处分法, 具体行政行为 after the 2014 行政诉讼法) are reported as ``outdated_reference``
with what replaced them, for documents judged on or after the change.

Every finding's basis and evidence follow the document's kind and date: the substantive provision (宪法, 民法典,
行政强制法… numbered as in force on the date), then the review basis for the kind (``supervising``: 国办发〔2018〕37号
and 监督法 for 规范性文件, 立法法 for regulations and rules). Evidence text is the corpus article, or our summary
marked 〔摘要，非原文〕 where the corpus lacks the version.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from normcheck.checks import CheckContext, register
from normcheck.checks.authority.basis import Basis, find_basis, refs_evidence
from normcheck.checks.authority.check import own_spans
from normcheck.knowledge.legality import Abolished, Analyser, LegalityTables, legality
from normcheck.text.sentences import sentences
from normcheck.types.document import CLAUSE_KINDS, Document, Node
from normcheck.types.findings import Evidence, Finding, FindingType, Severity
from normcheck.types.law import Level

RULE_NAME = "legality"
_LOWER = {Severity.HIGH: Severity.MEDIUM, Severity.MEDIUM: Severity.LOW, Severity.LOW: Severity.LOW}
#: Confidence factor when a looser superior basis was found (the alarm is lowered, not dropped).
BASIS_FACTOR = 0.5


@dataclass(frozen=True, slots=True)
class Hit:
    """One analyser row matching one sentence: offsets into the analysed text."""

    row: Analyser
    start: int
    end: int
    sentence: str
    missing: tuple[str, ...] = ()


def _refers(sentence: str, end: int, tables: LegalityTables) -> bool:
    """The sentence rests the measure on superior law (依照《…》, 依法, 按照国家有关规定) before it ends."""
    return any((m := p.search(sentence)) is not None and m.start() < end for p in tables.refer)


def match_row(row: Analyser, sentence: str, tables: LegalityTables, title: str = "", lead: str = "") -> Hit | None:
    """The row's hit in one sentence (of a document titled ``title``; ``lead``: the lead-in of the article an item
    belongs to, which ``unless`` also reads — 不得有下列行为：…), or None."""
    if row.title is not None and not (row.title.search(sentence) or row.title.search(title)):
        return None
    m = None
    for p in row.match:
        m = p.search(sentence)
        if m:
            break
    if m is None:
        return None
    if any(p.search(sentence) is None for p in row.with_):
        return None
    if any(p.search(sentence) or (lead and p.search(lead)) for p in row.unless):
        return None
    if row.with_object is not None and row.with_object.search(sentence) is None:
        return None
    missing: tuple[str, ...] = ()
    if row.items:
        missing = tuple(label for label, pat in row.items if pat.search(sentence) is None)
        if len(missing) < row.min_missing:
            return None
    if row.conditional and _refers(sentence, m.end(), tables):
        return None
    return Hit(row=row, start=m.start(), end=m.end(), sentence=sentence, missing=missing)


def analyse_text(text: str, kind: str, tables: LegalityTables | None = None, title: str = "",
                 as_of: str = "9999-12-31", lead: str = "") -> list[Hit]:
    """Every analyser hit in ``text`` for a document of ``kind`` judged on ``as_of`` (offsets into ``text``); one
    per row."""
    tables = tables or legality()
    out: list[Hit] = []
    pieces = sentences(text)  # once per text, not once per row (issue 15)
    for row in tables.analysers:
        if kind not in row.kinds or (row.since is not None and as_of < row.since):
            continue
        for start, sent in (pieces if row.scope == "sentence" else [(0, text)]):
            hit = match_row(row, sent, tables, title, lead)
            if hit is not None:
                out.append(Hit(row=row, start=start + hit.start, end=start + hit.end, sentence=sent,
                               missing=hit.missing))
                break
    return out


def abolished_in(text: str, as_of: str, tables: LegalityTables | None = None,
                 title: str = "") -> list[tuple[Abolished, int, int]]:
    """(row, start, end) for abolished institutions and terms used in ``text`` (of a document titled ``title``) on
    or after their change."""
    tables = tables or legality()
    out = []
    pieces = sentences(text)
    for row in tables.abolished:
        if as_of < row.since or (row.title_unless is not None and title and row.title_unless.search(title)):
            continue
        for start, sent in pieces:
            m = row.pattern.search(sent)
            if m is None:
                continue
            if row.with_ is not None and row.with_.search(sent) is None:
                continue
            if row.unless is not None and row.unless.search(sent):
                continue
            out.append((row, start + m.start(), start + m.end()))
            break
    return out


def _pieces(doc: Document) -> list[tuple[Node, int, str, str]]:
    """(clause node, offset, its own text, the lead-in text of its parent clause) for every analysed piece."""
    out = []
    lead_of: dict[int, str] = {}
    for node in doc.root.walk():
        if node.kind not in CLAUSE_KINDS:
            continue
        spans = own_spans(node)
        lead_of.update({id(c): doc.original[spans[0][0]:spans[0][1]] if spans else "" for c in node.children})
        for s, e in spans:
            text = doc.original[s:e]
            if text.strip():
                out.append((node, s, text, lead_of.get(id(node), "")))
    return out


def _finding_for(ctx: CheckContext, kind: Level, node: Node, offset: int, text: str, hit: Hit,
                 tables: LegalityTables) -> Finding | None:
    row = hit.row
    sev = Severity(row.severity_for(kind.value))
    conf = row.confidence
    details: dict[str, Any] = {"analyser": row.id, "subtype": row.subtype, "kind": kind.value,
                               "matched": text[hit.start:hit.end], "principle": row.basis, "source": row.source}
    message = row.message.format(missing="、".join(hit.missing)) if hit.missing else row.message
    basis_ev: list[Evidence] = []
    if row.conditional:
        assert row.measure is not None
        found: Basis = find_basis(ctx, hit.sentence, row.measure, search=tables.basis_search)
        details.update(found.details())
        if found.strong:
            return None  # the superior law itself provides for this measure on this subject
        if found.evidence is not None:
            sev = _LOWER[sev]
            conf *= BASIS_FACTOR
            ev = found.evidence
            message += f"；上位法依据：{found.cite}（请核对是否覆盖本条的对象和条件）"
            basis_ev.append(ev)
        elif found.searched:
            message += f"；已检索上位法（{'、'.join(found.searched[:3])}等{found.scope}部）未见依据"
    refs = [tables.ref(r) for r in row.evidence]
    refs += [r for r in tables.supervising_for(kind.value, row.type, text) if r not in refs]
    evs, cites = refs_evidence(ctx, refs)
    basis = "；".join(cites) if cites else row.basis
    if basis_ev:
        basis = f"上位法依据：{basis_ev[0].law}{basis_ev[0].article}；{basis}"
    return Finding(type=FindingType(row.type), clause=node.id or node.label or None, start=offset + hit.start,
                   end=offset + hit.end, severity=sev, confidence=round(conf, 4), message=message, basis=basis,
                   evidence=basis_ev + evs, rule=RULE_NAME, details=details)


def _abolished_finding(ctx: CheckContext, kind: Level, node: Node, offset: int, text: str, row: Abolished,
                       start: int, end: int, tables: LegalityTables) -> Finding:
    ref = tables.ref(row.ref)
    evs, cites = refs_evidence(ctx, [ref])
    return Finding(type=FindingType.OUTDATED_REFERENCE, clause=node.id or node.label or None, start=offset + start,
                   end=offset + end, severity=Severity(row.severity), confidence=0.8,
                   message=f"使用已废止的制度或者已被取代的用语“{text[start:end]}”：{row.replaced_by}（自{row.since}起）",
                   basis="；".join(cites) or ref.short, evidence=evs, rule=RULE_NAME,
                   details={"analyser": f"abolished.{row.id}", "subtype": "abolished_regime", "kind": kind.value,
                            "matched": text[start:end],
                            "since": row.since, "replaced_by": row.replaced_by, "source": row.source})


def check_legality(ctx: CheckContext, tables: LegalityTables | None = None) -> list[Finding]:
    """The legality findings of one document (see module docstring)."""
    tables = tables or legality()
    kind = ctx.kind
    if kind is None or kind in (Level.OTHER, Level.CONSTITUTION, Level.LAW):
        return []
    findings: list[Finding] = []
    for node, offset, text, lead in _pieces(ctx.document):
        for hit in analyse_text(text, kind.value, tables, ctx.document.meta.title, ctx.as_of, lead):
            f = _finding_for(ctx, kind, node, offset, text, hit, tables)
            if f is not None:
                findings.append(f)
        for row, s, e in abolished_in(text, ctx.as_of, tables, ctx.document.meta.title):
            findings.append(_abolished_finding(ctx, kind, node, offset, text, row, s, e, tables))
    findings.sort(key=lambda f: (f.start, f.end, f.type.value))
    return findings


@register(RULE_NAME)
def legality_check(ctx: CheckContext) -> list[Finding]:
    return check_legality(ctx)
