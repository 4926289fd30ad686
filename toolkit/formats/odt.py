"""OpenDocument text (ODT), on its XML with lxml (``toolkit.formats.odf``): every paragraph and
heading of the body (lists, tables, frames, footnotes and endnotes, comments) and of the headers and
footers (``styles.xml``) is one part; deleted text of tracked changes is left as it is."""

from __future__ import annotations

from toolkit.formats.odf import (DRAW, OFFICE, TABLE, TEXT, OdfFormat, OdfParagraph, inside, margin_paragraphs,
                                 paragraphs_in)

_WHERE = ((TEXT + "note", "note "), (OFFICE + "annotation", "comment "), (DRAW + "frame", "frame "),
          (TABLE + "table-cell", "table cell "))


def _label(p, n: int) -> str:
    return next((what for tag, what in _WHERE if inside(p, tag)), "") + f"paragraph {n}"


class Odt(OdfFormat):
    title = "OpenDocument text (ODT)"
    mimetype = "application/vnd.oasis.opendocument.text"

    def paragraphs(self, trees: dict) -> list[OdfParagraph]:
        found = paragraphs_in(trees["content.xml"].getroot(), _label, lambda p: inside(p, TEXT + "tracked-changes"))
        return found + margin_paragraphs(trees.get("styles.xml"))


FORMAT = Odt()
