"""citations: real citations (《…》 with or without 第X条) in DLC local regulations, labelled from version
facts as of the corpus snapshot date.

For the latest version of each dated DLC regulation, each citation of a national law/regulation found in the
corpus or the committed registry (``normcheck/data/registry.csv``) is labelled at the citing article:
- positive ``outdated_reference``: the cited law was repealed by the as-of date (registry facts), or the
  cited article of the version in force on the document's date was changed, moved or deleted in the
  version in force on the as-of date (``normcheck.corpus.versions.align_articles``);
- negative: the cited law is in force and the cited article unchanged (or the law is cited as a whole).
Citations of laws unknown to the corpus and registry (local regulations, 规划, …) are not labelled.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

from normcheck.corpus.lawfiles import LawFile, list_law_files, parse_articles, versions_by_title
from normcheck.corpus.versions import align_articles
from normcheck.evaluation.dataset import write_splits
from normcheck.text.numerals import NUMERAL_RE, article_label, cn_to_int

SUITE = "citations"
DESCRIPTION = "real citations in DLC regulations, labelled from version facts"
LABEL_TYPES = ["outdated_reference"]
SEED = 0
MAX_DOCS = 60
AS_OF = "2025-04-19"  # the corpus snapshot date (SOURCE.md)
_CITE = re.compile(rf"《([^》《]{{2,40}})》(?:第({NUMERAL_RE})条(?:之({NUMERAL_RE}))?)?")
_PRC = "中华人民共和国"


def _norm(title: str) -> str:
    t = title.strip()
    return t[len(_PRC):] if t.startswith(_PRC) else t


def _repealed() -> dict[str, tuple[str, str]]:
    from normcheck.corpus.registry import load_registry

    out: dict[str, tuple[str, str]] = {}
    for e in load_registry():
        if e.repealed_on:
            for name in (e.name, *e.aliases):
                out[_norm(name)] = (e.repealed_on, e.successor or "")
    return out


def _in_force(files: list[LawFile], date: str) -> LawFile | None:
    cands = [f for f in files if (f.date or "") <= date]
    return cands[-1] if cands else None


def build(corpus_root: Path, out_dir: Path) -> dict[str, Path]:
    files = list_law_files(corpus_root)
    groups = versions_by_title(files)
    national = {_norm(t): v for (r, t), v in groups.items() if r is None}
    repealed = _repealed()
    align_cache: dict[tuple[str, str], dict[tuple[int, int], str]] = {}

    def status(old: LawFile, new: LawFile, art: tuple[int, int]) -> str | None:
        key = (old.rel, new.rel)
        if key not in align_cache:
            a = [x for x, _, _ in parse_articles(old.path.read_text(encoding="utf-8"))]
            b = [x for x, _, _ in parse_articles(new.path.read_text(encoding="utf-8"))]
            align_cache[key] = {(m.old_number, m.old_suffix): m.status for m in align_articles(a, b)}
        return align_cache[key].get(art)

    records: list[dict[str, Any]] = []
    for (region, title), versions in sorted(groups.items(), key=lambda kv: (kv[0][0] or "", kv[0][1])):
        if region is None:
            continue
        doc = versions[-1]
        doc_date = doc.date or AS_OF
        text = doc.path.read_text(encoding="utf-8")
        labels: dict[str, dict[str, str | None]] = {}
        for art, start, end in parse_articles(text):
            for m in _CITE.finditer(text, start, end):
                cited = _norm(m.group(1))
                num = (cn_to_int(m.group(2)), cn_to_int(m.group(3)) if m.group(3) else 0) if m.group(2) else None
                outcome, note = None, ""
                if cited in repealed and repealed[cited][0] <= AS_OF:
                    outcome, note = "positive", f"{cited} repealed {repealed[cited][0]} ({repealed[cited][1]})"
                elif cited in national:
                    then, now = _in_force(national[cited], doc_date), _in_force(national[cited], AS_OF)
                    if then is None or now is None:
                        continue
                    if then.rel == now.rel or num is None:
                        outcome, note = "negative", f"{cited} {then.date} in force, citation current"
                    else:
                        st = status(then, now, num)
                        if st is None:
                            continue  # the cited article is not in the version of the day: not ours to judge
                        outcome = "positive" if st != "same" else "negative"
                        note = f"{cited} {article_label(*num)}: {st} from {then.date} to {now.date}"
                if outcome is None:
                    continue
                clause = article_label(art.number, art.suffix)
                if clause not in labels or (outcome == "positive" and labels[clause]["outcome"] == "negative"):
                    labels[clause] = {"type": "outdated_reference", "clause": clause, "outcome": outcome,
                                      "note": note}
        if labels:
            records.append({"id": doc.rel, "path": str(doc.path), "text": None, "kind": doc.kind,
                            "as_of": AS_OF, "region": region, "title": title, "labels": list(labels.values())})
    # keep every document with a positive and a seeded sample of three times as many all-negative ones
    pos = [r for r in records if any(lab["outcome"] == "positive" for lab in r["labels"])]
    neg = [r for r in records if r not in pos]
    neg = random.Random(SEED).sample(neg, min(len(neg), 3 * len(pos)))
    return write_splits(pos + neg, out_dir)
