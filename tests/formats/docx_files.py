"""DOCX test documents: made with python-docx (headings, lists, formatted runs, a hyperlink, a run
split mid-word by spell-check, a bookmark, fields, a nested table, a text box, header, footer,
a comment), and the same passed through LibreOffice (``soffice --convert-to docx``) so that tests
see office-written XML too. ``paragraph_texts`` reads a document's XML back, part by part."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

W_URI = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{%s}" % W_URI
R_URI = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
LINK = "https://example.org/story"
FIELD_LINK = "https://example.org/agency"
TEXT_PARTS = ("word/document.xml", "word/header1.xml", "word/footer1.xml", "word/comments.xml")

_TEXTBOX = f'''<w:r xmlns:w="{W_URI}" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
 xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
 xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><w:drawing><wp:inline>
<wp:extent cx="2000000" cy="500000"/><wp:docPr id="7" name="Text Box 7"/>
<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>
<wps:spPr><a:prstGeom prst="rect"/></wps:spPr><wps:txbx><w:txbxContent><w:p><w:r><w:t>Inside the box the votes were counted.</w:t></w:r></w:p>
</w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>'''


# Footnotes and endnotes, which python-docx cannot make: a flat OpenDocument text that LibreOffice
# writes as a DOCX (``notes_docx``).
NOTES_FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3"
 office:mimetype="application/vnd.oasis.opendocument.text"><office:body><office:text>
<text:p>The minister spoke<text:note text:id="n1" text:note-class="footnote"><text:note-citation>1</text:note-citation>
<text:note-body><text:p>Speech given in Tirana.</text:p></text:note-body></text:note> on Monday<text:note text:id="n2"
 text:note-class="endnote"><text:note-citation>i</text:note-citation><text:note-body><text:p>Source: the ministry.</text:p>
</text:note-body></text:note>.</text:p></office:text></office:body></office:document>
"""


def notes_docx(folder: Path) -> bytes:
    """A DOCX with a footnote and an endnote, written by LibreOffice."""
    (folder / "src").mkdir()
    (folder / "src" / "notes.fodt").write_text(NOTES_FODT, "utf-8")
    return convert(folder / "src" / "notes.fodt", "docx", folder).read_bytes()


def _run(paragraph, text: str, **props):
    run = paragraph.add_run(text)
    for name, value in props.items():
        setattr(run, name, value)
    return run


def _hyperlink(paragraph, text: str, url: str) -> None:
    r_id = paragraph.part.relate_to(url, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
                                    is_external=True)
    link = etree.SubElement(paragraph._p, W + "hyperlink", {f"{{{R_URI}}}id": r_id})
    run = etree.SubElement(link, W + "r")
    etree.SubElement(etree.SubElement(run, W + "rPr"), W + "u", {W + "val": "single"})
    t = etree.SubElement(run, W + "t")
    t.text = text


def _field(paragraph, instruction: str, shown: str) -> None:
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("result", shown), ("end", None)):
        run = etree.SubElement(paragraph._p, W + "r")
        if kind == "instr":
            etree.SubElement(run, W + "instrText").text = text
        elif kind == "result":
            etree.SubElement(run, W + "t").text = text
        else:
            etree.SubElement(run, W + "fldChar", {W + "fldCharType": kind})


