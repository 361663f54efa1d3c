"""Which clauses of a document a superior change touches, and how (issue 16).

For each citation of the changed law (resolved by title against the corpus), per cited article:

- ``deleted``: the article is gone in the new version;
- ``moved``: same words, new number (give the new number);
- ``moved_changed`` / ``changed``: the article's words changed (with or without a new number): old and
  new text with the differing parts marked, and where the clause restates the old words, the words to
  replace;
- ``repealed``: the law was repealed: its successor, and the successor's article most like the cited
  one (or like the clause, where the repealed text is not in the corpus) as the likely counterpart;
- ``title_only``: the law is cited by title only (no article): a title update at most.

A citation that already means the new version (its words fit the new text clearly, by
:func:`normcheck.resolve.score_versions`, or the history lines date the document after the change and
its words do not fit the old text better) is not affected.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from normcheck.checks.references import _repeal_context
from normcheck.cite import LawCitation, find_citations
from normcheck.corpus.versions import similarity
from normcheck.impact import suggest
from normcheck.impact.changes import LawChange, marked_diff
from normcheck.resolve import _citing_text, _pick, date_evidence, document_date, score_versions
from normcheck.text.numerals import article_label, int_to_cn
from normcheck.types.document import Document

__all__ = ["WEIGHTS", "AffectedClause", "DocumentImpact", "affected_clauses"]

#: How much a kind of change weighs when documents are ranked by how much must change.
WEIGHTS = {"repealed": 3.0, "deleted": 3.0, "moved": 2.0, "moved_changed": 2.0, "changed": 1.0,
           "title_only": 0.0}
#: A successor article is named as the likely counterpart from this similarity up.
COUNTERPART_MIN = 0.25
_ARTICLE_IN_LABEL = re.compile(r"第[零〇一二两三四五六七八九十百千\d]+条(?:之[一二三四五六七八九十]+)?")


@dataclass(slots=True)
class AffectedClause:
    """One clause touched by one change of one cited article (or title)."""

    clause: str | None
    start: int
    end: int
    kind: str
    law: str
    cited: str  # the citation as written: 《立法法》第七十二条
    old_article: str = ""
    new_article: str = ""
    old_text: str = ""  # the cited article's old text, differing parts marked 【删：…】
    new_text: str = ""  # its new text (or the successor's counterpart), differing parts marked 【增：…】
    clause_text: str = ""
    successor: str | None = None
    suggestion: str = ""
    note: str = ""
    from_version: str | None = None
    to_version: str | None = None

    @property
    def weight(self) -> float:
        w = WEIGHTS.get(self.kind, 1.0)
        return w + (1.0 if self.kind in ("changed", "moved_changed") and "修改为" in self.suggestion else 0.0)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "weight": self.weight}


@dataclass(slots=True)
class DocumentImpact:
    path: str
    title: str
    region: str
    date: str | None
    clauses: list[AffectedClause] = field(default_factory=list)
    error: str | None = None

    @property
    def score(self) -> float:
        return sum(c.weight for c in self.clauses)

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "title": self.title, "region": self.region, "date": self.date,
                "score": self.score, "n_clauses": len(self.clauses), "error": self.error,
                "clauses": [c.to_dict() for c in self.clauses]}


def _cites(corpus: Any, c: LawCitation, change: LawChange) -> bool:
    if not c.is_law_like or c.is_amendment:
        return False
    laws = corpus.find_laws(c.title)
    if not any(x.id == change.law.id for x in laws):
        return False
    if change.law.region or not c.issuer:
        return True
    return c.issuer.startswith(("国务院", "全国", "国家", "中华人民共和国"))


def _already_new(doc: Document, c: LawCitation, change: LawChange, corpus: Any) -> bool:
    """The citation means the new version already (see the module docstring)."""
    if change.kind != "revised" or change.old is None or change.new is None or not c.refs:
        return False
    scores = [s for s in score_versions(_citing_text(doc, c), corpus, change.law, c.refs)
              if s.version.version in (change.old.version, change.new.version)]
    pick = _pick(scores, strict=False) if len(scores) == 2 else None
    if pick is not None:
        return any(s.version.version == change.new.version for s in pick[0]) and not any(
            s.version.version == change.old.version for s in pick[0])
    d = document_date(doc)
    return date_evidence(doc) == "history" and d is not None and d >= change.effective


_PARAGRAPH_IN_LABEL = re.compile(r"第[一二三四五六七八九十]+款")


def _renumber(span_text: str, number: int, suffix: int, paragraph: int | None = None) -> str:
    out = _ARTICLE_IN_LABEL.sub(article_label(number, suffix), span_text, count=1)
    if paragraph is not None:
        out = _PARAGRAPH_IN_LABEL.sub(f"第{int_to_cn(paragraph)}款", out, count=1)
    return out


def _new_paragraph(corpus: Any, change: LawChange, ref: Any, new_number: int, new_suffix: int) -> int | None:
    """The paragraph of the new article most like the cited paragraph of the old one (None: keep)."""
    if ref.paragraph is None or change.old is None or change.new is None:
        return None
    old = corpus.article(change.law.id, change.old.version, ref.article, ref.suffix)
    new = corpus.article(change.law.id, change.new.version, new_number, new_suffix)
    if old is None or new is None or ref.paragraph > len(old.paragraphs) or not new.paragraphs:
        return None
    target = old.paragraphs[ref.paragraph - 1]
    best = max(range(len(new.paragraphs)), key=lambda i: similarity(target, new.paragraphs[i]))
    return best + 1 if best + 1 != ref.paragraph else None


def _counterpart(corpus: Any, change: LawChange, text: str) -> tuple[str, str, float]:
    """(label, text, similarity) of the successor's article most like ``text``."""
    succ = change.successor
    if succ is None or not text.strip():
        return "", "", 0.0
    versions = corpus.versions(succ.id)
    if not versions:
        return "", "", 0.0
    best = ("", "", 0.0)
    for a in corpus.articles(succ.id, versions[-1].version):
        s = similarity(text, a.text)
        if s > best[2]:
            best = (a.label or article_label(a.number, a.suffix), a.text, s)
    return best


