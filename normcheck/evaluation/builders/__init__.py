"""The benchmark builders that ship with normcheck, one module per suite (interface in ``eval/README.md``).

Each module defines ``SUITE``, ``DESCRIPTION``, ``LABEL_TYPES``, ``SEED`` (optional ``MAX_DOCS``) and
``build(corpus_root, out_dir) -> {"dev": path, "test": path}``. The splits are fixed: a record's split is
a hash of its id (:func:`normcheck.evaluation.dataset.split_of`), and every sample is drawn with ``SEED``,
so the same corpus gives byte-identical files. Labels and notes stay in ``eval/<suite>/``.
"""
