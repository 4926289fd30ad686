"""Abstractive summaries with Hugging Face seq2seq models (BART, PEGASUS, T5/mT5)."""

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
    """A seq2seq summarisation model; T5-family prompts come from the model's own config or ``prompt``."""

    method = "abstractive"

    def __init__(self, ref: str, prompt: Template | None = None, decoding: DecodingSettings = DECODING):
        from toolkit.models.loading import load_seq2seq

        loaded = load_seq2seq(ref)
        if loaded.family in TRANSLATION_FAMILIES:
            raise ModelError(
                f"model '{ref}' is a translation model ({loaded.family}) and cannot summarise",
                "pass a summarisation model such as sshleifer/distilbart-cnn-12-6, or use --method extractive",
            )
        self.model, self.tokenizer = loaded.model, loaded.tokenizer
        self.max_input_tokens = loaded.max_input_tokens
        self.device = loaded.device
        self.template = prompt or _config_prefix(loaded.model)
        if self.template is not None:
            self.template.check("summarize")
        self.decoding = decoding
        self.provenance = ModelProvenance(loaded.source.ref, loaded.revision, "hf", loaded.family, decoding, device=loaded.device)

    def count_prompts(self, prompts: Sequence[str]) -> list[int]:
        return [len(ids) for ids in self.tokenizer(list(prompts))["input_ids"]]

    def generate_prompts(self, prompts: Sequence[str], min_new_tokens: int, max_new_tokens: int) -> list[str]:
        import torch

        config = generation_config(self.model, self.decoding, min_new_tokens, max_new_tokens)
        out: list[str] = []
        for start in range(0, len(prompts), BATCH_SIZE):
            batch = list(prompts[start:start + BATCH_SIZE])
            inputs = self.tokenizer(batch, return_tensors="pt", padding=True).to(self.device)
            with torch.inference_mode():
                ids = self.model.generate(**inputs, generation_config=config)
            out.extend(t.strip() for t in self.tokenizer.batch_decode(ids, skip_special_tokens=True))
        return out

    def summarize(self, text: str, lang: str, length: SummaryLength) -> Summary:
        return model_summary(self, text, lang, length)


def _config_prefix(model: Any) -> Template | None:
    """The summarisation prefix a model's config declares (T5: ``summarize: ``), as a template."""
    params = getattr(model.config, "task_specific_params", None) or {}
    prefix = (params.get("summarization") or {}).get("prefix")
    if not prefix:
        return None
    escaped = prefix.replace("{", "{{").replace("}", "}}")
    return parse_template("model config prefix", escaped + "{text}")
