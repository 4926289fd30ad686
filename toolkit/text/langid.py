"""Language identification, the toolkit's one identifier: which of its languages is a text in?

lingua (lingua-language-detector) ships its n-gram models in the wheel (nothing downloaded). It
is built for the toolkit's languages only (``toolkit.languages.LANGUAGES`` that lingua knows: all
but Pashto), in its low-accuracy mode (trigram models only): the first call loads in well under a
second, where lingua with all 75 languages and every n-gram order took 17 s. Measured on the eval
suite (``benchmarks/langid_compare.py``, figures in docs/eval.md): every reference summary and all
but one of its sentences are identified; on five-word snippets it is less sure than on sentences.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from toolkit.errors import LanguageError
from toolkit.languages import LANGUAGES

SAMPLE_CHARS = 5000  # enough to tell an article's language; longer texts are cut here


@dataclass(frozen=True)
class Detection:
    lang: str | None  # ISO 639-1 of the most likely language; None when nothing can be told
    confidence: float  # confidence in that language, 0-1 (the confidences of all candidates sum to 1)
    expected_confidence: float | None = None  # confidence in the language asked about


def _lingua_language(code: str):
    from lingua import IsoCode639_1, Language

    iso = getattr(IsoCode639_1, code.upper(), None)
    return Language.from_iso_code_639_1(iso) if iso is not None else None


@lru_cache(maxsize=1)
def _detector():
    from lingua import LanguageDetectorBuilder

    languages = [lang for lang in map(_lingua_language, LANGUAGES) if lang is not None]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def supported(code: str) -> bool:
    """Whether the identifier can recognise the language with this ISO 639-1 code."""
    return code in LANGUAGES and _lingua_language(code) is not None


def rank_languages(text: str, codes: Iterable[str] | None = None, top: int = 3) -> list[tuple[str, float]]:
    """The ``top`` most likely languages of ``text`` (among ``codes`` if given), with confidences
    that sum to 1 over them; empty when nothing can be told."""
    values = _detector().compute_language_confidence_values(text[:SAMPLE_CHARS])
    ranked = [(v.language.iso_code_639_1.name.lower(), float(v.value)) for v in values]
    if codes is not None:
        wanted = set(codes)
        ranked = [(code, p) for code, p in ranked if code in wanted]
    total = sum(p for _, p in ranked)
    return [(code, p / total) for code, p in ranked[:top]] if total else []


def detect(text: str, expected: str | None = None) -> Detection:
    """The most likely language of ``text``, and the confidence in ``expected`` if given."""
    ranked = rank_languages(text, top=len(LANGUAGES))
    if not ranked:
        return Detection(None, 0.0, 0.0 if expected else None)
    lang, confidence = ranked[0]
    expected_conf = dict(ranked).get(expected, 0.0) if expected else None
    return Detection(lang, confidence, expected_conf)


def detect_language(text: str, min_confidence: float = 0.5) -> str:
    """The ISO 639-1 code of ``text``; a LanguageError when it cannot be told with confidence."""
    found = detect(text)
    if found.lang is None or found.confidence < min_confidence:
        guess = f"best guess '{found.lang}', {found.confidence:.0%} sure" if found.lang else "no guess"
        raise LanguageError(f"cannot tell the article's language ({guess})", "name the article's language («source»)")
    return found.lang
