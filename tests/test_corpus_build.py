"""corpus.build: ingest, incremental and atomic rebuilds, bad input reported (issue 3)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from corpus_factories import write_demo_corpus

from normcheck.corpus.ingest import DUPLICATE_VERSION, NO_ARTICLES, build_corpus
from normcheck.corpus.ingest import build as build_mod
from normcheck.corpus.store import Corpus
from normcheck.errors import CorpusError


@pytest.fixture()
def demo(tmp_path: Path) -> Path:
    return write_demo_corpus(tmp_path / "src")


def test_build_counts_and_issues(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "idx" / "corpus.sqlite"
    rep = build_corpus([demo, tmp_path / "nope"], out)
    assert out.is_file() and rep.size_bytes == out.stat().st_size
    assert rep.files_seen == 7  # cases, _index.md skipped
    codes = {(i.code, Path(i.path).name) for i in rep.issues}
    assert ("E103", "nope") in codes
    assert (NO_ARTICLES, "关于示范工作的决议(2018-01-01).md") in codes
    assert (DUPLICATE_VERSION, "示范管理条例(2012-03-01).md") in codes
    with Corpus.open(out) as c:
        assert [v.version for v in c.versions("中华人民共和国示范法")] == ["2010-01-01", "2020-05-01"]
        assert len(c.articles("中华人民共和国示范法", "2010-01-01")) == 5
        assert c.law("杭州市示范条例").level.value == "municipal_regulation"
        assert c.law_city("杭州市示范条例") == "杭州"
        assert c.law("浙江省示范条例").level.value == "local_regulation"
        assert c.law("浙江省示范条例").region == "浙江"
        assert c.law("示范管理条例").level.value == "administrative_regulation"


def test_incremental_rebuild(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "c.sqlite"
    first = build_corpus([demo], out)
    again = build_corpus([demo], out)
    assert again.files_indexed == 0 and again.files_unchanged == first.files_seen
    assert again.articles == first.articles
    f = demo / "行政法规" / "示范管理条例(2012-03-01).md"
    f.write_text(f.read_text(encoding="utf-8").replace("第三条 本条例", "第三条 违者处二百元罚款。\n\n第四条 本条例"),
                 encoding="utf-8")
    (demo / "DLC" / "浙江地方法规" / "地方性法规" / "浙江" / "杭州市示范条例(2016-01-01).md").unlink()
    third = build_corpus([demo], out)
    assert third.files_indexed == 1 and third.files_removed == 1
    with Corpus.open(out) as c:
        assert c.article("示范管理条例", "2012-03-01", 4) is not None
        assert c.law("杭州市示范条例") is None
        assert c.search("二百元罚款")  # the FTS index follows the change
        assert not c.search("规范本市示范活动")  # and forgets the removed file


def test_failed_build_keeps_old_index(demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "c.sqlite"
    build_corpus([demo], out)
    before = out.read_bytes()
    (demo / "行政法" / "示范法(2010-01-01).md").write_text("# 改了\n\n第一条 新文本。\n", encoding="utf-8")

    def boom(*a: object, **k: object) -> None:
        raise sqlite3.OperationalError("disk full")

    monkeypatch.setattr(build_mod, "_derive", boom)
    with pytest.raises(CorpusError) as err:
        build_corpus([demo], out)
    assert err.value.code.value == "E102"
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name] == []


def test_corrupt_region_db_is_skipped(demo: Path, tmp_path: Path) -> None:
    (demo / "DLC" / "浙江地方法规" / "db.sqlite3").write_bytes(b"this is not sqlite" * 100)
    rep = build_corpus([demo], tmp_path / "c.sqlite")
    assert any(i.code == "E104" and "浙江" in i.path for i in rep.issues)
    with Corpus.open(tmp_path / "c.sqlite") as c:
        assert c.law("中华人民共和国示范法") is not None
        assert c.law("浙江省示范条例") is None


def test_plain_folder_with_manifest(tmp_path: Path) -> None:
    src = tmp_path / "mine"
    src.mkdir()
    (src / "a.txt").write_text("某市示范办法\n\n第一条 为了示范，制定本办法。\n\n第二条 本办法自2019年1月1日起施行。\n",
                               encoding="gb18030")
    (src / "b.md").write_text("# 中华人民共和国另一法\n\n第一条 另一法的条文。\n", encoding="utf-8")
    (src / "normcheck-corpus.csv").write_text(
        "file,name,level,region,city,version,valid_from\na.txt,某市示范办法,市政府规章,浙江,某市,2018-12-01,2019-01-01\n",
        encoding="utf-8")
    rep = build_corpus([src], tmp_path / "c.sqlite")
    assert rep.files_indexed == 2, rep.issues
    with Corpus.open(tmp_path / "c.sqlite") as c:
        law = c.find_laws("某市示范办法")[0]
        assert (law.level.value, law.region) == ("municipal_rule", "浙江")
        assert c.version_in_force(law.id, "2019-06-01").version == "2018-12-01"
        assert c.version_in_force(law.id, "2018-12-15") is None
        other = c.find_laws("另一法")[0]
        assert other.level.value == "law"
        assert c.article(other.id, c.versions(other.id)[0].version, 1).text == "另一法的条文。"


def test_bad_tokenizer_is_value_error(demo: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="bigram"):
        build_corpus([demo], tmp_path / "c.sqlite", fts="jieba")


def test_include_filter(demo: Path, tmp_path: Path) -> None:
    rep = build_corpus([demo], tmp_path / "c.sqlite", include=["示范法("])
    assert rep.files_seen == 2


def test_open_missing_and_corrupt(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="normcheck corpus build") as err:
        Corpus.open(tmp_path / "missing.sqlite")
    assert err.value.code.value == "E101"
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(os.urandom(2048))
    with pytest.raises(CorpusError) as err2:
        Corpus.open(bad)
    assert err2.value.code.value == "E102"
