"""Engines: run the per-document function over tasks and stream the lines back.

The interface a new engine (a Ray cluster, say) implements is :class:`Engine`: ``run(tasks)`` calls
:func:`process_task` once per :class:`Task` (each task is picklable and self-contained: the check
function is a module-level function, the corpus a path) and yields ``(task.index, line)`` as each
document finishes; :func:`in_input_order` turns that into input order (``run_batch`` journals in
completion order, so a kill loses only the documents in flight, and writes output in input order).

- :class:`InlineEngine` (``jobs=1``): in this process; the time budget is a ``SIGALRM`` timer when
  running on the main thread of a POSIX process.
- :class:`ProcessEngine` (``jobs>1``): its own worker processes (spawned clean), one document at a
  time each. Each worker walks a contiguous share of the tasks (the inputs are sorted, so a worker meets
  a few kinds and regions and reuses their retrieval views and slices instead of every worker building
  every view, issue 15); one that finishes its share takes documents from the end of the longest other.
  A document over the time budget has its worker killed and gets E011; a worker that dies
  (out of memory, a crash in C code) gives its document E998; either way a fresh worker takes over
  and the batch goes on. Workers die with their parent (``PR_SET_PDEATHSIG`` on Linux, and a
  watchdog that polls the parent's pid everywhere) and ignore Ctrl-C, which the parent handles.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import re
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Protocol

from normcheck.batch.inputs import BatchItem, precheck
from normcheck.errors import Code, NormcheckError
from normcheck.report.jsonl import as_dict, to_line
from normcheck.types.findings import DocumentInfo, Result

CheckFn = Callable[..., Result]


@dataclass(frozen=True, slots=True)
class Task:
    """One document to check, with everything the per-document function needs."""

    index: int
    fn: CheckFn
    item: BatchItem
    sha: str
    kind: str | None
    as_of: str | None
    region: str | None
    corpus: str | None
    run_key: str
    max_bytes: int
    timeout_s: float | None = None


class DocumentTimeout(BaseException):
    """Raised by the in-process alarm (a BaseException: no ``except Exception`` swallows it)."""


def shown_path(path: str) -> str:
    """The path as written into a line: a file name that is not valid UTF-8 (bytes the file system
    allows) gets U+FFFD for its bad bytes, so the line stays valid UTF-8 JSON."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _clean_message(message: str) -> str:
    return message.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def error_line(task: Task, code: str, message: str) -> str:
    it = task.item
    message = _clean_message(message)
    info = DocumentInfo(path=shown_path(it.path), title="", kind=task.kind, kind_inferred=False, as_of=task.as_of or "",
                        region=task.region, sha256=task.sha)
    d = as_dict(Result(document=info, error={"code": code, "message": message}))
    d["document"]["run_key"] = task.run_key
    return to_line(d)


def timeout_line(task: Task) -> str:
    return error_line(task, Code.TIME_BUDGET.value, f"stopped after {task.timeout_s:g} s, over the per-document "
                      "time budget: raise --timeout (NORMCHECK_DOC_TIMEOUT) or split the document")


def process_task(task: Task) -> str:
    """Check one document and return its jsonl line; never raises for a document's fault."""
    try:
        precheck(task.item.path, max_bytes=task.max_bytes)
        result = task.fn(task.item.path, kind=task.kind, as_of=task.as_of, region=task.region, corpus=task.corpus)
    except NormcheckError as exc:
        return error_line(task, exc.code.value, exc.to_dict()["message"])
    except ValueError as exc:  # a bad per-document kind/date from a manifest
        msg = str(exc)
        m = re.match(r"\[(E\d{3})\]\s*(.*)", msg, re.S)
        code, text = (m.group(1), m.group(2)) if m else (Code.BAD_MANIFEST.value, msg)
        return error_line(task, code, text)
    except OSError as exc:
        return error_line(task, Code.READ_FAILED.value, f"could not read the file: {exc.strerror or exc}")
    except RecursionError:
        return error_line(task, Code.INTERNAL.value, "internal error RecursionError: the document nests too "
                          "deeply; please report it with the document")
    except Exception as exc:  # a bug: report the document, keep the batch going
        return error_line(task, Code.INTERNAL.value, f"internal error {type(exc).__name__}: {exc}; please report "
                          "it with the document")
    d = as_dict(result)
    doc = d.setdefault("document", {})
    if task.sha and not doc.get("sha256"):
        doc["sha256"] = task.sha
    doc["run_key"] = task.run_key
    if doc.get("path") is not None:
        doc["path"] = shown_path(str(doc["path"]))
    try:
        return to_line(d)
    except UnicodeEncodeError:  # a lone surrogate somewhere in the result: never lose the document
        return json.dumps(d, ensure_ascii=True, separators=(",", ":"))


