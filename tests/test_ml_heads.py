"""normcheck.ml (issue 12): trained tokenizer, encoder pretraining (resumable), retrieval bi-encoder,
`train` never writing into models/ by default, plugging models into check (W130 fallback), the
shipped models. Tiny configs (hidden 32, 2 layers), seconds on CPU."""

from __future__ import annotations

import json
import os
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

import pytest

from normcheck.errors import EXPLAIN, Code

REPO = Path(__file__).resolve().parents[1]

LINES = [
    "各级人民政府要加强对安全生产的领导，并建立工作协调机制。",
    "经营单位须具备本法和其他有关规定要求的安全生产条件。",
    "行政机关对已受理的行政许可申请，应当在二十日以内作出是否准予的决定。",
    "单位和个人都不可以向河道内倾倒垃圾或者渣土。",
    "违反本条例的，由有关部门责令改正，并处五百元以上二千元以下罚款。",
    "当事人对行政机关的决定不服的，可以依法申请复议。",
] * 8


def _tiny_encoder_args(out: Path, **kw: object):  # type: ignore[no-untyped-def]
    from normcheck.ml.pretraining import EncoderTrainingArguments

    base: dict[str, object] = dict(out_dir=str(out), tokenizer_kind="chars", vocab_size=300, hidden_size=32,
                                   num_layers=2, num_heads=2, max_length=48, batch_size=8, max_steps=6,
                                   save_steps=3, threads=1, eval_texts=6, learning_rate=3e-3)
    base.update(kw)
    return EncoderTrainingArguments(**base)  # type: ignore[arg-type]


# --- tokenizer -----------------------------------------------------------------------------------

def test_terms_tokenizer_keeps_terms_whole(tmp_path: Path) -> None:
    from normcheck.ml.tokenization import frequent_ngrams, mine_terms, train_tokenizer

    grams = frequent_ngrams(LINES, min_count=8)
    assert "人民政府" in grams or "安全生产" in grams
    terms, how = mine_terms(LINES, top_k=50, min_count=8, use_jieba=False)
    assert "frequent n-grams" in how and terms
    tok = train_tokenizer(LINES, tmp_path / "t", kind="terms", vocab_size=400, terms=["安全生产", "行政许可"])
    assert "安全生产" in tok.tokenize("加强安全生产工作")
    assert tok.tokenize("加强") == ["加", "强"]  # characters otherwise
    enc = tok("安全生产", "行政许可", return_token_type_ids=True)
    assert enc["token_type_ids"][-1] == 1 and enc["input_ids"][0] == tok.cls_token_id
    assert (tmp_path / "t" / "tokenizer.json").is_file()


def test_bpe_baseline_and_bad_kind(tmp_path: Path) -> None:
    from normcheck.ml.tokenization import train_tokenizer

    tok = train_tokenizer(LINES, None, kind="bpe", vocab_size=300)
    assert any(len(t) > 1 for t in tok.tokenize(LINES[0]))  # merges across characters
    with pytest.raises(ValueError, match="unknown tokenizer kind"):
        train_tokenizer(LINES, None, kind="sentencepiece")


@pytest.mark.parametrize("bad", [{"kind": "x"}, {"vocab_size": 3}, {"terms": -1}, {"max_length": 2}])
def test_tokenizer_arguments_validated(bad: dict[str, object]) -> None:
    from normcheck.ml.tokenization import TokenizerTrainingArguments

    with pytest.raises(ValueError, match="invalid training arguments"):
        TokenizerTrainingArguments(**bad)  # type: ignore[arg-type]


# --- encoder -------------------------------------------------------------------------------------

def test_mask_tokens_whole_words() -> None:
    import random

    from normcheck.ml.pretraining import mask_tokens

    ids = [2, 10, 11, 12, 13, 3]
    words = [-1, 0, 0, 1, 1, -1]
    _inp, lab = mask_tokens(ids, words, rng=random.Random(0), p=0.5, mask_id=4, vocab_size=20, special={2, 3})
    chosen = [i for i, x in enumerate(lab) if x != -100]
    assert chosen in ([1, 2], [3, 4])  # a whole word, never a special token
    assert [lab[i] for i in chosen] == [ids[i] for i in chosen]


