"""Models trained from our own corpus: a character vocabulary (``tokenization``), a tiny BERT-style
pair classifier (``configuration``, ``modeling``: consistent / inconsistent / unrelated), its
training loop (``training``), datasets (``data``), safe loading (``load``) and ``pair.PairClassifier``.

torch, transformers and safetensors come with the ``[ml]`` extra (``pip install 'normcheck[ml]'``) and are
imported lazily, inside the functions that need them, so that importing any module here is cheap and
works without them; :func:`require_ml` turns their absence into a coded error (E303).
"""

from __future__ import annotations

import importlib.util

from normcheck.errors import Code, NormcheckError

#: What the ``[ml]`` extra installs that model code imports (module names).
ML_MODULES = ("torch", "transformers", "safetensors")


def require_ml(what: str = "this") -> None:
    """Raise ``NormcheckError`` E303 naming the extra when torch/transformers/safetensors are missing."""
    missing = []
    for name in ML_MODULES:
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):  # a module set to None in sys.modules, or a broken install
            found = False
        if not found:
            missing.append(name)
    if missing:
        raise NormcheckError(Code.EXTRA_MISSING, f"{what} needs the [ml] extra ({', '.join(missing)} not "
                             "installed); install it with: pip install 'normcheck[ml]' (torch==2.13.0, CPU)")
