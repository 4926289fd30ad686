"""XLSX test workbooks, made with openpyxl: text cells (one shown twice, one with rich text), numbers,
a date, formulas (one computing text, one naming the other sheet), a text cell that is only a code,
a second sheet whose name has a space, notes on two cells, and a threaded comment with a reply
(added to openpyxl's zip as Excel writes them: openpyxl cannot). openpyxl writes text cells as inline strings, LibreOffice
(``with_office_version``) as shared strings: the tests see both. ``cell_texts`` reads every cell back."""

from __future__ import annotations

import datetime
import io
import zipfile

from lxml import etree

X = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
SHEET = "xl/worksheets/sheet1.xml"
TEXTS = ("Election results", "City", "Votes", "Tirana", "Counted at night")
COMMENTS = ("Checked by the desk.", "Twice the votes of Tirana.", "Is the count final?", "Yes, since Monday.")
THREADED = "http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"
_THREAD = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<ThreadedComments xmlns="{THREADED}"><threadedComment ref="A5" dT="2026-01-05T10:00:00.00" personId="{{P1}}" id="{{T1}}">
<text>Is the count final?</text></threadedComment><threadedComment ref="A5" dT="2026-01-05T11:00:00.00" personId="{{P1}}"
 id="{{T2}}" parentId="{{T1}}"><text>Yes, since Monday.</text></threadedComment></ThreadedComments>"""


def make_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
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
    sheet["A1"].comment = Comment(COMMENTS[0], "Desk")
    notes["B1"].comment = Comment(COMMENTS[1], "Ana")
    out = io.BytesIO()
    book.save(out)
    return _with_thread(out.getvalue())


def _with_thread(data: bytes) -> bytes:
    """The workbook with a threaded comment and its reply on the first sheet's A5, related to the sheet."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as written:
        for info in source.infolist():
            part = source.read(info)
            if info.filename == "xl/worksheets/_rels/sheet1.xml.rels":
                part = part.replace(b"</Relationships>", b'<Relationship Id="rIdThread" Target="../threadedComments/threadedComment1.xml"'
                                    b' Type="http://schemas.microsoft.com/office/2017/10/relationships/threadedComment"/></Relationships>')
            elif info.filename == "[Content_Types].xml":
                part = part.replace(b"</Types>", b'<Override PartName="/xl/threadedComments/threadedComment1.xml"'
                                    b' ContentType="application/vnd.ms-excel.threadedcomments+xml"/></Types>')
            written.writestr(info, part)
        written.writestr("xl/threadedComments/threadedComment1.xml", _THREAD)
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


def comment_texts(data: bytes) -> dict[str, list[tuple[str, str]]]:
    """Each comments part's notes and threaded comments: (cell, text), in order."""
    out = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/") and "omment" in name and name.endswith(".xml"):
                root = etree.fromstring(archive.read(name))
                notes = [(c.get("ref"), "".join(t.text or "" for t in c.iter(X + "t"))) for c in root.iter(X + "comment")]
                threads = [(c.get("ref"), c.findtext(f"{{{THREADED}}}text")) for c in root.iter(f"{{{THREADED}}}threadedComment")]
                out[name] = notes + threads
    return out


def xml(data: bytes, name: str):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))
