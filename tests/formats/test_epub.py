"""EPUB into EPUB (zipfile and the HTML format; no ebooklib): every chapter, the table of contents
(nav and NCX), the package title translated; language and direction set; everything else copied."""

from __future__ import annotations

import io
import shutil
import zipfile

import pytest
import regex
from typer.testing import CliRunner

from tests.formats.docx_files import convert, make_docx
from tests.formats.test_docx import Shout
from tests.formats.test_html import InArabicScript
from tests.formats.test_subtitles import Upper
from tests.identity import IdentityTranslator
from toolkit.cli import app
from toolkit.formats import FormatOptions
from toolkit.formats.epub import FORMAT
from toolkit.translate.engine import translate_documents

CONTAINER = ('<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
             '<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>')
OPF = """<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="id">urn:uuid:1</dc:identifier>
    <dc:title>Talks &amp; votes</dc:title>
    <dc:language>en</dc:language>
  </metadata>
  <manifest>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
    <item id="c1" href="text/ch1.xhtml" media-type="application/xhtml+xml"/>
    <item id="css" href="style.css" media-type="text/css"/>
    <item id="img" href="photo.png" media-type="image/png"/>
  </manifest>
  <spine toc="ncx"><itemref idref="c1"/></spine>
</package>
"""
NAV = ('<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
       '<head><title>Contents</title></head><body><nav epub:type="toc"><ol><li><a href="text/ch1.xhtml">The first chapter</a></li>'
       '</ol></nav></body></html>')
NCX = ('<?xml version="1.0" encoding="UTF-8"?>\n<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="en">'
       '<head><meta name="dtb:uid" content="urn:uuid:1"/></head><docTitle><text>Talks and votes</text></docTitle><navMap>'
       '<navPoint id="p1" playOrder="1"><navLabel><text>The first chapter</text></navLabel><content src="text/ch1.xhtml"/>'
       '</navPoint></navMap></ncx>')
CHAPTER = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml">\n<head><title>The first chapter</title>'
           '<link href="../style.css" rel="stylesheet" type="text/css"/></head>\n<body>\n<h1>The first chapter</h1>\n'
           '<p>The minister said the <b>talks</b> would continue.<br/>Prices rose &amp; fell.</p>\n'
           '<img src="../photo.png" alt="A photo of Tirana"/>\n</body>\n</html>\n')
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


BOOK = {"META-INF/container.xml": CONTAINER, "OEBPS/content.opf": OPF, "OEBPS/nav.xhtml": NAV, "OEBPS/toc.ncx": NCX,
        "OEBPS/text/ch1.xhtml": CHAPTER, "OEBPS/style.css": "p { margin: 0 }", "OEBPS/photo.png": PNG}