class Engine(Protocol):
    """Runs :func:`process_task` over tasks; yields ``(index, line)`` as documents finish."""

    def run(self, tasks: Iterable[Task]) -> Iterator[tuple[int, str]]: ...


def in_input_order(results: Iterable[tuple[int, str]], indices: Iterable[int]) -> Iterator[tuple[int, str]]:
    """Re-order ``(index, line)`` pairs to the order of ``indices`` (buffering the early ones)."""
    order = list(indices)
    buf: dict[int, str] = {}
    pos = 0
    for i, line in results:
        buf[i] = line
        while pos < len(order) and order[pos] in buf:
            yield order[pos], buf.pop(order[pos])
            pos += 1


# ------------------------------------------------------------------------------------------ inline


class InlineEngine:
    """One document after the other in this process."""

    def run(self, tasks: Iterable[Task]) -> Iterator[tuple[int, str]]:
        for task in tasks:
            yield task.index, self._one(task)

    @staticmethod
    def _one(task: Task) -> str:
        usable = (task.timeout_s is not None and task.timeout_s > 0 and hasattr(signal, "setitimer")
                  and threading.current_thread() is threading.main_thread())
        if not usable:
            return process_task(task)

        def on_alarm(signum: int, frame: Any) -> None:
            raise DocumentTimeout

        old = signal.signal(signal.SIGALRM, on_alarm)
        try:
            signal.setitimer(signal.ITIMER_REAL, float(task.timeout_s or 0))
            try:
                return process_task(task)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        except DocumentTimeout:
            return timeout_line(task)
        finally:
            signal.signal(signal.SIGALRM, old)


# ----------------------------------------------------------------------------------------- processes


def _die_with_parent(parent_pid: int) -> None:
    """Make this process end when its parent does (Linux: at once; elsewhere: within a second)."""
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    if os.getppid() != parent_pid:  # the parent died before the line above
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watch, name="normcheck-parent-watch", daemon=True).start()


def _worker_main(conn: Connection, parent_pid: int) -> None:
    _die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        conn.send((task.index, process_task(task)))


@dataclass(slots=True)
class _Worker:
    proc: Any
    conn: Connection
    task: Task | None = None
    started: float = 0.0
    share: int = 0


def shares(tasks: list[Task], n: int) -> list[deque[Task]]:
    """``tasks`` cut into ``n`` contiguous shares of near-equal size (the first ones one longer)."""
    n = max(1, min(n, len(tasks)))
    size, extra = divmod(len(tasks), n)
    out, lo = [], 0
    for k in range(n):
        hi = lo + size + (1 if k < extra else 0)
        out.append(deque(tasks[lo:hi]))
        lo = hi
    return out


def next_task(parts: list[deque[Task]], k: int) -> Task | None:
    """The next task of share ``k``; once it is empty, the last one of the longest other share."""
    if parts[k]:
        return parts[k].popleft()
    longest = max(parts, key=len)
    return longest.pop() if longest else None


