"""The "references" check: outdated_reference and invalid_reference findings (domain.md §3).

- outdated_reference: the cited law was repealed by ``as_of`` (the successor is named); the cited
  version was superseded and the cited article moved, changed or was deleted (old and new text and
  the new number, via ``corpus.align``); a judicial interpretation has expired. A clause that sets
  a penalty (罚款, 吊销, …) resting on a repealed law is high severity.
- invalid_reference: an internal reference that points nowhere (本条例第X条 beyond the last article,
  前款 in a first paragraph, 本条第X款 beyond the article's paragraphs); an article/款/项 beyond the
  range of a law the corpus has; a title the corpus does not know (low severity and confidence:
  "not in the corpus" is not "does not exist"), with close-match suggestions.

Size: the outdated/invalid reference findings for every citation kind (law, article, paragraph,
item, internal, misnamed) with their messages; one check, one module.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from normcheck.checks import CheckContext, register
from normcheck.cite import _PROVINCES, ArticleRef, Citation, InternalReference, LawCitation, find_citations
from normcheck.knowledge import confidence, penalties, reference_rules
from normcheck.resolve import Resolution, resolve_citations
from normcheck.text.numerals import article_label, int_to_cn
from normcheck.types.document import Document, Node, NodeKind
from normcheck.types.findings import Evidence, Finding, FindingType, Severity
from normcheck.types.law import Law, Level, Status

__all__ = ["check_references", "reference_findings"]

RULE_OUTDATED = "references.outdated"
RULE_INVALID = "references.invalid"
#: A title not in the corpus this close to a known name is reported as a probable misspelling.
TYPO_SIMILARITY = 0.85


_PRC = "中华人民共和国"
_CONF = confidence("references")  # data/confidence.json
_TRAILING_PAREN_RE = re.compile(r"[（(][^（）()]{0,20}[）)]$")


def _bare(title: str) -> str:
    return title.removeprefix(_PRC)


@dataclass(frozen=True, slots=True)
class _Rules:
    penalty_words: tuple[str, ...]
    basis_outdated: str
    basis_invalid: str
    silent_suffixes: tuple[str, ...] = ()
    silent_prefixes: tuple[str, ...] = ()
    silent_contains: tuple[str, ...] = ()
    fillers: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    r = reference_rules()  # data/reference_rules.json (validated), penalty words from data/penalties.json
    return _Rules(penalties().keywords("references"), r.basis_outdated, r.basis_invalid, r.silent_suffixes,
                  r.silent_prefixes, r.silent_contains, r.fillers)


# ------------------------------------------------------------------------------- structure helpers
def _containing(doc: Document, offset: int, kind: NodeKind) -> Node | None:
    return doc.containing(offset, kind)


def _paragraphs(article: Node) -> list[Node]:
    return [c for c in article.children if c.kind == NodeKind.PARAGRAPH]


def _paragraph_index(doc: Document, offset: int) -> tuple[Node | None, int | None, int]:
    """(article node, paragraph number containing offset (1 when the article has no 款 nodes),
    number of paragraphs of the article)."""
    art = _containing(doc, offset, NodeKind.ARTICLE)
    if art is None:
        return None, None, 0
    paras = _paragraphs(art)
    if not paras:
        return art, 1, 1
    for i, p in enumerate(paras, 1):
        if p.start <= offset < p.end:
            return art, p.number or i, len(paras)
    return art, None, len(paras)


def _clause_text(doc: Document, offset: int) -> str:
    node = doc.clause_at(offset)
    if node is None:
        art = _containing(doc, offset, NodeKind.ARTICLE)
        node = art
    if node is None:
        return doc.original[max(0, offset - 80):offset + 80]
    return doc.node_text(node)


_TITLE_SPAN_RE = re.compile(r"《[^《》]*》")


def _is_penalty(doc: Document, offset: int) -> bool:
    """The clause punishes: a penalty word outside the cited titles (违反《治安管理处罚条例》后果较重的
    defines, it does not punish), or 处理 under a cited penalty law (按照《治安管理处罚条例》处理)."""
    raw = _clause_text(doc, offset)
    text = _TITLE_SPAN_RE.sub("", raw)
    if any(w in text for w in _rules().penalty_words):
        return True
    return "处理" in text and any("处罚" in t for t in _TITLE_SPAN_RE.findall(raw))


def _is_amendment_doc(doc: Document) -> bool:
    title = doc.meta.title
    return "决定" in title and ("修改" in title or "废止" in title)


_OTHER_ARTICLE_RE = re.compile(r"第[零〇一二两三四五六七八九十百千\d]+条")
_DEFINED_RE = re.compile(r"简称[“\"]?《([^《》]{1,40})》")
_SENTENCE_END = "。；;\n"


def _defined_short_names(doc: Document) -> set[str]:
    return set(_DEFINED_RE.findall(doc.original))


def _sentence(doc: Document, start: int, end: int) -> str:
    t = doc.original
    s = max(t.rfind(ch, 0, start) for ch in _SENTENCE_END) + 1
    ends = [i for i in (t.find(ch, end) for ch in _SENTENCE_END) if i >= 0]
    return t[s:min(ends) if ends else len(t)]


def _repeal_context(doc: Document, c: LawCitation, successor: Law | None) -> bool:
    """True when the document itself repeals or replaces the cited law (…同时废止; 本条例施行前…)."""
    if successor is not None and doc.meta.title and _bare(successor.name) == _bare(doc.meta.title):
        return True
    sent = _sentence(doc, c.start, c.end)
    return any(w in sent for w in ("废止", "施行前", "施行之前", "失效"))


# ------------------------------------------------------------------------------------- findings
def _finding(ftype: FindingType, c: Citation, severity: Severity, confidence: float, message: str,
             evidence: list[Evidence], details: dict[str, Any], start: int | None = None,
             end: int | None = None) -> Finding:
    r = _rules()
    outdated = ftype == FindingType.OUTDATED_REFERENCE
    return Finding(type=ftype, clause=c.clause, start=c.start if start is None else start,
                   end=c.end if end is None else end, severity=severity, confidence=confidence,
                   message=message, basis=r.basis_outdated if outdated else r.basis_invalid,
                   evidence=evidence, rule=RULE_OUTDATED if outdated else RULE_INVALID, details=details)


@dataclass(frozen=True, slots=True)
class _Articles:
    """The document's own articles, computed once per document (not once per internal reference)."""

    by_key: dict[tuple[int, int], Node]
    last: int

    @classmethod
    def of(cls, doc: Document) -> _Articles:
        arts = [a for a in doc.articles() if a.number is not None]
        return cls({(a.number or 0, a.suffix): a for a in arts}, max((a.number or 0 for a in arts), default=0))


