"""Result notes reach the reviewer, in Chinese, in every report format (issue 17: a check without a
corpus, or past the corpus's snapshot, must not read as a clean result)."""

from __future__ import annotations

import pytest
from report_factories import simple_result

from normcheck.report.csv_report import render_csv
from normcheck.report.docx_report import opinion
from normcheck.report.html import render_html
from normcheck.report.labels import note_label

NOTES = [
    ("[W120] 《中华人民共和国示范法》: the corpus text comes from a snapshot of 2025-04-19, the check is as of "
     "2026-11-28: a later version may exist and was not checked; add it …",
     "法律库中《中华人民共和国示范法》的文本截至2025年4月19日，审查基准日为2026年11月28日：其后的修改未收录，本次未据以审查。"),
    ("[W121] 《示范法》: the document speaks from 2001-05-01, but the corpus's earliest version is 2010-01-01 "
     "(in force from 2010-01-01): …",
     "本文件（2001年5月1日）早于法律库中《示范法》的最早版本（2010年1月1日）：所引版本缺失，已按较新文本核对。"),
    ("[E101] no corpus index at /x/corpus.sqlite: checks that need superior law were skipped; build it …",
     "未找到法律库索引：需要上位法的检查未执行（运行 normcheck corpus build）。"),
    ("check consistency skipped: [E102] broken", "检查项consistency未执行：[E102] broken"),
    ("something new", "something new"),
]


@pytest.mark.parametrize(("note", "label"), NOTES, ids=[n[:6] for n, _ in NOTES])
def test_note_label(note: str, label: str) -> None:
    assert note_label(note) == label


def _result_with_notes():  # type: ignore[no-untyped-def]
    _, r = simple_result()
    r.notes = [NOTES[0][0], NOTES[2][0]]
    return r


def test_html_shows_notes_escaped() -> None:
    r = _result_with_notes()
    r.notes.append("<script>x</script>")
    page = render_html([r])
    assert NOTES[0][1] in page and NOTES[2][1] in page
    assert "<script>x</script>" not in page and "&lt;script&gt;" in page


def test_csv_has_a_notes_column() -> None:
    text = render_csv([_result_with_notes()])
    assert "审查说明" in text.splitlines()[0] and NOTES[0][1] in text


def test_opinion_lists_notes_and_qualifies_a_clean_result() -> None:
    r = _result_with_notes()
    r.findings, r.clauses = [], [c for c in r.clauses]
    for c in r.clauses:
        c.findings = []
    paras = [p.text for p in opinion([r]).paragraphs]
    assert "审查说明：" in paras and NOTES[0][1] in paras
    assert any(p.startswith("经初步审查，未发现明显的合法性问题（以下审查说明所述范围除外）") for p in paras)
