"""Protected spans and glossaries in the service: a server-wide glossary, a request's own, protect off."""

from __future__ import annotations

import httpx

from toolkit.translate.glossary import Glossary

TEXT = "The Prime Minister wrote to redaksia@rtsh.al about {count} reports in Tirana."


def test_spans_come_back_and_a_request_adds_its_glossary_to_the_servers(start_server):
    server = start_server(glossary=Glossary({"sq": {"prime minister": "Kryeministri"}}))
    plain = httpx.post(f"{server.url}/translate", json={"q": TEXT, "source": "en", "target": "sq"}).json()["translatedText"]
    assert plain.count("redaksia@rtsh.al") == 1 and plain.count("{count}") == 1 and plain.count("Kryeministri") == 1
    asked = httpx.post(f"{server.url}/translate", json={"q": [TEXT], "source": "en", "target": "sq",
                                                        "glossary": {"Tirana": "Tiranë", "prime minister": "Kryeministrja"}})
    [text] = asked.json()["translatedText"]
    assert text.count("Tiranë") == 1 and text.count("Kryeministrja") == 1 and "Kryeministri " not in text


def test_a_request_may_turn_protection_off_and_a_bad_glossary_is_a_400(start_server):
    server = start_server()
    unprotected = httpx.post(f"{server.url}/translate", data={"q": TEXT, "source": "en", "target": "fa", "protect": "false"})
    assert unprotected.status_code == 200 and "redaksia@rtsh.al" not in unprotected.json()["translatedText"]
    for bad, message in (({"glossary": ["Tirana"]}, "'glossary' must be an object"),
                         ({"glossary": {"a": "x", "A": "y"}}, "two translations"),
                         ({"protect": "maybe"}, "protect parameter must be true or false")):
        response = httpx.post(f"{server.url}/translate", json={"q": TEXT, "source": "en", "target": "fa", **bad})
        assert response.status_code == 400 and message in response.json()["error"]


def test_a_markdown_file_keeps_its_code_blocks_and_link_targets(start_server):
    server = start_server()
    document = "# Lajme\n\n```\nkeep = {this}\n```\n\nLexoni [raportin](https://rtsh.al/r) sot.\n"
    upload = httpx.post(f"{server.url}/translate_file", data={"source": "en", "target": "sq"},
                        files={"file": ("lajme.md", document.encode())})
    translated = httpx.get(server.url + upload.json()["translatedFileUrl"]).text
    assert translated.count("```\nkeep = {this}\n```\n") == 1 and translated.count("](https://rtsh.al/r)") == 1