def _internal_findings(doc: Document, c: InternalReference, own: _Articles | None = None) -> list[Finding]:
    if c.clause is None:  # preamble, title: not a provision
        return []
    own = own if own is not None else _Articles.of(doc)
    if not own.by_key:
        return []
    out: list[Finding] = []
    title = doc.meta.title or "本文件"
    by_key, last = own.by_key, own.last
    art, para, n_paras = _paragraph_index(doc, c.start)
    ev_doc = Evidence(law=title, version=doc.meta.date, article="", text=f"本文件共{int_to_cn(last)}条")

    if c.form in ("self_law", "article"):
        if c.form == "article" and _is_amendment_doc(doc):
            return []
        for ref in c.refs:
            if ref.article is None:
                continue
            target = by_key.get((ref.article, ref.suffix))
            if target is None:
                out.append(_finding(
                    FindingType.INVALID_REFERENCE, c, Severity.MEDIUM,
                    _CONF["self_law_missing_article"] if c.form == "self_law" else _CONF["missing_article"],
                    f"内部引用{c.word}{article_label(ref.article, ref.suffix)}指向不存在的条文（本文件共"
                    f"{int_to_cn(last)}条）", [ev_doc], {"reason": "missing_article", "ref": ref.label},
                    ref.start, ref.end))
            elif ref.paragraph is not None:
                k = len(_paragraphs(target)) or 1
                if ref.paragraph > k:
                    out.append(_finding(
                        FindingType.INVALID_REFERENCE, c, Severity.MEDIUM, _CONF["missing_paragraph"],
                        f"内部引用{c.word}{ref.label}指向不存在的款（该条共{int_to_cn(k)}款）",
                        [Evidence(title, doc.meta.date, target.id or target.label, doc.node_text(target))],
                        {"reason": "missing_paragraph", "ref": ref.label}, ref.start, ref.end))
    elif c.form in ("this_article", "paragraph") and art is not None:
        if c.form == "paragraph" and _OTHER_ARTICLE_RE.search(doc.node_text(art)[len(art.label):]):
            return []  # 违反本办法第二十条…（一）违反第一款: the 款 may belong to the other article
        for ref in c.refs:
            if ref.paragraph is not None and ref.article is None and ref.paragraph > n_paras:
                out.append(_finding(
                    FindingType.INVALID_REFERENCE, c, Severity.MEDIUM, _CONF["this_article_missing_paragraph"]
                    if c.form == "this_article" else _CONF["paragraph_missing_paragraph"],
                    f"{c.word}第{int_to_cn(ref.paragraph)}款不存在（本条共{int_to_cn(n_paras)}款）",
                    [Evidence(title, doc.meta.date, art.id or art.label, doc.node_text(art))],
                    {"reason": "missing_paragraph", "ref": ref.label}, ref.start, ref.end))
    elif c.form in ("previous_paragraph", "previous_paragraphs") and art is not None and para is not None:
        if para <= c.count:
            what = "第一款" if para == 1 else f"第{int_to_cn(para)}款"
            out.append(_finding(
                FindingType.INVALID_REFERENCE, c, Severity.MEDIUM, _CONF["no_previous_paragraph"],
                f"“{c.word}”出现在本条{what}，前面没有{'可指向的款' if para == 1 else f'{int_to_cn(c.count)}款'}",
                [Evidence(title, doc.meta.date, art.id or art.label, doc.node_text(art))],
                {"reason": "no_previous_paragraph", "paragraph": para}))
    return out


