"""Abstractive summaries with seq2seq models (BART, PEGASUS, T5/mT5) on Hugging Face transformers
or, for BART and T5, CTranslate2: same tokenizer, prompts, decoding settings and length bounds."""

from __future__ import annotations

from typing import Any, Sequence

from toolkit.errors import ModelError
from toolkit.provenance import DecodingSettings, ModelProvenance
from toolkit.summarize.base import Summary, SummaryLength
from toolkit.summarize.model import generation_config, model_summary
from toolkit.templates import Template, parse_template

# Families of translation-only models: they can generate, but not summarise.
TRANSLATION_FAMILIES = {"marian", "m2m100", "nllb", "mbart50", "fsmt"}
DECODING = DecodingSettings(beams=4, length_penalty=1.0, no_repeat_ngram_size=3)
BATCH_SIZE = 4


class Seq2SeqSummarizer:
    """A seq2seq summarisation model on transformers; T5-family prompts come from the model's own
    config or ``prompt``."""

    method = "abstractive"
    backend = "hf"

    def __init__(self, ref: str, prompt: Template | None = None, decoding: DecodingSettings = DECODING,
                 quantization: str | None = None):
        self.loaded, config, quantization = self._load(ref, quantization)
        _refuse_translation_model(ref, self.loaded.family)
        self.tokenizer = self.loaded.tokenizer
        self.max_input_tokens = self.loaded.max_input_tokens
        self.template = prompt or _config_prefix(config)
        if self.template is not None:
            self.template.check("summarize")
        self.decoding = decoding
        self.provenance = ModelProvenance(self.loaded.source.ref, self.loaded.revision, self.backend, self.loaded.family,
                                          decoding, quantization, self.loaded.device)

    def _load(self, ref: str, quantization: str | None):
        """(LoadedModel, the model's transformers config, the quantisation used)."""
        from toolkit.models.loading import load_seq2seq, require_float32

        require_float32(quantization)
        loaded = load_seq2seq(ref)
        return loaded, loaded.model.config, None

    def count_prompts(self, prompts: Sequence[str]) -> list[int]:
        # verbose=False: no "indexing errors" warning for a text over the limit, which is counted to be chunked.
        return [len(ids) for ids in self.tokenizer(list(prompts), verbose=False)["input_ids"]]

    def generate_prompts(self, prompts: Sequence[str], min_new_tokens: int, max_new_tokens: int) -> list[str]:
        import torch

        model = self.loaded.model
        config = generation_config(model, self.decoding, min_new_tokens, max_new_tokens)
        out: list[str] = []
        for start in range(0, len(prompts), BATCH_SIZE):
            batch = list(prompts[start:start + BATCH_SIZE])
            inputs = self.tokenizer(batch, return_tensors="pt", padding=True).to(self.loaded.device)
            with torch.inference_mode():
                ids = model.generate(**inputs, generation_config=config)
            out.extend(t.strip() for t in self.tokenizer.batch_decode(ids, skip_special_tokens=True))
        return out

    def summarize(self, text: str, lang: str, length: SummaryLength) -> Summary:
        return model_summary(self, text, lang, length)


class CT2Seq2SeqSummarizer(Seq2SeqSummarizer):
    """The same summariser with decoding in ``ctranslate2.Translator.translate_batch`` (BART, T5)."""

    backend = "ct2"

    def _load(self, ref: str, quantization: str | None):
        from transformers import AutoConfig, GenerationConfig

        from toolkit.models.ct2 import folder_family, load_ct2
        from toolkit.models.revision import local_folder

        _refuse_translation_model(ref, folder_family(ref))  # before converting it
        model = load_ct2(ref, quantization)
        folder = local_folder(model.loaded.source)
        config = AutoConfig.from_pretrained(folder)
        try:
            generation = GenerationConfig.from_pretrained(folder)
        except OSError:  # no generation_config.json: transformers takes it from the model config
            generation = GenerationConfig.from_model_config(config)
        tokenizer = model.loaded.tokenizer
        # As transformers does: a forced first token (BART's <s>) is a target prefix here; a forced
        # end token takes the last allowed position there, and ct2 does not return the end token.
        forced = generation.forced_bos_token_id
        self._prefix = None if forced is None else [tokenizer.convert_ids_to_tokens(forced)]
        self._forced_end = generation.forced_eos_token_id is not None
        self._ct2 = model
        return model.loaded, config, model.quantization

    def generate_prompts(self, prompts: Sequence[str], min_new_tokens: int, max_new_tokens: int) -> list[str]:
        if not prompts:
            return []
        tokenizer = self.tokenizer
        source = [tokenizer.convert_ids_to_tokens(ids) for ids in tokenizer(list(prompts))["input_ids"]]
        # Prompts are already fitted to the model's limit by the chunker.
        hypotheses = self._ct2.decode(source, self.decoding, max_new_tokens - self._forced_end, min_new_tokens, self._prefix)
        ids = [tokenizer.convert_tokens_to_ids(h) for h in hypotheses]
        return [t.strip() for t in tokenizer.batch_decode(ids, skip_special_tokens=True)]


SUMMARIZERS = {"hf": Seq2SeqSummarizer, "ct2": CT2Seq2SeqSummarizer}


def _refuse_translation_model(ref: str, family: str | None) -> None:
    if family in TRANSLATION_FAMILIES:
        raise ModelError(
            f"model '{ref}' is a translation model ({family}) and cannot summarise",
            "pass a summarisation model such as sshleifer/distilbart-cnn-12-6, or use --method extractive",
        )


def _config_prefix(config: Any) -> Template | None:
    """The summarisation prefix a model's config declares (T5: ``summarize: ``), as a template."""
    params = getattr(config, "task_specific_params", None) or {}
    prefix = (params.get("summarization") or {}).get("prefix")
    if not prefix:
        return None
    escaped = prefix.replace("{", "{{").replace("}", "}}")
    return parse_template("model config prefix", escaped + "{text}")