def test_encoder_pretrains_checkpoints_and_resumes(tmp_path: Path) -> None:
    from normcheck.ml.pretraining import train_encoder

    out = tmp_path / "enc"
    res = train_encoder(_tiny_encoder_args(out, max_steps=6), LINES, LINES[:6])
    assert res.steps == 6 and 0 <= res.metrics["heldout"]["masked_accuracy"] <= 1
    names = {p.name for p in out.iterdir()}
    assert {"model.safetensors", "config.json", "tokenizer.json", "README.md", "metrics_heldout.json",
            "training_args.json"} <= names
    assert not [n for n in names if n.endswith((".bin", ".pt", ".pth"))]
    cps = sorted(p.name for p in out.glob("checkpoint-*"))
    assert cps == ["checkpoint-3", "checkpoint-6"]
    assert {p.name for p in (out / "checkpoint-6").iterdir()} >= {"model.safetensors", "optimizer.safetensors",
                                                                  "trainer_state.json"}
    # resume: continue to step 9 from checkpoint-6
    res2 = train_encoder(_tiny_encoder_args(out, max_steps=9, resume=True), LINES, LINES[:6])
    assert res2.steps == 9
    assert json.loads((out / "training_args.json").read_text(encoding="utf-8"))["steps"] == 9


def test_encoder_is_seeded(tmp_path: Path) -> None:
    from normcheck.ml.pretraining import train_encoder

    a = train_encoder(_tiny_encoder_args(tmp_path / "a", save_steps=0), LINES, LINES[:6])
    b = train_encoder(_tiny_encoder_args(tmp_path / "b", save_steps=0), LINES, LINES[:6])
    assert a.metrics == b.metrics
    assert (tmp_path / "a" / "model.safetensors").read_bytes() == (tmp_path / "b" / "model.safetensors").read_bytes()


@pytest.mark.parametrize("bad", [{"mlm_probability": 0}, {"device": "tpu"}, {"max_steps": 0},
                                 {"hidden_size": 30, "num_heads": 4}, {"max_seconds": 0}])
def test_encoder_arguments_validated(bad: dict[str, object], tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="invalid training arguments"):
        _tiny_encoder_args(tmp_path, **bad)


def test_pair_head_on_a_base_encoder_predicts_at_its_training_length(tmp_path: Path) -> None:
    """A base encoder has 512 positions; the head fine-tuned from it at max_length 40 must cut there at
    inference too (``normcheck_max_length`` in its config), not at the base's 512."""
    from normcheck.ml.data import PairExample
    from normcheck.ml.pair import PairClassifier
    from normcheck.ml.pretraining import train_encoder
    from normcheck.ml.training import PairTrainingArguments, predict_proba, train_pair

    train_encoder(_tiny_encoder_args(tmp_path / "enc", max_steps=2, save_steps=0), LINES, LINES[:6])
    pairs = [PairExample(a, a, "consistent", f"g{i}") for i, a in enumerate(LINES[:6])]
    pairs += [PairExample(LINES[i], LINES[i + 1], "unrelated", f"g{i}") for i in range(5)]
    out = tmp_path / "pair"
    train_pair(PairTrainingArguments(out_dir=str(out), base_model=str(tmp_path / "enc"), max_steps=2,
                                     max_length=40, batch_size=4, threads=1), {"train": pairs})
    cfg = json.loads((out / "config.json").read_text(encoding="utf-8"))
    assert cfg["max_position_embeddings"] == 512 and cfg["normcheck_max_length"] == 40
    clf = PairClassifier.load(out)
    long = ("".join(LINES[:4]), "".join(LINES[2:6]))
    got = predict_proba(clf.model, clf.tokenizer, [long])
    assert got == predict_proba(clf.model, clf.tokenizer, [long], max_length=40)
    assert got != predict_proba(clf.model, clf.tokenizer, [long], max_length=512)


# --- retrieval -----------------------------------------------------------------------------------

def _retrieval_pairs(tmp_path: Path) -> Path:
    recs = []
    for i, line in enumerate(LINES[:6]):
        for j, split in enumerate(("train", "train", "test")):
            recs.append({"id": f"{i}-{j}", "kind": "restatement", "query": line[:-1] + "。" * (j + 1),
                         "positive": line, "hard_negatives": [LINES[(i + 1) % 6]], "target_law": f"law{i}",
                         "law_split": split})
    p = tmp_path / "pairs.jsonl"
    p.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in recs) + "\n", encoding="utf-8")
    return p


