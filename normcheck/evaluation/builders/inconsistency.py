"""Benchmark builder for ``inconsistent_with_superior`` (issue 6): perturbations of real superior
articles, plus faithful restatements as negatives. Format: ``eval/README.md``.

From a seeded sample of paragraphs of national laws and administrative regulations (read from the
corpus at build time; nothing of it is committed), each record is a short local regulation whose
第二条 restates one paragraph, either

- faithfully (``faithful``: verbatim; ``local``: with the usual local substitutions 本法 -> 本条例,
  县级以上人民政府 -> 市、区人民政府, 国务院 -> 市人民政府; ``narrower_fine``: a fine range inside
  the superior's, which is lawful) -> negative, or
- perturbed (``number``: a time limit, age, percentage or count changed; ``fine``: the fine's upper
  bound raised; ``modality``: 不得/禁止 -> 可以, 应当/必须 -> 可以, 可以 -> 应当; ``condition``: a
  condition added; ``exception``: an exception / 另有规定 reservation dropped) -> positive.

The label is defined by the edit, never by normcheck's own comparison.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

from normcheck.checks.consistency.compare import fine_ranges, quantities
from normcheck.corpus.lawfiles import list_law_files, parse_articles
from normcheck.evaluation.dataset import write_splits
from normcheck.text.numerals import int_to_cn

SUITE = "inconsistency"
DESCRIPTION = "perturbed restatements of real superior articles (number, fine, modality, condition, exception)"
LABEL_TYPES = ["inconsistent_with_superior"]
SEED = 0
MAX_DOCS = 60
N_PARAGRAPHS = 500  # sampled superior paragraphs

_CLAUSE = "第二条"
_NEUTRAL_TITLE = "某市社会治理若干规定"
_TEMPLATE = ("{title}\n\n第一条 为了加强本市相关工作的管理，结合本市实际，制定本条例。\n\n第二条 {text}\n\n"
             "第三条 本条例自{date}起施行。\n")
_LOCAL_SUBS = (("县级以上地方各级人民政府", "市、区人民政府"), ("县级以上地方人民政府", "市、区人民政府"),
               ("县级以上人民政府", "市、区人民政府"), ("国务院", "市人民政府"), ("本法", "本条例"),
               ("中华人民共和国境内", "本市行政区域内"))
_CONDITIONS = ("，并经所在地街道办事处同意", "，且具有本市户籍", "，并缴纳相应的保证金", "，并取得所在社区的书面证明")
_EXCEPTION_RE = re.compile(r"[，,]?(?:但是?[^。；]{0,60}?除外|(?:法律|行政法规|法规|国家)[^。；，]{0,20}另有规定的"
                           r"[，,]?(?:从其规定|依照其规定|适用其规定|除外)?)")
_MODAL_FLIPS = (("不得", "可以"), ("禁止", "允许"), ("应当", "可以"), ("必须", "可以"), ("可以", "应当"))


def _num_text(v: float) -> str:
    return int_to_cn(int(v)) if v >= 1 else "一"


def perturb_number(text: str, rng: random.Random) -> tuple[str, str] | None:
    fine_q = {i for f in fine_ranges(text) for i in f.qty_ids}
    qs = [q for q in quantities(text) if q.start not in fine_q and q.category in ("time", "age", "percent", "count")
          and q.value >= 2 and float(q.value).is_integer()]
    if not qs:
        return None
    q = rng.choice(qs)
    new = q.value * 2 if rng.random() < 0.5 or q.value < 4 else q.value // 2
    num = q.text[:-len(q.unit)] if q.text.endswith(q.unit) and q.unit != "%" else q.text
    if q.unit == "%":  # 百分之二十
        repl = "百分之" + _num_text(new) if q.text.startswith("百分之") else f"{int(new)}%"
    elif num.isdigit():
        repl = f"{int(new)}{q.unit}"
    else:
        repl = _num_text(new) + q.unit
    return text[:q.start] + repl + text[q.end:], f"{q.text} -> {repl}"


def perturb_fine(text: str, rng: random.Random, *, narrower: bool = False) -> tuple[str, str] | None:
    qs = {q.start: q for q in quantities(text)}
    for f in fine_ranges(text):
        if f.hi == float("inf") or not f.qty_ids:
            continue
        q = qs[f.qty_ids[-1]]
        if not float(q.value).is_integer() or q.value < 2:
            continue
        if narrower:
            if len(f.qty_ids) < 2 or q.value < 4:
                continue
            new = q.value // 2
            lo = qs[f.qty_ids[0]]
            if new * (q.base / q.value) <= lo.base:
                continue
        else:
            new = q.value * rng.choice((2, 3))
        num = q.text[:-len(q.unit)]
        unit_text = q.text[len(num):]
        repl = (f"{int(new)}" if num[:1].isdigit() else _num_text(new)) + unit_text
        if num.endswith("万") and not repl.startswith(str(int(new))):
            repl = _num_text(new) + "万" + q.unit if q.unit == "元" else repl
        return text[:q.start] + repl + text[q.end:], f"{q.text} -> {repl}"
    return None


def perturb_modality(text: str, rng: random.Random) -> tuple[str, str] | None:
    options = [(m.start(), old, new) for old, new in _MODAL_FLIPS for m in re.finditer(old, text)]
    options = [o for o in options if text[max(0, o[0] - 1):o[0]] not in ("不", "无")]
    if not options:
        return None
    pos, old, new = rng.choice(sorted(options))
    return text[:pos] + new + text[pos + len(old):], f"{old} -> {new}"


def perturb_condition(text: str, rng: random.Random) -> tuple[str, str] | None:
    m = re.search(r"(应当|可以|必须)[^。；]{4,}?(?=[。；])", text)
    if not m:
        return None
    cond = rng.choice(_CONDITIONS)
    return text[:m.end()] + cond + text[m.end():], f"+{cond}"


def perturb_exception(text: str, rng: random.Random) -> tuple[str, str] | None:
    m = _EXCEPTION_RE.search(text)
    if not m or m.start() == 0:
        return None
    return text[:m.start()] + text[m.end():], f"-{m.group(0)}"


def local_restatement(text: str) -> tuple[str, str] | None:
    out = text
    for old, new in _LOCAL_SUBS:
        out = out.replace(old, new)
    return (out, "local substitutions") if out != text else None


def _record(f: Any, art_label: str, version: str, variant: str, text: str, note: str, positive: bool,
            topic: str) -> dict[str, Any]:
    rid = f"{SUITE}/{f.rel}#{art_label}/{variant}"
    # half the documents carry the superior law's topic in their title (as implementing regulations
    # do), half a neutral title (a general regulation restating a provision of some other law)
    title = f"某市{topic}条例" if int.from_bytes(rid.encode()[-4:], "big") % 2 == 0 else _NEUTRAL_TITLE
    return {
        "id": rid,
        "text": _TEMPLATE.format(title=title, text=text, date="2025年1月1日"),
        "path": None, "kind": "local_regulation", "as_of": version, "region": None, "title": title,
        "labels": [{"type": "inconsistent_with_superior", "clause": _CLAUSE,
                    "outcome": "positive" if positive else "negative", "note": f"{variant}: {note}"}],
        "meta": {"source": f.rel, "article": art_label, "variant": variant},
    }


def build_records(corpus_root: Path, *, n_paragraphs: int = N_PARAGRAPHS, seed: int = SEED) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    files = [f for f in list_law_files(corpus_root)
             if f.region is None and f.kind in ("law", "administrative_regulation") and f.date]
    pool: list[tuple[Any, str, str]] = []
    for f in files:
        text = f.path.read_text(encoding="utf-8")
        for art, _, _ in parse_articles(text, f.rel, f.date or ""):
            for i, para in enumerate(art.paragraphs):
                n = len(re.sub(r"\W", "", para))
                if 25 <= n <= 250 and not para.startswith("（"):
                    pool.append((f, f"{art.label}-{i + 1}", para))
    rng.shuffle(pool)
    records: list[dict[str, Any]] = []
    used = 0
    made: dict[str, int] = {}
    for f, label, para in pool:
        if used >= n_paragraphs:
            break
        topic = re.sub(r"^中华人民共和国|(实施细则|实施条例|条例|办法|规定|法)$", "", f.title)[:12] or "管理"
        positives = []
        for variant, fn in (("number", perturb_number), ("fine", perturb_fine), ("modality", perturb_modality),
                            ("condition", perturb_condition), ("exception", perturb_exception)):
            got = fn(para, rng)
            if got:
                positives.append((variant, got))
        if not positives:
            continue
        used += 1
        # balance the perturbation kinds: the rarest one so far that applies here
        variant, (text, note) = min(positives, key=lambda p: (made.get(p[0], 0), rng.random()))
        made[variant] = made.get(variant, 0) + 1
        records.append(_record(f, label, f.date, variant, text, note, True, topic))
        negatives: list[tuple[str, tuple[str, str]]] = [("faithful", (para, "verbatim"))]
        loc = local_restatement(para)
        if loc:
            negatives.append(("local", loc))
        nar = perturb_fine(para, rng, narrower=True)
        if nar:
            negatives.append(("narrower_fine", nar))
        variant, (text, note) = negatives[-1] if len(negatives) > 1 and rng.random() < 0.7 else negatives[0]
        records.append(_record(f, label, f.date, variant, text, note, False, topic))
    return records


def build(corpus_root: Path, out_dir: Path) -> dict[str, Path]:
    """Read the corpus, write {out_dir}/dev.jsonl and {out_dir}/test.jsonl."""
    return write_splits(build_records(corpus_root), out_dir)
