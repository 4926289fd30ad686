"""Excel workbooks translated into workbooks: every text cell one part (a shared string once), the
notes and threaded comments on cells too, rich text formatting kept through inline codes, formulas, numbers, dates, codes and sheet names left as
they were, Persian sheets right to left; LibreOffice Calc opens the output."""

from __future__ import annotations

import os
import re
import shlex
import subprocess

import pytest

from tests.formats.docx_files import (assert_libreoffice_converts, convert, identity_round_trip, translate_bytes,
                                      translated_by_model, with_office_version)
from tests.formats.test_docx import Shout, run
from tests.formats.xlsx_files import COMMENTS, SHEET, TEXTS, X, cell_texts, comment_texts, make_xlsx, xml
from tests.identity import IdentityTranslator


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory) -> dict[str, bytes]:
    return with_office_version(tmp_path_factory, "book.xlsx", make_xlsx(), "openpyxl")


def _structure(data: bytes) -> list[tuple]:
    kept = ("sheet", "row", "c", "f", "si", "r", "b", "is")
    return [(e.tag, e.get("r"), e.get("t"), e.get("name")) for name in ("xl/workbook.xml", SHEET)
            for e in xml(data, name).iter() if isinstance(e.tag, str) and e.tag[len(X):] in kept]


@pytest.mark.parametrize("maker", ["openpyxl", "libreoffice"])
def test_an_identity_translation_keeps_every_cell_and_the_structure(workbooks, maker):
    source, out, document = identity_round_trip(workbooks, maker, "book.xlsx", cell_texts)
    assert _structure(out) == _structure(source)
    assert comment_texts(out) == comment_texts(source)
    labels = [s.part for s in document.segments]
    assert {"sheet Results cell A1", "sheet Notes sheet cell A1", "sheet Results comment A1", "sheet Notes sheet comment B1"} <= set(labels)
    if maker == "openpyxl":  # LibreOffice drops threaded comments (it keeps their notes)
        assert {"sheet Results threaded comment A5", "sheet Results threaded comment A5 reply 1"} <= set(labels)
    assert len(labels) == len(set(labels))


@pytest.mark.parametrize("maker", ["openpyxl", "libreoffice"])
def test_text_cells_are_translated_once_and_everything_else_is_left_alone(workbooks, maker):
    if maker not in workbooks:
        pytest.skip("LibreOffice is not installed")
    out, document = translate_bytes("book.xlsx", workbooks[maker], Shout(max_input_tokens=200))
    source, translated = cell_texts(workbooks[maker]), cell_texts(out)
    results, notes = translated[SHEET], translated["xl/worksheets/sheet2.xml"]
    assert results["A1"] == "ELECTION RESULTS" and results["A3"] == results["A4"] == "TIRANA"
    assert results["A5"] == "THE COUNT WAS FAIR AND FINAL." and notes["A1"] == "COUNTED AT NIGHT"
    for ref in ("B3", "B4", "C3", "C4", "B5", "A6", "B6"):  # numbers, a date, a code, formulas, a boolean
        assert results[ref] == source[SHEET][ref]
    assert notes["B1"] == source["xl/worksheets/sheet2.xml"]["B1"] and "Results" in notes["B1"]
    assert [s.get("name") for s in xml(out, "xl/workbook.xml").iter(X + "sheet")] == ["Results", "Notes sheet"]
    shared = maker == "libreoffice"  # one shared string for both cells: translated once
    assert sum(s.part.endswith(("cell A3", "cell A4")) for s in document.segments) == (1 if shared else 2)
    [bold] = [r for r in xml(out, "xl/sharedStrings.xml" if shared else SHEET).iter(X + "r")
              if r.find(f"{X}rPr/{X}b") is not None]
    assert bold.findtext(X + "t") == "FAIR"
    comments = {text for texts in comment_texts(out).values() for _, text in texts}
    assert {"CHECKED BY THE DESK.", "TWICE THE VOTES OF TIRANA."} <= comments
    if maker == "openpyxl":
        assert {"IS THE COUNT FINAL?", "YES, SINCE MONDAY."} <= comments
    assert not comments & set(COMMENTS)


def _without_sheet_views(data: bytes) -> bytes:
    """The workbook with its second sheet's views removed (optional in XLSX; some writers leave them out)."""
    import io
    import zipfile

    from lxml import etree

    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as written:
        for info in source.infolist():
            part = source.read(info)
            if info.filename == "xl/worksheets/sheet2.xml":
                root = etree.fromstring(part)
                root.remove(root.find(X + "sheetViews"))
                part = etree.tostring(root)
            written.writestr(info, part)
    return out.getvalue()


def test_persian_sheets_are_right_to_left_and_the_workbook_says_fa():
    out, _ = translate_bytes("book.xlsx", _without_sheet_views(make_xlsx()), IdentityTranslator(target="fa", max_input_tokens=200))
    for name in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"):
        assert {v.get("rightToLeft") for v in xml(out, name).iter(X + "sheetView")} == {"1"}
    assert xml(out, "docProps/core.xml").findtext("{http://purl.org/dc/elements/1.1/}language") == "fa"
    out, _ = translate_bytes("book.xlsx", make_xlsx(), IdentityTranslator(target="sq", max_input_tokens=200))
    assert not [v for v in xml(out, SHEET).iter(X + "sheetView") if v.get("rightToLeft")]