# A title that names a local text: a province, a city/county/prefecture, a special zone, 本省/本市.
# 城市/中华/中国/全国/国务院/国家 open national titles; 市场/市政 are no place names.
_LOCAL_TITLE_RE = re.compile(
    rf"^(?:本省|本市|{_PROVINCES}|(?!城市|中华|中国|全国|国务院|国家)[一-龥]{{1,7}}?"
    r"(?:省|市(?![场政])|自治州|自治县|县|经济特区|特别行政区))")
_CITY_RE = re.compile(r"^([一-龥]{2,6}?)(?:市|县|自治州|自治县)")
_BRACKETS_RE = re.compile(r"[《》〈〉<>（）()\s]")
_PRC_TYPO_RE = re.compile(r"^(?:中华?人民共?和?国|中国人民共和国|中华人民共和)(?=[一-龥])")


def _is_local_title(title: str, issuer: str, doc: Document) -> bool:
    if issuer and not issuer.startswith(("国务院", "全国", "国家")):
        return True
    if _LOCAL_TITLE_RE.match(title):
        return True
    m = _CITY_RE.match(doc.meta.title or "")  # 杭州西湖…条例 cited by a 杭州市 regulation
    return bool(m and title.startswith(m.group(1)))


def _not_found_is_silent(c: LawCitation, doc: Document) -> bool:
    """True for titles the corpus does not collect (reference_rules.json ``not_found_silent``)."""
    r = _rules()
    t = _TRAILING_PAREN_RE.sub("", c.title)
    return (t.endswith(r.silent_suffixes) or t.startswith(r.silent_prefixes)
            or any(w in t for w in r.silent_contains) or _is_local_title(t, c.issuer, doc))


