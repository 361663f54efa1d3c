"""Benchmark builder for real filing-review outcomes (issue 14). Format: ``eval/README.md``; sources: README here.

Two inputs, both committed next to this file (short public-source excerpts and our own paraphrases, no law text):
- ``records.jsonl``: real outcomes of 备案审查 (全国人大常委会法工委 annual reports, provincial 人大 releases),
  court incidental review (附带审查) and cleanups, one record per reviewed provision, each with its source URL.
- ``handwritten.jsonl``: one-article test provisions written for this suite, per subtype at least three with the
  problem (positive) and two look-alikes that are lawful (negative).

Each record becomes a three-article document: 第一条 a generic purpose clause, 第二条 the provision (the quoted
``provision`` when it is a whole sentence, else our ``paraphrase``), 第三条 a commencement clause. The label is on
第二条 with the record's ``problem_type``; ``label`` says positive or negative. The corpus is not read.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from normcheck.evaluation.dataset import write_splits

SUITE = "outcomes"
DESCRIPTION = "real review outcomes (NPC reports, provincial releases, court review) + hand-written one-article cases"
LABEL_TYPES = ["compulsion_setting", "fee_setting", "inconsistent_with_superior", "license_setting",
               "outdated_reference", "penalty_setting", "reserved_matter", "rights_obligations"]
SEED = 0  # nothing is sampled; kept for the interface
MAX_DOCS = 200  # the whole test split (tiny documents)

HERE = Path(__file__).resolve().parent
RECORDS = HERE / "records.jsonl"
HANDWRITTEN = HERE / "handwritten.jsonl"

_ART_HEAD = re.compile(r"^第[一二三四五六七八九十百零〇]+条(?:之[一二三四五六七八九十]+)?\s*")
_MUNICIPALITIES = ("北京", "上海", "天津", "重庆")
_UNITS = ("实施细则", "细则", "条例", "办法", "规定", "决定", "通知", "通告", "意见", "公告", "规则", "规程")


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _place(region: str | None) -> str:
    if not region:
        return "某市"
    if region in _MUNICIPALITIES:
        return f"{region}市"
    if region in ("内蒙古", "广西", "西藏", "宁夏", "新疆"):
        return {"内蒙古": "内蒙古自治区", "广西": "广西壮族自治区", "西藏": "西藏自治区",
                "宁夏": "宁夏回族自治区", "新疆": "新疆维吾尔自治区"}[region]
    return f"{region}省"


def _generic_title(kind: str, region: str | None) -> tuple[str, str]:
    """A plausible (title, preamble) for a document of this kind whose real name is not known."""
    place = _place(region)
    city = "某市" if region not in _MUNICIPALITIES else place
    if kind == "local_regulation":
        return f"{place}某某管理条例", f"{place}人民代表大会常务委员会通过"
    if kind == "municipal_regulation":
        return "某市某某管理条例", f"某市人民代表大会常务委员会通过，{place}人民代表大会常务委员会批准"
    if kind == "provincial_rule":
        return f"{place}某某管理办法", f"{place}人民政府令"
    if kind == "municipal_rule":
        return f"{city}某某管理办法", f"{city}人民政府令"
    if kind == "administrative_regulation":
        return "某某管理办法", "中华人民共和国国务院令"
    if kind == "law":
        return "全国人民代表大会常务委员会关于某某问题的决定", "全国人民代表大会常务委员会通过"
    if kind == "judicial_interpretation":
        return "最高人民法院关于某某问题的规定", "最高人民法院审判委员会通过"
    return "关于加强某某管理工作的通知", f"{city}某某局"


def _is_title(document: str | None) -> bool:
    if not document or any(w in document for w in ("有的", "部分", "做法", "（", "(", "地方性法规", "规范性文件")):
        return False
    return document.endswith(_UNITS)


def _unit(title: str) -> str:
    for u in _UNITS:
        if title.endswith(u):
            return "细则" if u == "实施细则" else u
    return "规定"


def _doc(title: str, preamble: str, body: str, as_of: str | None) -> str:
    unit = _unit(title)
    when = "公布之日"
    if as_of:
        y, m, d = as_of.split("-")
        when = f"{int(y)}年{int(m)}月{int(d)}日"
    first = f"第一条 为了加强本地区有关事务的管理，保护公民、法人和其他组织的合法权益，结合实际，制定本{unit}。"
    last = f"第三条 本{unit}自{when}起施行。"
    return "\n\n".join([title, preamble, first, f"第二条 {body}", last])


def _article_body(r: dict[str, Any]) -> tuple[str, str]:
    """The 第二条 text of a real record and where it came from."""
    prov = (r.get("provision") or "").strip()
    if prov.endswith("。") and len(prov) >= 20 and not prov.startswith(("其", "是", "对其")):
        return prov, "provision"
    return r["paraphrase"].strip(), "paraphrase"


def _as_of(r: dict[str, Any]) -> str | None:
    if r.get("source_date"):
        return str(r["source_date"])
    if r.get("year"):
        return f"{int(r['year'])}-12-31"
    return None


def _label(type_: str, positive: bool, note: str) -> dict[str, Any]:
    return {"type": type_, "clause": "第二条", "outcome": "positive" if positive else "negative", "note": note}


def real_records() -> list[dict[str, Any]]:
    out = []
    for r in _read_jsonl(RECORDS):
        kind = r["kind"]
        title, preamble = (r["document"], _generic_title(kind, r.get("region"))[1]) if _is_title(r["document"]) \
            else _generic_title(kind, r.get("region"))
        body, text_from = _article_body(r)
        as_of = _as_of(r)
        positive = r.get("label", "positive") == "positive"
        out.append({
            "id": f"real/{r['id']}", "text": _doc(title, preamble, body, as_of), "path": None, "kind": kind,
            "as_of": as_of, "region": r.get("region"), "title": title,
            "labels": [_label(r["problem_type"], positive, f"{r['subtype']}: {r.get('outcome') or '处理结果未载明'}")],
            "meta": {"origin": "real", "subtype": r["subtype"], "source_url": r["source_url"],
                     "source_title": r["source_title"], "reviewer": r.get("reviewer"),
                     "document": r.get("document"), "outcome": r.get("outcome"), "superior": r.get("superior"),
                     "text_from": text_from},
        })
    return out


def handwritten_records() -> list[dict[str, Any]]:
    out = []
    for r in _read_jsonl(HANDWRITTEN):
        title, preamble = _generic_title(r["kind"], r.get("region"))
        body = _ART_HEAD.sub("", r["text"].strip())
        original_article = r["text"].strip()[: len(r["text"].strip()) - len(body)].strip()
        positive = r["label"] == "positive"
        out.append({
            "id": f"hw/{r['id']}", "text": _doc(title, preamble, body, r.get("as_of")), "path": None,
            "kind": r["kind"], "as_of": r.get("as_of"), "region": r.get("region"), "title": title,
            "labels": [_label(r["problem_type"], positive, f"{r['subtype']}: {r['why']}")],
            "meta": {"origin": "handwritten", "subtype": r["subtype"], "source": "eval/outcomes/handwritten.jsonl",
                     "why": r["why"], "original_article": original_article},
        })
    return out


def build_records() -> list[dict[str, Any]]:
    return real_records() + handwritten_records()


def build(corpus_root: Path, out_dir: Path) -> dict[str, Path]:
    """Write {out_dir}/dev.jsonl and {out_dir}/test.jsonl (corpus_root is not needed), return their paths."""
    return write_splits(build_records(), Path(out_dir))
