"""Checks that need no reference: is each output in the right language, of a sane length, free
of loops, faithful to the source's numbers and names, and how abstractive is it?

Every check has a threshold; a document fails a check when its value is on the wrong side.
A check that cannot apply (no source, an uncased script for names, a cross-lingual pair for
n-gram novelty) is reported as not applicable, never as passed.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, fields, replace
from typing import Sequence

import regex

from toolkit.errors import InputError
from toolkit.eval.names import COMMON_CAPITALISED
from toolkit.eval.tokenize import Tokenizer
from toolkit.text.numbers import extract_numbers, spelled_values
from toolkit.text.segment import split_sentences

_CASED_WORD = regex.compile(r"\p{L}[\p{L}\p{M}]*")
_DIGIT = regex.compile(r"\p{Nd}")


@dataclass(frozen=True)
class Thresholds:
    """Pass limits. Summary and translation tasks differ in length and novelty."""

    min_lang_confidence: float = 0.5  # the identifier's confidence in the expected language, when another is likelier
    min_length_ratio: float = 0.02  # output tokens / source tokens
    max_length_ratio: float = 0.6
    repeat_n: int = 3
    max_repeat_rate: float = 0.15  # share of n-grams that repeat an earlier one
    max_unsupported_numbers: int = 0  # numbers in the output that the source does not state
    require_source_numbers: bool = False  # translations: every source number must survive
    max_unsupported_names: int = 0  # capitalised words not found in the source
    novel_n: int = 2
    max_novel_rate: float = 0.85  # share of output n-grams absent from the source

    @classmethod
    def for_task(cls, task: str) -> "Thresholds":
        if task == "summary":
            return cls()
        if task == "translation":
            return cls(min_length_ratio=0.5, max_length_ratio=2.0, require_source_numbers=True, max_novel_rate=1.0)
        raise InputError(f"unknown task '{task}'", "use summary or translation as «task»")

    def with_overrides(self, overrides: Sequence[str]) -> "Thresholds":
        """Apply ``name=value`` overrides (``max_repeat_rate=0.2``)."""
        types = {f.name: f.type for f in fields(self)}
        changes = {}
        for item in overrides:
            name, _, raw = item.partition("=")
            name = name.strip()
            if name not in types or not raw:
                raise InputError(f"bad threshold '{item}'", f"use NAME=VALUE with NAME one of: {', '.join(types)}")
            kind = {"float": float, "int": int, "bool": lambda v: v.lower() in ("1", "true", "yes")}[types[name]]
            try:
                changes[name] = kind(raw)
            except ValueError as exc:
                raise InputError(f"bad threshold value '{item}'", str(exc)) from exc
        return replace(self, **changes)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class CheckResult:
    name: str
    value: float | None  # None: not applicable
    passed: bool | None
    detail: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


CHECK_NAMES = ("language", "length_ratio", "repetition", "numbers", "names", "novelty")


def _ngrams(tokens: list[str], n: int) -> list[tuple[str, ...]]:
    return list(zip(*(tokens[i:] for i in range(n))))


def repeat_rate(tokens: list[str], n: int) -> float:
    grams = _ngrams(tokens, n)
    return 1 - len(set(grams)) / len(grams) if grams else 0.0


def novel_rate(tokens: list[str], source_tokens: list[str], n: int) -> float:
    grams = _ngrams(tokens, n)
    if not grams:
        return 0.0
    seen = set(_ngrams(source_tokens, n))
    return sum(g not in seen for g in grams) / len(grams)


def name_candidates(text: str, lang: str) -> list[str]:
    """Capitalised words, except a sentence's first word unless it is capitalised elsewhere too or opens
    a run of capitalised words (``Ilir Meta said``) without being a common word (``The``)."""
    inner: list[str] = []
    initial: list[str] = []
    for sentence in split_sentences(text, lang):
        words = _CASED_WORD.findall(sentence)
        if len(words) > 1 and words[1][0].isupper() and words[0].casefold() not in COMMON_CAPITALISED:
            inner.append(words[0])
        initial.extend(w for w in words[:1] if w[0].isupper())
        inner.extend(w for w in words[1:] if w[0].isupper())
    names = inner + [w for w in initial if w in inner]
    return list(dict.fromkeys(names))


def _in_source(name: str, source_words: set[str]) -> bool:
    """Found as a source word, or sharing a stem with one (Iran/Iranian, Tirana/Tiranë)."""
    name = name.casefold()
    if name in source_words:
        return True
    for word in source_words:
        common = len(os.path.commonprefix([name, word]))
        if common >= 4 and common >= min(len(name), len(word)) - 2:
            return True
    return False


def number_differences(source: str, source_lang: str | None, output: str, lang: str | None,
                       require_source_numbers: bool = True) -> tuple[list[str], list[str]]:
    """(numbers the output states that the source does not, source numbers the output lacks; the latter
    only with ``require_source_numbers``), compared by value across scripts and conventions."""
    if not (_DIGIT.search(source) or _DIGIT.search(output)):
        return [], []
    source_pairs, output_pairs = extract_numbers(source, source_lang), extract_numbers(output, lang)
    source_numbers = {v for pair in source_pairs for v in pair}
    unsupported = [stated for _, stated in output_pairs if stated not in source_numbers]
    if unsupported:  # a digit the source spells out ("three" -> "3") is no invention
        spelled = spelled_values(source, source_lang)
        unsupported = [v for v in unsupported if v not in spelled]
    missing = []
    if require_source_numbers:
        found = {v for pair in output_pairs for v in pair}
        missing = [stated for _, stated in source_pairs if stated not in found]
        if missing:
            spelled = spelled_values(output, lang)
            missing = [v for v in missing if v not in spelled]
    return list(dict.fromkeys(unsupported)), list(dict.fromkeys(missing))


def numbers_detail(unsupported: list[str], missing: list[str]) -> str:
    """``missing: 17000; not in source: 15000`` (empty when both are)."""
    parts = (f"missing: {', '.join(missing)}" if missing else "", f"not in source: {', '.join(unsupported)}" if unsupported else "")
    return "; ".join(p for p in parts if p)


def unsupported_names(output: str, source: str, lang: str) -> list[str]:
    """Names in ``output`` that ``source`` (same language) does not contain, even as a stem."""
    source_words = {w.casefold() for w in _CASED_WORD.findall(source)}
    return [n for n in name_candidates(output, lang) if not _in_source(n, source_words)]


def check_document(
    output: str,
    lang: str,
    source: str | None,
    source_lang: str | None,
    thresholds: Thresholds,
    tokenizer: Tokenizer,
) -> tuple[CheckResult, ...]:
    """All checks of one output; ``tokenizer`` must not stem."""
    from toolkit.text.langid import detect, supported

    t = thresholds
    if supported(lang):
        detection = detect(output, lang)
        conf = detection.expected_confidence or 0.0
        # On a sentence or two the identifier spreads its confidence over similar languages: the expected
        # language being the most likely one passes too, whatever its share.
        in_language = detection.lang == lang or conf >= t.min_lang_confidence
        results = [CheckResult("language", conf, in_language, f"detected {detection.lang} ({detection.confidence:.2f})")]
    else:
        results = [CheckResult("language", None, None, f"no language identifier for '{lang}'")]
    tokens = tokenizer(output)
    rate = repeat_rate(tokens, t.repeat_n)
    results.append(CheckResult("repetition", rate, rate <= t.max_repeat_rate, f"{t.repeat_n}-grams repeated"))
    if source is None:
        results += [CheckResult(name, None, None, "no source") for name in ("length_ratio", "numbers", "names", "novelty")]
        return _ordered(results)
    same_lang = source_lang == lang
    source_tokens = tokenizer(source) if same_lang else Tokenizer(source_lang or lang, stem=False)(source)
    ratio = len(tokens) / max(len(source_tokens), 1)
    results.append(CheckResult("length_ratio", ratio, t.min_length_ratio <= ratio <= t.max_length_ratio))

    unsupported, missing = number_differences(source, source_lang, output, lang, t.require_source_numbers)
    detail = numbers_detail(unsupported, missing)
    ok = len(unsupported) <= t.max_unsupported_numbers and not missing
    results.append(CheckResult("numbers", float(len(unsupported) + len(missing)), ok, detail))

    if same_lang and any(c.isupper() for c in output):
        unknown = unsupported_names(output, source, lang)
        results.append(CheckResult("names", float(len(unknown)), len(unknown) <= t.max_unsupported_names, ", ".join(unknown)))
    else:
        results.append(CheckResult("names", None, None, "needs a cased output in the source's language"))
    if same_lang:
        novel = novel_rate(tokens, source_tokens, t.novel_n)
        results.append(CheckResult("novelty", novel, novel <= t.max_novel_rate, f"novel {t.novel_n}-grams"))
    else:
        results.append(CheckResult("novelty", None, None, "cross-lingual"))
    return _ordered(results)


def _ordered(results: list[CheckResult]) -> tuple[CheckResult, ...]:
    return tuple(sorted(results, key=lambda r: CHECK_NAMES.index(r.name)))