def make_docx(title: str = "Election results announced") -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(title, level=1)
    p = document.add_paragraph("The minister said ")
    _run(p, "the vote", bold=True)
    _run(p, " was ")
    _run(p, "fair", italic=True)
    _run(p, " and ")
    _run(p, "final", underline=True)
    _run(p, ". Read ")
    _hyperlink(p, "the full story", LINK)
    _run(p, " online.")
    p = document.add_paragraph()
    _run(p, "Parliam")  # split mid-word by spell-check, same formatting: one piece of text
    etree.SubElement(p._p, W + "proofErr", {W + "type": "spellStart"})
    _run(p, "ent met on page ")
    etree.SubElement(p._p, W + "bookmarkStart", {W + "id": "0", W + "name": "met"})
    _field(p, " PAGE ", "1")
    etree.SubElement(p._p, W + "bookmarkEnd", {W + "id": "0"})
    _run(p, " of the report.")
    p = document.add_paragraph("Details are on ")  # a link as Word writes one pasted from the web: a field
    _field(p, f' HYPERLINK "{FIELD_LINK}" ', "the agency page")
    _run(p, ".")
    document.add_paragraph("Turnout rose in every city.", style="List Bullet")
    document.add_paragraph("Counting ended at night.", style="List Number")
    p = document.add_paragraph("The count ")  # a tracked insertion and deletion, and a content control
    p._p.append(etree.fromstring(f'<w:ins xmlns:w="{W_URI}" w:id="1" w:author="Editor" w:date="2026-01-01T00:00:00Z">'
                                 '<w:r><w:t xml:space="preserve">was checked </w:t></w:r></w:ins>'))
    p._p.append(etree.fromstring(f'<w:del xmlns:w="{W_URI}" w:id="2" w:author="Editor" w:date="2026-01-01T00:00:00Z">'
                                 '<w:r><w:delText xml:space="preserve">was rushed </w:delText></w:r></w:del>'))
    _run(p, "by ")
    p._p.append(etree.fromstring(f'<w:sdt xmlns:w="{W_URI}"><w:sdtPr><w:alias w:val="Who"/><w:id w:val="5"/></w:sdtPr>'
                                 '<w:sdtContent><w:r><w:t>the observers</w:t></w:r></w:sdtContent></w:sdt>'))
    _run(p, ".")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "City"
    table.cell(0, 1).text = "Votes"
    table.cell(1, 0).text = "Tirana"
    inner = table.cell(1, 1).add_table(rows=1, cols=1)
    inner.cell(0, 0).text = "Nested cell text"
    p = document.add_paragraph("A box follows: ")
    p._p.append(etree.fromstring(_TEXTBOX))
    section = document.sections[0]
    section.header.paragraphs[0].text = "The daily news"
    section.footer.paragraphs[0].text = "Printed by the newsroom"
    commented = document.add_paragraph("Results are final.")
    document.add_comment(commented.runs, text="Check this with the commission.", author="Editor")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.skip("LibreOffice is not installed (.ci/run installs libreoffice-writer-nogui)")
    return found


def convert(path: Path, to: str, out: Path) -> Path:
    """``path`` converted by LibreOffice headless into ``out`` (a folder); fails when LibreOffice cannot."""
    profile = out / "lo-profile"
    result = subprocess.run([soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", to,
                             "--outdir", str(out), str(path)], capture_output=True, text=True, timeout=180)
    converted = out / f"{path.stem}.{to.split(':')[0]}"
    assert result.returncode == 0 and converted.is_file(), f"LibreOffice could not convert {path}: {result.stdout}{result.stderr}"
    return converted


def paragraph_texts(data: bytes) -> dict[str, list[str]]:
    """Each text part's paragraphs (those with text), as their runs' text reads."""
    out = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("word/") and name.endswith(".xml") and name.split("/")[-1].startswith(
                    ("document", "header", "footer", "footnotes", "endnotes", "comments")):
                root = etree.fromstring(archive.read(name))
                texts = []
                for p in root.iter(W + "p"):
                    text = "".join(t.text or "" for t in p.iter(W + "t") if _paragraph_of(t) is p)
                    if text.strip():
                        texts.append(text)
                out[name] = texts
    return out


def _paragraph_of(element):
    while element is not None and element.tag != W + "p":
        element = element.getparent()
    return element


def xml(data: bytes, name: str = "word/document.xml"):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


def with_office_version(tmp_path_factory, name: str, made: bytes, maker: str) -> dict[str, bytes]:
    """The document as ``maker`` made it, and as LibreOffice writes it again (when installed)."""
    found = {maker: made}
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        return found
    folder = tmp_path_factory.mktemp("lo")
    (folder / "src").mkdir()
    (folder / "src" / name).write_bytes(made)
    found["libreoffice"] = convert(folder / "src" / name, name.rsplit(".", 1)[1], folder).read_bytes()
    return found


def translate_bytes(name: str, data: bytes, translator):
    """A binary document translated by the job runner's own path: its bytes and its ``TranslatedDocument``."""
    from toolkit.io.inputs import Record
    from toolkit.translate.job import translate_records

    record = Record(name, name, "", name, relpath=name, unit=name, data=data)
    [finished] = translate_records([record], {translator.target: translator})
    return finished.texts[translator.target], finished.result[translator.target]


def assert_libreoffice_converts(documents: dict[str, bytes], name: str, translator_class, folder: Path) -> None:
    """Every document's translation into Persian and Albanian opens in LibreOffice and becomes a PDF."""
    soffice()
    for maker, data in documents.items():
        for target in ("fa", "sq"):
            out, _ = translate_bytes(name, data, translator_class(target=target, max_input_tokens=200))
            path = folder / f"{maker}.{target}.{name.rsplit('.', 1)[1]}"
            path.write_bytes(out)
            pdf = convert(path, "pdf", folder)
            assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 1000


