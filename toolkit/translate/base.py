"""The one interface every translation backend and wrapper implements."""

from __future__ import annotations

from typing import Protocol, Sequence, runtime_checkable

from toolkit.provenance import ModelProvenance


@runtime_checkable
class Translator(Protocol):
    """Translates batches of sentences for one language pair.

    ``max_input_tokens`` is the longest input the model takes; callers split longer sentences
    (``toolkit.text.segment.fit_to_limit``) using ``count_tokens``. ``bound_reached`` counts the
    sentences whose output stopped at the output length bound rather than at an end token: their
    translations may be cut short (often a sign that the model looped).
    """

    source: str
    target: str
    provenance: ModelProvenance
    max_input_tokens: int
    bound_reached: int

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Source-side token counts, as the model will see the texts."""
        ...

    def translate_batch(self, sentences: Sequence[str]) -> list[str]:
        """One translation per sentence, in order. Sentences are already within the limit."""
        ...
