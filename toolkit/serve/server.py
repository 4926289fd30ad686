"""Running the service under uvicorn, with a graceful stop on SIGTERM or Ctrl-C."""

from __future__ import annotations

import asyncio

from toolkit.serve.config import ServeConfig


def build(config: ServeConfig):
    """Load the models (blocking; a bad model or language fails here) and make the ASGI app."""
    from toolkit.serve.app import create_app
    from toolkit.serve.service import TranslationService

    service = TranslationService(config)
    service.load()
    return create_app(service, config)


def _with_header_timeout(protocol: type, timeout_s: float) -> type:
    """uvicorn's HTTP ``protocol`` with a deadline on request headers: a connection whose next
    request's headers are not complete ``timeout_s`` after it opened, or after its last response,
    is closed (uvicorn has none: a client trickling headers held its connection for ever)."""

    class Protocol(protocol):
        header_timer = None

        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            self._arm_header_timeout()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._arm_header_timeout()

        def connection_lost(self, exc) -> None:
            self.header_timer.cancel()
            super().connection_lost(exc)

        def _arm_header_timeout(self) -> None:
            armed = self.cycle

            def expire() -> None:  # no new request since it was armed, and none running
                idle = self.cycle is None or self.cycle.response_complete
                if self.cycle is armed and idle and not self.transport.is_closing():
                    self.transport.close()

            if self.header_timer is not None:
                self.header_timer.cancel()
            self.header_timer = self.loop.call_later(timeout_s, expire)

    return Protocol


def make_server(app, host: str, port: int, log_level: str = "warning", grace_s: float = 60.0):
    """A uvicorn server for ``app`` that, once told to stop, answers new requests with 503 while
    in-flight ones finish (at most ``grace_s`` seconds); requests must arrive within the config's
    ``read_timeout_s`` (headers here, the body in the app), idle connections close after ``keep_alive_s``."""
    import uvicorn
    from uvicorn.config import HTTP_PROTOCOLS
    from uvicorn.importer import import_from_string

    class Server(uvicorn.Server):
        loop = None

        async def serve(self, sockets=None) -> None:
            self.loop = asyncio.get_running_loop()
            await super().serve(sockets)

        def handle_exit(self, sig, frame) -> None:
            """The first signal drains: still listening, new requests get 503 until the ones in flight are
            answered (uvicorn alone stops listening at once: connections were refused); a second stops now."""
            if app.state["draining"] or self.loop is None:
                return super().handle_exit(sig, frame)
            app.state["draining"] = True
            self.loop.call_soon_threadsafe(lambda: self.loop.create_task(self._drain(sig, frame)))

        async def _drain(self, sig, frame) -> None:
            deadline = self.loop.time() + grace_s
            while app.state["in_flight"] and self.loop.time() < deadline:
                await asyncio.sleep(0.05)
            uvicorn.Server.handle_exit(self, sig, frame)

    config = uvicorn.Config(app, host=host, port=port, log_level=log_level, timeout_graceful_shutdown=grace_s,
                            lifespan="on", access_log=False, timeout_keep_alive=app.config.keep_alive_s,
                            forwarded_allow_ips=app.config.forwarded_allow_ips)
    config.http = _with_header_timeout(import_from_string(HTTP_PROTOCOLS[config.http]), app.config.read_timeout_s)
    return Server(config)


def serve(config: ServeConfig, host: str = "127.0.0.1", port: int = 5000, log_level: str = "info") -> None:
    """Load the models and serve until stopped."""
    make_server(build(config), host, port, log_level).run()
