"""Summary length: word and sentence limits turned into token bounds, and honoured afterwards."""

from __future__ import annotations

import math

from toolkit.summarize.base import SummaryLength
from toolkit.text.segment import split_sentences

DEFAULT_MAX_WORDS = 80
WORDS_PER_SENTENCE = 25  # for --sentences: room for N news-length sentences


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
    """Cut ``text`` back to whole sentences within the limit; (text, whether anything was cut).

    A first sentence longer than --max-words on its own is cut between words and ends in "…".
    """
    sentences = split_sentences(text, lang)
    if length.sentences is not None:
        kept = sentences[: length.sentences]
    elif length.max_words is not None:
        kept, used = [], 0
        for sentence in sentences:
            size = len(sentence.split())
            if used + size > length.max_words:
                break
            kept.append(sentence)
            used += size
        if not kept and sentences:
            kept = [" ".join(sentences[0].split()[: length.max_words]).rstrip(",;:،؛") + "…"]
    else:
        return text.strip(), False
    out = " ".join(kept)
    return out, out != " ".join(sentences)
