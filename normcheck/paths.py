"""Default locations: ``NORMCHECK_HOME``, the corpus index, the corpus source (spec/output.md), and the
data files shipped inside the package.

- ``$NORMCHECK_HOME`` (default ``~/.cache/normcheck``) holds ``corpus.sqlite``.
- ``$NORMCHECK_CORPUS_SRC`` names the default source folder for ``normcheck corpus build``; without
  it, ``../shared/corpora/lawrefbook`` relative to the current directory is used when it exists.
- :func:`data_file` names a file of ``normcheck/data/`` (the registry, the sample draft, the knowledge
  tables): it is part of the package, so an installed wheel works outside the repository.
- :func:`source_checkout` is the repository this package is imported from, when it is one (an editable
  install or a test run); nothing needs it to run, it only adds what a checkout has beside the package
  (``eval/<suite>/build.py`` suites not yet moved into the package).
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


def data_file(name: str) -> Path:
    """A data file shipped with the package (``normcheck/data/<name>``); it may not exist."""
    return Path(__file__).resolve().parent / "data" / name


def source_checkout() -> Path | None:
    """The repository checkout the package is imported from, or None for an installed wheel.

    A checkout is recognised by a ``pyproject.toml`` naming normcheck beside the package folder.
    """
    root = Path(__file__).resolve().parent.parent
    pyproject = root / "pyproject.toml"
    try:
        if pyproject.is_file() and 'name = "normcheck"' in pyproject.read_text(encoding="utf-8"):
            return root
    except OSError:
        pass
    return None
