"""``normcheck serve``: the reviewer's workbench and REST API (thin; needs the [serve] extra)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from normcheck.errors import NormcheckError


def serve_command(
    host: Annotated[str, typer.Option("--host", help="Address to bind; off loopback a token is required.")
                    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8765,
    data_dir: Annotated[Path | None, typer.Option("--data-dir", help="Decisions database and uploads "
                                                  "(default $NORMCHECK_HOME/workbench).")] = None,
    token: Annotated[str | None, typer.Option("--token", help="Require this token on every request "
                                              "(default $NORMCHECK_SERVE_TOKEN).")] = None,
    root: Annotated[list[Path] | None, typer.Option("--root", help="A folder 'open a folder' may read under "
                                                    "(repeatable; default the current folder).")] = None,
    corpus: Annotated[str | None, typer.Option("--corpus", help="Corpus index (default the usual one).")] = None,
    reviewer: Annotated[str | None, typer.Option("--reviewer", help="Default reviewer name.")] = None,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="No access log.")] = False,
) -> None:
    """Serve the workbench: review findings in a browser, record decisions, POST /api/check."""
    from normcheck.serve.server import build_app, serve

    try:
        app = build_app(host=host, data_dir=data_dir, token=token, roots=root or (), corpus=corpus,
                        reviewer=reviewer)
    except (NormcheckError, ValueError) as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(2) from None
    if not quiet:
        typer.echo(f"normcheck workbench on http://{'[' + host + ']' if ':' in host else host}:{port}/ "
                   f"(data: {app.state.data_dir})", err=True)
    serve(app, host=host, port=port, quiet=quiet)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
