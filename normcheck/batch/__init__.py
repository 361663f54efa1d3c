"""Batch runs: inputs (files, folders, manifests; :mod:`~normcheck.batch.inputs`), the resumable,
locked journal (:mod:`~normcheck.batch.journal`), and the engines that run one check per document
(:mod:`~normcheck.batch.engine`); :func:`run_batch` (:mod:`~normcheck.batch.run`) ties them together."""

from normcheck.batch.engine import Engine, InlineEngine, ProcessEngine, Task, process_task
from normcheck.batch.inputs import BatchItem, collect_inputs, read_manifest
from normcheck.batch.run import BatchSummary, run_batch

__all__ = ["BatchItem", "BatchSummary", "Engine", "InlineEngine", "ProcessEngine", "Task", "collect_inputs",
           "process_task", "read_manifest", "run_batch"]
