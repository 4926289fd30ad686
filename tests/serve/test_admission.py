"""One admission path: every route that does model work waits in a bounded queue (429 past it) and
shows in /metrics, whether it is plain translation, alternatives, a summary or a chain."""

from __future__ import annotations

import asyncio
import re
import threading

import httpx

from tests.serve.test_summaries_and_formats import ARTICLE

BURST = 12
LIMIT = 2


def _metric(url: str, name: str, work: str) -> int:
    text = httpx.get(url + "/metrics").text
    found = re.search(rf'^{name}{{work="{work}"}} (\d+)$', text, re.M)
    assert found, f"no {name} for {work} in /metrics"
    return int(found.group(1))


async def _burst(url: str, path: str, payload: dict, held: threading.Event, work: str) -> list[httpx.Response]:
    """``BURST`` requests at once while the worker thread is held; released once every request but
    one (which the model may hold) is either queued or turned away, as /metrics shows."""
    limits = httpx.Limits(max_connections=BURST)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as client:
        tasks = [asyncio.create_task(client.post(path, json=payload)) for _ in range(BURST)]
        try:
            for _ in range(600):  # 600 looks at most
                done = sum(t.done() for t in tasks)
                depth = await asyncio.to_thread(_metric, url, "toolkit_queue_depth", work)
                if depth and done + depth >= BURST - 1:  # each request turned away or queued, but one in the model
                    break
                await asyncio.sleep(0.02)
            else:
                answers = [t.result().text for t in tasks if t.done()]
                raise AssertionError(f"the queue never filled: {depth} waiting, answers {answers}")
        finally:
            held.set()
        return await asyncio.gather(*tasks)


def _hold(executor) -> threading.Event:
    """Keep ``executor``'s one thread busy until the returned event is set."""
    release = threading.Event()
    executor.submit(release.wait)
    return release


def _check(server, path: str, payload: dict, executor, work: str) -> None:
    responses = asyncio.run(_burst(server.url, path, payload, _hold(executor), work))
    codes = [r.status_code for r in responses]
    assert set(codes) == {200, 429}, codes
    busy = {"error": f"Slowdown: server busy, {LIMIT} requests already waiting"}
    assert all(r.json() == busy for r in responses if r.status_code == 429)
    assert _metric(server.url, "toolkit_rejected_total", work) == codes.count(429)
    assert _metric(server.url, "toolkit_queue_depth", work) == 0


def test_alternatives_share_the_queue_limit(start_server):
    server = start_server(queue_limit=LIMIT)
    payload = {"q": "Prices rose.", "source": "en", "target": "sq", "alternatives": 2}
    _check(server, "/translate", payload, server.service.pairs["en", "sq"].executor, "alternatives")
    assert _metric(server.url, "toolkit_rejected_total", "translate") == 0


def test_summaries_and_chains_share_the_queue_limit(start_server):
    server = start_server(queue_limit=LIMIT)
    summary = {"q": ARTICLE, "source": "en", "target": "en", "method": "extractive", "sentences": 1}
    _check(server, "/summarize", summary, server.service.chain_executor, "summarize")
    chain = {"q": ARTICLE, "source": "en", "steps": "summarize", "method": "extractive", "sentences": 1}
    _check(server, "/chain", chain, server.service.chain_executor, "chain")
