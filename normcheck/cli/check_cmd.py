"""``normcheck check``: check documents and write jsonl/csv/html/docx (thin over ``batch.run_batch``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from normcheck.errors import NormcheckError

FORMATS = ("jsonl", "csv", "html", "docx")


def sample_draft() -> Path | None:
    """The embedded sample draft checked when no PATH is given."""
    from normcheck.paths import data_file

    p = data_file("sample_draft.txt")
    return p if p.is_file() else None


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"normcheck check: {message}", err=True)
    return typer.Exit(code)


def register(app: typer.Typer) -> None:
    @app.command("check")
    def check(
        paths: Annotated[list[Path] | None, typer.Argument(
            help="Files (.txt .md .docx) or folders (walked recursively). None: the sample draft.")] = None,
        kind: Annotated[str | None, typer.Option(help="Document kind: a code or its Chinese name "
                                                  "(inferred when absent).")] = None,
        as_of: Annotated[str | None, typer.Option("--as-of", help="Judge citations as of YYYY-MM-DD "
                                                  "(default today).")] = None,
        region: Annotated[str | None, typer.Option(help="Region: a province's short name, as in data/regions.json "
                                                   "(inferred when absent).")] = None,
        corpus: Annotated[Path | None, typer.Option(help="Corpus index (default $NORMCHECK_HOME/corpus.sqlite).")
                          ] = None,
        format_: Annotated[str | None, typer.Option("--format", "-f", help="jsonl | csv | html | docx "
                                                    "(default: from --out's extension, else jsonl).")] = None,
        min_severity: Annotated[str | None, typer.Option(help="Reports (csv/html/docx) show findings of this "
                                                         "severity or higher: high | medium | low.")] = None,
        min_confidence: Annotated[float | None, typer.Option(help="Reports (csv/html/docx) show findings with "
                                                             "at least this confidence (0-1).")] = None,
        out: Annotated[Path | None, typer.Option("--out", "-o", help="Output file (docx: a .docx for one "
                                                 "document, else a folder). Default: stdout.")] = None,
        jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes (--engine ray: tasks in flight; "
                                          "default the cluster's CPUs).")] = 1,
        engine: Annotated[str, typer.Option(help="local (this machine) | ray (a Ray cluster; the [ray] extra).")
                          ] = "local",
        address: Annotated[str | None, typer.Option(help="--engine ray: the cluster to join (auto, HOST:6379, "
                                                    "ray://HOST:10001; default a local instance).")] = None,
        manifest: Annotated[Path | None, typer.Option(help="CSV/JSONL with per-document path, kind, as_of, "
                                                      "region.")] = None,
        resume: Annotated[bool, typer.Option(help="Skip documents already in --out (matched by content "
                                             "sha256).")] = False,
        model_dir: Annotated[list[Path] | None, typer.Option("--model-dir", help="A trained model folder to plug "
                                                            "in (pair cross-encoder; repeatable). Default "
                                                            "$NORMCHECK_MODELS, else the rules alone; an unusable "
                                                            "folder is a W130 note.")] = None,
        quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = False,
        timeout: Annotated[float | None, typer.Option(help="Per-document time budget in seconds (0: none; default "
                                                      "$NORMCHECK_DOC_TIMEOUT or 300); a document over it gets "
                                                      "E011 and the batch goes on.")] = None,
    ) -> None:
        """Check documents against the laws above them; one result per document, in input order."""
        if model_dir:  # read by normcheck.ml.plug in every worker (issue 12)
            import os

            from normcheck.ml.plug import MODELS_ENV

            os.environ[MODELS_ENV] = os.pathsep.join(str(m) for m in model_dir)
        from normcheck.batch.run import run_batch
        from normcheck.report.filters import ReportFilter
        from normcheck.report.write import format_for

        try:
            fmt = format_for(out, format_)
            keep = ReportFilter.parse(min_severity, min_confidence)
        except ValueError as exc:
            raise _fail(str(exc)) from None
        if keep.active and fmt == "jsonl":
            raise _fail("[E205] --min-severity/--min-confidence filter the csv, html and docx reports; the jsonl "
                        "output always carries every finding: give --format csv|html|docx")
        inputs = [str(p) for p in paths or []]
        if not inputs and manifest is None:
            sample = sample_draft()
            if sample is None:
                raise _fail("no PATH given and the packaged sample draft (normcheck/data/sample_draft.txt) is missing")
            inputs = [str(sample)]
        if manifest is not None and not manifest.is_file():
            raise _fail(f"[E203] no such manifest: {manifest}")
        if corpus is not None and not corpus.exists():
            raise _fail(f"[E101] no corpus index at {corpus}; build it with `normcheck corpus build --out {corpus}`")
        if timeout is not None and (timeout < 0 or timeout != timeout):
            raise _fail(f"[E205] --timeout must be a number of seconds >= 0 (0: no budget), not {timeout}")
        budget: float | str | None = "default" if timeout is None else (timeout or None)
        if jobs < 1:
            raise _fail(f"[E205] --jobs must be 1 or more, not {jobs}")
        if engine not in ("local", "ray") or (address is not None and engine != "ray"):
            raise _fail(f"[E205] --engine must be local or ray, not {engine!r}" if engine not in ("local", "ray")
                        else "[E205] --address is for --engine ray")
        if corpus is None:  # shown even with -q: without the index the answers are incomplete (issue 17)
            from normcheck.paths import default_corpus_path

            if not default_corpus_path().exists():
                typer.echo(f"normcheck check: [E101] no corpus index at {default_corpus_path()}; checks against "
                           "superior law are skipped. Build it with `normcheck corpus build`.", err=True)
        if out is None and fmt == "docx":
            raise _fail("--format docx needs --out (a .docx file for one document, or a folder)")

        from rich.console import Console

        console = Console(stderr=True, quiet=quiet)
        try:
            if quiet or not sys.stderr.isatty():
                summary = run_batch(inputs, kind=kind, as_of=as_of, region=region, corpus_path=corpus, jobs=jobs,
                                    resume=resume, out=out, fmt=fmt, manifest=manifest, stream=sys.stdout,
                                    report_filter=keep, timeout_s=budget, engine=engine, address=address)
            else:
                from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

                with Progress(TextColumn("checking"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                              TextColumn("{task.description}"), console=console, transient=True) as bar:
                    task = bar.add_task("", total=None)

                    def tick(done: int, total: int, path: str) -> None:
                        bar.update(task, completed=done, total=total, description=Path(path).name if path else "")

                    summary = run_batch(inputs, kind=kind, as_of=as_of, region=region, corpus_path=corpus,
                                        jobs=jobs, resume=resume, out=out, fmt=fmt, manifest=manifest,
                                        progress=tick, stream=sys.stdout, report_filter=keep, timeout_s=budget,
                                        engine=engine, address=address)
        except NormcheckError as exc:
            raise _fail(str(exc)) from None
        except ValueError as exc:
            raise _fail(str(exc)) from None
        except KeyboardInterrupt:
            raise _fail("interrupted: the documents finished so far are kept in the journal; run the same command "
                        "again with --resume to finish" if out is not None else "interrupted", 130) from None
        except OSError as exc:  # an output or input failure no layer below coded
            raise _fail(f"[E401] {exc.strerror or exc}" + (f" ({exc.filename})" if exc.filename else "")) from None
        except Exception as exc:
            import os

            if os.environ.get("NORMCHECK_DEBUG"):
                raise
            raise _fail(f"[E999] internal error {type(exc).__name__}: {exc}; please report it "
                        "(NORMCHECK_DEBUG=1 shows the traceback)") from None
        if not quiet and (summary.total > 1 or out is not None or summary.failed):
            console.print(summary_table(summary))
        if summary.total == 0:
            raise _fail("[E001] no documents found in the given paths (.txt .md .docx, or a refused format such as "
                        ".doc/.pdf, which would be reported): check the paths", 1)
        raise typer.Exit(summary.exit_code)


def summary_table(summary: object) -> object:
    """A rich renderable: counts, findings by type, the documents to read first, errors."""
    from rich.console import Group
    from rich.table import Table

    from normcheck.batch.run import BatchSummary

    assert isinstance(summary, BatchSummary)
    t = Table(title="normcheck check", show_header=False)
    t.add_row("documents", str(summary.total))
    t.add_row("checked now / resumed", f"{summary.checked} / {summary.resumed}")
    t.add_row("could not be processed", str(summary.failed))
    for typ, n in summary.findings.most_common():
        t.add_row(f"findings: {typ}", str(n))
    t.add_row("time", f"{summary.elapsed_s:.1f} s")
    if summary.out:
        t.add_row("output", summary.out)
    parts: list[object] = [t]
    if summary.top and summary.total > 1:
        top = Table(title="read first", show_lines=False)
        top.add_column("priority", justify="right")
        top.add_column("findings", justify="right")
        top.add_column("document")
        for pri, path, n in summary.top[:5]:
            top.add_row(f"{pri:.2f}", str(n), path)
        parts.append(top)
    if summary.errors:
        err = Table(title="errors")
        err.add_column("code")
        err.add_column("document")
        err.add_column("message")
        for path, code, msg in summary.errors[:20]:
            err.add_row(code, path, msg)
        parts.append(err)
    return Group(*parts)  # type: ignore[arg-type]
