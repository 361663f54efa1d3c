"""The ``normcheck`` command line: thin typer commands over library functions.

Each area registers its commands from its own module (one owner per file).
"""

from __future__ import annotations

import typer

from normcheck.cli import check_cmd, corpus_cmd, eval_cmd, impact_cmd, segment_cmd, serve_cmd, train_cmd

app = typer.Typer(
    name="normcheck",
    help="Check Chinese normative documents against the laws above them (备案审查).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for _module in (segment_cmd, corpus_cmd, check_cmd, eval_cmd, train_cmd, impact_cmd, serve_cmd):
    _module.register(app)


def main() -> None:
    app()
