"""JSONL, the contract (``shared/spec/output.md``): one JSON object per document, one per line."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from normcheck.types.findings import Result

ResultLike = Result | dict[str, Any]


def load_result(obj: dict[str, Any] | str | bytes) -> Result:
    """A jsonl object (or line) back to a typed Result, its findings placed on clauses by rank."""
    from normcheck.rank.score import place

    d = json.loads(obj) if isinstance(obj, str | bytes) else obj
    return place(Result.from_dict(d))


def placed(result: Result) -> Result:
    """``result`` with its findings placed on clauses (rank's placement; done once, when missing)."""
    if result.placed:
        return result
    from normcheck.rank.score import place

    return place(result)


def as_dict(result: ResultLike) -> dict[str, Any]:
    """The spec object of a Result (or the dict itself when already one)."""
    return result.to_dict() if isinstance(result, Result) else result


def to_line(result: ResultLike) -> str:
    """One JSON line, UTF-8 text as is (no ``\\u`` escapes), without the trailing newline."""
    return json.dumps(as_dict(result), ensure_ascii=False, separators=(",", ":"))


def write_jsonl(results: Iterable[ResultLike], fp: IO[str]) -> int:
    """Write one line per result; returns the number written."""
    n = 0
    for r in results:
        fp.write(to_line(r) + "\n")
        n += 1
    return n


def read_jsonl(path: str | Path) -> tuple[list[dict[str, Any]], int]:
    """Read complete lines of a jsonl file written by normcheck.

    Returns (objects, byte length of the complete prefix). A last line cut short (a run killed while
    writing it) and lines that are not JSON objects are left out; the byte length lets a writer
    truncate the cut line before appending.
    """
    data = Path(path).read_bytes()
    good = data.rfind(b"\n") + 1  # everything after the last newline is an unfinished line
    out: list[dict[str, Any]] = []
    for raw in data[:good].splitlines():
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            continue
        if isinstance(obj, dict):
            out.append(obj)
    return out, good
