"""OpenDocument spreadsheets translated into spreadsheets: every text cell's paragraphs (and the
comments on cells, and the page headers) translated once, links and spans kept through inline
codes, formulas, numbers, percentages, currencies, dates, times, booleans, codes and sheet names
left as they were, Persian sheets right to left with the language in the styles; LibreOffice Calc
opens what comes out."""

from __future__ import annotations

import shutil

import pytest

from tests.formats.docx_files import assert_libreoffice_converts, translate_bytes, translated_by_model
from tests.formats.ods_files import BUDGET_LINK, BUDGET_TEXTS, STRING_VALUE, TABLE, cell_texts, make_budget_ods, make_ods
from tests.formats.odf_files import FO, STYLE, TEXT, xml
from tests.formats.test_docx import Shout, run
from tests.identity import IdentityTranslator


@pytest.fixture(scope="module")
def sheets(tmp_path_factory) -> dict[str, bytes]:
    if shutil.which("soffice") or shutil.which("libreoffice"):
        return make_ods(tmp_path_factory.mktemp("ods"))
    return {"budget.ods": make_budget_ods()}


def _structure(data: bytes) -> list[tuple]:
    kept = ("table", "table-row", "table-cell", "covered-table-cell", "annotation", "p", "a", "span")
    return [(e.tag, e.get(TABLE + "name"), e.get(TABLE + "number-columns-repeated"), e.get(TABLE + "number-rows-repeated"))
            for e in xml(data).iter() if isinstance(e.tag, str) and e.tag.split("}")[1] in kept]


def _sheet(sheets: dict, name: str) -> bytes:
    if name not in sheets:
        pytest.skip("LibreOffice is not installed")
    return sheets[name]


@pytest.mark.parametrize("name", ["book.ods", "budget.ods"])
def test_an_identity_translation_keeps_every_cell_and_the_structure(sheets, name):
    source = _sheet(sheets, name)
    out, document = translate_bytes(name, source, IdentityTranslator(max_input_tokens=200))
    assert cell_texts(out) == cell_texts(source)
    assert _structure(out) == _structure(source)
    labels = [s.part for s in document.segments]
    expected = {"book.ods": {"sheet Results cell A1", "sheet Results cell A5", "sheet Notes sheet cell A1",
                             "sheet Results cell A1 comment", "sheet Notes sheet cell B1 comment"},
                "budget.ods": {"sheet Budget 2026 cell A1 comment", "sheet Budget 2026 cell A4 paragraph 2",
                               "sheet Budget 2026 cell A8", "sheet Notes cell A1", "header paragraph 1", "header paragraph 2",
                               "footer paragraph 1"}}[name]
    assert expected <= set(labels), labels
    assert len(labels) == len(set(labels))


def test_text_cells_and_comments_are_translated_and_values_and_formulas_left_alone(sheets):
    source = sheets["budget.ods"]
    out, document = translate_bytes("budget.ods", source, Shout(max_input_tokens=200))
    before, after = cell_texts(source), cell_texts(out)
    budget = after["Budget 2026"]
    assert budget["A1"][3:] == ("BUDGET OF THE CITY", "CHECKED BY THE DESK.")
    assert budget["A2"][3] == "READ THE FULL BUDGET ONLINE." and budget["A3"][3] == "PENDING"  # one cell over two columns
    assert budget["A4"][3] == "FIRST LINE.\nSECOND LINE." and budget["A8"][3] == "AFTER THE GAP"
    assert after["Notes"]["A1"][3] == "REPORTER NOTES" and after["page headers"][""][3] == "CITY BUDGET\nBUDGET REPORT\nPAGE "
    [number] = xml(out, "styles.xml").iter(TEXT + "page-number")
    assert number.getparent().text == "PAGE " and number.text == "1"  # the field kept, after the translated word
    for ref in ("B1", "C1", "B2", "C2", "C3", "B4", "B8", "C8"):  # percentage, currency, date, time, boolean, formula, code
        assert budget[ref] == before["Budget 2026"][ref], ref
    assert after["Notes"]["B1"] == before["Notes"]["B1"] and "'Budget 2026'" in after["Notes"]["B1"][1]
    assert [t.get(TABLE + "name") for t in xml(out).iter(TABLE + "table")] == ["Budget 2026", "Notes"]
    [link] = [a for a in xml(out).iter(TEXT + "a") if a.get("{http://www.w3.org/1999/xlink}href") == BUDGET_LINK]
    assert link.text == "THE FULL BUDGET"
    cells = {c.findtext(TEXT + "p"): c for c in xml(out).iter(TABLE + "table-cell")}
    assert STRING_VALUE not in cells["SPENDING"].attrib  # the translated text is the cell's value now
    assert cells["Budget of the city"].get(STRING_VALUE) == "Budget of the city"  # a formula's result: kept
    assert len({s.part for s in document.segments}) == len(BUDGET_TEXTS)  # each text one part: nothing else sent


