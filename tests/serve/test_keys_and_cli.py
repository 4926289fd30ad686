"""API keys (CLI and limits) and the `toolkit serve` command itself, stopped gracefully."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import httpx
import pytest
from typer.testing import CliRunner

from tests.serve.conftest import free_port
from tests.tiny_models import CORPUS
from toolkit.cli import app
from toolkit.serve.keys import KeyStore


def test_keys_add_list_remove_store_only_a_hash(tmp_path):
    runner = CliRunner()
    added = runner.invoke(app, ["serve", "keys", "add", "--req-limit", "7", "--char-limit", "50"])
    assert added.exit_code == 0, added.output
    key = added.stdout.strip().splitlines()[0]
    store = KeyStore()
    record = store.lookup(key)
    assert (record.req_limit, record.char_limit) == (7, 50)
    assert key.encode() not in store.path.read_bytes()  # only its hash is kept
    listed = runner.invoke(app, ["serve", "keys", "list"])
    assert record.id in listed.stdout and "7 req/min" in listed.stdout and key not in listed.stdout
    assert runner.invoke(app, ["serve", "keys", "remove", record.id]).exit_code == 0
    assert store.lookup(key) is None
    missing = runner.invoke(app, ["serve", "keys", "remove", record.id])
    assert missing.exit_code == 2 and "error: no API key" in missing.stderr


def test_each_key_has_its_own_request_and_character_limits(start_server):
    server = start_server(api_keys=True, req_limit=100, char_limit=1000)
    store = KeyStore(server.config.keys_db)
    small, _ = store.add(req_limit=2, char_limit=12)
    big, _ = store.add(req_limit=50)
    ask = lambda key, q="Prices rose.": httpx.post(server.url + "/translate",  # noqa: E731
                                                  data={"q": q, "source": "en", "target": "sq", "api_key": key})
    assert ask(small, "a" * 13).json() == {"error": "Invalid request: request (13) exceeds text limit (12)"}
    assert ask(small).status_code == 200  # the second request of this minute (a refused one counts, as LibreTranslate)
    limited = ask(small)
    assert (limited.status_code, limited.json()) == (429, {"error": "Slowdown: 2 per 1 minute"})
    assert ask(big, "a" * 500).status_code == 200  # the server's character limit, its own request limit
    fifty, _ = store.add(req_limit=10, char_limit=50)
    three = httpx.post(server.url + "/translate", json={"q": ["a" * 40] * 3, "source": "en", "target": "sq", "api_key": fifty})
    assert three.json() == {"error": "Invalid request: request (120) exceeds text limit (50)"}  # a list's characters add up
    assert ask("wrong").json() == {"error": "Invalid API key"}


@pytest.mark.slow
def test_serve_command_finishes_in_flight_requests_on_sigterm(marian_multi_model, tmp_path):
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [sys.executable, "-c", "from toolkit.cli import main; main()", "serve", "--port", str(port), "--to", "fa",
         "--model", f"fa={marian_multi_model}", "--backend", "hf", "--char-limit", "-1"],
        env={**os.environ, "PYTHONPATH": os.getcwd()}, stderr=log)
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                if httpx.get(url + "/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
            time.sleep(0.2)
        result = {}
        # Many different sentences: long enough to keep the model busy a while.
        article = " ".join(f"In report {i}, {CORPUS[i % 4][0].lower()}{CORPUS[i % 4][1:]}" for i in range(80))
        sender = threading.Thread(target=lambda: result.update(response=httpx.post(
            url + "/translate", json={"q": article, "source": "en", "target": "fa"}, timeout=120)))
        sender.start()
        # The server answers while the model works: wait until the article is in the model.
        while "toolkit_texts_in_model 1" not in httpx.get(url + "/metrics").text:
            assert sender.is_alive(), "the translation finished before the server was stopped"
            time.sleep(0.01)
        process.send_signal(signal.SIGTERM)
        sender.join(60)
        assert result["response"].status_code == 200 and result["response"].json()["translatedText"]
        assert process.wait(60) in (0, -signal.SIGTERM)  # uvicorn re-raises the signal once it has stopped
    finally:
        if process.poll() is None:
            process.kill()