def test_a_tiny_model_translates_every_text_cell_once(marian_model, tmp_path):
    out = translated_by_model("book.xlsx", make_xlsx(), marian_model, tmp_path)
    source, translated = cell_texts(make_xlsx()), cell_texts(out)
    assert {k: sorted(v) for k, v in translated.items()} == {k: sorted(v) for k, v in source.items()}
    left = [v for k in source for ref, v in source[k].items() if v in TEXTS and translated[k][ref] == v]
    assert not left, f"left untranslated: {left}"
    notes, translated_notes = comment_texts(make_xlsx()), comment_texts(out)
    assert [[ref for ref, _ in texts] for texts in translated_notes.values()] == [[ref for ref, _ in texts] for texts in notes.values()]
    left = [text for texts in translated_notes.values() for _, text in texts if text in COMMENTS]
    assert not left, f"comments left untranslated: {left}"
    (tmp_path / "sums.xlsx").write_bytes(make_xlsx()[:3000])
    result = run("translate", tmp_path / "sums.xlsx", "--to", "sq", "--model", marian_model, "--out", tmp_path / "o2")
    assert result.exit_code == 2 and "not an Excel (XLSX) file" in result.output and len(result.output.splitlines()) == 1


@pytest.mark.slow
def test_libreoffice_calc_opens_every_translation_and_converts_it_to_pdf(workbooks, tmp_path):
    assert_libreoffice_converts(workbooks, "book.xlsx", Shout, tmp_path)


@pytest.mark.slow
def test_an_old_binary_xls_is_refused_with_the_libreoffice_command_that_makes_it_readable(marian_model, tmp_path):
    """A real Excel 97-2003 workbook (LibreOffice writes it): one line naming the command; that very
    command, run as the user would, gives an .xlsx whose text cells toolkit translates."""
    (tmp_path / "book.xlsx").write_bytes(make_xlsx())
    old = convert(tmp_path / "book.xlsx", "xls", tmp_path / "lo")
    work = tmp_path / "desk"
    work.mkdir()
    (work / "budget 2026.xls").write_bytes(old.read_bytes())
    refused = run("translate", work / "budget 2026.xls", "--to", "sq", "--model", marian_model)
    assert refused.exit_code == 2 and len(refused.output.splitlines()) == 1 and "Traceback" not in refused.output
    command = re.search(r"`([^`]+)`", refused.output).group(1)
    done = subprocess.run(shlex.split(command), cwd=work, env={**os.environ, "HOME": str(tmp_path)}, capture_output=True,
                          timeout=180)
    assert done.returncode == 0, done.stderr
    result = run("translate", work / "budget 2026.xlsx", "--to", "sq", "--model", marian_model)
    assert result.exit_code == 0, result.output
    translated = cell_texts((work / "budget 2026.sq.xlsx").read_bytes())
    assert translated and not [v for cells in translated.values() for v in cells.values() if v in TEXTS]


def make_chart_xlsx() -> bytes:
    """A sheet of seats by region and a bar chart of them with a title and axis titles (openpyxl)."""
    import io

    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    book = Workbook()
    sheet = book.active
    sheet.title = "Seats"
    for row in (("Region", "Seats won"), ("North", 12), ("South", 9)):
        sheet.append(row)
    chart = BarChart()
    chart.title, chart.x_axis.title, chart.y_axis.title = "Seats won in each region", "Region of the country", "Seats in parliament"
    chart.add_data(Reference(sheet, min_col=2, min_row=1, max_row=3), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=3))
    sheet.add_chart(chart, "D2")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


CHART_TITLES = ["Seats won in each region", "Region of the country", "Seats in parliament"]
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def _chart_titles(data: bytes) -> list[str]:
    return ["".join(t.text for t in p.iter(A + "t")) for p in xml(data, "xl/charts/chart1.xml").iter(A + "p")
            if p.find(A + "r") is not None]


def test_a_charts_title_and_axis_titles_are_translated_its_series_and_categories_kept():
    source = make_chart_xlsx()
    assert _chart_titles(source) == CHART_TITLES
    out, document = translate_bytes("chart.xlsx", source, IdentityTranslator(max_input_tokens=200))
    assert _chart_titles(out) == CHART_TITLES
    out, document = translate_bytes("chart.xlsx", source, Shout(target="fa", max_input_tokens=200))
    assert _chart_titles(out) == [t.upper() for t in CHART_TITLES]
    assert {r.find(A + "rPr").get("lang") for r in xml(out, "xl/charts/chart1.xml").iter(A + "r")} == {"fa"}
    assert [f.text for f in xml(out, "xl/charts/chart1.xml").iter(C + "f")] == [f.text for f in xml(
        source, "xl/charts/chart1.xml").iter(C + "f")]  # series and categories: the cells they name
    assert {"chart 1 paragraph 1", "chart 1 paragraph 3"} <= {s.part for s in document.segments}


def test_a_tiny_model_translates_a_charts_titles(marian_model, tmp_path):
    out = translated_by_model("chart.xlsx", make_chart_xlsx(), marian_model, tmp_path)
    assert len(_chart_titles(out)) == 3 and not set(_chart_titles(out)) & set(CHART_TITLES)


@pytest.mark.slow
def test_libreoffice_opens_a_workbook_whose_chart_titles_are_translated(tmp_path):
    assert_libreoffice_converts({"chart": make_chart_xlsx()}, "chart.xlsx", Shout, tmp_path)
