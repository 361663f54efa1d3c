"""Mine (local article, superior article) pairs from the LawRefBook corpus (issue 6).

Two kinds of pairs, from the local regulations under ``DLC/<X>地方法规/地方性法规/<X>/*.md``:

* ``citation``: a local article that cites one specific article of a national law or
  administrative regulation (《中华人民共和国X法》第N条). The query is the local article with the
  citation hidden; the target is the cited article (in the version in force on the local
  regulation's date, falling back to the earliest version; such a pair is marked
  ``version_fallback``: its article number may be an older numbering's, so its label is unsure).
* ``restatement``: a local article that restates a national article nearly verbatim: at least half
  of its 12-character shingles occur in that one article (and more than in any other).

The texts are read from the corpus at run time and written only under ``eval/build/`` (git-ignored).

Each pair also carries, for training the retrieval head (``normcheck train retrieval``, issue 12):
``positive`` (the target article's text in the target version, else its latest), ``hard_negatives``
(up to ``--negatives`` other articles of the same law and version) and ``law_split``
(``train``/``dev``/``test`` by a hash of the target law, 80/10/10: test laws are unseen in training;
``split`` stays the older dev/test split by pair id that ``scripts/bench_retrieval.py`` reads).

    .venv/bin/python scripts/mine_pairs.py [--corpus ../shared/corpora/lawrefbook] [--out eval/build/pairs]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from normcheck.checks.consistency.retrieve import Entry, clean, hide_citations  # noqa: E402
from normcheck.text.numerals import cn_to_int  # noqa: E402
from normcheck.types.law import Article, Law, LawVersion, Level  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "lawrefbook"
NATIONAL_DIRS = ("宪法相关法", "民法典", "民法商法", "行政法", "经济法", "社会法", "刑法", "诉讼与非诉讼程序法",
                 "行政法规", "其他")
_ART_RE = re.compile(r"^第([零〇一二两三四五六七八九十百千]+)条(?:之([一二三四五六七八九十]+))?[\s　]*(.*)$")
_DATE_RE = re.compile(r"\((\d{4}-\d{2}-\d{2})\)")
_CITE_ONE_RE = re.compile(r"《(?:中华人民共和国)?([^》]{2,40})》第([零一二两三四五六七八九十百]+)条(?!之|至|、|和|及)")
_CITE_LAW_RE = re.compile(r"《(?:中华人民共和国)?([^》]{2,40})》")
SHINGLE = 12


@dataclass(frozen=True, slots=True)
class LawFile:
    title: str
    short: str  # title without 中华人民共和国
    date: str
    level: Level
    region: str
    path: str
    articles: tuple[Article, ...]


def read_law_file(path: Path, level: Level, region: str = "") -> LawFile | None:
    """Parse one corpus Markdown file into articles (paragraphs kept)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    lines = text.splitlines()
    title = lines[0].lstrip("# ").strip() if lines else path.stem
    m = _DATE_RE.search(path.name)
    date = m.group(1) if m else "1900-01-01"
    body = text.split("<!-- INFO END -->", 1)[-1].splitlines()
    arts: list[Article] = []
    cur: tuple[int, int, str, list[str]] | None = None
    law_id = path.stem

    def flush() -> None:
        if cur is not None:
            n, s, label, paras = cur
            arts.append(Article(law_id, date, n, s, label, "\n".join(paras), tuple(paras)))

    for line in body:
        line = line.strip()
        if not line:
            continue
        if line.startswith("#"):
            flush()
            cur = None
            continue
        am = _ART_RE.match(line)
        if am:
            flush()
            try:
                n = cn_to_int(am.group(1))
                s = cn_to_int(am.group(2)) if am.group(2) else 0
            except ValueError:
                cur = None
                continue
            cur = (n, s, line[:am.start(3)].strip(), [am.group(3)])
        elif cur is not None:
            cur[3].append(line)
    flush()
    short = title.removeprefix("中华人民共和国")
    return LawFile(title, short, date, level, region, str(path), tuple(arts))


