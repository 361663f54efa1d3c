"""``normcheck corpus build | info | search | show`` through typer's CliRunner (issue 3)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from corpus_factories import write_demo_corpus
from typer.testing import CliRunner

from normcheck.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cli")
    out = root / "c.sqlite"
    res = runner.invoke(app, ["corpus", "build", str(write_demo_corpus(root / "src")), "--out", str(out), "-q"])
    assert res.exit_code == 0, res.output
    return out


def test_build_json_report(index: Path, tmp_path: Path) -> None:
    src = write_demo_corpus(tmp_path / "src")
    res = runner.invoke(app, ["corpus", "build", str(src), "--out", str(tmp_path / "x.sqlite"), "--json"])
    assert res.exit_code == 0
    rep = json.loads(res.stdout)
    assert rep["files_indexed"] == 7 and any(i["code"] == "W111" for i in rep["issues"])


def test_build_default_out_uses_normcheck_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NORMCHECK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("NORMCHECK_CORPUS_SRC", str(write_demo_corpus(tmp_path / "src")))
    res = runner.invoke(app, ["corpus", "build", "-q"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "home" / "corpus.sqlite").is_file()


def test_info(index: Path) -> None:
    res = runner.invoke(app, ["corpus", "info", "--corpus", str(index)])
    assert res.exit_code == 0
    assert json.loads(res.stdout)["counts"]["versions"] >= 5


def test_info_missing_index_says_how_to_build(tmp_path: Path) -> None:
    res = runner.invoke(app, ["corpus", "info", "--corpus", str(tmp_path / "none.sqlite")])
    assert res.exit_code == 1
    assert "E101" in res.output and "normcheck corpus build" in res.output


@pytest.mark.parametrize("args, expect", [
    (["罚款", "--as-of", "2024-01-01"], "第四条"),
    (["罚款", "--as-of", "2015-01-01"], "第三条"),
    (["保证金", "--level", "行政法规"], "示范管理条例"),
])
def test_search(index: Path, args: list[str], expect: str) -> None:
    res = runner.invoke(app, ["corpus", "search", *args, "--corpus", str(index)])
    assert res.exit_code == 0 and expect in res.stdout


def test_search_bad_level(index: Path) -> None:
    res = runner.invoke(app, ["corpus", "search", "罚款", "--level", "nonsense", "--corpus", str(index)])
    assert res.exit_code == 2 and "E201" in res.output


@pytest.mark.parametrize("article", ["3", "三", "第三条"])
def test_show_article(index: Path, article: str) -> None:
    res = runner.invoke(app, ["corpus", "show", "示范法", "--as-of", "2015-01-01", "--article", article,
                              "--corpus", str(index)])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["version"] == "2010-01-01" and "一千元" in data["article"]["text"]


def test_show_unknown_law(index: Path) -> None:
    res = runner.invoke(app, ["corpus", "show", "示范去", "--corpus", str(index)])
    assert res.exit_code == 1 and "E105" in res.output
