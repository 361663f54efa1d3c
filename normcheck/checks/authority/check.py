"""Authority checks (设定权): may this issuer, at this level, enact what this clause does?

For every clause the analyser (``normcheck.checks.authority.acts``) lists the acts it *sets* (penalties, licences,
compulsory measures, reserved matters, obligations, fees); each is looked up in the 设定权 table
(``data/authority.json``) for the document's kind. Fines set by government rules are compared with the
provincial standing committee's limit (``fine_limits``). Evidence is the superior article's text from
the corpus when one is given, else the article address with an empty text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from normcheck.checks import CheckContext, register
from normcheck.checks.authority.acts import SETTING_FAMILIES, Act, analyze_clause
from normcheck.knowledge import confidence, message, penalties, severities
from normcheck.knowledge.authority import AuthorityTables, Rule, Signals, authority_tables, signals
from normcheck.text.numerals import int_to_cn
from normcheck.types.document import CLAUSE_KINDS, Document, Node, NodeKind
from normcheck.types.findings import Evidence, Finding, FindingType, Severity
from normcheck.types.law import Level

RULE_NAME = "authority"
FAMILY_TYPE = {
    "penalty": FindingType.PENALTY_SETTING,
    "license": FindingType.LICENSE_SETTING,
    "compulsion": FindingType.COMPULSION_SETTING,
    "reserved": FindingType.RESERVED_MATTER,
    "obligation": FindingType.RIGHTS_OBLIGATIONS,
    "fee": FindingType.FEE_SETTING,
}
_FAMILY_CN = {"penalty": "行政处罚", "license": "行政许可", "compulsion": "行政强制", "reserved": "法律保留事项",
              "obligation": "减损权利或增加义务的规范", "fee": "收费"}
_CONFIDENCE = confidence("authority")  # data/confidence.json
_LOWER = {Severity.HIGH: Severity.MEDIUM, Severity.MEDIUM: Severity.LOW, Severity.LOW: Severity.LOW}
#: Generic obligation wording (应当/不得 on citizens) is worth a look, never an alarm on its own.
_WEAK_TYPES = {"义务": Severity.LOW}
#: A ；-piece is searched for a basis on its own only with at least this many informative bigrams (a short piece
#: matches unrelated articles by a few common words).
_PIECE_GRAMS = 8


def _weight(s: Severity) -> float:
    """The severity's weight (data/severities.json), to keep the graver of two."""
    return severities().weights[s.value]


@dataclass(slots=True)
class _Hit:
    node: Node
    rule: Rule
    acts: list[Act]
    offset: int  # original offset of the analysed text
    severity: Severity
    confidence: float
    extra: str
    details: dict[str, Any]


def own_spans(node: Node) -> list[tuple[int, int]]:
    """The parts of a clause node's span not covered by its clause children (an article's lead-in text
    before its items, for instance), so every character is analysed exactly once."""
    kids = sorted((c for c in node.children if c.kind in CLAUSE_KINDS), key=lambda c: c.start)
    spans: list[tuple[int, int]] = []
    pos = node.start
    for c in kids:
        if c.start > pos:
            spans.append((pos, c.start))
        pos = max(pos, c.end)
    if pos < node.end:
        spans.append((pos, node.end))
    return [(s, e) for s, e in spans if e > s]


def _label(node: Node) -> str:
    return node.id or node.label or ""


