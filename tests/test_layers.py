"""The import-layer contract (issue 11, item 4): ``lint-imports`` with the contracts in pyproject.toml.

Floors, lowest first: errors | paths, types, text, knowledge, structure, corpus, cite, resolve, ml, checks,
rank, report, pipeline, batch, evaluation, (serve), cli. A module imports only floors below its own; types
import nothing of ours except errors; checks never import cli, report, batch, pipeline or evaluation; ml
never imports evaluation; no cycles between sibling modules at any depth.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _lint_imports() -> str:
    pytest.importorskip("importlinter", reason="import-linter is not installed (pip install -e '.[dev]')")
    exe = Path(sys.executable).parent / "lint-imports"
    found = str(exe) if exe.is_file() else shutil.which("lint-imports")
    if found is None:
        pytest.skip("import-linter is installed but its lint-imports command is not on PATH")
    return found


def _run(cwd: Path, pythonpath: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    return subprocess.run([_lint_imports(), "--no-cache", "--no-logo"], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


def test_import_contract_is_kept() -> None:
    r = _run(REPO, REPO)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    assert "broken" in r.stdout and " 0 broken" in r.stdout


def test_contract_catches_an_upward_import(tmp_path: Path) -> None:
    """A copy of the package where types imports a check: the contract must fail and name the import."""
    shutil.copy2(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(REPO / "normcheck", tmp_path / "normcheck", ignore=shutil.ignore_patterns("__pycache__"))
    law = tmp_path / "normcheck" / "types" / "law.py"
    law.write_text(law.read_text(encoding="utf-8") + "\nimport normcheck.checks  # noqa: E402,F401\n",
                   encoding="utf-8")
    r = _run(tmp_path, tmp_path)
    assert r.returncode != 0
    assert "normcheck.types.law -> normcheck.checks" in r.stdout