class ProcessEngine:
    """``jobs`` worker processes, one document each at a time; see the module docstring."""

    def __init__(self, jobs: int) -> None:
        if jobs < 1:
            raise ValueError("jobs must be 1 or more")
        self.jobs = jobs
        # spawn: workers start clean (no threads or locks inherited from the parent, which may be
        # drawing a progress bar) and see the environment as it is now.
        self._ctx = multiprocessing.get_context("spawn")

    def _start(self, share: int = 0) -> _Worker:
        parent, child = self._ctx.Pipe(duplex=True)
        proc = self._ctx.Process(target=_worker_main, args=(child, os.getpid()), daemon=True,
                                 name="normcheck-worker")
        proc.start()
        child.close()
        return _Worker(proc, parent, share=share)

    @staticmethod
    def _stop(w: _Worker, *, kill: bool) -> None:
        with contextlib.suppress(Exception):
            if kill:
                w.proc.kill()
            else:
                w.conn.send(None)
        with contextlib.suppress(Exception):
            w.proc.join(timeout=None if kill else 5)
            if w.proc.is_alive():
                w.proc.kill()
                w.proc.join()
        with contextlib.suppress(Exception):
            w.conn.close()

    def run(self, tasks: Iterable[Task]) -> Iterator[tuple[int, str]]:
        parts = shares(list(tasks), self.jobs)
        workers: list[_Worker] = []
        clean = False
        try:
            while any(parts) or any(w.task is not None for w in workers):
                # hand out work: each worker the next document of its share (a replacement for a worker
                # that died or timed out takes over its share)
                for w in workers:
                    if w.task is None:
                        t = next_task(parts, w.share)
                        if t is not None:
                            self._assign(w, t)
                for k in range(len(parts)):
                    if not any(parts) or len(workers) >= self.jobs:
                        break
                    if any(w.share == k for w in workers):
                        continue
                    t = next_task(parts, k)
                    if t is None:
                        break
                    w = self._start(k)
                    workers.append(w)
                    self._assign(w, t)
                busy = [w for w in workers if w.task is not None]
                now = time.monotonic()
                deadlines = [w.started + w.task.timeout_s for w in busy if w.task and w.task.timeout_s]
                timeout = max(0.0, min(deadlines) - now) if deadlines else None
                ready = wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], timeout=timeout)
                for w in list(busy):
                    task = w.task
                    assert task is not None
                    if w.conn in ready:
                        try:
                            index, line = w.conn.recv()
                        except (EOFError, OSError):
                            index, line = task.index, None
                        w.task = None
                        if line is not None:
                            yield index, line
                            continue
                    elif w.proc.sentinel not in ready:
                        if task.timeout_s and time.monotonic() - w.started >= task.timeout_s:
                            workers.remove(w)
                            self._stop(w, kill=True)
                            yield task.index, timeout_line(task)
                        continue
                    # the worker died with a document in hand
                    if w in workers:
                        workers.remove(w)
                    code = w.proc.exitcode if w.proc.exitcode is not None else "?"
                    self._stop(w, kill=True)
                    yield task.index, error_line(task, Code.WORKER_DIED.value, f"the worker checking this document "
                                                 f"died (exit {code}; out of memory or killed?): check it alone, "
                                                 "and report it if it repeats")
            clean = True
        finally:
            for w in workers:
                self._stop(w, kill=not clean)

    @staticmethod
    def _assign(w: _Worker, task: Task) -> None:
        with contextlib.suppress(OSError):  # a worker already dead: its sentinel says so next
            w.conn.send(task)
        w.task = task
        w.started = time.monotonic()


ENGINES = ("local", "ray")
#: Engines built on this module, by name (module, class): named rather than imported, so this module
#: stays below them (the acyclic_siblings contract) and ray is imported only when asked for.
REMOTE_ENGINES = {"ray": ("normcheck.batch.ray_engine", "RayEngine")}


def make_engine(jobs: int, engine: str = "local", address: str | None = None) -> Engine:
    """``local``: in process (``jobs == 1``) or a pool of ``jobs`` processes; ``ray``: a Ray cluster
    (:mod:`normcheck.batch.ray_engine`; ``jobs > 1`` caps the tasks in flight, else the cluster's CPUs)."""
    if engine in REMOTE_ENGINES:
        import importlib

        module, name = REMOTE_ENGINES[engine]
        cls: Any = getattr(importlib.import_module(module), name)
        return cls(address, max_in_flight=jobs if jobs > 1 else None)  # type: ignore[no-any-return]
    if engine != "local":
        raise ValueError(f"unknown engine {engine!r}; use one of: {', '.join(ENGINES)}")
    if address is not None:
        raise ValueError("address is for engine='ray'")
    return InlineEngine() if jobs == 1 else ProcessEngine(jobs)
