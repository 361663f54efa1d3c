"""``normcheck corpus build | info | search | show``: thin commands over ``normcheck.corpus``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from normcheck.errors import NormcheckError

corpus_app = typer.Typer(help="Build and query the local law corpus index.", no_args_is_help=True)


def _fail(exc: Exception, code: int = 1) -> typer.Exit:
    typer.echo(f"normcheck corpus: {exc}", err=True)
    return typer.Exit(code)


def _echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


CorpusOpt = Annotated[Path | None, typer.Option("--corpus", help="Index file (default "
                                                 "$NORMCHECK_HOME/corpus.sqlite).")]


@corpus_app.command("build")
def build(
    sources: Annotated[list[Path] | None, typer.Argument(
        help="LawRefBook folders, or folders/files of .md/.txt/.docx laws (default $NORMCHECK_CORPUS_SRC, "
             "else ../shared/corpora/lawrefbook).")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Index file to write (default "
                                             "$NORMCHECK_HOME/corpus.sqlite).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar, no summary.")] = False,
    fts: Annotated[str, typer.Option(help="Full-text tokenizer: bigram or trigram.")] = "bigram",
    as_json: Annotated[bool, typer.Option("--json", help="Print the build report as JSON.")] = False,
) -> None:
    """Index law collections into one SQLite file (incremental and atomic)."""
    from normcheck.corpus.ingest import build_corpus
    from normcheck.paths import default_corpus_path, default_corpus_sources

    srcs = list(sources or default_corpus_sources())
    if not srcs:
        raise _fail(ValueError("no source given, $NORMCHECK_CORPUS_SRC unset and ../shared/corpora/lawrefbook "
                               "absent; name a folder: normcheck corpus build SRC"), 2)
    target = out or default_corpus_path()
    try:
        if quiet or as_json:
            report = build_corpus(srcs, target, fts=fts)
        else:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            with Progress(TextColumn("indexing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                          TextColumn("{task.description}"), transient=True) as bar:
                task = bar.add_task("", total=None)

                def tick(done: int, total: int, path: str) -> None:
                    bar.update(task, completed=done, total=total, description=path[-40:])

                report = build_corpus(srcs, target, progress=tick, fts=fts)
    except (NormcheckError, ValueError) as exc:
        raise _fail(exc) from exc
    if as_json:
        _echo_json(report.to_dict())
    elif not quiet:
        typer.echo(f"{report.out}: {report.laws} laws, {report.versions} versions, {report.articles} articles; "
                   f"{report.files_indexed} files indexed, {report.files_unchanged} unchanged, "
                   f"{report.files_removed} removed; {report.size_bytes / 1e6:.1f} MB in {report.seconds:.1f} s")
        shown = [i for i in report.issues if not i.code.startswith("W112")]
        for issue in shown[:20]:
            typer.echo(f"  [{issue.code}] {issue.path}: {issue.message}", err=True)
        if len(report.issues) > len(shown[:20]):
            typer.echo(f"  … {len(report.issues) - len(shown[:20])} more notes (--json lists all)", err=True)


def _open(corpus: Path | None) -> Any:
    from normcheck.corpus.store import Corpus

    try:
        return Corpus.open(corpus)
    except NormcheckError as exc:
        raise _fail(exc) from exc


@corpus_app.command("info")
def info(corpus: CorpusOpt = None) -> None:
    """Show what the index holds (JSON)."""
    with _open(corpus) as c:
        _echo_json(c.info())


@corpus_app.command("search")
def search(
    query: Annotated[str, typer.Argument(help="Words (all must occur), separated by spaces, e.g. '许可 登记'.")],
    level: Annotated[list[str] | None, typer.Option("--level", help="Level code or Chinese name; repeatable.")] = None,
    region: Annotated[str | None, typer.Option(help="Region (national laws always included).")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Only versions in force on YYYY-MM-DD.")] = None,
    limit: Annotated[int, typer.Option(help="Most hits to show.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per hit.")] = False,
    corpus: CorpusOpt = None,
) -> None:
    """Full-text search over article text."""
    from normcheck.types.law import Level

    with _open(corpus) as c:
        try:
            hits = c.search(query, levels=[Level.parse(x) for x in level] if level else None, region=region,
                            as_of=as_of, limit=limit)
        except ValueError as exc:
            raise _fail(exc, 2) from exc
        for h in hits:
            if as_json:
                typer.echo(json.dumps({"law": h.law.name, "version": h.version.version, "article": h.article.label,
                                       "score": round(h.score, 4), "text": h.article.text}, ensure_ascii=False))
            else:
                text = h.article.text.replace("\n", " ")
                typer.echo(f"{h.law.name}({h.version.version}) {h.article.label}  {text[:80]}")


@corpus_app.command("show")
def show(
    law: Annotated[str, typer.Argument(help="A law's name or short title, e.g. 立法法.")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="The version in force on YYYY-MM-DD.")] = None,
    article: Annotated[str | None, typer.Option(help="Article number: 11, 十一, 第十一条 or 第十条之一.")] = None,
    corpus: CorpusOpt = None,
) -> None:
    """Show a law: versions, status, successor, and an article's text (JSON)."""
    from normcheck.corpus.store import describe_law
    from normcheck.text.numerals import cn_to_int, parse_article_label

    number: int | None = None
    suffix = 0
    if article is not None:
        try:
            a = article.strip()
            number, suffix = parse_article_label(a) if a.startswith("第") else (cn_to_int(a), 0)
        except ValueError as exc:
            raise _fail(exc, 2) from exc
    with _open(corpus) as c:
        try:
            _echo_json(describe_law(c, law, as_of=as_of, article=number, suffix=suffix))
        except NormcheckError as exc:
            raise _fail(exc) from exc


def register(app: typer.Typer) -> None:
    """Add the ``corpus`` command group to the app."""
    app.add_typer(corpus_app, name="corpus")