def test_the_libreoffice_sheet_is_translated_once_per_text_cell(sheets):
    source = _sheet(sheets, "book.ods")
    out, _ = translate_bytes("book.ods", source, Shout(max_input_tokens=200))
    before, after = cell_texts(source), cell_texts(out)
    results = after["Results"]
    assert results["A1"][3] == "ELECTION RESULTS" and results["A3"][3] == results["A4"][3] == "TIRANA"
    assert results["A5"][3] == "THE COUNT WAS FAIR AND FINAL." and after["Notes sheet"]["A1"][3] == "COUNTED AT NIGHT"
    for ref in ("B3", "B4", "C3", "C4", "B5", "A6", "B6"):  # numbers, a date, a code, formulas (one computing text)
        assert results[ref] == before["Results"][ref], ref
    assert after["Notes sheet"]["B1"][:4] == before["Notes sheet"]["B1"][:4]  # a formula, with a comment:
    assert after["Notes sheet"]["B1"][4] == "TWICE THE VOTES OF TIRANA."  # the comment translated
    assert results["A1"][4] == "CHECKED BY THE DESK."
    assert any(span.text == "FAIR" for span in xml(out).iter(TEXT + "span"))


@pytest.mark.parametrize("name", ["book.ods", "budget.ods"])
def test_persian_sheets_are_right_to_left_and_the_styles_say_fa(sheets, name):
    out, _ = translate_bytes(name, _sheet(sheets, name), IdentityTranslator(target="fa", max_input_tokens=200))
    content = xml(out)
    table_styles = {s.get(STYLE + "name"): s for s in content.iter(STYLE + "style") if s.get(STYLE + "family") == "table"}
    for table in content.iter(TABLE + "table"):  # the sheet without a style (budget's Notes) has one now
        style = table_styles[table.get(TABLE + "style-name")]
        assert style.find(STYLE + "table-properties").get(STYLE + "writing-mode") == "rl-tb", table.get(TABLE + "name")
    default = xml(out, "styles.xml").find(f".//{STYLE}default-style[@{STYLE}family='table-cell']/{STYLE}text-properties")
    assert default.get(FO + "language") == "fa" and default.get(STYLE + "language-complex") == "fa"
    out, _ = translate_bytes(name, _sheet(sheets, name), IdentityTranslator(target="sq", max_input_tokens=200))
    assert not [s for s in xml(out).iter(STYLE + "table-properties") if s.get(STYLE + "writing-mode") == "rl-tb"]


def test_a_tiny_model_translates_every_text_cell_once(marian_model, tmp_path):
    source = cell_texts(make_budget_ods())
    translated = cell_texts(translated_by_model("budget.ods", make_budget_ods(), marian_model, tmp_path))
    assert {k: sorted(v) for k, v in translated.items()} == {k: sorted(v) for k, v in source.items()}
    left = [line for sheet, cells in source.items() for ref, cell in cells.items() if cell[1] is None for i in (3, 4)
            for line in cell[i].split("\n") if line in BUDGET_TEXTS and line in translated[sheet][ref][i].split("\n")]
    assert not left, f"left untranslated: {left}"
    for sheet in ("Budget 2026", "Notes"):
        assert [c[:3] for c in translated[sheet].values()] == [c[:3] for c in source[sheet].values()]
        assert [c[3] for c in translated[sheet].values() if c[0] != "string"] == \
            [c[3] for c in source[sheet].values() if c[0] != "string"]  # what values show: untouched
    (tmp_path / "sums.ods").write_bytes(make_budget_ods()[:700])
    result = run("translate", tmp_path / "sums.ods", "--to", "sq", "--model", marian_model, "--out", tmp_path / "o2")
    assert result.exit_code == 2 and "not an OpenDocument spreadsheet (ODS) file" in result.output
    assert len(result.output.splitlines()) == 1 and not (tmp_path / "o2" / "sums.sq.ods").exists()


@pytest.mark.slow
def test_libreoffice_calc_opens_every_translation_and_converts_it_to_pdf(sheets, tmp_path):
    for name in ("book.ods", "budget.ods"):
        assert_libreoffice_converts({name.split(".")[0]: _sheet(sheets, name)}, name, Shout, tmp_path)


