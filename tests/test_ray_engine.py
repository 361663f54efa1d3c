"""The Ray engine (issue 15): same lines as the local engine, failures per document, resume, budgets.

Fast tests drive :class:`RayEngine` with a fake ray-like executor (threads); the real test starts a
local Ray instance with 2 CPUs (loopback only) and compares the JSONL with the local engine's byte for
byte on a small folder checked against a tiny corpus of our own (skipped when ray is absent or does not
start within 60 s).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from normcheck.batch import ray_engine
from normcheck.batch.engine import Task, make_engine
from normcheck.batch.inputs import BatchItem
from normcheck.batch.ray_engine import RayEngine, materialise, ship_mode
from normcheck.batch.run import run_batch
from normcheck.errors import NormcheckError
from tests.batch_helpers import fake_check
from tests.corpus_factories import write_demo_corpus

# ----------------------------------------------------------------------------------- a fake ray


class _Crashed(Exception):
    pass


class _Cancelled(Exception):
    pass


class _TaskError(Exception):
    def __init__(self, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.cause = cause


class _Exceptions:
    WorkerCrashedError = _Crashed
    TaskCancelledError = _Cancelled


class _Ref:
    _ids = itertools.count()

    def __init__(self, future: Future[Any] | None = None, value: Any = None) -> None:
        self.id = next(self._ids)
        self.future = future
        self.value = value
        self.cancelled = False

    def __hash__(self) -> int:
        return self.id


class FakeRay:
    """Enough of ray's API for RayEngine: tasks run on a 2-thread pool; a task whose document's path
    holds CRASH "kills its worker"; ``cancel`` makes ``get`` raise TaskCancelledError."""

    exceptions = _Exceptions

    def __init__(self, cpus: int = 2) -> None:
        self.pool = ThreadPoolExecutor(cpus)
        self.cpus = cpus
        self.up = False
        self.puts = 0
        self.submitted: list[Any] = []
        self.options_seen: dict[str, Any] = {}

    def is_initialized(self) -> bool:
        return self.up

    def init(self, address: Any = None, **kw: Any) -> None:
        self.up = True
        self.init_kw = kw

    def shutdown(self) -> None:
        self.up = False
        self.pool.shutdown(wait=False, cancel_futures=True)

    def cluster_resources(self) -> dict[str, float]:
        return {"CPU": float(self.cpus)}

    def nodes(self) -> list[dict[str, Any]]:
        return [{"Alive": True, "NodeManagerAddress": "10.9.9.9"}]  # not this machine: ship "auto" -> object

    def put(self, value: Any) -> _Ref:
        self.puts += 1
        return _Ref(value=value)

    def remote(self, fn: Any) -> Any:
        fake = self

        class _Remote:
            def options(self, **kw: Any) -> _Remote:
                fake.options_seen.update(kw)
                return self

            def remote(self, task: Task, shipped: Any) -> _Ref:
                fake.submitted.append(task.index)

                def body() -> Any:
                    if "CRASH" in task.item.path:
                        raise _Crashed("worker died")
                    try:
                        return fn(task, shipped)
                    except BaseException as exc:  # as ray's RayTaskError: an Exception with the cause
                        raise _TaskError(exc) from exc

                return _Ref(fake.pool.submit(body))

        return _Remote()

    def wait(self, refs: list[_Ref], num_returns: int = 1, timeout: float | None = None) -> tuple[list, list]:
        end = None if timeout is None else time.monotonic() + timeout
        while True:
            done = [r for r in refs if r.future is not None and r.future.done()]
            if done or (end is not None and time.monotonic() >= end):
                return done[:num_returns], [r for r in refs if r not in done[:num_returns]]
            time.sleep(0.01)

    def cancel(self, ref: _Ref, force: bool = False) -> None:
        ref.cancelled = True

    def get(self, ref: _Ref) -> Any:
        if ref.future is None:
            return ref.value
        if ref.cancelled:
            raise _Cancelled()
        return ref.future.result()


_RELEASE = threading.Event()


def slow_or_failing_check(path: str, **kw: Any) -> Any:
    """fake_check, but a document holding HANG waits (for the test to release it) and RAISE escapes as a
    BaseException subclass no ``except Exception`` in process_task catches."""
    text = Path(path).read_text("utf-8")
    if "HANG" in text:
        _RELEASE.wait(10)
    if "RAISE" in text:
        raise KeyboardInterrupt  # reaches the engine as a task failure
    return fake_check(path, **kw)


def _tasks(tmp_path: Path, texts: list[str], *, corpus: str | None = None, timeout_s: float | None = None,
           fn: Any = fake_check) -> list[Task]:
    out = []
    for i, t in enumerate(texts):
        name = "CRASH.txt" if t == "CRASH" else f"d{i}.txt"
        p = tmp_path / name
        p.write_text(f"某办法\n第一条　{t}", encoding="utf-8")
        out.append(Task(i, fn, BatchItem(str(p)), "", None, "2026-11-28", None, corpus, "k", 1 << 20, timeout_s))
    return out


# ------------------------------------------------------------------------------------- fast tests


def test_fake_ray_lines_failures_and_window(tmp_path: Path) -> None:
    fake = FakeRay()
    tasks = _tasks(tmp_path, ["处以罚款。", "CRASH", "没有问题。", "BOOM", "再罚款。"])
    got = dict(RayEngine(ray_module=fake, ship="path").run(tasks))
    assert sorted(got) == [0, 1, 2, 3, 4]
    objs = {i: json.loads(line) for i, line in got.items()}
    assert objs[1]["error"]["code"] == "E998"  # the worker died: that document only
    assert objs[3]["error"]["code"] == "E999"  # a bug in the check: that document only
    assert all(objs[i]["error"] is None for i in (0, 2, 4))
    assert len(objs[0]["findings"]) == 1 and objs[0]["document"]["run_key"] == "k"
    assert fake.options_seen["max_retries"] == 0  # a document that kills its worker is not tried twice
    assert not fake.up  # the engine started it, the engine shut it down


def test_fake_ray_task_exception_is_e999(tmp_path: Path) -> None:
    fake = FakeRay()
    tasks = _tasks(tmp_path, ["RAISE", "好的。"], fn=slow_or_failing_check)
    got = {i: json.loads(line) for i, line in RayEngine(ray_module=fake, ship="path").run(tasks)}
    assert got[0]["error"]["code"] == "E999" and got[1]["error"] is None


def test_fake_ray_budget_cancels_a_hung_task(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ray_engine, "GRACE_S", 0.2)
    _RELEASE.clear()
    fake = FakeRay()
    tasks = _tasks(tmp_path, ["HANG", "好的。"], timeout_s=0.3, fn=slow_or_failing_check)
    try:
        got = {i: json.loads(line) for i, line in RayEngine(ray_module=fake, ship="path").run(tasks)}
    finally:
        _RELEASE.set()
    assert got[0]["error"]["code"] == "E011" and got[1]["error"] is None


def test_fake_ray_ships_the_index_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "c.sqlite"
    corpus.write_bytes(b"index bytes")
    (tmp_path / "c.sqlite.retrieval.npz").write_bytes(b"retrieval bytes")
    seen: list[str] = []

    def check(path: str, *, corpus: Any = None, **kw: Any) -> Any:
        seen.append(corpus)
        return fake_check(path, corpus=corpus, **kw)

    fake = FakeRay()
    monkeypatch.setattr(ray_engine, "_object_get", fake.get)
    monkeypatch.setattr(ray_engine, "_LOCAL", {})
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "node"))
    (tmp_path / "node").mkdir()
    tasks = _tasks(tmp_path, ["一。", "二。", "三。"], corpus=str(corpus), fn=check)
    lines = list(RayEngine(ray_module=fake).run(tasks))  # auto on a "remote" cluster: object store
    assert len(lines) == 3 and fake.puts == 2  # the index and its retrieval cache, once each
    local = {Path(p) for p in seen}
    assert len(local) == 1
    (path,) = local
    assert path != corpus and path.read_bytes() == b"index bytes"
    assert (path.parent / "c.sqlite.retrieval.npz").read_bytes() == b"retrieval bytes"


def test_materialise_reuses_a_complete_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ray_engine, "_LOCAL", {})
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    calls: list[Any] = []

    def get(ref: Any) -> bytes:
        calls.append(ref)
        return b"x" * 10

    p1 = materialise("abc" * 8, [("i.sqlite", 1)], get)
    monkeypatch.setattr(ray_engine, "_LOCAL", {})  # another worker process of the same node
    p2 = materialise("abc" * 8, [("i.sqlite", 1)], get)
    assert p1 == p2 and len(calls) == 1 and Path(p1).read_bytes() == b"x" * 10


def test_settings_and_selection(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NORMCHECK_RAY_SHIP", "bogus")
    with pytest.raises(NormcheckError, match="E205"):
        ship_mode()
    assert ship_mode("OBJECT") == "object"
    monkeypatch.delenv("NORMCHECK_RAY_SHIP")
    with pytest.raises(ValueError, match="unknown engine"):
        make_engine(2, "dask")
    with pytest.raises(ValueError, match="address"):
        make_engine(2, "local", "auto")
    assert isinstance(make_engine(1, "ray"), RayEngine)
    with pytest.raises(ValueError, match="unknown engine"):
        run_batch(["x"], engine="spark", stream=object())


def test_missing_extra_is_e303(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real = builtins.__import__

    def no_ray(name: str, *a: Any, **kw: Any) -> Any:
        if name == "ray":
            raise ImportError("No module named 'ray'", name="ray")
        return real(name, *a, **kw)

    monkeypatch.setattr(builtins, "__import__", no_ray)
    with pytest.raises(NormcheckError, match=r"E303.*\[ray\]"):
        ray_engine.import_ray()


def test_cli_engine_options(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from normcheck.cli import app

    r = CliRunner().invoke(app, ["check", str(tmp_path), "--engine", "dask"])
    assert r.exit_code == 2 and "E205" in r.output
    r = CliRunner().invoke(app, ["check", str(tmp_path), "--address", "auto"])
    assert r.exit_code == 2 and "--engine ray" in r.output


# ------------------------------------------------------------------------------ a real local ray

DOCS = {
    "a/甲市示范办法.txt": "甲市示范管理办法\n第一条　为了规范示范工作，根据《示范法》，制定本办法。\n"
                          "第二条　违反本办法规定的，由主管部门责令改正，处五万元以上十万元以下罚款。\n",
    "a/乙市规定.md": "# 乙市示范规定\n\n第一条　本规定依据《示范管理条例》第三条制定。\n\n"
                     "第二条　本规定自2021年1月1日起施行。\n",
    "b/丙市条例.txt": "丙市示范条例\n第一章　总则\n第一条　为了示范，制定本条例。\n第三条　编号跳了一条。\n",
    "b/broken.docx": "this is not a zip file",
    "b/empty.txt": "",
}


@pytest.fixture(scope="module")
def ray_local() -> Any:
    ray = pytest.importorskip("ray", reason="the [ray] extra is not installed")
    import signal

    def too_slow(signum: int, frame: Any) -> None:
        raise TimeoutError("timed out")

    old = signal.signal(signal.SIGALRM, too_slow)  # ray.init belongs on the main thread
    signal.alarm(60)
    try:
        ray.init(num_cpus=2, include_dashboard=False, _node_ip_address="127.0.0.1", logging_level="ERROR",
                 log_to_driver=False, configure_logging=False)
    except Exception as exc:
        signal.alarm(0)
        with contextlib.suppress(Exception):
            ray.shutdown()
        pytest.skip(f"a local Ray instance did not start within 60 s: {exc}")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def small_batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from normcheck.corpus.ingest import build_corpus

    root = tmp_path_factory.mktemp("ray")
    src = write_demo_corpus(root / "src")
    corpus = root / "corpus.sqlite"
    build_corpus([src], corpus)
    docs = root / "docs"
    for name, text in DOCS.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")
    return docs, corpus


def _run(docs: Path, corpus: Path, out: Path, **kw: Any) -> bytes:
    run_batch([docs], out=out, corpus_path=corpus, as_of="2026-11-28", **kw)
    return out.read_bytes()


@pytest.mark.timeout(240)
def test_ray_jsonl_equals_local_byte_for_byte(ray_local: Any, small_batch: tuple[Path, Path], tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    docs, corpus = small_batch
    local = _run(docs, corpus, tmp_path / "local.jsonl", jobs=1)
    objs = [json.loads(x) for x in local.splitlines()]
    assert len(objs) == len(DOCS) and {o["error"]["code"] for o in objs if o["error"]} == {"E002", "E005"}
    assert any(o["findings"] for o in objs)  # the comparison means something: findings were made

    got = _run(docs, corpus, tmp_path / "ray.jsonl", engine="ray")  # one node: the index path as is
    assert got == local
    monkeypatch.setenv("NORMCHECK_RAY_SHIP", "object")  # as on a cluster without a shared file system
    got = _run(docs, corpus, tmp_path / "ray-object.jsonl", engine="ray")
    assert got == local

    # resume is the engine's business no more than ordering is: a half-done output is finished
    half = tmp_path / "resume.jsonl"
    half.write_bytes(b"".join(line + b"\n" for line in local.splitlines()[:2]))
    s = run_batch([docs], out=half, corpus_path=corpus, as_of="2026-11-28", engine="ray", resume=True)
    assert half.read_bytes() == local and s.resumed == 2 and s.checked == len(DOCS) - 2
