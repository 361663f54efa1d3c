"""Build the corpus index (``build.build_corpus``): discovery (``sources``), parsing one law file
(``parse``), laws and versions (``laws``), the build transaction (``build``)."""

from normcheck.corpus.ingest.build import build_corpus
from normcheck.corpus.ingest.parse import split_articles
from normcheck.corpus.ingest.sources import (
    DEFAULT_FTS,
    DUPLICATE_VERSION,
    NO_ARTICLES,
    NO_METADATA,
    BuildIssue,
    BuildReport,
)

__all__ = ["DEFAULT_FTS", "DUPLICATE_VERSION", "NO_ARTICLES", "NO_METADATA", "BuildIssue", "BuildReport",
           "build_corpus", "split_articles"]
