"""OpenDocument spreadsheets (ODS), on their XML with lxml (``toolkit.formats.odf``): the
paragraphs of every text cell (``office:value-type="string"``, no formula) are parts, named
``sheet Results cell A1``, spans and links inside them inline codes as in ODT; so are the comments
(``office:annotation``) on any cell, the text of shapes, and the headers and footers. Formulas,
numbers, dates, times, percentages, currencies and booleans are left as they are (their ``text:p``
only shows the value), and so are text cells with no letter in them (as in XLSX) and sheet names
(formulas refer to them). A text cell's ``office:string-value``, where a writer gives one, is
dropped once its text is translated: the translated text is then the cell's value. Direction and
language are set as for every ODF document (a right-to-left target: every sheet's table style
``style:writing-mode="rl-tb"``)."""

from __future__ import annotations

from toolkit.formats import has_letters
from toolkit.formats.ooxml import ancestor
from toolkit.formats.odf import (DRAW, OFFICE, TABLE, TEXT, OdfFormat, OdfParagraph, margin_paragraphs,
                                 paragraphs_in, quiet_styles)

_CELLS = (TABLE + "table-cell", TABLE + "covered-table-cell")
_STRING_VALUE = OFFICE + "string-value"


def column_name(number: int) -> str:
    """A spreadsheet column's name: 1 -> A, 27 -> AA."""
    name = ""
    while number:
        number, rest = divmod(number - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def _is_text(cell) -> bool:
    """Whether a cell holds typed text (not a formula, nor a value its paragraphs only show)."""
    return cell.get(TABLE + "formula") is None and cell.get(OFFICE + "value-type", "string") == "string"


def _where(p, cell) -> str | None:
    """What a paragraph of ``cell`` is: '' (the cell's text), ' comment', ' shape', or None (a
    value's rendering: kept)."""
    parent = p.getparent()
    while parent is not cell:
        if parent.tag == OFFICE + "annotation":
            return " comment"
        if parent.tag.startswith(DRAW):
            return " shape"
        parent = parent.getparent()
    return "" if _is_text(cell) else None


def _cell_paragraphs(cell, label: str, quiet: frozenset[str]) -> list[OdfParagraph]:
    found, counts = [], {}
    for p in cell.iter(TEXT + "p", TEXT + "h"):
        where = _where(p, cell)
        if where is None:
            continue
        paragraph = OdfParagraph(p, quiet)
        if not has_letters(paragraph.plain):
            continue
        counts[where] = counts.get(where, 0) + 1
        paragraph.label = label + where + (f" paragraph {counts[where]}" if counts[where] > 1 else "")
        found.append(paragraph)
    if "" in counts:
        cell.attrib.pop(_STRING_VALUE, None)
    return found


def _rows(table):
    """A sheet's rows (in row groups and header rows too), not those of a table inside a cell."""
    return (row for row in table.iter(TABLE + "table-row") if ancestor(row, None, {TABLE + "table"}) is table)


def sheet_paragraphs(table) -> list[OdfParagraph]:
    """The paragraphs translated in one sheet, each named by its cell (repeated rows and cells counted)."""
    name, found, row_number, quiet = table.get(TABLE + "name"), [], 0, quiet_styles(table)
    for row in _rows(table):
        row_number += 1
        column = 1
        for cell in row:
            if cell.tag not in _CELLS:
                continue
            if len(cell):
                found += _cell_paragraphs(cell, f"sheet {name} cell {column_name(column)}{row_number}", quiet)
            column += int(cell.get(TABLE + "number-columns-repeated", "1"))
        row_number += int(row.get(TABLE + "number-rows-repeated", "1")) - 1
    for shapes in table.findall(TABLE + "shapes"):
        found += paragraphs_in(shapes, lambda p, n: f"sheet {name} shape paragraph {n}")
    return found


class Ods(OdfFormat):
    title = "OpenDocument spreadsheet (ODS)"
    mimetype = "application/vnd.oasis.opendocument.spreadsheet"

    def paragraphs(self, trees: dict) -> list[OdfParagraph]:
        found = []
        for spreadsheet in trees["content.xml"].getroot().iter(OFFICE + "spreadsheet"):
            for table in spreadsheet.findall(TABLE + "table"):
                found += sheet_paragraphs(table)
        return found + margin_paragraphs(trees.get("styles.xml"))


FORMAT = Ods()
