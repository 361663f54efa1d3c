"""Regression (issue 18): a decision the server acknowledged survives the server being killed mid-write.

A real ``normcheck serve`` process on 127.0.0.1; four client threads post decisions as fast as they can;
the server gets SIGKILL while requests are in flight; the database, reopened, holds every decision the
server answered 201 for (and nothing half-written).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

httpx = pytest.importorskip("httpx")
pytest.importorskip("fastapi")

from normcheck.serve.store import Store  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(data: Path, port: int, home: Path, root: Path | None = None) -> subprocess.Popen[bytes]:
    env = {**os.environ, "NORMCHECK_HOME": str(home)}
    env.pop("NORMCHECK_SERVE_TOKEN", None)
    proc = subprocess.Popen([sys.executable, "-c", "from normcheck.cli import main; main()", "serve", "--port",
                             str(port), "--data-dir", str(data), "-q", "--root", str(root or data)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/documents", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError("server did not start")


def seed(data: Path) -> tuple[str, int]:
    """A checked document with findings, written straight into the workbench database."""
    from normcheck.pipeline import check

    store = Store(data / "workbench.sqlite")
    text = "某市管理办法\n第一条 违反本办法的，处五万元罚款，吊销营业执照。\n第二条 未经许可不得经营。\n"
    res = check(text, kind="municipal_rule", as_of="2026-01-01").to_dict()
    doc_id = store.add_document(name="seed.txt", origin="api", text=text)
    store.set_result(doc_id, res, text=text, version="test")
    store.close()
    assert res["findings"]
    return doc_id, len(res["findings"])


@pytest.mark.timeout(180)
def test_acknowledged_decisions_survive_sigkill(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NORMCHECK_HOME", str(tmp_path / "home"))
    data = tmp_path / "data"
    doc_id, n_findings = seed(data)
    port = free_port()
    proc = start_server(data, port, tmp_path / "home")
    acked: list[dict[str, object]] = []
    lock = threading.Lock()
    stop = threading.Event()

    def client(worker: int) -> None:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5) as c:
            i = 0
            while not stop.is_set():
                body = {"action": "reject", "finding": i % n_findings, "reason": f"w{worker}-{i}",
                        "reviewer": f"r{worker}"}
                try:
                    r = c.post(f"/api/documents/{doc_id}/decisions", json=body)
                except httpx.HTTPError:
                    return  # the server is gone
                if r.status_code == 201:
                    with lock:
                        acked.append(r.json())
                i += 1

    threads = [threading.Thread(target=client, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    time.sleep(2.0)
    os.kill(proc.pid, signal.SIGKILL)  # mid-write: requests are in flight
    proc.wait(timeout=10)
    stop.set()
    for t in threads:
        t.join(timeout=10)
    assert len(acked) > 20, "the clients got too few answers to test anything"
    store = Store(data / "workbench.sqlite")  # recovery from the WAL happens here
    stored = {d.id: d for d in store.decisions(history=True)}
    missing = [a for a in acked if a["id"] not in stored]
    assert missing == []
    for a in acked:
        d = stored[int(str(a["id"]))]
        assert (d.reason, d.reviewer, d.finding) == (a["reason"], a["reviewer"], a["finding"])
    assert store._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    # and the restarted server serves them
    proc2 = start_server(data, port, tmp_path / "home")
    try:
        got = httpx.get(f"http://127.0.0.1:{port}/api/decisions", params={"history": "true"}, timeout=5).json()
        assert {a["id"] for a in acked} <= {g["id"] for g in got}
        assert json.dumps(got, ensure_ascii=False)
    finally:
        proc2.terminate()
        proc2.wait(timeout=10)
