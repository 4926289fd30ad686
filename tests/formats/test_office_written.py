"""The corpus's news article as an office suite writes it: LibreOffice makes DOCX, EPUB and HTML of
an OpenDocument text of the article, and the three go through ``toolkit translate`` as one folder
job with a tiny real model: none fails, and every paragraph comes back translated, in its place."""

from __future__ import annotations

import html
import io
import zipfile
from pathlib import Path

import pytest
import regex

from tests.corpus import corpus_file
from tests.formats.docx_files import convert, paragraph_texts, soffice
from tests.formats.test_docx import run

ARTICLE = "mehr-iran-albania-2022.txt"
_BLOCK = regex.compile(r"<(p|h[1-6])\b[^>]*>(.*?)</\1>", regex.S)


def _fodt(blocks: list[str]) -> str:
    """The article as a flat OpenDocument text: its first block a heading, the others paragraphs."""
    body = [f'<text:h text:outline-level="1">{html.escape(blocks[0], quote=False)}</text:h>']
    body += [f"<text:p>{html.escape(block, quote=False)}</text:p>" for block in blocks[1:]]
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
            ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3"'
            ' office:mimetype="application/vnd.oasis.opendocument.text"><office:body><office:text>'
            + "".join(body) + "</office:text></office:body></office:document>\n")


def _page_blocks(page: str) -> list[str]:
    """A page's paragraphs and headings, as their text reads (tags out, entities in, spaces collapsed)."""
    return [" ".join(html.unescape(regex.sub(r"<[^<>]*>", "", m.group(2))).split()) for m in _BLOCK.finditer(page)]


def _blocks(name: str, data: bytes) -> list[str]:
    """A document's paragraphs with text, in order, read from its XML (not by the format being tested)."""
    if name.endswith(".docx"):
        return paragraph_texts(data)["word/document.xml"]
    if name.endswith(".html"):
        return [b for b in _page_blocks(data.decode("utf-8")) if b]
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return [b for n in sorted(book.namelist()) if n.startswith("OEBPS/sections/")
                for b in _page_blocks(book.read(n).decode("utf-8")) if b]


@pytest.fixture(scope="module")
def article(tmp_path_factory) -> tuple[list[str], Path]:
    """The article's blocks, and a folder of it as LibreOffice writes it: article.docx, .epub, .html."""
    soffice()
    blocks = [" ".join(b.split()) for b in corpus_file(ARTICLE).read_text("utf-8").split("\n\n") if b.strip()]
    folder = tmp_path_factory.mktemp("office-written")
    (folder / "src").mkdir()
    (folder / "src" / "article.fodt").write_text(_fodt(blocks), "utf-8")
    (folder / "docs").mkdir()
    for kind in ("docx", "epub", "html"):
        convert(folder / "src" / "article.fodt", kind, folder / "docs")
    return blocks, folder / "docs"


def test_libreoffice_written_documents_of_the_article_are_translated_paragraph_by_paragraph(article, marian_model, tmp_path):
    blocks, docs = article
    for path in sorted(docs.glob("article.*")):  # LibreOffice wrote every paragraph, as it reads in the XML
        assert _blocks(path.name, path.read_bytes()) == blocks, path.name
    result = run("translate", docs, "--to", "sq", "--model", marian_model, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    for kind in ("docx", "epub", "html"):
        translated = _blocks(f"article.sq.{kind}", (tmp_path / "out" / f"article.sq.{kind}").read_bytes())
        assert len(translated) == len(blocks), kind  # nothing lost, nothing doubled
        left = [source for source, out in zip(blocks, translated) if source == out]
        assert not left, f"{kind}: left untranslated: {left}"
