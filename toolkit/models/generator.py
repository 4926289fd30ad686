"""Decoder-only (causal) language models on CTranslate2: converted once like the seq2seq models
(same cache, keyed by model id, revision and quantisation), loaded as a ``ctranslate2.Generator``.

The families ctranslate2 converts to a generator are listed in ``toolkit.models.families`` (Llama, which
covers SmolLM2, Mistral, Qwen, Gemma, Phi, Falcon, GPT-2 and more). Decoding mirrors transformers'
greedy search; penalties look at the generated tokens only, never at the prompt.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

from toolkit.errors import ModelError
from toolkit.models.ct2 import CT2Plan, convert
from toolkit.models.families import GENERATOR_FAMILIES, local_model_files
from toolkit.models.store import ModelSource
from toolkit.provenance import DecodingSettings


@dataclass(frozen=True)
class GeneratedText:
    """One answer: its token ids (without the end token) and whether an end token stopped it."""

    ids: list[int]
    ended: bool


@dataclass(frozen=True)
class LoadedGenerator:
    """A causal LM loaded as a ``ctranslate2.Generator`` with its tokenizer."""

    source: ModelSource
    generator: Any  # ctranslate2.Generator
    tokenizer: Any
    family: str
    revision: str
    max_input_tokens: int
    device: str
    quantization: str
    end_ids: tuple[int, ...]
    folder: Path

    def generate(self, prompt_ids: Sequence[int], decoding: DecodingSettings, min_new_tokens: int,
                 max_new_tokens: int) -> GeneratedText:
        """Continue one tokenised prompt: the prompt is forwarded at once, then decoded as
        transformers ``generate`` does (same bounds, penalties on the generated tokens)."""
        tokens = self.tokenizer.convert_ids_to_tokens(list(prompt_ids))
        result = self.generator.generate_batch(
            [tokens],
            beam_size=decoding.beams,
            length_penalty=decoding.length_penalty,
            repetition_penalty=decoding.repetition_penalty,
            no_repeat_ngram_size=decoding.no_repeat_ngram_size,
            end_token=list(self.end_ids),
            return_end_token=True,
            max_length=max(1, max_new_tokens),
            min_length=min_new_tokens,
            include_prompt_in_result=False,
        )[0]
        ids = list(result.sequences_ids[0])
        ended = bool(ids) and ids[-1] in self.end_ids
        return GeneratedText(ids[:-1] if ended else ids, ended)


def is_causal_lm(ref: str) -> bool:
    """The model's local files say it is a decoder-only language model."""
    files = local_model_files(ref)
    return bool(files and files.causal)


def end_token_ids(info) -> tuple[int, ...]:
    """The ids that end an answer, as transformers reads them (generation config, then model config)."""
    eos = info.generation_value("eos_token_id")
    return tuple(eos if isinstance(eos, list) else [] if eos is None else [eos])


def check_generator(info) -> None:
    """Refuse a model ctranslate2 cannot run as a generator (not a causal LM, or another family)."""
    if not info.causal or not info.entry.runs_on_ct2(info.family):
        raise ModelError(f"ctranslate2 cannot run '{info.source.ref}' as a generator (a {info.family} model)",
                         f"use the hf backend, or a causal LM of a family it converts: {', '.join(GENERATOR_FAMILIES[:6])}...")


@lru_cache(maxsize=2)
def load_generator(ref: str, plan: CT2Plan) -> LoadedGenerator:
    """Convert (first time) and load a causal LM as a ``ctranslate2.Generator`` as ``plan`` says."""
    from toolkit.models.backends import model_info, model_tokenizer

    info = model_info(ref)
    check_generator(info)
    folder = convert(ref, plan.compute_type)
    tokenizer = model_tokenizer(info.folder, info.family, info.revision)
    generator = plan.load("Generator", folder, ref)
    return LoadedGenerator(info.source, generator, tokenizer, info.family, info.revision, info.max_input_tokens,
                           plan.device, plan.compute_type, end_token_ids(info) or (tokenizer.eos_token_id,), folder)
