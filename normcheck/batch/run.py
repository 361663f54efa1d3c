"""Batch runs: folders and manifests in, one result per document out, in input order.

- Inputs: files and folders (walked recursively for .txt/.md/.docx, sorted), and/or a manifest
  (CSV with a header, or JSONL) giving per document ``path`` and optionally ``kind``, ``as_of``,
  ``region``; a manifest's relative paths are relative to the manifest's folder.
- ``jobs > 1`` runs worker processes; each opens the corpus itself (the pipeline caches it per
  process). Output keeps the input order whatever order workers finish in.
- Durability: every finished document is appended, as one whole line, to a *journal*
  (``<out>.journal.jsonl``) and flushed at once. The final output is assembled from the journal (and,
  on ``resume``, the previous output) into a temporary file in the same folder and moved into place
  with ``os.replace``; for jsonl the journal is then removed, for the other formats it stays as the
  machine-readable sidecar. Killing a run at any moment loses at most the documents in flight; a
  run with ``resume=True`` reuses every complete line of the old output and the journal, matched by
  the sha256 of the file's bytes, and checks only the rest: nothing lost, nothing repeated.
  Documents whose earlier line carries ``error`` are tried again and their line replaced.
- Per-document errors are isolated: a document that cannot be read, or that trips a bug, yields a
  line with ``error: {code, message}`` and the batch goes on.

The library never prints: pass ``progress`` (called after each document) to show progress.
"""

from __future__ import annotations

import csv
import hashlib
import json
import multiprocessing
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from normcheck.errors import Code, NormcheckError
from normcheck.report.atomic import atomic_path
from normcheck.report.jsonl import as_dict, to_line
from normcheck.types.findings import DocumentInfo, Result

SUFFIXES = (".txt", ".md", ".docx")
FORMATS = ("jsonl", "csv", "html", "docx")
MANIFEST_FIELDS = ("path", "kind", "as_of", "region")

CheckFn = Callable[..., Result]
ProgressFn = Callable[[int, int, str], None]  # (documents done, total, path just finished)


@dataclass(slots=True)
class BatchItem:
    """One input document and its per-document settings (None: the batch default)."""

    path: str
    kind: str | None = None
    as_of: str | None = None
    region: str | None = None


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

    @property
    def exit_code(self) -> int:
        """0 when every input was processed, 1 when some could not be (spec/output.md)."""
        return 1 if self.failed else 0


# ---------------------------------------------------------------------------------------------- inputs


