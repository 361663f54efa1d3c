"""Models trained from our own corpus: a character vocabulary (``tokenization``), a tiny BERT-style
pair classifier (``configuration``, ``modeling``: consistent / inconsistent / unrelated), its
training loop (``training``), datasets (``data``), safe loading (``load``) and ``pair.PairClassifier``.
Heavy imports (torch, transformers) happen in the submodules only."""
