"""Documents as plain text for reading: what ``summarize`` and ``chain`` take from a file of any kind
(and ``translate --extract-article``). A web page is its article (page furniture left out), Markdown
its words, subtitles their cue texts (no numbers, no timings), a PO catalogue its msgids, an XLIFF
file its sources, a DOCX, PPTX, ODT or ODP its paragraphs, an XLSX or ODS its text cells and
comments (no numbers, dates or formulas), a PDF its paragraphs (page headers, footers and numbers
left out), an EPUB its chapters in reading order."""

from __future__ import annotations

from pathlib import PurePath

from toolkit.formats import CONVERTED, FormatOptions, document_text, format_for, is_binary, parts_text

_HTML = (".html", ".htm", ".xhtml")
# Documents whose parts are paragraphs (and headings): read a paragraph each, so that a heading stays
# apart, a headline the summary leaves out, as a web page's does. The parts of the others (cells,
# XLIFF sources) are read a line each.
_PARAGRAPHS = (".docx", ".pptx", ".odt", ".odp")


def plain_text(name: str, data: bytes, errors: str = "strict") -> str:
    """The text of the document ``name`` (its bytes ``data``) to read, as plain text; ``errors``
    (strict or replace) for the undecodable bytes of a plain text file."""
    suffix = PurePath(name).suffix.lower()
    if suffix in CONVERTED:
        from toolkit.formats.pdf import pdf_text

        return pdf_text(data, name)
    if suffix == ".epub":
        from toolkit.formats.epub import FORMAT as EPUB

        return EPUB.read(data, name, FormatOptions()).text()
    fmt = format_for(name)
    if is_binary(fmt):  # XLIFF (in its own encoding), DOCX, PPTX: their parts
        return parts_text(fmt.read(data, name, FormatOptions(overwrite=True)), "\n\n" if suffix in _PARAGRAPHS else "\n")
    text = document_text(data, name, fmt, errors)
    if fmt is None:
        if suffix in (".md", ".markdown"):
            from toolkit.text.clean import markdown_to_text

            return markdown_to_text(text)
        return text
    if suffix in _HTML:
        from toolkit.text.clean import html_to_text

        fmt.check(text, name)  # a binary file is refused as such
        return html_to_text(text)
    return parts_text(fmt.read(text, name, FormatOptions(overwrite=True)), "\n")
