"""Batch runs: input order, isolation of errors, manifests, atomic output, kill and resume (issue 7)."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from normcheck.batch.run import collect_inputs, read_manifest, run_batch
from normcheck.errors import NormcheckError
from tests.batch_helpers import fake_check

TESTS = Path(__file__).parent


def make_tree(root: Path, n: int = 6) -> list[Path]:
    files = []
    for i in range(n):
        sub = root / ("a" if i % 2 else "b")
        sub.mkdir(parents=True, exist_ok=True)
        p = sub / f"doc{i:02d}.txt"
        p.write_text(f"某市测试办法{i}\n第一条　测试内容{i}。" + ("处以罚款。" if i % 3 == 0 else ""), encoding="utf-8")
        files.append(p)
    (root / "b" / "ignore.xyz").write_text("x")  # an unknown suffix is left out (a .pdf is kept: issue 17)
    (root / ".hidden").mkdir()
    (root / ".hidden" / "x.txt").write_text("x")
    return files


def lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_collect_inputs_walks_sorted_and_dedups(tmp_path: Path) -> None:
    make_tree(tmp_path)
    items = collect_inputs([tmp_path, tmp_path / "a" / "doc01.txt"])
    names = [Path(i.path).relative_to(tmp_path).as_posix() for i in items]
    assert names == ["a/doc01.txt", "a/doc03.txt", "a/doc05.txt", "b/doc00.txt", "b/doc02.txt", "b/doc04.txt"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_order_errors_isolated(tmp_path: Path, jobs: int) -> None:
    files = make_tree(tmp_path / "in")
    files[2].write_text("BOOM", encoding="utf-8")
    paths = [str(f) for f in files] + [str(tmp_path / "missing.txt")]
    out = tmp_path / "out.jsonl"
    s = run_batch(paths, out=out, jobs=jobs, check_fn=fake_check)
    got = lines(out)
    assert [g["document"]["path"] for g in got] == paths
    assert got[2]["error"]["code"] == "E999"
    assert got[-1]["error"]["code"] == "E001"
    assert all(g["error"] is None for i, g in enumerate(got) if i not in (2, len(got) - 1))
    assert s.total == 7 and s.failed == 2 and s.exit_code == 1 and s.checked == 7
    assert s.findings["penalty_setting"] == 2  # doc00 and doc03 have 罚款
    assert not Path(str(out) + ".journal.jsonl").exists()


def test_stream_output_in_order(tmp_path: Path) -> None:
    files = make_tree(tmp_path)
    buf = io.StringIO()
    s = run_batch([str(f) for f in files], stream=buf, check_fn=fake_check)
    got = [json.loads(x) for x in buf.getvalue().splitlines()]
    assert [g["document"]["path"] for g in got] == [str(f) for f in files]
    assert s.exit_code == 0


def test_manifest_csv_and_jsonl(tmp_path: Path) -> None:
    make_tree(tmp_path)
    (tmp_path / "m.csv").write_text("path,kind,as_of,region\nb/doc00.txt,municipal_rule,2020-01-01,上海\n"
                                    "a/doc01.txt,,,\n", encoding="utf-8-sig")
    items = read_manifest(tmp_path / "m.csv")
    assert [(Path(i.path).name, i.kind, i.as_of, i.region) for i in items] == [
        ("doc00.txt", "municipal_rule", "2020-01-01", "上海"), ("doc01.txt", None, None, None)]
    (tmp_path / "m.jsonl").write_text(json.dumps({"path": "a/doc03.txt", "region": "浙江"}) + "\n", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    run_batch([], manifest=tmp_path / "m.jsonl", out=out, check_fn=fake_check)
    assert lines(out)[0]["document"]["region"] == "浙江"


@pytest.mark.parametrize(("content", "name"), [("no header\nx", "bad.csv"), ("{not json", "bad.jsonl")])
def test_bad_manifest(tmp_path: Path, content: str, name: str) -> None:
    (tmp_path / name).write_text(content, encoding="utf-8")
    with pytest.raises(NormcheckError) as ei:
        read_manifest(tmp_path / name)
    assert ei.value.code.value == "E203"


def test_misuse_is_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="jsonl, csv, html, docx"):
        run_batch([], fmt="pdf", out=tmp_path / "x")
    with pytest.raises(ValueError, match="--out"):
        run_batch([], resume=True, stream=io.StringIO())


def test_resume_skips_by_content_hash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = make_tree(tmp_path / "in")
    out = tmp_path / "out.jsonl"
    run_batch([str(f) for f in files[:4]], out=out, check_fn=fake_check)
    first = out.read_text(encoding="utf-8").splitlines()
    calls = tmp_path / "calls.txt"
    monkeypatch.setenv("NC_FAKE_CALLS", str(calls))
    moved = tmp_path / "moved.txt"  # files[0] renamed: matched by hash, not re-checked
    files[0].rename(moved)
    s = run_batch([str(moved), *map(str, files[1:])], out=out, check_fn=fake_check, resume=True)
    assert sorted(calls.read_text(encoding="utf-8").splitlines()) == sorted(map(str, files[4:]))
    assert s.resumed == 4 and s.checked == 2
    got = out.read_text(encoding="utf-8").splitlines()
    assert got[1:4] == first[1:4]
    assert [json.loads(x)["document"]["path"] for x in got] == [str(moved), *map(str, files[1:])]


def _run_killed(tmp_path: Path, files: list[Path], out: Path, jobs: int, kill_after: int) -> None:
    code = (f"import sys; sys.path.insert(0, {str(TESTS.parent)!r})\n"
            "from tests.batch_helpers import fake_check\nfrom normcheck.batch.run import run_batch\n"
            f"run_batch({[str(f) for f in files]!r}, out={str(out)!r}, jobs={jobs}, check_fn=fake_check)\n")
    env = {**os.environ, "NC_FAKE_SLEEP": "0.15", "NC_FAKE_CALLS": str(tmp_path / "calls1.txt")}
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, start_new_session=True)
    journal = Path(str(out) + ".journal.jsonl")
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            if journal.exists() and journal.read_bytes().count(b"\n") >= kill_after:
                break
            assert proc.poll() is None, "the batch finished before it could be killed"
            time.sleep(0.02)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the run and its workers, like a kill -9 / power cut
        proc.wait()


@pytest.mark.parametrize("jobs", [1, 2])
def test_kill_midway_then_resume_loses_nothing_repeats_nothing(tmp_path: Path, jobs: int,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    files = make_tree(tmp_path / "in", n=16)
    out = tmp_path / "out.jsonl"
    _run_killed(tmp_path, files, out, jobs, kill_after=4)
    assert not out.exists()  # never a half-written output
    journal = Path(str(out) + ".journal.jsonl")
    with open(journal, "ab") as fh:  # as if killed in the middle of writing a line
        fh.write(b'{"schema_version": 1, "document": {"pa')
    done_before = journal.read_bytes().count(b"\n")
    assert 4 <= done_before < 16
    calls = tmp_path / "calls2.txt"
    monkeypatch.setenv("NC_FAKE_CALLS", str(calls))
    s = run_batch([str(f) for f in files], out=out, jobs=jobs, check_fn=fake_check, resume=True)
    rechecked = calls.read_text(encoding="utf-8").splitlines()
    assert len(rechecked) == 16 - done_before == s.checked
    got = lines(out)
    assert [g["document"]["path"] for g in got] == [str(f) for f in files]  # all, once, in input order
    ref = tmp_path / "ref.jsonl"
    run_batch([str(f) for f in files], out=ref, check_fn=fake_check)
    assert got == lines(ref)
    assert not journal.exists()


def test_resume_retries_error_lines_and_keeps_foreign_lines(tmp_path: Path) -> None:
    files = make_tree(tmp_path / "in", n=3)
    out = tmp_path / "out.jsonl"
    files[1].write_text("BOOM", encoding="utf-8")
    run_batch([str(f) for f in files], out=out, check_fn=fake_check)
    assert lines(out)[1]["error"]
    files[1].write_text("fixed\n第一条　内容", encoding="utf-8")
    other = make_tree(tmp_path / "other", n=1)
    run_batch([str(other[0])], out=out, check_fn=fake_check, resume=True)  # a different input set
    got = lines(out)
    assert [Path(g["document"]["path"]).parent.parent.name for g in got] == ["other", "in", "in", "in"]
    s = run_batch([str(f) for f in files], out=out, check_fn=fake_check, resume=True)
    got = lines(out)
    assert s.checked == 1 and s.failed == 0 and len(got) == 4
    assert [g["error"] for g in got] == [None] * 4
