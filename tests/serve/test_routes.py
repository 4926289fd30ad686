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
