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
    NOT_REGULAR_FILE = "E010"  # a FIFO, a device, a socket (or a link to one): never opened
    TIME_BUDGET = "E011"  # the document ran past the per-document time budget and was stopped
    SIZE_BUDGET = "E012"  # the document's text is over the per-document size budget
    ENCRYPTED_DOCX = "E013"  # a password-protected Word file (an OLE container holding EncryptedPackage)
    # reading warnings (W0xx): kept on the Document, never raised
    TRADITIONAL_SCRIPT = "W001"  # traditional characters read as simplified for analysis (offsets unchanged)
    # corpus (E1xx)
    CORPUS_MISSING = "E101"
    CORPUS_CORRUPT = "E102"
    CORPUS_SOURCE_MISSING = "E103"
    CORPUS_SOURCE_BAD = "E104"
    LAW_NOT_FOUND = "E105"
    CORPUS_LOCKED = "E106"  # another process (a `corpus build`) holds the index's write lock
    # corpus coverage warnings (W12x): notes on a result, never raised (normcheck.corpus.coverage)
    COVERAGE_AS_OF = "W120"  # the as-of date is after the snapshot of the source holding the cited law
    COVERAGE_VERSION = "W121"  # the document's date is before the cited law's earliest version in the index
    # model warnings (W13x): notes on a result, never raised (normcheck.ml.plug)
    MODEL_FALLBACK = "W130"  # a model asked for (models=, --model-dir) could not be used: the rules decided
    # arguments and manifests (E2xx)
    BAD_KIND = "E201"
    BAD_DATE = "E202"
    BAD_MANIFEST = "E203"
    BAD_DATASET = "E204"
    BAD_SETTING = "E205"  # an environment setting (NORMCHECK_MAX_BYTES, ...) or option value is invalid
    # output (E4xx)
    OUTPUT_UNWRITABLE = "E401"
    OUTPUT_IS_DIR = "E402"
    DISK_FULL = "E403"
    OUTPUT_LOCKED = "E404"  # another run is writing the same --out
    OUTPUT_CONFLICT = "E405"  # the output cannot hold what was asked (one .docx for several documents)
    # models (E3xx)
    MODEL_MISSING = "E301"
    MODEL_UNSAFE = "E302"
    EXTRA_MISSING = "E303"  # an optional dependency group (pip extra) is not installed: [ml] for models
    # internal (E9xx): a bug in normcheck; the document is reported, the batch goes on
    BAD_DATA = "E901"  # a packaged or user-supplied data table (authority rules, signals) is invalid
    WORKER_DIED = "E998"  # the worker process checking the document died (killed, out of memory, crashed)
    INTERNAL = "E999"


#: For each code: (cause, fix), the text docs/reliability.md lists and tools may show.
EXPLAIN: dict[Code, tuple[str, str]] = {
    Code.FILE_NOT_FOUND: ("the path does not exist", "check the path"),
    Code.EMPTY_FILE: ("the file is empty or only whitespace", "give the document's text"),
    Code.UNDECODABLE: ("the bytes are not UTF-8, GB18030/GBK or UTF-16", "save the file as UTF-8"),
    Code.TOO_LARGE: ("the file is over NORMCHECK_MAX_BYTES (default 20 MB)", "split it, or raise the limit"),
    Code.BAD_DOCX: ("not a valid .docx package", "open it in Word and save as .docx"),
    Code.ZIP_BOMB: (".docx members unpack far beyond the size limit", "refused; re-save the document"),
    Code.UNSUPPORTED_TYPE: ("a format normcheck does not read (.doc, .pdf, .wps, .docm, ...)",
                            "save it as .docx or .txt"),
    Code.BINARY_FILE: ("binary data (PDF, image, program, NUL bytes)", "give a .txt, .md or .docx"),
    Code.READ_FAILED: ("the operating system refused the read (permissions, I/O error)",
                       "check the file's permissions"),
    Code.NOT_REGULAR_FILE: ("a FIFO, device or socket (or a link to one): reading it could hang forever",
                            "give a regular file"),
    Code.TIME_BUDGET: ("the document ran past the per-document time budget",
                       "raise --timeout / NORMCHECK_DOC_TIMEOUT, or split the document"),
    Code.SIZE_BUDGET: ("the document's text is over the per-document size budget",
                       "raise NORMCHECK_MAX_BYTES, or split the document"),
    Code.ENCRYPTED_DOCX: ("a password-protected Word file", "remove the password in Word and save again"),
    Code.TRADITIONAL_SCRIPT: ("the text is in traditional characters (Hong Kong, Macao, Taiwan texts, old scans)",
                              "none needed: it was analysed as simplified; quotes and offsets keep the original"),
    Code.CORPUS_MISSING: ("no corpus index at the path", "run `normcheck corpus build`"),
    Code.CORPUS_CORRUPT: ("the index is not a readable normcheck index of this schema",
                          "run `normcheck corpus build` again"),
    Code.CORPUS_LOCKED: ("another process holds the index's write lock (a `corpus build` running?)",
                         "wait for it to finish, then run again"),
    Code.COVERAGE_AS_OF: ("the corpus is a snapshot older than the check's as-of date: the cited law may have a "
                          "newer version the index lacks, so a clean result is not proof",
                          "add the newer law file as a plain folder with a manifest and rebuild (README)"),
    Code.COVERAGE_VERSION: ("the document is older than the cited law's earliest version in the index: the "
                            "version it cites is missing and the citation was read in a later text",
                            "add the older version as a plain folder with a manifest and rebuild (README)"),
    Code.MODEL_FALLBACK: ("a model asked for with models= / --model-dir / NORMCHECK_MODELS is missing, corrupt, "
                          "not a safetensors folder, of the wrong task, or the [ml] extra is not installed: the "
                          "check ran on the rules alone",
                          "pass a folder written by `normcheck train` (config.json + model.safetensors + "
                          "tokenizer), or install the extra: pip install 'normcheck[ml]'"),
    Code.BAD_SETTING: ("an environment setting or option has an invalid value", "fix the value named"),
    Code.OUTPUT_UNWRITABLE: ("the output path cannot be written (permissions, read-only, missing folder)",
                             "choose a writable --out"),
    Code.OUTPUT_IS_DIR: ("--out names a folder where a file is needed", "give a file name"),
    Code.DISK_FULL: ("no space left on the output's file system",
                     "free space, then run again with --resume (nothing checked is lost)"),
    Code.OUTPUT_LOCKED: ("another normcheck run is writing the same --out", "wait for it, or choose another --out"),
    Code.OUTPUT_CONFLICT: ("the output cannot hold what was asked", "follow the message (e.g. give a folder)"),
    Code.WORKER_DIED: ("the worker process died while checking the document (out of memory, killed)",
                       "run it alone; report it if it repeats"),
}


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