def _canonical(title: str) -> str:
    t = _BRACKETS_RE.sub("", title)
    for w in _rules().fillers:
        t = t.replace(w, "")
    return t


def _is_misnaming(title: str, known: str) -> bool:
    """``title`` (not in the corpus) is a misspelling or misnaming of ``known``: the same words up to
    filler words (管理, 暂行, 实施, 中华人民共和国, brackets), or one character inserted, deleted or
    replaced. Two titles that differ in a content word (医疗/中医药, 自治/旅游) are two laws."""
    a, b = _bare(title), _bare(known)
    if a == b or a[:2] != b[:2]:
        return False
    if _canonical(a) == _canonical(b):
        return True
    x, y = _BRACKETS_RE.sub("", a), _BRACKETS_RE.sub("", b)
    if abs(len(x) - len(y)) > 1:
        return False
    ops = [op for op in difflib.SequenceMatcher(None, x, y, autojunk=False).get_opcodes() if op[0] != "equal"]
    return len(ops) == 1 and max(ops[0][2] - ops[0][1], ops[0][4] - ops[0][3]) == 1


def _prc_typo(title: str, corpus: Any) -> str | None:
    """中华人民和国治安管理处罚法 / 中国人民共和国森林法: a misspelt 中华人民共和国 before a known law."""
    m = _PRC_TYPO_RE.match(title)
    if m is None or title.startswith(_PRC):
        return None
    rest = title[m.end():]
    for law in corpus.find_laws(rest):
        if _bare(law.name) == rest:
            return law.name
    return None


def _law_name(res: Resolution) -> str:
    return res.law.name if res.law else ""


