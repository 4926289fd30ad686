"""XLSX test workbooks, made with openpyxl: text cells (one shown twice, one with rich text), numbers,
a date, formulas (one computing text, one naming the other sheet), a text cell that is only a code,
and a second sheet whose name has a space. openpyxl writes text cells as inline strings, LibreOffice
(``with_office_version``) as shared strings: the tests see both. ``cell_texts`` reads every cell back."""

from __future__ import annotations

import datetime
import io
import zipfile

from lxml import etree

X = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
SHEET = "xl/worksheets/sheet1.xml"
TEXTS = ("Election results", "City", "Votes", "Tirana", "Counted at night")


def make_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    book = Workbook()
    sheet = book.active
    sheet.title = "Results"
    sheet["A1"] = "Election results"
    sheet["A2"], sheet["B2"] = "City", "Votes"
    sheet["A3"], sheet["B3"] = "Tirana", 1200
    sheet["A4"], sheet["B4"] = "Tirana", 800.5  # the same text twice: one shared string
    sheet["C3"] = datetime.date(2026, 1, 5)
    sheet["C4"] = "2026-01-05"  # a code, typed as text
    sheet["A5"] = CellRichText(["The count was ", TextBlock(InlineFont(b=True), "fair"), " and final."])
    sheet["B5"] = "=SUM(B3:B4)"
    sheet["A6"] = '="Total in "&A3'
    sheet["B6"] = True
    notes = book.create_sheet("Notes sheet")
    notes["A1"] = "Counted at night"
    notes["B1"] = "='Results'!B3*2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def cell_texts(data: bytes) -> dict[str, dict[str, str]]:
    """Each sheet's cells: reference -> what the cell holds (a string's text, a formula, a value)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        shared = []
        if "xl/sharedStrings.xml" in names:
            shared = ["".join(t.text or "" for t in si.iter(X + "t"))
                      for si in etree.fromstring(archive.read("xl/sharedStrings.xml")).iter(X + "si")]
        out = {}
        for name in sorted(n for n in names if n.startswith("xl/worksheets/sheet")):
            cells = {}
            for c in etree.fromstring(archive.read(name)).iter(X + "c"):
                if c.find(X + "f") is not None:
                    cells[c.get("r")] = "=" + (c.findtext(X + "f") or "")
                elif c.get("t") == "s":
                    cells[c.get("r")] = shared[int(c.findtext(X + "v"))]
                elif c.get("t") == "inlineStr":
                    cells[c.get("r")] = "".join(t.text or "" for t in c.find(X + "is").iter(X + "t"))
                elif c.find(X + "v") is not None:
                    cells[c.get("r")] = c.findtext(X + "v")
            out[name] = cells
    return out


def xml(data: bytes, name: str):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))
