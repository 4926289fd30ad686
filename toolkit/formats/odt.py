"""OpenDocument text (ODT), on its XML with lxml (``toolkit.formats.odf``): every paragraph and
heading of the body (lists, tables, frames, footnotes and endnotes, comments) and of the headers and
footers (``styles.xml``) is one part; deleted text of tracked changes is left as it is."""

from __future__ import annotations

from toolkit.formats.odf import STYLE, TEXT, OdfFormat, OdfParagraph, inside, paragraphs_in

OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_WHERE = ((TEXT + "note", "note "), (OFFICE + "annotation", "comment "), (DRAW + "frame", "frame "),
          (TABLE + "table-cell", "table cell "))
_MARGINS = {STYLE + n: n.split("-")[0] + " " for n in ("header", "header-left", "header-first", "footer", "footer-left",
                                                      "footer-first")}


def _label(p, n: int) -> str:
    return next((what for tag, what in _WHERE if inside(p, tag)), "") + f"paragraph {n}"


def _margin_label(p, n: int) -> str:
    parent = p.getparent()
    while parent.tag not in _MARGINS:
        parent = parent.getparent()
    return f"{_MARGINS[parent.tag]}paragraph {n}"


class Odt(OdfFormat):
    title = "OpenDocument text (ODT)"
    mimetype = "application/vnd.oasis.opendocument.text"

    def paragraphs(self, trees: dict) -> list[OdfParagraph]:
        found = paragraphs_in(trees["content.xml"].getroot(), _label, lambda p: inside(p, TEXT + "tracked-changes"))
        styles = trees.get("styles.xml")
        for margin in styles.iter(*_MARGINS) if styles is not None else ():
            found += paragraphs_in(margin, _margin_label)
        return found


FORMAT = Odt()
