"""Benchmark builder for the authority checks (设定权): real DLC articles relabelled under other kinds,
plus clauses of our own an issuer may not enact. Format: ``eval/README.md``.

Documents (all built at run time from the corpus; nothing of the corpus is committed):
- ``reg/…``: a real local-regulation article that sets a fine, in a short regulation of the same region
  under its true kind -> negative ``penalty_setting`` (a local regulation may set fines).
- ``doc/…``: the same article in a 通知 (normative_document) -> positive ``penalty_setting``
  (行政处罚法第十六条).
- ``rule/…``: the same article in a municipal rule of a region with a recorded fine limit -> positive when
  its top fine exceeds the general limit, negative otherwise (行政处罚法第十四条第二款).
- ``own/…``: our own clauses, one type each, in a 通知 (positive) and a referring variant (negative).
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

from normcheck.checks.authority.acts import analyze_clause
from normcheck.evaluation.dataset import write_splits
from normcheck.knowledge.authority import authority_tables

SUITE = "authority"
DESCRIPTION = "real DLC articles relabelled under other kinds, plus own clauses an issuer may not enact"
LABEL_TYPES = ["penalty_setting", "license_setting", "compulsion_setting", "reserved_matter",
               "rights_obligations", "fee_setting"]
SEED = 0
MAX_DOCS = 60
N_ARTICLES = 120  # real articles sampled

_ART_RE = re.compile(r"^第[一二三四五六七八九十百零〇]+条(?:之[一二三四五六七八九十]+)?\s*(.+)$")
_DATE_RE = re.compile(r"\((\d{4}-\d{2}-\d{2})\)\.md$")
_OPEN = "第一条 为了加强本地区有关事务的管理，结合实际，制定本{u}。"
_CLOSE = "第三条 本{u}自{d}起施行。"

#: (finding type, clause that sets it, a referring or lawful variant)
OWN = [
    ("penalty_setting", "违反本通知规定的，由区市场监督管理部门处五千元罚款。",
     "违反本通知规定的，由区市场监督管理部门依照《中华人民共和国某某法》的规定处罚。"),
    ("penalty_setting", "情节严重的，由发证部门吊销其经营许可证。",
     "情节严重的，由发证部门依法吊销其经营许可证。"),
    ("license_setting", "从事夜间施工的单位，应当事先经区住房城乡建设部门批准。",
     "从事夜间施工的单位，应当依法取得有关部门的批准。"),
    ("license_setting", "未经区商务部门审批，任何单位不得举办商品展销会。",
     "举办商品展销会的，按照国家有关规定办理。"),
    ("compulsion_setting", "对拒不改正的，执法人员可以查封其经营场所、扣押其经营工具。",
     "对拒不改正的，执法部门可以申请人民法院强制执行。"),
    ("compulsion_setting", "当事人逾期不缴纳罚款的，可以冻结其银行存款。",
     "当事人逾期不缴纳罚款的，依照《中华人民共和国行政强制法》的规定处理。"),
    ("reserved_matter", "有前款行为，情节严重的，以扰乱公共秩序罪论处。",
     "构成犯罪的，依法追究刑事责任。"),
    ("reserved_matter", "对本区新设企业免征房产税三年。",
     "企业依法享受国家规定的税收优惠。"),
    ("rights_obligations", "参加本区工程招标的企业应当缴纳工程总价百分之五的履约保证金。",
     "参加本区工程招标的企业依照《中华人民共和国招标投标法》的规定参加投标。"),
    ("rights_obligations", "申请补贴的企业须为在本区注册的企业。",
     "申请补贴的企业应当符合国家规定的条件。"),
    ("fee_setting", "办理备案的，收取备案费每件五十元。",
     "办理备案的，不得收取任何费用。"),
    ("fee_setting", "使用公共停车场的，按每小时五元的标准收取停车管理费。",
     "使用公共停车场的，按照国家有关规定收取费用。"),
]


def _articles(path: Path) -> list[str]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _ART_RE.match(line.strip())
        if m:
            out.append(m.group(1))
    return out


def _sets_fine(body: str) -> float | None:
    """The top fine the article sets itself (None if it sets none or only refers)."""
    if "《" in body or "\n" in body:
        return None
    acts = analyze_clause(body)
    fines = [a for a in acts.penalties if a.type == "罚款" and a.sets and a.amount_max]
    others = [a for a in acts.setting() if a.family != "penalty" or a.type not in ("罚款", "警告")]
    if not fines or others or acts.defers:
        return None
    return max(a.amount_max or 0 for a in fines)


def _doc_text(title: str, preamble: str, unit: str, body: str, date: str) -> str:
    y, mth, d = date.split("-")
    when = f"{int(y)}年{int(mth)}月{int(d)}日"
    return "\n\n".join([title, preamble, _OPEN.format(u=unit), f"第二条 {body}", _CLOSE.format(u=unit, d=when)])


def _record(rid: str, text: str, kind: str, as_of: str, region: str | None, labels: list[dict[str, Any]],
            meta: dict[str, Any]) -> dict[str, Any]:
    return {"id": rid, "text": text, "path": None, "kind": kind, "as_of": as_of, "region": region,
            "title": text.split("\n", 1)[0], "labels": labels, "meta": meta}


def _label(type_: str, positive: bool, note: str) -> dict[str, Any]:
    return {"type": type_, "clause": "第二条", "outcome": "positive" if positive else "negative", "note": note}


def build_records(corpus_root: Path) -> list[dict[str, Any]]:
    rng = random.Random(SEED)
    tables = authority_tables()
    files = sorted(p for p in corpus_root.glob("DLC/*/地方性法规/*/*.md") if p.name != "_index.md")
    pool: list[tuple[Path, int, str, float]] = []
    for f in files:
        if not _DATE_RE.search(f.name) or f.name.endswith("决定.md"):
            continue
        for i, body in enumerate(_articles(f)):
            top = _sets_fine(body)
            if top is not None:
                pool.append((f, i + 1, body, top))
    rng.shuffle(pool)
    records: list[dict[str, Any]] = []
    for f, n, body, top in sorted(pool[:N_ARTICLES], key=lambda t: (str(t[0]), t[1])):
        region = f.parent.name
        date = _DATE_RE.search(f.name).group(1)  # type: ignore[union-attr]
        src = {"source": f"{region}/{f.name}", "article": n, "fine_max": top}
        stem = f"{region}/{f.stem}/{n}"
        reg_title = f"{region}某某管理条例" if region not in ("北京", "上海", "重庆") else f"{region}市某某管理条例"
        records.append(_record(f"reg/{stem}", _doc_text(
            reg_title, f"{date.replace('-', '年', 1).replace('-', '月', 1)}日 {region}人民代表大会常务委员会通过",
            "条例", body, date), "local_regulation", date, region,
            [_label("penalty_setting", False, "地方性法规可以设定罚款（行政处罚法第十二条）")], src))
        records.append(_record(f"doc/{stem}", _doc_text(
            "关于加强某某管理工作的通知", f"{region}某某局", "通知", body, date), "normative_document", date, region,
            [_label("penalty_setting", True, "规范性文件不得设定行政处罚（行政处罚法第十六条）")], src))
        lim = tables.fine_limit(region, date)
        if lim is not None:
            over = top > lim.general
            records.append(_record(f"rule/{stem}", _doc_text(
                "某某管理办法", f"{region}某市人民政府令", "办法", body, date), "municipal_rule", date, region,
                [_label("penalty_setting", over, f"{lim.basis}：一般限额{lim.general}元，罚款上限{top:g}元")], src))
    for k, (type_, bad, good) in enumerate(OWN):
        for variant, body, pos in (("set", bad, True), ("refer", good, False)):
            records.append(_record(f"own/{k:02d}-{variant}", _doc_text(
                "关于规范某某工作的通知", "某市某区人民政府办公室", "通知", body, "2024-06-01"),
                "normative_document", "2024-06-01", None,
                [_label(type_, pos, "own clause: " + ("sets" if pos else "refers or lawful"))], {"own": k}))
    return records


def build(corpus_root: Path, out_dir: Path) -> dict[str, Path]:
    """Read the corpus, write {out_dir}/dev.jsonl and {out_dir}/test.jsonl, return {"dev": p, "test": p}."""
    return write_splits(build_records(Path(corpus_root)), Path(out_dir))
