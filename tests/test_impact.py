"""Change impact for cleanup campaigns (issue 16): changes between versions, affected clauses,
suggested amendments, reports, CLI. A tiny corpus is built in a tmp folder from statute-like texts of
our own (never law text from the shared corpus)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from normcheck.cli import app
from normcheck.corpus.ingest import build_corpus
from normcheck.corpus.store import Corpus
from normcheck.impact import impact, law_change, law_changes
from normcheck.impact.changes import marked_diff
from normcheck.impact.report import render_html, write_csv, write_jsonl
from normcheck.impact.suggest import delete, replace, restated_edits

ARTS_2015 = [
    "为了规范样例活动，制定本法。",
    "样例活动由县级以上人民政府样例主管部门负责监督管理。",
    "申请样例许可的，应当自受理之日起二十日内作出决定。",
    "违反本法规定的，由样例主管部门处一千元以下罚款。",
    "本法所称样例，是指按照规定程序开展的示范性活动。",
]
ARTS_2023 = [
    "为了规范样例活动，制定本法。",
    "国家鼓励社会力量参与样例活动，推动样例服务均衡发展。",  # new
    "样例活动由县级以上人民政府样例主管部门负责监督管理。",  # moved 2 -> 3
    "申请样例许可的，应当自受理之日起十五日内作出决定。",  # moved_changed 3 -> 4
    "违反本法规定的，由样例主管部门处五千元以下罚款。",  # moved_changed 4 -> 5
]  # old 第五条 deleted


def _law(title: str, dates: list[str], arts: list[str]) -> str:
    head = "\n\n".join(f"{d[:4]}年{int(d[5:7])}月{int(d[8:])}日 样例会议{'通过' if i == 0 else '修订'}"
                       for i, d in enumerate(dates))
    body = "\n\n".join(f"第{'一二三四五六七八九十'[i]}条 {t}" for i, t in enumerate(arts))
    return f"# {title}\n\n{head}\n\n<!-- INFO END -->\n\n{body}\n"


@pytest.fixture()
def tiny(tmp_path: Path) -> Path:
    src = tmp_path / "laws"
    src.mkdir()
    files = {
        "样例法(2015-03-15).md": _law("中华人民共和国样例法", ["2015-03-15"], ARTS_2015),
        "样例法(2023-03-13).md": _law("中华人民共和国样例法", ["2015-03-15", "2023-03-13"], ARTS_2023),
        "样例法典(2020-05-28).md": _law("中华人民共和国样例法典", ["2020-05-28"], [
            "为了规范民事样例关系，制定本法典。", "样例合同的当事人应当遵循诚信原则，全面履行合同义务。",
            "本法典自2021年1月1日起施行。《中华人民共和国旧样例合同法》同时废止。"]),
    }
    rows = ["file,name,level,version,valid_from"]
    for name, text in files.items():
        (src / name).write_text(text, encoding="utf-8")
        date = name[-15:-5]
        vf = "2021-01-01" if "法典" in name else date
        rows.append(f"{name},{'中华人民共和国样例法典' if '法典' in name else '中华人民共和国样例法'},law,{date},{vf}")
    (src / "normcheck-corpus.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    index = tmp_path / "corpus.sqlite"
    build_corpus([src], index)
    return index


def _reg(tmp_path: Path, name: str, text: str) -> Path:
    d = tmp_path / "regs"
    d.mkdir(exist_ok=True)
    p = d / name
    p.write_text(text, encoding="utf-8")
    return d


REG = """# 某市样例活动条例

2018年5月1日 某市人民代表大会常务委员会通过

<!-- INFO END -->

第一条 根据《中华人民共和国样例法》，结合本市实际，制定本条例。

第二条 依照《样例法》第二条的规定，市样例主管部门负责本市样例活动的监督管理。

第三条 申请样例许可的，主管部门应当依照《样例法》第三条的规定，自受理之日起二十日内作出决定。

第四条 依照《样例法》第五条所称样例的范围开展活动。