def test_retrieval_trains_and_encodes(tmp_path: Path) -> None:
    from normcheck.ml.retrieval import BiEncoder, RetrievalTrainingArguments, load_retrieval_pairs, train_retrieval

    splits = load_retrieval_pairs(_retrieval_pairs(tmp_path))
    assert len(splits["train"]) == 12 and len(splits["test"]) == 6
    out = tmp_path / "ret"
    args = RetrievalTrainingArguments(out_dir=str(out), hidden_size=32, num_layers=2, num_heads=2, max_steps=20,
                                      batch_size=6, max_length=48, threads=1, learning_rate=3e-3)
    res = train_retrieval(args, splits)
    assert res.steps == 20 and res.metrics["test"]["R@20"] == 1.0
    cfg = json.loads((out / "config.json").read_text(encoding="utf-8"))
    assert cfg["normcheck_task"] == "retrieval"
    enc = BiEncoder.load(out)
    v = enc.encode([LINES[0], LINES[0][:-1] + "。。", LINES[3]])
    assert v.shape == (3, 32) and abs(float((v[0] ** 2).sum()) - 1) < 1e-4
    assert float(v[0] @ v[1]) > float(v[0] @ v[2])  # the restatement is nearer than another article


def test_retrieval_data_errors(tmp_path: Path) -> None:
    from normcheck.errors import NormcheckError
    from normcheck.ml.retrieval import RetrievalTrainingArguments, load_retrieval_pairs

    with pytest.raises(NormcheckError) as e:
        load_retrieval_pairs(tmp_path / "none.jsonl")
    assert e.value.code == Code.FILE_NOT_FOUND
    (tmp_path / "p.jsonl").write_text('{"query": "甲"}\n', encoding="utf-8")
    with pytest.raises(NormcheckError) as e:
        load_retrieval_pairs(tmp_path / "p.jsonl")
    assert e.value.code == Code.BAD_DATASET
    with pytest.raises(ValueError, match="invalid training arguments"):
        RetrievalTrainingArguments(batch_size=1)


# --- train CLI: never into models/ by default ----------------------------------------------------

