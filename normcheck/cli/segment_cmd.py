"""``normcheck segment PATH... [--format json|tree]``: structure only."""

from __future__ import annotations

from pathlib import Path

import typer


def segment_command(
    paths: list[Path] = typer.Argument(..., help="Files (.txt .md .docx) or folders to segment."),  # noqa: B008
    fmt: str = typer.Option("json", "--format", "-f", help="json (one JSON object per file) or tree."),
) -> None:
    """Split documents into 编/章/节/条/款/项/目 and print the structure."""
    from normcheck.cli.render import OUTPUT_FORMATS, render

    if fmt not in OUTPUT_FORMATS:
        raise typer.BadParameter(f"expected one of {', '.join(OUTPUT_FORMATS)}", param_hint="--format")
    failed = False
    for chunk, ok in render(paths, fmt):
        typer.echo(chunk)
        failed = failed or not ok
    raise typer.Exit(1 if failed else 0)


def register(app: typer.Typer) -> None:
    """Add ``segment`` to the app."""
    app.command("segment")(segment_command)