def read_manifest(path: str | Path) -> list[BatchItem]:
    """Read a CSV (header row with at least ``path``) or JSONL manifest. Raises NormcheckError [E203]."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise NormcheckError(Code.BAD_MANIFEST, f"cannot read the manifest: {exc}", str(p)) from None
    rows: list[dict[str, Any]] = []
    if p.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise NormcheckError(Code.BAD_MANIFEST, f"line {n} is not JSON ({exc.msg})", str(p)) from None
            if not isinstance(obj, dict):
                raise NormcheckError(Code.BAD_MANIFEST, f"line {n} is not a JSON object", str(p))
            rows.append(obj)
    else:
        reader = csv.DictReader(text.splitlines())
        if not reader.fieldnames or "path" not in [f.strip() for f in reader.fieldnames]:
            raise NormcheckError(Code.BAD_MANIFEST, "the CSV manifest needs a header row with a `path` column "
                                 f"(optional: {', '.join(MANIFEST_FIELDS[1:])})", str(p))
        rows = [{(k or "").strip(): v for k, v in r.items()} for r in reader]
    items = []
    for n, row in enumerate(rows, start=1):
        raw = str(row.get("path") or "").strip()
        if not raw:
            raise NormcheckError(Code.BAD_MANIFEST, f"row {n} has no path", str(p))
        doc = Path(raw) if Path(raw).is_absolute() else p.parent / raw
        items.append(BatchItem(str(doc), *(str(row[k]).strip() or None if row.get(k) else None
                                           for k in MANIFEST_FIELDS[1:])))
    return items


def collect_inputs(paths: Iterable[str | Path], *, manifest: str | Path | None = None) -> list[BatchItem]:
    """Files as given, folders walked (sorted, hidden entries skipped), then the manifest's rows.

    A path that does not exist stays in the list (its line will carry E001). Duplicates are dropped.
    """
    items: list[BatchItem] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                items.extend(BatchItem(str(Path(root) / f)) for f in sorted(files)
                             if not f.startswith(".") and f.lower().endswith(SUFFIXES))
        else:
            items.append(BatchItem(str(p)))
    if manifest is not None:
        items.extend(read_manifest(manifest))
    seen: set[str] = set()
    unique = []
    for it in items:
        key = os.path.normpath(os.path.abspath(it.path))
        if key not in seen:
            seen.add(key)
            unique.append(it)
    return unique


def file_sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# --------------------------------------------------------------------------------------------- workers


def _error_line(item: BatchItem, sha: str, code: str, message: str, *, kind: str | None, as_of: str | None,
                region: str | None) -> str:
    info = DocumentInfo(path=item.path, title="", kind=kind, kind_inferred=False, as_of=as_of or "",
                        region=region, sha256=sha)
    return to_line(Result(document=info, error={"code": code, "message": message}))


def process_one(check_fn: CheckFn, item: BatchItem, sha: str, kind: str | None, as_of: str | None,
                region: str | None, corpus: Any) -> str:
    """Check one document and return its jsonl line; never raises for a document's fault."""
    kind = item.kind or kind
    as_of = item.as_of or as_of
    region = item.region or region
    if not os.path.isfile(item.path):
        return _error_line(item, sha, Code.FILE_NOT_FOUND.value,
                           f"no such file: {item.path}; check the path", kind=kind, as_of=as_of, region=region)
    try:
        result = check_fn(item.path, kind=kind, as_of=as_of, region=region, corpus=corpus)
    except NormcheckError as exc:
        return _error_line(item, sha, exc.code.value, exc.to_dict()["message"], kind=kind, as_of=as_of,
                           region=region)
    except ValueError as exc:  # a bad per-document kind/date from a manifest
        msg = str(exc)
        m = re.match(r"\[(E\d{3})\]\s*(.*)", msg, re.S)
        code, text = (m.group(1), m.group(2)) if m else (Code.BAD_MANIFEST.value, msg)
        return _error_line(item, sha, code, text, kind=kind, as_of=as_of, region=region)
    except Exception as exc:  # a bug: report the document, keep the batch going
        return _error_line(item, sha, Code.INTERNAL.value, f"internal error {type(exc).__name__}: {exc}; "
                           "please report it with the document", kind=kind, as_of=as_of, region=region)
    d = as_dict(result)
    if sha and not d.get("document", {}).get("sha256"):
        d["document"]["sha256"] = sha
    return to_line(d)


def _pool_task(args: tuple[Any, ...]) -> tuple[int, str]:
    index, *rest = args
    return index, process_one(*rest)


def default_check_fn() -> CheckFn:
    from normcheck.pipeline import check

    return check


# ---------------------------------------------------------------------------------------- journal/out


@dataclass(slots=True)
class _Loc:
    """Where a complete line lives: file, byte offset, length; with its key fields."""

    file: str
    offset: int
    length: int
    sha: str
    path: str
    error: bool


def _scan(path: str) -> tuple[list[_Loc], int]:
    """Complete lines of a jsonl file (a cut last line is ignored) and the complete prefix's length."""
    locs: list[_Loc] = []
    with open(path, "rb") as fh:
        data = fh.read()
    good = data.rfind(b"\n") + 1
    pos = 0
    for raw in data[:good].split(b"\n"):
        n = len(raw) + 1
        try:
            obj = json.loads(raw)
            doc = obj["document"]
            locs.append(_Loc(path, pos, len(raw), str(doc.get("sha256") or ""), str(doc.get("path") or ""),
                             bool(obj.get("error"))))
        except (ValueError, KeyError, TypeError):
            pass
        pos += n
    return locs, good


def journal_path(out: str | Path, fmt: str) -> Path:
    out = Path(out)
    if fmt == "docx" and out.suffix.lower() != ".docx":
        return out / "results.jsonl"
    return out.with_name(out.name + ".journal.jsonl")


