"""``toolkit serve``: a LibreTranslate-compatible HTTP service over the toolkit's engine.

``config`` holds the settings, ``service`` the loaded models (one worker thread each) behind
``batcher``'s cross-request micro-batches, ``app`` the HTTP routes, ``keys`` and ``limits`` the API
keys and rate limits, ``metrics`` the Prometheus counters and ``server`` the uvicorn runner.
Nothing here imports starlette, uvicorn or torch until a server is built.
"""
