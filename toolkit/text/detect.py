"""Which language a text is in (py3langid, restricted to the languages the toolkit knows)."""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable

from toolkit.errors import LanguageError
from toolkit.languages import LANGUAGES


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([code for code in LANGUAGES if code in identifier.nb_classes])
    return identifier


def detect_language(text: str, min_confidence: float = 0.5) -> str:
    """The ISO 639-1 code of ``text``; a LanguageError when it cannot be told with confidence."""
    code, confidence = _identifier().classify(text[:5000])
    if confidence < min_confidence:
        raise LanguageError(f"cannot tell the article's language (best guess '{code}', {confidence:.0%} sure)",
                            "pass --from LANG")
    return str(code)


def rank_languages(text: str, codes: Iterable[str], top: int = 3) -> list[tuple[str, float]]:
    """The ``top`` most likely of ``codes`` for ``text``, with probabilities renormalised over them."""
    wanted = set(codes)
    ranked = [(str(code), float(p)) for code, p in _identifier().rank(text[:5000]) if code in wanted]
    total = sum(p for _, p in ranked) or 1.0
    return [(code, p / total) for code, p in ranked[:top]]
