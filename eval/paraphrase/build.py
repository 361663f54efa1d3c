"""Benchmark builder for ``inconsistent_with_superior`` (issue 13): hand-written restatement pairs.

``cases.jsonl`` (next to this file) holds restatements of real superior provisions (national laws and
administrative regulations) written by hand in the style of local regulations and rules, and NOT
selected by the analyser: for each provision a ``faithful`` paraphrase (same legal effect, negative)
and a ``changed`` paraphrase with one substantive difference (positive), plus ``control`` clauses
(negative) that look like a conflict but are not one (a different subject, or room the superior
provision itself leaves to lower law). Only our own wording is committed; the superior text is read
from the corpus at build time, to check that each cited article exists in that version.

Each record is a short local regulation or rule whose 第二条 is the clause; the label is
``inconsistent_with_superior`` on 第二条, positive for ``changed``, negative otherwise. Splits are by
law (every case of a law in the same split; a hash of the law name), so dev and test never share a
superior provision. Format: ``eval/README.md``. Check the cases with ``verify.py``.
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from pathlib import Path
from typing import Any, NamedTuple

from normcheck.evaluation.dataset import split_of, validate_records, write_jsonl

SUITE = "paraphrase"
DESCRIPTION = "hand-written faithful/changed restatements of superior articles, plus controls (issue 13)"
LABEL_TYPES = ["inconsistent_with_superior"]
SEED = 0  # nothing is sampled; kept for the builder interface
MAX_DOCS = 400  # run the whole test split under `--suite all` (documents are three articles long)

CASES = Path(__file__).with_name("cases.jsonl")
FRESH = Path(__file__).with_name("cases_fresh.jsonl")  # the held-out set written blind (FRESH.md)
FRESH2 = Path(__file__).with_name("cases_fresh2.jsonl")  # the third set, written blind (FRESH2.md)
FRESH3 = Path(__file__).with_name("cases_fresh3.jsonl")  # the fourth set, written blind (FRESH3.md)
SETS = ("main", "fresh", "fresh2", "fresh3")  # optional field "set": absent means "main"
HELD_OUT = {"fresh": FRESH, "fresh2": FRESH2, "fresh3": FRESH3}  # the sets also written alone to {set}.jsonl
CLAUSE = "第二条"
LABELS = ("faithful", "changed", "control")
CHANGES = ("number_floor", "number_cap", "duration", "multiple", "unit", "modality", "dropped_condition",
           "added_condition", "dropped_procedure", "list_shorter", "list_longer", "blanket_ban", "penalty_added",
           "penalty_dropped", "fine_range", "subject_widened", "subject_narrowed")
CONTROLS = ("different_subject", "delegation")
KINDS = ("local_regulation", "municipal_regulation", "provincial_rule", "municipal_rule")
FIELDS = ("id", "law", "version", "article", "paragraph", "label", "change", "control", "clause", "expected",
          "region", "kind", "as_of", "note")
MAX_SHARED = 15  # a clause may share at most 15 consecutive characters with the superior law's text
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CIVIL_CODE = "民法典"  # its corpus files (民法典/<编>.md) carry no date; adopted 2020-05-28
_CIVIL_CODE_VERSION = "2020-05-28"
_SKIP_TOP = {"DLC", "案例", "其他", "司法解释", "部门规章"}
_MUNICIPALITIES = {"北京", "上海", "天津", "重庆"}

# the subject of the short regulation each clause is wrapped in (title and 第一条)
_TOPIC = {
    "行政许可法": ("行政审批服务", "规范行政许可的实施"),
    "行政处罚法": ("行政执法", "规范行政处罚的实施"),
    "治安管理处罚法": ("社会治安综合治理", "维护社会治安秩序"),
    "道路交通安全法": ("道路交通安全", "维护道路交通秩序"),
    "道路交通安全法实施条例": ("道路交通安全", "维护道路交通秩序"),
    "食品安全法": ("食品安全", "保证食品安全"),
    "安全生产法": ("安全生产", "加强安全生产工作"),
    "噪声污染防治法": ("噪声污染防治", "防治噪声污染"),
    "环境噪声污染防治法": ("环境噪声污染防治", "防治环境噪声污染"),
    "消防法": ("消防", "预防火灾和减少火灾危害"),
    "民法典": ("物业管理", "规范物业管理活动"),
    "城乡规划法": ("城乡规划", "加强城乡规划管理"),
    "广告法": ("广告管理", "规范广告活动"),
    "大气污染防治法": ("大气污染防治", "防治大气污染"),
    "水法": ("水资源管理", "合理开发利用和保护水资源"),
    "物业管理条例": ("物业管理", "规范物业管理活动"),
    "娱乐场所管理条例": ("娱乐场所管理", "加强娱乐场所管理"),
    "立法法": ("立法", "规范立法活动"),
    "行政强制法": ("行政执法", "规范行政强制的实施"),
    "未成年人保护法": ("未成年人保护", "保护未成年人身心健康"),
    "劳动合同法": ("劳动关系", "构建和谐劳动关系"),
}
_TOPIC_BY_CASE = {  # controls whose subject is not the superior law's topic
    "mfd-17-control": ("青年发展促进", "促进青年发展"),
    "ldht-19-nd-control": ("事业单位人事管理", "规范事业单位人事管理"),
    "ylcs-28-nd-control": ("互联网上网服务营业场所管理", "加强互联网上网服务营业场所管理"),
    "lff-109-nd-control": ("规范性文件备案审查", "加强规范性文件备案审查工作"),
    "dljt-67-nd-control": ("城市快速路管理", "加强城市快速路管理"),
    "xzcff-13-control": ("政府规章设定罚款", "规范政府规章设定罚款"),
    "xzcff-14-control": ("政府规章设定罚款限额", "规范政府规章设定罚款"),
}


class CaseError(ValueError):
    """A case in cases.jsonl that is malformed or cites an article the corpus does not have."""


class SuperiorArticle(NamedTuple):
    law: str
    version: str
    article: str
    rel: str  # the corpus file (relative path)
    title: str  # full title from the file heading, e.g. 中华人民共和国行政许可法
    text: str  # the article (all paragraphs)
    paragraphs: tuple[str, ...]
    law_text: str  # every article of that law version, for the shared-run check


# ---------------------------------------------------------------------------------------------------------
# reading cases and the corpus

def load_cases(path: Path = CASES) -> list[dict[str, Any]]:
    cases = []
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                cases.append(json.loads(line))
            except json.JSONDecodeError as e:
                raise CaseError(f"{path.name} line {n}: not valid JSON ({e.msg})") from None
    return cases


def case_problems(case: dict[str, Any]) -> list[str]:
    """What is wrong with one case's fields (empty when it is well formed)."""
    out = [f"missing field {f!r}" for f in FIELDS if f not in case]
    out += [f"unknown field {f!r}" for f in case if f not in FIELDS and f != "set"]
    if "set" in case and case["set"] not in SETS:
        out.append(f"'set' {case['set']!r}; use one of {', '.join(SETS)} (or leave it out)")
    if out:
        return out
    for f in ("id", "law", "version", "article", "clause", "region", "kind", "as_of", "note"):
        if not isinstance(case[f], str) or not case[f].strip():
            out.append(f"{f!r} must be a non-empty string")
    if out:
        return out
    if case["paragraph"] is not None and (not isinstance(case["paragraph"], int) or case["paragraph"] < 1):
        out.append("'paragraph' must be a positive int or null")
    if not re.fullmatch(r"第[零〇一二三四五六七八九十百千]+条(之[一二三四五六七八九十]+)?", case["article"]):
        out.append(f"'article' {case['article']!r} is not like 第四十二条")
    for f in ("version", "as_of"):
        if not _DATE.match(case[f]):
            out.append(f"{f!r} {case[f]!r} is not YYYY-MM-DD")
    if case["kind"] not in KINDS:
        out.append(f"'kind' {case['kind']!r}; use one of {', '.join(KINDS)}")
    label = case["label"]
    if label not in LABELS:
        out.append(f"'label' {label!r}; use one of {', '.join(LABELS)}")
    elif label == "changed":
        if case["change"] not in CHANGES:
            out.append(f"'change' {case['change']!r}; use one of {', '.join(CHANGES)}")
        if not isinstance(case["expected"], str) or not case["expected"].strip():
            out.append("a changed case needs 'expected' (the reviewer's one-line message)")
        if case["control"] is not None:
            out.append("'control' must be null unless label is control")
    else:
        if case["change"] is not None:
            out.append("'change' must be null unless label is changed")
        if case["expected"] is not None:
            out.append("'expected' must be null unless label is changed")
        if label == "control" and case["control"] not in CONTROLS:
            out.append(f"'control' {case['control']!r}; use one of {', '.join(CONTROLS)}")
        if label == "faithful" and case["control"] is not None:
            out.append("'control' must be null unless label is control")
    if not case["clause"].endswith("。"):
        out.append("'clause' must be a full sentence ending in 。")
    if not case["id"].endswith("-" + label) or not re.fullmatch(r"[a-z]+(-[0-9a-z]+)+", case["id"]):
        out.append(f"'id' {case['id']!r} should look like xzxkf-42-{label}")
    return out


