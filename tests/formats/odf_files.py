"""ODT and ODP test documents: LibreOffice's conversions of the DOCX and PPTX test documents
(``soffice --convert-to odt|odp``), and of a flat ODT with a footnote and an endnote.
``paragraph_texts`` reads every paragraph's text back, as ODF says it reads (spaces, tabs and
line breaks as characters; notes, frames and fields left out; deleted text of tracked changes, which
is not translated, left out too)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lxml import etree

from tests.formats.docx_files import NOTES_FODT, convert, make_docx
from tests.formats.pptx_files import make_messy_pptx, make_pptx

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
FO = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


def make_odf(folder: Path) -> dict[str, bytes]:
    """news.odt, deck.odp, messy.odp (PowerPoint's layout and master banners on LibreOffice's master
    pages) and notes.odt, as LibreOffice writes them."""
    (folder / "src").mkdir()
    (folder / "src" / "news.docx").write_bytes(make_docx())
    (folder / "src" / "deck.pptx").write_bytes(make_pptx())
    (folder / "src" / "messy.pptx").write_bytes(make_messy_pptx())
    (folder / "src" / "notes.fodt").write_text(NOTES_FODT, "utf-8")
    return {"news.odt": convert(folder / "src" / "news.docx", "odt", folder).read_bytes(),
            "deck.odp": convert(folder / "src" / "deck.pptx", "odp", folder).read_bytes(),
            "messy.odp": convert(folder / "src" / "messy.pptx", "odp", folder).read_bytes(),
            "notes.odt": convert(folder / "src" / "notes.fodt", "odt", folder).read_bytes()}


def _text(node) -> str:
    out = [node.text or ""]
    for child in node:
        if child.tag in (TEXT + "span", TEXT + "a"):
            out.append(_text(child))
        elif child.tag == TEXT + "s":
            out.append(" " * int(child.get(TEXT + "c", "1")))
        elif child.tag in (TEXT + "tab", TEXT + "line-break"):
            out.append("\t" if child.tag == TEXT + "tab" else "\n")
        out.append(child.tail or "")
    return "".join(out)


def paragraph_texts(data: bytes) -> dict[str, list[str]]:
    """content.xml's and styles.xml's paragraphs and headings (those with text), in order."""
    out = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in ("content.xml", "styles.xml"):
            root = etree.fromstring(archive.read(name))
            deleted = {p for changes in root.iter(TEXT + "tracked-changes") for p in changes.iter(TEXT + "p")}
            out[name] = [t for t in (_text(p) for p in root.iter(TEXT + "p", TEXT + "h") if p not in deleted) if t.strip()]
    return out


def xml(data: bytes, name: str = "content.xml"):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))
