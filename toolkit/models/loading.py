"""Loading Hugging Face causal language models through the normal cache (honours ``HF_HUB_OFFLINE``).

Seq2seq models (translation, abstractive summaries) load through ``toolkit.models.backends``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from toolkit.errors import ModelError
from toolkit.models.backends import ModelInfo, model_info
from toolkit.models.store import IMPORT_HINT, ModelSource, hub_error


@dataclass(frozen=True)
class LoadedModel:
    """A transformers causal LM (``model``, in eval mode) with its transformers tokenizer."""

    source: ModelSource
    model: Any  # a transformers PreTrainedModel
    tokenizer: Any  # a transformers tokenizer (chat templates)
    family: str
    revision: str | None
    max_input_tokens: int
    device: str


@lru_cache(maxsize=2)
def load_causal_lm(ref: str, device: str | None = None) -> LoadedModel:
    """Load a causal (decoder-only) language model and its tokenizer; one clear ModelError when impossible."""
    from toolkit.models.backends.hf import default_device

    info: ModelInfo = model_info(ref)
    if info.is_encoder_decoder:
        raise ModelError(f"model '{ref}' is a sequence-to-sequence model, not a causal language model",
                         "use the abstractive «method» for it")
    device = default_device(device)
    import transformers
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        tokenizer = transformers.AutoTokenizer.from_pretrained(str(info.folder))
        model = transformers.AutoModelForCausalLM.from_pretrained(str(info.folder))
    except (OSError, ValueError, KeyError) as exc:
        if info.source.kind == "hub":
            raise hub_error(ref, exc) from None
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModelError(f"cannot load model '{ref}' from {info.folder}: {reason}", IMPORT_HINT) from None
    model.to(device).eval()
    return LoadedModel(info.source, model, tokenizer, info.family, info.revision, info.max_input_tokens, device)
