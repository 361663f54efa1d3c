"""The Ray engine: the same per-document function (:func:`~normcheck.batch.engine.process_task`) on a
Ray cluster (``normcheck check --engine ray [--address …]``; the ``[ray]`` extra).

- **The corpus index, once.** When the cluster shares this machine's file system (a single-node cluster,
  or ``NORMCHECK_RAY_SHIP=path`` for a shared mount), tasks get the index path as it is. Otherwise
  (``auto`` on a multi-node cluster, or ``object``) the index file and the retrieval cache beside it
  (``<index>.retrieval.npz``) are put into the object store once; each worker process writes them to a
  local temporary folder on its first task (atomically, shared by the workers of a node) and keeps
  using that copy.
- **Results stream back** as documents finish (``run_batch`` journals them and writes input order).
  At most ``max_in_flight`` tasks are submitted at a time (default: the cluster's CPUs), so a task
  starts about when it is submitted and the driver's clock is fair to it.
- **Failures stay with their document**: ``process_task`` turns a document's fault into its line; a
  task that raises anyway gets E999, a worker that dies (out of memory, a node lost) E998. Tasks are
  never retried, so a document that kills its worker does not kill a second one.
- **The per-document time budget**: the worker runs each document under the in-process alarm of
  :class:`~normcheck.batch.engine.InlineEngine` (Ray runs a task on its worker's main thread), and the
  driver cancels (force-kills) a task still running ``GRACE_S`` after its budget (a hang in C code
  that no alarm interrupts); either way the document gets E011.
- Workers see the driver's ``NORMCHECK_*`` settings (passed as the job's ``env_vars``); model folders
  (``--model-dir``) must be at the same path on every node.

``ray`` is imported only when the engine runs: without the extra the error is E303 naming it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from normcheck.batch.engine import InlineEngine, Task, error_line, timeout_line
from normcheck.errors import Code, NormcheckError

#: Seconds past a task's budget before the driver force-cancels it (the in-worker alarm comes first).
GRACE_S = 30.0
SHIP_ENV = "NORMCHECK_RAY_SHIP"
SHIP_MODES = ("auto", "path", "object")
#: Files that travel with a corpus index (suffixes appended to its file name), when present.
SIDECARS = (".retrieval.npz",)


def import_ray() -> Any:
    """The ``ray`` module, or E303 naming the extra."""
    try:
        import ray
    except ImportError as exc:
        raise NormcheckError(Code.EXTRA_MISSING, f"--engine ray needs the [ray] extra ({exc.name or 'ray'} is "
                             "missing): pip install 'normcheck[ray]' here and on every node of the cluster") from None
    return ray


def ship_mode(value: str | None = None) -> str:
    mode = (value if value is not None else os.environ.get(SHIP_ENV, "auto")).strip().lower() or "auto"
    if mode not in SHIP_MODES:
        raise NormcheckError(Code.BAD_SETTING, f"{SHIP_ENV} must be one of {', '.join(SHIP_MODES)}, not {mode!r}")
    return mode


# ------------------------------------------------------------------------------------- worker side

#: key -> local path of a materialised corpus index (one per worker process)
_LOCAL: dict[str, str] = {}


def materialise(key: str, files: list[tuple[str, Any]], get: Any) -> str:
    """Write a shipped index (``files``: (file name, object ref of its bytes)) into a temporary
    folder of this node, once per worker process; return the index's local path (the first file).

    Several workers of a node may race: each writes its own temporary names and renames them into
    place, and the ``complete`` marker is written last, so a reader sees whole files or none."""
    hit = _LOCAL.get(key)
    if hit is not None and os.path.exists(hit):
        return hit
    folder = Path(tempfile.gettempdir()) / f"normcheck-ray-{key[:16]}"
    folder.mkdir(parents=True, exist_ok=True)
    done = folder / "complete"
    if not done.exists():
        for name, ref in files:
            data = get(ref)
            tmp = folder / f".{name}.{os.getpid()}.tmp"
            with open(tmp, "wb") as fh:
                fh.write(data)
            os.replace(tmp, folder / name)
            del data
        done.write_text(key, encoding="utf-8")
    path = str(folder / files[0][0])
    _LOCAL[key] = path
    return path


def run_remote(task: Task, shipped: list[Any] | None) -> str:
    """The body of one Ray task: materialise the index when it was shipped, then check the document
    under its time budget (never raises for the document's fault)."""
    if shipped:
        key, files = shipped[0], shipped[1]
        task = replace(task, corpus=materialise(key, files, _object_get))
    return InlineEngine._one(task)


def _object_get(ref: Any) -> Any:
    import ray

    return ray.get(ref)


# ------------------------------------------------------------------------------------- driver side


def _settings_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k.startswith("NORMCHECK_")}