def _fine_check(act: Act, ctx: CheckContext, tables: AuthorityTables) -> tuple[Severity, str, dict[str, Any]] | None:
    """For a fine set by a government rule: compare with the provincial limit; None when within it."""
    lim = tables.fine_limit(ctx.region, ctx.as_of)
    if lim is None:
        return None
    if act.amount_max is None:
        if act.multiple_max is not None:
            note = message("authority.fine_multiple", region=lim.region, general=lim.general, special=lim.special)
            return Severity.LOW, note, {"fine_limit": lim.basis, "limit_source": lim.source}
        return None
    if act.amount_max <= lim.general:
        return None
    sev = Severity.MEDIUM if act.amount_max <= lim.special else Severity.HIGH
    extra = (message("authority.fine_over", amount=act.amount_max, basis=lim.basis, general=lim.general)
             + (f"（{lim.special_matters}方面可至{lim.special}元）" if act.amount_max <= lim.special
                else f"及特定事项限额{lim.special}元"))
    return sev, extra, {"fine_limit": lim.basis, "limit_source": lim.source, "limit_general": lim.general,
                        "limit_special": lim.special, "fine_max": act.amount_max}


def _decide(act: Act, kind: Level, ctx: CheckContext, tables: AuthorityTables
            ) -> tuple[Rule, Severity, float, str, dict[str, Any]] | None:
    rule = tables.rule_for(act.family, act.type, kind)
    if rule is None or rule.outcome == "allowed":
        return None
    details: dict[str, Any] = {"table_row": rule.id}
    extra = ""
    sev = Severity(rule.severity)
    conf = _CONFIDENCE["by_outcome"][rule.outcome]
    if rule.outcome == "limited":
        if act.type != penalties().fine_type or kind not in (Level.PROVINCIAL_RULE, Level.MUNICIPAL_RULE):
            return None
        got = _fine_check(act, ctx, tables)
        if got is None:
            return None
        sev, extra, more = got
        details.update(more)
        details["relied_on"] = message("authority.fine_relied_on")
    if act.type in _WEAK_TYPES:
        sev = min(sev, _WEAK_TYPES[act.type], key=_weight)
        conf = min(conf, _CONFIDENCE["weak_type_cap"])
    if act.deferred:
        sev = _LOWER[sev]
        conf *= _CONFIDENCE["deferred_factor"]
        details["deferred"] = "条款规定“法律、法规另有规定的，从其规定”"
    return rule, sev, conf, extra, details


def _evidence(ctx: CheckContext, rule: Rule, tables: AuthorityTables) -> list[Evidence]:
    key = f"authority.evidence.{rule.law}.{rule.article}.{rule.paragraph}.{ctx.as_of}"
    if key in ctx.cache:
        return list(ctx.cache[key])
    law_info = tables.laws.get(rule.law, {})
    full = law_info.get("name", rule.law)
    changed_on = law_info.get("changed_on")
    number = rule.article_number(ctx.as_of, changed_on)
    article = f"第{int_to_cn(number)}条" if number else ""
    ev: Evidence | None = None
    if ctx.corpus is not None and number:
        try:
            ev = _corpus_evidence(ctx, rule, full, changed_on)
        except Exception:  # a broken corpus must not lose the finding
            pass
    if ev is None:  # never an empty quotation (issue 14): a marked summary of that numbering, else the address
        from normcheck.checks.authority.basis import summary_evidence
        from normcheck.knowledge.legality import ADDRESS_MARK

        ev = summary_evidence(ctx, rule.law, number, rule.paragraph)
        if ev is None:
            ev = Evidence(law=full, version=None, article=article,
                          text=ADDRESS_MARK + rule.basis(ctx.as_of, changed_on))
    out = [ev]
    ctx.cache[key] = out
    return list(out)


def _corpus_evidence(ctx: CheckContext, rule: Rule, full: str, changed_on: str | None) -> Evidence | None:
    laws = ctx.corpus.find_laws(full) or ctx.corpus.find_laws(rule.law)
    laws = [law for law in laws if not law.region] or laws
    if not laws:
        return None
    law = laws[0]
    version = ctx.corpus.version_in_force(law.id, ctx.as_of)
    number = rule.article_number(ctx.as_of, changed_on)
    if version is None:  # the version in force then is not in the corpus: no text of another version (issue 14)
        return None
    art = ctx.corpus.article(law.id, version.version, number)
    if art is None:
        return None
    text = art.text
    if rule.paragraph and len(art.paragraphs) >= rule.paragraph:
        text = art.paragraphs[rule.paragraph - 1]
    return Evidence(law=law.name, version=version.version, article=art.label or f"第{int_to_cn(number)}条",
                    text=text)


