"""Word documents translated into Word documents: every paragraph (body, headings, lists, nested
tables, text box, header, footer, comment) one part, formatting and links kept through inline codes,
fields and bookmarks left in place, Persian right to left with its language tags, bad files refused
in one line; LibreOffice opens what comes out."""

from __future__ import annotations

import functools
import io
import zipfile
from xml.sax.saxutils import escape

import pytest
import regex
from hypothesis import given, settings, strategies as st
from lxml import etree
from typer.testing import CliRunner

from tests.formats.docx_files import (FIELD_LINK, LINK, MESSY_LINK, W, assert_libreoffice_converts, assert_translated_once,
                                     identity_round_trip, make_docx, make_messy_docx, notes_docx, paragraph_texts,
                                     shown_in_pdf, translate_bytes, translated_by_cli, translated_by_model, with_office_version,
                                     xml)
from tests.formats.test_subtitles import Upper
from tests.identity import IdentityTranslator
from toolkit.cli import app

runner = CliRunner()
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"


class Shout(IdentityTranslator):
    """Words upper-cased, the markers of inline codes kept where they were (as a good model keeps them)."""

    def translate_batch(self, sentences):
        return [s.upper() for s in super().translate_batch(sentences)]


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> dict[str, bytes]:
    return with_office_version(tmp_path_factory, "news.docx", make_docx(), "python-docx")


@pytest.fixture(scope="module")
def messy(tmp_path_factory) -> dict[str, bytes]:
    return with_office_version(tmp_path_factory, "messy.docx", make_messy_docx(), "python-docx")


def _translate(data: bytes, translator):
    return translate_bytes("news.docx", data, translator)


def _structure(data: bytes) -> list[tuple]:
    """The document's elements other than runs' content (paragraphs, tables, cells, bookmarks,
    fields, drawings), in order: what a translation must keep."""
    kept = ("p", "tbl", "tr", "tc", "bookmarkStart", "bookmarkEnd", "fldChar", "instrText", "drawing", "txbxContent",
            "hyperlink", "commentReference", "pStyle", "ins", "del", "delText", "sdt", "sdtPr", "sdtContent")
    return [(e.tag, e.get(W + "val")) for e in xml(data).iter() if isinstance(e.tag, str) and e.tag[len(W):] in kept]


@pytest.mark.parametrize("maker", ["python-docx", "libreoffice"])
def test_an_identity_translation_keeps_every_paragraphs_text_and_the_structure(documents, maker):
    source, out, document = identity_round_trip(documents, maker, "news.docx", paragraph_texts)
    assert _structure(out) == _structure(source)
    labels = {s.part for s in document.segments}
    assert {"paragraph 1", "header paragraph 1", "footer paragraph 1", "comment paragraph 1"} <= labels
    assert any(label.startswith("table cell") for label in labels) and any(label.startswith("text box") for label in labels)
    with zipfile.ZipFile(io.BytesIO(source)) as a, zipfile.ZipFile(io.BytesIO(out)) as b:
        assert a.namelist() == b.namelist()
        assert a.read("word/_rels/document.xml.rels") == b.read("word/_rels/document.xml.rels")


def test_spell_check_splits_are_one_text_and_fields_stay_in_place(documents):
    out, document = _translate(documents["python-docx"], Shout(max_input_tokens=200))
    texts = paragraph_texts(out)["word/document.xml"]
    assert "PARLIAMENT MET ON PAGE 1 OF THE REPORT." in texts  # the field's result "1" kept between the translations
    assert not list(xml(out).iter(W + "proofErr"))
    assert [e.get(W + "name") for e in xml(out).iter(W + "bookmarkStart")] == ["met"]


def test_a_hyperlink_fields_words_are_translated_its_target_and_other_fields_kept(documents):
    out, _ = _translate(documents["python-docx"], Shout(max_input_tokens=200))
    texts = paragraph_texts(out)["word/document.xml"]
    assert "DETAILS ARE ON THE AGENCY PAGE." in texts and "PARLIAMENT MET ON PAGE 1 OF THE REPORT." in texts
    assert [i.text for i in xml(out).iter(W + "instrText")] == [" PAGE ", f' HYPERLINK "{FIELD_LINK}" ']
    assert [t.text for t in xml(out).iter(W + "delText")] == ["was rushed "]  # deleted text: as it was
    assert "THE COUNT WAS CHECKED BY THE OBSERVERS." in texts


