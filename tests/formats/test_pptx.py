"""PowerPoint presentations translated into presentations: every text frame, table cell, grouped
shape and speaker note one part, formatting and links kept through inline codes, fields and line
breaks left in place, Persian right to left with its language; LibreOffice Impress opens the output."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.formats.docx_files import assert_libreoffice_converts, identity_round_trip, translate_bytes, with_office_version
from tests.formats.pptx_files import A, LINK, make_pptx, paragraph_texts, xml
from tests.formats.test_docx import Shout, run
from tests.identity import IdentityTranslator

R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
SLIDE = "ppt/slides/slide2.xml"


@pytest.fixture(scope="module")
def presentations(tmp_path_factory) -> dict[str, bytes]:
    return with_office_version(tmp_path_factory, "deck.pptx", make_pptx(), "python-pptx")


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
    for name in paragraph_texts(out):
        for p in xml(out, name).iter(A + "p"):
            runs = p.findall(A + "r")
            if runs:
                assert p.find(A + "pPr").get("rtl") == "1"
                assert {r.find(A + "rPr").get("lang") for r in runs} == {"fa"}


def test_a_tiny_model_translates_every_paragraph_once(presentations, marian_model, tmp_path):
    (tmp_path / "deck.pptx").write_bytes(make_pptx())
    result = run("translate", tmp_path / "deck.pptx", "--to", "sq", "--model", marian_model, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    source, translated = paragraph_texts(make_pptx()), paragraph_texts((tmp_path / "out" / "deck.sq.pptx").read_bytes())
    assert {k: len(v) for k, v in translated.items()} == {k: len(v) for k, v in source.items()}
    left = [t for k in source for t in source[k] if t in translated[k] and len(t) > 8]
    assert not left, f"left untranslated: {left}"
    (tmp_path / "notes.pptx").write_bytes(b"not a presentation")
    result = run("translate", tmp_path / "notes.pptx", "--to", "sq", "--model", marian_model, "--out", tmp_path / "o2")
    assert result.exit_code == 2 and "not a PowerPoint (PPTX) file" in result.output and len(result.output.splitlines()) == 1


@pytest.mark.slow
def test_libreoffice_impress_opens_every_translation_and_converts_it_to_pdf(presentations, tmp_path):
    assert_libreoffice_converts(presentations, "deck.pptx", Shout, tmp_path)
