"""Corpus coverage notes (issue 16): W120 when the check is as of a date after the snapshot the cited
law's text comes from, W121 when the document is older than the law's earliest version in the index.

A tiny corpus is built in a tmp folder from statute-like texts of our own (a plain folder with a
manifest, the way a user adds a newer law)."""

from __future__ import annotations

from pathlib import Path

import normcheck
from normcheck.corpus.coverage import coverage_notes, law_snapshot, source_snapshots
from normcheck.corpus.ingest import build_corpus
from normcheck.corpus.store import Corpus
from normcheck.errors import EXPLAIN, Code

LAW_2020 = """# 中华人民共和国样板法

2020年3月1日 样板会议通过

<!-- INFO END -->

第一条 为了规范样板活动，制定本法。

第二条 组织样板活动应当向主管部门登记。

第三条 本法自2020年6月1日起施行。
"""

LAW_2025 = (LAW_2020.replace("2020年3月1日 样板会议通过", "2020年3月1日 样板会议通过\n\n2025年9月1日 样板会议修订")
            .replace("应当向主管部门登记", "应当向主管部门备案").replace("2020年6月1日", "2025年10月1日"))

DRAFT = """某市样板活动管理办法

第一条 组织样板活动的，依照《中华人民共和国样板法》第二条的规定登记。

第二条 本办法自{eff}起施行。
"""


def _source(tmp: Path, name: str, files: dict[str, str], snapshot: str | None) -> Path:
    src = tmp / name
    src.mkdir()
    rows = ["file,name,level,version"]
    for fname, text in files.items():
        (src / fname).write_text(text, encoding="utf-8")
        rows.append(f"{fname},中华人民共和国样板法,law,{fname[-15:-5]}")
    (src / "normcheck-corpus.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    if snapshot:
        (src / "SOURCE.md").write_text(f"# Source\n\nA snapshot taken on {snapshot}.\n", encoding="utf-8")
    return src


def _notes(index: Path, *, as_of: str, eff: str = "2021年1月1日") -> list[str]:
    with Corpus.open(index) as c:
        return [n for n in normcheck.check(DRAFT.format(eff=eff), corpus=c, as_of=as_of, checks=["references"]).notes
                if n.startswith("[W12")]


def test_snapshot_from_source_md_and_as_of_note(tmp_path: Path) -> None:
    src = _source(tmp_path, "base", {"样板法(2020-03-01).md": LAW_2020}, "2024-06-30")
    index = tmp_path / "corpus.sqlite"
    build_corpus([src], index)
    with Corpus.open(index) as c:
        assert source_snapshots(c) == {str(src.resolve()): "2024-06-30"}
        assert law_snapshot(c, "中华人民共和国样板法") == "2024-06-30"
    assert _notes(index, as_of="2024-01-01") == []
    [note] = _notes(index, as_of="2025-01-01")
    assert note.startswith("[W120] 《中华人民共和国样板法》") and "2024-06-30" in note and "rebuild" in note


def test_adding_a_newer_law_folder_and_rebuilding_covers_it(tmp_path: Path) -> None:
    base = _source(tmp_path, "base", {"样板法(2020-03-01).md": LAW_2020}, "2024-06-30")
    newer = _source(tmp_path, "mine", {"样板法(2025-09-01).md": LAW_2025}, None)
    index = tmp_path / "corpus.sqlite"
    build_corpus([base], index)
    build_corpus([base, newer], index)  # the user's folder: snapshot = its newest version date
    with Corpus.open(index) as c:
        assert [v.version for v in c.versions("中华人民共和国样板法")] == ["2020-03-01", "2025-09-01"]
        assert law_snapshot(c, "中华人民共和国样板法") == "2025-09-01"
    assert _notes(index, as_of="2025-08-01") == []


def test_document_older_than_the_earliest_version(tmp_path: Path) -> None:
    src = _source(tmp_path, "base", {"样板法(2020-03-01).md": LAW_2020}, "2024-06-30")
    index = tmp_path / "corpus.sqlite"
    build_corpus([src], index)
    notes = _notes(index, as_of="2024-01-01", eff="2015年1月1日")
    assert len(notes) == 1 and notes[0].startswith("[W121]") and "2020-03-01" in notes[0]


def test_no_notes_without_a_built_index() -> None:
    assert coverage_notes([None], None, as_of="2030-01-01") == []
    assert source_snapshots(object()) == {}


def test_codes_have_cause_and_fix() -> None:
    for code in (Code.COVERAGE_AS_OF, Code.COVERAGE_VERSION):
        cause, fix = EXPLAIN[code]
        assert code.value.startswith("W12") and cause and "rebuild" in fix