def _law_findings(doc: Document, c: LawCitation, res: Resolution, corpus: Any) -> list[Finding]:
    if c.clause is None:
        return []
    out: list[Finding] = []
    if res.status == "not_found":
        if not c.bracketed:
            return out  # an unbracketed name that is no law we know is more likely prose than a citation
        sug = list(res.suggestions)
        if c.title in _defined_short_names(doc) or _repeal_context(doc, c, None):
            return out  # （以下简称《乘坐规则》）; 《旧规定》同时废止
        prc = _prc_typo(c.title, corpus) if corpus is not None else None
        if prc is not None:
            sug = [prc, *[x for x in sug if x != prc]]
        ratio = difflib.SequenceMatcher(None, _bare(c.title), _bare(sug[0])).ratio() if sug else 0.0
        # a misspelling keeps the place name: 上海市…条例 vs 深圳市…条例 is another law, not a typo
        typo = prc is not None or (bool(sug) and (ratio >= TYPO_SIMILARITY or _canonical(_bare(c.title))
                                                    == _canonical(_bare(sug[0])))
                                   and _is_misnaming(c.title, sug[0]))
        if not typo and _not_found_is_silent(c, doc):
            return out  # a local regulation, decision, charter or treaty the corpus does not collect
        msg = f"语料库中未找到《{c.title}》"
        msg += f"，是否指《{sug[0]}》？" if typo else "（可能未收录，请人工核对名称）"
        out.append(_finding(
            FindingType.INVALID_REFERENCE, c, Severity.MEDIUM if typo else Severity.LOW,
            _CONF["law_not_found_typo"] if typo else _CONF["law_not_found"], msg, [],
            {"reason": "law_not_found", "suggestions": sug, "similarity": round(ratio, 3)}))
        return out
    if res.status != "resolved" or res.law is None:
        return out
    law = res.law
    ambiguous_penalty = _CONF["ambiguous_discount"] if res.ambiguous else 0.0
    details_base: dict[str, Any] = {"law": law.name, "law_id": law.id, "choice": res.choice_reason,
                                    "alternatives": [x.name for x in res.candidates if x.id != law.id]}
    if res.law_status == Status.REPEALED:
        succ = res.successor
        if _repeal_context(doc, c, succ):
            return out  # 《旧条例》同时废止 / transitional rules: the document itself replaces it
        penalty = _is_penalty(doc, c.start)
        is_ji = law.level == Level.JUDICIAL_INTERPRETATION
        when = f"已于{law.repealed_on}" if law.repealed_on else "已"
        msg = f"引用的{'司法解释' if is_ji else ''}《{law.name}》{when}{'失效' if is_ji else '废止'}"
        if succ is not None:
            msg += f"，已由《{succ.name}》取代"
        if penalty:
            msg += "；本条的处罚以其为依据"
        ev = [Evidence(law.name, res.version.version if res.version else None,
                       "" if not c.refs else c.refs[0].label,
                       _article_text(res, 0) or f"{when}{'失效' if is_ji else '废止'}")]
        if succ is not None:
            ev.append(Evidence(succ.name, None, "", f"现行有效的继受法律：《{succ.name}》"))
        out.append(_finding(
            FindingType.OUTDATED_REFERENCE, c, Severity.HIGH if penalty else Severity.MEDIUM,
            _CONF["law_repealed"] - ambiguous_penalty, msg, ev,
            {**details_base, "reason": "law_repealed", "successor": succ.name if succ else None,
             "repealed_on": law.repealed_on}))
        return out
    # articles beyond the range of the cited version
    for ar in res.articles:
        if ar.status in ("found", "unchecked"):
            continue
        ver = res.cited_version.version if res.cited_version else None
        if ar.status == "missing_article":
            msg = (f"《{law.name}》（{ver}版）没有{ar.ref.label}"
                   + (f"（共{int_to_cn(ar.max_article)}条）" if ar.max_article else ""))
            sev, conf = Severity.MEDIUM, _CONF["cited_version_missing_article"]
        else:
            unit = "款" if ar.status == "missing_paragraph" else "项"
            msg = f"《{law.name}》（{ver}版）{article_label(ar.ref.article or 0, ar.ref.suffix)}没有所引的{unit}"
            sev, conf = Severity.LOW, _CONF["cited_version_missing_part"]
        ev = [Evidence(law.name, ver, ar.article.label if ar.article else ar.ref.label,
                       ar.article.text if ar.article else "")]
        out.append(_finding(FindingType.INVALID_REFERENCE, c, sev, conf - ambiguous_penalty, msg, ev,
                            {**details_base, "reason": ar.status, "ref": ar.ref.label},
                            ar.ref.start, ar.ref.end))
    # superseded version: did the cited article move, change or disappear?
    out.extend(_superseded(c, res, corpus, details_base, ambiguous_penalty))
    return out


def _article_text(res: Resolution, i: int) -> str:
    if i < len(res.articles) and res.articles[i].article is not None:
        return res.articles[i].article.text  # type: ignore[union-attr]
    return ""


