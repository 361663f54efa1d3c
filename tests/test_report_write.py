"""The output format from --format and --out (issue 18: ``--out report.html`` wrote JSONL into it),
and the report filter's option values."""

from __future__ import annotations

import pytest

from normcheck.report.filters import ReportFilter
from normcheck.report.write import format_for
from normcheck.types.findings import Severity


@pytest.mark.parametrize(("out", "fmt", "expected"), [
    (None, None, "jsonl"),
    ("r.jsonl", None, "jsonl"),
    ("report.html", None, "html"),
    ("REPORT.HTM", None, "html"),
    ("t.csv", None, "csv"),
    ("reviewed.docx", None, "docx"),
    ("reports", None, "jsonl"),
    ("reports", "docx", "docx"),  # a folder of Word reports
    ("r.txt", "csv", "csv"),  # an extension that names no format does not clash
    ("r.html", "html", "html"),
])
def test_format_for(out: str | None, fmt: str | None, expected: str) -> None:
    assert format_for(out, fmt) == expected


@pytest.mark.parametrize(("out", "fmt", "match"), [
    ("report.csv", "html", r"\[E205\] --format html does not match --out report.csv"),
    ("r.html", "jsonl", "E205"),
    ("r.jsonl", "docx", "or a folder"),
    (None, "pdf", "jsonl, csv, html, docx"),
])
def test_format_clash_is_a_coded_error(out: str | None, fmt: str, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        format_for(out, fmt)


@pytest.mark.parametrize(("sev", "conf", "expected"), [
    (None, None, ReportFilter()),
    ("HIGH", None, ReportFilter(Severity.HIGH, None)),
    (None, "0.5", ReportFilter(None, 0.5)),
])
def test_filter_parse(sev: str | None, conf: str | None, expected: ReportFilter) -> None:
    assert ReportFilter.parse(sev, conf) == expected


@pytest.mark.parametrize(("sev", "conf"), [("urgent", None), (None, "1.5"), (None, "x")])
def test_filter_parse_errors(sev: str | None, conf: str | None) -> None:
    with pytest.raises(ValueError, match="E205"):
        ReportFilter.parse(sev, conf)


def test_cli_format_clash_and_filter_on_jsonl_exit_2(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    import typer
    from typer.testing import CliRunner

    from normcheck.cli import check_cmd

    monkeypatch.setenv("NORMCHECK_HOME", str(tmp_path))
    app = typer.Typer()
    check_cmd.register(app)
    app.command("other")(lambda: None)
    r = CliRunner().invoke(app, ["check", "-q", "x.txt", "--format", "html", "--out", "r.csv"])
    assert r.exit_code == 2 and "E205" in r.output and "does not match" in r.output
    r = CliRunner().invoke(app, ["check", "-q", "x.txt", "--min-severity", "high"])
    assert r.exit_code == 2 and "E205" in r.output and "jsonl" in r.output
