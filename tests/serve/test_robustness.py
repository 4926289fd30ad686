"""What a public server meets: forged Host headers, errors seen from other origins, framing,
connections that never finish their request, and HTML that is not well formed."""

from __future__ import annotations

import socket
import time

import httpx
import pytest

OK = {"q": "Prices rose.", "source": "en", "target": "fa"}


def _upload(server, headers=None):
    response = httpx.post(server.url + "/translate_file", data={"source": "en", "target": "fa"},
                          files={"file": ("a.txt", b"Prices rose.")}, headers=headers or {})
    assert response.status_code == 200, response.text
    return response.json()["translatedFileUrl"]


def test_file_url_never_comes_from_the_host_header(server, start_server, alone):
    url = _upload(server, {"Host": "evil.example"})
    assert url.startswith("/download_file/") and "evil" not in url
    public = start_server(public_url="https://translate.example.org/lt/")
    url = _upload(public, {"Host": "evil.example", "X-Forwarded-Host": "evil.example"})
    assert url.startswith("https://translate.example.org/lt/download_file/")
    assert httpx.get(public.url + url.removeprefix("https://translate.example.org/lt")).text == alone("fa", "Prices rose.")


def test_errors_carry_the_cors_header_too(start_server):
    server = start_server(body_limit=2048)
    origin = {"Origin": "https://news.example"}
    too_large = httpx.post(server.url + "/translate", content=b"x" * 4096, headers={**origin, "content-type": "application/json"})
    assert too_large.status_code == 413 and too_large.headers["access-control-allow-origin"] == "*"
    for pair in server.service.pairs.values():  # a broken worker: the model can no longer be reached
        pair.executor.shutdown()
    broken = httpx.post(server.url + "/translate", json=OK, headers=origin)
    assert broken.status_code == 500 and broken.headers["access-control-allow-origin"] == "*"
    assert broken.json() == {"error": "Cannot translate text: cannot schedule new futures after shutdown"}


def test_page_and_api_send_security_headers(server):
    for response in (httpx.get(server.url + "/"), httpx.post(server.url + "/translate", json=OK),
                     httpx.get(server.url + "/static/app.js")):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        policy = response.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy


@pytest.fixture(scope="module")
def impatient(start_server):
    return start_server(read_timeout_s=1.0, keep_alive_s=1.0)


def _closed_by_server(sock: socket.socket, trickle: bytes = b"") -> bytes:
    """Send ``trickle`` a byte at a time until the server closes the connection; what it answered.
    Fails (instead of hanging) when the server keeps the connection open for 20 seconds."""
    sock.settimeout(0.25)
    received, deadline = b"", time.monotonic() + 20
    for byte in [trickle[i:i + 1] for i in range(len(trickle))] + [b""] * 10_000:
        assert time.monotonic() < deadline, "the server never timed the connection out"
        try:
            if byte:
                sock.sendall(byte)
            chunk = sock.recv(65536)
        except socket.timeout:
            continue
        except (BrokenPipeError, ConnectionResetError):
            return received
        if not chunk:
            return received
        received += chunk
    raise AssertionError("the server never closed the connection")


def test_headers_trickled_forever_are_cut_off(impatient):
    with socket.create_connection(("127.0.0.1", impatient.port)) as sock:
        sock.sendall(b"POST /translate HTTP/1.1\r\nHost: x\r\n")
        _closed_by_server(sock, b"X-Slow: " + b"a" * 400)
    assert httpx.post(impatient.url + "/translate", json=OK).status_code == 200


def test_a_body_that_never_comes_is_answered_408_and_cut_off(impatient):
    with socket.create_connection(("127.0.0.1", impatient.port)) as sock:
        sock.sendall(b"POST /translate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{")
        answer = _closed_by_server(sock, b"  " * 200)
    assert answer.startswith(b"HTTP/1.1 408 ") and b'{"error":"Invalid request: request body not received in time"}' in answer


def test_idle_keep_alive_connections_are_closed(impatient):
    with socket.create_connection(("127.0.0.1", impatient.port)) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        assert b'{"status":"ok"}' in _closed_by_server(sock)


def test_html_with_an_unclosed_comment_keeps_it_byte_for_byte(server, alone):
    html = "<p>Prices rose.</p>\n<!-- draft: <b>not</b> final &amp; unreviewed\n"
    response = httpx.post(server.url + "/translate", json={**OK, "format": "html", "q": html})
    assert response.json() == {"translatedText": f"<p>{alone('fa', 'Prices rose.')}</p>\n"
                                                 "<!-- draft: <b>not</b> final &amp; unreviewed\n"}


def test_forwarded_addresses_count_only_from_trusted_proxies(start_server):
    ask = lambda server, address: httpx.post(server.url + "/translate", json=OK,  # noqa: E731
                                             headers={"X-Forwarded-For": address}).status_code
    behind_local_proxy = start_server(req_limit=1)  # uvicorn's default: the proxy on this machine is trusted
    assert [ask(behind_local_proxy, "203.0.113.1"), ask(behind_local_proxy, "203.0.113.2"),
            ask(behind_local_proxy, "203.0.113.1")] == [200, 200, 429]
    no_proxy = start_server(req_limit=1, forwarded_allow_ips="")  # nobody's X-Forwarded-For is believed
    assert [ask(no_proxy, "203.0.113.1"), ask(no_proxy, "203.0.113.2")] == [200, 429]