def _message(kind: Level, rule: Rule, acts: list[Act], extra: str) -> str:
    types = "、".join(dict.fromkeys(a.type for a in acts))
    verb = {"forbidden": "设定了", "conditional": "设定了", "limited": "设定了"}[rule.outcome]
    msg = f"{kind.chinese}{verb}{_FAMILY_CN[rules_family(rule)]}（{types}）"
    if rule.outcome == "forbidden":
        msg += f"，超出其设定权：{rule.note}"
    elif rule.outcome == "conditional":
        msg += f"，仅在上位法范围内或符合条件时合法：{rule.note}"
    if extra:
        msg += f"；{extra}"
    return msg


def _widen(text: str, start: int, end: int, stops: str) -> tuple[int, int]:
    """``[start, end)`` widened to the nearest ``stops`` characters on both sides (the end one included)."""
    s = start
    while s > 0 and text[s - 1] not in stops:
        s -= 1
    e = end
    while e < len(text) and text[e] not in stops:
        e += 1
    return s, e + 1


def _sentences_of(text: str, start: int, end: int) -> str:
    """The sentences (。) of ``text`` that ``[start, end)`` touches; the whole text when they are very short."""
    s, e = _widen(text, start, end, "。\n")
    got = text[s:e]
    return got if len(got.strip()) >= 20 else text


def _piece_of(text: str, start: int, end: int) -> str:
    """The ；-piece of ``text`` that ``[start, end)`` lies in ("" when it spans several or is very short): one
    provision of a sentence that lists several (研究开发费用…；…加速折旧；…技术转让所得，可以免征、减征企业所得税)."""
    if any(ch in "；;" for ch in text[start:end]):
        return ""
    s, e = _widen(text, start, end, "。；;\n")
    got = text[s:e]
    return got if len(got.strip()) >= 12 else ""


def _own_provision(piece: str) -> bool:
    """Whether a ；-piece states a provision of its own: not a follow-on of the piece before (逾期不改正的…, 情节严重的…
    punish the conduct named there) and with enough informative words to be matched on its own."""
    from normcheck.checks.authority.basis import informative_grams
    from normcheck.knowledge.legality import legality

    tables = legality()
    if tables.measures is not None and tables.measures.follow_on.match(piece.lstrip()):
        return False
    return len(informative_grams(piece, tables.basis_search.generic)) >= _PIECE_GRAMS


def _rank(b: Any) -> tuple[int, float]:
    """Strong basis first, then any basis by shared share, then none."""
    return (2 if b.strong else 1 if b.evidence is not None else 0, b.shared)


