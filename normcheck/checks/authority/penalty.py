"""Penalties and compulsory measures measured against the superior article for the same conduct (issue 14).

A regulation or rule that punishes conduct which a superior law already punishes must stay within that law's
behaviour, penalty types and fine range (行政处罚法 2021 第十一条第二款、第十二条第二款、第十三条第一款、第十四条第一款;
1996 第十条至第十三条). For every sentence of an article that sets a penalty (the analyser's acts, not a reference
to superior law), :func:`penalty_findings` takes the conduct it punishes (the words before the disposition, the items
of a 有下列行为之一的 list, or the article an internal 违反本条例第X条 points to), retrieves the superior *penalty*
articles in force on the document's date (the consistency stage's index, restricted to articles that name a
penalty) and keeps the best one that shares enough of the conduct's informative bigrams. Against it:

- a fine whose whole range lies below the superior's lowest fine, or whose lower bound does (低于上位法幅度);
- a fine above the superior's highest fine (超出上位法幅度);
- a penalty type of a family the superior article does not have (声誉罚, 罚款, 没收, 资格罚, 行为罚, 人身罚).

Fines per unit or per day (每平方米, 按日) are not compared; nor are money and multiples (违法所得一倍以上…).

:func:`compulsion_findings`: a local regulation that sets 查封 or 扣押 (行政强制法 第十条第三款 allows only these two,
only for local affairs where no law or administrative regulation exists, and 第十一条第一款 forbids widening what a
law provides): where a superior provision on the same matter provides for the measure, it is the basis (no alarm);
where a superior article regulates the same matter without any such measure, the clause goes beyond it; 扣押 of
papers (证件, 执照) is not 扣押财物.

Every finding cites the superior article it compared with (its corpus text) and the 行政处罚法/行政强制法 provision
numbered as in force on the document's date.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from normcheck.checks import CheckContext
from normcheck.checks.authority.acts import Act, analyze_clause
from normcheck.checks.authority.basis import refs_evidence, shared_share
from normcheck.knowledge import penalties
from normcheck.knowledge.legality import LegalityTables, SuperiorMeasures, legality
from normcheck.text.numerals import cn_to_int, int_to_cn
from normcheck.text.sentences import sentences
from normcheck.types.document import Document, Node, NodeKind
from normcheck.types.findings import Evidence, Finding, FindingType, Severity
from normcheck.types.law import Level

RULE_NAME = "authority"
_LOWER = {Severity.HIGH: Severity.MEDIUM, Severity.MEDIUM: Severity.LOW, Severity.LOW: Severity.LOW}
_LIST = re.compile(r"下列(行为|情形)之一")
_INTERNAL = re.compile(r"违反本(?:条例|办法|规定|细则|法|实施办法)第([一二三四五六七八九十百零〇]+)条"
                       r"(?:第([一二三四五六七八九十]+)款)?")
_PREFIX = re.compile(r"^\s*(第[一二三四五六七八九十百零〇]+条(之[一二三四五六七八九十]+)?)?\s*"
                     r"([（(][一二三四五六七八九十\d]+[）)])?\s*(违反本(条例|办法|规定|细则|法|实施办法)[^，。；]{0,20}?规定[，,]?)?")
_ITEM_LABEL = re.compile(r"^\s*[（(][一二三四五六七八九十\d]+[）)]")
_ITEM_FAMILY = {3: "资格罚", 4: "行为罚", 5: "人身罚"}
#: A paragraph that continues the one before it by pointing back (有前款第一项行为的…, 违反前两款规定的…): one
#: provision.
_POINTS_BACK = re.compile(r"^\s*(有|违反|对|实施|犯)?(前款|前两款|前三款|前项|上述|前述)|^\s*(依照|按照)前款")
_MASKS: dict[int, tuple[int, np.ndarray]] = {}
_UNIT_SHARED = 0.5
_UNIT_MARGIN = 0.15
PENALTY_KINDS = (Level.ADMINISTRATIVE_REGULATION, Level.LOCAL_REGULATION, Level.MUNICIPAL_REGULATION,
                 Level.AUTONOMOUS_REGULATION, Level.DEPARTMENT_RULE, Level.PROVINCIAL_RULE, Level.MUNICIPAL_RULE)


def family_of(type_: str) -> str:
    """The family (行政处罚法 第九条's item, with 罚款 and 没收 apart) of a penalty type."""
    fams = legality().measures.families  # type: ignore[union-attr]
    if type_ in fams:
        return fams[type_]
    for row in penalties().types:
        if row.type == type_:
            return _ITEM_FAMILY.get(row.item, type_)
    return type_


def conduct_of(sentence: str) -> str:
    """The conduct a penalty sentence punishes: the words before its disposition, less the article or item label
    and a bare 违反本条例…规定."""
    m = legality().measures.dispose.search(sentence)  # type: ignore[union-attr]
    head = sentence[:m.start()] if m else sentence
    return _PREFIX.sub("", head, count=1).strip("，,：: ")


def _penalty_mask(index: Any) -> np.ndarray:
    """Entries of the retrieval index that name a penalty (cached per entry list)."""
    key = id(index.entries)
    got = _MASKS.get(key)
    if got is None or got[0] != len(index.entries):
        pat = legality().measures.penalty_article  # type: ignore[union-attr]
        mask = np.fromiter((bool(pat.search(e.article.text)) for e in index.entries), dtype=bool,
                           count=len(index.entries))
        got = (len(index.entries), mask)
        _MASKS[key] = got
    return got[1]


_CITED = re.compile(r"《([^》]{2,40})》")


def _short(name: str) -> str:
    return name.replace("中华人民共和国", "").strip()


def _implemented_mask(ctx: CheckContext, index: Any) -> np.ndarray | None:
    """Entries of the laws the document implements: the superior laws it cites by title and those whose subject
    its title shares (上海市安全生产条例 -> 安全生产法); None when it names none (then every superior law is
    searched, with the stricter ``open_shared``)."""
    from normcheck.checks.consistency.retrieve import topic_overlap

    key = f"authority.superior.implemented.{id(index)}"
    if key in ctx.cache:
        return ctx.cache[key]  # type: ignore[no-any-return]
    doc = ctx.document
    cited = {_short(m.group(1)) for m in _CITED.finditer(doc.original)}
    title = doc.meta.title or ""
    def implemented(name: str) -> bool:
        return _short(name) in cited or bool(title and topic_overlap(title, name) >= 0.99)

    out: np.ndarray | None
    if hasattr(index, "law_flags"):  # one question per law, no entry built (issue 15)
        out = index.law_flags(implemented)
    else:
        names: dict[str, bool] = {}
        for e in index.entries:
            if e.law.name not in names:
                names[e.law.name] = implemented(e.law.name)
        out = np.fromiter((names[e.law.name] for e in index.entries), dtype=bool, count=len(index.entries))
    if out is not None and not out.any():
        out = None
    ctx.cache[key] = out
    return out


def _candidates(ctx: CheckContext, query: str, sm: SuperiorMeasures, *, penalty_only: bool) -> tuple[list[Any], bool]:
    """Superior candidates for ``query`` and whether they were searched among the implemented laws only."""
    from normcheck.checks.consistency.retrieve import align, superior_index

    kind = ctx.kind
    assert kind is not None
    key = f"authority.superior.{kind.value}.{ctx.region}.{ctx.as_of}.{penalty_only}.{query}"
    if key in ctx.cache:
        got, narrow = ctx.cache[key]
        return list(got), narrow
    try:
        index = superior_index(ctx.corpus, kind, ctx.region, ctx.as_of)
        mask = _penalty_mask(index) if penalty_only else None
        impl = _implemented_mask(ctx, index)
        narrow = impl is not None
        if impl is not None:
            mask = impl if mask is None else (mask & impl)
        got = align(query, index, limit=sm.candidates, mask=mask)
    except Exception:  # a broken index must not break the check: nothing compared
        got, narrow = [], False
    ctx.cache[key] = (got, narrow)
    return list(got), narrow


def _best(cands: list[Any], conduct: str, sm: SuperiorMeasures, generic: re.Pattern[str],
          narrow: bool = True) -> tuple[Any, float] | None:
    best = None
    need = sm.min_shared if narrow else sm.open_shared
    for al in cands:
        if al.score < sm.min_score:
            continue
        share = shared_share(conduct, al.article.text, generic)
        if share < need:
            continue
        if best is None or (al.score, share) > (best[0].score, best[1]):
            best = (al, share)
    return best


def _informative(text: str, generic: re.Pattern[str]) -> str:
    return re.sub(r"[\s，。；：、,.;:！？!?（）()《》“”\d]", "", generic.sub("", text))


def _money(text: str, sm: SuperiorMeasures) -> list[tuple[float, float, int, int]]:
    """(lo, hi, start, end) of the money fines of ``text`` that are totals (not per unit or per day)."""
    from normcheck.checks.consistency.compare import fine_ranges

    out = []
    for f in fine_ranges(text):
        if f.category != "money" or f.hi == float("inf"):
            continue
        seg = max(text.rfind(p, 0, f.start) for p in "，。；：,;") + 1
        if sm.per_unit.search(text[seg:f.start]) or sm.per_unit.search(text[f.start:f.end]):
            continue
        out.append((f.lo, f.hi, f.start, f.end))
    return out


def _cn(s: str) -> int:
    try:
        return cn_to_int(s)
    except ValueError:
        return 0


def _clause(doc: Document, art: Node, offset: int) -> str | None:
    node = doc.clause_at(offset)
    return (node.id if node is not None and node.id else None) or art.id or art.label or None


def _label(article: Any) -> str:
    return getattr(article, "label", "") or f"第{int_to_cn(article.number)}条"


def _yuan(v: float) -> str:
    if v >= 10000 and v % 10000 == 0:
        return f"{int(v // 10000)}万元"
    return f"{int(v)}元" if v == int(v) else f"{v}元"


def _range(lo: float, hi: float) -> str:
    if lo <= 0:
        return f"{_yuan(hi)}以下"
    if lo == hi:
        return _yuan(hi)
    return f"{_yuan(lo)}至{_yuan(hi)}"




def _article_conduct(doc: Document, art: Node, sent_start: int, sentence: str,
                     pieces: list[tuple[int, str]], i: int) -> str:
    """The conduct for the ``i``-th sentence of an article: its own words (or, for 逾期不改正的…, 情节严重的…, the
    sentence it continues), else the items of its 下列行为 list, else the article its 违反本条例第X条 points to."""
    follow_on = legality().measures.follow_on  # type: ignore[union-attr]
    j = i
    while j > 0 and follow_on.match(pieces[j][1]) and not _ITEM_LABEL.match(pieces[j][1]):
        j -= 1
    if j != i:
        sentence = pieces[j][1]
    own = conduct_of(sentence)
    if _LIST.search(sentence):
        items = [s for j, (_o, s) in enumerate(pieces) if j != i and _ITEM_LABEL.match(s)
                 and not penalties().fine_word.search(s)]
        if items:
            return "".join(_ITEM_LABEL.sub("", s) for s in items)[:300]
    m = _INTERNAL.search(sentence)
    if m and len(re.sub(r"[的，,。；\s]", "", own)) < 8:
        n = _cn(m.group(1))
        for node in doc.articles():
            if node.number == n and not node.suffix:
                body = doc.original[node.start:node.end]
                paras = [c for c in node.children if c.kind == NodeKind.PARAGRAPH]
                k = _cn(m.group(2)) if m.group(2) else 0
                if 0 < k <= len(paras):  # 违反本条例第三十二条第三款: that paragraph's conduct, not the article's
                    body = doc.original[paras[k - 1].start:paras[k - 1].end]
                return _PREFIX.sub("", body, count=1)[:300]
    return own


def penalty_findings(ctx: CheckContext, tables: LegalityTables | None = None) -> list[Finding]:
    """Findings of a regulation's or rule's penalties against the superior article for the same conduct."""
    tables = tables or legality()
    sm = tables.measures
    kind = ctx.kind
    if sm is None or ctx.corpus is None or kind not in PENALTY_KINDS or kind.value not in sm.penalty_refs:
        return []
    fine_type = penalties().fine_type
    generic = sm.generic
    doc = ctx.document
    out: list[Finding] = []
    for art in doc.articles():
        body = doc.original[art.start:art.end]
        if not penalties().mention_gate.search(body):
            continue
        pieces = sentences(body)
        for i, (off, sent) in enumerate(pieces):
            acts = [a for a in analyze_clause(sent).penalties if a.sets]
            if not acts:
                continue
            conduct = _article_conduct(doc, art, off, sent, pieces, i)
            if len(_informative(conduct, generic)) < 8:
                continue
            cands, narrow = _candidates(ctx, conduct, sm, penalty_only=True)
            best = _best(cands, conduct, sm, generic, narrow)
            if best is None:
                continue
            al, share = best
            sup = conduct_unit(al.article, conduct, generic)
            problems = _compare(sent, acts, sup, sm, fine_type)
            for sev, sub, msg, s, e in problems:
                if al.score < sm.firm_score or share < sm.firm_shared:
                    sev = _LOWER[sev]
                if any(a.deferred for a in acts):
                    sev = _LOWER[sev]
                out.append(_finding(ctx, kind, tables, art, doc, art.start + off + s, art.start + off + e, sev,
                                    sub, msg, al, share))
    return out


def conduct_units(article: Any) -> list[str]:
    """The superior article cut into the provisions of its conducts: each paragraph, and within one, each sentence
    (。) that starts a new conduct; items （一）…, follow-on sentences (情节严重的…, 逾期不改正的…) and paragraphs that
    point back (有前款第一项行为之一的…) stay with the provision they continue (大气污染防治法第一百一十四条: 第一款
    fines one conduct, 第二款 leaves another to 依法处罚)."""
    follow_on = legality().measures.follow_on  # type: ignore[union-attr]
    paras = [p for p in (getattr(article, "paragraphs", ()) or ()) if p.strip()] or [article.text]
    units: list[str] = []
    for para in paras:
        if units and (_ITEM_LABEL.match(para) or follow_on.match(para) or _POINTS_BACK.match(para)):
            units[-1] += para
            continue
        start = 0
        for i, ch in enumerate(para):
            if ch != "。" or i + 1 >= len(para):
                continue
            rest = para[i + 1:]
            if rest.strip() and not (_ITEM_LABEL.match(rest) or follow_on.match(rest.lstrip())):
                units.append(para[start:i + 1])
                start = i + 1
        units.append(para[start:])
    return [u for u in units if u.strip()] or [article.text]


def conduct_unit(article: Any, conduct: str, generic: re.Pattern[str]) -> str:
    """The provision of ``article`` (:func:`conduct_units`) that shares most of ``conduct``'s words — the one its
    fines and penalty types are compared with; the whole article when it has one provision or when none is clearly
    the conduct's (best share under ``_UNIT_SHARED`` or within ``_UNIT_MARGIN`` of the next)."""
    units = conduct_units(article)
    if len(units) == 1:
        return article.text  # type: ignore[no-any-return]
    ranked = sorted(((shared_share(conduct, u, generic), -i, u) for i, u in enumerate(units)), reverse=True)
    if ranked[0][0] < _UNIT_SHARED or ranked[0][0] - ranked[1][0] < _UNIT_MARGIN:
        return article.text  # no one provision is clearly the conduct's: the whole article, as before
    return ranked[0][2]


def _compare(sent: str, acts: list[Act], sup: str, sm: SuperiorMeasures, fine_type: str
             ) -> list[tuple[Severity, str, str, int, int]]:
    from normcheck.checks.consistency.compare import penalty_types

    out: list[tuple[Severity, str, str, int, int]] = []
    msg = sm.messages
    sup_types = set(penalty_types(sup)) | {a.type for a in analyze_clause(sup).penalties}
    sup_fams = {family_of(t) for t in sup_types}
    mine = _money(sent, sm)
    theirs = _money(sup, sm)
    if mine and theirs:
        lo_env = min(t[0] for t in theirs)
        hi_env = max(t[1] for t in theirs)
        sup_desc = "、".join(dict.fromkeys(_range(t[0], t[1]) for t in theirs))
        for lo, hi, s, e in mine:
            if hi < lo_env:
                out.append((Severity.MEDIUM, "fine_below_range",
                            msg["fine_below"].format(fine=_range(lo, hi), superior=sup_desc), s, e))
            elif lo < lo_env:
                out.append((Severity.LOW, "fine_below_range",
                            msg["fine_below_floor"].format(fine=_range(lo, hi), superior=sup_desc), s, e))
            elif lo > hi_env:
                out.append((Severity.MEDIUM, "fine_above_range",
                            msg["fine_above"].format(fine=_range(lo, hi), superior=sup_desc), s, e))
            elif hi > hi_env:
                out.append((Severity.LOW, "fine_above_range",
                            msg["fine_above_cap"].format(fine=_range(lo, hi), superior=sup_desc), s, e))
    if sup_types and theirs:  # the superior article sanctions the conduct with a fine of its own
        for a in acts:
            fam = family_of(a.type)
            if fam in sup_fams:
                continue
            sev = Severity.LOW if fam == "声誉罚" else Severity.MEDIUM
            text = msg["type_added"].format(type=a.type, types="、".join(sorted(sup_types)))
            out.append((sev, "penalty_type_added", text, a.start, a.end))
            sup_fams.add(fam)  # one finding per family
    return out


def _review_evidence(ctx: CheckContext, tables: LegalityTables, ref_ids: list[str], type_: str,
                     clause: str) -> tuple[list[Evidence], list[str]]:
    assert ctx.kind is not None
    refs = [tables.ref(r) for r in ref_ids]
    refs += [r for r in tables.supervising_for(ctx.kind.value, type_, clause) if r not in refs]
    return refs_evidence(ctx, refs)


def _superior_evidence(al: Any) -> Evidence:
    return Evidence(law=al.law.name, version=al.version.version, article=_label(al.article), text=al.article.text)


def _finding(ctx: CheckContext, kind: Level, tables: LegalityTables, art: Node, doc: Document, start: int, end: int,
             sev: Severity, subtype: str, msg: str, al: Any, share: float) -> Finding:
    sm = tables.measures
    assert sm is not None
    ftype = FindingType.PENALTY_SETTING
    evs, cites = _review_evidence(ctx, tables, [sm.penalty_refs[kind.value]], ftype.value,
                                  doc.original[art.start:art.end])
    sup = _superior_evidence(al)
    where = f"{al.law.name}{_label(al.article)}"
    return Finding(type=ftype, clause=_clause(doc, art, start), start=start, end=end, severity=sev,
                   confidence=round(min(0.9, 0.4 + 0.5 * share) * (1.0 if sev != Severity.LOW else 0.7), 4),
                   message=f"{kind.chinese}{msg}；上位法：{where}", basis="；".join([where, *cites]),
                   evidence=[sup, *evs], rule=RULE_NAME,
                   details={"table_row": f"penalty.superior.{subtype}", "subtype": subtype, "kind": kind.value,
                            "superior_basis": {"law": al.law.name, "version": al.version.version,
                                               "article": _label(al.article), "shared": round(share, 3),
                                               "score": round(al.score, 3)}})


def compulsion_findings(ctx: CheckContext, tables: LegalityTables | None = None) -> list[Finding]:
    """Findings on 查封/扣押 set by a local regulation (see module docstring)."""
    tables = tables or legality()
    sm = tables.measures
    kind = ctx.kind
    if sm is None or kind is None or kind.value not in sm.compulsion_kinds or ctx.as_of < "2012-01-01":
        return []
    generic = sm.generic
    doc = ctx.document
    out: list[Finding] = []
    for art in doc.articles():
        body = doc.original[art.start:art.end]
        if not sm.compulsion_words.search(body):
            continue
        for off, sent in sentences(body):
            acts = [a for a in analyze_clause(sent).compulsions if a.sets and a.type in ("查封", "扣押")]
            if not acts:
                continue
            a = acts[0]
            s, e = art.start + off + a.start, art.start + off + a.end
            obj = sm.compulsion_object.search(sent)
            if obj is not None:
                out.append(_compulsion_finding(
                    ctx, kind, tables, art, doc, art.start + off + obj.start(), art.start + off + obj.end(),
                    Severity.MEDIUM, "seizure_object", kind.chinese + sm.messages["seizure_object"], None, 0.0, {}))
                continue
            if ctx.corpus is None:
                continue
            conduct = sm.compulsion_strip.sub("", _PREFIX.sub("", sent, count=1))
            cands, narrow = _candidates(ctx, sent, sm, penalty_only=False)
            provides = [al for al in cands if al.score >= sm.min_score and sm.compulsion_words.search(al.article.text)
                        and shared_share(conduct, al.article.text, generic) >= 0.3]
            if provides:
                continue  # the superior law provides for the measure on this matter (restated or implemented)
            best = _best(cands, conduct, sm, generic, narrow) if len(_informative(conduct, generic)) >= 8 else None
            searched = list(dict.fromkeys(al.law.name for al in cands))
            if best is None:
                continue  # no superior provision on the matter: a local affair (第十条第三款), lawful
            al, share = best
            sev = Severity.MEDIUM if al.score >= sm.firm_score and share >= sm.firm_shared else Severity.LOW
            out.append(_compulsion_finding(
                ctx, kind, tables, art, doc, s, e, sev, "seizure_beyond_superior",
                kind.chinese + sm.messages["seizure_beyond"].format(measure=a.type,
                                                                    where=f"{al.law.name}{_label(al.article)}"),
                al, share, {"searched": searched}))
    return out


def _compulsion_finding(ctx: CheckContext, kind: Level, tables: LegalityTables, art: Node, doc: Document, start: int,
                        end: int, sev: Severity, subtype: str, msg: str, al: Any, share: float,
                        more: dict[str, Any]) -> Finding:
    sm = tables.measures
    assert sm is not None
    ftype = FindingType.COMPULSION_SETTING
    evs, cites = _review_evidence(ctx, tables, list(sm.compulsion_refs), ftype.value, doc.original[art.start:art.end])
    details: dict[str, Any] = {"table_row": f"compulsion.superior.{subtype}", "subtype": subtype, "kind": kind.value,
                               **more}
    lead: list[Evidence] = []
    basis = "；".join(cites)
    if al is not None:
        lead = [_superior_evidence(al)]
        details["superior_basis"] = {"law": al.law.name, "version": al.version.version,
                                     "article": _label(al.article), "shared": round(share, 3),
                                     "score": round(al.score, 3)}
        basis = f"{al.law.name}{_label(al.article)}；{basis}"
    return Finding(type=ftype, clause=_clause(doc, art, start), start=start, end=end, severity=sev,
                   confidence=0.6 if sev == Severity.MEDIUM else 0.4, message=msg, basis=basis,
                   evidence=lead + evs, rule=RULE_NAME, details=details)