def shown_in_pdf(path: Path) -> str:
    """The text of a PDF (one LibreOffice made), its runs of spaces and line breaks one space each."""
    import pypdf

    return " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(path).pages)


def translated_by_cli(versions: dict[str, bytes], maker: str, name: str, model, folder: Path) -> tuple[bytes, bytes]:
    """The document ``maker`` made, and its translation into Albanian by ``toolkit translate --model model``."""
    from typer.testing import CliRunner

    from toolkit.cli import app

    if maker not in versions:
        pytest.skip("LibreOffice is not installed")
    (folder / name).write_bytes(versions[maker])
    result = CliRunner().invoke(app, ["translate", str(folder / name), "--to", "sq", "--model", str(model), "--out",
                                      str(folder / "out")])
    assert result.exit_code == 0, result.output
    stem, kind = name.rsplit(".", 1)
    return versions[maker], (folder / "out" / f"{stem}.sq.{kind}").read_bytes()


def assert_translated_once(source: dict[str, list[str]], translated: dict[str, list[str]]) -> None:
    """Each part has as many paragraphs as before (nothing lost or doubled), none of them left as it was."""
    assert {k: len(v) for k, v in translated.items()} == {k: len(v) for k, v in source.items()}
    left = [t for k in source for t in source[k] if t in translated[k] and len(t) > 8]
    assert not left, f"left untranslated: {left}"


def identity_round_trip(versions: dict[str, bytes], maker: str, name: str, read_texts):
    """The document ``maker`` made, translated by an identity translator: (source, output, its
    ``TranslatedDocument``), every paragraph's text checked to be as it was (``read_texts``)."""
    from tests.identity import IdentityTranslator

    if maker not in versions:
        pytest.skip("LibreOffice is not installed")
    source = versions[maker]
    out, document = translate_bytes(name, source, IdentityTranslator(max_input_tokens=200))
    assert read_texts(out) == read_texts(source)
    return source, out, document


def translated_by_model(name: str, data: bytes, model, folder: Path, target: str = "sq") -> bytes:
    """The document ``name`` translated by the CLI with ``model`` (a tiny real one): the output's bytes."""
    from typer.testing import CliRunner

    from toolkit.cli import app

    (folder / name).write_bytes(data)
    result = CliRunner().invoke(app, ["translate", str(folder / name), "--to", target, "--model", str(model),
                                      "--out", str(folder / "out")])
    assert result.exit_code == 0, result.output
    stem, ext = name.rsplit(".", 1)
    return (folder / "out" / f"{stem}.{target}.{ext}").read_bytes()


# What real documents hold and python-docx cannot make, as Word writes it: one paragraph's XML each.
_NS = (f'xmlns:w="{W_URI}" xmlns:r="{R_URI}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
       'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
       'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
       'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
       'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"')
