"""Document translation: layout kept, protected spans masked, sentences pooled across documents,
sorted, batched by tokens; each translated sentence comes back with its flags."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Iterator, Mapping, Sequence

from toolkit.text.codes import Protection, Segment, protect, restore
from toolkit.text.flags import Flag
from toolkit.text.segment import Layout, cut_to_limit, split_layout, split_sentences_with_gaps
from toolkit.translate.base import Translator, with_defaults

# A per-segment check: (source, translation) -> the flags it raises.
Check = Callable[[str, str], "tuple[Flag, ...]"]

# Scripts written without spaces between sentences.
_NO_SPACE_LANGS = {"ja", "zh"}


@dataclass(frozen=True)
class TranslatedSegment:
    """One translated sentence (or piece of a sentence cut to the model's limit) of a document, in order:
    its source and translation with every protected span in place, and its flags."""

    index: int
    source: str
    translation: str
    flags: tuple[Flag, ...] = ()
    part: str = ""  # where it is in a document (``cues 3-5``, ``entry 12 (msgid)``, ``line 4``); "" in a record's text
    line: int = 0  # the line of its text it is on, from 1


@dataclass(frozen=True)
class TranslatedDocument:
    text: str | bytes  # bytes: a binary document (DOCX) written back
    segments: tuple[TranslatedSegment, ...]


@dataclass
class _Doc:
    layout: Layout
    lines: list[list[tuple[Segment, str]]]  # per text line: its pieces (sentences, cut to the model's limit, masked),
    # each with the text that follows it up to the next piece, kept verbatim


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


def _prepare(texts: Sequence[str], translator: Translator, protection: Protection,
             markdown: Sequence[bool], markup: Sequence[bool] | None = None) -> tuple[list[_Doc], dict[str, int]]:
    """Split documents into sentences, their protected spans masked (before splitting, so that a URL's
    dots end no sentence), cutting any longer than the model's input limit; and the token count of every
    piece, from one tokenizer call for all the documents' sentences."""
    layouts = [split_layout(t, md) for t, md in zip(texts, markdown)]
    markup = markup or [False] * len(texts)
    masked = [[protect(line, replace(protection, markdown=md, html=protection.html or tags)) for line in layout.lines]
              for layout, md, tags in zip(layouts, markdown, markup)]
    sentences = [[[(line.part(s), gap) for s, gap in split_sentences_with_gaps(line.text, translator.source)]
                  for line in doc] for doc in masked]
    flat = list(dict.fromkeys(s.text for doc in sentences for line in doc for s, _ in line))
    lengths = dict(zip(flat, translator.count_tokens(flat))) if flat else {}
    limit = translator.max_input_tokens

    def pieces(sentence: Segment, gap: str) -> list[tuple[Segment, str]]:
        if lengths[sentence.text] <= limit:
            return [(sentence, gap)]
        parts = cut_to_limit(sentence.text, lambda piece: translator.count_tokens([piece])[0], limit)
        cut = [(sentence.part(p), g) for p, g in parts[:-1]] + [(sentence.part(parts[-1][0]), gap)]
        lengths.update(zip((p.text for p, _ in cut), translator.count_tokens([p.text for p, _ in cut])))
        return cut

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


def translate_documents(texts: Sequence[str], translator: Translator, batch_tokens: int | None = None,
                        on_batch: Callable[[int], None] | None = None, protection: Protection = Protection(),
                        markdown: Sequence[bool] | None = None, check: Check | None = None,
                        markup: Sequence[bool] | None = None) -> list[TranslatedDocument]:
    """Translate whole documents; each keeps its layout, line for line, and the text between its
    sentences. ``protection``: what the model must not see (its spans come back byte for byte);
    ``markdown``: per document, whether it is Markdown (code blocks kept, table cells and link texts
    translated); ``markup``: per document, whether its inline tags are codes (a subtitle's ``<i>``,
    ``{\\an8}``); ``check(source, translation)``: more flags for each segment."""
    batch_tokens = batch_tokens or default_batch_tokens(translator)
    docs, lengths = _prepare(texts, translator, protection, markdown or [False] * len(texts), markup)
    units = [p.text for d in docs for line in d.lines for p, _ in line]
    translated = iter(translate_units(units, translator, batch_tokens, lengths, on_batch))
    return [_render(d, translated, translator, check) for d in docs]


def translate_texts(texts: Sequence[str], translator: Translator, batch_tokens: int | None = None,
                    on_batch: Callable[[int], None] | None = None, protection: Protection = Protection(),
                    markdown: Sequence[bool] | None = None) -> list[str]:
    """``translate_documents``, the texts only."""
    return [d.text for d in translate_documents(texts, translator, batch_tokens, on_batch, protection, markdown)]


def translate_texts_nbest(texts: Sequence[str], translator: Translator, n: int, batch_tokens: int | None = None,
                          protection: Protection = Protection(), markdown: Sequence[bool] | None = None) -> list[list[str]]:
    """The ``n`` best translations of each document, best first: the i-th puts together each
    sentence's i-th hypothesis, layout kept. The translation memory is not used (it keeps one
    translation per segment)."""
    translator = with_defaults(translator)
    batch_tokens = batch_tokens or default_batch_tokens(translator)
    docs, lengths = _prepare(texts, translator, protection, markdown or [False] * len(texts))
    unique = list(dict.fromkeys(p.text for d in docs for line in d.lines for p, _ in line))
    hypotheses: dict[str, list[str]] = {}
    for group in batches_by_tokens([lengths[u] * n for u in unique], batch_tokens):
        sentences = [unique[i] for i in group]
        hypotheses.update(zip(sentences, translator.translate_nbest(sentences, n)))
    return [[_render(d, (hypotheses[p.text][i] for line in d.lines for p, _ in line), translator).text
             for i in range(n)] for d in docs]


def _render(doc: _Doc, translated: Iterator[str], translator: Translator, check: Check | None = None) -> TranslatedDocument:
    """A document with its pieces replaced, in order, by ``translated``, each with its spans restored."""
    segments: list[TranslatedSegment] = []

    def join(line: list[tuple[Segment, str]], number: int) -> str:
        out = []
        for piece, gap in line:
            text, flags = restore(next(translated), piece)
            source = piece.plain()
            flags += check(source, text) if check else ()
            segments.append(TranslatedSegment(len(segments), source, text, flags, line=number))
            out.append(text + _gap(gap, translator.source, translator.target))
        return "".join(out)

    text = doc.layout.render([join(line, n) for line, n in zip(doc.lines, doc.layout.line_numbers())])
    return TranslatedDocument(text, tuple(segments))