def test_footnotes_and_endnotes_are_translated_and_their_references_kept(tmp_path):
    out, document = _translate(notes_docx(tmp_path), Shout(max_input_tokens=200))
    texts = paragraph_texts(out)
    assert texts["word/document.xml"] == ["THE MINISTER SPOKE ON MONDAY."]
    assert texts["word/footnotes.xml"] == ["SPEECH GIVEN IN TIRANA."]
    assert texts["word/endnotes.xml"] == ["SOURCE: THE MINISTRY."]
    body = xml(out)
    assert len(list(body.iter(W + "footnoteReference"))) == 1 and len(list(body.iter(W + "endnoteReference"))) == 1
    assert {"footnote paragraph 1", "endnote paragraph 1"} <= {s.part for s in document.segments}


def test_bold_italic_underline_and_the_link_keep_their_words(documents):
    out, _ = _translate(documents["python-docx"], Shout(max_input_tokens=200))
    body = xml(out)
    runs = {"".join(t.text for t in r.iter(W + "t")): r for r in body.iter(W + "r") if r.find(W + "t") is not None}
    assert runs["THE VOTE"].find(f"{W}rPr/{W}b") is not None
    assert runs["FAIR"].find(f"{W}rPr/{W}i") is not None
    assert runs["FINAL"].find(f"{W}rPr/{W}u") is not None
    [link] = body.iter(W + "hyperlink")
    assert "".join(t.text for t in link.iter(W + "t")) == "THE FULL STORY"
    with zipfile.ZipFile(io.BytesIO(out)) as archive:
        assert LINK in archive.read("word/_rels/document.xml.rels").decode()
        assert link.get(R + "id") in archive.read("word/_rels/document.xml.rels").decode()


def test_persian_paragraphs_are_right_to_left_and_every_run_and_style_says_fa(documents):
    out, _ = _translate(documents["python-docx"], IdentityTranslator(target="fa", max_input_tokens=200))
    body = xml(out)
    for p in body.iter(W + "p"):
        if any(r.find(W + "t") is not None for r in p.findall(W + "r")):
            assert p.find(f"{W}pPr/{W}bidi") is not None
    text_runs = [r for r in body.iter(W + "r") if r.find(W + "t") is not None and r.find(W + "t").text != "1"]
    assert text_runs and all(r.find(f"{W}rPr/{W}rtl") is not None for r in text_runs)
    assert all(r.find(f"{W}rPr/{W}lang").get(W + "bidi") == "fa" for r in text_runs)
    styles = xml(out, "word/styles.xml")
    assert styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang").get(W + "val") == "fa"
    assert {lang.get(W + "val") for lang in styles.iter(W + "lang")} == {"fa"}
    # Persian is complex script: Word shapes and spell-checks it by w:bidi, not by w:val (was python-docx's ar-SA)
    assert {lang.get(W + "bidi") for lang in styles.iter(W + "lang")} == {"fa"}


@pytest.mark.parametrize("maker", ["python-docx", "libreoffice"])
def test_a_tiny_model_translates_every_paragraph_once(documents, marian_model, tmp_path, maker):
    source, out = translated_by_cli(documents, maker, "news.docx", marian_model, tmp_path)
    assert_translated_once(paragraph_texts(source), paragraph_texts(out))


def test_one_docx_without_an_output_is_written_beside_it_in_each_language(marian_model, m2m100_model, tmp_path):
    source = make_docx()
    (tmp_path / "news.docx").write_bytes(source)
    result = run("translate", tmp_path / "news.docx", "--to", "sq,fa", "--model", f"sq={marian_model}",
                 "--model", f"fa={m2m100_model}")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.glob("*.docx")) == ["news.docx", "news.fa.docx", "news.sq.docx"]
    assert (tmp_path / "news.docx").read_bytes() == source
    persian = xml((tmp_path / "news.fa.docx").read_bytes())
    assert persian.find(f"{W}body/{W}p/{W}pPr/{W}bidi") is not None
    assert {r.find(f"{W}rPr/{W}lang").get(W + "bidi") for r in persian.iter(W + "r") if r.find(W + "t") is not None
            and r.find(W + "t").text != "1"} == {"fa"}  # all but the PAGE field's number
    result = run("translate", tmp_path / "news.docx", "--to", "sq", "--model", marian_model, "--json")
    assert result.exit_code == 2 and "cannot be written as JSON" in result.output


