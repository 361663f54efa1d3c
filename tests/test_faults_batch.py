"""Fault suite, the run itself (issue 17): output, kills, locks, budgets, resume keys, corpus and caches.

Fast: a fake check (tests/batch_helpers.py) or the tiny demo corpus; files generated here.
"""

from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from normcheck.batch.run import run_batch
from normcheck.errors import NormcheckError
from tests.batch_helpers import fake_check

pytestmark = pytest.mark.timeout(60)
REPO = Path(__file__).resolve().parents[1]


def docs(root: Path, n: int = 4, body: str = "第一条　处以罚款。") -> list[Path]:
    root.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        p = root / f"d{i:02d}.txt"
        p.write_text(f"某办法{i}\n{body}{i}", encoding="utf-8")
        out.append(p)
    return out


def lines(p: Path) -> list[dict]:
    return [json.loads(x) for x in p.read_text(encoding="utf-8").splitlines()]


# ------------------------------------------------------------------------------------------- output


def test_out_is_a_directory_fails_before_checking_issue17(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = tmp_path / "calls"
    monkeypatch.setenv("NC_FAKE_CALLS", str(calls))
    (tmp_path / "outdir").mkdir()
    with pytest.raises(NormcheckError) as ei:
        run_batch(list(map(str, docs(tmp_path / "in"))), out=tmp_path / "outdir", check_fn=fake_check)
    assert ei.value.code.value == "E402" and not calls.exists()


@pytest.mark.parametrize("where", ["parent-is-a-file", "proc"])
def test_unwritable_output_is_coded_issue17(tmp_path: Path, where: str) -> None:
    (tmp_path / "afile").write_text("x")
    out = tmp_path / "afile" / "o.jsonl" if where == "parent-is-a-file" else Path("/proc/nc-none/o.jsonl")
    with pytest.raises(NormcheckError) as ei:
        run_batch(list(map(str, docs(tmp_path / "in"))), out=out, check_fn=fake_check)
    assert ei.value.code.value == "E401"


def test_long_output_name_temp_file_fits_issue17(tmp_path: Path) -> None:
    """Regression (issue 17): a report name near 255 bytes made the temporary name too long."""
    from normcheck.report.atomic import write_text_atomic

    target = tmp_path / ("审" * 80 + ".docx")  # 245 bytes
    write_text_atomic(target, "x")
    assert target.read_text() == "x"


def _mount_tmpfs(path: Path, size: str) -> bool:
    path.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True,
                       check=False)
    return r.returncode == 0


def test_disk_full_is_coded_and_resumable(tmp_path: Path) -> None:
    small = tmp_path / "small"
    if os.geteuid() != 0 or not _mount_tmpfs(small, "24k"):
        pytest.skip("cannot mount a small tmpfs here")
    try:
        files = docs(tmp_path / "in", n=40, body="第一条　" + "处以罚款。" * 60)
        with pytest.raises(NormcheckError) as ei:
            run_batch(list(map(str, files)), out=small / "o.jsonl", check_fn=fake_check)
        assert ei.value.code.value == "E403" and "--resume" in str(ei.value)
        assert not (small / "o.jsonl").exists()
        journal = small / "o.jsonl.journal.jsonl"
        data = journal.read_bytes()
        assert not data or data.endswith(b"\n")  # no half line
    finally:
        subprocess.run(["umount", str(small)], check=False)


# ------------------------------------------------------------------------------------- docx outputs


def test_docx_same_stem_in_two_folders_both_written_issue17(tmp_path: Path) -> None:
    a = docs(tmp_path / "a", n=1)
    b = docs(tmp_path / "b", n=1)
    s = run_batch([str(a[0]), str(b[0])], out=tmp_path / "rep", fmt="docx", check_fn=fake_check)
    names = sorted(p.name for p in (tmp_path / "rep").glob("*.批注.docx"))
    assert names == ["d00-2.批注.docx", "d00.批注.docx"] and s.failed == 0