def national_files(root: Path) -> list[LawFile]:
    out = []
    for d in NATIONAL_DIRS:
        level = Level.ADMINISTRATIVE_REGULATION if d == "行政法规" else Level.LAW
        for p in sorted((root / d).rglob("*.md")):
            if p.name == "_index.md":
                continue
            f = read_law_file(p, level)
            if f and f.articles:
                out.append(f)
    return out


def local_files(root: Path) -> list[LawFile]:
    out = []
    for p in sorted((root / "DLC").glob("*地方法规/地方性法规/*/*.md")):
        if p.name == "_index.md":
            continue
        f = read_law_file(p, Level.LOCAL_REGULATION, p.parent.name)
        if f and f.articles:
            out.append(f)
    return out


def entries_of(files: list[LawFile]) -> list[Entry]:
    """Every article of every version, as retrieval entries (law id = title; version = file date)."""
    out = []
    for f in files:
        law = Law(id=f.short, name=f.title, level=f.level, region=f.region)
        ver = LawVersion(f.short, f.date, path=f.path)
        for a in f.articles:
            art = Article(f.short, f.date, a.number, a.suffix, a.label, a.text, a.paragraphs)
            out.append(Entry(law, ver, art))
    return out


def _version_for(versions: list[LawFile], date: str) -> LawFile:
    earlier = [v for v in versions if v.date <= date]
    return max(earlier, key=lambda v: v.date) if earlier else min(versions, key=lambda v: v.date)


def _pid(kind: str, f: LawFile, a: Article) -> str:
    return f"{kind}:{f.region}/{Path(f.path).name}#{a.number}-{a.suffix}"


def mine(root: Path, *, restatement_sample: int = 4000, seed: int = 0) -> list[dict[str, object]]:
    nat = national_files(root)
    by_short: dict[str, list[LawFile]] = defaultdict(list)
    for f in nat:
        by_short[f.short].append(f)
    loc = local_files(root)
    pairs: list[dict[str, object]] = []

    # citation pairs
    for f in loc:
        cited_by = {a.number: {m.group(1) for m in _CITE_LAW_RE.finditer(a.text)} for a in f.articles}
        for a in f.articles:
            cites = {(m.group(1), cn_to_int(m.group(2))) for m in _CITE_ONE_RE.finditer(a.text)}
            if len(cites) != 1:
                continue
            (short, num), = cites
            versions = by_short.get(short)
            if not versions:
                continue
            v = _version_for(versions, f.date)
            target = next((x for x in v.articles if x.number == num and x.suffix == 0), None)
            if target is None:
                continue
            query = hide_citations(a.text)
            if len(clean(query)) < 10:
                continue
            pairs.append({"id": _pid("citation", f, a), "kind": "citation", "query": query,
                          "target_law": short, "target_article": num, "target_version": v.date,
                          "date": f.date, "region": f.region, "title": f.title,
                          # no version of the law in the corpus was in force on the regulation's date: the
                          # article number may be the old numbering's (立法法 第八条 of 2000 is 第十一条 now)
                          "version_fallback": v.date > f.date,
                          # the laws the document names in its other articles (its 立法依据 in 第一条 …), as
                          # `check` knows them: the query article's own citation stays hidden
                          "doc_laws": sorted(set().union(*(x for k, x in cited_by.items() if k != a.number)))})

    # restatement pairs: shingles of national articles (sampled by hash to keep memory small)
    index: dict[int, set[int]] = defaultdict(set)
    keys: list[tuple[str, int, str]] = []
    for f in nat:
        for a in f.articles:
            t = clean(a.text)
            k = len(keys)
            keys.append((f.short, a.number, f.date))
            for i in range(len(t) - SHINGLE + 1):
                h = int.from_bytes(hashlib.blake2b(t[i:i + SHINGLE].encode(), digest_size=8).digest())
                if h % 4 == 0:
                    index[h].add(k)
    rng = random.Random(seed)
    local_arts = [(f, a) for f in loc for a in f.articles if len(clean(a.text)) >= 30]
    rng.shuffle(local_arts)
    n_rest = 0
    for f, a in local_arts:
        if n_rest >= restatement_sample:
            break
        t = clean(a.text)
        hs = [int.from_bytes(hashlib.blake2b(t[i:i + SHINGLE].encode(), digest_size=8).digest())
              for i in range(len(t) - SHINGLE + 1)]
        hs = [h for h in hs if h % 4 == 0]
        if len(hs) < 3:
            continue
        c: Counter[tuple[str, int]] = Counter()
        for h in hs:
            for k in index.get(h, ()):
                c[keys[k][:2]] += 1
        if not c:
            continue
        (best, n), *rest = c.most_common(2)
        # nearly verbatim, and clearly one article (boilerplate found in many laws is left out)
        if n / len(hs) < 0.5 or (rest and rest[0][1] * 1.5 > n):
            continue
        pairs.append({"id": _pid("restatement", f, a), "kind": "restatement", "query": a.text,
                      "target_law": best[0], "target_article": best[1], "target_version": None,
                      "date": f.date, "region": f.region, "title": f.title})
        n_rest += 1
    pairs.sort(key=lambda p: str(p["id"]))
    return pairs