@functools.cache
def _bad_files() -> dict[str, tuple[bytes, str]]:
    made = make_docx()
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (600 * 2**20))
    return {"text.docx": (b"The minister said the vote was fair.\n", "not a zip"),
            "truncated.docx": (made[: len(made) // 2], "not a Word (DOCX) file"),
            "locked.docx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000, "password-protected"),
            "bomb.docx": (bomb.getvalue(), "unzips to more than 512 MiB")}


@pytest.mark.parametrize("name", list(_bad_files()))
def test_bad_docx_files_are_refused_in_one_line_with_no_output(marian_model, tmp_path, name):
    data, reason = _bad_files()[name]
    (tmp_path / name).write_bytes(data)
    result = run("translate", tmp_path / name, "--to", "sq", "--model", marian_model, "--out", tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert reason in result.output and "Traceback" not in result.output
    assert len(result.output.splitlines()) == 1
    assert not list((tmp_path / "out").glob("*.docx")) if (tmp_path / "out").exists() else True


def test_in_a_folder_a_bad_docx_goes_to_the_rejects_and_the_others_are_written(marian_model, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "good.docx").write_bytes(make_docx())
    (src / "bad.docx").write_bytes(b"plain text, not a zip")
    result = run("translate", src, "--to", "sq", "--model", marian_model, "--out", tmp_path / "out", "--skip-bad")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "good.sq.docx").is_file() and not (tmp_path / "out" / "bad.sq.docx").exists()
    assert "bad.docx" in (tmp_path / "out" / "rejects.jsonl").read_text("utf-8")


@pytest.mark.slow
def test_libreoffice_opens_every_translation_and_converts_it_to_pdf(documents, messy, tmp_path):
    assert_libreoffice_converts(documents, "news.docx", Upper, tmp_path)
    assert_libreoffice_converts(messy, "messy.docx", Upper, tmp_path)
    shown = shown_in_pdf(tmp_path / "python-docx.sq.pdf")
    for words in ("counted every", "summary sits", "Seats won in", "electoral", "Both parties", "Ballots sealed"):  # as shown
        assert words not in shown and words.upper() in shown, words


_WORDS = st.sampled_from(["the", "vote", "ëndërr", "çdo", "رأی", "می\u200cدهد", "a < b", "R&D", "<i>", "tab\there", "50%",
                          "https://a.al", "{name}", " ", "Parliam", "ent"])
_RUNS = st.lists(st.tuples(st.lists(_WORDS, min_size=1, max_size=3).map(" ".join), st.booleans(), st.booleans()),
                 min_size=1, max_size=6)


def _formatted_chars(data: bytes) -> list[list[tuple[str, bool, bool]]]:
    """Per paragraph, each character with whether it is bold and italic."""
    return [[(c, r.find(f"{W}rPr/{W}b") is not None, r.find(f"{W}rPr/{W}i") is not None)
             for r in p.iter(W + "r") for t in r for c in ((t.text or "") if t.tag == W + "t" else "\t" if t.tag == W + "tab" else "")]
            for p in xml(data).iter(W + "p")]


@settings(max_examples=30, deadline=None)
@given(st.lists(_RUNS, min_size=1, max_size=4))
def test_round_trip_property(paragraphs):
    """An identity translation gives every character back with its formatting, whatever the runs."""
    import docx

    document = docx.Document()
    for runs in paragraphs:
        p = document.add_paragraph()
        for text, bold, italic in runs:
            run = p.add_run(text)
            run.bold, run.italic = bold or None, italic or None
    buffer = io.BytesIO()
    document.save(buffer)
    out, _ = _translate(buffer.getvalue(), IdentityTranslator(max_input_tokens=400))
    assert _formatted_chars(out) == _formatted_chars(buffer.getvalue())


def _tags(data: bytes) -> list[str]:
    """Every element of the body but a run's own (runs, their properties and text are rewritten, runs
    that look the same joined), in order."""
    rewritten = {W + n for n in ("r", "rPr", "t", "tab", "br", "proofErr")}
    return [e.tag for e in xml(data).iter() if isinstance(e.tag, str) and e.tag not in rewritten
            and not any(a.tag == W + "rPr" and a.getparent().tag == W + "r" for a in e.iterancestors())]


def _visible(p) -> str:
    """A paragraph's text as it reads with tracked changes accepted (deleted and moved-away text left out)."""
    return "".join(t.text or "" for t in p.iter(W + "t") if not any(a.tag in (W + "del", W + "moveFrom") for a in t.iterancestors()))


def _body_paragraph(data: bytes, start: str):
    return next(p for p in xml(data).iter(W + "p") if _visible(p).startswith(start))


@pytest.mark.parametrize("maker", ["python-docx", "libreoffice"])
def test_a_messy_documents_identity_translation_keeps_its_text_and_every_element(messy, maker):
    source, out, document = identity_round_trip(messy, maker, "messy.docx", paragraph_texts)
    assert _tags(out) == _tags(source)
    assert not any(e.tag is etree.Comment for e in xml(out).iter())  # no marker left behind
    texts = [s.source for s in document.segments]
    assert sum("We counted every ballot twice." in t for t in texts) == 1  # a text box and its fallback: one part


def test_tracked_changes_keep_deleted_and_moved_away_text_as_it_was(messy):
    out, document = _translate(messy["python-docx"], Shout(max_input_tokens=400))
    p = _body_paragraph(out, "VOTERS")
    assert _visible(p) == "VOTERS QUEUED BEFORE DAWN AT EVERY SCHOOL IN THE RAIN."
    assert [t.text for t in p.iter(W + "delText")] == ["Few people "]
    assert ["".join(t.text for t in m.iter(W + "t")) for m in p.iter(W + "moveFrom")] == ["in the rain"]
    assert "".join(t.text for t in p.find(W + "ins").iter(W + "t")) == "VOTERS "
    struck = [p for p in xml(out).iter(W + "p") if p.find(f"{W}del/{W}r/{W}delText") is not None and not _visible(p)]
    assert [t.text for p in struck for t in p.iter(W + "delText")] == ["This sentence was struck out."]
    assert not any("Few people" in s.source or "struck out" in s.source for s in document.segments)


def test_runs_made_bold_with_tracked_changes_one_by_one_are_one_piece_of_text(messy):
    out, document = _translate(messy["python-docx"], Shout(max_input_tokens=400))
    assert any("Both parties accepted the result." in s.source for s in document.segments)  # no code between the runs
    p = _body_paragraph(out, "BOTH")
    assert _visible(p) == "BOTH PARTIES ACCEPTED THE RESULT. TURNOUT WAS HIGH."
    [bold] = [r for r in p.iter(W + "r") if r.find(f"{W}rPr/{W}b") is not None]
    assert bold.find(f"{W}rPr/{W}rPrChange") is not None  # still a tracked change of formatting


def test_fields_keep_their_instruction_and_result_and_bookmarks_their_words(messy):
    out, _ = _translate(messy["python-docx"], Shout(max_input_tokens=400))
    p = _body_paragraph(out, "THE TABLE")
    assert [i.text for i in p.iter(W + "instrText")] == [" PAGEREF ", "_Ref123 \\h "]
    assert _visible(p) == "THE TABLE ON PAGE 7 LISTS THE SEATS WON BY Ana Hoxha."
    assert p.find(W + "fldSimple").get(W + "instr") == " AUTHOR \\* MERGEFORMAT "
    p = _body_paragraph(out, "THE ELECTORAL")
    children = list(p)
    start = children.index(p.find(W + "bookmarkStart"))
    end = children.index(p.find(W + "bookmarkEnd"))
    assert "".join(t.text for c in children[start:end] for t in c.iter(W + "t")) == "ELECTORAL COMMISSION"


def test_every_entry_of_a_table_of_contents_is_translated_its_page_numbers_kept(messy):
    out, document = _translate(messy["python-docx"], Shout(max_input_tokens=400))
    entries = [p for p in xml(out).iter(W + "p") if p.find(f"{W}pPr/{W}pStyle[@{W}val='TOC1']") is not None]
    assert [_visible(p) for p in entries] == ["COUNTING IN THE CAPITAL1", "SEATS BY PARTY2"]  # text, tab, page number
    assert [i.text for p in entries for i in p.iter(W + "instrText")] == [' TOC \\o "1-3" \\h ', " PAGEREF _Toc1 \\h ",
                                                                         " PAGEREF _Toc2 \\h "]


def test_a_strict_open_xml_document_is_refused_in_one_line(tmp_path, marian_model):
    source = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(make_docx())) as archive, zipfile.ZipFile(source, "w") as strict:
        for info in archive.infolist():  # Word's "Strict Open XML Document": other namespaces, the same parts
            strict.writestr(info, archive.read(info).replace(b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
                                                             b"http://purl.oclc.org/ooxml/wordprocessingml/main"))
    (tmp_path / "strict.docx").write_bytes(source.getvalue())
    result = run("translate", tmp_path / "strict.docx", "--to", "sq", "--model", marian_model, "--out", tmp_path / "out")
    assert result.exit_code == 2 and len(result.output.splitlines()) == 1, result.output
    assert "Strict Open XML" in result.output and "save it as" in result.output


def test_smart_tags_content_controls_and_links_keep_their_words(messy):
    out, _ = _translate(messy["python-docx"], Shout(max_input_tokens=400))
    p = _body_paragraph(out, "TIRANA")
    assert _visible(p) == "TIRANA REPORTED THE HIGHEST TURNOUT OF THE YEAR."
    assert "".join(t.text for t in p.find(W + "smartTag").iter(W + "t")) == "TIRANA"
    assert p.find(f"{W}sdt/{W}sdtPr/{W}alias").get(W + "val") == "Year"
    assert "".join(t.text for t in p.find(f"{W}sdt/{W}sdtContent").iter(W + "t")) == "YEAR"
    assert _visible(_body_paragraph(out, "THE SUMMARY")) == "THE SUMMARY SITS IN A CONTENT CONTROL."
    p = _body_paragraph(out, "SEE")
    [by_id, by_anchor] = p.iter(W + "hyperlink")
    assert "".join(t.text for t in by_id.iter(W + "t")) == "THE COMMISSION SITE"
    assert "".join(t.text for t in by_anchor.iter(W + "t")) == "THE TABLE ABOVE" and by_anchor.get(W + "anchor") == "_Ref123"
    with zipfile.ZipFile(io.BytesIO(out)) as archive:
        assert MESSY_LINK in archive.read("word/_rels/document.xml.rels").decode()


def test_an_equation_and_a_symbol_stay_between_the_words_around_them(messy):
    out, _ = _translate(messy["python-docx"], Shout(max_input_tokens=400))
    p = _body_paragraph(out, "THE SHARE")
    [equation] = p.iter(M + "oMath")
    assert "".join(t.text for t in equation.iter(M + "t")) == "x+1"
    before = "".join(t.text for c in p if c is not equation for t in c.iter(W + "t") if c.getnext() is not None
                     and list(p).index(c) < list(p).index(equation))
    assert before == "THE SHARE GREW BY "
    assert len(list(p.iter(W + "sym"))) == 1 and _visible(p).endswith("A RECORDFOR THE PARTYIN THE NORTH.")
    assert p.find(f".//{W}tab") is not None and p.find(f".//{W}br") is not None


def test_a_charts_title_and_smartart_are_translated_the_charts_series_and_categories_kept(messy):
    out, document = _translate(messy["python-docx"], Shout(max_input_tokens=400))
    chart = xml(out, "word/charts/chart1.xml")
    assert ["".join(t.text for t in p.iter(A + "t")) for p in chart.iter(A + "p") if p.find(A + "r") is not None] == [
        "SEATS WON IN EACH REGION"]
    assert [v.text for v in chart.iter("{http://schemas.openxmlformats.org/drawingml/2006/chart}v")][:3] == [
        "Seats won", "North", "South"]
    assert "chart 1 paragraph 1" in {s.part for s in document.segments}
    for name in ("word/diagrams/data1.xml", "word/diagrams/drawing1.xml"):  # SmartArt: its data and its cached drawing
        assert ["".join(t.text for t in p.iter(A + "t")) for p in xml(out, name).iter(A + "p") if p.find(A + "r") is not None] == [
            "BALLOTS SEALED", "BALLOTS COUNTED"], name
    assert [s.part for s in document.segments if s.part.startswith("SmartArt")] == ["SmartArt 1 paragraph 1",
                                                                                    "SmartArt 1 paragraph 2"]


def test_persian_tables_read_right_to_left(messy):
    out, _ = _translate(messy["python-docx"], IdentityTranslator(target="fa", max_input_tokens=400))
    tables = list(xml(out).iter(W + "tbl"))
    assert tables and all(t.find(f"{W}tblPr/{W}bidiVisual") is not None for t in tables)
    out, _ = _translate(messy["python-docx"], IdentityTranslator(target="sq", max_input_tokens=400))
    assert not list(xml(out).iter(W + "bidiVisual"))


def test_a_persian_document_translated_into_albanian_reads_left_to_right():
    import docx

    document = docx.Document()
    normal = document.styles["Normal"].element
    normal.get_or_add_pPr().append(etree.fromstring(f'<w:bidi xmlns:w="{W[1:-1]}"/>'))  # a Persian template's default
    p = document.add_paragraph("رأی‌گیری در تهران")
    p._p.get_or_add_pPr().append(etree.fromstring(f'<w:bidi xmlns:w="{W[1:-1]}"/>'))
    p.runs[0]._r.get_or_add_rPr().append(etree.fromstring(f'<w:rtl xmlns:w="{W[1:-1]}"/>'))
    table = document.add_table(rows=1, cols=2)
    table._tbl.tblPr.append(etree.fromstring(f'<w:bidiVisual xmlns:w="{W[1:-1]}"/>'))
    table.cell(0, 0).text, table.cell(0, 1).text = "حزب", "کرسی"
    source = io.BytesIO()
    document.save(source)
    out, _ = _translate(source.getvalue(), IdentityTranslator(source="fa", target="sq", max_input_tokens=400))
    for name in ("word/document.xml", "word/styles.xml"):  # no paragraph, run, table or style right to left
        assert not [e.tag for e in xml(out, name).iter(W + "bidi", W + "rtl", W + "bidiVisual")], name


@pytest.mark.parametrize("maker", ["python-docx", "libreoffice"])
def test_a_tiny_model_translates_every_paragraph_of_a_messy_document_once(messy, marian_model, tmp_path, maker):
    source, out = translated_by_cli(messy, maker, "messy.docx", marian_model, tmp_path)
    paragraphs = ({"body": [_visible(p) for p in xml(data).iter(W + "p") if _visible(p).strip()]} for data in (source, out))
    assert_translated_once(*paragraphs)
    for box in xml(out).iter(MC + "AlternateContent"):  # a text box and its fallback for older Word: one translation
        choice, fallback = ([_visible(p) for p in branch.iter(W + "p")] for branch in box)
        assert choice == fallback


_CONTAINERS = {"link": ('<w:hyperlink w:anchor="_Ref1">', "</w:hyperlink>"), "ins": ('<w:ins w:id="9" w:author="E">', "</w:ins>"),
               "tag": ('<w:smartTag w:element="place">', "</w:smartTag>"), None: ("", "")}
_ITEMS = {"field": '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r>'
                   '<w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>4</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>',
          "mark": '<w:bookmarkStart w:id="3" w:name="_Ref1"/>', "end": '<w:bookmarkEnd w:id="3"/>',
          "symbol": '<w:r><w:sym w:font="Symbol" w:char="F0B7"/></w:r>', "deleted": '<w:del w:id="8" w:author="E"><w:r>'
                                                                                  '<w:delText>gone</w:delText></w:r></w:del>'}
_PIECES = st.lists(st.one_of(
    st.tuples(st.just("text"), st.lists(_WORDS, min_size=1, max_size=3).map(" ".join), st.sampled_from(list(_CONTAINERS)),
              st.booleans()),
    st.tuples(st.just("item"), st.sampled_from(list(_ITEMS)), st.sampled_from(["link", None]), st.just(False))), min_size=1, max_size=7)


def _reading(data: bytes) -> list[tuple]:
    """The body's paragraph in order: each character with its containers and boldness, each other element."""
    containers = {W + n for n in ("hyperlink", "ins", "smartTag", "del")}
    [p] = xml(data).iter(W + "p")
    out = []
    for e in p.iter():
        if not isinstance(e.tag, str) or e.tag in containers or e.tag in (W + "p", W + "r", W + "rPr", W + "b", W + "lang"):
            continue
        chain = tuple(a.tag for a in e.iterancestors() if a.tag in containers)
        if e.tag == W + "t":
            out += [(c, chain, e.getparent().find(f"{W}rPr/{W}b") is not None) for c in e.text or ""]
        else:
            out.append((e.tag, chain))
    return out


@settings(max_examples=100, deadline=None)
@given(_PIECES)
def test_round_trip_property_with_links_fields_marks_and_tracked_changes(paragraph):
    """An identity translation gives every character back in its containers (a link, a tracked
    insertion, a smart tag), and every field, bookmark, symbol and deleted run in its place."""
    import docx

    document = docx.Document()
    xml_text = ""
    for kind, what, container, bold in paragraph:
        start, end = _CONTAINERS[container]
        if kind == "text":
            props = "<w:rPr><w:b/></w:rPr>" if bold else ""
            body = "".join(f'<w:r>{props}<w:t xml:space="preserve">{escape(piece)}</w:t></w:r>' if piece != "\t" else
                           f"<w:r>{props}<w:tab/></w:r>" for piece in regex.split(r"(\t)", what) if piece)
        else:
            body = _ITEMS[what]
        xml_text += start + body + end
    p = document.add_paragraph()
    for element in etree.fromstring(f'<w:p xmlns:w="{W[1:-1]}">{xml_text}</w:p>'):
        p._p.append(element)
    buffer = io.BytesIO()
    document.save(buffer)
    out, _ = _translate(buffer.getvalue(), IdentityTranslator(max_input_tokens=400))
    assert _reading(out) == _reading(buffer.getvalue())


def renamed_parts(data: bytes, renames: dict[str, str]) -> bytes:
    """The package with its parts renamed (``old: new``, in the same folder), its relationships (and each
    renamed part's own) and content types saying so: as generators that do not use Word's names write it."""
    import posixpath

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as written:
        for info in source.infolist():
            name, content = info.filename, source.read(info)
            for old, new in renames.items():
                folder, base = posixpath.split(old)
                name = {old: new, f"{folder}/_rels/{base}.rels": f"{folder}/_rels/{posixpath.basename(new)}.rels"}.get(name, name)
                content = content.replace(f'"/{old}"'.encode(), f'"/{new}"'.encode())  # [Content_Types].xml
                content = content.replace(f'Target="{old}"'.encode(), f'Target="{new}"'.encode())  # _rels/.rels
                if info.filename.startswith(f"{folder}/_rels/"):
                    content = content.replace(f'Target="{base}"'.encode(), f'Target="{posixpath.basename(new)}"'.encode())
            written.writestr(name, content)
    return out.getvalue()


_RENAMED = {"word/document.xml": "word/document2.xml", "word/header1.xml": "word/headerTop.xml"}


def test_a_main_part_not_named_document_xml_is_read_through_the_packages_relationships():
    source = renamed_parts(make_docx(), _RENAMED)
    assert "word/document.xml" not in zipfile.ZipFile(io.BytesIO(source)).namelist()
    out, document = _translate(source, IdentityTranslator(max_input_tokens=200))
    assert paragraph_texts(out) == paragraph_texts(source)
    labels = {s.part for s in document.segments}
    assert {"paragraph 1", "header paragraph 1", "footer paragraph 1", "comment paragraph 1"} <= labels
    out, _ = _translate(source, Shout(target="fa", max_input_tokens=200))
    texts = paragraph_texts(out)
    assert texts["word/document2.xml"][0] == paragraph_texts(source)["word/document2.xml"][0].upper()
    assert texts["word/headerTop.xml"] == [t.upper() for t in paragraph_texts(source)["word/headerTop.xml"]]
    assert xml(out, "word/document2.xml").find(f"{W}body/{W}p/{W}pPr/{W}bidi") is not None
    styles = xml(out, "word/styles.xml")
    assert {lang.get(W + "val") for lang in styles.iter(W + "lang")} == {"fa"}


def test_a_tiny_model_translates_a_renamed_main_part_once(marian_model, tmp_path):
    source = renamed_parts(make_docx(), _RENAMED)
    assert_translated_once(paragraph_texts(source), paragraph_texts(translated_by_model("news.docx", source, marian_model, tmp_path)))


@pytest.mark.slow
def test_libreoffice_opens_the_translation_of_a_renamed_main_part(tmp_path):
    assert_libreoffice_converts({"renamed": renamed_parts(make_docx(), _RENAMED)}, "news.docx", Upper, tmp_path)
    assert "ELECTION" in shown_in_pdf(tmp_path / "renamed.sq.pdf").upper()
