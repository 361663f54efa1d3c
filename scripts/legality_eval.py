"""Figures for issue 14: the outcomes suite (dev and test, real vs hand-written, by type) and the noise floor, with and
without the legality analysers (``before`` = every registered check but ``legality``; ``after`` = all of them).

    NORMCHECK_HOME=/tmp/nchome nice .venv/bin/python scripts/legality_eval.py \
        --corpus-src ../shared/corpora/lawrefbook --out /tmp/legality_eval

Prints Markdown tables; writes ``figures.json`` under ``--out``. A positive counts as found when a finding of its
type sits on 第二条 (any severity, as ``normcheck eval`` scores it); a negative is flagged by a same-type finding
there ("any" = a finding of any of the suite's types). Noise floor: high-severity findings per 100 articles on the
noise_floor suite's test documents (real regulations under their true kind as of their own date).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from normcheck import check
from normcheck.checks import load_builtin
from normcheck.evaluation.dataset import Record, load_dataset

ROOT = Path(__file__).resolve().parents[1]


def _builder(path: Path) -> Any:
    spec = importlib.util.spec_from_file_location(path.parent.name + "_build", path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def run(records: list[Record], checks: list[str]) -> list[dict[str, Any]]:
    out = []
    for rec in records:
        source = rec.text if rec.text else (rec.path or "")
        out.append(check(source, kind=rec.kind, as_of=rec.as_of, region=rec.region, checks=checks).to_dict())
    return out


def outcomes(records: list[Record], results: list[dict[str, Any]], types: list[str]) -> dict[str, Any]:
    by: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0, 0])  # n, same, any
    for rec, res in zip(records, results, strict=True):
        lab = rec.labels[0]
        found = {f["type"] for f in res["findings"] if str(f.get("clause") or "").startswith("第二条")}
        row = by[(rec.meta.get("origin", "?"), lab.outcome, lab.type)]
        row[0] += 1
        row[1] += int(lab.type in found)
        row[2] += int(bool(found & set(types)))
    return {"|".join(k): v for k, v in sorted(by.items())}


def noise(results: list[dict[str, Any]]) -> dict[str, Any]:
    arts = sum(len({c["article"] for c in r["clauses"] if c.get("article")}) for r in results)
    high = [f for r in results for f in r["findings"] if f["severity"] == "high"]
    by_rule: dict[str, int] = defaultdict(int)
    for f in high:
        by_rule[f.get("rule", "?")] += 1
    return {"articles": arts, "high": len(high), "high_per_100_articles": round(100 * len(high) / max(arts, 1), 3),
            "high_by_rule": dict(by_rule)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus-src", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    every = sorted(load_builtin())
    before = [c for c in every if c != "legality"]
    ob = _builder(ROOT / "eval" / "outcomes" / "build.py")
    paths = ob.build(Path(args.corpus_src), out / "outcomes")
    figures: dict[str, Any] = {"checks_before": before, "checks_after": every}
    for split in ("dev", "test"):
        recs = load_dataset(paths[split])
        for name, checks in (("before", before), ("after", every)):
            figures[f"outcomes.{split}.{name}"] = outcomes(recs, run(recs, checks), ob.LABEL_TYPES)
    from normcheck.evaluation.builders import noise_floor as nf

    npaths = nf.build(Path(args.corpus_src), out / "noise_floor")
    recs = load_dataset(npaths["test"])
    for name, checks in (("before", before), ("after", every)):
        figures[f"noise_floor.test.{name}"] = noise(run(recs, checks))
    (out / "figures.json").write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    for split in ("dev", "test"):
        print(f"\n### outcomes, {split}: found (same type) / n, before -> after\n")
        print("| origin | label | type | n | before | after | after, any type |")
        print("|---|---|---|---:|---:|---:|---:|")
        b, a = figures[f"outcomes.{split}.before"], figures[f"outcomes.{split}.after"]
        for key in a:
            o, lab, t = key.split("|")
            print(f"| {o} | {lab} | {t} | {a[key][0]} | {b[key][1]} | {a[key][1]} | {a[key][2]} |")
    for name in ("before", "after"):
        print(f"\nnoise floor ({name}):", json.dumps(figures[f"noise_floor.test.{name}"], ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
