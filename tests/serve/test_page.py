"""The web page in a real headless Chromium (the system's, driven by Playwright)."""

from __future__ import annotations

import shutil

import pytest

ARTICLE = ("The minister said the talks would continue next week in Tirana. "
           "Iran and Albania cut diplomatic ties in September 2022.\n\n"
           "Journalists were not allowed to enter the building, the agency reported.")


@pytest.fixture(scope="module")
def browser():
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.skip("no system Chromium (apt-get install chromium; .ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    page = browser.new_page()
    page.goto(server.url + "/")
    page.wait_for_selector("#target-fa")
    yield page
    page.close()


def test_translate_into_persian_shows_right_to_left_output(page, alone):
    page.fill("#source-text", ARTICLE)
    page.check("#target-fa")
    page.check("#target-sq")
    page.click("#translate")
    persian = page.wait_for_selector("#output-fa")
    assert persian.get_attribute("dir") == "rtl" and persian.get_attribute("lang") == "fa"
    assert persian.text_content() == alone("fa", ARTICLE)
    albanian = page.wait_for_selector("#output-sq")
    assert albanian.get_attribute("dir") == "ltr" and albanian.text_content() == alone("sq", ARTICLE)
    with page.expect_download() as download:
        page.click("#download-fa")
    assert open(download.value.path(), encoding="utf-8").read() == alone("fa", ARTICLE)
    assert not page.is_visible("#error")


def test_summary_shown_per_language(page):
    page.fill("#source-text", ARTICLE)
    page.check("#target-fa")
    page.select_option("#method", "extractive")
    page.click("#summarize")
    persian = page.wait_for_selector("#output-fa")
    assert persian.get_attribute("dir") == "rtl" and persian.text_content().strip()


def test_errors_are_shown_inline(page):
    page.click("#translate")
    assert page.wait_for_selector("#error").text_content() == "Paste an article or choose a file first."
    page.fill("#source-text", "a" * 201)  # over the server's 200-character limit
    page.check("#target-fa")
    page.click("#translate")
    page.wait_for_selector("#error:has-text('exceeds')")  # no wait_for_function: the page's CSP forbids eval
    assert page.text_content("#error") == "Invalid request: request (201) exceeds text limit (200)"
    assert page.query_selector("#output-fa") is None


def test_the_page_asks_for_a_key_when_the_server_requires_one(browser, start_server, alone):
    from toolkit.serve.keys import KeyStore

    server = start_server(require_api_key=True)
    key, _ = KeyStore(server.config.keys_db).add(req_limit=100)
    page = browser.new_page()
    try:
        page.goto(server.url + "/")
        page.wait_for_selector("#target-fa")
        assert page.is_visible("#api-key")
        page.fill("#source-text", "Prices rose.")
        page.check("#target-fa")
        page.click("#translate")
        page.wait_for_selector("#error:has-text('API key')")
        assert page.text_content("#error") == "Please contact the server operator to get an API key"
        page.fill("#api-key", key)
        page.click("#translate")
        assert page.wait_for_selector("#output-fa").text_content() == alone("fa", "Prices rose.")
    finally:
        page.close()


def test_the_page_offers_only_the_summary_methods_the_server_has(page, browser, start_server, bart_model):
    assert page.eval_on_selector_all("#method option", "options => options.map(o => o.value)") == ["extractive"]
    server = start_server(summary_model=str(bart_model))
    other = browser.new_page()
    try:
        other.goto(server.url + "/")
        other.wait_for_selector("#target-fa")
        assert other.eval_on_selector_all("#method option", "options => options.map(o => o.value)") == \
            ["extractive", "abstractive"]
    finally:
        other.close()


def test_flagged_sentences_are_marked_and_say_why_on_hover_and_keyboard_focus(page, server, alone):
    import httpx

    page.fill("#source-text", ARTICLE)
    page.check("#target-sq")
    page.click("#translate")
    page.wait_for_selector("#output-sq mark.flagged")
    output = page.locator("#output-sq")
    assert output.text_content() == alone("sq", ARTICLE)  # marking keeps the text (and what Copy copies)
    answer = httpx.post(f"{server.url}/translate", json={"q": ARTICLE, "source": "auto", "target": "sq", "flags": True}).json()
    marks = output.locator("mark.flagged")
    assert marks.count() == len(answer["flags"]) > 0
    for i, entry in enumerate(answer["flags"]):
        mark = marks.nth(i)
        why = "; ".join(f"{f['check']}: {f['detail']}" if f["detail"] else f["check"] for f in entry["flags"])
        assert mark.text_content() == entry["translation"] and mark.get_attribute("title") == why  # hover
        assert mark.get_attribute("tabindex") == "0"  # reached with Tab
        note = page.locator(f"#{mark.get_attribute('aria-describedby')}")
        assert note.text_content() == f"Flagged: {why}"  # what a screen reader says on focus
    first = marks.first
    assert first.evaluate("m => getComputedStyle(m, '::after').content") == "none"
    first.focus()
    assert first.evaluate("m => getComputedStyle(m, '::after').content") == f'"{first.get_attribute("title")}"'


def test_a_document_chosen_in_the_picker_comes_back_as_a_download_of_its_kind(page, server, tmp_path):
    """A subtitle file (any format the server lists) goes to /translate_file as it is; the page offers
    the translation as a file of the same kind, its cue numbers and timings as they were, and counts
    its flagged segments, each listed with its cues and why."""
    import httpx

    from tests.formats.test_subtitles import SRT

    assert ".docx" in page.get_attribute("#file", "accept").split(",")
    source = tmp_path / "talk.srt"
    source.write_text(SRT, "utf-8", newline="")
    page.set_input_files("#file", str(source))
    page.check("#target-sq")
    page.click("#translate")
    link = page.wait_for_selector("#download-sq")
    assert link.get_attribute("download") == "talk.sq.srt"
    with page.expect_download() as download:
        link.click()
    translated = open(download.value.path(), encoding="utf-8").read()
    timings = [line for line in SRT.splitlines() if "-->" in line]
    assert [line for line in translated.splitlines() if "-->" in line] == timings and translated != SRT
    flags = httpx.post(server.url + "/translate_file", data={"source": "auto", "target": "sq", "flags": "true"},
                       files={"file": ("talk.srt", SRT.encode())}, timeout=120).json()["flags"]
    assert page.text_content("#flagged-sq summary") == f"{len(flags)} flagged segments" and len(flags) > 1
    items = page.locator("#flagged-sq li")
    assert items.count() == len(flags) and items.first.text_content().startswith(flags[0]["part"] + ": ")
    assert not page.is_visible("#error")
