"""What the checks need from a corpus of superior laws (implemented by ``corpus.store.Corpus``).

Checks depend on this Protocol, not on SQLite, so tests can pass a small in-memory corpus.
Dates are ISO strings (YYYY-MM-DD). ``valid_to`` is exclusive.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from normcheck.types.law import Article, Law, LawVersion, Level


@dataclass(frozen=True, slots=True)
class ArticleMapping:
    """How an article of an old version maps into a newer version of the same law."""

    old_number: int
    old_suffix: int
    new_number: int | None  # None when deleted
    new_suffix: int
    status: str  # same | moved | changed | moved_changed | deleted
    similarity: float


@dataclass(frozen=True, slots=True)
class SearchHit:
    law: Law
    version: LawVersion
    article: Article
    score: float


class CorpusAPI(Protocol):
    def law(self, law_id: str) -> Law | None: ...

    def find_laws(self, name: str, *, region: str | None = None) -> list[Law]:
        """Laws whose canonical name or alias equals ``name`` (after stripping 《》 and prefixes like
        中华人民共和国). Several results mean an ambiguous short title; callers choose by region/level."""
        ...

    def suggest(self, name: str, limit: int = 5) -> list[str]:
        """Close-match canonical names for a title that was not found."""
        ...

    def versions(self, law_id: str) -> list[LawVersion]:
        """All versions of a law, oldest first."""
        ...

    def version_in_force(self, law_id: str, date: str) -> LawVersion | None:
        """The version in force on ``date`` (None if the law was not yet or no longer in force)."""
        ...

    def article(self, law_id: str, version: str, number: int, suffix: int = 0) -> Article | None: ...

    def articles(self, law_id: str, version: str) -> list[Article]: ...

    def align(self, law_id: str, old_version: str, new_version: str) -> list[ArticleMapping]: ...

    def successor(self, law_id: str) -> Law | None:
        """The law that replaced a repealed one (民法典 for 合同法), if known."""
        ...

    def superior_laws(self, kind: Level, region: str | None, date: str) -> list[Law]:
        """Laws above a document of ``kind`` in ``region`` in force on ``date`` (domain.md §2)."""
        ...

    def search(self, query: str, *, levels: list[Level] | None = None, region: str | None = None,
               as_of: str | None = None, limit: int = 20) -> list[SearchHit]: ...