第五条 样例合同的订立，适用《中华人民共和国旧样例合同法》的规定。
"""


def test_law_change_maps_articles(tiny: Path) -> None:
    with Corpus.open(tiny) as c:
        ch = law_change(c, "样例法", from_="2015-03-15", to="2023-03-13")
    st = {k[0]: (a.status, a.new_number) for k, a in ch.articles.items()}
    assert st[1] == ("same", 1) and st[2] == ("moved", 3) and st[3] == ("moved_changed", 4)
    assert st[5][0] == "deleted"
    assert ch.counts()["deleted"] == 1


def test_unknown_law_and_nothing_to_compare(tiny: Path) -> None:
    with Corpus.open(tiny) as c:
        with pytest.raises(ValueError, match="no law named"):
            law_change(c, "不存在法")
        with pytest.raises(ValueError, match="nothing to compare"):
            law_change(c, "样例法典")
        # the code replaced a repealed law: the campaign follows that repeal
        changes = law_changes(c, "样例法典")
        assert [x.kind for x in changes] == ["repealed"] and changes[0].law.name.endswith("旧样例合同法")


def test_affected_clauses_and_suggestions(tiny: Path, tmp_path: Path) -> None:
    regs = _reg(tmp_path, "某市样例活动条例(2018-05-01).md", REG)
    rep = impact("样例法", [regs], corpus=tiny)
    [doc] = rep.documents
    by = {c.clause: c for c in doc.clauses}
    assert by["第一条"].kind == "title_only" and by["第一条"].weight == 0
    assert by["第二条"].kind == "moved" and by["第二条"].new_article == "第三条"
    assert by["第二条"].suggestion == replace("第二条", "《样例法》第二条", "《样例法》第三条")
    three = by["第三条"]
    assert three.kind == "moved_changed" and "《样例法》第四条" in three.suggestion
    assert "将第三条中的“日起二十日内”修改为“日起十五日内”" in three.suggestion  # the restated words
    assert "【删：二】" in three.old_text and "【增：五】" in three.new_text
    assert by["第四条"].kind == "deleted" and "有关规定" in by["第四条"].suggestion
    assert doc.score == sum(c.weight for c in doc.clauses) > 0


def test_repealed_law_names_successor_and_counterpart(tiny: Path, tmp_path: Path) -> None:
    regs = _reg(tmp_path, "某市样例活动条例(2018-05-01).md", REG)
    rep = impact("样例法典", [regs], corpus=tiny)
    [c] = rep.documents[0].clauses
    assert c.kind == "repealed" and c.successor == "中华人民共和国样例法典"
    assert c.suggestion == replace("第五条", "《中华人民共和国旧样例合同法》", "《中华人民共和国样例法典》")


def test_a_document_already_citing_the_new_version_is_not_affected(tiny: Path, tmp_path: Path) -> None:
    text = REG.replace("2018年5月1日", "2024年5月1日").replace("第五条 样例合同", "第六条 样例合同")
    regs = _reg(tmp_path, "某市样例活动条例(2024-05-01).md", text.replace(
        "依照《样例法》第二条的规定，市样例主管部门负责", "依照《样例法》第三条的规定，市样例主管部门负责"))
    rep = impact("样例法", [regs], corpus=tiny)
    kinds = {c.clause: c.kind for d in rep.documents for c in d.clauses}
    assert "第二条" not in kinds


def test_since_lists_every_change(tiny: Path, tmp_path: Path) -> None:
    regs = _reg(tmp_path, "某市样例活动条例(2018-05-01).md", REG)
    rep = impact(since="2019-01-01", paths=[regs], corpus=tiny)
    names = {c.law.name for c in rep.changes}
    # (the packaged facts registry adds the civil laws the 民法典 repealed, as stubs)
    assert {"中华人民共和国样例法", "中华人民共和国旧样例合同法"} <= names
    assert rep.summary()["affected_documents"] == 1


def test_reports_are_consistent_and_escaped(tiny: Path, tmp_path: Path) -> None:
    regs = _reg(tmp_path, "某市样例活动条例(2018-05-01).md", REG.replace("某市样例活动条例", "某市<script>条例"))
    rep = impact("样例法", [regs], corpus=tiny)
    buf = io.StringIO()
    write_jsonl(rep, buf)
    lines = [json.loads(x) for x in buf.getvalue().splitlines()]
    assert lines[-1]["summary"]["affected_clauses"] == lines[0]["n_clauses"] == len(rep.documents[0].clauses)
    buf = io.StringIO()
    write_csv(rep, buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert len(rows) == lines[0]["n_clauses"] and rows[0]["rank"] == "1"
    page = render_html(rep)
    assert "<script>" not in page and "&lt;script&gt;" in page and "<del>" in page


def test_suggestion_forms() -> None:
    assert replace("第十二条", "甲", "乙") == "将第十二条中的“甲”修改为“乙”"
    assert delete("第十二条") == "删去第十二条"
    assert restated_edits("自受理之日起二十日内", "自受理之日起二十日内决定", "自受理之日起十五日内决定") == [
        ("日起二十日内", "日起十五日内")]
    # words that only moved are not an edit
    assert restated_edits("玩忽职守、滥用职权", "玩忽职守、滥用职权的", "滥用职权、玩忽职守的") == []
    old, new = marked_diff("处一千元罚款", "处五千元罚款")
    assert old == "处【删：一】千元罚款" and new == "处【增：五】千元罚款"


def test_cli(tiny: Path, tmp_path: Path) -> None:
    regs = _reg(tmp_path, "某市样例活动条例(2018-05-01).md", REG)
    out = tmp_path / "r.csv"
    r = CliRunner().invoke(app, ["impact", "样例法", str(regs), "--corpus", str(tiny), "--format", "csv",
                                 "--out", str(out), "-q"])
    assert r.exit_code == 0, r.output
    assert "moved_changed" in out.read_text(encoding="utf-8")
    r = CliRunner().invoke(app, ["impact", "不存在法", str(regs), "--corpus", str(tiny), "-q"])
    assert r.exit_code == 2 and "no law named" in r.output
    r = CliRunner().invoke(app, ["impact", "--since", "2019-01-01", str(regs), "--corpus", str(tiny), "-q"])
    assert r.exit_code == 0 and '"summary"' in r.output