def test_docx_one_file_for_several_inputs_is_refused_up_front_issue17(tmp_path: Path) -> None:
    with pytest.raises(NormcheckError) as ei:
        run_batch(list(map(str, docs(tmp_path / "in", n=3))), out=tmp_path / "one.docx", fmt="docx",
                  check_fn=fake_check)
    assert ei.value.code.value == "E405"


def test_docx_c0_control_character_does_not_abort_the_batch_issue17(tmp_path: Path) -> None:
    files = docs(tmp_path / "in", n=3)
    files[1].write_text("某办法\x01\n第一条　处以\x0b罚款。\x1f", encoding="utf-8")
    s = run_batch(list(map(str, files)), out=tmp_path / "rep", fmt="docx", check_fn=fake_check)
    assert s.failed == 0
    assert len(list((tmp_path / "rep").glob("*.批注.docx"))) == 3
    assert (tmp_path / "rep" / "审查意见汇总.docx").is_file()


# -------------------------------------------------------------------------------- resume, lock, kill


def test_resume_rechecks_when_options_change_issue17(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = list(map(str, docs(tmp_path / "in", n=3)))
    out = tmp_path / "o.jsonl"
    run_batch(files, out=out, check_fn=fake_check, kind="municipal_rule", as_of="2026-01-01")
    calls = tmp_path / "calls"
    monkeypatch.setenv("NC_FAKE_CALLS", str(calls))
    s = run_batch(files, out=out, check_fn=fake_check, kind="municipal_rule", as_of="2026-01-01", resume=True)
    assert s.resumed == 3 and not calls.exists()
    s = run_batch(files, out=out, check_fn=fake_check, kind="municipal_rule", as_of="2027-01-01", resume=True)
    assert s.checked == 3 and s.resumed == 0
    assert {x["document"]["as_of"] for x in lines(out)} == {"2027-01-01"}
    s = run_batch(files, out=out, check_fn=fake_check, kind="provincial_rule", as_of="2027-01-01", resume=True)
    assert s.checked == 3


def test_resume_rechecks_when_a_manifest_row_changes_issue17(tmp_path: Path) -> None:
    files = docs(tmp_path / "in", n=2)
    m = tmp_path / "m.csv"
    m.write_text(f"path,kind\n{files[0]},municipal_rule\n{files[1]},municipal_rule\n", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    run_batch([], manifest=m, out=out, check_fn=fake_check)
    m.write_text(f"path,kind\n{files[0]},municipal_rule\n{files[1]},provincial_rule\n", encoding="utf-8")
    s = run_batch([], manifest=m, out=out, check_fn=fake_check, resume=True)
    assert s.resumed == 1 and s.checked == 1
    assert [x["document"]["kind"] for x in lines(out)] == ["municipal_rule", "provincial_rule"]


def _batch_proc(files: list[Path], out: Path, jobs: int, sleep: float, extra_env: dict[str, str] | None = None,
                ) -> subprocess.Popen[bytes]:
    code = (f"import sys; sys.path.insert(0, {str(REPO)!r})\n"
            "from tests.batch_helpers import fake_check\nfrom normcheck.batch.run import run_batch\n"
            f"run_batch({[str(f) for f in files]!r}, out={str(out)!r}, jobs={jobs}, check_fn=fake_check)\n")
    env = {**os.environ, "NC_FAKE_SLEEP": str(sleep), **(extra_env or {})}
    return subprocess.Popen([sys.executable, "-c", code], env=env, stderr=subprocess.PIPE)


def _wait_lines(journal: Path, n: int, proc: subprocess.Popen[bytes], timeout: float = 40) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if journal.exists() and journal.read_bytes().count(b"\n") >= n:
            return
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        time.sleep(0.02)
    raise AssertionError("the batch made no progress")


def test_two_writers_on_one_out_second_is_refused_issue17(tmp_path: Path) -> None:
    files = docs(tmp_path / "in", n=8)
    out = tmp_path / "o.jsonl"
    proc = _batch_proc(files, out, 1, 0.2)
    try:
        _wait_lines(Path(str(out) + ".journal.jsonl"), 1, proc)
        with pytest.raises(NormcheckError) as ei:
            run_batch(list(map(str, files)), out=out, check_fn=fake_check, resume=True)
        assert ei.value.code.value == "E404"
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == 0 and len(lines(out)) == 8


def _children(pid: int) -> list[int]:
    try:
        raw = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(x) for x in raw.split()]


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.split(") ", 1)[1][0] != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs /proc")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_with_their_parent_issue17(tmp_path: Path, sig: int) -> None:
    files = docs(tmp_path / "in", n=12)
    out = tmp_path / "o.jsonl"
    proc = _batch_proc(files, out, 2, 0.3)
    _wait_lines(Path(str(out) + ".journal.jsonl"), 1, proc)
    workers = [c for c in _children(proc.pid) if _alive(c)]
    assert len(workers) >= 2
    os.kill(proc.pid, sig)
    proc.wait(timeout=10)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.05)
    assert not [w for w in workers if _alive(w)], "workers outlived their parent"
    s = run_batch(list(map(str, files)), out=out, check_fn=fake_check, resume=True)  # and resume finishes
    assert s.resumed + s.checked == 12 and len(lines(out)) == 12


