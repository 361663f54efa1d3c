"""Batch runs: folders and manifests in, one result per document out, in input order.

- Inputs (:mod:`normcheck.batch.inputs`): files and folders (walked recursively, sorted; formats
  normcheck refuses are kept so each gets a coded line), and/or a manifest (CSV with a header, or
  JSONL) giving per document ``path`` and optionally ``kind``, ``as_of``, ``region``; a manifest's
  relative paths are relative to the manifest's folder. Every input is checked to be a regular file
  before it is opened.
- Engines (:mod:`normcheck.batch.engine`): ``jobs == 1`` in process, ``jobs > 1`` worker processes
  that die with their parent; each opens the corpus itself. A per-document time budget
  (``timeout_s``, default ``NORMCHECK_DOC_TIMEOUT`` or 300 s) ends a runaway document with E011.
  Output keeps the input order whatever order workers finish in.
- Durability: every finished document is appended, as one whole line, to a *journal*
  (``<out>.journal.jsonl``) and flushed at once. The final output is assembled from the journal (and,
  on ``resume``, the previous output) into a temporary file in the same folder and moved into place
  with ``os.replace``; for jsonl the journal is then removed, for the other formats it stays as the
  machine-readable sidecar. Killing a run at any moment loses at most the documents in flight; a
  run with ``resume=True`` reuses every complete line of the old output and the journal, matched by
  the sha256 of the file's bytes *and* the ``run_key`` of the options that change a result
  (:mod:`normcheck.batch.journal`), and checks only the rest: nothing lost, nothing repeated. The
  journal is locked for the run: a second run on the same ``out`` fails with E404.
- Output errors (unwritable, a folder, disk full) are coded (E401–E403) and leave the journal, so
  ``resume`` finishes the run once the cause is fixed.
  Documents whose earlier line carries ``error`` are tried again and their line replaced.
- Per-document errors are isolated: a document that cannot be read, or that trips a bug, yields a
  line with ``error: {code, message}`` and the batch goes on.

The library never prints: pass ``progress`` (called after each document) to show progress.

Size: ``run_batch`` ties inputs, journal, engines and output writing together; each of those lives in
its own module, and what remains is the one orchestration (resume, locking, ordering, summary).
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from normcheck.batch.engine import ENGINES, CheckFn, Task, in_input_order, make_engine, process_task, shown_path
from normcheck.batch.inputs import (
    SUFFIXES,
    BatchItem,
    collect_inputs,
    file_sha256,
    read_manifest,
)
from normcheck.batch.journal import Journal, Loc, journal_path, output_error, read_loc, run_key, scan
from normcheck.errors import Code, NormcheckError
from normcheck.report.atomic import atomic_path
from normcheck.report.jsonl import to_line

__all__ = ["FORMATS", "SUFFIXES", "BatchItem", "BatchSummary", "collect_inputs", "default_check_fn",
           "file_sha256", "journal_path", "process_one", "read_manifest", "run_batch"]

FORMATS = ("jsonl", "csv", "html", "docx")
DEFAULT_TIMEOUT_S = 300.0

ProgressFn = Callable[[int, int, str], None]  # (documents done, total, path just finished)


@dataclass(slots=True)
class BatchSummary:
    total: int = 0
    checked: int = 0  # checked in this run
    resumed: int = 0  # taken over from an earlier run's output
    failed: int = 0  # documents whose line carries an error
    findings: Counter[str] = field(default_factory=Counter)  # by finding type
    severities: Counter[str] = field(default_factory=Counter)
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # (path, code, message)
    top: list[tuple[float, str, int]] = field(default_factory=list)  # (priority, path, findings), best first
    elapsed_s: float = 0.0
    out: str | None = None
    journal: str | None = None
    written: list[str] = field(default_factory=list)  # files the report wrote (docx: one per document)

    @property
    def exit_code(self) -> int:
        """0 when every input was processed, 1 when some could not be (spec/output.md)."""
        return 1 if self.failed else 0


def default_check_fn() -> CheckFn:
    from normcheck.pipeline import check

    return check


def process_one(check_fn: CheckFn, item: BatchItem, sha: str, kind: str | None, as_of: str | None,
                region: str | None, corpus: Any) -> str:
    """Check one document and return its jsonl line; never raises for a document's fault."""
    k, a, r = item.kind or kind, item.as_of or as_of, item.region or region
    c = str(corpus) if corpus is not None else None
    return process_task(Task(0, check_fn, item, sha, k, a, r, c, run_key(kind=k, as_of=a, region=r, corpus=c),
                             _max_bytes()))


