"""The knowledge layer (issue 11, item 2): every packaged table validates, bad rows fail with E901
naming file, row and field, no duplicates, every legal row cites its source, and no legal word is
left inline in the package's Python."""

from __future__ import annotations

import ast
import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

import normcheck
from normcheck import knowledge
from normcheck.errors import Code, NormcheckError
from normcheck.knowledge import VALIDATORS, load_json, validate_authority, validate_signals
from normcheck.knowledge.schema import read_packaged

PKG = Path(normcheck.__file__).parent
DATA = PKG / "data"
ALL_VALIDATORS = {**VALIDATORS, "authority.json": validate_authority, "signals.json": validate_signals}


@pytest.mark.parametrize("name", sorted(ALL_VALIDATORS))
def test_every_file_validates(name: str) -> None:
    data = read_packaged(name)
    assert isinstance(data.get("description", data.get("_about")), str)
    ALL_VALIDATORS[name](data, name)


def test_validate_all_and_cross_file_rules() -> None:
    knowledge.validate_all()
    sig_types = {s.type for s in knowledge.signals().acts["penalty"]}
    assert sig_types <= set(knowledge.penalties().names)


def _broken(tmp_path: Path, name: str, mutate: Any) -> Any:
    data = copy.deepcopy(read_packaged(name))
    mutate(data)
    p = tmp_path / name
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return load_json(p)


# (file, mutation, words the E901 message must contain: the row and the field)
BROKEN = [
    ("penalties.json", lambda d: d["types"][2].pop("basis"), ["types[2]", "basis"]),
    ("penalties.json", lambda d: d["types"][0].update(item=9), ["types[0]", "item"]),
    ("penalties.json", lambda d: d["types"][1].update(mention="(unclosed"), ["types[1]", "mention"]),
    ("penalties.json", lambda d: d["types"].append(dict(d["types"][0])), ["types[14]", "duplicate type"]),
    ("modals.json", lambda d: d["modals"][3].update({"class": "maybe"}), ["modals[3]", "class"]),
    ("modals.json", lambda d: d["modals"].reverse(), ["modals[", "must come before"]),
    ("units.json", lambda d: d["units"][0].update(factor="many"), ["units[0]", "factor"]),
    ("units.json", lambda d: d["bounds"][0].update(bound="about"), ["bounds[0]", "bound"]),
    ("comparison.json", lambda d: d["actors"]["admin"].pop("source"), ["actors.admin", "source"]),
    ("kind_rules.json", lambda d: d["patterns"].pop("rule_title"), ["patterns", "rule_title"]),
    ("regions.json", lambda d: d["provinces"]["河北"].update(type="state"), ["provinces.河北", "type"]),
    ("regional_scope.json", lambda d: d["laws"]["黄河保护法"]["provinces"].append("火星"), ["laws.黄河保护法", "火星"]),
    ("regional_scope.json", lambda d: d["laws"]["太湖流域管理条例"].pop("source"), ["laws.太湖流域管理条例", "source"]),
    ("severities.json", lambda d: d["severities"][0].update(weight=2), ["severities[0]", "weight"]),
    ("confidence.json", lambda d: d["authority"].update(weak_type_cap=1.5), ["authority", "weak_type_cap"]),
    ("reference_rules.json", lambda d: d["basis"].pop("invalid_reference"), ["basis", "invalid_reference"]),
    ("messages.json", lambda d: d["messages"]["compare.fine_wider"].pop("source"),
     ["messages.compare.fine_wider", "source"]),
    ("authority.json", lambda d: d["rules"][0].update(severity="grave"), ["rules[0]", "severity"]),
    ("signals.json", lambda d: d["penalty"][0].update(pattern="(?<"), ["penalty[0]", "regular expression"]),
]


@pytest.mark.parametrize(("name", "mutate", "words"), BROKEN, ids=[f"{b[0]}:{b[2][0]}" for b in BROKEN])
def test_broken_row_is_e901_naming_file_row_field(tmp_path: Path, name: str, mutate: Any, words: list[str]) -> None:
    data = _broken(tmp_path, name, mutate)
    with pytest.raises(NormcheckError) as exc:
        ALL_VALIDATORS[name](data, name)
    assert exc.value.code == Code.BAD_DATA
    msg = str(exc.value)
    assert "E901" in msg and name in msg
    for w in words:
        assert w in msg, (w, msg)


def test_bad_json_file_is_e901(tmp_path: Path) -> None:
    p = tmp_path / "x.json"
    p.write_text("{not json", encoding="utf-8")
    with pytest.raises(NormcheckError) as exc:
        load_json(p)
    assert exc.value.code == Code.BAD_DATA and "line 1" in str(exc.value)