def test_sigint_is_a_clean_stop_and_resume_finishes(tmp_path: Path) -> None:
    files = docs(tmp_path / "in", n=10)
    out = tmp_path / "o.jsonl"
    code = (f"import sys; sys.path.insert(0, {str(REPO)!r})\n"
            "import normcheck.batch.run as r\nfrom tests.batch_helpers import fake_check\n"
            "r.default_check_fn = lambda: fake_check\n"
            "from normcheck.cli import main\nsys.argv = ['normcheck', 'check', '-q', '--out', "
            f"{str(out)!r}, *{[str(f) for f in files]!r}]\nmain()\n")
    proc = subprocess.Popen([sys.executable, "-c", code], env={**os.environ, "NC_FAKE_SLEEP": "0.2"},
                            stderr=subprocess.PIPE)
    _wait_lines(Path(str(out) + ".journal.jsonl"), 2, proc)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 130, err
    assert b"Traceback" not in err and b"--resume" in err
    assert not out.exists()
    s = run_batch(list(map(str, files)), out=out, check_fn=fake_check, resume=True)
    assert s.resumed >= 2 and len(lines(out)) == 10


# ---------------------------------------------------------------------------------- budgets, workers


def slow_check(path: str, **kw: object) -> object:
    if "SLOW" in Path(path).read_text(encoding="utf-8"):
        time.sleep(60)
    return fake_check(path, **kw)  # type: ignore[arg-type]


