"""Real servers for the tests: uvicorn on a free loopback port, in a thread, over tiny real models."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import replace

import pytest

from toolkit.provenance import DecodingSettings
from toolkit.serve.config import ServeConfig

# A fixed output length: the random tiny model never stops early, so with a fixed bound a
# sentence's translation does not depend on the other sentences of its batch.
FIXED = DecodingSettings(max_length_ratio=0, max_length_offset=6)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RunningServer:
    def __init__(self, config: ServeConfig):
        from toolkit.serve.app import create_app
        from toolkit.serve.server import make_server
        from toolkit.serve.service import TranslationService

        self.config = config
        self.service = TranslationService(config)  # as toolkit.serve.server.build, keeping the service at hand
        self.service.load()
        self.app = create_app(self.service, config)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = make_server(self.app, "127.0.0.1", self.port, grace_s=10)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(30)


@pytest.fixture(scope="module")
def start_server(tmp_path_factory, marian_multi_model):
    """``start_server(**config)``: a running server over the tiny multi-target Marian (en -> fa, sq),
    with its own toolkit folders; stopped at the end of the module."""
    servers = []

    def start(**overrides) -> RunningServer:
        home = tmp_path_factory.mktemp("serve-home")
        base = ServeConfig(source="en", targets=("fa", "sq"), model=str(marian_multi_model), backend="hf",
                           decoding=FIXED, keys_db=home / "keys.sqlite3",
                           suggestions_db=home / "data" / "serve" / "suggestions.sqlite3")
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("TOOLKIT_CACHE_DIR", str(home / "cache"))
            mp.setenv("TOOLKIT_DATA_DIR", str(home / "data"))
            mp.setenv("TOOLKIT_DEVICE", "cpu")
            # Pinned: the tests compare served answers with translations made alone, and the default
            # (bfloat16 on a CPU that computes in it) lets batch shape change the arithmetic.
            mp.setenv("TOOLKIT_DTYPE", "float32")
            server = RunningServer(replace(base, **overrides))
        server.home = home  # its TOOLKIT_CACHE_DIR and TOOLKIT_DATA_DIR are home/cache and home/data
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="module")
def server(start_server):
    """The default server: open, no rate limit, suggestions on, a 200-character limit."""
    return start_server(suggestions=True, char_limit=200)


@pytest.fixture(scope="module")
def alone(marian_multi_model):
    """``alone(target, text, html=False)``: the text translated by itself through the library, as the CLI
    would (``html``: as it translates a web page, ``toolkit.formats.html``)."""
    from toolkit.formats.html import HtmlDocument
    from toolkit.translate.documents import write_document
    from toolkit.translate.engine import translate_documents, translate_texts
    from toolkit.translate.factory import build_translator

    translators = {}

    def translate(target: str, text: str, html: bool = False) -> str:
        if target not in translators:
            translators[target] = build_translator("en", target, str(marian_multi_model), "hf", FIXED, dtype="float32")
        if not html:
            return translate_texts([text], translators[target])[0]
        page = HtmlDocument(text)
        parts = translate_documents([p.text for p in page.parts], translators[target], markup=[True] * len(page.parts))
        return write_document(page, parts, target).text

    return translate