def _superseded(c: LawCitation, res: Resolution, corpus: Any, details_base: dict[str, Any],
                amb: float) -> list[Finding]:
    old, new = res.cited_version, res.version
    if (old is None or new is None or old.version == new.version or res.law is None
            or res.law_status != Status.IN_FORCE or not c.refs):
        return []
    try:
        mapping = {(m.old_number, m.old_suffix): m for m in corpus.align(res.law.id, old.version, new.version)}
    except ValueError:
        return []
    out: list[Finding] = []
    seen: set[tuple[int, int]] = set()
    for ar in res.articles:
        ref: ArticleRef = ar.ref
        if ar.status != "found" or ref.article is None or (ref.article, ref.suffix) in seen:
            continue
        seen.add((ref.article, ref.suffix))
        m = mapping.get((ref.article, ref.suffix))
        if m is None or m.status == "same":
            continue
        old_label = article_label(ref.article, ref.suffix)
        old_text = ar.article.text if ar.article else ""
        ev = [Evidence(res.law.name, old.version, old_label, old_text)]
        if m.new_number is None:
            msg = f"《{res.law.name}》{old_label}在{new.version}版中已删除"
            sev = Severity.MEDIUM
        else:
            new_label = article_label(m.new_number, m.new_suffix)
            new_art = corpus.article(res.law.id, new.version, m.new_number, m.new_suffix)
            ev.append(Evidence(res.law.name, new.version, new_label, new_art.text if new_art else ""))
            if m.status == "changed":
                msg = f"《{res.law.name}》{old_label}在{new.version}版中内容已修改"
                sev = Severity.LOW
            elif m.status == "moved":
                msg = f"《{res.law.name}》{old_label}在{new.version}版中已调整为{new_label}"
                sev = Severity.MEDIUM
            else:
                msg = f"《{res.law.name}》{old_label}在{new.version}版中已调整为{new_label}且内容已修改"
                sev = Severity.MEDIUM
        details = {**details_base, "reason": f"article_{m.status}", "old_version": old.version,
                   "new_version": new.version, "new_article": m.new_number, "similarity": round(m.similarity, 3)}
        if res.inferred_version is not None:
            msg += _inference_note(res)
            details.update(_inference_details(res))
        out.append(_finding(FindingType.OUTDATED_REFERENCE, c, sev, _CONF["superseded"] - amb, msg, ev,
                            details, ref.start, ref.end))
    return out


def _inference_note(res: Resolution) -> str:
    """（据引用处的文字推断引用的是2017-09-01版：…）: the finding says the version was inferred, and why."""
    v = res.inferred_version
    if v is None:
        return ""
    basis = "审查日期" if res.cited_on == res.as_of else "文件日期"
    dated = f"（按{basis}应为{res.dated_version.version}版）" if res.dated_version is not None else ""
    return f"（推断引用的是{v.version}版{dated}：{res.inference_reason}）"


def _inference_details(res: Resolution) -> dict[str, Any]:
    v, d = res.inferred_version, res.dated_version
    return {"inferred_version": v.version if v else None, "dated_version": d.version if d else None,
            "inference_reason": res.inference_reason,
            "inference_scores": [list(x) for x in res.inference_scores]}


def reference_findings(doc: Document, corpus: Any, *, as_of: str, region: str | None, kind: Level | None,
                       citations: list[Citation] | None = None, cited_on: str | None = None,
                       resolutions: Sequence[Resolution | None] | None = None) -> list[Finding]:
    """All outdated/invalid reference findings of ``doc`` (``corpus`` may be None: internal only).

    ``citations``/``resolutions``: the pipeline's citation and resolution stages (computed here when
    absent, for direct use).
    """
    cits = citations if citations is not None else find_citations(doc)
    if resolutions is None:
        resolutions = resolve_citations(cits, doc, corpus, as_of=as_of, region=region, kind=kind, cited_on=cited_on)
    out: list[Finding] = []
    own: _Articles | None = None
    for c, res in zip(cits, resolutions, strict=True):
        if isinstance(c, InternalReference):
            own = own if own is not None else _Articles.of(doc)
            out.extend(_internal_findings(doc, c, own))
        elif isinstance(c, LawCitation) and res is not None:
            out.extend(_law_findings(doc, c, res, corpus))
    out.sort(key=lambda f: (f.start, f.end, f.type.value))
    return out


@register("references")
def check_references(ctx: CheckContext) -> list[Finding]:
    """Registered check: outdated_reference and invalid_reference findings."""
    cits = ctx.citations or None  # empty: not filled (a context built by hand): found here
    res = ctx.resolutions if cits is not None and len(ctx.resolutions) == len(cits) else None
    return reference_findings(ctx.document, ctx.corpus, as_of=ctx.as_of, region=ctx.region, kind=ctx.kind,
                              citations=cits, resolutions=res)
