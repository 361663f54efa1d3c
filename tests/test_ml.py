"""normcheck.ml: character vocabulary, tiny pair classifier (hidden 32, 2 layers, a few CPU steps on
pairs written here), safetensors-only save/load, dataset loading, `normcheck train` CLI."""

from __future__ import annotations

import json
import os
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"  # never reach the hub, whatever a test does
os.environ["TRANSFORMERS_OFFLINE"] = "1"

import pytest

from normcheck.errors import Code, NormcheckError
from normcheck.ml.configuration import LABELS, pair_config
from normcheck.ml.data import PairExample, load_pairs, split_of, write_pairs
from normcheck.ml.metrics import classification_metrics
from normcheck.ml.tokenization import SPECIAL_TOKENS, build_vocab, char_tokenizer, save_vocab
from normcheck.ml.training import PairTrainingArguments, train_pair

REPO = Path(__file__).resolve().parents[1]

# Short statute-like sentences of our own (not corpus text).
BASE = (
    "行政机关应当自受理申请之日起二十日内作出决定。",
    "任何单位和个人不得在河道内倾倒垃圾，违者处五百元以上二千元以下的罚款。",
    "经营者可以向所在地的主管部门申请登记，主管部门应当在十日内答复。",
    "年满十八周岁的公民可以申请从事本项活动。",
    "公共场所禁止吸烟，但是设有专门吸烟区的除外。",
    "县级以上人民政府应当统筹本地区的示范登记工作。",
)


def _flip(text: str) -> str:
    for old, new in (("应当", "可以"), ("不得", "可以"), ("禁止", "允许"), ("可以", "应当")):
        if old in text:
            return text.replace(old, new, 1)
    return text + "，并经街道办事处同意"


def _pairs() -> list[PairExample]:
    out = []
    for i, b in enumerate(BASE):
        out.append(PairExample(b, b, "consistent", f"g{i}"))
        out.append(PairExample(_flip(b), b, "inconsistent", f"g{i}"))
        out.append(PairExample(BASE[(i + 2) % len(BASE)], b, "unrelated", f"g{i}"))
    return out


def _args(out: Path, **kw: object) -> PairTrainingArguments:
    base: dict[str, object] = dict(out_dir=str(out), hidden_size=32, num_layers=2, num_heads=2, max_steps=8,
                                   batch_size=6, learning_rate=3e-3, vocab_min_freq=1, max_length=96, threads=1)
    base.update(kw)
    return PairTrainingArguments(**base)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("pair-tiny")
    pairs = _pairs()
    res = train_pair(_args(out, max_steps=60), {"train": pairs, "test": pairs[:6]})
    return out, res


# --- tokenizer -----------------------------------------------------------------------------------

def test_vocab_specials_first_frequency_order_and_continuations() -> None:
    vocab = build_vocab(["法法法律律条", "A1"], min_freq=1)
    assert vocab[:5] == list(SPECIAL_TOKENS)
    assert vocab[5:8] == ["法", "律", "1"] or vocab[5:7] == ["法", "律"]
    assert "##A" in vocab and "##1" in vocab and "##法" not in vocab


@pytest.mark.parametrize(("min_freq", "present", "absent"), [(1, ["法", "条"], []), (2, ["法", "律"], ["条"]),
                                                              (4, [], ["法", "律", "条"])])
def test_vocab_min_freq(min_freq: int, present: list[str], absent: list[str]) -> None:
    vocab = build_vocab(["法法法律律条"], min_freq=min_freq)
    assert all(t in vocab for t in present) and not any(t in vocab for t in absent)


def test_vocab_max_size_and_bad_args() -> None:
    assert len(build_vocab(["一二三四五六七八九十"], min_freq=1, max_size=8)) == 8
    with pytest.raises(ValueError):
        build_vocab(["x"], min_freq=0)
    with pytest.raises(ValueError):
        save_vocab(["法"], "unused")


