"""Loading summarisation models (until the shared loader lands on main)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from toolkit.errors import ModelError

_NO_LIMIT = 100_000


@dataclass(frozen=True)
class LoadedModel:
    model: Any
    tokenizer: Any
    family: str
    revision: str | None
    max_input_tokens: int
    device: str


def _input_limit(model: Any, tokenizer: Any) -> int:
    limits = [getattr(model.config, "max_position_embeddings", None), getattr(tokenizer, "model_max_length", None)]
    usable = [int(n) for n in limits if n and n < _NO_LIMIT]
    return min(usable) if usable else 512


@lru_cache(maxsize=4)
def load_seq2seq(ref: str) -> LoadedModel:
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        tokenizer = AutoTokenizer.from_pretrained(ref)
        model = AutoModelForSeq2SeqLM.from_pretrained(ref)
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"cannot load model '{ref}': {str(exc).strip().splitlines()[0]}") from None
    model.eval()
    family = model.config.model_type.replace("m2m_100", "m2m100")
    return LoadedModel(model, tokenizer, family, getattr(model.config, "_commit_hash", None), _input_limit(model, tokenizer), "cpu")


@lru_cache(maxsize=2)
def load_causal_lm(ref: str) -> LoadedModel:
    """A causal language model and its tokenizer; one clear ModelError when that is impossible."""
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        tokenizer = AutoTokenizer.from_pretrained(ref)
        model = AutoModelForCausalLM.from_pretrained(ref)
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"cannot load model '{ref}': {str(exc).strip().splitlines()[0]}") from None
    if model.config.is_encoder_decoder:
        raise ModelError(f"model '{ref}' is a sequence-to-sequence model", "use --method abstractive for it")
    model.eval()
    return LoadedModel(model, tokenizer, model.config.model_type, getattr(model.config, "_commit_hash", None),
                       _input_limit(model, tokenizer), "cpu")
