"""Batch runs: inputs (files, folders, manifests), the resumable journal, and the engines that run
one check per document (``run``)."""

from normcheck.batch.run import BatchItem, BatchSummary, collect_inputs, read_manifest, run_batch

__all__ = ["BatchItem", "BatchSummary", "collect_inputs", "read_manifest", "run_batch"]
