"""Language identification with lingua (lingua-language-detector): which language is a text in?

lingua ships its n-gram models inside the wheel (nothing downloaded), covers 75 languages
including Persian and Albanian, and is the most accurate open detector on short texts (one or
two sentences, the length of a summary), which is where the alternatives guess. All its
languages are candidates, so a Persian text is told from Arabic and Urdu, Albanian from the rest.
Models load lazily, the first time a language is needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Detection:
    lang: str | None  # ISO 639-1 of the most likely language; None when lingua cannot tell
    confidence: float  # lingua's confidence in that language, 0-1
    expected_confidence: float | None = None  # confidence in the language asked about


@lru_cache(maxsize=1)
def _detector():
    from lingua import LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_all_languages().build()


def _lingua_language(code: str):
    from lingua import IsoCode639_1, Language

    iso = getattr(IsoCode639_1, code.upper(), None)
    return Language.from_iso_code_639_1(iso) if iso is not None else None


def supported(code: str) -> bool:
    """Whether lingua can recognise the language with this ISO 639-1 code."""
    return _lingua_language(code) is not None


def detect(text: str, expected: str | None = None) -> Detection:
    """The most likely language of ``text``, and the confidence in ``expected`` if given."""
    detector = _detector()
    values = detector.compute_language_confidence_values(text)
    if not values or values[0].value == 0:
        return Detection(None, 0.0, 0.0 if expected else None)
    top = values[0]
    lang = top.language.iso_code_639_1.name.lower()
    expected_conf = None
    if expected:
        wanted = _lingua_language(expected)
        expected_conf = next((v.value for v in values if v.language == wanted), 0.0)
    return Detection(lang, float(top.value), expected_conf)
