"""Coded errors. Every error normcheck reports carries a code, a cause and a fix.

The library raises :class:`NormcheckError` (or a subclass) for bad *input* and ``ValueError`` for
misuse of the API (with the valid options listed). The CLI turns both into messages, never a
traceback. Codes are stable: tools match on them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Code(str, Enum):
    """Stable error codes. Add new ones at the end of their group; never renumber."""

    # input files (E0xx)
    FILE_NOT_FOUND = "E001"
    EMPTY_FILE = "E002"
    UNDECODABLE = "E003"
    TOO_LARGE = "E004"
    BAD_DOCX = "E005"
    ZIP_BOMB = "E006"
    UNSUPPORTED_TYPE = "E007"
    BINARY_FILE = "E008"
    READ_FAILED = "E009"
    # corpus (E1xx)
    CORPUS_MISSING = "E101"
    CORPUS_CORRUPT = "E102"
    CORPUS_SOURCE_MISSING = "E103"
    CORPUS_SOURCE_BAD = "E104"
    LAW_NOT_FOUND = "E105"
    # arguments and manifests (E2xx)
    BAD_KIND = "E201"
    BAD_DATE = "E202"
    BAD_MANIFEST = "E203"
    BAD_DATASET = "E204"
    # models (E3xx)
    MODEL_MISSING = "E301"
    MODEL_UNSAFE = "E302"
    # internal (E9xx): a bug in normcheck; the document is reported, the batch goes on
    BAD_DATA = "E901"  # a packaged or user-supplied data table (authority rules, signals) is invalid
    INTERNAL = "E999"


class NormcheckError(Exception):
    """An error with a stable code, a message saying cause and fix, and the file it concerns."""

    def __init__(self, code: Code, message: str, path: str | None = None) -> None:
        self.code = code
        self.message = message
        self.path = path
        where = f" ({path})" if path else ""
        super().__init__(f"[{code.value}] {message}{where}")

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code.value, "message": str(self).split("] ", 1)[1]}


class InputError(NormcheckError):
    """A document could not be read: the batch reports it and goes on."""


class CorpusError(NormcheckError):
    """The corpus index or a law source is missing or broken."""


@dataclass(frozen=True, slots=True)
class Warning_:
    """A non-fatal problem met while processing (kept on the Document, never printed)."""

    code: str
    message: str
    start: int | None = None
    end: int | None = None
