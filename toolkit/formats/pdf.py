"""PDF as input, through pypdf (BSD): each page's text layer, its running headers and footers and
its page numbers left out, lines joined into paragraphs (a hyphen at a line's end joined back into
its word). A PDF is read, never written: its translation is Markdown, one paragraph a block."""

from __future__ import annotations

import io
from collections import Counter
from typing import Sequence

import regex

from toolkit.errors import InputError
from toolkit.formats import documents_library

# A page number: "7", "- 7 -", "Page 7", "7 / 12", "page 7 of 12" (any script's digits).
_PAGE_NUMBER = regex.compile(r"^[\s\-–—|]*(?:(?:page|faqe|صفحه)\s*)?\p{Nd}+(?:\s*(?:/|of|nga|از)\s*\p{Nd}+)?[\s\-–—|]*$", regex.I)
_EDGE_LINES = 3  # a running header or footer is among a page's first or last lines
_SENTENCE_END = regex.compile(r"[.!?…؟:\"'”’»)]$")
_DIGITS = regex.compile(r"\p{Nd}+")


def pdf_text(data: bytes, where: str) -> str:
    """The paragraphs of the PDF ``data``, blank lines between them; an InputError for a file that is
    not a PDF, an encrypted one, or one with no text layer (a scan)."""
    pypdf = documents_library("pypdf", where, "PDF")
    from pypdf.errors import PyPdfError
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):  # an owner password only opens without one
            raise InputError(f"{where}: an encrypted (password-protected) PDF",
                             "remove its password (`qpdf --decrypt --password=... in.pdf out.pdf`) and give that file")
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise InputError(f"{where}: not a readable PDF file ({type(exc).__name__}: {str(exc)[:80]})",
                         "check the file, or give it its real extension") from None
    if not any(regex.search(r"[\p{L}\p{N}]", page) for page in pages):
        raise InputError(f"{where}: a PDF with no text in it (a scanned document?)",
                         "run text recognition on it first (e.g. ocrmypdf in.pdf out.pdf) and give that file")
    return "\n\n".join(paragraphs(pages))


def _shape(line: str) -> str:
    """A line with its numbers blanked: a running header is the same on every page but for them."""
    return _DIGITS.sub("#", " ".join(line.split()))


def paragraphs(pages: Sequence[str]) -> list[str]:
    """The pages' lines without running headers and footers (lines, numbers aside, among the first
    or last lines of most pages) and page numbers, joined into paragraphs: a paragraph ends at a
    line that ends a sentence and is shorter than the page's long lines; a short line that does not end
    a sentence, alone before a paragraph, is a heading, a paragraph of its own."""
    lines = [[line.strip() for line in page.splitlines()] for page in pages]
    lines = [[line for line in page if line] for page in lines]
    edges = Counter(shape for page in lines for shape in {_shape(x) for x in page[:_EDGE_LINES] + page[-_EDGE_LINES:]})
    running = {shape for shape, n in edges.items() if len(pages) > 1 and n >= max(2, 0.6 * len(pages))}
    kept = [[x for i, x in enumerate(page) if not _PAGE_NUMBER.match(x)
             and not ((i < _EDGE_LINES or i >= len(page) - _EDGE_LINES) and _shape(x) in running)] for page in lines]
    widths = sorted(len(x) for page in kept for x in page)
    full = widths[int(len(widths) * 0.8)] if widths else 0  # a long line's length
    out: list[str] = []
    current = ""
    for page in kept:
        for line in page:
            if not current and len(line) < 0.6 * full and not _SENTENCE_END.search(line):  # a heading
                out.append(line)
                continue
            if current.endswith("-") and line[:1].islower():
                current = current[:-1] + line
            else:
                current = f"{current} {line}" if current else line
            if _SENTENCE_END.search(line) and len(line) < 0.85 * full:
                out.append(current)
                current = ""
    if current:
        out.append(current)
    return out