def test_no_duplicate_rows() -> None:
    p = knowledge.penalties()
    assert len(set(p.names)) == len(p.names)
    assert len(set(knowledge.modals().words)) == len(knowledge.modals().words)
    u = knowledge.units()
    assert len(u.base) == len(read_packaged("units.json")["units"])
    assert len(u.bound_canon) == len(read_packaged("units.json")["bounds"])
    cities = [c for r in knowledge.regions().values() for c in r.cities]
    assert len(cities) == len(set(cities))
    assert len({r.full for r in knowledge.regions().values()}) == len(knowledge.regions())
    for act, sigs in knowledge.signals().acts.items():
        pats = [(s.type, s.pattern.pattern) for s in sigs]
        assert len(pats) == len(set(pats)), act
    ids = [r.id for r in knowledge.authority_tables().rules]
    assert len(ids) == len(set(ids))


_LEGAL_REF = re.compile(r"法|条例|规范|规定|国办发|spec/|checks/|hand|domain|eval/|立法|[A-Za-z]")


def _sourced_rows(data: Any, path: str = "") -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    if isinstance(data, dict):
        if any(k in data for k in ("pattern", "words", "type", "word", "unit", "name", "text")) and path:
            out.append((path, data))
        for k, v in data.items():
            if k not in ("laws", "provinces", "reasons", "by_code", "by_outcome", "bound_labels"):
                out += _sourced_rows(v, f"{path}.{k}")
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _sourced_rows(v, f"{path}[{i}]")
    return out


# regions.json holds no law; regional_scope.json rows are checked for their source by its validator
_NO_SOURCE_ROWS = {"regions.json", "authority.json", "regional_scope.json"}


@pytest.mark.parametrize("name", sorted(set(ALL_VALIDATORS) - _NO_SOURCE_ROWS))
def test_every_legal_row_has_its_source(name: str) -> None:
    data = read_packaged(name)
    rows = _sourced_rows(data)
    if name == "confidence.json":  # groups of numbers, each group with its source
        rows = [(k, v) for k, v in data.items() if isinstance(v, dict)]
    assert rows
    for where, row in rows:
        src = row.get("basis") or row.get("source") or row.get("note")
        if name == "signals.json" and where.split("[")[0].lstrip(".") in (
                "refer", "refer_near", "defer", "negate", "impose", "describe"):
            assert isinstance(src, str) and src, (name, where)  # grammar, not law: an example suffices
            continue
        assert isinstance(src, str) and _LEGAL_REF.search(src), (name, where)


def test_authority_rows_cite_a_listed_law() -> None:
    t = knowledge.authority_tables()
    for r in t.rules:
        assert r.law in t.laws and r.note
    for lim in t.fine_limits:
        assert lim.basis and lim.source


def test_accessors_are_cached() -> None:
    assert knowledge.penalties() is knowledge.penalties()
    assert knowledge.regions() is knowledge.regions()
    assert knowledge.kind_rules() is knowledge.kind_rules()


def test_keyword_uses_derive_from_one_table() -> None:
    p = knowledge.penalties()
    rows = {t.keyword for t in p.types if t.keyword}
    for use in p.keyword_uses:
        add, drop = p.keyword_uses[use]
        assert set(p.keywords(use)) == (rows - set(drop)) | set(add)
    with pytest.raises(ValueError, match="unknown keyword use"):
        p.keywords("nowhere")


# --------------------------------------------------------------------- no legal words inline in Python
def _guarded_words() -> list[str]:
    p = knowledge.penalties()
    words = {t.type for t in p.types} | {t.keyword for t in p.types if t.keyword}
    words |= set(knowledge.modals().words) - {"不必"}  # 不必 is not a norm on its own
    words |= set(knowledge.regions())
    return sorted(words, key=len, reverse=True)


def _string_literals(tree: ast.AST) -> list[ast.Constant]:
    docs: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            docs.add(id(node.value))  # docstrings, module/class/attribute strings
    return [n for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and id(n) not in docs]


def test_no_legal_words_inline_in_python() -> None:
    """Issue 11: penalty types, modal verbs and province names live in data/, not in code (comments and
    docstrings may name them)."""
    pat = re.compile("|".join(map(re.escape, _guarded_words())))
    hits = []
    for path in sorted(PKG.rglob("*.py")):
        if path.relative_to(PKG).parts[:2] == ("evaluation", "builders"):
            continue  # hand-written benchmark clauses: example documents, not vocabulary the checks use
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in _string_literals(tree):
            found = pat.findall(node.value)
            if found:
                hits.append(f"{path.relative_to(PKG)}:{node.lineno}: {sorted(set(found))}")
    assert not hits, "legal words inline in Python (move them to normcheck/data/):\n" + "\n".join(hits)
