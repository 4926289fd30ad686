"""Unicode word tokenisation for overlap metrics (ROUGE, novel n-grams, repetition).

A token is a maximal run of letters, combining marks and digits in any script, after the
language's normalisation (``toolkit.text.normalize``) and case folding. On plain ASCII this is
exactly rouge-score's tokeniser (runs of ``[a-z0-9]``), so scores agree; unlike it, Persian,
Albanian ë/ç, Devanagari vowel signs and the rest stay inside their words. English tokens of more
than three characters can be Porter-stemmed the way rouge-score does it (NLTK's PorterStemmer).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from toolkit.text.normalize import ZWNJ, normalizer_for
from toolkit.text.segment import split_sentences

_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")
_ZWNJ_WORD = regex.compile(rf"[\p{{L}}\p{{M}}\p{{N}}](?:[\p{{L}}\p{{M}}\p{{N}}]|{ZWNJ}(?=[\p{{L}}\p{{M}}\p{{N}}]))*")
STEM_LANGUAGES = {"en"}
ZWNJ_MODES = ("join", "keep")


@dataclass
class Tokenizer:
    """Normalise, case-fold, split into words and (English) stem; results are cached.

    ``zwnj``: ``join`` drops the zero-width non-joiner, so می‌شود and میشود are one token;
    ``keep`` keeps it inside the token, so the two differ.
    """

    lang: str = "en"
    stem: bool = True
    zwnj: str = "join"
    _cache: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _stems: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self):
        if self.zwnj not in ZWNJ_MODES:
            raise ValueError(f"zwnj must be one of {ZWNJ_MODES}, not {self.zwnj!r}")
        self.lang = self.lang.lower()
        self.stem = self.stem and self.lang in STEM_LANGUAGES
        self._normalize, self._norm_name = normalizer_for(self.lang)
        self._stemmer = None
        if self.stem:
            from nltk.stem import porter

            self._stemmer = porter.PorterStemmer()

    @property
    def signature(self) -> str:
        """How text became tokens, e.g. ``tok:unicode-v1|norm:fa-v1|zwnj:join|case:fold|stem:none``."""
        stem = "porter" if self.stem else "none"
        zwnj = f"|zwnj:{self.zwnj}" if self.lang == "fa" else ""
        return f"tok:unicode-v1|norm:{self._norm_name}{zwnj}|case:fold|stem:{stem}"

    def __call__(self, text: str) -> list[str]:
        tokens = self._cache.get(text)
        if tokens is None:
            tokens = self._tokenize(text)
            self._cache[text] = tokens
        return tokens

    def _tokenize(self, text: str) -> list[str]:
        text = self._normalize(text).casefold()
        if self.zwnj == "join":
            tokens = _WORD.findall(text.replace(ZWNJ, ""))
        else:
            tokens = _ZWNJ_WORD.findall(text)
        if self._stemmer is None:
            return tokens
        stems = self._stems
        out = []
        for token in tokens:
            stem = stems.get(token)
            if stem is None:
                stem = self._stemmer.stem(token) if len(token) > 3 else token
                stems[token] = stem
            out.append(stem)
        return out

    def sentences(self, text: str) -> list[list[str]]:
        """Tokens of each sentence: lines first, then ``split_sentences`` within each line."""
        out = []
        for line in text.splitlines():
            for sentence in split_sentences(line, self.lang):
                tokens = self(sentence)
                if tokens:
                    out.append(tokens)
        return out
