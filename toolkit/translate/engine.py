"""Document translation: layout kept, sentences pooled across documents, sorted, batched by tokens."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Sequence, TypeVar

from toolkit.text.segment import Layout, fit_to_limit, split_layout, split_sentences
from toolkit.translate.base import Translator

T = TypeVar("T")
# Scripts written without spaces between sentences.
_NO_SPACE_LANGS = {"ja", "zh"}


@dataclass
class _Doc:
    layout: Layout
    lines: list[list[str]]  # per text line: its pieces (sentences, cut to the model's limit)


def batches_by_tokens(lengths: Sequence[int], budget: int) -> list[list[int]]:
    """Indices sorted by length, grouped so that (longest in batch x batch size) <= budget."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    groups: list[list[int]] = []
    current: list[int] = []
    for i in order:
        if current and lengths[i] * (len(current) + 1) > budget:
            groups.append(current)
            current = []
        current.append(i)
    if current:
        groups.append(current)
    return groups


def translate_units(units: Sequence[str], translator: Translator, batch_tokens: int,
                    on_batch: Callable[[int], None] | None = None) -> list[str]:
    """Translate sentences in length-sorted, token-budgeted batches; results in input order.

    Identical sentences are translated once.
    """
    unique = list(dict.fromkeys(units))
    lengths = translator.count_tokens(unique)
    done: dict[str, str] = {}
    for group in batches_by_tokens(lengths, batch_tokens):
        sentences = [unique[i] for i in group]
        for sentence, translation in zip(sentences, translator.translate_batch(sentences)):
            done[sentence] = translation
        if on_batch:
            on_batch(len(group))
    return [done[u] for u in units]


def _prepare(text: str, translator: Translator) -> _Doc:
    """Split a document into sentences, cutting any longer than the model's input limit."""
    layout = split_layout(text)
    sentences = [split_sentences(line, translator.source) or [line] for line in layout.lines]
    flat = [s for line in sentences for s in line]
    too_long = {s for s, n in zip(flat, translator.count_tokens(flat)) if n > translator.max_input_tokens}

    def length(piece: str) -> int:
        return translator.count_tokens([piece])[0]

    lines = [
        [p for s in line for p in (fit_to_limit(s, length, translator.max_input_tokens) if s in too_long else [s])]
        for line in sentences
    ]
    return _Doc(layout, lines)


def default_batch_tokens(translator: Translator) -> int:
    """Padded tokens per batch: 2048 on a CPU (measured as fast as larger batches there, with less
    memory; see README), 8192 on a GPU, where larger batches keep it busy."""
    return 2048 if translator.provenance.device == "cpu" else 8192


def translate_texts(texts: Sequence[str], translator: Translator, batch_tokens: int | None = None,
                    on_batch: Callable[[int], None] | None = None) -> list[str]:
    """Translate whole documents; each keeps its layout, line for line."""
    batch_tokens = batch_tokens or default_batch_tokens(translator)
    docs = [_prepare(t, translator) for t in texts]
    units = [p for d in docs for line in d.lines for p in line]
    translated = iter(translate_units(units, translator, batch_tokens, on_batch))
    joiner = "" if translator.target in _NO_SPACE_LANGS else " "
    return [d.layout.render([joiner.join(next(translated) for _ in line) for line in d.lines]) for d in docs]


def count_sentences(text: str, lang: str) -> int:
    return sum(len(split_sentences(line, lang)) for line in split_layout(text).lines)


def pooled(items: Iterable[T], size_of: Callable[[T], int], pool_size: int) -> Iterator[list[T]]:
    """Group a stream into pools of about ``pool_size`` units, so memory is bounded by the pool."""
    pool: list[T] = []
    total = 0
    for item in items:
        pool.append(item)
        total += size_of(item)
        if total >= pool_size:
            yield pool
            pool, total = [], 0
    if pool:
        yield pool
