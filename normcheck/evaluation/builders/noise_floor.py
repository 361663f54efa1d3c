"""noise_floor: real regulations in force, under their true kind, judged as of their own date. They
passed review, so every high-severity alarm is presumed false; the figure is alarms per 100 articles.

Documents: the latest dated version of each regulation in the DLC local-regulation folders. No labels.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from normcheck.corpus.lawfiles import list_law_files, versions_by_title
from normcheck.evaluation.dataset import write_splits

SUITE = "noise_floor"
DESCRIPTION = "regulations in force as of their own date; every high alarm is false"
LABEL_TYPES: list[str] = []  # none: all types count as alarms
SEED = 0
MAX_DOCS = 40


def build(corpus_root: Path, out_dir: Path) -> dict[str, Path]:
    records: list[dict[str, Any]] = []
    for (region, title), files in versions_by_title(list_law_files(corpus_root)).items():
        if region is None:
            continue
        latest = files[-1]
        records.append({"id": latest.rel, "path": str(latest.path), "text": None, "kind": latest.kind,
                        "as_of": latest.date, "region": region, "title": title, "labels": []})
    return write_splits(records, out_dir)