def _setting_basis(ctx: CheckContext, hit: _Hit, tables: AuthorityTables
                   ) -> tuple[Severity, float, dict[str, Any], list[Evidence], str] | None:
    """For a 设定权 row on penalties, compulsory measures or reserved matters: whether its rule was in force on the
    document's date, then the superior provision that provides the same measure on the same matter — a restatement
    (strong basis) raises nothing, a likely one is low and cites it; None = no finding.

    Each sentence (。) holding the row's acts is searched on its own (威胁、侮辱…处拘留。殴打…处拘留。 restate two
    superior articles), and also the one ；-piece that holds its acts when the sentence lists several provisions; the
    alarm drops only when every sentence has a strong basis and is low when every sentence has one."""
    from normcheck.checks.authority.basis import measure_basis
    from normcheck.knowledge.legality import legality

    since = legality().in_force_from(hit.rule.law)
    if since and ctx.as_of < since:  # 行政强制法 from 2012-01-01, 立法法 from 2000-07-01, 行政处罚法 from 1996-10-01
        note = f"（{hit.rule.law}自{since}起施行，文件日期{ctx.as_of}在此之前，本设定权规则当时尚不存在）"
        return Severity.LOW, hit.confidence * 0.5, {"rule_not_in_force": since}, [], note
    node_text = ctx.document.original[hit.node.start:hit.node.end]
    rel = hit.offset - hit.node.start
    groups: dict[str, list[Act]] = {}
    for a in hit.acts:
        groups.setdefault(_sentences_of(node_text, rel + a.start, rel + a.end), []).append(a)
    found = []
    for sentence, acts in groups.items():
        texts = [sentence]
        piece = _piece_of(node_text, rel + min(a.start for a in acts), rel + max(a.end for a in acts))
        if piece and piece.strip() != sentence.strip() and _own_provision(piece):
            texts.append(piece)
        got = [measure_basis(ctx, t, [a.type for a in acts], [a.text for a in acts]) for t in texts]
        found.append(max(got, key=_rank))
    if all(b.strong for b in found):
        return None
    if all(b.evidence is not None for b in found):
        sup = next(b for b in found if not b.strong)
        return (Severity.LOW, hit.confidence * 0.5, sup.details(), [sup.evidence],  # type: ignore[list-item]
                f"；上位法依据：{sup.cite}（条文规定同一措施，本条可能是重申）")
    sup = next(b for b in found if b.evidence is None)
    return hit.severity, hit.confidence, sup.details(), [], ""


def rules_family(rule: Rule) -> str:
    return rule.act


def analyze_document(doc: Document) -> list[tuple[Node, int, Any]]:
    """(clause node, original offset, ClauseActs) for every analysed piece of every clause."""
    out = []
    for node in doc.root.walk():
        if node.kind not in CLAUSE_KINDS:
            continue
        for s, e in own_spans(node):
            text = doc.original[s:e]
            if not text.strip():
                continue
            out.append((node, s, analyze_clause(text)))
    return out


def parents(doc: Document) -> dict[int, Node]:
    """id(node) -> its parent node."""
    out: dict[int, Node] = {}
    stack = [doc.root]
    while stack:
        n = stack.pop()
        for c in n.children:
            out[id(c)] = n
            stack.append(c)
    return out


def lead_in(doc: Document, node: Node) -> str:
    """The text a node has before its first clause child (有下列行为之一的，… before the items)."""
    kids = [c.start for c in node.children if c.kind in CLAUSE_KINDS]
    return doc.original[node.start:min(kids)] if kids else ""


def describes(doc: Document, node: Node, text: str, up: dict[int, Node], sig: Signals | None = None) -> str:
    """Why a clause speaks *about* penalties, compulsory measures or reserved matters without setting any (the kind
    of clause matters, issue 14): a purpose, scope or definition clause, or an item of a list of conduct or
    situations (下列行为/情形/人员) or an item that is itself a condition (…的). "" when none applies."""
    sig = sig or signals()
    parent = up.get(id(node))
    head = lead_in(doc, parent) if parent is not None and parent.kind in CLAUSE_KINDS else ""
    article = node
    while article.kind not in (NodeKind.ARTICLE, NodeKind.POINT) and id(article) in up:
        article = up[id(article)]
    art_text = doc.original[article.start:article.end] if article is not node else text
    for p in sig.clause_describes:
        if p.search(text) or (head and p.search(head)) or p.search(art_text[:200]):
            return "purpose, scope or definition clause"
    if node.kind in (NodeKind.ITEM, NodeKind.SUBITEM):
        if text.rstrip("。；;，,：: \n　").endswith("的"):
            return "a list item that states a condition (…的)"
        if head and any(p.search(head) for p in sig.list_describes) and not re.search(r"的[，,]", text):
            return "an item of a list of conduct or situations"
    return ""


