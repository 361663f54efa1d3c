"""Train the pair classifier (issue 6) from the corpus + perturbations and compare it with the rules.

1. Pairs, from paragraphs of national laws and administrative regulations (read from the corpus at
   run time; the data goes to ``eval/build/pair-train/`` (git-ignored), never into the repository):
   - ``consistent``: the paragraph itself, half of the time with the usual local substitutions
     (本法 -> 本条例, 国务院 -> 市人民政府 ...), or a fine range narrowed inside the superior's;
   - ``inconsistent``: the paragraph (or its local restatement) changed by one of the perturbations
     of the inconsistency benchmark builder (``normcheck.evaluation.builders.inconsistency``, imported): a number, a
     fine's maximum, a modality, an added condition, a dropped exception;
   - ``unrelated``: another paragraph (half of the time from the same law: hard negatives).
   Split by a hash of the superior *law title* (stricter than by article: a law's versions and
   renumbered articles never straddle two splits); paragraphs used by the inconsistency benchmark are
   left out of training.
2. Train a tiny BERT (``normcheck.ml``) on CPU; save it (safetensors, model card) to ``--out``.
3. Evaluate on the held-out test split: the model vs the rules (coverage < 0.6 -> unrelated, else
   ``normcheck.checks.consistency.compare.compare`` non-benign difference -> inconsistent, else consistent), and on the
   inconsistency benchmark's pairs (binary). Prints a Markdown table; appends it to the model card.

4. (issue 12) With ``--mined eval/build/pairs-ml/pairs.jsonl`` (scripts/mine_pairs.py), real pairs are
   added: a local article that restates a national one (``consistent``: enacted local text, reworded
   as local law does), the same local article perturbed (``inconsistent``) and a same-law hard negative
   (``unrelated``); their split is the target law's. ``--base-model`` fine-tunes a pretrained encoder.
   The hand-written paraphrase benchmark (``eval/paraphrase/cases.jsonl``: faithful / changed / control
   restatements) is used for evaluation only, never training.

    HF_HUB_OFFLINE=1 .venv/bin/python scripts/train_pair.py --out DIR [--corpus ../shared/corpora/lawrefbook]
        [--paragraphs 4000] [--epochs 3] [--hidden 64] [--layers 2] [--mined PAIRS] [--base-model ENC] [--eval-only]

The shipped ``models/pair-tiny`` was made with ``scripts/train_pair.py --out DIR --base-model models/encoder-tiny
--mined eval/build/pairs-ml/pairs.jsonl --threads 1`` (defaults otherwise; its card has the figures).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from normcheck.checks.consistency.compare import compare  # noqa: E402
from normcheck.checks.consistency.retrieve import coverage  # noqa: E402
from normcheck.corpus.lawfiles import list_law_files, parse_articles  # noqa: E402
from normcheck.evaluation.suites import load_builder  # noqa: E402
from normcheck.ml.configuration import LABELS  # noqa: E402
from normcheck.ml.data import SPLITS, PairExample, load_pairs, split_of, write_pairs  # noqa: E402
from normcheck.ml.metrics import classification_metrics  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "lawrefbook"
MIN_COVERAGE = 0.6  # as normcheck.checks.consistency.check.MIN_COVERAGE
PERTURBATIONS = ("number", "fine", "modality", "condition", "exception")


def _law_key(title: str) -> str:
    return re.sub(r"\(.*\)$", "", title)


def paragraphs(corpus: Path, *, min_chars: int, max_chars: int) -> list[tuple[str, str, str]]:
    """(law title, article id, paragraph) for national laws and administrative regulations, deduplicated."""
    seen: set[str] = set()
    out = []
    for f in list_law_files(corpus):
        if f.region is not None or f.kind not in ("law", "administrative_regulation") or not f.date:
            continue
        for art, _, _ in parse_articles(f.path.read_text(encoding="utf-8"), f.rel, f.date):
            for i, para in enumerate(art.paragraphs):
                n = len(re.sub(r"\W", "", para))
                if min_chars <= n and len(para) <= max_chars and not para.startswith("（") and para not in seen:
                    seen.add(para)
                    out.append((_law_key(f.title), f"{_law_key(f.title)}#{art.label}-{i + 1}", para))
    return out


def make_pairs(pool: list[tuple[str, str, str]], builder: Any, n: int, seed: int,
               exclude: set[str]) -> list[tuple[str, PairExample]]:
    """(split, pair) triples: one consistent, one inconsistent and one unrelated pair per paragraph."""
    rng = random.Random(seed)
    pool = [p for p in pool if p[2] not in exclude]
    rng.shuffle(pool)
    by_split: dict[str, list[tuple[str, str, str]]] = {}
    for p in pool:
        by_split.setdefault(split_of(p[0]), []).append(p)
    by_law: dict[str, list[str]] = {}
    for law, _, para in pool:
        by_law.setdefault(law, []).append(para)
    fns = {"number": builder.perturb_number, "fine": builder.perturb_fine, "modality": builder.perturb_modality,
           "condition": builder.perturb_condition, "exception": builder.perturb_exception}
    made: Counter[str] = Counter()
    out: list[tuple[str, PairExample]] = []
    used = 0
    for law, aid, para in pool:
        if used >= n:
            break
        split = split_of(law)
        base = para
        loc = builder.local_restatement(para)
        if loc and rng.random() < 0.5:
            base = loc[0]
        options = [(v, got) for v, fn in fns.items() if (got := fn(base, rng))]
        if not options:
            continue
        used += 1
        v, (text, note) = min(options, key=lambda o: (made[o[0]], rng.random()))
        made[v] += 1
        out.append((split, PairExample(text, para, "inconsistent", aid, f"{v}: {note}")))
        cons = [("faithful", para)] + ([("local", loc[0])] if loc else [])
        nar = builder.perturb_fine(para, rng, narrower=True)
        if nar:
            cons.append(("narrower_fine", nar[0]))
        cv, ctext = cons[-1] if len(cons) > 1 and rng.random() < 0.7 else cons[0]
        out.append((split, PairExample(ctext, para, "consistent", aid, cv)))
        same = [q for q in by_law.get(law, []) if q != para]
        if same and rng.random() < 0.5:
            other, uv = rng.choice(same), "same_law"
        else:
            other, uv = rng.choice(by_split[split])[2], "random"
        if other != para:
            out.append((split, PairExample(other, para, "unrelated", aid, uv)))
    return out


def mined_pairs(path: Path, builder: Any, seed: int,
                skip_docs: set[str] | None = None) -> list[tuple[str, PairExample]]:
    """(split, pair) from mined restatement pairs: the real local article (consistent), the local article
    perturbed (inconsistent), a same-law other article (unrelated); split by the target law."""
    rng = random.Random(seed)
    fns = (builder.perturb_number, builder.perturb_fine, builder.perturb_modality, builder.perturb_condition,
           builder.perturb_exception)
    out: list[tuple[str, PairExample]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if rec.get("kind") != "restatement" or not rec.get("positive") or rec.get("law_split") not in SPLITS:
            continue
        split, q, sup = rec["law_split"], rec["query"], rec["positive"]
        if skip_docs and Path(str(rec["id"]).split("#")[0].split(":", 1)[-1]).name in skip_docs:
            continue
        if len(q) > 300 or len(sup) > 300:
            continue
        gid = f"mined:{rec['id']}"
        out.append((split, PairExample(q, sup, "consistent", gid, "mined_local")))
        options = [got for fn in fns if (got := fn(q, rng))]
        if options:
            text, note = rng.choice(options)
            out.append((split, PairExample(text, sup, "inconsistent", gid, f"mined_perturbed: {note}")))
        if rec.get("hard_negatives"):
            out.append((split, PairExample(q, rng.choice(rec["hard_negatives"]), "unrelated", gid, "mined_same_law")))
    return out


# --- (issue 12 -> 13) hard negatives that look like the consistency check's alignment false alarms ---------

_PENALTY_RE = re.compile(r"罚款|罚金|警告|没收|吊销|暂扣|拘留|责令停产停业|通报批评")
_TITLE_SUFFIX_RE = re.compile(r"(实施条例|实施细则|实施办法|管理条例|管理办法|管理规定|暂行条例|暂行办法"
                              r"|条例|规定|办法|法)$")


def judged_exclusions(root: Path = ROOT) -> tuple[set[str], set[tuple[str, str]]]:
    """Document file names and (law, article) of the hand-judged consistency rows
    (eval/inconsistency/handcheck-*.csv): kept out of the training data (only their identities are read,
    never their verdicts)."""
    import csv

    docs: set[str] = set()
    arts: set[tuple[str, str]] = set()
    for f in sorted((root / "eval" / "inconsistency").glob("handcheck-*.csv")):
        with f.open(encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                docs.add(Path(r.get("document") or "").name)
                arts.add((_law_key(r.get("law") or "").removeprefix("中华人民共和国"), r.get("article") or ""))
    return docs, arts


def _conduct(text: str) -> str:
    """The act a provision is about: its text up to the first 的， (the conduct of a penalty clause),
    else up to the first comma."""
    m = re.search(r"的[，,]", text) or re.search(r"[，,；。]", text)
    return re.sub(r"\W", "", text[:m.start()] if m else text)


def _same_conduct(a: str, b: str, limit: float = 0.5) -> bool:
    """Whether two provisions' acts share more than ``limit`` of the shorter one's bigrams."""
    ga, gb = ({x[i:i + 2] for i in range(len(x) - 1)} for x in (_conduct(a), _conduct(b)))
    return bool(ga and gb) and len(ga & gb) / min(len(ga), len(gb)) > limit


def _topic_term(law: str) -> str:
    """The subject a law's title names (中华人民共和国律师法 -> 律师), or "" when too short."""
    t = _TITLE_SUFFIX_RE.sub("", law.removeprefix("中华人民共和国"))
    for tail in ("管理", "保护", "促进", "安全"):
        if len(t) > len(tail) + 1:
            t = t.removesuffix(tail)
    return t if 2 <= len(t) <= 6 else ""


