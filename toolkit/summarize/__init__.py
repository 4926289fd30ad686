"""Summarisation: one interface (``Summarizer``), three methods, chosen by name.

``abstractive`` (seq2seq models from the catalogue), ``extractive`` (LexRank, no weights) and
``llm`` (a chat model prompted from a template in ``prompts/``).
"""

from __future__ import annotations

from toolkit.errors import InputError, LanguageError, ModelError
from toolkit.summarize.base import Summarizer, Summary, SummaryLength

METHODS = ("abstractive", "extractive", "llm")

__all__ = ["METHODS", "Summarizer", "Summary", "SummaryLength", "build_summarizer", "check_options", "choose_summary_model"]


def choose_summary_model(lang: str, model: str | None = None) -> str:
    """The user's model, else the catalogue's default summariser for ``lang``."""
    from toolkit.models.catalogue import load_catalogue

    catalogue = load_catalogue()
    if model:
        tasks = {e.task for e in catalogue.entries if model == e.default or model in e.alternatives}
        if "translate" in tasks and "summarize" not in tasks:
            raise ModelError(f"model '{model}' is a translation model and cannot summarise",
                             "pass a summarisation model, e.g. sshleifer/distilbart-cnn-12-6, or the extractive «method»")
        return model
    chosen = catalogue.default_model("summarize", lang)
    if chosen is None:
        covered = ", ".join(catalogue.pairs("summarize"))
        raise LanguageError(f"no summarisation model for '{lang}' in the catalogue (it has: {covered})",
                            "name a «summary_model», or use the extractive «method», which works for any language")
    return chosen


def check_options(method: str, model: str | None, prompt: str | None, backend: str = "auto"):
    """Refuse a method, model, prompt and backend that do not go together, before any article or model is read.

    Returns the prompt template, if one was named.
    """
    from toolkit.templates import load_template

    if method not in METHODS:
        raise InputError(f"unknown summarisation method '{method}'", f"use one of: {', '.join(METHODS)}")
    from toolkit.models.backends import check_backend

    check_backend(backend)  # for abstractive and llm models; extractive runs on no model
    if method == "extractive" and (model or prompt):
        raise InputError("the extractive «method» uses no model and no prompt", "drop the «summary_model» and «prompt», or pick another method")
    if method == "llm" and not model:
        raise InputError("the llm «method» needs a model", "name an instruction-tuned chat model as «summary_model»")
    template = load_template(prompt) if prompt else None
    if template is not None:
        template.check("summarize")
    return template


def build_summarizer(method: str = "abstractive", lang: str = "en", model: str | None = None,
                     prompt: str | None = None, backend: str = "auto", quantization: str | None = None) -> Summarizer:
    """A summariser by method name; ``prompt`` is a shipped template name or a template file.

    ``backend`` (auto, hf or ct2) and ``quantization`` apply to ``abstractive`` and ``llm``: ``auto``
    runs ct2 when it is installed and converts the model's family (BART, T5; Llama, Qwen, Gemma,
    Mistral... for llm), else hf.
    """
    template = check_options(method, model, prompt, backend)
    if method == "extractive":
        from toolkit.summarize.extractive import ExtractiveSummarizer

        return ExtractiveSummarizer()
    if method == "llm":
        from toolkit.summarize.llm import ChatLMSummarizer

        return ChatLMSummarizer(model, template, backend=backend, quantization=quantization)
    from toolkit.models.backends import choose_backend
    from toolkit.summarize.abstractive import DECODING, SUMMARIZERS

    chosen = choose_summary_model(lang, model)
    return SUMMARIZERS[choose_backend(backend, chosen)](chosen, template, DECODING, quantization)
