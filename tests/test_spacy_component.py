"""normcheck as a spaCy component (issue 18, item 6): span groups, attributes, displacy, the entry point,
and normcheck importable without spaCy. No corpus (checks that need one are skipped)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

spacy = pytest.importorskip("spacy")

from normcheck.paths import data_file  # noqa: E402

SAMPLE = data_file("sample_draft.txt").read_text(encoding="utf-8")


@pytest.fixture()
def nlp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> object:
    monkeypatch.setenv("NORMCHECK_HOME", str(tmp_path))
    import normcheck.spacy_component  # noqa: F401  (registers the factory even without the entry point)

    nlp = spacy.blank("zh")
    nlp.add_pipe("normcheck", config={"kind": "municipal_rule", "as_of": "2026-12-01"})
    return nlp


def test_span_groups_match_check(nlp: object) -> None:
    import normcheck

    doc = nlp(SAMPLE)  # type: ignore[operator]
    res = normcheck.check(SAMPLE, kind="municipal_rule", as_of="2026-12-01")
    clauses, cites, finds = doc.spans["nc_clauses"], doc.spans["nc_citations"], doc.spans["nc_findings"]
    assert [s.label_ for s in clauses] == [c.id for c in res.clauses]
    assert [(s.start_char, s.end_char) for s in clauses] == [(c.start, c.end) for c in res.clauses]
    assert [s.label_ for s in finds] == [f.type.value for f in res.findings]
    for s, f in zip(finds, res.findings, strict=True):
        assert s._.normcheck["message"] == f.message and s._.normcheck["clause"] == f.clause
        assert s.start_char == f.start and s.end_char == f.end  # the char tokenizer: exact spans
    assert cites and {s.label_ for s in cites} <= {"LAW", "INTERNAL", "UNNAMED"}
    law = next(s for s in cites if s.label_ == "LAW")
    assert law.text.startswith("《") and law._.normcheck["title"] in law.text
    assert doc._.normcheck["document"]["kind"] == "municipal_rule"
    assert clauses[0]._.normcheck["id"] == clauses[0].label_


def test_displacy_renders_citations(nlp: object) -> None:
    from spacy import displacy

    doc = nlp(SAMPLE)  # type: ignore[operator]
    html = displacy.render(doc, style="span", options={"spans_key": "nc_citations"}, page=False)
    assert "LAW" in html and "《" in html


def test_messy_text_and_bad_config(nlp: object) -> None:
    for text in ("", "   ", "第", "《》第条", "\x00\x01"):
        doc = nlp(text)  # type: ignore[operator]
        assert doc.spans["nc_findings"] is not None
    with pytest.raises(ValueError, match="unknown check"):
        spacy.blank("zh").add_pipe("normcheck", name="nc2", config={"checks": ["no_such_check"]})


def test_entry_point_and_import_without_spacy(tmp_path: Path) -> None:
    env = {**os.environ, "NORMCHECK_HOME": str(tmp_path)}
    probe = ("import spacy, sys; nlp = spacy.blank('zh'); nlp.add_pipe('normcheck'); "
             "print('normcheck.spacy_component' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0 and r.stdout.strip() == "True", r.stderr  # loaded through spacy_factories
    block = ("import sys; sys.modules['spacy'] = None; import normcheck, normcheck.cli; "
             "r = normcheck.check('第一条 为了规范管理，制定本办法。'); print(r.error)")
    r = subprocess.run([sys.executable, "-c", block], cwd=tmp_path, env=env, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0 and r.stdout.strip() == "None", r.stderr