def test_cli_train_defaults_to_normcheck_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from normcheck.cli import app
    from normcheck.ml.data import PairExample, write_pairs
    from normcheck.ml.training import PairTrainingArguments

    assert PairTrainingArguments().out_dir == ""  # no default into the repository
    a = PairTrainingArguments()
    card = json.loads((REPO / "models" / "pair-tiny" / "training_args.json").read_text(encoding="utf-8"))
    for k in ("hidden_size", "learning_rate", "epochs", "batch_size", "num_layers", "num_heads", "seed",
              "input_format", "max_length"):
        assert getattr(a, k) == card[k], k  # the defaults reproduce the shipped card
    monkeypatch.setenv("NORMCHECK_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    pairs = [PairExample(x, x, "consistent", f"g{i}") for i, x in enumerate(LINES[:6])]
    data = write_pairs(pairs + [PairExample(LINES[i], LINES[i + 1], "unrelated", f"g{i}") for i in range(5)],
                       tmp_path / "pairs.jsonl")
    r = CliRunner().invoke(app, ["train", "pair", "--data", str(data), "--max-steps", "2", "--hidden", "32",
                                 "--heads", "2", "--max-length", "64", "--threads", "1", "-q"])
    assert r.exit_code == 0, r.output
    out = Path(json.loads(r.stdout)["out"])
    assert out.parent == tmp_path / "home" / "models" and out.name.startswith("pair-")
    assert (out / "model.safetensors").is_file() and not (tmp_path / "models").exists()
    assert "normcheck train pair --data" in (out / "README.md").read_text(encoding="utf-8")
    r = CliRunner().invoke(app, ["train", "pair", "--data", str(data), "--whole-word-mask"])
    assert r.exit_code == 2 and "takes no whole_word_mask" in r.output


# --- plugging models into check ------------------------------------------------------------------

def test_w130_has_cause_and_fix() -> None:
    cause, fix = EXPLAIN[Code.MODEL_FALLBACK]
    assert Code.MODEL_FALLBACK.value == "W130" and "rules" in cause and "normcheck train" in fix


@pytest.mark.parametrize("make", ["missing", "corrupt_weights", "pickle", "bad_config", "encoder_task"])
def test_unusable_model_falls_back_with_w130(tmp_path: Path, make: str) -> None:
    import shutil

    from normcheck.ml.plug import resolve_models

    d = tmp_path / "m"
    if make != "missing":
        shutil.copytree(REPO / "models" / "pair-tiny", d)
        if make == "corrupt_weights":
            (d / "model.safetensors").write_bytes(b"\x00garbage" * 10)
        elif make == "pickle":
            (d / "pytorch_model.bin").write_bytes(b"x")
        elif make == "bad_config":
            (d / "config.json").write_text("{not json", encoding="utf-8")
        else:
            cfg = json.loads((d / "config.json").read_text(encoding="utf-8"))
            cfg.update(normcheck_task="encoder")
            (d / "config.json").write_text(json.dumps(cfg), encoding="utf-8")
    models, notes = resolve_models(str(d))
    assert models is None and len(notes) == 1 and notes[0].startswith("[W130]")


DRAFT = ("示范市示范许可办法\n\n第一条 为了规范示范许可，根据《中华人民共和国示范许可法》，制定本办法。\n\n"
         "第二条 主管机关应当自受理示范许可申请之日起三十日内作出示范许可决定。\n\n第三条 本办法自发布之日起施行。\n")


def _check(models: object = None):  # type: ignore[no-untyped-def]
    import sys

    sys.path.insert(0, str(REPO / "tests"))
    from consistency_factories import FakeCorpus

    import normcheck

    return normcheck.check(DRAFT, kind="municipal_rule", as_of="2024-06-01", corpus=FakeCorpus(),
                           checks=["consistency"], models=models)


def test_check_with_corrupt_model_runs_on_rules(tmp_path: Path) -> None:
    import shutil

    d = tmp_path / "m"
    shutil.copytree(REPO / "models" / "pair-tiny", d)
    (d / "model.safetensors").write_bytes(b"broken")
    plain = _check()
    assert [f.type.value for f in plain.findings] == ["inconsistent_with_superior"]  # 二十日 -> 三十日
    res = _check(str(d))
    assert res.error is None and [f.to_dict() for f in res.findings] == [f.to_dict() for f in plain.findings]
    assert any(n.startswith("[W130]") for n in res.notes) and not any("W130" in n for n in plain.notes)


def test_check_with_pair_model_records_its_verdict() -> None:
    res = _check(str(REPO / "models" / "pair-tiny"))
    assert not any("W130" in n for n in res.notes)
    for f in res.findings:  # kept findings carry the model's verdict; a dropped one was judged consistent
        assert f.details["pair_model"]["label"] in ("inconsistent", "unrelated")


def test_models_env_and_none(monkeypatch: pytest.MonkeyPatch) -> None:
    from normcheck.ml.plug import MODELS_ENV, resolve_models

    monkeypatch.delenv(MODELS_ENV, raising=False)
    assert resolve_models(None) == (None, [])
    assert resolve_models("none") == (None, [])
    monkeypatch.setenv(MODELS_ENV, str(REPO / "models" / "pair-tiny"))
    models, notes = resolve_models(None)
    assert models is not None and models.pair is not None and notes == []
    models2, _ = resolve_models({"pair": str(REPO / "models" / "pair-tiny")})
    assert models2 is not None and models2.pair is models.pair  # cached


def test_confirm_findings_drops_what_the_model_calls_consistent() -> None:
    from dataclasses import dataclass, field
    from typing import Any

    from normcheck.ml.plug import confirm_findings

    @dataclass
    class F:
        clause: str | None
        details: dict[str, Any] = field(default_factory=dict)

    class Pair:
        path = "fake"

        def predict_proba(self, pairs: list[tuple[str, str]], batch_size: int = 32) -> list[dict[str, float]]:
            return [{"consistent": 0.9 if a == b else 0.1, "inconsistent": 0.1 if a == b else 0.9, "unrelated": 0.0}
                    for a, b in pairs]

    class Doc:
        def clause(self, cid: str) -> str:
            return cid

        def node_text(self, node: str) -> str:
            return {"c1": "甲应当乙", "c2": "甲可以乙"}[node]

    fs = [F("c1", {"superior_text": "甲应当乙"}), F("c2", {"superior_text": "甲应当乙"}), F(None, {})]
    kept = confirm_findings(Pair(), Doc(), fs)  # type: ignore[arg-type]
    assert [f.clause for f in kept] == ["c2", None]
    assert kept[0].details["pair_model"]["label"] == "inconsistent"


# --- the shipped models --------------------------------------------------------------------------

SHIPPED = sorted(p.parent for p in (REPO / "models").glob("*/config.json"))


@pytest.mark.parametrize("folder", SHIPPED, ids=[p.name for p in SHIPPED])
def test_shipped_model_folders_are_complete(folder: Path) -> None:
    names = {p.name for p in folder.iterdir()}
    assert "model.safetensors" in names and "README.md" in names and "config.json" in names
    assert "tokenizer.json" in names or "vocab.txt" in names
    assert not [n for n in names if n.endswith((".bin", ".pt", ".pth", ".pkl", ".ckpt"))]
    card = (folder / "README.md").read_text(encoding="utf-8")
    assert "command" in card.lower() or "retrain" in card.lower()


def test_shipped_models_total_size() -> None:
    total = sum(p.stat().st_size for p in (REPO / "models").rglob("*") if p.is_file())
    assert total < 60 * 1024 * 1024


@pytest.mark.skipif(not (REPO / "models" / "retrieval-tiny" / "model.safetensors").is_file(),
                    reason="models/retrieval-tiny not trained in this checkout")
def test_shipped_retrieval_model_ranks_a_restatement_first() -> None:
    from normcheck.ml.retrieval import BiEncoder

    enc = BiEncoder.load(REPO / "models" / "retrieval-tiny")
    sup = ["行政机关对已受理的行政许可申请，应当在二十日以内作出是否准予的决定。",
           "任何单位和个人都有保护环境的义务。",
           "国家实行食品安全风险监测制度。"]
    q = "市行政审批部门应当自受理行政许可申请之日起二十日内作出是否准予许可的决定。"
    v = enc.encode([q, *sup])
    scores = v[1:] @ v[0]
    assert int(scores.argmax()) == 0


def test_ml_extra_pins_torch_and_is_satisfied_here() -> None:
    """The [ml] extra pins torch==2.13.0, and every requirement of it holds in this environment (what
    `pip install '.[ml]'` resolves to: the CPU wheel of the pinned torch)."""
    import tomllib
    from importlib.metadata import version

    from packaging.requirements import Requirement

    extra = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    reqs = [Requirement(r) for r in extra["ml"]]
    assert "torch==2.13.0" in [str(r) for r in reqs]
    for r in reqs:
        assert r.specifier.contains(version(r.name).split("+")[0], prereleases=True), (r, version(r.name))
    assert {"torch", "transformers", "safetensors", "tokenizers"} <= {r.name for r in reqs}


def test_cli_train_tokenizer_and_encoder_on_a_law_collection(tmp_path: Path) -> None:
    import sys

    from typer.testing import CliRunner

    sys.path.insert(0, str(REPO / "tests"))
    from corpus_factories import write_demo_corpus

    from normcheck.cli import app

    src = write_demo_corpus(tmp_path / "src")
    r = CliRunner().invoke(app, ["train", "tokenizer", "--corpus-src", str(src), "--kind", "terms",
                                 "--vocab-size", "300", "--out", str(tmp_path / "tok"), "-q"])
    assert r.exit_code == 0, r.output
    got = json.loads(r.stdout)
    assert got["task"] == "tokenizer" and got["metrics"]["heldout"]["vocab"] > 10
    assert (tmp_path / "tok" / "tokenizer.json").is_file() and (tmp_path / "tok" / "README.md").is_file()
    r = CliRunner().invoke(app, ["train", "encoder", "--corpus-src", str(src), "--tokenizer", str(tmp_path / "tok"),
                                 "--hidden", "32", "--layers", "2", "--heads", "2", "--max-length", "32",
                                 "--max-steps", "2", "--batch-size", "4", "--threads", "1", "--save-steps", "0",
                                 "--out", str(tmp_path / "enc"), "-q"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["steps"] == 2 and (tmp_path / "enc" / "model.safetensors").is_file()
    card = (tmp_path / "enc" / "README.md").read_text(encoding="utf-8")
    assert "normcheck train encoder --corpus-src" in card