def crash_check(path: str, **kw: object) -> object:
    if "CRASH" in Path(path).read_text(encoding="utf-8"):
        os._exit(9)  # like the OOM killer
    return fake_check(path, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("jobs", [1, 2])
def test_time_budget_ends_a_runaway_document_issue17(tmp_path: Path, jobs: int) -> None:
    files = docs(tmp_path / "in", n=4)
    files[1].write_text("SLOW\n第一条　内容。", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    t0 = time.monotonic()
    s = run_batch(list(map(str, files)), out=out, check_fn=slow_check, jobs=jobs, timeout_s=1.5)
    assert time.monotonic() - t0 < 30
    got = lines(out)
    assert [g["error"]["code"] if g["error"] else None for g in got] == [None, "E011", None, None]
    assert s.failed == 1


def test_a_dead_worker_is_reported_and_the_batch_goes_on(tmp_path: Path) -> None:
    files = docs(tmp_path / "in", n=4)
    files[2].write_text("CRASH\n第一条　内容。", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    run_batch(list(map(str, files)), out=out, check_fn=crash_check, jobs=2)
    assert [g["error"]["code"] if g["error"] else None for g in lines(out)] == [None, None, "E998", None]


def test_bad_timeout_setting_is_coded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NORMCHECK_DOC_TIMEOUT", "soon")
    with pytest.raises(NormcheckError) as ei:
        run_batch(list(map(str, docs(tmp_path / "in", n=1))), stream=io.StringIO(), check_fn=fake_check)
    assert ei.value.code.value == "E205"


# --------------------------------------------------------------------------------- corpus and caches


@pytest.fixture(scope="module")
def demo_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from normcheck.corpus.ingest import build_corpus
    from tests.corpus_factories import write_demo_corpus

    root = tmp_path_factory.mktemp("demo")
    src = write_demo_corpus(root / "src")
    out = root / "corpus.sqlite"
    build_corpus([src], out)
    return out


def _copy(src: Path, dst: Path, n: int | None = None) -> Path:
    data = src.read_bytes()
    dst.write_bytes(data if n is None else data[:n])
    return dst


@pytest.mark.parametrize("kind", ["empty", "random", "truncated", "text"])
def test_broken_index_is_e102(tmp_path: Path, demo_index: Path, kind: str) -> None:
    from normcheck.corpus.store import Corpus

    p = tmp_path / "c.sqlite"
    if kind == "empty":
        p.write_bytes(b"")
    elif kind == "random":
        p.write_bytes(os.urandom(8192))
    elif kind == "truncated":
        _copy(demo_index, p, 4096)
    else:
        p.write_text("SQLite format 3 but not really", encoding="utf-8")
    with pytest.raises(NormcheckError) as ei:
        c = Corpus.open(p)
        list(c.laws())
        for law in c.laws():
            for v in c.versions(law.id):
                c.articles(law.id, v.version)
    assert ei.value.code.value == "E102"


def test_index_corrupted_mid_file_raises_coded_errors_issue17(tmp_path: Path, demo_index: Path) -> None:
    from normcheck.corpus.store import Corpus

    p = _copy(demo_index, tmp_path / "c.sqlite")
    size = p.stat().st_size
    with open(p, "r+b") as fh:  # scribble over everything after the first pages
        fh.seek(8192)
        fh.write(os.urandom(size - 8192))
    with pytest.raises(NormcheckError) as ei:
        c = Corpus.open(p)
        for law in c.laws():
            for v in c.versions(law.id):
                c.articles(law.id, v.version)
        c.content_id()
    assert ei.value.code.value == "E102"


def test_corrupt_index_is_a_document_error_not_a_note_issue17(tmp_path: Path, demo_index: Path) -> None:
    import normcheck

    p = _copy(demo_index, tmp_path / "c.sqlite")
    size = p.stat().st_size
    with open(p, "r+b") as fh:
        fh.seek(8192)
        fh.write(os.urandom(size - 8192))
    r = normcheck.check("某市测试办法\n第一条　根据《中华人民共和国示范法》，制定本办法。\n", corpus=p)
    assert r.error is not None and r.error["code"] == "E102"


@pytest.mark.parametrize("name", ["a?b", "c#d", "e%20f", "g h"])
def test_corpus_path_with_uri_characters_issue17(tmp_path: Path, demo_index: Path, name: str) -> None:
    """Regression (issue 17): ?, # and % in the index path failed with E102 (and ? made a stray file)."""
    from normcheck.corpus.store import Corpus

    d = tmp_path / name
    d.mkdir()
    p = _copy(demo_index, d / "corpus.sqlite")
    before = set(tmp_path.rglob("*"))
    with Corpus.open(p) as c:
        assert list(c.laws())
    assert set(tmp_path.rglob("*")) == before  # no stray file


def test_read_only_index_opens(tmp_path: Path, demo_index: Path) -> None:
    from normcheck.corpus.store import Corpus

    p = _copy(demo_index, tmp_path / "c.sqlite")
    p.chmod(0o444)
    tmp_path.chmod(0o555)
    try:
        with Corpus.open(p) as c:
            assert list(c.laws())
    finally:
        tmp_path.chmod(0o755)


@pytest.mark.timeout(30)
def test_locked_index_says_locked_not_rebuild_issue17(tmp_path: Path, demo_index: Path) -> None:
    from normcheck.corpus.store import Corpus

    p = _copy(demo_index, tmp_path / "c.sqlite")
    con = sqlite3.connect(p)
    con.execute("PRAGMA journal_mode=DELETE")
    con.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(NormcheckError) as ei:
            Corpus.open(p)
        assert ei.value.code.value == "E106" and "locked" in str(ei.value)
    finally:
        con.rollback()
        con.close()


@pytest.mark.parametrize("damage", ["truncated", "random", "wrong-arrays", "empty"])
def test_retrieval_cache_damaged_is_rebuilt_issue17(tmp_path: Path, damage: str) -> None:
    import numpy as np

    from normcheck.checks.consistency.retrieve import SuperiorIndex
    from normcheck.types.law import Article, Law, LawVersion, Level, Status
    from tests.consistency_factories import _cn

    law = Law(id="l1", name="示范法", level=Level.LAW)
    ver = LawVersion(law_id="l1", version="2020-01-01", status=Status.IN_FORCE)
    from normcheck.checks.consistency.retrieve import Entry

    entries = [Entry(law, ver, Article(law_id="l1", version="2020-01-01", number=i, label=f"第{_cn(i)}条",
                                       text=f"示范活动第{_cn(i)}项应当备案登记管理{'罚款' * (i % 3)}"))
               for i in range(1, 40)]
    cache = tmp_path / "c.retrieval.npz"
    good = SuperiorIndex.load_or_build(entries, cache, "k1")
    want = good.search("示范活动备案罚款", k=3)
    raw = cache.read_bytes()
    if damage == "truncated":
        cache.write_bytes(raw[: len(raw) // 2])
    elif damage == "random":
        cache.write_bytes(os.urandom(len(raw)))
    elif damage == "empty":
        cache.write_bytes(b"")
    else:
        with np.load(cache) as z:
            arrays = {k: z[k] for k in z.files}
        arrays["bm25_docs"] = arrays["bm25_docs"][:3]
        np.savez(cache, **arrays)
    again = SuperiorIndex.load_or_build(entries, cache, "k1")
    assert again.search("示范活动备案罚款", k=3) == want
    fresh = SuperiorIndex.load_or_build(entries, cache, "k1")  # the cache was replaced by a good one
    with np.load(cache) as z:
        assert str(z["key"]) == "k1" and len(z["bm25_docs"]) == len(good._bm25.docs)
    assert len(fresh) == len(entries)


# ----------------------------------------------------------------------------------------------- CLI


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    import typer

    import normcheck.batch.run
    from normcheck.cli import check_cmd

    monkeypatch.setattr(normcheck.batch.run, "default_check_fn", lambda: fake_check)
    monkeypatch.setenv("NORMCHECK_HOME", str(tmp_path / "home"))
    app = typer.Typer()
    check_cmd.register(app)
    app.command("other")(lambda: None)
    return app


def test_cli_missing_corpus_warning_survives_quiet_issue17(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    r = CliRunner().invoke(cli, ["check", "-q", str(docs(tmp_path / "in", n=1)[0]), "--out", str(tmp_path / "o.jsonl")])
    assert r.exit_code == 0 and "E101" in r.output and "normcheck corpus build" in r.output


@pytest.mark.parametrize(("args", "code"), [(["--out", "DIR"], "E402"), (["--timeout", "-1"], "E205"),
                                            (["--jobs", "0"], "E205"), (["--out", "FILE/x.jsonl"], "E401"),
                                            (["--format", "docx", "--out", "one.docx"], "E405")])
def test_cli_bad_arguments_are_coded_no_traceback(cli, tmp_path: Path, args: list[str], code: str) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    (tmp_path / "DIR").mkdir()
    (tmp_path / "FILE").write_text("x")
    args = [str(tmp_path / a) if a in ("DIR", "FILE/x.jsonl", "one.docx") else a for a in args]
    r = CliRunner().invoke(cli, ["check", "-q", *map(str, docs(tmp_path / "in", n=2)), *args])
    assert r.exit_code == 2, r.output
    assert (code in r.output and "Traceback" not in r.output and r.exception is None) or isinstance(r.exception,
                                                                                                  SystemExit)