def affected_clauses(doc: Document, change: LawChange, corpus: Any) -> list[AffectedClause]:
    """The clauses of ``doc`` that ``change`` touches (see the module docstring), in text order."""
    out: list[AffectedClause] = []
    law_name = change.law.name
    for c in find_citations(doc):
        if not isinstance(c, LawCitation) or c.clause is None or not _cites(corpus, c, change):
            continue
        if _already_new(doc, c, change, corpus):
            continue
        cited = doc.original[c.start:c.end]
        node = doc.clause_at(c.start)
        clause_text = doc.node_text(node) if node is not None else cited
        base: dict[str, Any] = dict(
            clause=c.clause, start=c.start, end=c.end, law=law_name, cited=cited, clause_text=clause_text,
            from_version=change.old.version if change.old else None,
            to_version=change.new.version if change.new else None)
        if change.kind == "repealed":
            if _repeal_context(doc, c, change.successor):
                continue  # 《旧条例》同时废止: the document itself repeals it
            out.extend(_repealed(doc, c, change, corpus, base))
            continue
        if not any(r.article is not None for r in c.refs):
            out.append(AffectedClause(kind="title_only", **base,
                                      note="仅引用法律名称：条文序号不受影响；请核对所依据的内容是否仍然有效"))
            continue
        out.extend(_revised(doc, c, change, base, corpus))
    return out


