"""Dataset validator (E204), HF datasets loading offline, prediction matching, report and CLI (issue 8)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from normcheck.cli import app
from normcheck.errors import Code, NormcheckError
from normcheck.evaluation import evaluate, load_dataset, split_of, validate_records, write_splits
from normcheck.evaluation.predictions import match_results, pred_of

GOOD = {"id": "d1", "text": "第一条 甲。\n第二条 乙。", "kind": "地方性法规", "as_of": "2022-01-01", "region": "上海",
        "labels": [{"type": "outdated_reference", "clause": "第二条第一款", "outcome": "positive", "note": "x"}]}


def rec(**kw: object) -> dict[str, object]:
    d = dict(GOOD)
    d.update(kw)
    return d


@pytest.mark.parametrize(("raw", "field"), [
    (rec(id=""), "'id'"),
    (rec(text=None), "'text'"),
    (rec(kind="县政府文件"), "'kind'"),
    (rec(as_of="2022/01/01"), "'as_of'"),
    (rec(labels="x"), "'labels'"),
    (rec(labels=[{"type": "nonsense", "clause": None, "outcome": "positive"}]), "'labels.type'"),
    (rec(labels=[{"type": "drafting", "clause": "十二条", "outcome": "positive"}]), "'labels.clause'"),
    (rec(labels=[{"type": "drafting", "clause": "第一款", "outcome": "positive"}]), "'labels.clause'"),
    (rec(labels=[{"type": "drafting", "clause": None, "outcome": "yes"}]), "'labels.outcome'"),
    (rec(extra=1), "'extra'"),
    (rec(meta="{not json"), "'meta'"),
])
def test_validator_names_record_and_field(raw: dict[str, object], field: str) -> None:
    with pytest.raises(NormcheckError) as ei:
        validate_records([GOOD | {"id": "ok"}, raw])
    assert ei.value.code is Code.BAD_DATASET
    assert "#2" in str(ei.value) and field in str(ei.value)


def test_duplicate_ids_and_kind_alias() -> None:
    with pytest.raises(NormcheckError, match="duplicate"):
        validate_records([GOOD, GOOD])
    (r,) = validate_records([GOOD])
    assert r.kind == "local_regulation" and r.labels[0].positive


def test_split_is_fixed_and_roughly_even() -> None:
    assert split_of("上海/a.md") == split_of("上海/a.md")
    share = sum(split_of(f"doc{i}") == "dev" for i in range(1000)) / 1000
    assert 0.45 < share < 0.55


def test_jsonl_and_parquet_load_with_hf_datasets_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "hf"))
    import datasets

    files = write_splits([rec(id=f"d{i}") for i in range(6)] + [rec(id="n", labels=[], region=None)], tmp_path)
    ds = datasets.load_dataset("json", data_files={k: str(v) for k, v in files.items()})
    assert sum(len(ds[s]) for s in ds) == 7
    pq = tmp_path / "all.parquet"
    ds["test"].to_parquet(str(pq))
    assert [r.id for r in load_dataset(pq)] == [r.id for r in load_dataset(files["test"])]
    assert datasets.load_dataset("parquet", data_files=str(pq))["train"].num_rows == len(ds["test"])


def test_bad_files(tmp_path: Path) -> None:
    p = tmp_path / "x.jsonl"
    p.write_text('{"id": "a", "text": "t"}\nnot json\n', encoding="utf-8")
    with pytest.raises(NormcheckError, match="line 2"):
        load_dataset(p)
    with pytest.raises(NormcheckError) as ei:
        load_dataset(tmp_path / "missing.jsonl")
    assert ei.value.code is Code.BAD_DATASET


def test_matching_by_id_path_and_sha_and_abstentions(tmp_path: Path) -> None:
    import hashlib

    f = tmp_path / "doc.md"
    f.write_text("第一条 甲。", encoding="utf-8")
    recs = validate_records([rec(id="a"), rec(id="b", text=None, path=str(f)), rec(id="c", text="第一条 丙。"),
                             rec(id="d")])
    results = [{"document": {"id": "a"}, "findings": [], "clauses": [], "error": None},
               {"document": {"path": str(f)}, "findings": [], "clauses": [], "error": {"code": "E003"}},
               {"document": {"sha256": hashlib.sha256("第一条 丙。".encode()).hexdigest()}, "clauses": [],
                "findings": [], "error": None}]
    m = match_results(recs, results)
    assert [pred_of(x).status for x in m] == ["ok", "error", "ok", "missing"]


def _write(tmp_path: Path) -> tuple[Path, Path, Path]:
    ds = tmp_path / "ds.jsonl"
    ds.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        rec(id="a"), rec(id="b", labels=[{"type": "outdated_reference", "clause": "第一条", "outcome": "negative"}])]),
        encoding="utf-8")
    good = [{"document": {"id": "a"}, "clauses": [{"id": "第一条", "article": 1, "score": 0.1, "text": "甲"},
                                                  {"id": "第二条", "article": 2, "score": 0.9, "text": "乙"}],
             "findings": [{"type": "outdated_reference", "clause": "第二条", "confidence": 0.9, "severity": "high",
                           "message": "m"}], "error": None},
            {"document": {"id": "b"}, "clauses": [{"id": "第一条", "article": 1, "score": 0.3, "text": "丙"}],
             "findings": [{"type": "outdated_reference", "clause": "第一条", "confidence": 0.7, "severity": "high",
                           "message": "false alarm"}], "error": None}]
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in good), encoding="utf-8")
    b.write_text(json.dumps(good[1], ensure_ascii=False), encoding="utf-8")  # 'a' missing -> a miss
    return ds, a, b


def test_evaluate_writes_report_with_plot_and_worst_errors(tmp_path: Path) -> None:
    ds, a, b = _write(tmp_path)
    rep = evaluate(ds, predictions=a, compare=b, out_dir=tmp_path / "out", n_resamples=50)
    assert rep["classification"]["clause"]["micro"]["f1"] == pytest.approx(2 / 3)
    assert rep["compare"]["b"]["coverage"]["n_missing"] == 1
    assert rep["compare"]["b"]["classification"]["clause"]["micro"]["recall"] == 0.0
    assert (tmp_path / "out" / "reliability.png").read_bytes()[:4] == b"\x89PNG"
    md = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "false alarm" in md and "丙" in md and "reliability.png" in md
    assert json.loads((tmp_path / "out" / "metrics.json").read_text(encoding="utf-8"))["types"] == [
        "outdated_reference"]


def test_cli_eval(tmp_path: Path) -> None:
    ds, a, _ = _write(tmp_path)
    r = CliRunner().invoke(app, ["eval", str(ds), "--predictions", str(a), "--resamples", "20", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["ranking"]["aupr"] == pytest.approx(1.0)
    r = CliRunner().invoke(app, ["eval", str(tmp_path / "nope.jsonl"), "--predictions", str(a)])
    assert r.exit_code == 1 and "E204" in r.output
    r = CliRunner().invoke(app, ["eval", "--suite", "nonsense"])
    assert r.exit_code == 2
