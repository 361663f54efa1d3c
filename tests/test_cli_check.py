"""``normcheck check`` and the CSV report through the CLI (issue 7). Corpus-free: a fake check is patched in."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from normcheck.cli import check_cmd
from normcheck.report.csv_report import write_csv
from tests.batch_helpers import fake_check


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> typer.Typer:
    import normcheck.batch.run

    monkeypatch.setattr(normcheck.batch.run, "default_check_fn", lambda: fake_check)
    monkeypatch.setenv("NORMCHECK_HOME", str(tmp_path / "home"))
    a = typer.Typer()
    check_cmd.register(a)

    @a.command("other")
    def other() -> None:  # a second command keeps `check` a subcommand, as in the real app
        return None

    return a


def docs(tmp_path: Path) -> list[Path]:
    out = []
    for i, body in enumerate(["第一条　处以罚款。", "第一条　内容。"]):
        p = tmp_path / f"d{i}.txt"
        p.write_text(f"某办法{i}\n{body}", encoding="utf-8")
        out.append(p)
    return out


@pytest.mark.parametrize(("args", "code", "needle"), [
    (["--format", "pdf"], 2, "jsonl, csv, html, docx"),
    (["--kind", "nonsense"], 2, "unknown document kind"),
    (["--as-of", "2026-13-40"], 2, "E202"),
    (["--jobs", "0"], 2, "jobs"),
    (["--resume"], 2, "--out"),
    (["--format", "docx"], 2, "--out"),
    (["--corpus", "/nonexistent/c.sqlite"], 2, "normcheck corpus build"),
    (["--manifest", "/nonexistent/m.csv"], 2, "E203"),
])
def test_usage_errors_exit_2(app: typer.Typer, tmp_path: Path, args: list[str], code: int, needle: str) -> None:
    r = CliRunner().invoke(app, ["check", str(docs(tmp_path)[0]), *args])
    assert r.exit_code == code, r.output
    assert needle in r.output


def test_jsonl_to_stdout_in_order(app: typer.Typer, tmp_path: Path) -> None:
    d = docs(tmp_path)
    r = CliRunner().invoke(app, ["check", "-q", str(d[1]), str(d[0])])
    assert r.exit_code == 0, r.output
    lines = [json.loads(x) for x in r.stdout.splitlines() if x.startswith("{")]
    assert [x["document"]["path"] for x in lines] == [str(d[1]), str(d[0])]


def test_unreadable_input_exit_1(app: typer.Typer, tmp_path: Path) -> None:
    d = docs(tmp_path)
    out = tmp_path / "o.jsonl"
    r = CliRunner().invoke(app, ["check", "-q", str(d[0]), str(tmp_path / "gone.txt"), "--out", str(out)])
    assert r.exit_code == 1
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert lines[1]["error"]["code"] == "E001" and lines[0]["error"] is None


def test_missing_default_corpus_says_how_to_build(app: typer.Typer, tmp_path: Path) -> None:
    r = CliRunner().invoke(app, ["check", str(docs(tmp_path)[0]), "--out", str(tmp_path / "o.jsonl")])
    assert r.exit_code == 0
    assert "normcheck corpus build" in r.output


def test_no_path_checks_the_sample(app: typer.Typer) -> None:
    if check_cmd.sample_draft() is None:
        pytest.skip("normcheck/data/sample_draft.txt not present")
    r = CliRunner().invoke(app, ["check", "-q"])
    assert r.exit_code == 0, r.output
    line = json.loads(next(x for x in r.stdout.splitlines() if x.startswith("{")))
    assert line["document"]["path"].endswith("sample_draft.txt")


@pytest.mark.parametrize("fmt", ["csv", "html", "docx"])
def test_formats_to_file(app: typer.Typer, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / ("out" if fmt == "docx" else f"out.{fmt}")
    r = CliRunner().invoke(app, ["check", "-q", str(tmp_path), "--format", fmt, "--out", str(out)]
                           if docs(tmp_path) else [])
    assert r.exit_code == 0, r.output
    assert out.exists()
    if fmt == "csv":
        raw = out.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
        assert len(rows) == 2 and rows[0]["类型代码"] == "penalty_setting" and rows[1]["类型代码"] == ""


def test_write_csv_has_bom(tmp_path: Path) -> None:
    write_csv([], tmp_path / "e.csv")
    assert (tmp_path / "e.csv").read_bytes().startswith("\ufeff文件序号（按优先级）,".encode())