@pytest.mark.parametrize("text", ["行政机关应当在二十日内作出决定。", "罚款2000元以上", "GB 12345标准（试行）"])
def test_tokenizer_round_trip(tmp_path: Path, text: str) -> None:
    tok = char_tokenizer(save_vocab(build_vocab([text, "行政机关"], min_freq=1), tmp_path))
    ids = tok(text)["input_ids"]
    assert tok.unk_token_id not in ids
    assert tok.decode(ids, skip_special_tokens=True).replace(" ", "") == text.replace(" ", "")
    # one token per Chinese character
    assert tok.tokenize("行政机关") == ["行", "政", "机", "关"]


def test_tokenizer_unknown_char_and_pair_types(tmp_path: Path) -> None:
    tok = char_tokenizer(save_vocab(build_vocab(["应当可以"], min_freq=1), tmp_path))
    assert tok.tokenize("应当禁止") == ["应", "当", "[UNK]", "[UNK]"]
    enc = tok("应当", "可以")
    assert enc["token_type_ids"] == [0, 0, 0, 0, 1, 1, 1]


@pytest.mark.parametrize(("a", "b", "want_a", "want_b"), [
    ("应当在十日内答复", "应当在十日内答复", "应当在十日内答复", "应当在十日内答复"),
    ("可以在十日内答复", "应当在十日内答复", "〔可以〕在十日内答复", "〔应当〕在十日内答复"),
    ("应当在十日内答复，并经同意", "应当在十日内答复", "应当在十日内答复〔，并经同意〕", "应当在十日内答复"),
    ("〔甲〕", "甲", "〔(〕甲〔)〕", "甲"),  # the marks in the input are neutralised first
])
def test_mark_differences(a: str, b: str, want_a: str, want_b: str) -> None:
    from normcheck.ml.marking import mark_differences, prepare

    assert mark_differences(a, b) == (want_a, want_b)
    assert prepare([(a, b)], "plain") == [(a, b)]
    with pytest.raises(ValueError, match="diff_marked"):
        prepare([(a, b)], "html")


# --- configuration, arguments, metrics -----------------------------------------------------------

def test_config_stores_labels() -> None:
    cfg = pair_config(100, hidden_size=32, num_layers=2, num_heads=2)
    assert cfg.label2id == {"consistent": 0, "inconsistent": 1, "unrelated": 2}
    assert cfg.id2label[1] == "inconsistent" and cfg.num_labels == 3
    with pytest.raises(ValueError, match="multiple"):
        pair_config(100, hidden_size=30, num_heads=4)


@pytest.mark.parametrize("bad", [{"epochs": 0}, {"batch_size": 0}, {"learning_rate": 2.0}, {"max_length": 8},
                                 {"hidden_size": 30, "num_heads": 4}, {"warmup_ratio": 1.0}, {"threads": 0},
                                 {"max_steps": 0}, {"input_format": "html"}])
def test_training_arguments_validated(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="invalid training arguments"):
        PairTrainingArguments(**bad)  # type: ignore[arg-type]


def test_metrics_hand_computed() -> None:
    gold = ["consistent", "consistent", "inconsistent", "unrelated"]
    pred = ["consistent", "inconsistent", "inconsistent", "consistent"]
    m = classification_metrics(gold, pred, LABELS)
    assert m["accuracy"] == 0.5
    assert m["per_class"]["consistent"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}
    assert m["per_class"]["inconsistent"]["precision"] == 0.5 and m["per_class"]["inconsistent"]["recall"] == 1.0
    assert m["macro_f1"] == round((0.5 + 2 / 3 + 0.0) / 3, 4)
    assert m["confusion"]["unrelated"]["consistent"] == 1
    with pytest.raises(ValueError):
        classification_metrics(["x"], ["consistent"], LABELS)


# --- datasets ------------------------------------------------------------------------------------

