"""Plugging models into ``check``: ``models=`` (Python), ``--model-dir`` (CLI) or ``$NORMCHECK_MODELS``.

A spec is a model folder (its ``config.json`` says the task: ``normcheck_task``, else a 3-way sequence
classifier with our labels is a pair model), several folders joined by ``os.pathsep``, a mapping
``{"pair": path}``, or a :class:`Models` already loaded. Loading is offline (``local_files_only``,
``HF_HUB_OFFLINE``), safetensors only, cached per folder. A folder that cannot be used (missing,
corrupt, pickle weights, wrong task, no ``[ml]`` extra) is left out with a W130 note, so the check runs
on the rules: a model never makes a result fail.

Hooks: :func:`confirm_findings` lets the pair cross-encoder confirm the consistency check's
restates-with-a-difference decisions (a finding it judges ``consistent`` with P >= ``drop_threshold``
is dropped; every kept finding records the model's verdict in ``details["pair_model"]``); an attention
model (``normcheck.ml.attention``) scores the clauses in the rank stage (:func:`attention_scores`, called by
``normcheck.rank.score.score_clauses``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from normcheck.errors import Code

MODELS_ENV = "NORMCHECK_MODELS"
#: Tasks a model folder may serve in ``check``.
PLUG_TASKS = ("pair", "retrieval", "attention")


@dataclass
class Models:
    """Loaded models for one run; ``None`` slots mean: the rules decide."""

    pair: Any = None  # normcheck.ml.pair.PairClassifier
    retrieval: Any = None  # normcheck.ml.retrieval.BiEncoder
    attention: Any = None  # normcheck.ml.attention.AttentionModel
    drop_threshold: float = 0.5  # P(consistent) from which the pair model drops a rules finding
    paths: dict[str, str] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return self.pair is not None or self.retrieval is not None or self.attention is not None


_CACHE: dict[tuple[str, float], tuple[str, Any]] = {}


def _note(path: str | Path, why: str) -> str:
    return f"[{Code.MODEL_FALLBACK.value}] model {path} not used, the rules decided: {why}"


def model_task(path: str | Path) -> str:
    """The task a model folder serves, from its config.json (ValueError when it serves none)."""
    cfg_path = Path(path) / "config.json"
    try:
        cfg = json.loads(cfg_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValueError(f"config.json unreadable ({type(e).__name__})") from e
    if not isinstance(cfg, dict):
        raise ValueError("config.json is not a JSON object")
    task = cfg.get("normcheck_task")
    if task is None:
        labels = set((cfg.get("label2id") or {}).keys())
        if {"consistent", "inconsistent", "unrelated"} <= labels:
            task = "pair"
    if task not in PLUG_TASKS:
        raise ValueError(f"the folder holds a {task or 'model of no known task'} model; check uses "
                         f"{', '.join(PLUG_TASKS)} models (a pair model needs the labels consistent/inconsistent/"
                         "unrelated in label2id)")
    return str(task)


def _load(task: str, path: Path) -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # `check` prints results, not loading bars
    hf_logging.set_verbosity_error()
    if task == "pair":
        from normcheck.ml.pair import PairClassifier

        return PairClassifier.load(path)
    if task == "attention":
        from normcheck.ml.attention import AttentionModel

        return AttentionModel.load(path)
    from normcheck.ml.retrieval import BiEncoder

    return BiEncoder.load(path)


def load_one(path: str | Path, task: str | None = None) -> tuple[str, Any]:
    """(task, model) for a folder, cached by path and modification time; raises on any failure."""
    from normcheck.ml.load import check_model_dir

    p = check_model_dir(path).resolve()
    got = model_task(p)
    if task is not None and got != task:
        raise ValueError(f"asked for a {task} model, the folder holds a {got} model")
    stamp = max(f.stat().st_mtime for f in p.iterdir() if f.is_file())
    key = (str(p), stamp)
    if key not in _CACHE:
        _CACHE[key] = (got, _load(got, p))
    return _CACHE[key]


def resolve_models(spec: Any = None) -> tuple[Models | None, list[str]]:
    """(models or None, W130 notes). ``spec`` None reads ``$NORMCHECK_MODELS``; "" or "none": no models."""
    if isinstance(spec, Models):
        return spec, []
    if spec is None:
        spec = os.environ.get(MODELS_ENV, "").strip() or None
    if spec is None or (isinstance(spec, str) and spec.strip().lower() in ("", "none", "rules")):
        return None, []
    items: list[tuple[str | None, str]]
    if isinstance(spec, Mapping):
        items = [(str(k), str(v)) for k, v in spec.items()]
    elif isinstance(spec, (str, os.PathLike)):
        items = [(None, s) for s in str(spec).split(os.pathsep) if s.strip()]
    elif isinstance(spec, Sequence):
        items = [(None, str(s)) for s in spec]
    else:
        return None, [_note(repr(spec), "models= takes a folder, folders joined by os.pathsep, or {task: folder}")]
    models = Models()
    notes: list[str] = []
    for task, path in items:
        if task is not None and task not in PLUG_TASKS:
            notes.append(_note(path, f"unknown task {task!r}; use {', '.join(PLUG_TASKS)}"))
            continue
        try:
            got, model = load_one(path, task)
        except Exception as e:  # any failure (NormcheckError E301/E302/E303, corrupt weights) -> the rules
            notes.append(_note(path, str(e).splitlines()[0] if str(e) else type(e).__name__))
            continue
        setattr(models, got, model)
        models.paths[got] = str(path)
    return (models if models.active else None), notes


def confirm_findings(pair: Any, doc: Any, findings: list[Any], *, drop_threshold: float = 0.5,
                     batch_size: int = 32) -> list[Any]:
    """The consistency check's findings that the pair model does not judge ``consistent`` with
    P >= ``drop_threshold``; kept ones carry ``details["pair_model"]`` (label and probabilities)."""
    todo = [i for i, f in enumerate(findings) if isinstance(f.details, dict) and f.details.get("superior_text")]
    if not todo:
        return findings
    pairs = []
    for i in todo:
        f = findings[i]
        try:
            body = doc.node_text(doc.clause(f.clause)) if f.clause else ""
        except (KeyError, ValueError):
            body = ""
        pairs.append((body or str(f.details.get("clause_marked", "")).replace("【", "").replace("】", ""),
                      str(f.details["superior_text"])))
    probs = pair.predict_proba(pairs, batch_size=batch_size)
    drop: set[int] = set()
    for i, p in zip(todo, probs, strict=True):
        label = max(p, key=p.__getitem__)
        findings[i].details["pair_model"] = {"label": label, **{k: round(v, 4) for k, v in p.items()},
                                             "model": str(getattr(pair, "path", ""))}
        if p.get("consistent", 0.0) >= drop_threshold:
            drop.add(i)
    return [f for i, f in enumerate(findings) if i not in drop]


def attention_scores(model: Any, texts: list[str], features: list[dict[str, float]], notes: list[str] | None,
                     *, batch_size: int = 64) -> list[float] | None:
    """The attention model's probability per clause, or None (the rules' scores stay) with a W130 note in
    ``notes`` when it fails at prediction time (a model never makes a result fail)."""
    try:
        scores = model.predict(texts, features, batch_size=batch_size)
        if len(scores) != len(texts) or not all(0.0 <= s <= 1.0 for s in scores):
            raise ValueError("the model returned scores outside [0, 1] or of the wrong count")
        return [float(s) for s in scores]
    except Exception as e:  # any failure -> the rules' scores
        if notes is not None:
            why = str(e).splitlines()[0] if str(e) else type(e).__name__
            notes.append(_note(getattr(model, "path", "attention"), f"attention scoring failed: {why}"))
        return None