class _Overlap:
    """Character-bigram overlap search over a pool of paragraphs (numpy postings; rare bigrams only)."""

    def __init__(self, texts: list[str], max_df: int = 400) -> None:
        import numpy as np

        self.np = np
        self.vocab: dict[str, int] = {}
        self.grams = [self._ids(t, add=True) for t in texts]
        df = np.zeros(len(self.vocab), dtype=np.int64)
        for g in self.grams:
            df[g] += 1
        self.ok = df <= max_df
        posting: list[list[int]] = [[] for _ in range(len(self.vocab))]
        for d, g in enumerate(self.grams):
            for b in g:
                if self.ok[b]:
                    posting[b].append(d)
        self.posting = [np.asarray(p, dtype=np.int64) for p in posting]
        self.n = len(texts)

    def _ids(self, text: str, *, add: bool = False) -> Any:
        t = re.sub(r"\W", "", text)
        out = set()
        for i in range(len(t) - 1):
            g = t[i:i + 2]
            if g not in self.vocab:
                if not add:
                    continue
                self.vocab[g] = len(self.vocab)
            out.add(self.vocab[g])
        return self.np.asarray(sorted(out), dtype=self.np.int64)

    def ranked(self, text: str, k: int = 20) -> list[tuple[int, float]]:
        """(paragraph index, share of the query's bigrams it shares) for the k best."""
        np = self.np
        q = self._ids(text)
        lists = [self.posting[b] for b in q if self.ok[b] and len(self.posting[b])]
        if not lists or not len(q):
            return []
        counts = np.bincount(np.concatenate(lists), minlength=self.n)
        top = np.argsort(-counts)[:k]
        return [(int(i), float(counts[i]) / len(q)) for i in top if counts[i] > 0]


