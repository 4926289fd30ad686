"""The one interface every translation backend and wrapper implements."""

from __future__ import annotations

from typing import Protocol, Sequence, runtime_checkable

from toolkit.errors import ToolkitError
from toolkit.provenance import ModelProvenance, PivotProvenance


@runtime_checkable
class Translator(Protocol):
    """Translates batches of sentences for one language pair.

    ``max_input_tokens`` is the longest input the model takes; callers split longer sentences
    (``toolkit.text.segment.fit_to_limit``) using ``count_tokens``. ``bound_reached`` counts the
    sentences whose output stopped at the output length bound rather than at an end token: their
    translations may be cut short (often a sign that the model looped).

    Below ``translate_batch`` are the optional capabilities, declared here so that callers use them
    without probing. The toolkit's translators subclass ``TranslatorBase``, which gives their defaults.
    A third-party translator either subclasses it too (overriding what it offers) or writes only the
    members above ``last_bound``: ``with_defaults`` then wraps it where the rest is needed.
    """

    source: str
    target: str
    provenance: ModelProvenance | PivotProvenance  # both legs' models for a PivotTranslator
    max_input_tokens: int
    bound_reached: int

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Source-side token counts, as the model will see the texts."""
        ...

    def translate_batch(self, sentences: Sequence[str]) -> list[str]:
        """One translation per sentence, in order. Sentences are already within the limit."""
        ...

    last_bound: list[bool]  # per sentence of the last batch: its output stopped at the length bound
    hits: int  # sentences a translation memory answered
    misses: int  # sentences a translation memory sent on to the model
    scope: str | None  # the translation-memory scope; None without a memory
    workers: int  # engines that decode parts of one batch in parallel (the default batch budget is per engine)

    def translate_nbest(self, sentences: Sequence[str], n: int) -> list[list[str]]:
        """The ``n`` best translations of each sentence, best first."""
        ...

    def load(self) -> None:
        """Load the weights now (they load at the first sentence otherwise)."""
        ...


class TranslatorBase:
    """Defaults of the optional capabilities: no alternatives, no translation memory, loading by
    translating a word. A subclass sets ``last_bound`` in each ``translate_batch``."""

    hits = misses = 0
    scope: str | None = None
    workers = 1

    def translate_nbest(self, sentences: Sequence[str], n: int) -> list[list[str]]:
        raise ToolkitError("this model gives one translation per sentence, not alternatives")

    def load(self) -> None:
        self.translate_batch(["Hello."])  # type: ignore[attr-defined]


def with_defaults(translator) -> Translator:
    """``translator`` with every capability: itself when it has them, else wrapped with the defaults."""
    return translator if isinstance(translator, Translator) else _Defaults(translator)


class _Defaults(TranslatorBase):
    """A translator with only the required members, with the defaults; ``last_bound`` is exact when the
    bound stopped all or none of a batch, as ``bound_reached`` is all it counts."""

    def __init__(self, inner):
        self.inner = inner
        self.source, self.target, self.provenance = inner.source, inner.target, inner.provenance
        self.max_input_tokens = inner.max_input_tokens
        self.last_bound: list[bool] = []

    @property
    def bound_reached(self) -> int:
        return self.inner.bound_reached

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return self.inner.count_tokens(texts)

    def translate_batch(self, sentences: Sequence[str]) -> list[str]:
        before = self.inner.bound_reached
        translations = self.inner.translate_batch(sentences)
        self.last_bound = [self.inner.bound_reached - before == len(sentences)] * len(sentences)
        return translations
