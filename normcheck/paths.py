"""Default locations: ``NORMCHECK_HOME``, the corpus index, the corpus source (spec/output.md).

- ``$NORMCHECK_HOME`` (default ``~/.cache/normcheck``) holds ``corpus.sqlite``.
- ``$NORMCHECK_CORPUS_SRC`` names the default source folder for ``normcheck corpus build``; without
  it, ``../shared/corpora/lawrefbook`` relative to the current directory is used when it exists.
"""

from __future__ import annotations

import os
from pathlib import Path

HOME_ENV = "NORMCHECK_HOME"
CORPUS_SRC_ENV = "NORMCHECK_CORPUS_SRC"
CORPUS_FILE = "corpus.sqlite"
#: Where the shared LawRefBook snapshot sits relative to a checkout (and to the current directory).
SHARED_LAWREFBOOK = Path("..") / "shared" / "corpora" / "lawrefbook"


def normcheck_home() -> Path:
    """``$NORMCHECK_HOME`` or ``~/.cache/normcheck`` (not created here)."""
    env = os.environ.get(HOME_ENV, "").strip()
    return Path(env).expanduser() if env else Path.home() / ".cache" / "normcheck"


def default_corpus_path() -> Path:
    """The corpus index used when no ``--corpus``/``--out`` is given."""
    return normcheck_home() / CORPUS_FILE


def default_corpus_sources(cwd: Path | None = None) -> list[Path]:
    """Sources for ``corpus build`` when none are named: ``$NORMCHECK_CORPUS_SRC`` (several paths
    separated by ``os.pathsep``), else the shared LawRefBook folder if it exists, else ``[]``."""
    env = os.environ.get(CORPUS_SRC_ENV, "").strip()
    if env:
        return [Path(p).expanduser() for p in env.split(os.pathsep) if p.strip()]
    shared = (cwd or Path.cwd()) / SHARED_LAWREFBOOK
    return [shared] if shared.is_dir() else []


def repo_root() -> Path:
    """The source checkout this package lives in (for the committed ``corpora/`` facts)."""
    return Path(__file__).resolve().parent.parent
