"""Loading Hugging Face seq2seq models through the normal cache (honours ``HF_HUB_OFFLINE``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from toolkit.errors import ModelError, ToolkitError
from toolkit.models.store import IMPORT_HINT, ModelSource, hub_error, hub_offline, resolve

# Position limits above this are "no limit" sentinels in tokenizer configs.
_NO_LIMIT = 100_000


@dataclass(frozen=True)
class LoadedModel:
    source: ModelSource
    model: Any  # a transformers PreTrainedModel, in eval mode
    tokenizer: Any
    family: str  # marian, m2m100, nllb, mbart50, bart, t5, ...
    revision: str | None
    max_input_tokens: int
    device: str


def model_family(model_type: str, tokenizer_class: str) -> str:
    """The family whose language handling a model needs, from its config and tokenizer."""
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


def require_float32(quantization: str | None) -> None:
    """The hf backend runs float32 weights only."""
    if quantization not in (None, "float32"):
        raise ToolkitError(f"the hf backend runs float32, not {quantization}", "use --backend ct2 for quantised models")


def input_limit(config: Any, tokenizer: Any) -> int:
    """The longest input a model takes, from its config and tokenizer."""
    limits = [getattr(config, "max_position_embeddings", None), getattr(tokenizer, "model_max_length", None)]
    usable = [int(n) for n in limits if n and n < _NO_LIMIT]
    return min(usable) if usable else 512


def default_device() -> str:
    from toolkit.settings import setting

    wanted = setting("device", None, "auto", str)
    if wanted != "auto":
        return wanted
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def _load(ref: str, device: str | None, auto_class: str) -> tuple[ModelSource, Any, Any, str]:
    """Tokenizer and model (``auto_class`` of transformers) for ``ref``; one clear ModelError when impossible."""
    source = resolve(ref)
    device = device or default_device()
    import transformers
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    if source.kind == "hub":
        hub_offline()  # with no connection, load from the cache at once instead of after retries
    try:
        tokenizer = transformers.AutoTokenizer.from_pretrained(source.location)
        model = getattr(transformers, auto_class).from_pretrained(source.location)
    except (OSError, ValueError, KeyError) as exc:
        if source.kind == "hub":
            raise hub_error(ref, exc) from None
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModelError(f"cannot load model '{ref}' from {source.location}: {reason}", IMPORT_HINT) from None
    return source, tokenizer, model, device


def _loaded(source: ModelSource, model: Any, tokenizer: Any, device: str) -> LoadedModel:
    model.to(device).eval()
    from toolkit.models.revision import model_revision

    # The hub commit, an imported folder's fingerprint, or a plain folder's stamp.
    revision = source.revision or getattr(model.config, "_commit_hash", None) or model_revision(source)
    family = model_family(model.config.model_type, type(tokenizer).__name__)
    return LoadedModel(source, model, tokenizer, family, revision, input_limit(model.config, tokenizer), device)


@lru_cache(maxsize=4)
def load_seq2seq(ref: str, device: str | None = None) -> LoadedModel:
    """Load a seq2seq model and its tokenizer; one clear ModelError when that is impossible."""
    source, tokenizer, model, device = _load(ref, device, "AutoModelForSeq2SeqLM")
    if not model.config.is_encoder_decoder:
        raise ModelError(f"model '{ref}' is not a sequence-to-sequence model", "pass a translation or summarisation model")
    return _loaded(source, model, tokenizer, device)


@lru_cache(maxsize=2)
def load_causal_lm(ref: str, device: str | None = None) -> LoadedModel:
    """Load a causal (decoder-only) language model and its tokenizer, as ``load_seq2seq`` does."""
    source, tokenizer, model, device = _load(ref, device, "AutoModelForCausalLM")
    if model.config.is_encoder_decoder:
        raise ModelError(f"model '{ref}' is a sequence-to-sequence model, not a causal language model",
                         "use --method abstractive for it")
    return _loaded(source, model, tokenizer, device)
