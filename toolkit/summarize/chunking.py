"""Long articles: token-aware chunks on sentence boundaries, summarised, then summarised again.

An article longer than the model's input limit is cut into chunks of whole sentences that fit,
each starting with the last sentences of the one before (the overlap). Each chunk is summarised;
the joined partial summaries are summarised again, recursively while they still overflow.
Nothing is truncated: a sentence longer than the limit is cut at clause boundaries instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Protocol, Sequence

from toolkit.errors import ModelError
from toolkit.summarize.base import Chunking
from toolkit.text.segment import fit_to_limit, split_paragraphs, split_sentences

OVERLAP_FRACTION = 0.1  # of the input limit, carried from one chunk into the next
MAX_LEVELS = 8


class Generator(Protocol):
    """A model that summarises texts already within its input limit."""

    max_input_tokens: int

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Tokens each text takes as model input, prompt and special tokens included."""
        ...

    def generate(self, texts: Sequence[str], min_new_tokens: int, max_new_tokens: int) -> list[str]:
        ...


def chunk_text(text: str, lang: str, count: Callable[[Sequence[str]], list[int]], budget: int, overlap: int) -> list[str]:
    """Whole-sentence chunks of at most ``budget`` tokens, consecutive ones sharing up to ``overlap``."""
    sentences = [s for p in split_paragraphs(text) for s in split_sentences(p, lang)]
    sizes = count(sentences)
    pieces: list[tuple[str, int]] = []
    for sentence, size in zip(sentences, sizes):
        if size <= budget:
            pieces.append((sentence, size))
        else:
            parts = fit_to_limit(sentence, lambda s: count([s])[0], budget)
            pieces.extend(zip(parts, count(parts)))
    chunks: list[list[tuple[str, int]]] = []
    current: list[tuple[str, int]] = []
    fresh = 0  # sentences in ``current`` not carried over from the previous chunk
    for piece in pieces:
        if current and fresh and sum(n for _, n in current) + piece[1] > budget:
            chunks.append(current)
            current = _tail(current, overlap, budget - piece[1])
            fresh = 0
        current.append(piece)
        fresh += 1
    if fresh or not chunks:
        chunks.append(current)
    return [" ".join(s for s, _ in chunk) for chunk in chunks]


def _tail(chunk: list[tuple[str, int]], overlap: int, room: int) -> list[tuple[str, int]]:
    """The last sentences of ``chunk`` within ``overlap`` tokens and the ``room`` left; never all of it."""
    tail: list[tuple[str, int]] = []
    used = 0
    for piece in reversed(chunk[1:]):
        if used + piece[1] > min(overlap, room):
            break
        tail.insert(0, piece)
        used += piece[1]
    return tail


@dataclass(frozen=True)
class Reduced:
    text: str
    chunking: Chunking


def summarize_long(text: str, lang: str, model: Generator, bounds: tuple[int, int]) -> Reduced:
    """Summarise ``text`` within ``bounds`` (min, max new tokens), chunking while it overflows."""
    limit = model.max_input_tokens
    overhead = model.count_tokens([""])[0]
    budget = max(8, int((limit - overhead) * 0.97))  # sentence counts add up to slightly less than the whole
    overlap = int(budget * OVERLAP_FRACTION)
    input_tokens = model.count_tokens([text])[0]
    partial_max = max(2, min(bounds[1], budget // 2))  # each level at least halves the text
    partial_bounds = (min(bounds[0], partial_max // 2), partial_max)
    current, first_chunks, levels = text, 1, 1
    while model.count_tokens([current])[0] > limit:
        if levels > MAX_LEVELS:
            raise ModelError(f"the article did not fit the model's input limit ({limit} tokens) after {MAX_LEVELS} levels of summaries")
        chunks = chunk_text(current, lang, _without_overhead(model, overhead), budget, overlap)
        if levels == 1:
            first_chunks = len(chunks)
        # A chunk, or a partial summary, the text repeats is summarised, and then reduced, once.
        partials = model.generate(list(dict.fromkeys(chunks)), *partial_bounds)
        current = "\n\n".join(dict.fromkeys(p for p in partials if p.strip()))
        levels += 1
    summary = model.generate([current], *bounds)[0]
    chunking = Chunking(input_tokens, limit, first_chunks, levels, overlap if levels > 1 else 0)
    return Reduced(summary, chunking)


def _without_overhead(model: Generator, overhead: int) -> Callable[[Sequence[str]], list[int]]:
    return lambda texts: [max(0, n - overhead) for n in model.count_tokens(texts)]