@pytest.mark.slow
def test_libreoffice_calc_reads_the_persian_sheets_as_right_to_left(sheets, tmp_path):
    from tests.formats.docx_files import convert
    from tests.formats.xlsx_files import X as XLSX
    from tests.formats.xlsx_files import xml as xlsx_xml

    out, _ = translate_bytes("budget.ods", sheets["budget.ods"], IdentityTranslator(target="fa", max_input_tokens=200))
    (tmp_path / "budget.fa.ods").write_bytes(out)
    resaved = convert(tmp_path / "budget.fa.ods", "xlsx", tmp_path).read_bytes()  # Calc's own view of the sheets
    for part in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"):  # a styled sheet, and one given a style
        assert {v.get("rightToLeft") for v in xlsx_xml(resaved, part).iter(XLSX + "sheetView")} == {"true"}


def test_summaries_read_the_text_cells_not_the_values():
    from toolkit.formats.reading import plain_text

    lines = plain_text("budget.ods", make_budget_ods()).splitlines()
    assert "Read the full budget online." in lines and "Reporter notes" in lines
    assert not {"25%", "€1,200.00", "3", "2026-01-05", "Monday, January 5, 2026"} & set(lines)


def test_a_workbook_or_a_text_document_renamed_ods_is_refused_in_one_line(marian_model, tmp_path):
    from tests.formats.xlsx_files import make_xlsx

    text_document = make_budget_ods(mimetype="application/vnd.oasis.opendocument.text")
    for name, data, says in (("book.ods", make_xlsx(), "a zip without content.xml"),
                             ("letter.ods", text_document, "its mimetype is application/vnd.oasis.opendocument.text")):
        (tmp_path / name).write_bytes(data)
        result = run("translate", tmp_path / name, "--to", "sq", "--model", marian_model, "--out", tmp_path / "out")
        assert result.exit_code == 2 and says in result.output and len(result.output.splitlines()) == 1, result.output
        assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.ods"))


@pytest.fixture(scope="module")
def chart_ods(tmp_path_factory) -> bytes:
    """The XLSX workbook with a chart (``make_chart_xlsx``), as LibreOffice Calc writes it in ODS: the
    chart an embedded object (``Object 1/content.xml``), its titles ``chart:title`` paragraphs."""
    from tests.formats.docx_files import convert, soffice
    from tests.formats.test_xlsx import make_chart_xlsx

    soffice()
    folder = tmp_path_factory.mktemp("chart")
    (folder / "src").mkdir()
    (folder / "src" / "chart.xlsx").write_bytes(make_chart_xlsx())
    return convert(folder / "src" / "chart.xlsx", "ods", folder).read_bytes()


def _chart_texts(data: bytes) -> tuple[list[str], list[str]]:
    """The chart's titles, and the text of its own table's cells (the series' and categories' names)."""
    chart = xml(data, "Object 1/content.xml")
    titles = ["".join(p.itertext()) for p in chart.iter(TEXT + "p") if p.getparent().tag.endswith("}title")]
    return titles, ["".join(p.itertext()) for p in chart.iter(TEXT + "p") if p.getparent().tag == TABLE + "table-cell"]


def test_a_charts_title_and_axis_titles_are_translated_its_own_tables_names_kept(chart_ods):
    from tests.formats.test_xlsx import CHART_TITLES

    titles, names = _chart_texts(chart_ods)
    assert titles == CHART_TITLES and "North" in names
    out, document = translate_bytes("chart.ods", chart_ods, IdentityTranslator(max_input_tokens=200))
    assert _chart_texts(out) == (titles, names)
    out, document = translate_bytes("chart.ods", chart_ods, Shout(target="fa", max_input_tokens=200))
    assert _chart_texts(out) == ([t.upper() for t in CHART_TITLES], names)
    assert {"chart 1 paragraph 1", "chart 1 paragraph 3"} <= {s.part for s in document.segments}


def test_a_tiny_model_translates_the_titles_of_an_ods_chart(chart_ods, marian_model, tmp_path):
    from tests.formats.test_xlsx import CHART_TITLES

    titles, _ = _chart_texts(translated_by_model("chart.ods", chart_ods, marian_model, tmp_path))
    assert len(titles) == 3 and not set(titles) & set(CHART_TITLES)


@pytest.mark.slow
def test_libreoffice_calc_opens_an_ods_whose_chart_titles_are_translated(chart_ods, tmp_path):
    from tests.formats.docx_files import shown_in_pdf

    assert_libreoffice_converts({"chart": chart_ods}, "chart.ods", Shout, tmp_path)
    assert "SEATS IN PARLIAMENT" in shown_in_pdf(tmp_path / "chart.sq.pdf")  # the chart drawn from its translated object
