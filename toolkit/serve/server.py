"""Running the service under uvicorn, with a graceful stop on SIGTERM or Ctrl-C."""

from __future__ import annotations

from toolkit.serve.config import ServeConfig


def build(config: ServeConfig):
    """Load the models (blocking; a bad model or language fails here) and make the ASGI app."""
    from toolkit.serve.app import create_app
    from toolkit.serve.service import TranslationService

    service = TranslationService(config)
    service.load()
    return create_app(service, config)


def make_server(app, host: str, port: int, log_level: str = "warning", grace_s: float = 60.0):
    """A uvicorn server for ``app`` that, once told to stop, answers new requests with 503 while
    in-flight ones finish (at most ``grace_s`` seconds)."""
    import uvicorn

    class Server(uvicorn.Server):
        def handle_exit(self, sig, frame) -> None:
            app.state["draining"] = True
            super().handle_exit(sig, frame)

    return Server(uvicorn.Config(app, host=host, port=port, log_level=log_level, timeout_graceful_shutdown=grace_s,
                                 lifespan="on", access_log=False))


def serve(config: ServeConfig, host: str = "127.0.0.1", port: int = 5000, log_level: str = "info") -> None:
    """Load the models and serve until stopped."""
    make_server(build(config), host, port, log_level).run()