def test_split_by_group_never_straddles(tmp_path: Path) -> None:
    pairs = [PairExample(f"条文{i}", f"上位{i // 3}", "consistent", f"art{i // 3}") for i in range(300)]
    p = write_pairs(pairs, tmp_path / "d.jsonl")
    splits = load_pairs(p)
    groups = {s: {x.group for x in v} for s, v in splits.items()}
    assert not groups["train"] & groups["test"] and not groups["train"] & groups["dev"]
    assert all(splits[s] for s in ("train", "dev", "test")) and sum(map(len, splits.values())) == 300
    assert split_of("art7") == split_of("art7")


def test_folder_with_split_files(tmp_path: Path) -> None:
    write_pairs(_pairs()[:3], tmp_path / "train.jsonl")
    write_pairs(_pairs()[3:5], tmp_path / "test.jsonl")
    s = load_pairs(tmp_path)
    assert (len(s["train"]), len(s["dev"]), len(s["test"])) == (3, 0, 2)


@pytest.mark.parametrize("line", ['{"text_a": "甲", "text_b": "乙"}', '{"text_a": "甲", "text_b": "乙", "label": "x"}',
                                  "not json", "[1, 2]", '{"text_a": "", "text_b": "乙", "label": "unrelated"}'])
def test_bad_records_are_coded(tmp_path: Path, line: str) -> None:
    p = tmp_path / "d.jsonl"
    p.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(NormcheckError) as e:
        load_pairs(p)
    assert e.value.code == Code.BAD_DATASET


def test_missing_dataset(tmp_path: Path) -> None:
    with pytest.raises(NormcheckError) as e:
        load_pairs(tmp_path / "nope.jsonl")
    assert e.value.code == Code.FILE_NOT_FOUND


def test_benchmark_folder_needs_corpus_source(tmp_path: Path) -> None:
    rec = {"id": "x", "text": "某条例\n\n第二条 甲应当乙。\n\n第三条 施行。", "labels": [{"outcome": "positive"}],
           "meta": json.dumps({"source": "a/b.md", "article": "第一条-1"})}
    (tmp_path / "test.jsonl").write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(NormcheckError) as e:
        load_pairs(tmp_path)
    assert e.value.code == Code.CORPUS_SOURCE_MISSING
    src = tmp_path / "src"
    (src / "a").mkdir(parents=True)
    (src / "a" / "b.md").write_text("# 某法\n\n第一条 甲应当丙。\n", encoding="utf-8")
    s = load_pairs(tmp_path, corpus_src=src)
    got = [x for v in s.values() for x in v]
    assert [(x.text_a, x.text_b, x.label) for x in got] == [("甲应当乙。", "甲应当丙。", "inconsistent")]


# --- training, save/load -------------------------------------------------------------------------

def test_training_writes_safetensors_card_and_metrics(tiny: tuple[Path, object]) -> None:
    out, _ = tiny
    names = {p.name for p in out.iterdir()}
    assert {"model.safetensors", "config.json", "vocab.txt", "README.md", "metrics_train.json",
            "metrics_test.json", "training_args.json"} <= names
    assert not [n for n in names if n.endswith((".bin", ".pt", ".pth"))]
    cfg = json.loads((out / "config.json").read_text(encoding="utf-8"))
    assert cfg["label2id"] == {"consistent": 0, "inconsistent": 1, "unrelated": 2} and cfg["hidden_size"] == 32
    assert cfg["input_format"] == "diff_marked"
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "macro-F1" in card and "safetensors" in card
    assert json.loads((out / "metrics_test.json").read_text(encoding="utf-8"))["n"] == 6


def test_training_learns(tiny: tuple[Path, object]) -> None:
    _, res = tiny
    hist = res.history  # type: ignore[attr-defined]
    assert hist[-1]["step"] == 60
    assert res.metrics["train"]["accuracy"] > 0.5  # type: ignore[attr-defined]  # chance is 1/3


def test_training_is_seeded(tmp_path: Path) -> None:
    a = train_pair(_args(tmp_path / "a", max_steps=3), {"train": _pairs()})
    b = train_pair(_args(tmp_path / "b", max_steps=3), {"train": _pairs()})
    assert a.history == b.history or a.metrics == b.metrics
    assert (tmp_path / "a" / "model.safetensors").read_bytes() == (tmp_path / "b" / "model.safetensors").read_bytes()


