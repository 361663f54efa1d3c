"""amended: the old version of every law/regulation with two versions in the corpus, labelled with the
articles that the next version changed or deleted (a noisy "needed attention" label; ranking metrics).

Document = the old version's file, judged as of the new version's date. Alignment:
``normcheck.corpus.versions.align_articles`` (status changed / moved_changed / deleted = positive).
The label type is ``inconsistent_with_superior`` for want of a better one; only the ranking columns mean
anything for this suite (LABEL_TYPES is every type, so any finding's clause score counts).
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from normcheck.corpus.lawfiles import list_law_files, parse_articles, versions_by_title
from normcheck.corpus.versions import align_articles
from normcheck.evaluation.dataset import FINDING_TYPES, write_splits
from normcheck.text.numerals import article_label

SUITE = "amended"
DESCRIPTION = "old versions: articles the next version changed/deleted (ranking)"
LABEL_TYPES = list(FINDING_TYPES)
SEED = 0
MAX_DOCS = 40
_POSITIVE = {"changed", "moved_changed", "deleted"}


def build(corpus_root: Path, out_dir: Path) -> dict[str, Path]:
    records = []
    for (_region, _title), files in sorted(versions_by_title(list_law_files(corpus_root)).items(),
                                           key=lambda kv: (kv[0][0] or "", kv[0][1])):
        for old, new in pairwise(files):
            old_arts = [a for a, _, _ in parse_articles(old.path.read_text(encoding="utf-8"))]
            new_arts = [a for a, _, _ in parse_articles(new.path.read_text(encoding="utf-8"))]
            if len(old_arts) < 3 or len(new_arts) < 3:
                continue
            maps = align_articles(old_arts, new_arts)
            labels = [{"type": "inconsistent_with_superior", "clause": article_label(m.old_number, m.old_suffix),
                       "outcome": "positive", "note": f"{m.status} in {new.date} (similarity {m.similarity:.2f})"}
                      for m in maps if m.status in _POSITIVE]
            records.append({"id": old.rel, "path": str(old.path), "text": None, "kind": old.kind,
                            "as_of": new.date, "region": old.region, "title": old.title, "labels": labels,
                            "meta": f'{{"new_version": "{new.rel}", "n_articles": {len(old_arts)}}}'})
    return write_splits(records, out_dir)
