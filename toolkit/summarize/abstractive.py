"""Abstractive summaries with seq2seq models (BART, PEGASUS, T5/mT5) on any backend
(``toolkit.models.backends``: transformers, or CTranslate2 for BART and T5): same tokenizer,
prompts, decoding settings and length bounds."""

from __future__ import annotations

from functools import partial
from typing import Sequence

from toolkit.errors import ModelError
from toolkit.models.backends import GenerationRequest
from toolkit.provenance import DecodingSettings, ModelProvenance
from toolkit.summarize.base import Summary, SummaryLength
from toolkit.summarize.model import model_summary
from toolkit.templates import Template, parse_template

DECODING = DecodingSettings(beams=4, length_penalty=1.0, no_repeat_ngram_size=3)
BATCH_SIZE = 4


class Seq2SeqSummarizer:
    """A seq2seq summarisation model on a backend (hf or ct2); T5-family prompts come from the
    model's own config or ``prompt``. The weights load at the first summary."""

    method = "abstractive"

    def __init__(self, ref: str, prompt: Template | None = None, decoding: DecodingSettings = DECODING,
                 quantization: str | None = None, backend: str = "hf"):
        from toolkit.models.backends import model_info, open_seq2seq

        _refuse_translation_model(ref, model_info(ref).family)  # before converting or loading it
        self.model = open_seq2seq(ref, backend, quantization=quantization)
        info = self.model.info
        self.tokenizer = self.model.tokenizer
        self.max_input_tokens = info.max_input_tokens
        self.template = prompt or _config_prefix(info.config)
        if self.template is not None:
            self.template.check("summarize")
        self.decoding = decoding
        self.provenance = ModelProvenance(info.source.ref, info.revision, backend, info.family, decoding,
                                          self.model.quantization, self.model.device)
        # As transformers does: the model's forced first token (BART's <s>) and forced end token.
        self._forced_bos = info.generation_value("forced_bos_token_id")
        self._forced_eos = info.generation_value("forced_eos_token_id") is not None

    @property
    def backend(self) -> str:
        return self.model.backend

    def count_prompts(self, prompts: Sequence[str]) -> list[int]:
        return [len(ids) for ids in self.tokenizer.encode(list(prompts))]

    def generate_prompts(self, prompts: Sequence[str], min_new_tokens: int, max_new_tokens: int) -> list[str]:
        request = GenerationRequest(self.decoding, max_new_tokens, min_new_tokens, self._forced_bos, self._forced_eos)
        out: list[str] = []
        for start in range(0, len(prompts), BATCH_SIZE):  # prompts are already fitted to the model's limit
            generated = self.model.generate(self.tokenizer.encode(list(prompts[start:start + BATCH_SIZE])), request)
            out.extend(t.strip() for t in self.tokenizer.decode([g.ids for g in generated]))
        return out

    def summarize(self, text: str, lang: str, length: SummaryLength) -> Summary:
        return model_summary(self, text, lang, length)


# backend name -> summariser class (one class; the backend is a parameter)
SUMMARIZERS = {name: partial(Seq2SeqSummarizer, backend=name) for name in ("hf", "ct2")}


def _refuse_translation_model(ref: str, family: str | None) -> None:
    from toolkit.models.families import family_named

    if family is not None and family_named(family).translation:  # it can generate, but not summarise
        raise ModelError(
            f"model '{ref}' is a translation model ({family}) and cannot summarise",
            "pass a summarisation model such as sshleifer/distilbart-cnn-12-6, or use the extractive «method»",
        )


def _config_prefix(config: dict) -> Template | None:
    """The summarisation prefix a model's config declares (T5: ``summarize: ``), as a template."""
    params = config.get("task_specific_params") or {}
    prefix = (params.get("summarization") or {}).get("prefix")
    if not prefix:
        return None
    escaped = prefix.replace("{", "{{").replace("}", "}}")
    return parse_template("model config prefix", escaped + "{text}")
