"""Reference-free checks of one translated segment (or one summary sentence), fast enough to run on every
segment a job translates: compiled patterns, no model, the language identifier loaded once and asked
only when the script cannot tell.

``SegmentChecker(source_lang, target_lang)(source, translation)`` returns the failed checks as
``Flag``s: numbers missing or not in the source, names dropped, a clause or sentence omitted (the
length ratio below the pair's bound), left untranslated, in another language, looping, too long.
Precision and recall on a hand-labelled set of Persian and Albanian news translations are in
docs/eval.md (``benchmarks/segment_checks.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

import regex

from toolkit.eval.checks import number_differences, numbers_detail, unsupported_names
from toolkit.eval.names import Target, run_kept, source_names
from toolkit.text.codes import without_codes
from toolkit.text.flags import FLAG_CHECKS, Flag
from toolkit.text.segment import split_sentences

_TOKEN = regex.compile(r"[\p{L}\p{M}\p{N}]+")
_INNER_SENTENCE_END = regex.compile(r"[.!?؟][\"”»)]*\s+\S")  # a source of more than one sentence, maybe
_LATIN = regex.compile(r"\p{Latin}")
_ARABIC = regex.compile(r"\p{Arabic}")
_PERSIAN_LETTERS = regex.compile("[\u067e\u0686\u0698\u06af\u06a9\u06cc]")  # پ چ ژ گ ک ی, which Arabic lacks
ARABIC_SCRIPT = frozenset({"fa", "ar", "ur", "ps"})
# Letters and digits of a translation / of its source, per pair: below the low bound a clause or sentence
# is missing, above the high one something was added. On the labelled set (eval/labelled/), correct
# translations span sq 0.92-1.46 and fa 0.63-1.34, those with a clause cut sq 0.56-0.76 and fa 0.46-0.58.
LENGTH_BOUNDS = {("en", "sq"): (0.82, 1.8), ("en", "fa"): (0.6, 1.6)}
DEFAULT_LENGTH_BOUNDS = (0.5, 2.2)
MIN_RATIO_CHARS = 25  # shorter sources vary too much in length to judge
# Function words frequent in a language and rare elsewhere: two of them spare asking the identifier.
LANGUAGE_HINTS = {
    "sq": frozenset({"të", "në", "që", "dhe", "për", "një", "nga", "është", "së", "ka", "janë", "tha"}),
    "en": frozenset({"the", "and", "of", "to", "that", "is", "was", "with", "for", "said", "has"}),
}
# What the checker runs; placeholders and glossary are checked where spans are protected and terms placed.
SEGMENT_CHECKS = ("numbers", "names", "omission", "untranslated", "language", "repetition", "length")
MIN_LANGID_WORDS = 6  # the identifier is unreliable on fewer words
LANGID_CONFIDENCE = 0.9  # flag another language only when the identifier is this sure


@dataclass(frozen=True)
class SegmentChecker:
    """The checks of one language pair, built once and called per segment.

    ``known_forms``: source term -> accepted target forms (a glossary's entries), for the names check.
    """

    source_lang: str
    target_lang: str
    known_forms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    length_bounds: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        bounds = self.length_bounds or LENGTH_BOUNDS.get((self.source_lang, self.target_lang), DEFAULT_LENGTH_BOUNDS)
        object.__setattr__(self, "length_bounds", bounds)
        object.__setattr__(self, "known_forms", {k.casefold(): tuple(v) for k, v in self.known_forms.items()})

    def __call__(self, source: str, translation: str) -> tuple[Flag, ...]:
        """The failed checks of one segment, in ``FLAG_CHECKS`` order; empty when it passes. What is
        kept byte for byte (URLs, tags, placeholders...) is not read: a copied link is no copied word."""
        source, translation = without_codes(source), without_codes(translation)
        if not source.strip():
            return ()
        if not translation.strip():
            return (Flag("omission", "empty translation"),)
        source_words, words = _TOKEN.findall(source), _TOKEN.findall(translation)
        flags = [*self._numbers(source, translation), *self._names(source, translation),
                 *self._length(source, translation, source_words, words),
                 *self._language(source, translation, source_words, words), *_repetition(words, source_words)]
        return tuple(sorted(flags, key=lambda f: FLAG_CHECKS.index(f.check)))

    def _numbers(self, source: str, translation: str) -> list[Flag]:
        detail = numbers_detail(*number_differences(source, self.source_lang, translation, self.target_lang))
        return [Flag("numbers", detail)] if detail else []

    def _names(self, source: str, translation: str) -> list[Flag]:
        if source == source.lower() or not (_LATIN.search(translation) or _ARABIC.search(translation)):
            return []  # an uncased source, or a target script whose spelling of names is not modelled
        runs = source_names(source)
        if not runs:
            return []
        target = Target(translation, self.target_lang)
        dropped = [" ".join(run) for run in runs if not run_kept(run, target, self.known_forms)]
        return [Flag("names", f"dropped: {', '.join(dropped)}")] if dropped else []

    def _length(self, source: str, translation: str, source_words: list[str], words: list[str]) -> list[Flag]:
        source_chars = sum(map(len, source_words))
        if source_chars < MIN_RATIO_CHARS:
            return []
        ratio = sum(map(len, words)) / source_chars
        low, high = self.length_bounds
        flags = []
        if ratio < low:
            flags.append(Flag("omission", f"{ratio:.2f} of the source's length (at least {low} expected)"))
        elif _INNER_SENTENCE_END.search(source.strip()) and (
                len(split_sentences(translation, self.target_lang)) < len(split_sentences(source, self.source_lang))):
            flags.append(Flag("omission", "a sentence fewer than the source"))
        if ratio > high:
            flags.append(Flag("length", f"{ratio:.2f} times the source's length (at most {high} expected)"))
        return flags

    def _language(self, source: str, translation: str, source_words: list[str], words: list[str]) -> list[Flag]:
        if self.source_lang == self.target_lang:
            return []
        copied = copied_share(source_words, words)
        if copied >= 0.5:
            same = translation.strip() == source.strip()
            return [Flag("untranslated", "the source, unchanged" if same else f"{copied:.0%} of its words copied from the source")]
        wanted_arabic = self.target_lang in ARABIC_SCRIPT
        if wanted_arabic or _ARABIC.search(source):
            in_script = len((_ARABIC if wanted_arabic else _LATIN).findall(translation)) / (sum(map(len, words)) or 1)
            if in_script < 0.5:
                return [Flag("language", f"{in_script:.0%} of its letters in the {self.target_lang} script")]
            if not wanted_arabic or (self.target_lang == "fa" and _PERSIAN_LETTERS.search(translation)):
                return []  # the script tells; Persian writes letters that Arabic does not
        return self._identified(translation, words)

    def _identified(self, translation: str, words: list[str]) -> list[Flag]:
        from toolkit.text.langid import detect, supported

        if len(words) < MIN_LANGID_WORDS or not supported(self.target_lang):
            return []
        hints = LANGUAGE_HINTS.get(self.target_lang)
        if hints and len(hints.intersection(w.casefold() for w in words)) >= 2:
            return []  # plainly in the language: the identifier need not be asked
        found = detect(translation, self.target_lang)
        if found.lang in (None, self.target_lang) or found.confidence < LANGID_CONFIDENCE:
            return []
        if found.lang == self.source_lang:
            return [Flag("untranslated", f"in {found.lang} ({found.confidence:.2f})")]
        return [Flag("language", f"detected {found.lang} ({found.confidence:.2f})")]


def copied_share(source_words: list[str], words: list[str]) -> float:
    """Share of a translation's running words (3+ letters, not capitalised) that are words of its source:
    names and numbers are copied by correct translations, running words are not."""
    running = [w for w in words if len(w) >= 3 and not w[0].isupper() and not w.isdigit()]
    if len(running) < 3:
        return 0.0
    source_set = {w.casefold() for w in source_words}
    return sum(w in source_set for w in running) / len(running)


def _repetition(words: list[str], source_words: list[str]) -> list[Flag]:
    """A loop: the same 1-5 words three times in a row (where the source does not do it too)."""
    tokens = [t.casefold() for t in words]
    for n in range(1, 6):
        for start in range(len(tokens) - 3 * n + 1):
            gram = tokens[start:start + n]
            if gram == tokens[start + n:start + 2 * n] == tokens[start + 2 * n:start + 3 * n]:
                phrase = " ".join(gram)
                source_text = f" {' '.join(t.casefold() for t in source_words)} "
                if f" {phrase} {phrase} {phrase} " not in source_text:
                    return [Flag("repetition", f"'{phrase}' repeated")]
    return []


def check_summary(article: str, summary: str, lang: str) -> list[tuple[int, str, tuple[Flag, ...]]]:
    """Each summary sentence that states a number or a name the article does not contain:
    (index of the sentence, the sentence, its flags). Summary and article are in ``lang``; names are
    checked in cased scripts only."""
    invented = unsupported_names(summary, article, lang)  # read from the whole summary: a name may open a sentence
    out = []
    for index, sentence in enumerate(split_sentences(summary, lang)):
        flags = []
        unsupported, _ = number_differences(article, lang, sentence, lang, require_source_numbers=False)
        if unsupported:
            flags.append(Flag("numbers", f"not in the article: {', '.join(unsupported)}"))
        words = set(_TOKEN.findall(sentence))
        names = [name for name in invented if name in words]
        if names:
            flags.append(Flag("names", f"not in the article: {', '.join(names)}"))
        if flags:
            out.append((index, sentence, tuple(flags)))
    return out


@dataclass(frozen=True)
class SegmentReport:
    """The checks of a translated file, line by line: what ``toolkit eval check`` reports."""

    source_lang: str
    lang: str
    ids: tuple[str, ...]
    sources: tuple[str, ...]
    translations: tuple[str, ...]
    flags: tuple[tuple[Flag, ...], ...]

    def counts(self) -> dict[str, int]:
        """Check -> segments it flags, every check of the checker listed."""
        return {check: sum(any(f.check == check for f in flags) for flags in self.flags) for check in SEGMENT_CHECKS}

    def flagged(self) -> list[int]:
        return [i for i, flags in enumerate(self.flags) if flags]

    def to_dict(self) -> dict:
        return {"src_lang": self.source_lang, "lang": self.lang, "segments": len(self.ids), "flagged": len(self.flagged()),
                "counts": self.counts(),
                "lines": [{"id": self.ids[i], "source": self.sources[i], "translation": self.translations[i],
                           "flags": [f.to_dict() for f in self.flags[i]]} for i in self.flagged()]}


def check_files(src: str, hyp: str, source_lang: str, lang: str, field: str | None = None) -> SegmentReport:
    """Run the segment checks on line-aligned source and translation files (or JSONL with ``field``)."""
    from toolkit.eval.io import check_aligned, read_texts
    from toolkit.languages import get_language

    source_lang, lang = get_language(source_lang).code, get_language(lang).code
    ids, translations = read_texts(hyp, field)
    sources = read_texts(src, field)[1]
    check_aligned(hyp, translations, [(src, sources)], allow_empty=True)
    checker = SegmentChecker(source_lang, lang)
    flags = tuple(checker(source, translation) for source, translation in zip(sources, translations))
    return SegmentReport(source_lang, lang, tuple(ids), tuple(sources), tuple(translations), flags)
