"""Model families: the one reader of a model's ``config.json`` and ``tokenizer_config.json``, and
the family they declare."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from toolkit.errors import ModelError
from toolkit.models.store import read_model_json, resolve


def model_family(model_type: str, tokenizer_class: str) -> str:
    """The family whose language handling a model needs, from its config and tokenizer class."""
    name = tokenizer_class.lower()
    if "nllb" in name:
        return "nllb"
    if model_type == "mbart" and "50" in name:
        return "mbart50"
    if model_type == "m2m_100":
        return "m2m100"
    if model_type in ("t5", "mt5", "umt5"):
        return "t5"
    return model_type


@dataclass(frozen=True)
class ModelFiles:
    """What a model folder's config files say, read without heavy imports."""

    family: str
    causal: bool  # a decoder-only language model
    config: dict = field(compare=False, repr=False)
    tokenizer_config: dict = field(compare=False, repr=False)

    @property
    def model_type(self) -> str:
        return self.config.get("model_type", "")


def read_model_files(folder: Path, ref: str | None = None) -> ModelFiles:
    """The one reader of a model folder's ``config.json`` (absent: empty) and ``tokenizer_config.json``."""
    config = read_model_json(folder / "config.json", ref)
    tokenizer_config = read_model_json(folder / "tokenizer_config.json", ref)
    tokenizer_class = tokenizer_config.get("tokenizer_class") or config.get("tokenizer_class") or ""
    architectures = config.get("architectures") or []
    causal = not config.get("is_encoder_decoder", False) and any(a.endswith("ForCausalLM") for a in architectures)
    return ModelFiles(model_family(config.get("model_type", ""), tokenizer_class), causal, config, tokenizer_config)


def local_model_files(ref: str) -> ModelFiles | None:
    """``read_model_files`` for a model already on this machine; None for one that is not (nothing is
    downloaded) or whose folder has no config.json."""
    from toolkit.models.revision import local_folder

    try:
        folder = local_folder(resolve(ref))
    except ModelError:
        return None
    if folder is None or not (folder / "config.json").is_file():
        return None
    return read_model_files(folder, ref)