# -------------------------------------------------------------------------------------------- settings


def _max_bytes() -> int:
    from normcheck.text.read import max_bytes_default

    try:
        return max_bytes_default()
    except ValueError as exc:
        raise NormcheckError(Code.BAD_SETTING, str(exc)) from None


def timeout_default() -> float | None:
    """``NORMCHECK_DOC_TIMEOUT`` (seconds; 0 or ``none``: no budget), else 300 s. Raises E205."""
    raw = os.environ.get("NORMCHECK_DOC_TIMEOUT", "").strip()
    if not raw:
        return DEFAULT_TIMEOUT_S
    if raw.lower() in ("0", "none", "off"):
        return None
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value > 0 or value != value or value == float("inf"):
        raise NormcheckError(Code.BAD_SETTING, f"NORMCHECK_DOC_TIMEOUT must be a number of seconds > 0 (or 0 for "
                             f"no budget), not {raw!r}")
    return value


def _sha_or_empty(path: str, max_bytes: int) -> str:
    """The content hash of a regular file within the size limit, else "" (its line will say why)."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size > max_bytes:
            return ""
        return file_sha256(path)
    except (OSError, ValueError, NormcheckError):
        return ""


def _check_out(out: Path, fmt: str, n_items: int) -> None:
    """Refuse an ``out`` that cannot hold the output, before anything is checked."""
    docx_file = fmt == "docx" and out.suffix.lower() == ".docx"
    wants_dir = fmt == "docx" and not docx_file
    try:
        st = os.stat(out)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise output_error(exc, "output", out) from None
    if st is not None and stat.S_ISDIR(st.st_mode) and not wants_dir:
        raise NormcheckError(Code.OUTPUT_IS_DIR, f"--out names a folder; give a file name (e.g. {out / 'results'}."
                             f"{'docx' if fmt == 'docx' else fmt})", str(out))
    if st is not None and wants_dir and not stat.S_ISDIR(st.st_mode):
        raise NormcheckError(Code.OUTPUT_CONFLICT, "--format docx writes a folder of reports, but --out is a file: "
                             "give a folder (or a .docx name for one document)", str(out))
    if docx_file and n_items > 1:
        raise NormcheckError(Code.OUTPUT_CONFLICT, f"--out {out.name} is one .docx but there are {n_items} "
                             "documents: give a folder for --out (one commented copy and one 审查意见 per document)",
                             str(out))


# -------------------------------------------------------------------------------------------- the run


def run_batch(
    paths: Sequence[str | Path],
    *,
    kind: str | None = None,
    as_of: str | None = None,
    region: str | None = None,
    corpus_path: str | Path | None = None,
    jobs: int = 1,
    resume: bool = False,
    out: str | Path | None = None,
    fmt: str = "jsonl",
    manifest: str | Path | None = None,
    progress: ProgressFn | None = None,
    check_fn: CheckFn | None = None,
    stream: Any = None,
    timeout_s: float | str | None = "default",
    report_filter: Any = None,
    engine: str = "local",
    address: str | None = None,
) -> BatchSummary:
    """Check every input document; write ``fmt`` to ``out`` (or jsonl lines to ``stream``).

    ``check_fn(path, kind=, as_of=, region=, corpus=) -> Result`` defaults to
    :func:`normcheck.pipeline.check`; with ``jobs > 1`` it must be importable (a module-level function).
    ``timeout_s``: the per-document time budget (None: none; default ``NORMCHECK_DOC_TIMEOUT`` or 300 s).
    ``report_filter``: a :class:`normcheck.report.filters.ReportFilter` for csv/html/docx (jsonl keeps all).
    ``engine``: ``local`` (this process or ``jobs`` worker processes) or ``ray`` (a Ray cluster at
    ``address``, default a local instance; :mod:`normcheck.batch.ray_engine`). Resume, the journal and
    the output order are the same whichever engine runs the documents.
    Raises ValueError for misuse (unknown format, resume without out, jobs < 1) and NormcheckError for
    a bad manifest, a bad setting, an ``out`` that cannot be written or is locked by another run.
    """
    t0 = time.perf_counter()
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ValueError("jobs must be 1 or more")
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; use one of: {', '.join(ENGINES)}")
    if address is not None and engine != "ray":
        raise ValueError("address is for engine='ray'")
    if out is None and (resume or fmt == "docx"):
        raise ValueError(f"{'--resume' if resume else '--format docx'} needs --out")
    if out is None and stream is None and fmt == "jsonl":
        raise ValueError("give out (a file) or stream (a text stream) for the results")
    if timeout_s == "default":
        budget = timeout_default()
    elif timeout_s is None:
        budget = None
    elif isinstance(timeout_s, int | float) and timeout_s > 0:
        budget = float(timeout_s)
    else:
        raise ValueError(f"timeout_s must be a number of seconds > 0 or None, not {timeout_s!r}")
    max_bytes = _max_bytes()
    if kind is not None:
        from normcheck.types.law import Level

        kind = Level.parse(kind).value
    if as_of is not None:
        from normcheck.pipeline import parse_date

        as_of = parse_date(as_of)
    fn = check_fn or default_check_fn()
    corpus = str(corpus_path) if corpus_path is not None else None
    items = collect_inputs(paths, manifest=manifest)
    if out is not None:
        _check_out(Path(out), fmt, len(items))
    summary = BatchSummary(total=len(items), out=str(out) if out is not None else None)

    from normcheck.pipeline import parse_date as _date

    tasks: list[Task] = []
    for i, it in enumerate(items):
        k, a, r = it.kind or kind, it.as_of or as_of, it.region or region
        key_date: str | None = a
        with contextlib.suppress(ValueError):  # a bad manifest date: that document's line says so
            key_date = _date(a)
        tasks.append(Task(i, fn, it, _sha_or_empty(it.path, max_bytes), k, a, r, corpus,
                          run_key(kind=k, as_of=key_date, region=r, corpus=corpus), max_bytes, budget))

    journal: Journal | None = None
    if out is not None:
        journal = Journal(journal_path(out, fmt)).open()  # E401/E404 before any work
        summary.journal = str(journal.path)
    try:
        _run(tasks, items, journal, summary, out=out, fmt=fmt, resume=resume, jobs=jobs, progress=progress,
             stream=stream, report_filter=report_filter, engine=engine, address=address)
    finally:
        if journal is not None:
            journal.close()

    summary.top.sort(key=lambda t: -t[0])
    del summary.top[10:]
    summary.elapsed_s = time.perf_counter() - t0
    return summary


def _run(tasks: list[Task], items: list[BatchItem], journal: Journal | None, summary: BatchSummary, *,
         out: str | Path | None, fmt: str, resume: bool, jobs: int, progress: ProgressFn | None,
         stream: Any, report_filter: Any = None, engine: str = "local", address: str | None = None) -> None:
    # -- earlier lines (resume) and the journal
    locs: list[Loc] = []
    if journal is not None:
        good = 0
        if resume:
            if fmt == "jsonl" and Path(str(out)).is_file():
                locs += scan(str(out))[0]
            jl, good = scan(str(journal.path))
            locs += jl
        journal.truncate(good)  # drop a line cut short by a kill; keep the rest (resume)
    # newest complete line per (sha, path, options); the journal comes after the old output, so it wins
    by_key: dict[tuple[str, str, str], Loc] = {(loc.sha, loc.path, loc.run_key): loc for loc in locs}
    by_sha: dict[tuple[str, str], Loc] = {}
    for loc in by_key.values():
        k2 = (loc.sha, loc.run_key)
        if loc.sha and loc.run_key and (k2 not in by_sha or by_sha[k2].error):
            by_sha[k2] = loc

    chosen: list[Loc | None] = [None] * len(items)
    todo: list[Task] = []
    checked_now: set[int] = set()
    for t in tasks:
        found = (by_key.get((t.sha, shown_path(t.item.path), t.run_key)) or by_sha.get((t.sha, t.run_key))
                 if t.sha else None)
        if found is not None and not found.error:
            chosen[t.index] = found
            summary.resumed += 1
        else:
            todo.append(t)

    done = summary.resumed
    if progress and done:
        progress(done, len(items), "")

    # -- checking, with ordered streaming and the journal
    pending: dict[int, str] = {}
    to_stream = out is None and stream is not None and fmt == "jsonl"

    def finished(i: int, line: str) -> None:
        nonlocal done
        if journal is not None:
            offset, length = journal.append(line)
            chosen[i] = Loc(str(journal.path), offset, length, tasks[i].sha, shown_path(items[i].path), False,
                            tasks[i].run_key)
            checked_now.add(i)
        elif not to_stream:
            pending[i] = line
        done += 1
        summary.checked += 1
        _add_to_summary(summary, json.loads(line))
        if progress:
            progress(done, len(items), items[i].path)

    runner = make_engine(1 if len(todo) <= 1 else min(jobs, len(todo)), engine, address)
    results = runner.run(todo)
    if to_stream:  # stream in input order: taken-over lines interleave with fresh ones
        handles: dict[str, Any] = {}
        try:
            for i, line in _with_resumed(in_input_order(_tap(results, finished), [t.index for t in todo]),
                                         chosen, checked_now):
                if line is None:
                    loc = chosen[i]
                    assert loc is not None
                    line = read_loc(loc, handles).decode("utf-8")
                stream.write(line + "\n")
                stream.flush()
        finally:
            for fh in handles.values():
                fh.close()
        return
    for i, line in results:
        finished(i, line)

    # -- the final output, assembled in input order and moved into place
    # lines of documents outside this run's inputs are kept (after ours), except a renamed file's old
    # line: same content now checked under a new name, old path gone from disk
    used_paths = {shown_path(it.path) for it in items}
    used_shas = {t.sha for t in tasks}
    extras = [loc for loc in by_key.values() if loc.path not in used_paths
              and not (loc.sha in used_shas and not os.path.exists(loc.path))]
    handles = {}
    try:
        lines: list[bytes] = []
        if out is not None:
            for i, got in enumerate(chosen):
                if got is None:  # cannot happen: every input was checked or taken over above
                    raise RuntimeError(f"no result for {items[i].path}")
                lines.append(_with_path(read_loc(got, handles), shown_path(items[i].path)))
                if i not in checked_now:
                    _add_to_summary(summary, json.loads(lines[-1]))
            lines += [read_loc(loc, handles) for loc in extras]
            try:
                summary.written = [str(p) for p in _write_output(Path(out), fmt, lines, report_filter)]
            except OSError as exc:
                raise output_error(exc, "output", out) from None
        elif fmt != "jsonl":
            lines = [pending[i].encode("utf-8") for i in range(len(items))]
            _write_stream(stream, fmt, lines, report_filter)
    finally:
        for fh in handles.values():
            fh.close()
    if out is not None and fmt == "jsonl" and journal is not None:
        journal.remove()


def _tap(results: Any, finished: Callable[[int, str], None]) -> Any:
    for i, line in results:
        finished(i, line)
        yield i, line


def _with_resumed(fresh: Any, chosen: list[Loc | None], checked_now: set[int]) -> Any:
    """Input order over all documents: fresh lines as they come, taken-over ones (line None) between."""
    nxt = 0
    n = len(chosen)
    for i, line in fresh:
        while nxt < i:
            if chosen[nxt] is not None and nxt not in checked_now:
                yield nxt, None
            nxt += 1
        yield i, line
        nxt = i + 1
    while nxt < n:
        if chosen[nxt] is not None and nxt not in checked_now:
            yield nxt, None
        nxt += 1


def _with_path(line: bytes, path: str) -> bytes:
    obj = json.loads(line)
    if obj.get("document", {}).get("path") != path:
        obj["document"]["path"] = path
        return to_line(obj).encode("utf-8")
    return line


def _write_output(out: Path, fmt: str, lines: list[bytes], keep: Any = None) -> list[Path]:
    if fmt == "jsonl":
        with atomic_path(out) as tmp, open(tmp, "wb") as fh:
            for line in lines:
                fh.write(line + b"\n")
        return [out]
    from normcheck.report.filters import ALL
    from normcheck.report.jsonl import load_result
    from normcheck.report.write import write_report

    results = [load_result(line) for line in lines]  # typed Results, findings placed by rank
    if fmt == "docx":
        from normcheck.report.docx_report import write_docx_reports

        return write_docx_reports(results, out, keep=keep or ALL)
    write_report(fmt, results, out, keep=keep or ALL)
    return [out]


def _write_stream(stream: Any, fmt: str, lines: list[bytes], keep: Any = None) -> None:
    from normcheck.report.filters import ALL
    from normcheck.report.jsonl import load_result
    from normcheck.report.write import stream_report

    stream_report(stream, fmt, [load_result(line) for line in lines], keep=keep or ALL)


def _add_to_summary(summary: BatchSummary, obj: dict[str, Any]) -> None:
    err = obj.get("error")
    if err:
        summary.failed += 1
        summary.errors.append((obj["document"].get("path") or "", err.get("code", ""), err.get("message", "")))
        return
    fs = obj.get("findings") or []
    for f in fs:
        summary.findings[f.get("type", "")] += 1
        summary.severities[f.get("severity", "")] += 1
    summary.top.append((float(obj.get("priority") or 0.0), obj["document"].get("path") or "", len(fs)))

