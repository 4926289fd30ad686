"""Document translation: layout kept, sentences pooled across documents, sorted, batched by tokens."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator, Mapping, Sequence

from toolkit.text.segment import Layout, cut_to_limit, split_layout, split_sentences_with_gaps
from toolkit.translate.base import Translator, with_defaults

# Scripts written without spaces between sentences.
_NO_SPACE_LANGS = {"ja", "zh"}


@dataclass
class _Doc:
    layout: Layout
    lines: list[list[tuple[str, str]]]  # per text line: its pieces (sentences, cut to the model's limit), each
    # with the text that follows it up to the next piece, kept verbatim


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
    sentences = [[split_sentences_with_gaps(line, translator.source) for line in layout.lines] for layout in layouts]
    flat = list(dict.fromkeys(s for doc in sentences for line in doc for s, _ in line))
    lengths = dict(zip(flat, translator.count_tokens(flat))) if flat else {}
    limit = translator.max_input_tokens

    def pieces(sentence: str, gap: str) -> list[tuple[str, str]]:
        if lengths[sentence] <= limit:
            return [(sentence, gap)]
        parts = cut_to_limit(sentence, lambda piece: translator.count_tokens([piece])[0], limit)
        lengths.update(zip((p for p, _ in parts), translator.count_tokens([p for p, _ in parts])))
        return [*parts[:-1], (parts[-1][0], gap)]

    docs = [_Doc(layout, [[p for s, gap in line for p in pieces(s, gap)] for line in doc])
            for layout, doc in zip(layouts, sentences)]
    return docs, lengths


def _gap(gap: str, source: str, target: str) -> str:
    """The text between two translated sentences: the source's, verbatim, except between scripts
    written with and without spaces between sentences (``ja``, ``zh``)."""
    if target in _NO_SPACE_LANGS and source not in _NO_SPACE_LANGS and gap.strip(" ") == "":
        return ""
    if source in _NO_SPACE_LANGS and target not in _NO_SPACE_LANGS and gap == "":
        return " "
    return gap


def default_batch_tokens(translator: Translator) -> int:
    """Padded tokens per batch: on a CPU 2048 for each engine that decodes a part of the batch in
    parallel (ct2: one per core), so that each part stays that large (docs/speed.md); 8192 on a GPU,
    where larger batches keep it busy."""
    return 2048 * with_defaults(translator).workers if translator.provenance.device == "cpu" else 8192


def translate_texts(texts: Sequence[str], translator: Translator, batch_tokens: int | None = None,
                    on_batch: Callable[[int], None] | None = None) -> list[str]:
    """Translate whole documents; each keeps its layout, line for line, and the text between its sentences."""
    batch_tokens = batch_tokens or default_batch_tokens(translator)
    docs, lengths = _prepare(texts, translator)
    units = [p for d in docs for line in d.lines for p, _ in line]
    return _render(docs, iter(translate_units(units, translator, batch_tokens, lengths, on_batch)), translator)


def translate_texts_nbest(texts: Sequence[str], translator: Translator, n: int,
                          batch_tokens: int | None = None) -> list[list[str]]:
    """The ``n`` best translations of each document, best first: the i-th puts together each
    sentence's i-th hypothesis, layout kept. The translation memory is not used (it keeps one
    translation per segment)."""
    translator = with_defaults(translator)
    batch_tokens = batch_tokens or default_batch_tokens(translator)
    docs, lengths = _prepare(texts, translator)
    unique = list(dict.fromkeys(p for d in docs for line in d.lines for p, _ in line))
    hypotheses: dict[str, list[str]] = {}
    for group in batches_by_tokens([lengths[u] * n for u in unique], batch_tokens):
        sentences = [unique[i] for i in group]
        hypotheses.update(zip(sentences, translator.translate_nbest(sentences, n)))
    return [[_render([d], (hypotheses[p][i] for line in d.lines for p, _ in line), translator)[0] for i in range(n)]
            for d in docs]


def _render(docs: list[_Doc], translated: Iterator[str], translator: Translator) -> list[str]:
    """Documents with their pieces replaced, in order, by ``translated``."""

    def join(line: list[tuple[str, str]]) -> str:
        return "".join(next(translated) + _gap(gap, translator.source, translator.target) for _, gap in line)

    return [d.layout.render([join(line) for line in d.lines]) for d in docs]