_CHANGE = 'w:author="Editor" w:date="2026-01-01T00:00:00Z"'
MESSY_PARAGRAPHS = {
    "tracked": f'<w:ins w:id="11" {_CHANGE}><w:r><w:t xml:space="preserve">Voters </w:t></w:r></w:ins><w:del w:id="12" {_CHANGE}>'
               '<w:r><w:delText xml:space="preserve">Few people </w:delText></w:r></w:del><w:r><w:t xml:space="preserve">'
               f'queued before dawn </w:t></w:r><w:moveFrom w:id="13" {_CHANGE}><w:r><w:t>in the rain</w:t></w:r></w:moveFrom>'
               f'<w:r><w:t xml:space="preserve">at every school</w:t></w:r><w:moveTo w:id="14" {_CHANGE}><w:r>'
               '<w:t xml:space="preserve"> in the rain</w:t></w:r></w:moveTo><w:r><w:t>.</w:t></w:r>',
    "field": '<w:r><w:t xml:space="preserve">The table on page </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
             '<w:r><w:instrText xml:space="preserve"> PAGEREF </w:instrText></w:r><w:r><w:instrText xml:space="preserve">'
             '_Ref123 \\h </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r>'
             '<w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t xml:space="preserve"> lists the seats won by </w:t></w:r>'
             '<w:fldSimple w:instr=" AUTHOR \\* MERGEFORMAT "><w:r><w:t>Ana Hoxha</w:t></w:r></w:fldSimple>'
             '<w:r><w:t>.</w:t></w:r>',
    "bookmark": '<w:r><w:t xml:space="preserve">The </w:t></w:r><w:bookmarkStart w:id="20" w:name="_Ref123"/><w:r><w:rPr>'
                '<w:b/></w:rPr><w:t>electoral</w:t></w:r><w:r><w:t xml:space="preserve"> commission</w:t></w:r>'
                '<w:bookmarkEnd w:id="20"/><w:r><w:t xml:space="preserve"> published the final count.</w:t></w:r>',
    "smarttag": '<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="City"><w:r><w:t>Tirana</w:t></w:r>'
                '</w:smartTag><w:r><w:t xml:space="preserve"> reported the highest </w:t></w:r><w:r><w:t>turn</w:t></w:r>'
                '<w:proofErr w:type="spellStart"/><w:r><w:rPr><w:lang w:val="en-GB"/></w:rPr><w:t>out</w:t></w:r>'
                '<w:proofErr w:type="spellEnd"/><w:r><w:t xml:space="preserve"> of the </w:t></w:r><w:sdt><w:sdtPr><w:alias w:val="Year"/>'
                '<w:id w:val="31"/></w:sdtPr><w:sdtContent><w:r><w:t>year</w:t></w:r></w:sdtContent></w:sdt><w:r><w:t>.</w:t></w:r>',
    "math": '<w:r><w:t xml:space="preserve">The share grew by </w:t></w:r><m:oMath><m:r><m:t>x</m:t></m:r><m:r><m:t>+1</m:t></m:r>'
            '</m:oMath><w:r><w:t xml:space="preserve"> points </w:t></w:r><w:r><w:sym w:font="Wingdings" w:char="F0E0"/></w:r>'
            '<w:r><w:t xml:space="preserve"> a record</w:t><w:tab/><w:t>for the party</w:t><w:br/><w:t>in the north.</w:t></w:r>',
    "restyled": ''.join(f'<w:r><w:rPr><w:b/><w:rPrChange w:id="{n}" {_CHANGE}><w:rPr/></w:rPrChange></w:rPr><w:t xml:space="preserve">'
                        f'{text}</w:t></w:r>' for n, text in ((15, "Both parties "), (16, "accepted the result.")))
                + '<w:r><w:t xml:space="preserve"> Turnout was high.</w:t></w:r>',  # made bold with changes tracked, word by word
    "links": '<w:r><w:t xml:space="preserve">See </w:t></w:r><w:hyperlink r:id="rIdMessyLink" w:history="1"><w:r><w:rPr>'
             '<w:u w:val="single"/></w:rPr><w:t>the commission site</w:t></w:r></w:hyperlink><w:r><w:t xml:space="preserve"> and </w:t>'
             '</w:r><w:hyperlink w:anchor="_Ref123"><w:r><w:rPr><w:u w:val="single"/></w:rPr><w:t>the table above</w:t></w:r></w:hyperlink>'
             '<w:r><w:t>.</w:t></w:r>',
    "alternate": '<w:r><w:t xml:space="preserve">A box with the quote: </w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps">'
                 '<w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="2" behindDoc="0" locked="0" '
                 'layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>0'
                 '</wp:posOffset></wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
                 '<wp:extent cx="2000000" cy="600000"/><wp:wrapSquare wrapText="bothSides"/><wp:docPr id="41" name="Text Box 41"/>'
                 '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
                 '<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2000000" cy="600000"/></a:xfrm><a:prstGeom prst="rect"/></wps:spPr>'
                 '<wps:txbx><w:txbxContent><w:p><w:r><w:t>We counted every ballot twice.</w:t></w:r></w:p></w:txbxContent></wps:txbx>'
                 '<wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict>'
                 '<v:shape id="Text Box 41" style="width:157pt;height:47pt" type="#_x0000_t202"><v:textbox><w:txbxContent><w:p><w:r>'
                 '<w:t>We counted every ballot twice.</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>'
                 '</mc:AlternateContent></w:r><w:r><w:t xml:space="preserve"> said the chair.</w:t></w:r>',
}
MESSY_LINK = "https://example.org/commission"

