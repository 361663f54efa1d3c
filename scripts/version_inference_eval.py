"""Version inference on real citations in undated texts (issue 16).

For every DLC regulation that cites, with article numbers, a law the corpus holds in two or more
versions: the *truth* is what the dated regulation means (the version in force on the version date in its
file name, resolved without inference; citations of a law whose earliest version in the corpus is
later are left out: the version meant is missing) — a citation is **outdated** when that version was
superseded and the cited article moved, changed or was deleted by ``--as-of``, **unchanged** otherwise
(same article text in the current version, or the current version cited). Then the history lines are
stripped (variant ``no_history``: the 施行 article stays; variant ``undated``: its date goes too) and the
references check runs on the stripped text, with and without version inference. Recall = outdated
references flagged as superseded (article_moved/changed/moved_changed/deleted) at their address;
false-flag rate = unchanged references so flagged. Variant ``dated`` (the full text) shows what
inference changes where the history lines date the document.

    NORMCHECK_HOME=/tmp/nchome nice python scripts/version_inference_eval.py --out /tmp/vi.json

Prints one JSON object with the figures per variant (and writes the misses to ``--out``). The truth
is date-based and so imperfect: an amended regulation may keep a stale citation (truth "unchanged",
inference "outdated"); ``--out`` lists those cases for reading.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

from normcheck.checks.references import reference_findings
from normcheck.cite import LawCitation, find_citations
from normcheck.corpus.lawfiles import list_law_files
from normcheck.corpus.store import Corpus
from normcheck.resolve import resolve_citations
from normcheck.structure.kind import infer_kind
from normcheck.structure.segment import segment_text

_INFO_END = "<!-- INFO END -->"
_EFFECTIVE = re.compile(r"自\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*起\s*(施行|实施|生效)")
_SUPERSEDED = {"article_moved", "article_changed", "article_moved_changed", "article_deleted"}


def strip_history(text: str) -> str:
    """Drop the history lines (everything between the title line and ``<!-- INFO END -->``)."""
    i = text.find(_INFO_END)
    if i < 0:
        return text
    lines = text[:i].splitlines()
    title = next((ln for ln in lines if ln.startswith("# ")), "")
    return title + "\n\n" + text[i + len(_INFO_END):]


def strip_effective(text: str) -> str:
    return _EFFECTIVE.sub(lambda m: f"自公布之日起{m.group(1)}", text)


def multi_version_names(corpus: Corpus) -> dict[str, str]:
    """Short title -> law id for national laws with two or more versions that have article text."""
    out: dict[str, str] = {}
    for (law_id,) in corpus._con.execute(
            "SELECT law_id FROM versions v JOIN laws l ON l.id = v.law_id WHERE l.region = '' "
            "GROUP BY law_id HAVING COUNT(*) > 1").fetchall():
        if sum(1 for v in corpus.versions(law_id) if corpus.articles(law_id, v.version)) < 2:
            continue
        law = corpus.law(law_id)
        if law is not None:
            out[law.name.removeprefix("中华人民共和国")] = law_id
    return out


def flagged(doc: Any, corpus: Corpus, as_of: str, infer: bool) -> set[int]:
    cits = find_citations(doc)
    kind, _ = infer_kind(doc)
    res = resolve_citations(cits, doc, corpus, as_of=as_of, region=None, kind=kind, infer=infer)
    fs = reference_findings(doc, corpus, as_of=as_of, region=None, kind=kind, citations=cits, resolutions=res)
    return {f.start for f in fs if f.details.get("reason") in _SUPERSEDED}


def _keys(doc: Any, law_ids: set[str], corpus: Corpus, as_of: str, dated_on: str
          ) -> list[tuple[int, str, int, str]]:
    """(ordinal among multi-version refs, law id, article, truth) per cited article of the dated text."""
    cits = find_citations(doc)
    kind, _ = infer_kind(doc)
    res = resolve_citations(cits, doc, corpus, as_of=as_of, region=None, kind=kind, infer=False, cited_on=dated_on)
    out = []
    n = 0
    for c, r in zip(cits, res, strict=True):
        if not isinstance(c, LawCitation) or r is None or r.law is None or r.law.id not in law_ids:
            continue
        if r.law_status.value != "in_force" or r.cited_version is None or r.version is None:
            continue
        first = corpus.versions(r.law.id)[0]
        if r.cited_on < (first.valid_from or first.version):
            continue  # the version the text means is not in the corpus (W121): no truth to measure against
        mapping: dict[tuple[int, int], str] = {}
        if r.cited_version.version != r.version.version:
            mapping = {(m.old_number, m.old_suffix): m.status
                       for m in corpus.align(r.law.id, r.cited_version.version, r.version.version)}
        for ar in r.articles:
            if ar.status != "found" or ar.ref.article is None:
                continue
            st = mapping.get((ar.ref.article, ar.ref.suffix), "same") if mapping else "current"
            truth = "outdated" if st not in ("same", "current") else ("unchanged" if st == "same" else "current")
            out.append((n, r.law.id, ar.ref.article, truth))
            n += 1
    return out


def _ref_starts(doc: Any, law_ids: set[str], corpus: Corpus, as_of: str, dated_on: str | None) -> list[int]:
    """Start offsets of the multi-version refs of ``doc``, in the same order as :func:`_keys`."""
    cits = find_citations(doc)
    kind, _ = infer_kind(doc)
    res = resolve_citations(cits, doc, corpus, as_of=as_of, region=None, kind=kind, infer=False)
    out = []
    for c, r in zip(cits, res, strict=True):
        if not isinstance(c, LawCitation) or r is None or r.law is None or r.law.id not in law_ids:
            continue
        if r.law_status.value != "in_force" or r.cited_version is None or r.version is None:
            continue
        if dated_on is not None:
            first = corpus.versions(r.law.id)[0]
            if dated_on < (first.valid_from or first.version):
                continue
        for ar in r.articles:
            if ar.status == "found" and ar.ref.article is not None:
                out.append(ar.ref.start)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--root", default="/work/shared/corpora/lawrefbook")
    ap.add_argument("--as-of", default="2025-04-19")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--scope", choices=("dlc", "all"), default="dlc",
                    help="dlc: the DLC local regulations; all: every law file of the collection (national "
                         "regulations, rules and interpretations too) — more citations with article numbers")
    ap.add_argument("--out", type=Path, default=None)
    a = ap.parse_args(argv)
    corpus = Corpus.open()
    names = multi_version_names(corpus)
    law_ids = set(names.values())
    files = [f for f in list_law_files(Path(a.root)) if f.region or a.scope == "all"]
    t0 = time.time()
    counts: dict[str, dict[str, dict[str, int]]] = {}
    cases: list[dict[str, Any]] = []
    n_docs = 0
    for f in files:
        text = f.path.read_text(encoding="utf-8")
        if not any(f"{n}》第" in text for n in names):
            continue
        dated = segment_text(text, fmt="md", path=f.rel)
        if not f.date:
            continue  # the file name's version date is the truth's date
        keys = _keys(dated, law_ids, corpus, a.as_of, f.date)
        if not keys:
            continue
        n_docs += 1
        for variant, stripped in (("dated", text), ("no_history", strip_history(text)),
                                  ("undated", strip_effective(strip_history(text)))):
            doc = segment_text(stripped, fmt="md", path=f.rel)
            starts = _ref_starts(doc, law_ids, corpus, a.as_of, f.date)
            if len(starts) != len(keys):
                continue  # segmentation moved: skip rather than misalign
            for mode, infer in (("baseline", False), ("inferred", True)):
                fl = flagged(doc, corpus, a.as_of, infer)
                tab = counts.setdefault(variant, {}).setdefault(mode, {})
                for (_, law_id, art, truth), s in zip(keys, starts, strict=True):
                    hit = s in fl
                    tab[f"{truth}_n"] = tab.get(f"{truth}_n", 0) + 1
                    tab[f"{truth}_flagged"] = tab.get(f"{truth}_flagged", 0) + int(hit)
                    if mode == "inferred" and (hit != (truth == "outdated")):
                        cases.append({"file": f.rel, "variant": variant, "law": law_id, "article": art,
                                      "truth": truth, "flagged": hit})
        if a.limit and n_docs >= a.limit:
            break
    out: dict[str, Any] = {"scope": a.scope, "docs": n_docs, "seconds": round(time.time() - t0, 1), "as_of": a.as_of}
    for variant, modes in counts.items():
        for mode, tab in modes.items():
            pos, neg = tab.get("outdated_n", 0), tab.get("unchanged_n", 0) + tab.get("current_n", 0)
            fp = tab.get("unchanged_flagged", 0) + tab.get("current_flagged", 0)
            out[f"{variant}/{mode}"] = {
                **tab, "recall": round(tab.get("outdated_flagged", 0) / pos, 3) if pos else None,
                "false_flag_rate": round(fp / neg, 4) if neg else None}
    print(json.dumps(out, ensure_ascii=False, indent=1))
    if a.out:
        a.out.write_text(json.dumps(cases, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
