"""ODS test spreadsheets: LibreOffice Calc's conversion of the XLSX test workbook (``soffice
--convert-to ods``), and one written here directly, as another producer would (no LibreOffice):
a comment on a cell, a link, a cell of two paragraphs, a text cell repeated over two columns,
rows repeated empty, a percentage, a currency, a date, a time, a boolean, formulas (one computing
text, one naming the other sheet), a text cell with an ``office:string-value``, a sheet without
a style, and two page styles' headers and a footer with a page number. ``cell_texts`` reads every cell back."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lxml import etree

from tests.formats.docx_files import convert
from tests.formats.odf_files import TABLE, TEXT, _text
from tests.formats.xlsx_files import make_xlsx
from toolkit.formats.ods import column_name

OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
STRING_VALUE = OFFICE + "string-value"  # left out of ``cell_texts``: a translated text cell's is dropped
BUDGET_LINK = "https://example.org/budget"
# What the directly written spreadsheet's cells say: every text cell, and the values left alone.
BUDGET_TEXTS = ("Budget of the city", "Checked by the desk.", "Read the full budget online.", "Pending", "First line.",
                "Second line.", "Spending", "After the gap", "Reporter notes", "City budget", "Budget report", "Page")

_NAMESPACES = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
               'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xlink="http://www.w3.org/1999/xlink" '
               'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" office:version="1.3"')

_CONTENT = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content {_NAMESPACES}><office:automatic-styles>
<style:style style:name="ta1" style:family="table" style:master-page-name="Default"><style:table-properties table:display="true"/></style:style>
</office:automatic-styles><office:body><office:spreadsheet>
<table:table table:name="Budget 2026" table:style-name="ta1"><table:table-column table:number-columns-repeated="3"/>
<table:table-row><table:table-cell office:value-type="string"><office:annotation><dc:creator>Desk</dc:creator><text:p>Checked by the desk.</text:p></office:annotation><text:p>Budget of the city</text:p></table:table-cell><table:table-cell office:value-type="percentage" office:value="0.25"><text:p>25%</text:p></table:table-cell><table:table-cell office:value-type="currency" office:currency="EUR" office:value="1200"><text:p>€1,200.00</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>Read <text:a xlink:type="simple" xlink:href="{BUDGET_LINK}">the full budget</text:a> online.</text:p></table:table-cell><table:table-cell office:value-type="date" office:date-value="2026-01-05"><text:p>Monday, January 5, 2026</text:p></table:table-cell><table:table-cell office:value-type="time" office:time-value="PT10H30M00S"><text:p>10:30 AM</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell table:number-columns-repeated="2" office:value-type="string"><text:p>Pending</text:p></table:table-cell><table:table-cell office:value-type="boolean" office:boolean-value="true"><text:p>TRUE</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>First line.</text:p><text:p>Second line.</text:p></table:table-cell><table:table-cell table:formula="of:=[.A1]" office:value-type="string" office:string-value="Budget of the city"><text:p>Budget of the city</text:p></table:table-cell><table:table-cell office:value-type="string" office:string-value="Spending"><text:p>Spending</text:p></table:table-cell></table:table-row>
<table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="3"/></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>After the gap</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>2026-01-05</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="3"><text:p>3</text:p></table:table-cell></table:table-row>
</table:table>
<table:table table:name="Notes"><table:table-column table:number-columns-repeated="2"/>
<table:table-row><table:table-cell office:value-type="string"><text:p>Reporter notes</text:p></table:table-cell><table:table-cell table:formula="of:=['Budget 2026'.C1]*2" office:value-type="currency" office:currency="EUR" office:value="2400"><text:p>€2,400.00</text:p></table:table-cell></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>
"""

_STYLES = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles {_NAMESPACES}><office:styles>
<style:default-style style:family="table-cell"><style:text-properties fo:language="en" fo:country="US"/></style:default-style>
<style:style style:name="Default" style:family="table-cell"/></office:styles>
<office:automatic-styles><style:page-layout style:name="pm1"/></office:automatic-styles>
<office:master-styles><style:master-page style:name="Default" style:page-layout-name="pm1">
<style:header><text:p>City budget</text:p></style:header></style:master-page>
<style:master-page style:name="Report" style:page-layout-name="pm1"><style:header><text:p>Budget report</text:p></style:header>
<style:footer><text:p>Page <text:page-number>1</text:page-number></text:p></style:footer></style:master-page></office:master-styles>
</office:document-styles>
"""

_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""


def make_budget_ods(mimetype: str = "application/vnd.oasis.opendocument.spreadsheet") -> bytes:
    """The spreadsheet written directly: ``mimetype`` first and stored, then the manifest and the XML."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", _MANIFEST)
        archive.writestr("content.xml", _CONTENT)
        archive.writestr("styles.xml", _STYLES)
    return out.getvalue()


def make_ods(folder: Path) -> dict[str, bytes]:
    """book.ods (the XLSX test workbook, as LibreOffice Calc writes it) and budget.ods (written here)."""
    (folder / "src").mkdir()
    (folder / "src" / "book.xlsx").write_bytes(make_xlsx())
    return {"book.ods": convert(folder / "src" / "book.xlsx", "ods", folder).read_bytes(), "budget.ods": make_budget_ods()}


def cell_texts(data: bytes) -> dict[str, dict[str, tuple]]:
    """Each sheet's cells that hold something: reference -> (value type, formula, value attributes
    but the string value, the cell's own paragraphs' text, its comment's text); and the page headers' and footers' text, as one cell of ``page headers``."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        content, styles = (etree.fromstring(archive.read(n)) for n in ("content.xml", "styles.xml"))
    out = {}
    for table in content.iter(TABLE + "table"):
        cells, row_number = {}, 0
        for row in table.iter(TABLE + "table-row"):
            row_number += 1
            column = 1
            for cell in row:
                if len(cell):
                    values = tuple(sorted((k, v) for k, v in cell.attrib.items() if k.startswith(OFFICE) and k != STRING_VALUE))
                    own = "\n".join(_text(p) for p in cell.findall(TEXT + "p"))
                    comment = "\n".join(_text(p) for p in cell.iter(TEXT + "p") if p.getparent().tag == OFFICE + "annotation")
                    cells[f"{column_name(column)}{row_number}"] = (cell.get(OFFICE + "value-type"), cell.get(TABLE + "formula"),
                                                               values, own, comment)
                column += int(cell.get(TABLE + "number-columns-repeated", "1"))
            row_number += int(row.get(TABLE + "number-rows-repeated", "1")) - 1
        out[table.get(TABLE + "name")] = cells
    out["page headers"] = {"": (None, None, (), "\n".join(_text(p) for p in styles.iter(TEXT + "p")), "")}
    return out
