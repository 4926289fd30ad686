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
        # Many different sentences: long enough to keep the model busy for seconds, even on a fast machine.
        article = " ".join(f"In report {i}, {CORPUS[i % 4][0].lower()}{CORPUS[i % 4][1:]}" for i in range(800))
        sender = threading.Thread(target=lambda: result.update(response=httpx.post(
            url + "/translate", json={"q": article, "source": "en", "target": "fa"}, timeout=120)))
        sender.start()
        # The server answers while the model works: wait until the article is in the model.
        while "toolkit_texts_in_model 1" not in httpx.get(url + "/metrics").text:
            assert sender.is_alive(), "the translation finished before the server was stopped"
            time.sleep(0.01)
        process.send_signal(signal.SIGTERM)
        # While the article is still being translated, the server keeps listening and answers 503.
        draining = httpx.get(url + "/health")
        while draining.status_code == 200:
            assert sender.is_alive(), "the translation finished before the server answered 503"
            draining = httpx.get(url + "/health")
        assert (draining.status_code, draining.json()) == (503, {"error": "Service is shutting down"})
        sender.join(60)
        assert result["response"].status_code == 200 and result["response"].json()["translatedText"]
        assert process.wait(60) in (0, -signal.SIGTERM)  # uvicorn re-raises the signal once it has stopped
    finally:
        if process.poll() is None:
            process.kill()


def test_required_key_mode_refuses_keyless_requests_with_libretranslates_message(start_server):
    server = start_server(require_api_key=True, suggestions=True)
    key, _ = KeyStore(server.config.keys_db).add(req_limit=100)
    need = (400, {"error": "Please contact the server operator to get an API key"})
    for path, body in [("/translate", {"q": "Prices rose.", "source": "en", "target": "fa"}),
                       ("/detect", {"q": "Prices rose."}),
                       ("/suggest", {"q": "Prices rose.", "s": "x", "source": "en", "target": "fa"}),
                       ("/summarize", {"q": "Prices rose.", "target": "fa"}),
                       ("/chain", {"q": "Prices rose.", "steps": "translate:fa"})]:
        keyless = httpx.post(server.url + path, json=body)
        assert (keyless.status_code, keyless.json()) == need, path
        assert httpx.post(server.url + path, json={**body, "api_key": key}).status_code == 200, path
    keyless_file = httpx.post(server.url + "/translate_file", data={"source": "en", "target": "fa"},
                              files={"file": ("a.txt", b"Prices rose.")})
    assert (keyless_file.status_code, keyless_file.json()) == need
    wrong = httpx.post(server.url + "/translate", json={"q": "Hi", "source": "en", "target": "fa", "api_key": "wrong"})
    assert (wrong.status_code, wrong.json()) == (403, {"error": "Invalid API key"})
    settings = httpx.get(server.url + "/frontend/settings").json()
    assert (settings["apiKeys"], settings["keyRequired"]) == (True, True)
    assert httpx.get(server.url + "/languages").status_code == 200  # what a client needs before it has a key


def test_keys_are_not_required_by_default(start_server):
    settings = httpx.get(start_server(api_keys=True).url + "/frontend/settings").json()
    assert (settings["apiKeys"], settings["keyRequired"]) == (True, False)


def test_require_api_key_from_the_settings_file_is_checked(tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('require_api_key = "yes"\n')
    monkeypatch.setenv("TOOLKIT_CONFIG", str(config))
    result = CliRunner().invoke(app, ["serve", "--port", "0"])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: invalid value 'yes' for require_api_key in config file {config} (must be true or false)"


def test_serve_refuses_a_summary_model_that_cannot_summarise(marian_multi_model):
    result = CliRunner().invoke(app, ["serve", "--port", str(free_port()), "--to", "fa", "--model", str(marian_multi_model),
                                      "--backend", "hf", "--summary-model", str(marian_multi_model)])
    assert result.exit_code == 2 and "error: " in result.stderr and "cannot summarise" in result.stderr


def _start_serve_command(args: list[str], env: dict, log) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", "from toolkit.cli import main; main()", "serve", "--port", str(port),
                                *args], env={**os.environ, "PYTHONPATH": os.getcwd(), **env}, stderr=log)
    url, deadline = f"http://127.0.0.1:{port}", time.monotonic() + 300
    while True:
        try:
            if httpx.get(url + "/health").status_code == 200:
                return process, url
        except httpx.TransportError:
            pass
        assert process.poll() is None and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.2)


@pytest.mark.slow
def test_serve_takes_its_public_settings_from_the_settings_file(marian_multi_model, bart_model, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(f'require_api_key = true\npublic_url = "https://translate.example.org/lt"\n'
                      f'summary_model = "{bart_model}"\n')
    with (tmp_path / "serve.log").open("w") as log:
        process, url = _start_serve_command(["--to", "fa", "--model", f"fa={marian_multi_model}", "--backend", "hf"],
                                            {"TOOLKIT_CONFIG": str(config)}, log)
    try:
        settings = httpx.get(url + "/frontend/settings").json()
        assert settings["keyRequired"] and settings["summaryMethods"] == ["extractive", "abstractive"]
        key, _ = KeyStore().add(req_limit=10)
        upload = httpx.post(url + "/translate_file", data={"source": "en", "target": "fa", "api_key": key},
                            files={"file": ("a.txt", b"Prices rose.")}, timeout=120)
        assert upload.json()["translatedFileUrl"].startswith("https://translate.example.org/lt/download_file/")
    finally:
        process.terminate()
        process.wait(60)