def _read_loc(loc: _Loc, handles: dict[str, Any]) -> bytes:
    fh = handles.get(loc.file)
    if fh is None:
        fh = handles[loc.file] = open(loc.file, "rb")
    fh.seek(loc.offset)
    return fh.read(loc.length)


def _with_path(line: bytes, path: str) -> bytes:
    obj = json.loads(line)
    if obj.get("document", {}).get("path") != path:
        obj["document"]["path"] = path
        return to_line(obj).encode("utf-8")
    return line


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
) -> BatchSummary:
    """Check every input document; write ``fmt`` to ``out`` (or jsonl lines to ``stream``).

    ``check_fn(path, kind=, as_of=, region=, corpus=) -> Result`` defaults to
    :func:`normcheck.pipeline.check`; with ``jobs > 1`` it must be importable (a module-level function).
    Raises ValueError for misuse (unknown format, resume without out, jobs < 1) and NormcheckError for
    a bad manifest.
    """
    t0 = time.perf_counter()
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
    if jobs < 1:
        raise ValueError("jobs must be 1 or more")
    if out is None and (resume or fmt == "docx"):
        raise ValueError(f"{'--resume' if resume else '--format docx'} needs --out")
    if out is None and stream is None and fmt == "jsonl":
        raise ValueError("give out (a file) or stream (a text stream) for the results")
    if kind is not None:
        from normcheck.types.law import Level

        kind = Level.parse(kind).value
    if as_of is not None:
        from normcheck.pipeline import parse_date

        as_of = parse_date(as_of)
    fn = check_fn or default_check_fn()
    corpus = str(corpus_path) if corpus_path is not None else None
    items = collect_inputs(paths, manifest=manifest)
    summary = BatchSummary(total=len(items), out=str(out) if out is not None else None)

    shas: list[str] = []
    for it in items:
        try:
            shas.append(file_sha256(it.path))
        except OSError:
            shas.append("")

    # -- earlier lines (resume) and the journal
    locs: list[_Loc] = []
    journal: Path | None = None
    good = 0
    if out is not None:
        journal = journal_path(out, fmt)
        summary.journal = str(journal)
        if resume:
            if fmt == "jsonl" and Path(out).is_file():
                locs += _scan(str(out))[0]
            if journal.is_file():
                jl, good = _scan(str(journal))
                locs += jl
        journal.parent.mkdir(parents=True, exist_ok=True)
        if journal.is_file():
            with open(journal, "rb+") as fh:  # drop a line cut short by a kill; keep the rest (resume)
                fh.truncate(good)
    # newest complete line per (sha, path); the journal comes after the old output, so it wins
    by_key: dict[tuple[str, str], _Loc] = {(loc.sha, loc.path): loc for loc in locs}
    by_sha: dict[str, _Loc] = {}
    for loc in by_key.values():
        if loc.sha and (loc.sha not in by_sha or by_sha[loc.sha].error):
            by_sha[loc.sha] = loc

    chosen: list[_Loc | None] = [None] * len(items)
    todo: list[int] = []
    checked_now: set[int] = set()
    for i, (it, sha) in enumerate(zip(items, shas, strict=True)):
        found = by_key.get((sha, it.path)) or by_sha.get(sha) if sha else None
        if found is not None and not found.error:
            chosen[i] = found
            summary.resumed += 1
        else:
            todo.append(i)

    done = summary.resumed
    if progress and done:
        progress(done, len(items), "")

    # -- checking, with ordered streaming and the journal
    pending: dict[int, str] = {}
    next_out = 0
    jfh = open(journal, "ab") if journal is not None else None

    def emit_ready() -> None:
        nonlocal next_out
        while next_out < len(items) and (chosen[next_out] is not None or next_out in pending):
            if out is None and stream is not None and fmt == "jsonl":
                if next_out in pending:
                    stream.write(pending.pop(next_out) + "\n")
                else:
                    loc = chosen[next_out]
                    assert loc is not None
                    with open(loc.file, "rb") as fh:
                        fh.seek(loc.offset)
                        stream.write(fh.read(loc.length).decode("utf-8") + "\n")
                stream.flush()
            next_out += 1

    def finished(i: int, line: str) -> None:
        nonlocal done
        if jfh is not None:
            data = (line + "\n").encode("utf-8")
            offset = jfh.tell()
            jfh.write(data)
            jfh.flush()
            assert journal is not None
            chosen[i] = _Loc(str(journal), offset, len(data) - 1, shas[i], items[i].path, False)
            checked_now.add(i)
        else:
            pending[i] = line
        done += 1
        summary.checked += 1
        _add_to_summary(summary, json.loads(line))
        if progress:
            progress(done, len(items), items[i].path)
        emit_ready()

    try:
        emit_ready()
        if jobs == 1 or len(todo) <= 1:
            for i in todo:
                finished(i, process_one(fn, items[i], shas[i], kind, as_of, region, corpus))
        else:
            _run_pool(fn, items, shas, todo, kind, as_of, region, corpus, jobs, finished)
    finally:
        if jfh is not None:
            jfh.flush()
            os.fsync(jfh.fileno())
            jfh.close()

    # -- the final output, assembled in input order and moved into place
    # lines of documents outside this run's inputs are kept (after ours), except a renamed file's old
    # line: same content now checked under a new name, old path gone from disk
    used_paths = {it.path for it in items}
    used_shas = set(shas)
    extras = [loc for loc in by_key.values() if loc.path not in used_paths
              and not (loc.sha in used_shas and not os.path.exists(loc.path))]
    handles: dict[str, Any] = {}
    try:
        lines: list[bytes] = []
        if out is not None:
            for i, got in enumerate(chosen):
                if got is None:  # cannot happen: every input was checked or taken over above
                    raise RuntimeError(f"no result for {items[i].path}")
                lines.append(_with_path(_read_loc(got, handles), items[i].path))
                if i not in checked_now:
                    _add_to_summary(summary, json.loads(lines[-1]))
            lines += [_read_loc(loc, handles) for loc in extras]
            _write_output(Path(out), fmt, lines)
        elif fmt != "jsonl":
            lines = [pending[i].encode("utf-8") for i in range(len(items))]
            _write_stream(stream, fmt, lines)
    finally:
        for fh in handles.values():
            fh.close()
    if out is not None and fmt == "jsonl" and journal is not None and journal.is_file():
        journal.unlink()

    summary.top.sort(key=lambda t: -t[0])
    del summary.top[10:]
    summary.elapsed_s = time.perf_counter() - t0
    return summary