def check_authority(ctx: CheckContext, tables: AuthorityTables | None = None) -> list[Finding]:
    """The authority findings of one document (see module docstring)."""
    tables = tables or authority_tables()
    doc = ctx.document
    kind = ctx.kind  # inferred once, by the pipeline, when the caller gave none
    if kind is None or kind in (Level.OTHER, Level.JUDICIAL_INTERPRETATION):
        return []
    hits: dict[tuple[int, str, str], _Hit] = {}
    up = parents(doc)
    sig = signals()
    for node, offset, acts in analyze_document(doc):
        setting = acts.setting()
        if any(a.family in SETTING_FAMILIES for a in setting) and describes(
                doc, node, doc.original[offset:offset + len(acts.text)], up, sig):
            setting = [a for a in setting if a.family not in SETTING_FAMILIES]
        for act in setting:
            got = _decide(act, kind, ctx, tables)
            if got is None:
                continue
            rule, sev, conf, extra, details = got
            key = (node.start, rule.id, extra)
            hit = hits.get(key)
            if hit is None:
                hits[key] = _Hit(node, rule, [act], offset, sev, conf, extra, details)
            else:
                hit.acts.append(act)
                if _weight(sev) > _weight(hit.severity):
                    hit.severity = sev
                hit.confidence = max(hit.confidence, conf)
    findings = []
    law_info = tables.laws
    for hit in hits.values():
        changed_on = law_info.get(hit.rule.law, {}).get("changed_on")
        start = hit.offset + min(a.start for a in hit.acts)
        end = hit.offset + max(a.end for a in hit.acts)
        details = dict(hit.details)
        details["acts"] = [{"type": a.type, "text": a.text, "start": hit.offset + a.start,
                            "end": hit.offset + a.end} for a in hit.acts]
        details["kind"] = kind.value
        severity, conf, message = hit.severity, hit.confidence, _message(kind, hit.rule, hit.acts, hit.extra)
        lead: list[Evidence] = []
        if hit.rule.act in SETTING_FAMILIES and hit.rule.outcome in ("forbidden", "conditional"):
            sb = _setting_basis(ctx, hit, tables)  # issue 14: the rule's date, then the superior basis
            if sb is None:
                continue
            severity, conf, more, lead, note = sb
            details.update(more)
            message += note
        elif hit.rule.outcome == "conditional":  # superior basis first (issue 14): cite it, or say what was searched
            from normcheck.checks.authority.basis import conditional_basis

            sup = conditional_basis(ctx, ctx.document.original[hit.node.start:hit.node.end], [a.text for a in hit.acts])
            if sup.strong:
                continue
            details.update(sup.details())
            if sup.evidence is not None:
                severity, conf = _LOWER[severity], conf * 0.5
                message += f"；上位法依据：{sup.cite}"
                lead = [sup.evidence]
        findings.append(Finding(
            type=FAMILY_TYPE[hit.rule.act], clause=_label(hit.node) or None, start=start, end=end,
            severity=severity, confidence=round(conf, 4), message=message,
            basis=hit.rule.basis(ctx.as_of, changed_on), evidence=lead + _evidence(ctx, hit.rule, tables),
            rule=RULE_NAME, details=details))
    from normcheck.checks.authority.penalty import compulsion_findings, penalty_findings

    against = penalty_findings(ctx) + compulsion_findings(ctx)  # against the superior article (issue 14)
    added = [(f.start, f.end) for f in against if f.details.get("subtype") == "penalty_type_added"]
    if added:  # one problem, one finding: the comparison with the superior article replaces the generic alarm
        findings = [f for f in findings if not (f.type == FindingType.PENALTY_SETTING and "searched" in f.details
                                                and any(f.start < e and s < f.end for s, e in added))]
    findings += against
    findings.sort(key=lambda f: (f.start, f.end, f.type.value))
    return findings


@register(RULE_NAME)
def authority(ctx: CheckContext) -> list[Finding]:
    return check_authority(ctx)
