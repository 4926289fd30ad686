"""Everything a server is started with; the CLI resolves flags, environment and config into one."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from toolkit.provenance import DecodingSettings

UNLIMITED = -1


@dataclass(frozen=True)
class ServeConfig:
    source: str = "en"
    targets: tuple[str, ...] = ("fa", "sq")
    model: str | None = None  # one model for every target
    models: Mapping[str, str] = field(default_factory=dict)  # per target language
    backend: str = "auto"
    quantization: str | None = None
    threads: int | None = None
    decoding: DecodingSettings = DecodingSettings()
    translation_memory: bool = True
    batch_tokens: int | None = None  # per engine batch; None: the engine's default for the device
    batch_wait_ms: float = 20.0  # how long a micro-batch under concurrent load waits for more requests (measured: docs/serve.md)
    queue_limit: int = 256  # requests waiting per worker thread (a pair's; summaries and chains'), any route; beyond it, 429
    req_limit: int = UNLIMITED  # requests per minute per client (key or address); -1: no limit
    char_limit: int = 20_000  # characters per request (a list's summed, a file's too); -1: no limit
    batch_limit: int = 1000  # texts per request (q as a list); -1: no limit
    alternatives_limit: int = 3
    body_limit: int = 1_000_000  # bytes per request body
    api_keys: bool = False
    keys_db: Path | None = None  # None: <data dir>/serve/api-keys.sqlite3
    suggestions: bool = False
    files: bool = True  # /translate_file
    file_ttl_s: float = 1800.0  # translated files are deleted this long after they were made
    file_store_limit: int = 100_000_000  # bytes of translated files kept for download; the oldest go first
    summary_method: str = "extractive"
    frontend_timeout_ms: int = 500

    @property
    def pairs(self) -> list[tuple[str, str]]:
        return [(self.source, t) for t in self.targets]

    def model_for(self, target: str) -> str | None:
        return self.models.get(target, self.model)