def test_load_round_trip_predicts_same(tiny: tuple[Path, object]) -> None:
    from normcheck.ml.pair import PairClassifier

    out, _ = tiny
    clf = PairClassifier.load(out)
    pairs = [(BASE[0], BASE[0]), (_flip(BASE[1]), BASE[1]), (BASE[2], BASE[4])]
    got = clf.predict(pairs, batch_size=2)
    assert len(got) == 3 and all(lab in LABELS and 0 < p <= 1 for lab, p in got)
    assert got == PairClassifier.load(out).predict(pairs, batch_size=3)  # batch size does not matter
    probs = clf.predict_proba(pairs[:1])[0]
    assert set(probs) == set(LABELS) and abs(sum(probs.values()) - 1) < 1e-4
    assert clf.predict([]) == []


def test_load_refuses_pickle_weights(tiny: tuple[Path, object], tmp_path: Path) -> None:
    import shutil

    from normcheck.ml.load import load_model_dir

    out, _ = tiny
    bad = tmp_path / "bad"
    shutil.copytree(out, bad)
    (bad / "pytorch_model.bin").write_bytes(b"not really a pickle")
    with pytest.raises(NormcheckError) as e:
        load_model_dir(bad)
    assert e.value.code == Code.MODEL_UNSAFE
    (bad / "pytorch_model.bin").unlink()
    (bad / "model.safetensors").unlink()
    with pytest.raises(NormcheckError) as e:
        load_model_dir(bad)
    assert e.value.code == Code.MODEL_MISSING


@pytest.mark.parametrize("name", ["bert-base-chinese", "no/such-model"])
def test_load_never_reaches_the_hub(name: str) -> None:
    from normcheck.ml.pair import PairClassifier

    with pytest.raises(NormcheckError) as e:
        PairClassifier.load(name)
    assert e.value.code == Code.MODEL_MISSING


def test_fine_tune_from_base_model(tiny: tuple[Path, object], tmp_path: Path) -> None:
    out, _ = tiny
    res = train_pair(_args(tmp_path / "ft", base_model=str(out), max_steps=2), {"train": _pairs()})
    assert res.steps == 2 and (tmp_path / "ft" / "model.safetensors").is_file()


# --- CLI -----------------------------------------------------------------------------------------

def test_cli_train(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from normcheck.cli import app

    data = write_pairs(_pairs(), tmp_path / "pairs.jsonl")
    out = tmp_path / "m"
    r = CliRunner().invoke(app, ["train", "pair", "--data", str(data), "--out", str(out), "--max-steps", "2",
                                 "--hidden", "32", "--heads", "2", "--max-length", "64", "--threads", "1", "-q"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["steps"] == 2 and (out / "model.safetensors").is_file()
    r = CliRunner().invoke(app, ["train", "ner", "--data", str(data), "--out", str(out)])
    assert r.exit_code == 2 and "use one of: pair" in r.output
    r = CliRunner().invoke(app, ["train", "pair", "--data", str(tmp_path / "nope.jsonl"), "--out", str(out)])
    assert r.exit_code == 2 and "E001" in r.output


# --- the shipped model ---------------------------------------------------------------------------

@pytest.mark.skipif(not (REPO / "models" / "pair-tiny" / "model.safetensors").is_file(),
                    reason="models/pair-tiny not trained in this checkout")
def test_shipped_model_loads_and_separates_obvious_pairs() -> None:
    from normcheck.ml.pair import PairClassifier

    clf = PairClassifier.load(REPO / "models" / "pair-tiny", threads=1)
    sup = "从事经营活动的单位应当在每年三月三十一日前向主管部门报送上一年度的工作报告。"
    got = clf.predict([(sup, sup), ("本市鼓励发展公共文化服务，丰富群众精神文化生活。", sup)])
    assert [lab for lab, _ in got] == ["consistent", "unrelated"]
