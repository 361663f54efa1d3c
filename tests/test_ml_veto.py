"""The hard-negative helpers of scripts/train_pair.py and the statistics of scripts/eval_veto.py (issue 12)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_same_conduct_tells_other_acts_with_the_same_penalty_apart() -> None:
    tp = _script("train_pair")
    a = "擅自砍伐行道树的，由园林部门责令改正，处一千元以上五千元以下的罚款。"
    b = "未按期提交年度报告的，由园林部门责令改正，处一千元以上五千元以下的罚款。"
    c = "擅自砍伐行道树木的，处二千元以下的罚款。"
    assert tp._conduct(a) == "擅自砍伐行道树"
    assert not tp._same_conduct(a, b)  # same penalty wording, other act: a hard negative
    assert tp._same_conduct(a, c)  # the same act: never an unrelated pair
    assert tp._topic_term("中华人民共和国律师法") == "律师"
    assert tp._topic_term("校车安全管理条例") == "校车"


def test_overlap_search_ranks_the_closest_wording_first() -> None:
    tp = _script("train_pair")
    idx = tp._Overlap(["甲乙丙丁戊己", "庚辛壬癸子丑", "甲乙丙丁寅卯"], max_df=5)
    ranked = idx.ranked("甲乙丙丁戊己")
    assert ranked[0][0] == 0 and ranked[0][1] == 1.0 and ranked[1][0] == 2


def test_eval_veto_statistics() -> None:
    ev = _script("eval_veto")
    assert ev.auroc([0.9, 0.8], [0.1, 0.2]) == 1.0
    assert ev.auroc([0.5], [0.5]) == 0.5
    lo, hi = ev.wilson(5, 10)
    assert 0.23 < lo < 0.24 and 0.76 < hi < 0.77
    rows = [{"label": "changed", "findings": [{"pair": ["a", "b"]}]},
            {"label": "changed", "findings": [{"pair": None}]},
            {"label": "faithful", "findings": []}]
    probs = {("a", "b"): {"unrelated": 0.9, "consistent": 0.05, "inconsistent": 0.05}}
    assert ev.paraphrase_counts(rows, None, probs) == {"changed": [2, 2], "faithful": [0, 1]}
    veto = ev.paraphrase_counts(rows, lambda p: p["unrelated"] >= 0.5, probs)
    assert veto == {"changed": [1, 2], "faithful": [0, 1]}  # a finding without texts is never vetoed
