"""The reviewer's workbench and REST API (issue 18): ``normcheck serve``.

The top floor (docs/architecture.md): it uses every stage below and nothing imports it.

- :mod:`normcheck.serve.store` — decisions are data: one SQLite file (WAL, ``synchronous=FULL``) holding
  the documents, their results and every reviewer decision with who/when and the normcheck version and
  model that produced the finding; exports the eval dataset, the predictions and training pairs. Plain
  ``sqlite3``: importing it needs no web framework (``normcheck eval --from-workbench`` uses it).
- :mod:`normcheck.serve.outcomes` — decisions → labels, precision by type, the accepted-only Result for
  the 审查意见.
- :mod:`normcheck.serve.app` — the FastAPI application (needs the ``[serve]`` extra), pages rendered
  server-side by Jinja2 with autoescaping and a Content-Security-Policy.
"""