def _book(entries: dict[str, str | bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")  # stored, first
        for name, data in (entries or BOOK).items():
            book.writestr(name, data)
    return out.getvalue()


def _encrypted(data: bytes) -> bytes:
    """The book with its last entry marked encrypted (the flag in the zip's central directory)."""
    at = data.rindex(b"PK\x01\x02") + 8
    return data[:at] + bytes([data[at] | 1]) + data[at + 1:]


def _translate(data: bytes, translator) -> dict[str, bytes]:
    """The book through the engine as the job runner sends a document's parts, its entries back."""
    document = FORMAT.read(data, "book.epub", FormatOptions())
    done = translate_documents([p.text for p in document.parts], translator, markup=[True] * len(document.parts))
    book = zipfile.ZipFile(io.BytesIO(document.write([d.text for d in done], translator.target)))
    assert book.infolist()[0].filename == "mimetype" and book.infolist()[0].compress_type == zipfile.ZIP_STORED
    return {name: book.read(name) for name in book.namelist()}


def test_an_identity_translation_changes_only_the_language():
    entries = _translate(_book(), IdentityTranslator(max_input_tokens=400))
    assert entries["OEBPS/content.opf"].decode() == OPF.replace("<dc:language>en<", "<dc:language>sq<")
    assert entries["OEBPS/text/ch1.xhtml"].decode() == CHAPTER.replace(
        '<html xmlns="http://www.w3.org/1999/xhtml">', '<html lang="sq" xml:lang="sq" xmlns="http://www.w3.org/1999/xhtml">')
    assert entries["OEBPS/toc.ncx"].decode() == NCX.replace('xml:lang="en"', 'xml:lang="sq"')
    assert entries["OEBPS/photo.png"] == PNG and entries["OEBPS/style.css"] == b"p { margin: 0 }"


def test_chapters_contents_and_title_are_translated_right_to_left_for_persian():
    entries = {k: v.decode("utf-8", "replace") for k, v in _translate(_book(), Upper(target="fa", max_input_tokens=400)).items()}
    chapter = entries["OEBPS/text/ch1.xhtml"]
    assert '<html dir="rtl" lang="fa" xml:lang="fa"' in chapter and "<h1>THE FIRST CHAPTER</h1>" in chapter
    assert "THE MINISTER SAID" in chapter and "<br/>" in chapter and "&amp;" in chapter and 'alt="A PHOTO OF TIRANA"' in chapter
    assert ">THE FIRST CHAPTER</a>" in entries["OEBPS/nav.xhtml"]
    assert "<text>TALKS AND VOTES</text>" in entries["OEBPS/toc.ncx"] and "<text>THE FIRST CHAPTER</text>" in entries["OEBPS/toc.ncx"]
    opf = entries["OEBPS/content.opf"]
    assert "<dc:title>TALKS &amp; VOTES</dc:title>" in opf and "<dc:language>fa</dc:language>" in opf
    assert '<spine toc="ncx" page-progression-direction="rtl">' in opf


def test_a_chapters_own_lang_attributes_follow_the_target_where_its_text_is_translated():
    chapter = CHAPTER.replace("<p>The minister", '<p lang="en" xml:lang="en">The minister').replace(
        "</body>", '<p><code xml:lang="en">make all</code></p>\n</body>')
    entries = _translate(_book(BOOK | {"OEBPS/text/ch1.xhtml": chapter}), Upper(target="fa", max_input_tokens=400))
    translated = entries["OEBPS/text/ch1.xhtml"].decode()
    assert '<p lang="fa" xml:lang="fa">THE MINISTER SAID' in translated
    assert '<code xml:lang="en">make all</code>' in translated


def test_the_page_progression_follows_the_target_whatever_the_source_said():
    for said, target, becomes in (("rtl", "sq", "ltr"), ("ltr", "fa", "rtl")):  # a Persian book into Albanian, and back
        book = _book({"META-INF/container.xml": CONTAINER, "OEBPS/text/ch1.xhtml": CHAPTER,
                      "OEBPS/content.opf": OPF.replace('<spine toc="ncx">', f'<spine toc="ncx" page-progression-direction="{said}">')})
        opf = _translate(book, IdentityTranslator(target=target, max_input_tokens=400))["OEBPS/content.opf"].decode()
        assert f'<spine toc="ncx" page-progression-direction="{becomes}">' in opf, (said, target)


def _zipped(entries: dict[str, bytes]) -> bytes:
    book = io.BytesIO()
    with zipfile.ZipFile(book, "w") as out:
        for name, entry in entries.items():
            out.writestr(name, entry)
    return book.getvalue()


def test_the_direction_its_stylesheets_state_follows_a_target_of_the_other_direction():
    css = "body { direction: ltr; text-align: left }\n.date { text-align: end }\n"
    persian = _translate(_book(BOOK | {"OEBPS/style.css": css}), InArabicScript(target="fa", max_input_tokens=400))
    assert persian["OEBPS/style.css"].decode() == "body { direction: rtl; text-align: right }\n.date { text-align: end }\n"
    albanian = _translate(_zipped(persian), Upper(source="fa", max_input_tokens=400))
    assert albanian["OEBPS/style.css"].decode() == css  # the Persian book into Albanian: left to right again
    entries = _translate(_book(BOOK | {"OEBPS/style.css": css}), Upper(max_input_tokens=400))
    assert entries["OEBPS/style.css"].decode() == css  # English into Albanian: as it was


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_book_libreoffice_wrote_reads_right_to_left_in_persian_and_back(tmp_path):
    (tmp_path / "report.docx").write_bytes(make_docx())
    data = convert(tmp_path / "report.docx", "epub", tmp_path).read_bytes()
    source = zipfile.ZipFile(io.BytesIO(data))
    styles = [name for name in source.namelist() if name.endswith((".css", ".xhtml"))]
    assert any(b"direction: ltr" in source.read(n) for n in styles)  # LibreOffice 7: .body0 { direction: ltr; }
    persian = _translate(data, InArabicScript(target="fa", max_input_tokens=400))
    assert not any(regex.search(rb"direction\s*:\s*ltr", persian[n], regex.I) for n in styles)
    albanian = _translate(_zipped(persian), Shout(source="fa", target="sq", max_input_tokens=400))
    assert not any(regex.search(rb"direction\s*:\s*rtl", albanian[n], regex.I) for n in styles)
    assert any(regex.search(rb"direction\s*:\s*ltr", albanian[n], regex.I) for n in styles)

@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_book_written_by_libreoffice_comes_back_with_every_part(tmp_path):
    (tmp_path / "book.md").write_text("# Talks in Tirana\n\nThe minister said the talks would continue.\n\nPrices rose.\n", "utf-8")
    data = convert(tmp_path / "book.md", "epub", tmp_path).read_bytes()
    parts = [regex.sub(r"<[^<>]*>", "", p.text) for p in FORMAT.read(data, "book.epub", FormatOptions()).parts]  # LibreOffice's <span>s
    assert "The minister said the talks would continue." in parts and "Prices rose." in parts
    entries = _translate(data, Upper(max_input_tokens=400))
    assert any(b"THE MINISTER SAID THE TALKS WOULD CONTINUE." in v for v in entries.values())


def test_summarize_reads_a_book_and_bad_books_are_refused_in_one_line(tmp_path, monkeypatch):
    book = tmp_path / "book.epub"
    book.write_bytes(_book())
    result = CliRunner().invoke(app, ["summarize", str(book), "--method", "extractive"])
    assert result.exit_code == 0 and "The minister said the talks would continue." in result.output, result.output
    for data, says in ((b"PK\x03\x04 broken" + bytes(40), "book.epub: not a zipped e-book (EPUB) file (not a zip"),
                       (_book({"OEBPS/a.xhtml": CHAPTER}), "book.epub: not a zipped e-book (EPUB) file (no META-INF/container.xml"),
                       (_encrypted(_book()), "book.epub: the document is encrypted (password-protected, or DRM)")):
        book.write_bytes(data)
        result = CliRunner().invoke(app, ["summarize", str(book), "--method", "extractive"])
        assert result.exit_code == 2 and len(result.output.splitlines()) == 1 and says in result.output, result.output
    monkeypatch.setenv("TOOLKIT_MAX_DOCUMENT_MB", "1")  # a zip bomb, in small: 2 MiB of zeros zip to 2 KB
    book.write_bytes(_book({**BOOK, "OEBPS/padding.bin": bytes(2 * 2**20)}))
    assert book.stat().st_size < 2**20 / 100
    result = CliRunner().invoke(app, ["summarize", str(book), "--method", "extractive"])
    assert result.exit_code == 2 and len(result.output.splitlines()) == 1, result.output
    assert "book.epub: the document unzips to more than 1 MiB (split it into smaller documents, or raise the" in result.output


def test_translate_writes_a_book_beside_the_input_through_the_job_runner(tmp_path, marian_model):
    """The CLI path: one .epub without --out comes back as book.sq.epub beside it, every chapter
    translated (lang set, its source sentences gone), the other entries as they were."""
    book = tmp_path / "book.epub"
    book.write_bytes(_book())
    result = CliRunner().invoke(app, ["translate", str(book), "--to", "sq", "--model", marian_model, "--quiet"])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "book.sq.epub") as out, zipfile.ZipFile(book) as source:
        assert out.namelist()[0] == "mimetype" and out.namelist() == source.namelist()
        chapter = out.read("OEBPS/text/ch1.xhtml").decode("utf-8")
        assert 'lang="sq"' in chapter and "The minister said the talks would continue." not in chapter
        assert "<dc:language>sq</dc:language>" in out.read("OEBPS/content.opf").decode("utf-8")