def split_of(pair_id: str) -> str:
    """Fixed dev/test split by hash of the id (same rule as normcheck.evaluation)."""
    return "dev" if hashlib.sha256(pair_id.encode()).digest()[0] % 2 == 0 else "test"


def law_split(law: str, *, dev_pct: int = 10, test_pct: int = 10) -> str:
    """``train``/``dev``/``test`` by a hash of the target law (every pair of a law in one split)."""
    h = hashlib.sha256(law.encode()).digest()[0] * 100 // 256
    return "test" if h < test_pct else "dev" if h < test_pct + dev_pct else "train"


def attach_targets(pairs: list[dict[str, object]], root: Path, *, negatives: int = 3, seed: int = 0) -> None:
    """Add ``positive``, ``hard_negatives`` (same law and version) and ``law_split`` to every pair."""
    by_short: dict[str, list[LawFile]] = defaultdict(list)
    for f in national_files(root):
        by_short[f.short].append(f)
    rng = random.Random(seed)
    for p in pairs:
        versions = by_short.get(str(p["target_law"]), [])
        if not versions:
            continue
        tv = p.get("target_version")
        v = next((x for x in versions if x.date == tv), None) or max(versions, key=lambda x: x.date)
        num = p["target_article"]
        target = next((a for a in v.articles if a.number == num and a.suffix == 0), None)
        if target is None:
            continue
        others = [a.text for a in v.articles if a.number != num and len(clean(a.text)) >= 10]
        p["positive"] = target.text
        p["hard_negatives"] = rng.sample(others, min(negatives, len(others)))
        p["law_split"] = law_split(str(p["target_law"]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--out", type=Path, default=ROOT / "eval" / "build" / "pairs")
    ap.add_argument("--restatements", type=int, default=1500)
    ap.add_argument("--negatives", type=int, default=3, help="same-law hard negatives per pair")
    args = ap.parse_args()
    pairs = mine(args.corpus, restatement_sample=args.restatements)
    attach_targets(pairs, args.corpus, negatives=args.negatives)
    args.out.mkdir(parents=True, exist_ok=True)
    out = args.out / "pairs.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for p in pairs:
            p["split"] = split_of(str(p["id"]))
            fh.write(json.dumps(p, ensure_ascii=False) + "\n")
    kinds = Counter(str(p["kind"]) for p in pairs)
    print(f"{len(pairs)} pairs -> {out}: {dict(kinds)}")


if __name__ == "__main__":
    main()
