"""What every model-driven summariser shares: prompting, length bounds, chunking, trimming."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Protocol, Sequence

from toolkit.errors import ModelError
from toolkit.provenance import ModelProvenance
from toolkit.summarize.base import Summary, SummaryLength
from toolkit.summarize.chunking import summarize_long
from toolkit.summarize.length import fit_length, target_words, token_bounds
from toolkit.templates import Template


class ModelBackend(Protocol):
    """A loaded model that turns whole prompts into summaries."""

    method: str
    provenance: ModelProvenance
    template: Template | None
    max_input_tokens: int  # longest prompt, in tokens, the model takes with room for its output

    def count_prompts(self, prompts: Sequence[str]) -> list[int]:
        ...

    def generate_prompts(self, prompts: Sequence[str], min_new_tokens: int, max_new_tokens: int) -> list[str]:
        ...


@dataclass(frozen=True)
class Prompted:
    """A backend with its template filled for one article: a chunking ``Generator`` over plain texts."""

    backend: ModelBackend
    values: dict

    @property
    def max_input_tokens(self) -> int:
        return self.backend.max_input_tokens

    def _prompts(self, texts: Sequence[str]) -> list[str]:
        template = self.backend.template
        return [template.render("summarize", text=t, **self.values) if template else t for t in texts]

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return self.backend.count_prompts(self._prompts(texts))

    def generate(self, texts: Sequence[str], min_new_tokens: int, max_new_tokens: int) -> list[str]:
        return self.backend.generate_prompts(self._prompts(texts), min_new_tokens, max_new_tokens)


def language_name(code: str) -> str:
    from toolkit.languages import LANGUAGES

    return LANGUAGES[code].name if code in LANGUAGES else code


def model_summary(backend: ModelBackend, text: str, lang: str, length: SummaryLength) -> Summary:
    """Summarise ``text`` with ``backend``: bounds from the length, chunked as needed, trimmed to fit."""
    started = time.perf_counter()
    name = language_name(lang)
    model = Prompted(backend, {"source_lang": name, "target_lang": name, "max_words": target_words(length)})
    overhead, total = model.count_tokens(["", text])
    tokens_per_word = max(1.0, (total - overhead) / max(1, len(text.split())))
    bounds = token_bounds(length, tokens_per_word, ceiling=max(16, backend.max_input_tokens // 2))
    reduced = summarize_long(text, lang, model, bounds)
    if not reduced.text.strip():
        raise ModelError(
            f"model '{backend.provenance.model_id}' produced an empty summary", "try another model or the extractive «method»"
        )
    summary, trimmed = fit_length(reduced.text, lang, length)
    template = backend.template
    return Summary(summary, lang, backend.method, backend.provenance, reduced.chunking, bounds[0], bounds[1],
                   prompt=template.name if template else None, trimmed=trimmed, seconds=time.perf_counter() - started)