def _split_articles_fallback(text: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """(label, text, paragraphs) per article: a small splitter for LawRefBook markdown, used only when
    normcheck's own helpers cannot be imported."""
    if "<!-- INFO END -->" in text:
        text = text.split("<!-- INFO END -->", 1)[1]
    art_re = re.compile(r"^(第[零〇一二三四五六七八九十百千]+条(?:之[一二三四五六七八九十]+)?)[\s\u3000]*(.*)$")
    out: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        s = line.strip()
        if not s or s.startswith("#") or s.startswith("<!--") or s == "---":
            continue
        m = art_re.match(s)
        if m:
            out.append((m.group(1), [m.group(2)] if m.group(2) else []))
        elif out:
            out[-1][1].append(s)
    return [(label, "\n".join(paras), tuple(paras)) for label, paras in out]


def _parse_articles(text: str, rel: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """Articles of one corpus file, via normcheck's builder helper when available (it has moved between
    modules: normcheck.corpus.lawfiles / normcheck.evaluation.lawfiles), else the fallback splitter."""
    parse = None
    for mod in ("normcheck.corpus.lawfiles", "normcheck.evaluation.lawfiles"):
        try:
            parse = __import__(mod, fromlist=["parse_articles"]).parse_articles
            break
        except (ImportError, AttributeError):
            continue
    if parse is None:
        return _split_articles_fallback(text)
    out = []
    for art, _start, _end in parse(text, rel, ""):
        paras = tuple(art.paragraphs) or (art.text,)
        out.append((art.label, art.text, paras))
    return out


def _heading(text: str, default: str) -> str:
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return default


class Corpus:
    """Finds a law version's file(s) under a LawRefBook-layout corpus root and its articles."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        if not self.root.is_dir():
            raise CaseError(f"corpus root {self.root} is not a folder")
        self._files: dict[tuple[str, str], list[Path]] = {}
        for p in sorted(self.root.rglob("*.md")):
            rel = p.relative_to(self.root)
            if rel.parts[0] in _SKIP_TOP or p.name.startswith("_") or len(rel.parts) < 2:
                continue
            if rel.parts[0] == _CIVIL_CODE:
                self._files.setdefault((_CIVIL_CODE, _CIVIL_CODE_VERSION), []).append(p)
                continue
            m = re.match(r"^(.+)\((\d{4}-\d{2}-\d{2})\)$", p.stem)
            if m:
                self._files.setdefault((m.group(1), m.group(2)), []).append(p)
        self._cache: dict[tuple[str, str], tuple[str, str, dict[str, tuple[str, tuple[str, ...]]], str]] = {}

    def versions(self, law: str) -> list[str]:
        return sorted(v for (t, v) in self._files if t == law)

    def _load(self, law: str, version: str) -> tuple[str, str, dict[str, tuple[str, tuple[str, ...]]], str]:
        key = (law, version)
        if key not in self._cache:
            files = self._files.get(key)
            if not files:
                have = ", ".join(self.versions(law)) or "none"
                raise CaseError(f"no corpus file for {law}({version}); versions in the corpus: {have}")
            if law != _CIVIL_CODE:
                files = files[:1]  # same law filed under two folders (e.g. 广告法): identical copies
            arts: dict[str, tuple[str, tuple[str, ...]]] = {}
            title = law
            texts = []
            for p in files:
                raw = p.read_text(encoding="utf-8")
                rel = p.relative_to(self.root).as_posix()
                title = _heading(raw, law) if title == law else title
                for label, text, paras in _parse_articles(raw, rel):
                    arts.setdefault(label, (text, paras))
                    texts.append(text)
            rel0 = files[0].relative_to(self.root).as_posix()
            self._cache[key] = (rel0 if law != _CIVIL_CODE else _CIVIL_CODE + "/", title, arts, "\n".join(texts))
        return self._cache[key]

    def article(self, law: str, version: str, article: str) -> SuperiorArticle:
        rel, title, arts, law_text = self._load(law, version)
        if article not in arts:
            raise CaseError(f"{law}({version}) has no {article}")
        text, paras = arts[article]
        return SuperiorArticle(law, version, article, rel, title, text, paras, law_text)

    def valid_from(self, law: str, version: str) -> str | None:
        """The corpus metadata's 施行 date for that version (db.sqlite3), when it records one."""
        db = self.root / "db.sqlite3"
        if not db.is_file():
            return None
        try:
            con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            try:
                rows = con.execute("select valid_from from law where name in (?, ?) and publish = ?",
                                   (law, "中华人民共和国" + law, version)).fetchall()
            finally:
                con.close()
        except sqlite3.Error:
            return None
        dates = [r[0] for r in rows if r[0]]
        return str(dates[0])[:10] if dates else None


def locate(corpus: Corpus, case: dict[str, Any]) -> SuperiorArticle:
    """The superior article a case cites; CaseError naming the case when the corpus lacks it."""
    try:
        sup = corpus.article(case["law"], case["version"], case["article"])
    except CaseError as e:
        raise CaseError(f"case {case.get('id')!r}: {e}") from None
    para = case.get("paragraph")
    if para is not None and para > len(sup.paragraphs):
        # the segmenter may count 款 differently from the hand count; only a paragraph beyond every
        # count is an error
        fallback = dict((lab, p) for lab, _t, p in _split_articles_fallback(
            (corpus.root / sup.rel).read_text(encoding="utf-8"))) if not sup.rel.endswith("/") else {}
        legal = [p for p in fallback.get(case["article"], ()) if not re.match(r"^[（(][一二三四五六七八九十]+[）)]", p)]
        if para > max(len(sup.paragraphs), len(legal)):
            raise CaseError(f"case {case['id']!r}: {case['law']}({case['version']}) {case['article']} has no "
                            f"paragraph {para}")
    return sup


def shared_run(clause: str, superior: str, n: int = MAX_SHARED + 1) -> str | None:
    """The first run of ``n`` consecutive characters of ``clause`` that also occurs in ``superior``
    (both NFKC-normalised, whitespace removed), or None."""
    a = re.sub(r"\s+", "", unicodedata.normalize("NFKC", clause))
    b = re.sub(r"\s+", "", unicodedata.normalize("NFKC", superior))
    grams = {b[i:i + n] for i in range(len(b) - n + 1)}
    for i in range(len(a) - n + 1):
        if a[i:i + n] in grams:
            return a[i:i + n]
    return None


def split_of_law(law: str) -> str:
    """dev or test for every case of a law: ``normcheck.evaluation.dataset.split_of`` (sha256, 50/50) on
    ``paraphrase/<law>``, so a superior provision never appears in both splits. (The suite-prefixed key,
    like the record ids, splits these cases 122/108; the bare law name would split them 148/82.)"""
    return split_of(f"{SUITE}/{law}")


# ---------------------------------------------------------------------------------------------------------
# building records

def _cn_date(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{int(y)}年{int(m)}月{int(d)}日"


def document(case: dict[str, Any], superior_title: str) -> tuple[str, str]:
    """(title, text) of the short regulation or rule that carries the clause as 第二条."""
    topic, purpose = _TOPIC_BY_CASE.get(case["id"]) or _TOPIC.get(case["law"], ("管理", "加强相关管理"))
    kind = case["kind"]
    place = "市" if kind.startswith("municipal") or case["region"] in _MUNICIPALITIES else "省"
    form = "条例" if kind.endswith("regulation") else "办法"
    title = f"某{place}{topic}{form}"
    text = (f"{title}\n\n"
            f"第一条 为了{purpose}，根据《{superior_title}》等法律、法规，结合本{place}实际，制定本{form}。\n\n"
            f"{CLAUSE} {case['clause']}\n\n"
            f"第三条 本{form}自{_cn_date(case['as_of'])}起施行。\n")
    return title, text


def all_cases() -> list[dict[str, Any]]:
    """cases.jsonl, then the held-out sets cases_fresh.jsonl, cases_fresh2.jsonl and cases_fresh3.jsonl (each skipped
    when absent)."""
    return load_cases(CASES) + [c for p in HELD_OUT.values() if p.is_file() for c in load_cases(p)]


def build_records(corpus_root: Path, cases: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    cases = all_cases() if cases is None else cases
    corpus = Corpus(corpus_root)
    seen: set[str] = set()
    records = []
    for case in cases:
        problems = case_problems(case)
        if problems:
            raise CaseError(f"case {case.get('id')!r}: " + "; ".join(problems))
        if case["id"] in seen:
            raise CaseError(f"case {case['id']!r}: duplicate id")
        seen.add(case["id"])
        sup = locate(corpus, case)
        title, text = document(case, sup.title)
        positive = case["label"] == "changed"
        note = case["expected"] if positive else f"{case['label']}: {case['note']}"
        records.append({
            "id": f"{SUITE}/{case['id']}",
            "text": text, "path": None, "kind": case["kind"], "as_of": case["as_of"], "region": case["region"],
            "title": title,
            "labels": [{"type": "inconsistent_with_superior", "clause": CLAUSE,
                        "outcome": "positive" if positive else "negative", "note": note}],
            "meta": {"case": case["id"], "law": case["law"], "version": case["version"], "article": case["article"],
                     "paragraph": case["paragraph"], "label": case["label"], "change": case["change"],
                     "control": case["control"], "source": sup.rel, "split": split_of_law(case["law"]),
                     "set": case.get("set", "main")},
        })
    records.sort(key=lambda r: r["id"])
    return records


def build(corpus_root: Path, out_dir: Path) -> dict[str, Path]:
    """Read cases.jsonl, the held-out sets and the corpus, write {out_dir}/dev.jsonl and {out_dir}/test.jsonl
    (all sets, split by law; ``meta.set`` tells them apart) and {out_dir}/fresh.jsonl, fresh2.jsonl and
    fresh3.jsonl
    (each held-out set alone, both law splits: the figure for a set nobody tuned on).

    ``write_splits`` is not used: it splits by a hash of each record id, and this suite splits by law.
    The records are validated with ``validate_records`` (E204 on a bad one) and written with
    ``write_jsonl``, i.e. in the format ``write_splits`` writes."""
    records = validate_records(build_records(Path(corpus_root)))
    parts: dict[str, list[Any]] = {"dev": [], "test": [], **{name: [] for name in HELD_OUT}}
    for r in records:
        parts[r.meta["split"]].append(r)
        if r.meta["set"] in HELD_OUT:
            parts[r.meta["set"]].append(r)
    out_dir = Path(out_dir)
    return {name: write_jsonl(rs, out_dir / f"{name}.jsonl") for name, rs in parts.items()}
