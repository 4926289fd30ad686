"""Language-aware text normalisation, so that spelling variants of the same text compare equal.

``normalize(text, lang)`` applies Unicode NFKC plus the rules of the language:

* Persian (``fa``): Arabic yeh/alef maksura and kaf to Persian ی and ک, ۀ to ه, hamza-carrying
  alefs to ا, diacritics (harakat, superscript alef) and tatweel removed, Persian and
  Arabic-Indic digits and separators (٫ ٬ ٪) to ASCII, and zero-width non-joiners tidied: kept
  inside words, dropped where they join nothing, and put between the verbal prefix می/نمی and
  the plural suffix ها/های and their word where the writer typed a space.
* Albanian (``sq``): composed ë and ç (one code point each), typographic apostrophes to ``'``.
* Every language: any Unicode decimal digit to ASCII.

Case is left alone: metrics that ignore case lower it themselves.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Callable

ZWNJ = "\u200c"

_PERSIAN_LETTERS = str.maketrans({
    "\u064a": "\u06cc",  # ARABIC LETTER YEH -> FARSI YEH
    "\u0649": "\u06cc",  # ALEF MAKSURA -> FARSI YEH
    "\u0643": "\u06a9",  # ARABIC LETTER KAF -> KEHEH
    "\u06c0": "\u0647",  # HEH WITH YEH ABOVE -> HEH (the ezafe mark is a diacritic)
    "\u06d5": "\u0647",  # AE -> HEH
    "\u0623": "\u0627",  # ALEF WITH HAMZA ABOVE -> ALEF
    "\u0625": "\u0627",  # ALEF WITH HAMZA BELOW -> ALEF
    "\u066b": ".",  # ARABIC DECIMAL SEPARATOR
    "\u066c": ",",  # ARABIC THOUSANDS SEPARATOR
    "\u066a": "%",  # ARABIC PERCENT SIGN
    "\u0640": None,  # TATWEEL
})
# Harakat, Quranic marks, hamza above/below as marks, superscript alef.
_ARABIC_DIACRITICS = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed]")
# Letters that never join the next one: a ZWNJ after them changes nothing.
_NON_JOINING = "\u0627\u0622\u062f\u0630\u0631\u0632\u0698\u0648\u0624\u0629\u0621"
_ZWNJ_NOOP = re.compile(
    rf"(?<=[{_NON_JOINING}]){ZWNJ}+|(?<![^\W\d_]){ZWNJ}+|{ZWNJ}+(?![^\W\d_])|(?<={ZWNJ}){ZWNJ}+"
)
_VERB_PREFIX = re.compile(rf"(?<![^\W\d_])(ن?می)[ {ZWNJ}]+(?=[^\W\d_])")
_PLURAL_SUFFIX = re.compile(rf"(?<=[^\W\d_])[ {ZWNJ}]+(ها(?:ی|یی)?)(?![^\W\d_])")
_NON_ASCII_DIGIT = re.compile(r"(?![0-9])\d")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


def ascii_digits(text: str) -> str:
    """Every Unicode decimal digit (Persian ۱۷, Arabic-Indic ١٧, Devanagari ...) as ASCII."""
    return _NON_ASCII_DIGIT.sub(lambda m: str(unicodedata.decimal(m.group())), text)


def normalize_persian(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_PERSIAN_LETTERS)
    text = _ARABIC_DIACRITICS.sub("", text)
    text = _VERB_PREFIX.sub(rf"\1{ZWNJ}", text)
    text = _PLURAL_SUFFIX.sub(rf"{ZWNJ}\1", text)
    return _ZWNJ_NOOP.sub("", ascii_digits(text))


def normalize_albanian(text: str) -> str:
    return unicodedata.normalize("NFC", unicodedata.normalize("NFKC", text)).translate(_APOSTROPHES)


def normalize_default(text: str) -> str:
    return ascii_digits(unicodedata.normalize("NFKC", text))


# language code -> (normaliser, its name in metric signatures)
NORMALIZERS: dict[str, tuple[Callable[[str], str], str]] = {
    "fa": (normalize_persian, "fa-v1"),
    "sq": (lambda text: ascii_digits(normalize_albanian(text)), "sq-v1"),
}


def normalize_segment(text: str) -> str:
    """NFC, outer whitespace dropped, inner runs of whitespace made one space (ZWNJ is kept): one
    sentence however it was spaced or composed (the translation memory's key, a summary's repeats)."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def normalizer_for(lang: str | None) -> tuple[Callable[[str], str], str]:
    """The normaliser for a language and its signature name (NFKC + digits for the rest)."""
    return NORMALIZERS.get((lang or "").lower(), (normalize_default, "nfkc-v1"))


def normalize(text: str, lang: str | None) -> str:
    """Normalise ``text`` by the rules of ``lang`` (see the module docstring)."""
    return normalizer_for(lang)[0](text)
