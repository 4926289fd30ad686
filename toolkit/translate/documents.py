"""Records as the texts the engine translates: a plain document is one text; a document of a known
format (``toolkit.formats``) one text per part, pooled with the others, and its translated parts
written back into a document of the same kind."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

from toolkit.formats import FormatOptions, Parsed, format_for, is_binary
from toolkit.io.inputs import Record
from toolkit.translate.engine import TranslatedDocument


def is_markdown(record: Record) -> bool:
    """A Markdown document (by its name): its code blocks kept, its table cells and link texts translated."""
    return (record.relpath or "").lower().endswith(".md")


@dataclass(frozen=True)
class PooledTexts:
    """What a pool of records is translated as: ``texts`` (with ``markdown`` and ``markup``, per
    text), and per record its first text, its number of texts and its parsed document (None: plain)."""

    texts: list[str]
    markdown: list[bool]
    markup: list[bool]
    records: list[tuple[int, int, Parsed | None, bool]]  # ... and whether it is a document (a file)

    def assemble(self, translated: Sequence[TranslatedDocument], target: str) -> list[TranslatedDocument]:
        """One translated document per record: a parsed one written back with its translated parts,
        its segments named by their part; a plain document's segments named by their line; a text
        (a JSONL or CSV record's) as it came."""
        return [write_document(parsed, translated[start:start + count], target) if parsed is not None
                else lines_named(translated[start]) if document else translated[start]
                for start, count, parsed, document in self.records]


def lines_named(document: TranslatedDocument) -> TranslatedDocument:
    """A plain document (text, Markdown, a PDF's text) with each segment named by its line, the same
    line in the source and the translation (the layout is kept line for line)."""
    return replace(document, segments=tuple(replace(s, part=f"line {s.line}") for s in document.segments))


def write_document(parsed: Parsed, parts: Sequence[TranslatedDocument], target: str) -> TranslatedDocument:
    """A parsed document written back with its parts' translations (in order), its segments named by
    their part and numbered through the document."""
    segments = [replace(s, part=part.label) for part, doc in zip(parsed.parts, parts) for s in doc.segments]
    return TranslatedDocument(parsed.write([d.text for d in parts], target),
                              tuple(replace(s, index=n) for n, s in enumerate(segments)))


def pool_texts(records: Sequence[Record], options: FormatOptions) -> PooledTexts:
    """The texts of ``records``, a document of a known format read into its parts (once per target:
    writing fills the parsed document in)."""
    texts: list[str] = []
    markdown: list[bool] = []
    markup: list[bool] = []
    spans: list[tuple[int, int, Parsed | None, bool]] = []
    for record in records:
        fmt = format_for(record.relpath) if record.relpath else None
        parsed = fmt.read(record.data if is_binary(fmt) else record.text, record.origin, options) if fmt else None
        pieces = [record.text] if parsed is None else [p.text for p in parsed.parts]
        spans.append((len(texts), len(pieces), parsed, bool(record.relpath)))
        texts.extend(pieces)
        markdown.extend([parsed is None and is_markdown(record)] * len(pieces))
        markup.extend([fmt is not None and fmt.markup] * len(pieces))
    return PooledTexts(texts, markdown, markup, spans)