# A table of contents as Word writes one: a field from the first entry's paragraph to the last's,
# each entry a link to its heading with a PAGEREF field for its page number.
def _toc_entry(text: str, n: int, first: bool = False, last: bool = False) -> str:
    begin = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" \\h '
             '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>') if first else ""
    end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>' if last else ""
    return (f'<w:p {_NS}><w:pPr><w:pStyle w:val="TOC1"/></w:pPr>{begin}<w:hyperlink w:anchor="_Toc{n}"><w:r><w:t>{text}</w:t></w:r>'
            '<w:r><w:tab/></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGEREF '
            f'_Toc{n} \\h </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>{n}</w:t></w:r>'
            f'<w:r><w:fldChar w:fldCharType="end"/></w:r></w:hyperlink>{end}</w:p>')


# A table of contents, a block content control around a whole paragraph, and a paragraph wholly deleted (tracked).
_BLOCKS = (_toc_entry("Counting in the capital", 1, first=True), _toc_entry("Seats by party", 2, last=True),
           f'<w:sdt {_NS}><w:sdtPr><w:alias w:val="Summary"/><w:id w:val="51"/></w:sdtPr><w:sdtContent><w:p><w:r>'
           '<w:t>The summary sits in a content control.</w:t></w:r></w:p></w:sdtContent></w:sdt>',
           f'<w:p {_NS}><w:pPr><w:rPr><w:del w:id="52" {_CHANGE}/></w:rPr></w:pPr><w:del w:id="53" {_CHANGE}><w:r>'
           '<w:delText>This sentence was struck out.</w:delText></w:r></w:del></w:p>')


def make_messy_docx() -> bytes:
    """A document with what real ones hold (``MESSY_PARAGRAPHS``, block content controls, a tracked
    deletion of a whole paragraph, a table that a Persian translation must turn right to left)."""
    import docx

    document = docx.Document()
    document.add_heading("Counting in the capital", level=1)
    body = document.element.body
    for name, runs in MESSY_PARAGRAPHS.items():
        p = document.add_paragraph()
        if name == "links":
            runs = runs.replace("rIdMessyLink", p.part.relate_to(
                MESSY_LINK, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink", is_external=True))
        for run in etree.fromstring(f"<w:p {_NS}>{runs}</w:p>"):
            p._p.append(run)
    for block in _BLOCKS:
        body.insert(len(body) - 1, etree.fromstring(block))
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Party", "Seats won"
    _add_chart(document)
    _add_smartart(document, ["Ballots sealed", "Ballots counted"])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _add_chart(document) -> None:
    """A column chart (python-pptx's, its values cached in the chart, no embedded workbook) in a paragraph."""
    from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from pptx.chart.data import CategoryChartData
    from pptx.chart.xmlwriter import ChartXmlWriter
    from pptx.enum.chart import XL_CHART_TYPE

    data = CategoryChartData()
    data.categories = ["North", "South"]
    data.add_series("Seats won", (12, 7))
    chart = etree.fromstring(ChartXmlWriter(XL_CHART_TYPE.COLUMN_CLUSTERED, data).xml.encode("utf-8"))
    c = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
    chart.find(c + "chart").insert(0, etree.fromstring(
        f'<c:title xmlns:c="{c[1:-1]}" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><c:tx><c:rich>'
        '<a:bodyPr/><a:p><a:r><a:t>Seats won in each region</a:t></a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title>'))
    part = Part(PackURI("/word/charts/chart1.xml"), CONTENT_TYPE.DML_CHART, etree.tostring(chart), document.part.package)
    r_id = document.part.relate_to(part, RELATIONSHIP_TYPE.CHART)
    document.add_paragraph()._p.append(etree.fromstring(
        f'<w:r {_NS} xmlns:c="{c[1:-1]}"><w:drawing><wp:inline><wp:extent cx="3000000" cy="2000000"/><wp:docPr id="60" name="Chart"/>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        f'<c:chart r:id="{r_id}"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>'))


def _add_smartart(document, steps: list[str]) -> None:
    """A SmartArt diagram of ``steps`` in a paragraph (``tests.formats.pptx_files.smartart_parts``)."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    from tests.formats.pptx_files import smartart_parts

    def relate(name: str, content_type: str, blob: bytes, reltype: str) -> str:
        return document.part.relate_to(Part(PackURI(name), content_type, blob, document.part.package), reltype)

    relations = smartart_parts(relate, steps, "word")
    document.add_paragraph()._p.append(etree.fromstring(
        f'<w:r {_NS}><w:drawing><wp:inline><wp:extent cx="3000000" cy="700000"/><wp:docPr id="61" name="Diagram"/><a:graphic>'
        '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/diagram"><dgm:relIds '
        f'xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram" {relations}/></a:graphicData></a:graphic>'
        '</wp:inline></w:drawing></w:r>'))
