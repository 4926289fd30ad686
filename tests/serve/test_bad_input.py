"""Bad requests: each gets LibreTranslate's status and message, and the server keeps serving."""

from __future__ import annotations

import httpx
import pytest

OK = {"q": "Prices rose.", "source": "en", "target": "fa"}


@pytest.mark.parametrize("method, path, kwargs, status, message", [
    ("POST", "/translate", {"json": {"source": "en", "target": "fa"}}, 400, "Invalid request: missing q parameter"),
    ("POST", "/translate", {"data": {"q": "Hi", "target": "fa"}}, 400, "Invalid request: missing source parameter"),
    ("POST", "/translate", {"params": {"q": "Hi", "source": "en"}}, 400, "Invalid request: missing target parameter"),
    ("POST", "/translate", {"json": {**OK, "target": "zz"}}, 400, "zz is not supported"),
    ("POST", "/translate", {"json": {**OK, "source": "xx"}}, 400, "xx is not supported"),
    ("POST", "/translate", {"json": {**OK, "target": "en"}}, 400,
     "English (en) is not available as a target language from English (en)"),
    ("POST", "/translate", {"json": {**OK, "q": "a" * 201}}, 400, "Invalid request: request (201) exceeds text limit (200)"),
    ("POST", "/translate", {"json": {**OK, "format": "pdf"}}, 400, "pdf format is not supported"),
    ("POST", "/translate", {"json": {**OK, "alternatives": "many"}}, 400,
     "Invalid request: alternatives parameter is not a number"),
    ("POST", "/translate", {"json": {**OK, "alternatives": 4}}, 400, "Invalid request: alternatives parameter must be <= 3"),
    ("POST", "/translate", {"content": b'{"q": "Hi", ', "headers": {"content-type": "application/json"}}, 400,
     "Failed to decode JSON object: Expecting property name enclosed in double quotes: line 1 column 13 (char 12)"),
    ("POST", "/translate", {"json": ["Hi"]}, 400, "Invalid JSON format"),
    # malformed input: 400 in LibreTranslate's shape, never Python's internals
    ("POST", "/translate", {"content": b'{"q": "Hi", "source": "en", "target": "fa", "alternatives": 1e999}',
                            "headers": {"content-type": "application/json"}}, 400,
     "Invalid request: alternatives parameter is not a number"),
    ("POST", "/detect", {"json": {"q": [1, 2]}}, 400, "Invalid request: q parameter must be a string or a list of strings"),
    ("POST", "/translate", {"content": b"[" * 100_000 + b"]" * 100_000, "headers": {"content-type": "application/json"}},
     400, "Failed to decode JSON object: nested too deeply"),
    ("POST", "/summarize", {"content": b'{"q": "Prices rose.", "target": "fa", "max_words": 1e999}',
                            "headers": {"content-type": "application/json"}}, 400,
     "Invalid request: max_words parameter is not a number"),
    ("GET", "/translate", {}, 405, "Method Not Allowed"),
    ("GET", "/nowhere", {}, 404, "Not Found"),
    ("POST", "/translate", {"content": b"x" * 1_000_001, "headers": {"content-type": "application/json"}}, 413,
     "Invalid request: request body exceeds size limit (1000000 bytes)"),
    ("POST", "/detect", {"data": {}}, 400, "Invalid request: missing q parameter"),
    ("POST", "/suggest", {"data": {"q": "Hi", "source": "en", "target": "fa"}}, 400, "Invalid request: missing s parameter"),
    ("POST", "/translate_file", {"data": {"source": "en", "target": "fa"}}, 400, "Invalid request: missing file parameter"),
    ("POST", "/translate_file", {"data": {"source": "en", "target": "fa"}, "files": {"file": ("a.pdf", b"%PDF")}}, 400,
     "Invalid request: file format not supported"),
    ("GET", "/download_file/%2E%2E", {}, 400, "Invalid filename"),
    ("GET", "/download_file/..%2F..%2Fetc%2Fpasswd", {}, 404, "Not Found"),  # a slash never reaches the handler
    ("GET", "/download_file/0123456789abcdef0123456789abcdef.gone.txt", {}, 400, "Invalid filename"),
    ("POST", "/summarize", {"json": {"q": "Prices rose.", "target": ["zz"]}}, 400, "zz is not supported"),
    # catalogue languages the operator did not configure: refused, never loaded (nor downloaded)
    ("POST", "/summarize", {"json": {"q": "Prices rose.", "target": "de"}}, 400, "de is not supported"),
    ("POST", "/summarize", {"json": {"q": "Prices rose.", "source": "fr", "target": "fa"}}, 400, "fr is not supported"),
    ("POST", "/summarize", {"json": {"q": "Prices rose.", "source": "fa", "target": "sq"}}, 400, "fa is not supported"),
    ("POST", "/chain", {"json": {"q": "Prices rose.", "steps": "summarize,translate:de"}}, 400, "de is not supported"),
    ("POST", "/chain", {"json": {"q": "Prices rose.", "target": "fa,uk"}}, 400, "uk is not supported"),
    ("POST", "/chain", {"json": {"q": "Prices rose.", "steps": "translate:fa,dance"}}, 400,
     "Invalid request: unknown step 'dance' in steps"),
])
def test_bad_request_gets_its_status_and_message_and_the_server_keeps_serving(server, alone, method, path, kwargs, status,
                                                                              message):
    response = httpx.request(method, server.url + path, **kwargs)
    assert (response.status_code, response.json()) == (status, {"error": message})
    after = httpx.post(server.url + "/translate", json=OK)
    assert after.status_code == 200 and after.json() == {"translatedText": alone("fa", "Prices rose.")}