def veto_negatives(corpus: Path, builder: Any, n: int, seed: int, exclude: set[str],
                   skip_articles: set[tuple[str, str]], mined: Path | None = None,
                   skip_docs: set[str] | None = None) -> list[tuple[str, PairExample]]:
    """``unrelated`` pairs that look like the consistency check's alignment false alarms (the clause is
    aligned to a provision with the same wording about other conduct, another law or another subject):

    * ``other_conduct``: a penalty paragraph (or its local restatement) against the most similarly
      worded *other* penalty paragraph of the same law;
    * ``mined_other_conduct``: a mined local penalty article against the most similar other penalty
      paragraph of its target law;
    * ``lookalike_law``: a paragraph against the most similar paragraph of *another* law (both laws in
      the same split; near-identical ones, which may be the same provision, are left out);
    * ``other_subject``: a paragraph naming its law's subject (律师, 校车 ...) with that subject replaced
      by another law's (the same act stated for a different body).

    Split by the superior law; paragraphs of the inconsistency benchmark and the hand-judged rows'
    superior articles and documents are left out."""
    rng = random.Random(seed + 7)
    pool = []
    for law, aid, para in paragraphs(corpus, min_chars=20, max_chars=300):
        art = aid.split("#", 1)[1].rsplit("-", 1)[0]
        if para in exclude or (law.removeprefix("中华人民共和国"), art) in skip_articles:
            continue
        pool.append((law, aid, para))
    rng.shuffle(pool)
    texts = [p[2] for p in pool]
    idx = _Overlap(texts)
    by_law: dict[str, list[int]] = {}
    for i, (law, _, _) in enumerate(pool):
        by_law.setdefault(law, []).append(i)
    pen = [i for i, t in enumerate(texts) if _PENALTY_RE.search(t)]
    pen_set = set(pen)
    out: list[tuple[str, PairExample]] = []
    quota = {"other_conduct": n * 45 // 100, "mined_other_conduct": n * 15 // 100, "lookalike_law": n * 25 // 100,
             "other_subject": n - n * 85 // 100}

    def query(text: str) -> str:
        loc = builder.local_restatement(text)
        return loc[0] if loc and rng.random() < 0.5 else text

    def best_other(text: str, law: str, *, same_law: bool, penalty: bool, not_text: str,
                   art: str = "") -> int | None:
        for j, share in idx.ranked(text, k=40):
            lj = pool[j][0]
            if texts[j] == not_text or share > 0.8 or share < 0.2 or (lj == law) != same_law:
                continue
            if (art and pool[j][1].split("#", 1)[1].rsplit("-", 1)[0] == art) or _same_conduct(text, texts[j]):
                continue  # the same article in another version, or the same act: not a false alarm's pair
            if penalty and j not in pen_set:
                continue
            if not same_law and split_of(lj) != split_of(law):
                continue
            return j
        return None

    made: Counter[str] = Counter()
    for i in pen:
        if made["other_conduct"] >= quota["other_conduct"]:
            break
        law, aid, text = pool[i]
        j = best_other(text, law, same_law=True, penalty=True, not_text=text,
                       art=aid.split("#", 1)[1].rsplit("-", 1)[0])
        if j is not None:
            out.append((split_of(law), PairExample(query(text), texts[j], "unrelated", aid, "other_conduct")))
            made["other_conduct"] += 1
    if mined is not None:
        keys = {law.removeprefix("中华人民共和国"): law for law in by_law}
        for line in mined.read_text(encoding="utf-8").splitlines():
            if made["mined_other_conduct"] >= quota["mined_other_conduct"]:
                break
            rec = json.loads(line)
            q, tlaw = rec.get("query") or "", keys.get(str(rec.get("target_law")))
            if rec.get("kind") != "restatement" or tlaw is None or len(q) > 300 or not _PENALTY_RE.search(q):
                continue
            if skip_docs and Path(str(rec["id"]).split("#")[0].split(":", 1)[-1]).name in skip_docs:
                continue
            j = best_other(q, tlaw, same_law=True, penalty=True, not_text=rec.get("positive") or "")
            if j is not None and texts[j] != rec.get("positive"):
                out.append((split_of(tlaw), PairExample(q, texts[j], "unrelated", f"mined:{rec['id']}",
                                                       "mined_other_conduct")))
                made["mined_other_conduct"] += 1
    for i in range(len(pool)):
        if made["lookalike_law"] >= quota["lookalike_law"]:
            break
        law, aid, text = pool[i]
        j = best_other(text, law, same_law=False, penalty=i in pen_set, not_text=text)
        if j is not None:
            out.append((split_of(pool[j][0]), PairExample(query(text), texts[j], "unrelated", pool[j][1],
                                                          "lookalike_law")))
            made["lookalike_law"] += 1
    terms = {law: t for law in by_law if (t := _topic_term(law))}
    all_terms = sorted(set(terms.values()))
    for i in range(len(pool)):
        if made["other_subject"] >= quota["other_subject"]:
            break
        law, aid, text = pool[i]
        topic = terms.get(law)
        if not topic or topic not in text:
            continue
        other = rng.choice(all_terms)
        if other == topic or topic in other or other in topic:
            continue
        out.append((split_of(law), PairExample(query(text).replace(topic, other), text, "unrelated", aid,
                                               f"other_subject: {topic}->{other}")))
        made["other_subject"] += 1
    print(f"veto negatives: {dict(made)} from {len(pool)} paragraphs ({len(pen)} penalty)", file=sys.stderr)
    return out


def paraphrase_pairs(corpus: Path) -> list[PairExample]:
    """The hand-written paraphrase cases as (clause, superior paragraph) pairs (evaluation only)."""
    mod = load_builder(ROOT / "eval", "paraphrase")
    if mod is None:
        return []
    corp = mod.Corpus(corpus)
    out = []
    for case in mod.load_cases():
        try:
            sup = mod.locate(corp, case)
        except Exception:  # a case the corpus cannot place is left out (verify.py reports it)
            continue
        para = int(case.get("paragraph") or 0)
        text = sup.paragraphs[para - 1] if 0 < para <= len(sup.paragraphs) else sup.text
        label = "inconsistent" if case["label"] == "changed" else "consistent"
        out.append(PairExample(case["clause"], text, label, case["id"], f"{case['label']}:{case.get('change')}"))
    return out


def rule_label(a: str, b: str) -> str:
    if coverage(a, b) < MIN_COVERAGE:
        return "unrelated"
    return "inconsistent" if any(not d.benign for d in compare(a, b)) else "consistent"


def _table(rows: list[tuple[str, dict[str, Any]]], labels: tuple[str, ...]) -> str:
    head = "| system | n | accuracy | macro-F1 | " + " | ".join(f"{lab} P / R" for lab in labels) + " |"
    out = [head, "|---|---:|---:|---:|" + "---:|" * len(labels)]
    for name, m in rows:
        pc = m["per_class"]
        out.append(f"| {name} | {m['n']} | {m['accuracy']:.3f} | {m['macro_f1']:.3f} | "
                   + " | ".join(f"{pc[lab]['precision']:.3f} / {pc[lab]['recall']:.3f}" for lab in labels) + " |")
    return "\n".join(out)


def _by_variant(pairs: list[PairExample], preds: dict[str, list[str]]) -> str:
    variants = sorted({p.note.split(":")[0] for p in pairs})
    names = list(preds)
    out = ["| variant (gold) | n | " + " | ".join(f"{n} correct" for n in names) + " |",
           "|---|---:|" + "---:|" * len(names)]
    for v in variants:
        idx = [i for i, p in enumerate(pairs) if p.note.split(":")[0] == v]
        gold = pairs[idx[0]].label
        cells = [f"{sum(preds[n][i] == pairs[i].label for i in idx) / len(idx):.3f}" for n in names]
        out.append(f"| {v} ({gold}) | {len(idx)} | " + " | ".join(cells) + " |")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--data-dir", type=Path, default=ROOT / "eval" / "build" / "pair-train")
    ap.add_argument("--out", type=Path, required=True, help="model folder (models/NAME only when you mean it)")
    ap.add_argument("--base-model", default=None, help="a local encoder folder to fine-tune")
    ap.add_argument("--mined", type=Path, default=None, help="mined pairs (scripts/mine_pairs.py) to add")
    ap.add_argument("--max-seconds", type=float, default=None, help="wall-clock training budget")
    ap.add_argument("--max-length", type=int, default=256)
    ap.add_argument("--paragraphs", type=int, default=4000)
    ap.add_argument("--max-chars", type=int, default=120, help="longest superior paragraph (characters)")
    ap.add_argument("--epochs", type=float, default=3.0)
    ap.add_argument("--hidden", type=int, default=64)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--input-format", default="diff_marked", choices=("diff_marked", "plain"))
    ap.add_argument("--eval-only", action="store_true", help="evaluate the model in --out, do not train")
    ap.add_argument("--veto-negatives", type=int, default=0,
                    help="add this many alignment-like unrelated pairs (other conduct, another law, another "
                         "subject; see veto_negatives); the hand-judged rows' documents and superior articles "
                         "are then left out of all training pairs")
    a = ap.parse_args()
    import torch

    torch.set_num_threads(a.threads)
    from normcheck.ml.pair import PairClassifier
    from normcheck.ml.training import PairTrainingArguments, train_pair

    t0 = time.perf_counter()
    builder = load_builder(ROOT / "eval", "inconsistency")
    if builder is None:
        sys.exit("the inconsistency builder (normcheck/evaluation/builders/inconsistency.py) is missing")
    bench = builder.build_records(a.corpus)
    bench_dir = a.data_dir / "benchmark"
    builder.write_splits(bench, bench_dir)
    bench_pairs = [p for v in load_pairs(bench_dir, corpus_src=a.corpus).values() for p in v]
    exclude = {p.text_b for p in bench_pairs}
    pool = paragraphs(a.corpus, min_chars=20, max_chars=a.max_chars)
    skip_docs: set[str] = set()
    if a.veto_negatives:
        skip_docs, skip_arts = judged_exclusions()
        pool = [p for p in pool
                if (p[0].removeprefix("中华人民共和国"), p[1].split("#", 1)[1].rsplit("-", 1)[0]) not in skip_arts]
    made = make_pairs(pool, builder, a.paragraphs, a.seed, exclude)
    if a.mined:
        made += mined_pairs(a.mined, builder, a.seed, skip_docs=skip_docs)
    if a.veto_negatives:
        made += veto_negatives(a.corpus, builder, a.veto_negatives, a.seed, exclude, skip_arts, a.mined, skip_docs)
    splits: dict[str, list[PairExample]] = {"train": [], "dev": [], "test": []}
    for s, p in made:
        splits[s].append(p)
    for s, v in splits.items():
        write_pairs(v, a.data_dir / f"{s}.jsonl")
    print(f"data: {len(pool)} paragraphs in the pool, {len(bench_pairs)} benchmark pairs; "
          + ", ".join(f"{s} {len(v)} ({dict(Counter(p.label for p in v))})" for s, v in splits.items())
          + f" [{time.perf_counter() - t0:.0f} s]", file=sys.stderr)

    if not a.eval_only:
        args = PairTrainingArguments(out_dir=str(a.out), epochs=a.epochs, hidden_size=a.hidden, num_layers=a.layers,
                                     num_heads=a.heads, learning_rate=a.lr, batch_size=a.batch_size, seed=a.seed,
                                     threads=a.threads, max_length=a.max_length, base_model=a.base_model,
                                     max_seconds=a.max_seconds, input_format=a.input_format,
                                     command="scripts/train_pair.py " + " ".join(sys.argv[1:]))
        res = train_pair(args, splits, progress=lambda m: print("  " + m, file=sys.stderr))
        print(f"trained: {res.steps} steps in {res.train_seconds:.0f} s, {res.n_params:,} parameters", file=sys.stderr)

    clf = PairClassifier.load(a.out)
    test = splits["test"]
    t1 = time.perf_counter()
    model_pred = [lab for lab, _ in clf.predict([(p.text_a, p.text_b) for p in test])]
    t_model = time.perf_counter() - t1
    t1 = time.perf_counter()
    rule_pred = [rule_label(p.text_a, p.text_b) for p in test]
    t_rules = time.perf_counter() - t1
    gold = [p.label for p in test]
    # hybrid: the rules' relatedness (coverage) and the model's verdict on related pairs
    hybrid = [r if r == "unrelated" else (m if m != "unrelated" else r)
              for r, m in zip(rule_pred, model_pred, strict=True)]
    rows = [("rules (coverage + compare)", classification_metrics(gold, rule_pred, LABELS)),
            ("model", classification_metrics(gold, model_pred, LABELS)),
            ("rules' coverage + model verdict", classification_metrics(gold, hybrid, LABELS))]
    rel = [i for i, g in enumerate(gold) if g != "unrelated"]
    bin_labels = ("consistent", "inconsistent")

    def _bin(pred: list[str], idx: list[int], g: list[str]) -> dict[str, Any]:
        return classification_metrics([g[i] for i in idx],
                                      ["inconsistent" if pred[i] == "inconsistent" else "consistent" for i in idx],
                                      bin_labels)

    rows_rel = [("rules compare", _bin(rule_pred, rel, gold)), ("model", _bin(model_pred, rel, gold))]
    bgold = [p.label for p in bench_pairs]
    b_model = [lab for lab, _ in clf.predict([(p.text_a, p.text_b) for p in bench_pairs])]
    b_rule = ["inconsistent" if any(not d.benign for d in compare(p.text_a, p.text_b)) else "consistent"
              for p in bench_pairs]
    allb = list(range(len(bench_pairs)))
    rows_bench = [("rules compare", _bin(b_rule, allb, bgold)), ("model", _bin(b_model, allb, bgold))]
    para = paraphrase_pairs(a.corpus)
    pgold = [p.label for p in para]
    p_model = [lab for lab, _ in clf.predict([(p.text_a, p.text_b) for p in para])]
    p_rule = ["inconsistent" if any(not d.benign for d in compare(p.text_a, p.text_b)) else "consistent"
              for p in para]
    allp = list(range(len(para)))
    rows_para = [("rules compare", _bin(p_rule, allp, pgold)), ("model", _bin(p_model, allp, pgold))]
    report = "\n".join([
        "## Held-out comparison with the rules (scripts/train_pair.py)",
        "",
        f"Test split: {len(test)} pairs whose superior laws are in no other split (split by law title hash). "
        f"Rules: `coverage < {MIN_COVERAGE}` -> unrelated, else a non-benign `checks.consistency.compare` "
        "difference -> inconsistent, else consistent. "
        f"Time on test: model {t_model:.1f} s, rules {t_rules:.1f} s (1 CPU thread).",
        "",
        _table(rows, LABELS),
        "",
        f"Related pairs only (consistent vs inconsistent, n={len(rel)}): what the consistency check decides "
        "after alignment.",
        "",
        _table(rows_rel, bin_labels),
        "",
        "Accuracy per construction variant (test split):",
        "",
        _by_variant(test, {"rules": rule_pred, "model": model_pred}),
        "",
        "Inconsistency benchmark pairs (normcheck/evaluation/builders/inconsistency.py, "
        f"dev+test, n={len(bench_pairs)}; their "
        "paragraphs are excluded from training, other paragraphs of the same laws may be in it):",
        "",
        _table(rows_bench, bin_labels),
        "",
        "Accuracy per benchmark variant:",
        "",
        _by_variant(bench_pairs, {"rules": b_rule, "model": b_model}),
        "",
        f"Hand-written paraphrase benchmark (eval/paraphrase/cases.jsonl, all splits, n={len(para)}; never used "
        "for training): faithful and control restatements -> consistent, changed -> inconsistent; the clause "
        "against its superior paragraph (the alignment taken as given).",
        "",
        _table(rows_para, bin_labels),
        "",
        _by_variant(para, {"rules": p_rule, "model": p_model}),
        "",
    ])
    print(report)
    card = a.out / "README.md"
    text = card.read_text(encoding="utf-8")
    cut = text.find("## Held-out comparison with the rules")
    card.write_text((text[:cut] if cut >= 0 else text).rstrip() + "\n\n" + report, encoding="utf-8")
    (a.out / "comparison.json").write_text(json.dumps(
        {"test": dict(rows), "test_related": dict(rows_rel), "benchmark": dict(rows_bench),
         "paraphrase": dict(rows_para),
         "seconds": {"model": round(t_model, 2), "rules": round(t_rules, 2)}},
        ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