def _run_pool(fn: CheckFn, items: list[BatchItem], shas: list[str], todo: list[int], kind: str | None,
              as_of: str | None, region: str | None, corpus: Any, jobs: int,
              finished: Callable[[int, str], None]) -> None:
    # spawn: workers start clean (no threads or locks inherited from the parent, which may be drawing
    # a progress bar) and see the environment as it is now.
    ctx = multiprocessing.get_context("spawn")
    queue = iter(todo)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
        running: set[Future[tuple[int, str]]] = set()
        try:
            while True:
                while len(running) < jobs * 2:  # a short queue: little memory, quick cancel
                    i = next(queue, None)
                    if i is None:
                        break
                    running.add(pool.submit(_pool_task, (i, fn, items[i], shas[i], kind, as_of, region, corpus)))
                if not running:
                    break
                ready, running = wait(running, return_when=FIRST_COMPLETED)
                for fut in sorted(ready, key=lambda f: f.result()[0]):
                    i, line = fut.result()
                    finished(i, line)
        except BaseException:
            for fut in running:
                fut.cancel()
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _write_output(out: Path, fmt: str, lines: list[bytes]) -> None:
    if fmt == "jsonl":
        with atomic_path(out) as tmp, open(tmp, "wb") as fh:
            for line in lines:
                fh.write(line + b"\n")
        return
    results = [json.loads(line) for line in lines]
    if fmt == "csv":
        from normcheck.report.csv_report import write_csv

        write_csv(results, out)
    elif fmt == "html":
        from normcheck.report.html import write_html

        write_html(results, out)
    else:
        from normcheck.report.docx_report import write_docx_reports

        write_docx_reports(results, out)


def _write_stream(stream: Any, fmt: str, lines: list[bytes]) -> None:
    results = [json.loads(line) for line in lines]
    if fmt == "csv":
        from normcheck.report.csv_report import render_csv

        stream.write(render_csv(results))
    elif fmt == "html":
        from normcheck.report.html import render_html

        stream.write(render_html(results))


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
