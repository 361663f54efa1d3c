"""One entry for the batch: which format (``--format`` or ``--out``'s extension), and render/write
CSV, HTML or Word reports from typed Results (JSONL is written by the batch from its journal)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import IO

from normcheck.report.filters import ALL, ReportFilter
from normcheck.types.findings import Result

FORMATS = ("jsonl", "csv", "html", "docx")
#: What an --out extension says about the format.
SUFFIX_FORMAT = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".html": "html", ".htm": "html",
                 ".docx": "docx"}


def format_for(out: str | Path | None, fmt: str | None) -> str:
    """The output format: ``fmt`` when given, else the one ``out``'s extension names, else jsonl.

    Raises ValueError [E205] for an unknown format, or when ``fmt`` and the extension disagree
    (``--format html --out report.csv`` would write HTML into a .csv).
    """
    if fmt is not None and fmt not in FORMATS:
        raise ValueError(f"[E205] unknown --format {fmt!r}; use one of: {', '.join(FORMATS)}")
    name = Path(out).name if out is not None else ""
    implied = SUFFIX_FORMAT.get(Path(name).suffix.lower()) if name else None
    if fmt is None:
        return implied or "jsonl"
    if implied is not None and implied != fmt:
        raise ValueError(f"[E205] --format {fmt} does not match --out {name} (a .{implied} name); "
                         f"drop --format, or give --out a name ending in .{fmt}"
                         + (" (or a folder)" if fmt == "docx" else ""))
    return fmt


def render_report(fmt: str, results: Sequence[Result], *, keep: ReportFilter = ALL) -> str:
    """CSV or HTML text (what goes to stdout when there is no --out)."""
    if fmt == "csv":
        from normcheck.report.csv_report import render_csv

        return render_csv(results, keep)
    if fmt == "html":
        from normcheck.report.html import render_html

        return render_html(results, keep=keep)
    raise ValueError(f"format {fmt!r} cannot be rendered as text; give --out")


def write_report(fmt: str, results: Sequence[Result], out: str | Path, *, keep: ReportFilter = ALL) -> None:
    """Write a CSV/HTML file or the Word reports (a .docx, or a folder of them) atomically."""
    if fmt == "csv":
        from normcheck.report.csv_report import write_csv

        write_csv(results, out, keep)
    elif fmt == "html":
        from normcheck.report.html import write_html

        write_html(results, out, keep=keep)
    elif fmt == "docx":
        from normcheck.report.docx_report import write_docx_reports

        write_docx_reports(results, out, keep=keep)
    else:
        raise ValueError(f"format {fmt!r} is not a report; use one of: csv, html, docx")


def stream_report(stream: IO[str], fmt: str, results: Sequence[Result], *, keep: ReportFilter = ALL) -> None:
    stream.write(render_report(fmt, results, keep=keep))
