"""Tokenizer comparison (issue 12): characters + mined legal terms vs a plain BPE vocabulary, measured
by the held-out masked-token accuracy of the same tiny MLM trained for the same wall-clock budget.

Both tokenizers are trained on the same corpus lines (`normcheck.ml.text.corpus_lines`: held-out laws
unseen); each MLM (hidden 128, 2 layers, batch 32, 64 tokens) trains for ``--seconds`` on 1 CPU thread.
Per-token accuracy over different vocabularies is not the same task (a term token is harder to guess
than a character, and fewer tokens cover a line), so the table also gives characters per token.

    nice -n 19 .venv/bin/python scripts/train_tokenizer_compare.py --steps 400 [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from normcheck.paths import normcheck_home  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpora" / "lawrefbook")
    ap.add_argument("--out", type=Path, default=normcheck_home() / "models" / "tokenizer-compare")
    ap.add_argument("--seconds", type=float, default=1200.0, help="MLM wall-clock safety cap per tokenizer "
                    "(a run it stops has fewer steps: compare only runs with the same steps)")
    ap.add_argument("--steps", type=int, default=400, help="MLM steps per tokenizer (the schedule's length)")
    ap.add_argument("--vocab-size", type=int, default=8000)
    ap.add_argument("--kinds", default="terms,bpe")
    ap.add_argument("--texts", type=int, default=60000, help="training lines used")
    a = ap.parse_args()
    import torch

    torch.set_num_threads(1)
    from normcheck.ml.pretraining import EncoderTrainingArguments, train_encoder
    from normcheck.ml.text import corpus_lines
    from normcheck.ml.tokenization import mine_terms, train_tokenizer

    train, held = corpus_lines(a.corpus)
    train = train[:a.texts]
    rows = {}
    for kind in a.kinds.split(","):
        t0 = time.perf_counter()
        terms, how = mine_terms(train[:20000], top_k=2000, min_count=20) if kind == "terms" else ([], "")
        tok = train_tokenizer(train, a.out / kind / "tokenizer", kind=kind, vocab_size=a.vocab_size, terms=terms)
        t_tok = time.perf_counter() - t0
        n_chars = sum(len(t) for t in held[:2000])
        n_tok = sum(len(tok.tokenize(t)) for t in held[:2000])
        args = EncoderTrainingArguments(out_dir=str(a.out / kind / "mlm"), tokenizer=str(a.out / kind / "tokenizer"),
                                        max_length=64, max_steps=a.steps, max_seconds=a.seconds, save_steps=0,
                                        threads=1, seed=0, eval_texts=2000,
                                        command=" ".join(["scripts/train_tokenizer_compare.py", *sys.argv[1:]]))
        res = train_encoder(args, train, held, progress=lambda m: print("  " + m, file=sys.stderr))
        m = res.metrics["heldout"]
        rows[kind] = {"vocab": len(tok), "terms": len(terms), "terms_from": how, "tokenizer_seconds": round(t_tok, 1),
                      "chars_per_token": round(n_chars / max(1, n_tok), 3), "steps": res.steps,
                      "train_seconds": res.train_seconds, **m}
        print(kind, json.dumps(rows[kind], ensure_ascii=False), file=sys.stderr)
    a.out.mkdir(parents=True, exist_ok=True)
    if (a.out / "comparison.json").is_file():  # kinds measured by an earlier run (--kinds one at a time)
        rows = {**json.loads((a.out / "comparison.json").read_text(encoding="utf-8")), **rows}
    (a.out / "comparison.json").write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print("| tokenizer | vocab | chars/token | MLM steps | held-out masked-token acc | loss |")
    print("|---|---:|---:|---:|---:|---:|")
    for k, r in rows.items():
        print(f"| {k} | {r['vocab']} | {r['chars_per_token']} | {r['steps']} | {r['masked_accuracy']} | {r['loss']} |")


if __name__ == "__main__":
    main()
