"""Load a model folder by path: safetensors only, never the hub."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from normcheck.errors import Code, NormcheckError

_UNSAFE_SUFFIXES = (".bin", ".pt", ".pth", ".pkl", ".pickle", ".ckpt")


def check_model_dir(path: str | Path) -> Path:
    """The folder, once it is known to hold ``config.json`` and safetensors weights and no pickle
    weights; :class:`NormcheckError` E301 (missing) or E302 (unsafe) otherwise."""
    p = Path(path)
    if not p.is_dir() or not (p / "config.json").is_file():
        raise NormcheckError(Code.MODEL_MISSING, "no model folder with a config.json here; train one with "
                             "`normcheck train pair --data DATASET --out DIR` or pass the folder's path", str(p))
    unsafe = sorted(f.name for f in p.iterdir() if f.name.endswith(_UNSAFE_SUFFIXES))
    if unsafe:
        raise NormcheckError(Code.MODEL_UNSAFE, f"the folder holds pickle weights ({', '.join(unsafe)}), which can "
                             "run code when loaded; convert them to safetensors and remove them", str(p))
    if not any(f.name.endswith(".safetensors") for f in p.iterdir()):
        raise NormcheckError(Code.MODEL_MISSING, "the folder has no .safetensors weights; save the model with "
                             "save_pretrained(..., safe_serialization=True)", str(p))
    return p


def load_model_dir(path: str | Path) -> tuple[Any, Any]:
    """(model in eval mode, tokenizer) from a local folder; offline, safetensors only; E303 without ``[ml]``."""
    from normcheck.ml import require_ml

    require_ml("loading a model")
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from normcheck.ml.tokenization import VOCAB_FILE, char_tokenizer

    p = check_model_dir(path)
    try:
        model = AutoModelForSequenceClassification.from_pretrained(str(p), local_files_only=True,
                                                                   use_safetensors=True)
        if (p / "tokenizer.json").is_file() or (p / "tokenizer_config.json").is_file():
            tok = AutoTokenizer.from_pretrained(str(p), local_files_only=True)
        elif (p / VOCAB_FILE).is_file():
            tok = char_tokenizer(p / VOCAB_FILE, max_length=int(model.config.max_position_embeddings))
        else:
            raise NormcheckError(Code.MODEL_MISSING, "the folder has no tokenizer (vocab.txt or tokenizer.json)",
                                 str(p))
    except NormcheckError:
        raise
    except (OSError, ValueError) as e:
        raise NormcheckError(Code.MODEL_MISSING, f"the model folder could not be loaded: {e}", str(p)) from e
    model.eval()
    return model, tok
