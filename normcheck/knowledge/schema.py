"""Small validators for the packaged data tables: every problem is ``NormcheckError(Code.BAD_DATA)``
(E901) naming the file, the row (``section[i] (key)``) and the field. No third-party schema library:
the tables are small and their rules are few (required fields, types, allowed values, patterns that
compile, no duplicates).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from importlib import resources
from typing import Any

from normcheck.errors import Code, NormcheckError


def bad(file: str, where: str, problem: str) -> NormcheckError:
    """The E901 error for ``file`` at ``where`` (a row, a field)."""
    return NormcheckError(Code.BAD_DATA, f"invalid data in {file} at {where}: {problem}; fix the table "
                                         "(see its 'description')", file)


def req(row: dict[str, Any], key: str, typ: type | tuple[type, ...], file: str, where: str) -> Any:
    """``row[key]``, which must exist and be of ``typ`` (bools are never numbers)."""
    if key not in row:
        raise bad(file, where, f"missing field {key!r}")
    val = row[key]
    if not isinstance(val, typ) or (isinstance(val, bool) and typ is not bool):
        raise bad(file, where, f"field {key!r} has type {type(val).__name__}")
    return val


def text(row: dict[str, Any], key: str, file: str, where: str) -> str:
    """A required non-empty string field."""
    val = req(row, key, str, file, where)
    if not val.strip():
        raise bad(file, where, f"field {key!r} is empty")
    return str(val)


def optional_text(row: dict[str, Any], key: str, file: str, where: str) -> str | None:
    """A string field that may be missing or null."""
    if row.get(key) is None:
        return None
    return text(row, key, file, where)


def number(row: dict[str, Any], key: str, file: str, where: str, lo: float | None = None,
           hi: float | None = None) -> float:
    """A required number field in ``[lo, hi]``."""
    val = req(row, key, (int, float), file, where)
    if (lo is not None and val < lo) or (hi is not None and val > hi):
        raise bad(file, where, f"field {key!r} = {val} is outside [{lo}, {hi}]")
    return val  # type: ignore[no-any-return]


def words(row: dict[str, Any], key: str, file: str, where: str, *, allow_empty: bool = False) -> tuple[str, ...]:
    """A list of non-empty strings without duplicates."""
    val = req(row, key, list, file, where)
    if not allow_empty and not val:
        raise bad(file, where, f"field {key!r} is an empty list")
    for i, w in enumerate(val):
        if not isinstance(w, str) or not w:
            raise bad(file, f"{where}.{key}[{i}]", "expected a non-empty string")
    dup = duplicates(val)
    if dup:
        raise bad(file, where, f"field {key!r} lists {dup[0]!r} twice")
    return tuple(val)


def one_of(row: dict[str, Any], key: str, allowed: Iterable[str], file: str, where: str) -> str:
    """A string field whose value is one of ``allowed``."""
    val = req(row, key, str, file, where)
    allowed = tuple(allowed)
    if val not in allowed:
        raise bad(file, where, f"field {key!r} = {val!r} is not one of {', '.join(allowed)}")
    return str(val)


def pattern(val: Any, file: str, where: str) -> re.Pattern[str]:
    """A regular expression that compiles."""
    if not isinstance(val, str) or not val:
        raise bad(file, where, "pattern must be a non-empty string")
    try:
        return re.compile(val)
    except re.error as exc:
        raise bad(file, where, f"bad regular expression: {exc}") from None


def obj(data: Any, file: str, where: str) -> dict[str, Any]:
    """``data`` must be a JSON object."""
    if not isinstance(data, dict):
        raise bad(file, where, "expected a JSON object")
    return data


def section(data: dict[str, Any], key: str, file: str) -> dict[str, Any]:
    """A top-level object of the file."""
    return obj(req(data, key, dict, file, "<top>"), file, key)


def rows(data: dict[str, Any], key: str, file: str,
         id_field: str | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
    """The rows of list ``data[key]`` as (where, row); ``where`` names the row (``key[i] (id)``).
    With ``id_field``, a repeated id is an error."""
    seen: set[str] = set()
    for i, row in enumerate(req(data, key, list, file, "<top>")):
        where = f"{key}[{i}]"
        obj(row, file, where)
        if id_field is not None:
            rid = text(row, id_field, file, where)
            where = f"{key}[{i}] ({rid})"
            if rid in seen:
                raise bad(file, where, f"duplicate {id_field} {rid!r}")
            seen.add(rid)
        yield where, row


def duplicates(values: Iterable[Any]) -> list[Any]:
    """Values that occur more than once, in order of their second occurrence."""
    seen: set[Any] = set()
    out = []
    for v in values:
        if v in seen:
            out.append(v)
        seen.add(v)
    return out


def read_packaged(name: str) -> Any:
    """The parsed JSON of ``normcheck/data/<name>``; E901 if missing or not JSON."""
    res = resources.files("normcheck") / "data" / name
    try:
        return json.loads(res.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NormcheckError(Code.BAD_DATA, f"data file {name} is missing from the package; reinstall normcheck",
                             name) from None
    except json.JSONDecodeError as exc:
        raise bad(name, f"line {exc.lineno}", f"not valid JSON ({exc.msg})") from None
