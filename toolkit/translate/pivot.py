"""Translating through a pivot language (English): two translators composed as one, as
argos-translate's ``CompositeTranslation``, for the translate, chain and serve paths alike.

``PivotTranslator(first, second)`` is a ``Translator`` for A->B made of A->pivot and pivot->B, its
provenance naming both. ``route`` picks it where a pair's model translates only from the pivot (an
``opus-mt-en-sq`` named for Albanian, for a Persian text) and a model is named for the pivot;
``source_for`` is which of the languages a text is at hand in it is translated from (the pivot,
where a chain already made it).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Callable, Sequence

from toolkit.errors import LanguageError
from toolkit.provenance import PivotProvenance
from toolkit.translate.base import Translator, TranslatorBase, with_defaults

PIVOT = "en"


def source_for(languages: Sequence[str]) -> str:
    """The language to translate from among those a text is at hand in: the pivot where it is,
    else the first (the original)."""
    return PIVOT if PIVOT in languages else languages[0]


def route(source: str, target: str, model: str | None, pivot_model: str | None,
          build: Callable[[str, str], Translator]) -> Translator:
    """The translator for ``source``->``target``: ``build(source, target)``; or, where the pair's model
    (``model``, else the catalogue's) translates into ``target`` only from the pivot and the model
    named for the pivot (``pivot_model``) translates ``source`` into it, ``build(source, PIVOT)``
    composed with ``build(PIVOT, target)``. Never through a model nobody named: without
    ``pivot_model``, such a pair is refused as before."""
    if PIVOT not in (source, target) and _through_pivot(source, target, model, pivot_model):
        return PivotTranslator(build(source, PIVOT), build(PIVOT, target))
    return build(source, target)


@lru_cache(maxsize=64)  # read from the models' files once a process, not once a pool
def _through_pivot(source: str, target: str, model: str | None, pivot_model: str | None) -> bool:
    from toolkit.translate.factory import choose_model
    from toolkit.models.pair_check import check_pair

    chosen = choose_model(source, target, model)
    try:
        check_pair(chosen, source, target)
        return False
    except LanguageError as direct:
        if pivot_model is None:
            raise
        try:
            check_pair(chosen, PIVOT, target)
            check_pair(pivot_model, source, PIVOT)
        except LanguageError:
            raise direct from None
        return True


class PivotTranslator(TranslatorBase):
    """``first`` (A->pivot) then ``second`` (pivot->B) as one A->B translator. Each leg keeps its own
    translation memory; a pivot text longer than ``second`` takes is split and cut there."""

    scope = None  # no one memory scope: each leg has its own

    def __init__(self, first: Translator, second: Translator):
        if first.target != second.source:
            raise ValueError(f"{first.source}->{first.target} does not lead into {second.source}->{second.target}")
        self.first, self.second = with_defaults(first), with_defaults(second)
        self.source, self.target = first.source, second.target
        self.provenance = PivotProvenance(first.target, first.provenance, second.provenance)
        self.max_input_tokens = first.max_input_tokens
        self.workers = min(self.first.workers, self.second.workers)  # each leg decodes the whole batch
        self.last_bound: list[bool] = []

    @property
    def bound_reached(self) -> int:
        return self.first.bound_reached + self.second.bound_reached

    @property
    def hits(self) -> int:
        return self.first.hits + self.second.hits

    @property
    def misses(self) -> int:
        return self.first.misses + self.second.misses

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return self.first.count_tokens(texts)

    def translate_batch(self, sentences: Sequence[str]) -> list[str]:
        from toolkit.translate.engine import translate_texts

        middle = self.first.translate_batch(sentences)
        out, bound = list(middle), list(self.first.last_bound)
        lengths = self.second.count_tokens(middle)
        fits = [i for i, n in enumerate(lengths) if n <= self.second.max_input_tokens]
        if fits:
            done = self.second.translate_batch([middle[i] for i in fits])
            for i, text, cut in zip(fits, done, self.second.last_bound):
                out[i], bound[i] = text, bound[i] or cut
        for i in sorted(set(range(len(middle))) - set(fits)):
            before = self.second.bound_reached
            [out[i]] = translate_texts([middle[i]], self.second)
            bound[i] = bound[i] or self.second.bound_reached > before
        self.last_bound = bound
        return out

    def translate_nbest(self, sentences: Sequence[str], n: int) -> list[list[str]]:
        """The ``n`` best of the second leg, on the first leg's best."""
        from toolkit.translate.engine import translate_texts_nbest

        return translate_texts_nbest(self.first.translate_batch(sentences), self.second, n)

    def load(self) -> None:
        self.first.load()
        self.second.load()
