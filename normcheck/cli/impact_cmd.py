"""``normcheck impact LAW PATH...`` / ``normcheck impact --since DATE PATH...``: thin command over
:func:`normcheck.impact.impact` and :mod:`normcheck.impact.report`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    @app.command("impact")
    def impact_cmd(
        args: Annotated[list[str], typer.Argument(help="LAW then PATH... (with --since: PATH... only).")],
        from_: Annotated[str | None, typer.Option("--from", help="Old version (a date, e.g. 2015-03-15).")] = None,
        to: Annotated[str | None, typer.Option("--to", help="New version (a date; default the latest).")] = None,
        since: Annotated[str | None, typer.Option("--since", help="Every superior change after this date.")] = None,
        fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl | csv | html.")] = "jsonl",
        out: Annotated[Path | None, typer.Option("--out", "-o", help="Report file (default stdout).")] = None,
        corpus: Annotated[Path | None, typer.Option("--corpus", help="Index file (default "
                                                    "$NORMCHECK_HOME/corpus.sqlite).")] = None,
        quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = False,
    ) -> None:
        """Which clauses of the documents a superior change touches, with suggested amendments (法规清理)."""
        from normcheck.errors import NormcheckError
        from normcheck.impact import impact
        from normcheck.impact.report import FORMATS, write_report

        if fmt not in FORMATS:
            typer.echo(f"normcheck impact: unknown --format {fmt!r}; use one of {', '.join(FORMATS)}", err=True)
            raise typer.Exit(2)
        law, paths = (None, args) if since else (args[0], args[1:])
        if not paths:
            typer.echo("normcheck impact: give LAW and at least one PATH (or --since DATE PATH...)", err=True)
            raise typer.Exit(2)
        try:
            if quiet:
                report = impact(law, paths, corpus=corpus, from_=from_, to=to, since=since)
            else:
                from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

                with Progress(TextColumn("scanning"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                              TextColumn("{task.description}"), transient=True, console=None) as bar:
                    task = bar.add_task("", total=None)

                    def tick(done: int, total: int, path: str) -> None:
                        bar.update(task, completed=done, total=total, description=path[-40:])

                    report = impact(law, paths, corpus=corpus, from_=from_, to=to, since=since, progress=tick)
        except (ValueError, NormcheckError) as exc:
            typer.echo(f"normcheck impact: {exc}", err=True)
            raise typer.Exit(2) from None
        try:
            if out is None:
                write_report(report, sys.stdout, fmt)
            else:
                with out.open("w", encoding="utf-8", newline="" if fmt == "csv" else None) as fh:
                    write_report(report, fh, fmt)
        except OSError as exc:
            typer.echo(f"normcheck impact: cannot write {out}: {exc}", err=True)
            raise typer.Exit(1) from None
        if not quiet:
            typer.echo(json.dumps(report.summary(), ensure_ascii=False), err=True)
