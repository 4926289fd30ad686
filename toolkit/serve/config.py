"""Everything a server is started with; the CLI resolves flags, environment and config into one."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from toolkit.provenance import DecodingSettings
from toolkit.text.codes import Protection
from toolkit.translate.glossary import Glossary, glossary_from_mapping, merged

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
    protect: bool = True  # URLs, e-mails, placeholders... come back byte for byte (a request may turn it off)
    glossary: Glossary | None = None  # server-wide; a request's own terms are added on top
    batch_tokens: int | None = None  # per engine batch; None: the engine's default for the device
    batch_wait_ms: float = 20.0  # how long a micro-batch under concurrent load waits for more requests (measured: docs/serve.md)
    queue_limit: int = 256  # requests waiting per worker thread (a pair's; summaries and chains'), any route; beyond it, 429
    req_limit: int = UNLIMITED  # requests per minute per client (key or address); -1: no limit
    char_limit: int = 20_000  # characters per request (a list's summed, a file's too); -1: no limit
    batch_limit: int = 1000  # texts per request (q as a list); -1: no limit
    alternatives_limit: int = 3
    body_limit: int = 1_000_000  # bytes per request body
    read_timeout_s: float = 30.0  # a request's headers, and then its body, must arrive within this
    keep_alive_s: float = 5.0  # an idle connection is closed after this
    public_url: str | None = None  # where clients reach the server (behind a proxy); None: relative file URLs
    forwarded_allow_ips: str | None = None  # proxies whose X-Forwarded-For is believed; None: uvicorn's (this machine)
    api_keys: bool = False
    require_api_key: bool = False  # keyless requests get 400 (implies api_keys)
    keys_db: Path | None = None  # None: <data dir>/serve/api-keys.sqlite3
    suggestions: bool = False  # /suggest keeps corrections for review (toolkit serve suggestions)
    suggestions_db: Path | None = None  # None: <data dir>/serve/suggestions.sqlite3
    files: bool = True  # /translate_file
    file_ttl_s: float = 1800.0  # translated files are deleted this long after they were made
    file_store_limit: int = 100_000_000  # bytes of translated files kept for download; the oldest go first
    summary_method: str = "extractive"
    summary_model: str | None = None  # for abstractive summaries; None: extractive only

    @property
    def summary_methods(self) -> tuple[str, ...]:
        """The summarisation methods the server offers: abstractive only with a summary model."""
        return ("extractive", "abstractive") if self.summary_model else ("extractive",)
    frontend_timeout_ms: int = 500

    @property
    def pairs(self) -> list[tuple[str, str]]:
        return [(self.source, t) for t in self.targets]

    def model_for(self, target: str) -> str | None:
        return self.models.get(target, self.model)

    def protection(self, target: str, protect: bool | None = None, glossary: object = None) -> Protection:
        """What a translation into ``target`` protects: the server's spans and glossary, or a request's
        (``protect``; ``glossary``: ``{"source term": "target term"}``, on top of the server's)."""
        terms = merged(self.glossary, glossary_from_mapping(glossary, target) if glossary is not None else None)
        spans = self.protect if protect is None else protect
        return terms.protection(target, spans) if terms else Protection(spans=spans)
