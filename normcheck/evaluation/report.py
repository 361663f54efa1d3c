"""Evaluation reports: metrics.json, a readable report.md and a reliability plot (PNG)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def fmt(v: Any, digits: int = 3) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return str(v)


def _ci(report: dict[str, Any], key: str) -> str:
    c = (report.get("ci") or {}).get(key)
    if not c or c.get("lo") is None:
        return ""
    return f" [{fmt(c['lo'])}, {fmt(c['hi'])}]"


def plot_reliability(bins: list[dict[str, float]], out: Path, title: str = "Reliability") -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4.5, 4.5), dpi=100)
    ax.plot([0, 1], [0, 1], "--", color="grey", linewidth=1, label="perfect")
    xs = [(b["lo"] + b["hi"]) / 2 for b in bins if b["count"]]
    acc = [b["accuracy"] for b in bins if b["count"]]
    conf = [b["confidence"] for b in bins if b["count"]]
    width = bins[0]["hi"] - bins[0]["lo"] if bins else 0.1
    ax.bar(xs, acc, width=width * 0.9, alpha=0.6, label="accuracy")
    ax.plot(conf, acc, "o-", color="C1", label="mean confidence")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("confidence")
    ax.set_ylabel("share correct")
    ax.set_title(title)
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, format="png")
    plt.close(fig)
    return out


def render_markdown(report: dict[str, Any], plot_name: str | None = "reliability.png") -> str:
    ds = report.get("dataset", {})
    cov = report["coverage"]
    lines = [f"# Evaluation: {ds.get('name', '')}", "",
             f"{ds.get('n_documents', cov['n_documents'])} documents ({cov['n_ok']} scored, "
             f"{cov['n_error']} errors, {cov['n_missing']} missing — errors and missing count as misses); "
             f"{ds.get('n_positive_labels', '–')} positive labels of {ds.get('n_labels', '–')}. "
             f"Scored types: {', '.join(report['types'])}.", "",
             "## Headline (95% bootstrap CI over documents)", "",
             "| metric | value |", "|---|---|"]
    cl, doc, rk = report["classification"]["clause"], report["classification"]["document"], report["ranking"]
    rows = [("clause micro F1", cl["micro"]["f1"], "clause_micro_f1"),
            ("clause macro F1", cl["macro"]["f1"], "clause_macro_f1"),
            ("document (lenient) micro F1", doc["micro"]["f1"], "doc_micro_f1"),
            ("AUPR (pooled worklist)", rk["aupr"], "aupr"), ("MAP (per document)", rk["map"], "map"),
            ("NDCG@10 (per document)", rk["ndcg@10"], "ndcg@10"),
            ("high-severity alarms per 100 articles", report["alarms"]["high_per_100_articles"],
             "high_per_100_articles")]
    for label, v, key in rows:
        lines.append(f"| {label} | {fmt(v)}{_ci(report, key)} |")
    lines += ["", "## Per finding type", "",
              "| type | clause P | clause R | clause F1 | TP | FP | FN | doc P | doc R | doc F1 |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for t in report["types"]:
        c, d = cl["per_type"][t], doc["per_type"][t]
        lines.append(f"| {t} | {fmt(c['precision'])} | {fmt(c['recall'])} | {fmt(c['f1'])} | {c['tp']} | "
                     f"{c['fp']} | {c['fn']} | {fmt(d['precision'])} | {fmt(d['recall'])} | {fmt(d['f1'])} |")
    for name, s in (("micro", "micro"), ("macro", "macro")):
        c, d = cl[s], doc[s]
        lines.append(f"| **{name}** | {fmt(c['precision'])} | {fmt(c['recall'])} | {fmt(c['f1'])} | "
                     f"{c.get('tp', '')} | {c.get('fp', '')} | {c.get('fn', '')} | {fmt(d['precision'])} | "
                     f"{fmt(d['recall'])} | {fmt(d['f1'])} |")
    lines += ["", "## Ranking", "", "| metric | value |", "|---|---|"]
    for k, v in rk.items():
        lines.append(f"| {k} | {fmt(v)} |")
    cal = report["calibration"]
    lines += ["", "## Calibration", "", f"ECE (10 bins): {fmt(cal['ece'])} over {cal['n']} predictions.", ""]
    if plot_name and cal["n"]:
        lines += [f"![reliability]({plot_name})", ""]
    al = report["alarms"]
    lines += ["## Alarms", "", f"{al['n_high']} high-severity findings and {al['n_findings']} findings in "
              f"{al['n_articles']} articles: {fmt(al['high_per_100_articles'], 2)} high / "
              f"{fmt(al['findings_per_100_articles'], 2)} all per 100 articles.", ""]
    if al["high_by_type"]:
        lines.append("High by type: " + ", ".join(f"{k} {v}" for k, v in al["high_by_type"].items()))
        lines.append("")
    if "compare" in report:
        pr = report["compare"]["paired"]
        lines += ["## Comparison (A = this run, B = --compare)", "", pr["_meta"]["test"] + f", "
                  f"{pr['_meta']['n_resamples']} resamples, seed {pr['_meta']['seed']}.", "",
                  "| metric | A | B | A−B | 95% CI | p | real? |", "|---|---|---|---|---|---|---|"]
        for k, v in pr.items():
            if k.startswith("_"):
                continue
            ci = f"[{fmt(v['lo'])}, {fmt(v['hi'])}]" if v["lo"] is not None else "–"
            lines.append(f"| {k} | {fmt(v['a'])} | {fmt(v['b'])} | {fmt(v['delta'])} | {ci} | "
                         f"{fmt(v['p_value'])} | {'yes' if v['significant'] else 'no'} |")
        lines.append("")
    we = report.get("worst_errors") or {}
    if we.get("false_positives"):
        lines += ["## Worst false alarms (most confident first)", ""]
        for e in we["false_positives"]:
            lines.append(f"- **{e['id']}** {e['clause'] or '(document)'} `{e['type']}` conf {fmt(e['confidence'], 2)}"
                         f" {e['severity']}: {_one(e['message'])}")
            if e["text"]:
                lines.append(f"  > {_one(e['text'])}")
        lines.append("")
    if we.get("false_negatives"):
        lines += ["## Worst misses (abstentions, then lowest attention score first)", ""]
        for e in we["false_negatives"]:
            why = e["status"] if e["status"] != "ok" else f"score {fmt(e['score'], 2)}"
            err = f" ({e['error'].get('code')}: {_one(e['error'].get('message', ''))})" if e.get("error") else ""
            lines.append(f"- **{e['id']}** {e['clause'] or '(document)'} `{e['type']}` [{why}{err}]"
                         + (f" — {_one(e['note'])}" if e.get("note") else ""))
            if e["text"]:
                lines.append(f"  > {_one(e['text'])}")
        lines.append("")
    return "\n".join(lines)


def _one(s: str | None, n: int = 200) -> str:
    s = " ".join((s or "").split()).replace("|", "｜")
    return s if len(s) <= n else s[: n - 1] + "…"


def write_report(report: dict[str, Any], out_dir: Path) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    if report["calibration"]["n"]:
        try:
            files["reliability"] = plot_reliability(report["calibration"]["bins"], out_dir / "reliability.png",
                                                    f"Reliability: {report.get('dataset', {}).get('name', '')}"[:60])
        except ImportError:  # matplotlib comes with the [eval] extra; without it the report has no plot
            pass
    md = out_dir / "report.md"
    md.write_text(render_markdown(report, "reliability.png" if "reliability" in files else None), encoding="utf-8")
    files["markdown"] = md
    js = out_dir / "metrics.json"
    js.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    files["json"] = js
    return files
