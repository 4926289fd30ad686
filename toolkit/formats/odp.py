"""OpenDocument presentations (ODP), on their XML with lxml (``toolkit.formats.odf``): every
paragraph of every slide (text boxes, titles, tables, grouped shapes) and of its speaker notes is
one part, and so are the slides' footer and header texts (``presentation:footer-decl``) and every
paragraph a master page (``styles.xml``) shows on its slides (a banner, a text box); its
placeholders' prompts ("Click to edit Master title style") are never shown, and stay."""

from __future__ import annotations

from toolkit.formats.odf import DRAW, STYLE, TABLE, OdfFormat, OdfParagraph, inside, paragraphs_in, quiet_styles

PRESENTATION = "{urn:oasis:names:tc:opendocument:xmlns:presentation:1.0}"
NOTES = PRESENTATION + "notes"
CELL = TABLE + "table-cell"
MASTER_PAGE = STYLE + "master-page"


def _placeholder(p) -> bool:
    """Whether ``p`` is in a placeholder (a shape with a ``presentation:class``) or a notes page."""
    node = p.getparent()
    while node is not None and node.tag != MASTER_PAGE:
        if node.get(PRESENTATION + "class") is not None or node.tag == NOTES:
            return True
        node = node.getparent()
    return False


class Odp(OdfFormat):
    title = "OpenDocument presentation (ODP)"
    mimetype = "application/vnd.oasis.opendocument.presentation"

    def paragraphs(self, trees: dict) -> list[OdfParagraph]:
        found, content = [], trees["content.xml"].getroot()
        quiet = quiet_styles(content)
        for number, page in enumerate(content.iter(DRAW + "page"), 1):
            def label(p, n: int, number=number) -> str:
                where = f"notes {number}" if inside(p, NOTES) else f"slide {number}"
                return f"{where}{' table cell' if inside(p, CELL) else ''} paragraph {n}"

            found += paragraphs_in(page, label, quiet=quiet)
        for kind in ("footer", "header"):  # a slide's footer text (PowerPoint's footer placeholder, as LibreOffice keeps it)
            for n, declared in enumerate(content.iter(f"{PRESENTATION}{kind}-decl"), 1):
                paragraph = OdfParagraph(declared, quiet)
                if paragraph.plain.strip():
                    paragraph.label = f"{kind} {n}"
                    found.append(paragraph)
        styles = trees.get("styles.xml")
        masters = list(styles.getroot().iter(MASTER_PAGE)) if styles is not None else []
        quiet = quiet_styles(styles.getroot()) if masters else frozenset()
        for master in masters:
            name = master.get(STYLE + "display-name") or master.get(STYLE + "name")
            found += paragraphs_in(master, lambda p, n, name=name: f"master {name} paragraph {n}", _placeholder, quiet)
        return found


FORMAT = Odp()