def _revised(doc: Document, c: LawCitation, change: LawChange, base: dict[str, Any],
             corpus: Any) -> list[AffectedClause]:
    out: list[AffectedClause] = []
    subs: list[tuple[int, int, str]] = []  # (start, end, new text) relative to the citation
    kinds: list[str] = []
    edits: list[tuple[str, str]] = []
    rows: list[dict[str, Any]] = []
    seen: set[tuple[int, int]] = set()
    for r in c.refs:
        if r.article is None or (r.article, r.suffix) in seen:
            continue
        seen.add((r.article, r.suffix))
        ac = change.articles.get((r.article, r.suffix))
        if ac is None or ac.status == "same":
            continue
        old_label = article_label(r.article, r.suffix)
        new_label = article_label(ac.new_number, ac.new_suffix) if ac.new_number is not None else ""
        old_m, new_m = marked_diff(ac.old_text, ac.new_text) if ac.status != "moved" else (ac.old_text, ac.new_text)
        kinds.append(ac.status)
        rows.append({"kind": ac.status, "old_article": old_label, "new_article": new_label, "old_text": old_m,
                     "new_text": new_m})
        if ac.status in ("moved", "moved_changed") and ac.new_number is not None:
            span = doc.original[r.start:r.end]
            # a 至-range: only its two ends carry their own label (the middle refs share the first's span)
            own = _ARTICLE_IN_LABEL.match(span)
            if c.start <= r.start < r.end <= c.end and own is not None and own.group(0) == old_label:
                para = _new_paragraph(corpus, change, r, ac.new_number, ac.new_suffix)
                subs.append((r.start - c.start, r.end - c.start, _renumber(span, ac.new_number, ac.new_suffix, para)))
        if ac.status in ("changed", "moved_changed"):
            own = base["clause_text"].replace(doc.original[c.start:c.end], "")
            edits.extend(suggest.restated_edits(own, ac.old_text, ac.new_text))
    if not rows:
        return out
    clause = base["clause"]
    new_cited = doc.original[c.start:c.end]
    for s0, e0, txt in sorted(set(subs), reverse=True):
        new_cited = new_cited[:s0] + txt + new_cited[e0:]
    parts: list[str] = []
    if new_cited != doc.original[c.start:c.end]:
        parts.append(suggest.replace(clause, doc.original[c.start:c.end], new_cited))
    parts += [suggest.replace(clause, a, b) for a, b in edits]
    notes = []
    if "deleted" in kinds:
        title = doc.original[c.start:c.end].split("》")[0] + "》" if "》" in doc.original[c.start:c.end] else ""
        parts.append(suggest.replace(clause, doc.original[c.start:c.end], f"{title}有关规定") if title else "")
        notes.append("所引条文在新版本中已删除，请核对新版本是否另有对应规定")
    if any(k in ("changed", "moved_changed") for k in kinds) and not edits:
        notes.append("所引条文内容已修改，本条未直接复述其文字：请核对是否仍然一致")
    kind = next((k for k in ("deleted", "moved_changed", "moved", "changed") if k in kinds), kinds[0])
    first = rows[0]
    out.append(AffectedClause(kind=kind, old_article="、".join(x["old_article"] for x in rows),
                              new_article="、".join(x["new_article"] or "（已删除）" for x in rows),
                              old_text="\n".join(x["old_text"] for x in rows) if len(rows) > 1 else first["old_text"],
                              new_text="\n".join(x["new_text"] for x in rows) if len(rows) > 1 else first["new_text"],
                              suggestion="；".join(p for p in parts if p), note="；".join(notes), **base))
    return out


def _repealed(doc: Document, c: LawCitation, change: LawChange, corpus: Any,
              base: dict[str, Any]) -> list[AffectedClause]:
    succ = change.successor
    cited = doc.original[c.start:c.end]
    clause = base["clause"]
    gone = f"《{change.law.name}》已于{change.law.repealed_on or '?'}废止"
    if succ is None:
        return [AffectedClause(kind="repealed", **base, successor=None,
                               suggestion=suggest.delete(clause, cited) if base["clause"] else "",
                               note=f"{gone}，语料库未记载继受法律")]
    title_old = cited.split("》")[0] + "》" if "》" in cited else f"《{change.law.name}》"
    title_new = f"《{succ.name}》"
    if not any(r.article is not None for r in c.refs):
        return [AffectedClause(kind="repealed", **base, successor=succ.name, new_text="",
                               suggestion=suggest.replace(clause, title_old, title_new),
                               note=f"{gone}，由《{succ.name}》取代")]
    # the likely counterpart: from the repealed article's text when the corpus has it, else the clause's words
    old_text = ""
    if change.old is not None and c.refs[0].article is not None:
        art = corpus.article(change.law.id, change.old.version, c.refs[0].article, c.refs[0].suffix)
        old_text = art.text if art else ""
    probe = old_text or _citing_text(doc, c)
    label, text, sim = _counterpart(corpus, change, probe)
    if label and sim >= COUNTERPART_MIN:
        new = f"{title_new}{label}"
        note = (f"《{change.law.name}》已废止，由《{succ.name}》取代；可能对应的条文：{label}"
                f"（相似度{sim:.2f}，依据{'原条文' if old_text else '本条文字'}，请核对）")
    else:
        new, text = f"{title_new}有关规定", ""
        note = f"《{change.law.name}》已废止，由《{succ.name}》取代；未找到可信的对应条文"
    return [AffectedClause(kind="repealed", **base, successor=succ.name, old_text=old_text, new_text=text,
                           old_article="、".join(r.label for r in c.refs if r.article is not None),
                           new_article=label if text else "", suggestion=suggest.replace(clause, cited, new),
                           note=note)]
