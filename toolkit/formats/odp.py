"""OpenDocument presentations (ODP), on their XML with lxml (``toolkit.formats.odf``): every
paragraph of every slide (text boxes, titles, tables, grouped shapes) and of its speaker notes is
one part. Master pages (``styles.xml``) are copied as they were."""

from __future__ import annotations

from toolkit.formats.odf import DRAW, TABLE, OdfFormat, OdfParagraph, inside, paragraphs_in

NOTES = "{urn:oasis:names:tc:opendocument:xmlns:presentation:1.0}notes"
CELL = TABLE + "table-cell"


class Odp(OdfFormat):
    title = "OpenDocument presentation (ODP)"
    mimetype = "application/vnd.oasis.opendocument.presentation"

    def paragraphs(self, trees: dict) -> list[OdfParagraph]:
        found = []
        for number, page in enumerate(trees["content.xml"].getroot().iter(DRAW + "page"), 1):
            def label(p, n: int, number=number) -> str:
                where = f"notes {number}" if inside(p, NOTES) else f"slide {number}"
                return f"{where}{' table cell' if inside(p, CELL) else ''} paragraph {n}"

            found += paragraphs_in(page, label)
        return found


FORMAT = Odp()
