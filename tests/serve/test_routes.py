"""The route table (``toolkit.serve.app.ROUTES``) drives the served routes, their metrics and /spec."""

from __future__ import annotations

import httpx

from toolkit.serve.app import ROUTES


def test_every_route_of_the_table_is_served_counted_under_its_label_and_described(server):
    for route in ROUTES:
        response = httpx.request(route.methods[0], server.url + route.path.replace("{filename}", "x.txt"))
        assert response.status_code not in (404, 405), route.path
    metrics = httpx.get(server.url + "/metrics").text
    for route in ROUTES:
        assert f'toolkit_requests_total{{endpoint="{route.path.split("/{")[0]}",' in metrics, route.path
    spec = httpx.get(server.url + "/spec").json()["paths"]
    assert list(spec) == [r.path for r in ROUTES if r.summary]
    assert all(spec[r.path][r.methods[0].lower()]["summary"] == r.summary for r in ROUTES if r.summary)


# A valid request to each route that does model work; a new such route needs one here.
_MODEL_WORK = {
    "/translate": {"json": {"q": "Prices rose.", "source": "en", "target": "fa"}},
    "/detect": {"json": {"q": "Prices rose."}},
    "/translate_file": {"data": {"source": "en", "target": "fa"}, "files": {"file": ("news.txt", b"Prices rose.")}},
    "/suggest": {"json": {"q": "Prices rose.", "s": "x", "source": "en", "target": "fa"}},
    "/summarize": {"json": {"q": "Prices rose. The minister spoke.", "source": "en", "method": "extractive"}},
    "/chain": {"json": {"q": "Prices rose. The minister spoke.", "source": "en", "method": "extractive"}},
}


def test_every_route_that_does_model_work_checks_the_key(start_server):
    server = start_server(api_keys=True, suggestions=True)
    assert {r.path for r in ROUTES if r.access} == set(_MODEL_WORK)
    assert {r.path for r in ROUTES if not r.access} == {"/", "/languages", "/frontend/settings", "/health", "/metrics",
                                                          "/download_file/{filename}", "/spec"}
    for path, request in _MODEL_WORK.items():
        body = "json" if "json" in request else "data"
        request = {**request, body: {**request[body], "api_key": "not-a-key"}}
        response = httpx.post(server.url + path, **request, timeout=60)
        assert (response.status_code, response.json()) == (403, {"error": "Invalid API key"}), path
