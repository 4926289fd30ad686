"""Document translation: layout kept, sentences pooled across documents, sorted, batched by tokens."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

from toolkit.text.segment import Layout, fit_to_limit, split_layout, split_sentences
from toolkit.translate.base import Translator

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


def translate_units(units: Sequence[str], translator: Translator, batch_tokens: int, lengths: Mapping[str, int],
                    on_batch: Callable[[int], None] | None = None) -> list[str]:
    """Translate sentences (``lengths``: their token counts) in length-sorted, token-budgeted batches;
    results in input order. Identical sentences are translated once.
    """
    unique = list(dict.fromkeys(units))
    done: dict[str, str] = {}
    for group in batches_by_tokens([lengths[u] for u in unique], batch_tokens):
        sentences = [unique[i] for i in group]
        for sentence, translation in zip(sentences, translator.translate_batch(sentences)):
            done[sentence] = translation
        if on_batch:
            on_batch(len(group))
    return [done[u] for u in units]


def _prepare(texts: Sequence[str], translator: Translator) -> tuple[list[_Doc], dict[str, int]]:
    """Split documents into sentences, cutting any longer than the model's input limit; and the token
    count of every piece, from one tokenizer call for all the documents' sentences."""
    layouts = [split_layout(t) for t in texts]
    sentences = [[split_sentences(line, translator.source) or [line] for line in layout.lines] for layout in layouts]
    flat = list(dict.fromkeys(s for doc in sentences for line in doc for s in line))
    lengths = dict(zip(flat, translator.count_tokens(flat))) if flat else {}
    limit = translator.max_input_tokens

    def pieces(sentence: str) -> list[str]:
        if lengths[sentence] <= limit:
            return [sentence]
        parts = fit_to_limit(sentence, lambda piece: translator.count_tokens([piece])[0], limit)
        lengths.update(zip(parts, translator.count_tokens(parts)))
        return parts

    docs = [_Doc(layout, [[p for s in line for p in pieces(s)] for line in doc]) for layout, doc in zip(layouts, sentences)]
    return docs, lengths


def default_batch_tokens(translator: Translator) -> int:
    """Padded tokens per batch: 2048 on a CPU (measured as fast as larger batches there, with less
    memory; see README), 8192 on a GPU, where larger batches keep it busy."""
    return 2048 if translator.provenance.device == "cpu" else 8192


def translate_texts(texts: Sequence[str], translator: Translator, batch_tokens: int | None = None,
                    on_batch: Callable[[int], None] | None = None) -> list[str]:
    """Translate whole documents; each keeps its layout, line for line."""
    batch_tokens = batch_tokens or default_batch_tokens(translator)
    docs, lengths = _prepare(texts, translator)
    units = [p for d in docs for line in d.lines for p in line]
    translated = iter(translate_units(units, translator, batch_tokens, lengths, on_batch))
    joiner = "" if translator.target in _NO_SPACE_LANGS else " "
    return [d.layout.render([joiner.join(next(translated) for _ in line) for line in d.lines]) for d in docs]


def translate_texts_nbest(texts: Sequence[str], translator: Translator, n: int,
                          batch_tokens: int | None = None) -> list[list[str]]:
    """The ``n`` best translations of each document, best first: the i-th puts together each
    sentence's i-th hypothesis, layout kept. Needs a backend with ``translate_nbest``; the
    translation memory is not used (it keeps one translation per segment)."""
    inner = getattr(translator, "inner", translator)
    batch_tokens = batch_tokens or default_batch_tokens(translator)
    docs, lengths = _prepare(texts, translator)
    unique = list(dict.fromkeys(p for d in docs for line in d.lines for p in line))
    hypotheses: dict[str, list[str]] = {}
    for group in batches_by_tokens([lengths[u] * n for u in unique], batch_tokens):
        sentences = [unique[i] for i in group]
        hypotheses.update(zip(sentences, inner.translate_nbest(sentences, n)))
    joiner = "" if translator.target in _NO_SPACE_LANGS else " "
    return [[d.layout.render([joiner.join(hypotheses[p][i] for p in line) for line in d.lines]) for i in range(n)]
            for d in docs]

