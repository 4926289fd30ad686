"""Summary length: word and sentence limits turned into token bounds, and honoured afterwards."""

from __future__ import annotations

import math

from toolkit.summarize.base import SummaryLength
from toolkit.text.segment import split_sentences

DEFAULT_MAX_WORDS = 80
WORDS_PER_SENTENCE = 25  # for --sentences: room for N news-length sentences


def word_limit(length: SummaryLength) -> int | None:
    """The most words a summary may have: ``--max-words``, else the default unless ``--sentences`` was given."""
    if length.sentences is not None:
        return None
    return length.max_words if length.max_words is not None else DEFAULT_MAX_WORDS


def target_words(length: SummaryLength) -> int:
    if length.max_words is not None:
        return length.max_words
    if length.sentences is not None:
        return length.sentences * WORDS_PER_SENTENCE
    return DEFAULT_MAX_WORDS


def token_bounds(length: SummaryLength, tokens_per_word: float, ceiling: int) -> tuple[int, int]:
    """(min_new_tokens, max_new_tokens) for a summary of ``length``, measured in the model's tokens."""
    most = max(8, min(ceiling, math.ceil(target_words(length) * tokens_per_word * 1.1) + 2))
    least = max(1, min(most - 1, int(most * 0.4)))
    return least, most


def fit_length(text: str, lang: str, length: SummaryLength) -> tuple[str, bool]:
    """Cut ``text`` back to whole sentences within the limit (the default one when none was
    given); (text, whether anything was cut).

    A first sentence longer than the word limit on its own is cut between words and ends in "…".
    """
    sentences = split_sentences(text, lang)
    limit = word_limit(length)
    if limit is None:
        kept = sentences[: length.sentences]
    else:
        kept, used = [], 0
        for sentence in sentences:
            size = len(sentence.split())
            if used + size > limit:
                break
            kept.append(sentence)
            used += size
        if not kept and sentences:
            kept = [" ".join(sentences[0].split()[:limit]).rstrip(",;:،؛") + "…"]
    out = " ".join(kept)
    return out, out != " ".join(sentences)
