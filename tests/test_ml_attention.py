"""normcheck.ml.attention (issue 12): the attention head — rows, AUPR and the paired bootstrap, a tiny training
run that saves a complete folder, the rank hook in `check`, the W130 fallback, and the shipped model's known
prediction. Tiny configs (hidden 16, 1 layer), seconds on CPU. Every sentence here is written for the test."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

import numpy as np
import pytest

from normcheck.errors import NormcheckError

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "models" / "attention-tiny"

POS = ["违反本办法的，由市场管理部门处五万元以上十万元以下罚款，并吊销其经营许可证。",
       "经营者应当向主管部门缴纳五千元保证金，逾期不缴纳的不予登记。",
       "对拒不改正的，可以查封其经营场所并扣押相关物品。"]
NEG = ["本办法自公布之日起施行。",
       "为了规范本市公园的日常管理，制定本办法。",
       "本办法所称公园，是指向公众开放的绿地。",
       "市园林部门负责本办法的组织实施。"]


def _rows(split: str, n_docs: int) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for d in range(n_docs):
        suite = "authority" if d % 2 else "citations"
        for i, t in enumerate(POS + NEG):
            pos = i < len(POS)
            out.append({"suite": suite, "doc": f"{split}-{d}", "split": split, "clause": f"第{i + 1}条", "text": t,
                        "label": int(pos and (d + i) % 3 != 0),
                        "features": {"score": 0.6 if pos else 0.02, "raw": 0.5 if pos else 0.0,
                                     "rules": 0.5 if pos else 0.0, "prior": 0.08 if pos else 0.0,
                                     "type:penalty_setting": 0.4 if pos else 0.0}})
    return out


def _write(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for split, n in (("train", 6), ("dev", 3), ("test", 3)):
        (folder / f"{split}.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                                                       for r in _rows(split, n)), encoding="utf-8")
    return folder


def _args(out: Path, **kw: object):  # type: ignore[no-untyped-def]
    from normcheck.ml.attention import AttentionTrainingArguments

    base: dict[str, object] = dict(out_dir=str(out), hidden_size=16, num_layers=1, num_heads=2, max_length=48,
                                   batch_size=8, max_steps=6, threads=1, resamples=20, learning_rate=3e-3)
    base.update(kw)
    return AttentionTrainingArguments(**base)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    from normcheck.ml.attention import load_attention_rows, train_attention

    data = _write(tmp_path_factory.mktemp("rows"))
    out = tmp_path_factory.mktemp("model") / "att"
    res = train_attention(_args(out), load_attention_rows(data))
    return out, res


# --- metrics -------------------------------------------------------------------------------------

def test_average_precision_by_hand() -> None:
    from normcheck.ml.attention import average_precision

    assert average_precision(np.array([0.9, 0.8, 0.1]), np.array([1.0, 0.0, 1.0])) == pytest.approx((1 + 2 / 3) / 2)
    # ties are one threshold: two tied items, one positive -> precision 1/2 at recall 1
    assert average_precision(np.array([0.5, 0.5]), np.array([0.0, 1.0])) == pytest.approx(0.5)
    assert average_precision(np.array([0.5, 0.2]), np.array([0.0, 0.0])) is None


def test_paired_bootstrap_sees_a_better_system() -> None:
    from normcheck.ml.attention import bootstrap_aupr

    rng = np.random.default_rng(0)
    y = (rng.random(400) < 0.2).astype(float)
    good = y * 0.6 + rng.random(400) * 0.5
    bad = rng.random(400)
    docs = [f"d{i // 4}" for i in range(400)]
    out = bootstrap_aupr({"model": good, "score": bad}, y, docs, ["s"] * 400, reference="model", resamples=100,
                         seed=0)
    assert out["aupr"]["model"]["value"] > out["aupr"]["score"]["value"]
    assert out["paired"]["score"]["lo"] > 0 and out["paired"]["score"]["p"] < 0.05
    assert out["aupr"]["model"]["lo"] <= out["aupr"]["model"]["value"] <= out["aupr"]["model"]["hi"]


def test_logistic_blend_fits_a_separable_feature() -> None:
    from normcheck.ml.attention import apply_blend, fit_logistic

    x = np.array([[0.0], [0.1], [0.9], [1.0]])
    coef, _ = fit_logistic(x, np.array([0.0, 0.0, 1.0, 1.0]), np.ones(4), l2=0.1)
    assert coef[0] > 0
    blend = {"features": [], "coef": [0.0, 1.0], "intercept": 0.0}
    p = apply_blend(blend, np.array([0.5, 0.5]), [{"score": 0.9}, {"score": 0.1}])
    assert p[0] == pytest.approx(0.9, abs=1e-6) and p[1] == pytest.approx(0.1, abs=1e-6)


# --- data ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("line", ['{"text": "甲", "label": 1}', '{"split": "train", "text": 3, "label": 1}',
                                  '{"split": "train", "text": "甲", "label": 1, "features": {"a": "x"}}', "{oops"])
def test_bad_rows_are_coded(tmp_path: Path, line: str) -> None:
    from normcheck.ml.attention import load_attention_rows

    f = tmp_path / "rows.jsonl"
    f.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(NormcheckError) as e:
        load_attention_rows(f)
    assert e.value.code.value == "E204"


def test_subsample_keeps_every_positive() -> None:
    from normcheck.ml.attention import AttentionRow, subsample_train

    rows = [AttentionRow("s", f"d{i}", "train", "甲", int(i % 10 == 0), {}) for i in range(100)]
    kept = subsample_train(rows, 30, seed=0)
    assert len(kept) == 30 and sum(r.label for r in kept) == 10
    assert subsample_train(rows, 30, seed=0) == kept


def test_arguments_validated() -> None:
    from normcheck.ml.attention import AttentionTrainingArguments

    with pytest.raises(ValueError, match="blend"):
        AttentionTrainingArguments(blend="magic")


# --- training ------------------------------------------------------------------------------------

def test_training_saves_a_complete_folder(tiny: tuple[Path, object]) -> None:
    out, res = tiny
    names = {p.name for p in out.iterdir()}
    assert {"model.safetensors", "config.json", "README.md", "training_args.json", "metrics_test.json"} <= names
    assert not [n for n in names if n.endswith((".bin", ".pt", ".pkl"))]
    cfg = json.loads((out / "config.json").read_text(encoding="utf-8"))
    assert cfg["normcheck_task"] == "attention" and cfg["label2id"] == {"ok": 0, "attention": 1}
    assert len(cfg["normcheck_blend"]["coef"]) == 2 + len(cfg["normcheck_blend"]["features"])
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "off by default" in card and "beats the rules" in card
    assert "normcheck score" in card and "findings alone" in card
    comp = res.comparison["test"]  # type: ignore[attr-defined]
    assert {"authority", "citations", "pooled"} <= set(comp)
    assert {"model", "text", "score", "rules"} == set(comp["pooled"]["aupr"])


def test_load_round_trip_predicts_the_same(tiny: tuple[Path, object]) -> None:
    from normcheck.ml.attention import AttentionModel

    out, _ = tiny
    m = AttentionModel.load(out)
    feats = [{"score": 0.6, "rules": 0.5}, {"score": 0.02}]
    p1 = m.predict([POS[0], NEG[0]], feats)
    p2 = AttentionModel.load(out).predict([POS[0], NEG[0]], feats)
    assert p1 == pytest.approx(p2) and all(0.0 <= p <= 1.0 for p in p1)
    with pytest.raises(ValueError, match="feature"):
        m.predict([POS[0]])


def test_cli_train_attention(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from normcheck.cli import app

    data = _write(tmp_path / "rows")
    out = tmp_path / "cli"
    r = CliRunner().invoke(app, ["train", "attention", "--data", str(data), "--out", str(out), "--hidden", "16",
                                 "--layers", "1", "--heads", "2", "--max-steps", "3", "--threads", "1",
                                 "--resamples", "10", "--blend", "none", "-q"])
    assert r.exit_code == 0, r.output
    summary = json.loads(r.stdout)
    assert summary["task"] == "attention" and summary["steps"] == 3 and "test" in summary["metrics"]
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "normcheck train attention --data" in card and "--blend none" in card


# --- in check: the rank hook and the W130 fallback ------------------------------------------------

DRAFT = ("示范市公园管理办法\n\n第一条 为了规范本市公园的日常管理，制定本办法。\n\n"
         "第二条 违反本办法的，由市园林部门处五万元以上十万元以下罚款。\n\n第三条 本办法自公布之日起施行。\n")


def _check(models: object = None):  # type: ignore[no-untyped-def]
    import normcheck

    return normcheck.check(DRAFT, kind="municipal_rule", as_of="2024-06-01", checks=["authority"], models=models)


def test_check_with_attention_model_rescores_clauses(tiny: tuple[Path, object]) -> None:
    from normcheck.ml.attention import AttentionModel
    from normcheck.rank.score import attention_features

    out, _ = tiny
    plain, res = _check(), _check(str(out))
    assert not any("W130" in n for n in res.notes)
    assert [f.to_dict() for f in res.findings] == [f.to_dict() for f in plain.findings]
    m = AttentionModel.load(out)
    want = m.predict([c.text for c in plain.clauses],
                     [attention_features(c.text, [plain.findings[k] for k in c.findings or []])
                      for c in plain.clauses])
    assert [c.score for c in res.clauses] == pytest.approx(want)
    assert sorted(c.rank for c in res.clauses) == list(range(1, len(res.clauses) + 1))


@pytest.mark.parametrize("make", ["pickle", "corrupt_weights", "bad_blend"])
def test_unusable_attention_model_falls_back_with_w130(tiny: tuple[Path, object], tmp_path: Path,
                                                       make: str) -> None:
    out, _ = tiny
    d = tmp_path / "m"
    shutil.copytree(out, d)
    if make == "pickle":
        (d / "pytorch_model.bin").write_bytes(b"x")
    elif make == "corrupt_weights":
        (d / "model.safetensors").write_bytes(b"\x00garbage" * 10)
    else:
        cfg = json.loads((d / "config.json").read_text(encoding="utf-8"))
        cfg["normcheck_blend"]["coef"] = [1.0]
        (d / "config.json").write_text(json.dumps(cfg), encoding="utf-8")
    plain, res = _check(), _check(str(d))
    assert res.error is None and [n for n in res.notes if n.startswith("[W130]")]
    assert [c.to_dict() for c in res.clauses] == [c.to_dict() for c in plain.clauses]


def test_failing_attention_model_keeps_the_rules_scores() -> None:
    from normcheck.ml.plug import Models

    class Broken:
        path = "broken"

        def predict(self, texts: list[str], features: object, batch_size: int = 64) -> list[float]:
            raise RuntimeError("boom")

    plain, res = _check(), _check(Models(attention=Broken()))
    assert [c.to_dict() for c in res.clauses] == [c.to_dict() for c in plain.clauses]
    assert any(n.startswith("[W130]") and "boom" in n for n in res.notes)


# --- the shipped model ---------------------------------------------------------------------------

@pytest.mark.skipif(not (SHIPPED / "model.safetensors").is_file(), reason="models/attention-tiny not in this checkout")
def test_shipped_attention_model_known_prediction() -> None:
    from normcheck.ml.attention import AttentionModel
    from normcheck.ml.plug import model_task

    assert model_task(SHIPPED) == "attention"
    m = AttentionModel.load(SHIPPED)
    feats = [{"score": 0.87, "raw": 0.85, "rules": 0.85, "prior": 0.08, "n_findings": 0.2,
              "type:penalty_setting": 0.85, "kw:penalty": 1.0},
             {"score": 0.0116, "raw": 0.0, "rules": 0.0, "prior": 0.0, "n_findings": 0.0}]
    p = m.predict([DRAFT.split("\n\n")[2], "第三条 本办法自公布之日起施行。"], feats)
    assert p[0] > p[1]
    assert p == pytest.approx(KNOWN, abs=1e-3)


KNOWN = [0.7611, 0.0581]  # models/attention-tiny as shipped (CPU)