def _index_files(corpus: str) -> list[Path]:
    p = Path(corpus)
    return [p] + [q for q in (p.with_name(p.name + s) for s in SIDECARS) if q.is_file()]


def _ship_key(files: list[Path]) -> str:
    h = hashlib.sha256()
    for f in files:
        st = f.stat()
        h.update(f"{f.resolve()}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


class RayEngine:
    """Runs :func:`process_task` as Ray tasks; see the module docstring.

    ``address``: a cluster to join (``auto``, ``ray://host:10001``, ``host:6379``); None starts or
    joins a local one. ``max_in_flight``: tasks submitted at once (default: the cluster's CPUs).
    ``ship``: ``auto | path | object`` (default ``$NORMCHECK_RAY_SHIP``, else auto).
    ``ray_module``: for tests, an object with ray's ``init/is_initialized/shutdown/remote/put/get/wait/
    cancel/cluster_resources/nodes`` and its ``exceptions`` (default: ``import ray``)."""

    def __init__(self, address: str | None = None, *, max_in_flight: int | None = None, ship: str | None = None,
                 ray_module: Any = None, init_kwargs: dict[str, Any] | None = None) -> None:
        if max_in_flight is not None and max_in_flight < 1:
            raise ValueError("max_in_flight must be 1 or more")
        self.address = address
        self.max_in_flight = max_in_flight
        self.ship = ship_mode(ship)
        self._ray = ray_module
        self._init_kwargs = dict(init_kwargs or {})

    # -- set-up
    def _connect(self) -> tuple[Any, bool]:
        ray = self._ray if self._ray is not None else import_ray()
        if ray.is_initialized():
            return ray, False
        kwargs: dict[str, Any] = {"ignore_reinit_error": True, "include_dashboard": False,
                                  "logging_level": "WARNING", "log_to_driver": False, **self._init_kwargs}
        env = _settings_env()
        if env:
            kwargs.setdefault("runtime_env", {"env_vars": env})
        try:
            ray.init(address=self.address, **kwargs)
        except Exception as exc:  # ConnectionError, a bad address, a cluster of another Ray version...
            where = self.address or "a local instance"
            raise NormcheckError(Code.BAD_SETTING, f"could not start or join Ray at {where} ({type(exc).__name__}: "
                                 f"{exc}): start the head with `ray start --head` and pass --address, or leave "
                                 "--address out for a local instance") from None
        return ray, True

    def _is_local(self, ray: Any) -> bool:
        """Whether every live node of the cluster is this machine (so paths are shared)."""
        try:
            import socket

            here = {"127.0.0.1", "localhost", socket.gethostname()}
            with contextlib.suppress(OSError):
                here.add(socket.gethostbyname(socket.gethostname()))
            with contextlib.suppress(Exception):
                here.add(ray.util.get_node_ip_address())
            alive = [n for n in ray.nodes() if n.get("Alive", True)]
            return all(n.get("NodeManagerAddress") in here or n.get("NodeManagerHostname") in here for n in alive)
        except Exception:
            return False

    def _shipped(self, ray: Any, tasks: list[Task]) -> dict[str, list[Any]]:
        """corpus path -> [key, [(file name, ref)]] for the indexes put into the object store."""
        from normcheck.paths import default_corpus_path

        corpora = {t.corpus or str(default_corpus_path()) for t in tasks}
        mode = self.ship if self.ship != "auto" else ("path" if self._is_local(ray) else "object")
        out: dict[str, list[Any]] = {}
        if mode == "path":
            return out
        for corpus in corpora:
            if not Path(corpus).is_file():  # missing: each document's line says so, as locally
                continue
            files = _index_files(corpus)
            refs = [(f.name, ray.put(f.read_bytes())) for f in files]
            out[corpus] = [_ship_key(files), refs]
        return out

    def _window(self, ray: Any) -> int:
        if self.max_in_flight:
            return self.max_in_flight
        try:
            return max(1, int(ray.cluster_resources().get("CPU", 1)))
        except Exception:
            return 1

    # -- the run
    def run(self, tasks: Iterable[Task]) -> Iterator[tuple[int, str]]:
        todo = list(tasks)
        if not todo:
            return
        ray, owned = self._connect()
        try:
            yield from self._run(ray, todo)
        finally:
            if owned:
                with contextlib.suppress(Exception):
                    ray.shutdown()

    def _run(self, ray: Any, todo: list[Task]) -> Iterator[tuple[int, str]]:
        from normcheck.paths import default_corpus_path

        shipped = self._shipped(ray, todo)
        remote = ray.remote(run_remote).options(num_cpus=1, max_retries=0, retry_exceptions=False)
        window = self._window(ray)
        queue = iter(todo)
        running: dict[Any, tuple[Task, float]] = {}  # ref -> (task, submitted at)

        def submit() -> None:
            while len(running) < window:
                task = next(queue, None)
                if task is None:
                    return
                ship = shipped.get(task.corpus or str(default_corpus_path()))
                running[remote.remote(task, [ship[0], ship[1]] if ship else None)] = (task, time.monotonic())

        submit()
        try:
            while running:
                deadlines = [t0 + task.timeout_s + GRACE_S for task, t0 in running.values() if task.timeout_s]
                timeout = max(0.1, min(deadlines) - time.monotonic()) if deadlines else None
                ready, _ = ray.wait(list(running), num_returns=1, timeout=timeout)
                for ref in ready:
                    task, _t0 = running.pop(ref)
                    yield task.index, self._line(ray, ref, task)
                now = time.monotonic()
                for ref, (task, t0) in list(running.items()):
                    if task.timeout_s and now - t0 >= task.timeout_s + GRACE_S:
                        with contextlib.suppress(Exception):
                            ray.cancel(ref, force=True)
                        running.pop(ref)
                        yield task.index, timeout_line(task)
                submit()
        finally:
            for ref in running:  # the consumer stopped early (Ctrl-C): stop what is still running
                with contextlib.suppress(Exception):
                    ray.cancel(ref, force=True)

    @staticmethod
    def _line(ray: Any, ref: Any, task: Task) -> str:
        exc_mod = getattr(ray, "exceptions", None)
        died = tuple(getattr(exc_mod, n) for n in ("WorkerCrashedError", "NodeDiedError", "ObjectLostError",
                                                   "OwnerDiedError", "LocalRayletDiedError")
                     if exc_mod is not None and hasattr(exc_mod, n))
        cancelled = getattr(exc_mod, "TaskCancelledError", None) if exc_mod is not None else None
        try:
            line = ray.get(ref)
        except Exception as exc:
            if cancelled is not None and isinstance(exc, cancelled):
                return timeout_line(task)
            if died and isinstance(exc, died):
                return error_line(task, Code.WORKER_DIED.value, f"the Ray worker checking this document died "
                                  f"({type(exc).__name__}; out of memory or a node lost?): check it alone, and "
                                  "report it if it repeats")
            cause = getattr(exc, "cause", None) or exc
            return error_line(task, Code.INTERNAL.value, f"internal error {type(cause).__name__}: {cause}; please "
                              "report it with the document")
        return str(line)
