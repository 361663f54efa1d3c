"""Suite builders and the suites runner (issue 8), on a tiny synthetic LawRefBook-layout folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from normcheck.evaluation import load_dataset
from normcheck.evaluation.suites import build_suite, load_builder, render_table, run_suites, subsample

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "corpora" / "lawrefbook"


def _law(title: str, arts: list[str]) -> str:
    body = "\n\n".join(f"第{n}条 {t}" for n, t in zip("一二三四五", arts, strict=False))
    return f"# {title}\n\n2000年1月1日通过\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n{body}\n"


@pytest.fixture()
def mini(tmp_path: Path) -> Path:
    d = tmp_path / "src" / "DLC" / "上海地方法规" / "地方性法规" / "上海"
    d.mkdir(parents=True)
    old = ["本条例适用于本市行政区域内的甲类活动管理。", "市人民政府负责组织实施本条例规定的各项工作。",
           "违反本条例规定的，由主管部门责令改正并处以罚款。", "本条例自公布之日起施行并适用于全市。"]
    new = [old[0], old[1], "违反本条例规定的，由市场监管部门责令限期改正，逾期不改的处一万元罚款。", old[3]]
    (d / "上海市甲类活动条例(2010-01-01).md").write_text(_law("上海市甲类活动条例", old), encoding="utf-8")
    (d / "上海市甲类活动条例(2020-01-01).md").write_text(_law("上海市甲类活动条例", new), encoding="utf-8")
    return tmp_path / "src"


def test_amended_and_noise_floor_builders(mini: Path, tmp_path: Path) -> None:
    files = build_suite("amended", mini, build_dir=tmp_path / "b", force=True)
    recs = load_dataset(files["dev"]) + load_dataset(files["test"])
    assert len(recs) == 1
    (r,) = recs
    assert r.as_of == "2020-01-01" and r.kind == "local_regulation"
    assert [lab.clause for lab in r.labels] == ["第三条"]
    nf = build_suite("noise_floor", mini, build_dir=tmp_path / "b", force=True)
    (n,) = load_dataset(nf["dev"]) + load_dataset(nf["test"])
    assert n.id.endswith("(2020-01-01).md") and n.labels == () and n.as_of == "2020-01-01"


def test_run_suites_skips_missing_builders(mini: Path, tmp_path: Path) -> None:
    ed = tmp_path / "eval"
    (ed / "nf").mkdir(parents=True)
    builder = REPO / "normcheck" / "evaluation" / "builders" / "noise_floor.py"
    (ed / "nf" / "build.py").write_text(builder.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_builder(ed, "missing") is None
    assert load_builder(ed, "nf") is not None  # a checkout's eval/<suite>/build.py is a suite too
    res = run_suites(["noise_floor", "authority"], corpus_root=mini, build_dir=tmp_path / "b",
                     eval_dir=REPO / "eval", n_resamples=0, limit=0)
    assert "authority" in res["skipped"] or "authority" in res["reports"]
    assert res["rows"][0]["suite"] == "noise_floor"


def test_subsample_is_seeded_and_ordered() -> None:
    xs = list(range(100))
    a = subsample(xs, 10, seed=3)
    assert a == subsample(xs, 10, seed=3) and a == sorted(a) and len(a) == 10
    assert subsample(xs, None) == xs


def test_render_table_lists_skipped() -> None:
    out = render_table({"rows": [], "skipped": {"authority": "not built yet"}})
    assert "authority: skipped" in out


@pytest.mark.corpus
def test_citations_builder_on_real_corpus(tmp_path: Path) -> None:
    if not SHARED.is_dir():
        pytest.skip("../shared/corpora/lawrefbook is absent")
    files = build_suite("citations", SHARED, build_dir=tmp_path, force=True)
    recs = load_dataset(files["dev"]) + load_dataset(files["test"])
    pos = [lab for r in recs for lab in r.labels if lab.positive]
    assert len(pos) >= 10
    assert any("物权法" in (lab.note or "") for lab in pos)  # repealed 2021-01-01 (registry fact)
    assert all(r.path and Path(r.path).is_file() and r.text is None for r in recs)  # no text in the dataset
    assert json.loads(files["test"].read_text(encoding="utf-8").splitlines()[0])["as_of"] == "2025-04-19"


@pytest.mark.corpus
def test_paraphrase_builder_reads_both_sets(tmp_path: Path) -> None:
    if not SHARED.is_dir():
        pytest.skip("../shared/corpora/lawrefbook is absent")
    mod = load_builder(REPO / "eval", "paraphrase")
    assert mod is not None
    files = mod.build(SHARED, tmp_path)
    dev, test = load_dataset(files["dev"]), load_dataset(files["test"])
    main_n = len(mod.load_cases(mod.CASES))
    held = {name: len(mod.load_cases(path)) for name, path in mod.HELD_OUT.items()}
    assert set(held) == {"fresh", "fresh2", "fresh3"} and all(held.values())
    assert len(dev) + len(test) == main_n + sum(held.values())
    for name, n in held.items():  # each held-out set also alone
        recs = load_dataset(files[name])
        assert len(recs) == n and all(r.meta["set"] == name for r in recs)
    for split, recs in (("dev", dev), ("test", test)):  # split by law, whatever the set
        assert all(r.meta["split"] == split for r in recs)
        assert {r.meta["set"] for r in recs} == {"main", "fresh", "fresh2", "fresh3"}
    laws = {s: {r.meta["law"] for r in rs} for s, rs in (("dev", dev), ("test", test))}
    assert not laws["dev"] & laws["test"]
    bad = dict(mod.load_cases(mod.FRESH)[0], set="other")
    assert any("'set'" in p for p in mod.case_problems(bad))
