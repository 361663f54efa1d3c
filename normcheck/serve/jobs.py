"""Checks run on one background thread (the corpus index is opened and used by that thread only);
a job is a list of documents with its progress, polled by the page through ``GET /api/jobs/{id}``."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from normcheck.serve.store import Store


@dataclass
class Job:
    id: str
    documents: list[str]
    done: int = 0
    current: str | None = None
    state: str = "queued"  # queued | running | done
    errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def to_dict(self) -> dict[str, Any]:
        with self.lock:
            return {"id": self.id, "state": self.state, "total": len(self.documents), "done": self.done,
                    "current": self.current, "errors": self.errors, "documents": list(self.documents)}


Checker = Callable[[str], dict[str, Any]]


class Runner:
    """Runs ``check_one(doc_id)`` for each document of a job on a single worker thread."""

    def __init__(self, store: Store, check_one: Checker) -> None:
        self.store = store
        self.check_one = check_one
        self.jobs: dict[str, Job] = {}
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="normcheck-check")

    def submit(self, doc_ids: list[str]) -> Job:
        job = Job(id=uuid.uuid4().hex[:12], documents=list(doc_ids))
        self.jobs[job.id] = job
        self._pool.submit(self._run, job)
        return job

    def run_now(self, doc_id: str) -> Future[dict[str, Any]]:
        """One document on the worker thread (the synchronous ``POST /api/check`` waits on it)."""
        return self._pool.submit(self.check_one, doc_id)

    def _run(self, job: Job) -> None:
        with job.lock:
            job.state = "running"
        for doc_id in job.documents:
            with job.lock:
                job.current = doc_id
            try:
                res = self.check_one(doc_id)
                failed = bool(res.get("error"))
            except Exception:  # one bad document must not stop the job
                failed = True
            with job.lock:
                job.done += 1
                job.errors += failed
        with job.lock:
            job.state, job.current = "done", None

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
