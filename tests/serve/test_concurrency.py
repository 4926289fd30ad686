"""64 clients at once: every answer is its own sentence's translation; overload is 429, then recovery."""

from __future__ import annotations

import asyncio
import re

import httpx

from tests.tiny_models import CORPUS

ENGLISH = [s for s in CORPUS if s.isascii()]


def _sentences(n: int) -> list[str]:
    """``n`` different English sentences made from the corpus."""
    return [f"{ENGLISH[i % len(ENGLISH)]} {ENGLISH[(i * 7 + 3) % len(ENGLISH)]}"[: 60 + i] for i in range(n)]


async def _send_all(url: str, payloads: list[dict]) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=len(payloads), max_keepalive_connections=len(payloads))
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as client:
        return await asyncio.gather(*(client.post("/translate", json=p) for p in payloads))


def _batches(url: str) -> int:
    metrics = httpx.get(url + "/metrics").text
    return int(re.search(r"^toolkit_batch_requests_count (\d+)$", metrics, re.M).group(1))


def test_64_simultaneous_clients_each_get_their_own_translation(start_server, alone):
    server = start_server(batch_wait_ms=50)
    # Numbered like a list (the number is layout, kept verbatim), so no two answers can be the same:
    # the tiny model alone gives 14 different translations of these 64 sentences.
    sentences = [f"{i}. {s}" for i, s in enumerate(_sentences(64), 1)]
    payloads = [{"q": s, "source": "en", "target": ("fa", "sq")[i % 2]} for i, s in enumerate(sentences)]
    expected = [alone(p["target"], p["q"]) for p in payloads]
    assert len(set(expected)) == 64
    responses = asyncio.run(_send_all(server.url, payloads))
    assert [r.status_code for r in responses] == [200] * 64
    assert [r.json() for r in responses] == [{"translatedText": e} for e in expected]
    assert _batches(server.url) < 64  # requests shared model calls


def test_overload_gets_429_not_a_backlog_and_the_server_recovers(start_server, alone):
    server = start_server(queue_limit=4, batch_wait_ms=200)
    sentences = _sentences(64)
    payloads = [{"q": s, "source": "en", "target": "fa"} for s in sentences]
    responses = asyncio.run(_send_all(server.url, payloads))
    codes = [r.status_code for r in responses]
    assert set(codes) == {200, 429}  # some wait their turn, the rest are turned away at once
    for payload, response in zip(payloads, responses):
        if response.status_code == 429:
            assert response.json() == {"error": "Slowdown: server busy, 4 requests already waiting"}
        else:
            assert response.json() == {"translatedText": alone("fa", payload["q"])}
    again = asyncio.run(_send_all(server.url, payloads[:4]))
    assert [r.json()["translatedText"] for r in again] == [alone("fa", p["q"]) for p in payloads[:4]]
