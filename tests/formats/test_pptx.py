"""PowerPoint presentations translated into presentations: every text frame, table cell, grouped
shape and speaker note one part, formatting and links kept through inline codes, fields and line
breaks left in place, Persian right to left with its language; LibreOffice Impress opens the output."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.formats.docx_files import (assert_libreoffice_converts, assert_translated_once, identity_round_trip, shown_in_pdf,
                                     translate_bytes, translated_by_cli, with_office_version)
from tests.formats.pptx_files import A, LINK, make_messy_pptx, make_pptx, paragraph_texts, xml
from tests.formats.test_docx import Shout, renamed_parts, run
from tests.identity import IdentityTranslator

R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
SLIDE = "ppt/slides/slide2.xml"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"


@pytest.fixture(scope="module")
def presentations(tmp_path_factory) -> dict[str, bytes]:
    return with_office_version(tmp_path_factory, "deck.pptx", make_pptx(), "python-pptx")


@pytest.fixture(scope="module")
def messy(tmp_path_factory) -> dict[str, bytes]:
    return with_office_version(tmp_path_factory, "messy.pptx", make_messy_pptx(), "python-pptx")


def _translate(data: bytes, translator):
    return translate_bytes("deck.pptx", data, translator)


def _structure(data: bytes, name: str) -> list[tuple]:
    kept = ("sp", "grpSp", "graphicFrame", "tbl", "tr", "tc", "p", "br", "fld", "hlinkClick")
    return [(e.tag, e.get("type")) for e in xml(data, name).iter() if isinstance(e.tag, str) and e.tag.split("}")[1] in kept]


@pytest.mark.parametrize("maker", ["python-pptx", "libreoffice"])
def test_an_identity_translation_keeps_every_paragraphs_text_and_the_structure(presentations, maker):
    source, out, document = identity_round_trip(presentations, maker, "deck.pptx", paragraph_texts)
    for name in paragraph_texts(source):
        assert _structure(out, name) == _structure(source, name)
    labels = {s.part for s in document.segments}
    assert {"slide 1 paragraph 1", "notes 2 paragraph 1", "slide 2 table cell paragraph 4", "slide 2 paragraph 9"} <= labels


def test_formatting_the_link_the_line_break_and_the_slide_number_are_kept():
    out, _ = _translate(make_pptx(), Shout(max_input_tokens=200))
    slide = xml(out, SLIDE)
    runs = {"".join(t.text for t in r.iter(A + "t")): r for r in slide.iter(A + "r")}
    assert runs["THE VOTE"].find(A + "rPr").get("b") == "1" and runs["FAIR"].find(A + "rPr").get("i") == "1"
    assert runs["THE FULL STORY"].find(f"{A}rPr/{A}hlinkClick").get(R + "id")
    assert "TURNOUT ROSE" in runs and "IN EVERY CITY, SLIDE " in runs
    assert [p for p in paragraph_texts(out)[SLIDE] if p.startswith("TURNOUT")] == ["TURNOUT ROSEIN EVERY CITY, SLIDE 2"]
    [br] = slide.iter(A + "br")
    assert br.getprevious().find(A + "t").text == "TURNOUT ROSE"  # the break between the same words
    with zipfile.ZipFile(io.BytesIO(out)) as archive:
        assert LINK in archive.read("ppt/slides/_rels/slide2.xml.rels").decode()


def test_persian_paragraphs_are_right_to_left_and_every_run_says_fa():
    out, _ = _translate(make_pptx(), IdentityTranslator(target="fa", max_input_tokens=200))
    for name in (n for n in paragraph_texts(out) if n.startswith(("ppt/slides/", "ppt/notesSlides/"))):
        for p in xml(out, name).iter(A + "p"):
            runs = p.findall(A + "r")
            if runs:
                assert p.find(A + "pPr").get("rtl") == "1"
                assert {r.find(A + "rPr").get("lang") for r in runs} == {"fa"}


def test_a_persian_presentation_translated_into_albanian_reads_left_to_right():
    from pptx import Presentation

    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.shapes.title.text = "رأی‌گیری در تهران"
    slide.shapes.title.text_frame.paragraphs[0]._p.get_or_add_pPr().set("rtl", "1")
    source = io.BytesIO()
    deck.save(source)
    out, _ = _translate(source.getvalue(), IdentityTranslator(source="fa", target="sq", max_input_tokens=400))
    assert [p.get("rtl") for p in xml(out, "ppt/slides/slide1.xml").iter(A + "pPr")] == [None]


def test_a_tiny_model_translates_every_paragraph_once(presentations, marian_model, tmp_path):
    source, out = translated_by_cli(presentations, "python-pptx", "deck.pptx", marian_model, tmp_path)
    assert_translated_once(paragraph_texts(source), paragraph_texts(out))
    (tmp_path / "notes.pptx").write_bytes(b"not a presentation")
    result = run("translate", tmp_path / "notes.pptx", "--to", "sq", "--model", marian_model, "--out", tmp_path / "o2")
    assert result.exit_code == 2 and "not a PowerPoint (PPTX) file" in result.output and len(result.output.splitlines()) == 1


@pytest.mark.slow
def test_libreoffice_impress_opens_every_translation_and_converts_it_to_pdf(presentations, messy, tmp_path):
    assert_libreoffice_converts(presentations, "deck.pptx", Shout, tmp_path)
    assert_libreoffice_converts(messy, "messy.pptx", Shout, tmp_path)
    shown = shown_in_pdf(tmp_path / "python-pptx.sq.pdf")
    for words in ("Polls", "Votes", "group", "Election desk", "Daily news", "Seats won in"):  # as LibreOffice shows it
        assert words not in shown and words.upper().split()[0] in shown, words


@pytest.mark.parametrize("maker", ["python-pptx", "libreoffice"])
def test_a_messy_presentations_identity_translation_keeps_its_text_and_structure(messy, maker):
    source, out, document = identity_round_trip(messy, maker, "messy.pptx", paragraph_texts)
    for name in paragraph_texts(source):
        assert _structure(out, name) == _structure(source, name)
    with zipfile.ZipFile(io.BytesIO(source)) as a, zipfile.ZipFile(io.BytesIO(out)) as b:
        for name in a.namelist():
            if name.startswith("ppt/embeddings/"):
                assert a.read(name) == b.read(name), name


def test_nested_groups_inherited_placeholders_notes_tables_and_a_charts_title_are_translated(messy):
    out, document = _translate(messy["python-pptx"], Shout(max_input_tokens=400))
    texts = paragraph_texts(out)
    assert texts["ppt/slides/slide1.xml"] == ["COUNTING IN THE CAPITAL", "VOTERS QUEUED BEFORE DAWN.",
                                              "EVERY SCHOOL STAYED OPEN LATE.", "THE OUTER GROUP", "THE MIDDLE GROUP",
                                              "THE INNERMOST GROUP", "ELECTION NIGHT LIVE"]  # the slide's footer
    assert texts["ppt/notesSlides/notesSlide1.xml"] == ["MENTION THE QUEUES AT THE SCHOOLS."]
    assert texts["ppt/slides/slide2.xml"] == ["SEATS BY PARTY", "PARTY", "SEATS WON", "THE GREENS", "TWELVE"]
    assert texts["ppt/charts/chart1.xml"] == ["SEATS WON IN EACH REGION"]
    steps = ["POLLS OPEN", "VOTES COUNTED", "RESULTS ANNOUNCED"]  # SmartArt: its data, and the drawing cached from it
    assert texts["ppt/diagrams/data1.xml"] == steps and texts["ppt/diagrams/drawing1.xml"] == steps
    assert [s.part for s in document.segments if s.part.startswith("SmartArt")] == [
        "SmartArt 1 paragraph 1", "SmartArt 1 paragraph 2", "SmartArt 1 paragraph 3"]  # each step once
    assert texts["ppt/slideLayouts/slideLayout2.xml"] == ["ELECTION DESK"]  # a layout's and the master's own text boxes
    assert texts["ppt/slideMasters/slideMaster1.xml"] == ["DAILY NEWS"]
    prompts = [t.text for t in xml(out, "ppt/slideMasters/slideMaster1.xml").iter(A + "t")]
    assert "Click to edit Master title style" in prompts  # placeholders' prompts: as they were
    assert "chart 1 paragraph 1" in {s.part for s in document.segments}
    chart = xml(out, "ppt/charts/chart1.xml")  # series and categories: the embedded workbook's cells, as they were
    assert [v.text for v in chart.iter("{http://schemas.openxmlformats.org/drawingml/2006/chart}v")][:3] == [
        "Seats won", "North", "South"]
    out, _ = _translate(messy["python-pptx"], IdentityTranslator(target="fa", max_input_tokens=400))
    [title] = [p for p in xml(out, "ppt/charts/chart1.xml").iter(A + "p") if p.find(A + "r") is not None]
    assert title.find(A + "pPr").get("rtl") == "1" and title.find(f"{A}r/{A}rPr").get("lang") == "fa"
    body = [sp for sp in xml(out, "ppt/slides/slide1.xml").iter(P + "sp") if sp.find(f"{P}nvSpPr/{P}nvPr/{P}ph") is not None]
    assert all(sp.find(f"{P}spPr") is not None and not len(sp.find(f"{P}spPr")) for sp in body)  # the layout's look


@pytest.mark.parametrize("maker", ["python-pptx", "libreoffice"])
def test_a_tiny_model_translates_every_paragraph_of_a_messy_presentation_once(messy, marian_model, tmp_path, maker):
    source, out = translated_by_cli(messy, maker, "messy.pptx", marian_model, tmp_path)
    assert_translated_once(paragraph_texts(source), paragraph_texts(out))


def test_a_presentation_part_not_named_presentation_xml_is_read_through_the_packages_relationships():
    source = renamed_parts(make_pptx(), {"ppt/presentation.xml": "ppt/main.xml"})
    assert "ppt/presentation.xml" not in zipfile.ZipFile(io.BytesIO(source)).namelist()
    out, _ = _translate(source, IdentityTranslator(max_input_tokens=200))
    assert paragraph_texts(out) == paragraph_texts(source)
    out, _ = _translate(source, Shout(max_input_tokens=200))
    assert paragraph_texts(out) == {name: [t.upper() for t in texts] for name, texts in paragraph_texts(source).items()}


@pytest.mark.slow
def test_libreoffice_opens_the_translation_of_a_renamed_presentation_part(tmp_path):
    assert_libreoffice_converts({"renamed": renamed_parts(make_pptx(), {"ppt/presentation.xml": "ppt/main.xml"})},
                                "deck.pptx", Shout, tmp_path)