def test_huge_chunked_body_without_length_is_refused(server):
    def chunks():
        for _ in range(200):
            yield b"x" * 10_000

    response = httpx.post(server.url + "/translate", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert httpx.get(server.url + "/health").json() == {"status": "ok"}


def test_emoji_only_text_comes_back_as_it_was(server):
    response = httpx.post(server.url + "/translate", json={"q": "🙂 🙂", "source": "auto", "target": "fa"})
    assert response.json() == {"translatedText": "🙂 🙂", "detectedLanguage": {"confidence": 0.0, "language": "en"}}


def test_while_shutting_down_new_requests_get_503(server):
    server.app.state["draining"] = True  # what SIGTERM sets, before uvicorn stops listening
    try:
        response = httpx.post(server.url + "/translate", json=OK)
        assert (response.status_code, response.json()) == (503, {"error": "Service is shutting down"})
    finally:
        server.app.state["draining"] = False
    assert httpx.post(server.url + "/translate", json=OK).status_code == 200


def test_auto_on_short_text_falls_back_to_the_configured_source(server, alone):
    # "Hello." looks more Albanian than English to the identifier; the server translates only from English
    response = httpx.post(server.url + "/translate", json={"q": "Hello.", "source": "auto", "target": "sq"})
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["translatedText"] == alone("sq", "Hello.")
    assert result["detectedLanguage"]["language"] == "en" and 0 < result["detectedLanguage"]["confidence"] < 50
    listed = httpx.post(server.url + "/translate", json={"q": ["Hello.", "Prices rose."], "source": "auto", "target": "fa"})
    assert listed.json()["translatedText"] == [alone("fa", "Hello."), alone("fa", "Prices rose.")]
    assert [d["language"] for d in listed.json()["detectedLanguage"]] == ["en", "en"]
    upload = httpx.post(server.url + "/translate_file", data={"source": "auto", "target": "fa"},
                        files={"file": ("hello.txt", b"Hello.")})
    assert httpx.get(server.url + upload.json()["translatedFileUrl"]).text == alone("fa", "Hello.")


def test_auto_on_a_clear_english_text_says_so(server):
    result = httpx.post(server.url + "/translate", json={"q": "The minister said the talks would continue next week.",
                                                         "source": "auto", "target": "fa"}).json()
    assert result["detectedLanguage"]["language"] == "en" and result["detectedLanguage"]["confidence"] > 90
