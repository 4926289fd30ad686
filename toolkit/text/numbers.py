"""Numbers in running text, compared by value across scripts and conventions.

``17,000``, ``17.000`` (Albanian), ``17 000`` with a no-break space, ``۱۷٬۰۰۰`` (Persian) and
``17 thousand`` / ``۱۷ هزار`` / ``17 mijë`` all read as 17000; ``2,5`` and ``۲٫۵`` as 2.5.
A lone separator followed by exactly three digits is read as a thousands separator.
"""

from __future__ import annotations

import re
from decimal import Decimal

from toolkit.text.normalize import normalize

_GROUP_SEPS = "\u00a0\u202f\u2009'"
_NUMBER = re.compile(rf"(?<![\w.,])\d+(?:[.,{_GROUP_SEPS}]\d+)*")
_SCALES = {
    "thousand": 3, "thousands": 3, "million": 6, "millions": 6, "billion": 9, "billions": 9, "trillion": 12,
    "هزار": 3, "میلیون": 6, "میلیارد": 9,
    "mijë": 3, "mije": 3, "milion": 6, "milionë": 6, "miliona": 6, "miliard": 9, "miliardë": 9, "miliarda": 9,
}
_SCALE = re.compile(r"\s*(\w+)")
# Small numbers that writers and translators spell out ("3 people" -> "tre persona", "three" -> "3").
_NUMBER_WORDS = {
    "en": "zero one two three four five six seven eight nine ten eleven twelve",
    "sq": "zero një dy tre katër pesë gjashtë shtatë tetë nëntë dhjetë njëmbëdhjetë dymbëdhjetë",
    "fa": "صفر یک دو سه چهار پنج شش هفت هشت نه ده یازده دوازده",
}
_WORD_VALUES = {lang: {word: str(value) for value, word in enumerate(words.split())}
                for lang, words in _NUMBER_WORDS.items()}
_WORD = re.compile(r"[^\W\d_]+")
_ARABIC_SEPARATORS = str.maketrans({"\u066b": ".", "\u066c": ",", "\u060c": ", "})


def _parse(token: str) -> list[Decimal]:
    """Values in one digit run with separators; a run that is no valid grouping is several numbers."""
    groups = re.split(rf"[.,{_GROUP_SEPS}]", token)
    seps = [c for c in token if not c.isdigit()]
    if not seps:
        return [Decimal(token)]
    if len(set(seps)) > 1:  # 1,234.5 or 1.234,5: the last separator is the decimal one
        head, tail = groups[:-1], groups[-1]
        if all(len(g) == 3 for g in head[1:]):
            return [Decimal("".join(head) + "." + tail)]
    elif seps[0] in _GROUP_SEPS or len(seps) > 1:
        if all(len(g) == 3 for g in groups[1:]):
            return [Decimal("".join(groups))]
    elif len(groups[1]) == 3:
        return [Decimal("".join(groups))]
    else:
        return [Decimal(f"{groups[0]}.{groups[1]}")]
    return [Decimal(g) for g in groups]


def _text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def extract_numbers(text: str, lang: str | None = None) -> list[tuple[str, str]]:
    """(value as written without scale, value with a following scale word applied) per number."""
    text = normalize(text, lang).translate(_ARABIC_SEPARATORS)
    out = []
    for match in _NUMBER.finditer(text):
        values = _parse(match.group())
        scale = _SCALE.match(text, match.end())
        power = _SCALES.get(scale.group(1).casefold(), 0) if scale else 0
        for value in values[:-1]:
            out.append((_text(value), _text(value)))
        out.append((_text(values[-1]), _text(values[-1].scaleb(power))))
    return out


def number_values(text: str, lang: str | None = None) -> set[str]:
    """Every value a reader could take from the text: as written and with scale words applied."""
    return {v for pair in extract_numbers(text, lang) for v in pair}


def stated_numbers(text: str, lang: str | None = None) -> list[str]:
    """The values the text states (scale words applied), in order."""
    return [scaled for _, scaled in extract_numbers(text, lang)]


def spelled_values(text: str, lang: str | None) -> set[str]:
    """Values of the small numbers spelled out in the text (``tre`` -> 3), for languages that have a
    list; what a reader could take, never what the text must keep (``one of the countries``)."""
    words = _WORD_VALUES.get((lang or "").lower())
    if not words:
        return set()
    return {words[w] for w in _WORD.findall(text.casefold()) if w in words}
