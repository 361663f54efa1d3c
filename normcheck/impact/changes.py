"""What changed in a superior law between two of its versions, or that it was repealed (issue 16).

:func:`law_change` compares two versions through the corpus's version alignment
(``corpus.align``, :mod:`normcheck.corpus.versions`): every article of the old version is ``same``,
``moved`` (new number), ``changed`` (same number, new words), ``moved_changed`` or ``deleted``;
changed texts carry a character diff (:func:`marked_diff`). A law repealed by the newer date is a
``repealed`` change naming its successor. :func:`changes_since` lists every change after a date.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from normcheck.types.law import Law, LawVersion, Level

__all__ = ["ArticleChange", "LawChange", "changes_since", "diff_ops", "law_change", "marked_diff"]

#: Levels whose changes a cleanup campaign follows by default (``changes_since``).
CAMPAIGN_LEVELS = (Level.CONSTITUTION, Level.LAW, Level.ADMINISTRATIVE_REGULATION, Level.LOCAL_REGULATION,
                   Level.DEPARTMENT_RULE, Level.PROVINCIAL_RULE, Level.JUDICIAL_INTERPRETATION)


@dataclass(frozen=True, slots=True)
class ArticleChange:
    """One article of the old version and what became of it."""

    old_number: int
    old_suffix: int
    new_number: int | None
    new_suffix: int
    status: str  # same | moved | changed | moved_changed | deleted
    old_text: str
    new_text: str
    similarity: float


@dataclass(frozen=True, slots=True)
class LawChange:
    """A law's change from ``old`` to ``new`` (``kind`` ``revised``), or its repeal (``repealed``:
    ``new`` is None, ``successor`` the law that replaced it when known)."""

    law: Law
    kind: str
    old: LawVersion | None
    new: LawVersion | None
    successor: Law | None = None
    articles: dict[tuple[int, int], ArticleChange] = field(default_factory=dict)
    new_name: str = ""

    @property
    def effective(self) -> str:
        """The date the change took effect."""
        if self.kind == "repealed":
            return self.law.repealed_on or ""
        v = self.new
        return (v.valid_from or v.published or v.version) if v else ""

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for a in self.articles.values():
            out[a.status] = out.get(a.status, 0) + 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"law": self.law.name, "kind": self.kind, "from": self.old.version if self.old else None,
                "to": self.new.version if self.new else None, "effective": self.effective,
                "successor": self.successor.name if self.successor else None, "articles": self.counts()}


def diff_ops(a: str, b: str) -> list[tuple[str, str, str]]:
    """Character diff of two texts as (op, old part, new part); op: equal | replace | delete | insert."""
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [(op, a[i1:i2], b[j1:j2]) for op, i1, i2, j1, j2 in sm.get_opcodes()]


def marked_diff(a: str, b: str) -> tuple[str, str]:
    """Both texts with their differing parts marked: 【删：…】 in the old text, 【增：…】 in the new."""
    old, new = [], []
    for op, x, y in diff_ops(a, b):
        if op == "equal":
            old.append(x)
            new.append(y)
            continue
        if x:
            old.append(f"【删：{x}】")
        if y:
            new.append(f"【增：{y}】")
    return "".join(old), "".join(new)


def _pick_law(corpus: Any, name: str) -> Law:
    laws = corpus.find_laws(name)
    if not laws:
        hint = corpus.suggest(name)
        did = f"; did you mean: {', '.join(hint)}" if hint else ""
        raise ValueError(f"no law named {name!r} in the corpus{did}")
    national = [x for x in laws if not x.region]
    return (national or laws)[0]


def _version_at(versions: list[LawVersion], when: str) -> LawVersion | None:
    """The version named ``when`` (its date), else the last one in force on or before ``when``."""
    for v in versions:
        if v.version == when:
            return v
    before = [v for v in versions if (v.valid_from or v.published or v.version) <= when]
    return before[-1] if before else None


def law_change(corpus: Any, law: str | Law, *, from_: str | None = None, to: str | None = None) -> LawChange:
    """The change of ``law`` from version ``from_`` to ``to`` (dates; a version's own date or any date
    it was in force). Defaults: the last two versions; a repealed law's last version → its repeal.
    Raises ``ValueError`` for an unknown law or when there is nothing to compare."""
    target = law if isinstance(law, Law) else _pick_law(corpus, law)
    versions = [v for v in corpus.versions(target.id) if v.version[:1].isdigit()]
    repealed = target.repealed_on is not None and (to is None or target.repealed_on <= to)
    if repealed:
        old = _version_at(versions, from_) if from_ else (versions[-1] if versions else None)
        return LawChange(target, "repealed", old, None, corpus.successor(target.id))
    if len(versions) < 2:
        raise ValueError(f"{target.name} has {len(versions)} version(s) in the corpus "
                         f"({', '.join(v.version for v in versions) or 'none'}): nothing to compare")
    new = _version_at(versions, to) if to else versions[-1]
    old = _version_at(versions, from_) if from_ else None
    if old is None and new is not None:
        older = [v for v in versions if v.version < new.version]
        old = older[-1] if older else None
    if old is None or new is None or old.version >= new.version:
        raise ValueError(f"cannot compare {target.name} {from_ or '?'} → {to or 'latest'}; versions: "
                         f"{', '.join(v.version for v in versions)}")
    new_arts = {(a.number, a.suffix): a for a in corpus.articles(target.id, new.version)}
    old_arts = {(a.number, a.suffix): a for a in corpus.articles(target.id, old.version)}
    arts: dict[tuple[int, int], ArticleChange] = {}
    for m in corpus.align(target.id, old.version, new.version):
        oa = old_arts.get((m.old_number, m.old_suffix))
        na = new_arts.get((m.new_number, m.new_suffix)) if m.new_number is not None else None
        arts[(m.old_number, m.old_suffix)] = ArticleChange(m.old_number, m.old_suffix, m.new_number, m.new_suffix,
                                                           m.status, oa.text if oa else "", na.text if na else "",
                                                           m.similarity)
    return LawChange(target, "revised", old, new, None, arts)


def changes_since(corpus: Any, since: str, *, until: str | None = None,
                  levels: tuple[Level, ...] = CAMPAIGN_LEVELS) -> list[LawChange]:
    """Every revision and repeal that took effect after ``since`` (and on or before ``until``), as
    :class:`LawChange` from the version in force on ``since``. Laws without two versions with text,
    or with no version in force on ``since``, are left out (the corpus cannot say what changed)."""
    out: list[LawChange] = []
    for law in corpus.laws():
        if law.level not in levels:
            continue
        if law.repealed_on and since < law.repealed_on <= (until or "9999"):
            out.append(LawChange(law, "repealed", None, None, corpus.successor(law.id)))
            continue
        versions = [v for v in corpus.versions(law.id) if v.version[:1].isdigit()]
        later = [v for v in versions if since < (v.valid_from or v.version) <= (until or "9999")]
        old = _version_at(versions, since)
        if not later or old is None or old.version >= later[-1].version:
            continue
        if not corpus.articles(law.id, old.version) or not corpus.articles(law.id, later[-1].version):
            continue
        out.append(law_change(corpus, law, from_=old.version, to=later[-1].version))
    return sorted(out, key=lambda c: (c.effective, c.law.name))
