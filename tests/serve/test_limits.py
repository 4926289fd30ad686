"""Limits per request: characters summed over a list and over a file, texts per list by default."""

from __future__ import annotations

import httpx
import pytest

OK = {"q": "Prices rose.", "source": "en", "target": "fa"}


@pytest.mark.parametrize("kwargs, message", [
    ({"json": {**OK, "q": ["a" * 80] * 3}}, "Invalid request: request (240) exceeds text limit (200)"),
    ({"data": {"q": ["a" * 150, "b" * 60], "source": "en", "target": "fa"}},
     "Invalid request: request (210) exceeds text limit (200)"),
    ({"json": {**OK, "q": ["a"] * 1001}}, "Invalid request: request (1001) exceeds text limit (1000)"),  # the default
])
def test_a_list_is_limited_as_one_request(server, kwargs, message):
    response = httpx.post(server.url + "/translate", **kwargs)
    assert (response.status_code, response.json()) == (400, {"error": message})


def test_a_file_is_limited_by_its_characters(server):
    def send(text: str) -> httpx.Response:
        return httpx.post(server.url + "/translate_file", data={"source": "en", "target": "fa"},
                          files={"file": ("news.txt", text.encode("utf-8"))}, timeout=60)

    too_long = send("Prices rose. " * 20)
    assert (too_long.status_code, too_long.json()) == (400, {"error": "Invalid request: request (260) exceeds text limit (200)"})
    assert send("Prices rose. " * 15).status_code == 200
