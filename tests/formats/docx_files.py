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
