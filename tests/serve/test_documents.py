"""/translate_file takes subtitles and PO files and gives back files of the same kind."""

from __future__ import annotations

import httpx
import polib
import pytest

from tests.formats.test_cli import PO, _cue_texts
from tests.formats.test_subtitles import SRT, VTT, _structure


@pytest.fixture(scope="module")
def files_server(start_server):
    return start_server()


def _translate_file(server, name: str, data: bytes, target: str = "fa") -> httpx.Response:
    return httpx.post(server.url + "/translate_file", data={"source": "en", "target": target},
                      files={"file": (name, data)}, timeout=120)


def test_subtitles_and_po_files_come_back_as_files_of_the_same_kind(files_server):
    assert {".srt", ".vtt", ".po", ".pot"} <= set(httpx.get(files_server.url + "/frontend/settings").json()["supportedFilesFormat"])
    for name, source in (("talk.srt", SRT), ("news.vtt", VTT)):
        response = _translate_file(files_server, name, source.encode())
        assert response.status_code == 200, response.text
        url = response.json()["translatedFileUrl"]
        assert url.endswith("." + name)
        translated = httpx.get(files_server.url + url).content.decode()
        assert _structure(translated) == _structure(source) and not set(_cue_texts(translated)) & set(_cue_texts(source))
    response = _translate_file(files_server, "site.pot", PO.encode(), "sq")
    url = response.json()["translatedFileUrl"]
    assert url.endswith(".site.po")
    catalog = polib.pofile(httpx.get(files_server.url + url).text)
    assert catalog.metadata["Language"] == "sq" and all("fuzzy" in e.flags for e in catalog if e.msgid != "Home")


def test_a_file_named_in_persian_comes_back_under_its_name(files_server):
    """LibreTranslate's secure_filename drops every non-ASCII letter (``گزارش‌ها.srt`` comes back as ``srt``)."""
    import urllib.parse

    response = _translate_file(files_server, "گزارش‌ها از تیرانا.srt", SRT.encode())
    assert response.status_code == 200, response.text
    url = response.json()["translatedFileUrl"]
    assert urllib.parse.unquote(url).endswith(".گزارش‌ها_از_تیرانا.srt"), url
    download = httpx.get(files_server.url + url)
    assert download.status_code == 200 and _structure(download.content.decode()) == _structure(SRT)
    disposition = download.headers["content-disposition"]
    assert urllib.parse.quote("گزارش‌ها_از_تیرانا.srt") in disposition, disposition  # RFC 6266 filename*


def test_a_file_that_is_not_what_its_extension_says_is_a_400(files_server):
    response = _translate_file(files_server, "talk.srt", b"Just some notes.\n")
    assert response.status_code == 400
    assert response.json() == {"error": "Invalid request: talk.srt: not a SubRip (.srt) file (line 1 is neither a cue "
                                        "number nor a 'start --> end' timing)"}


def test_the_character_limit_counts_a_subtitle_files_text_not_its_timings(start_server):
    server = start_server(char_limit=120)
    assert len(SRT) > 120
    assert _translate_file(server, "talk.srt", SRT.encode()).status_code == 200
    longer = SRT.replace("next week.", "next week, the agency reported on Monday evening.")
    response = _translate_file(server, "talk.srt", longer.encode())
    assert response.status_code == 400 and "exceeds text limit (120)" in response.json()["error"]


def test_word_powerpoint_excel_and_calc_documents_come_back_as_documents_of_their_kind_in_persian(files_server):
    from tests.formats import docx_files, ods_files, pptx_files, xlsx_files

    assert {".docx", ".pptx", ".xlsx", ".ods"} <= set(httpx.get(files_server.url + "/frontend/settings").json()["supportedFilesFormat"])
    for name, source, texts, title in (("news.docx", docx_files.make_docx(), docx_files.paragraph_texts, "Word (DOCX)"),
                                       ("deck.pptx", pptx_files.make_pptx(), pptx_files.paragraph_texts, "PowerPoint (PPTX)"),
                                       ("book.xlsx", xlsx_files.make_xlsx(), xlsx_files.cell_texts, "Excel (XLSX)"),
                                       ("budget.ods", ods_files.make_budget_ods(), ods_files.cell_texts,
                                        "OpenDocument spreadsheet (ODS)")):
        response = _translate_file(files_server, name, source)
        assert response.status_code == 200, response.text
        url = response.json()["translatedFileUrl"]
        assert url.endswith("." + name)
        translated = httpx.get(files_server.url + url).content
        assert {k: len(v) for k, v in texts(translated).items()} == \
            {k: len(v) for k, v in texts(source).items()}  # every paragraph (cell) there, once
        response = _translate_file(files_server, name, b"plain text, not a zip")
        assert response.status_code == 400 and f"{title} file" in response.json()["error"]
    body = docx_files.xml(httpx.get(files_server.url + _translate_file(files_server, "news.docx", docx_files.make_docx())
                                    .json()["translatedFileUrl"]).content)
    W = docx_files.W
    assert all(p.find(f"{W}pPr/{W}bidi") is not None for p in body.iter(W + "p")
               if any(r.find(W + "t") is not None for r in p.findall(W + "r")))


def test_xliff_files_come_back_as_xliff_with_their_targets_filled(files_server):
    from lxml import etree

    from tests.formats.test_xliff import N1, XLF12

    assert {".xlf", ".xliff"} <= set(httpx.get(files_server.url + "/frontend/settings").json()["supportedFilesFormat"])
    response = _translate_file(files_server, "news.xlf", XLF12.encode(), "sq")
    assert response.status_code == 200, response.text
    url = response.json()["translatedFileUrl"]
    assert url.endswith(".news.xlf")
    root = etree.fromstring(httpx.get(files_server.url + url).content)
    assert [u.find(f"{{{N1}}}target") is not None for u in root.iter(f"{{{N1}}}trans-unit")] == [True, True, True, True, False, False]
    assert root.find(f"{{{N1}}}file").get("target-language") == "sq"
    response = _translate_file(files_server, "news.xlf", b"<html/>")
    assert response.status_code == 400 and "not an XLIFF file" in response.json()["error"]


def test_opendocument_text_and_presentations_come_back_as_their_kind(files_server, tmp_path):
    from tests.formats import odf_files
    from tests.formats.docx_files import soffice

    soffice()
    for name, source in odf_files.make_odf(tmp_path).items():
        response = _translate_file(files_server, name, source)
        assert response.status_code == 200, response.text
        assert response.json()["translatedFileUrl"].endswith("." + name)
        translated = httpx.get(files_server.url + response.json()["translatedFileUrl"]).content
        assert {k: len(v) for k, v in odf_files.paragraph_texts(translated).items()} == \
            {k: len(v) for k, v in odf_files.paragraph_texts(source).items()}
