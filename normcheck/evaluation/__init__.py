"""The evaluation harness behind ``normcheck eval`` (a package rather than the ``evaluation.py`` the
architecture sketch proposes: dataset, metrics, predictions, report and suites are separate modules).

``evaluate(dataset, predictions=..., compare=...) -> dict`` scores a run; ``run_suites(...)`` builds and runs
the benchmarks under ``eval/``.
"""

from __future__ import annotations

from normcheck.evaluation.core import evaluate, score
from normcheck.evaluation.dataset import Label, Record, load_dataset, split_of, validate_records, write_splits

__all__ = ["Label", "Record", "evaluate", "load_dataset", "score", "split_of", "validate_records",
           "write_splits"]
