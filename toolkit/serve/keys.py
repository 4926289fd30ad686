"""API keys in SQLite, stored hashed (SHA-256): a key is shown once, when it is made."""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from toolkit.serve.sqlite import open_store

_SCHEMA = """CREATE TABLE IF NOT EXISTS keys (
    id TEXT PRIMARY KEY, hash BLOB UNIQUE NOT NULL, req_limit INTEGER NOT NULL, char_limit INTEGER, created REAL NOT NULL
)"""


def keys_path() -> Path:
    from toolkit.settings import data_dir

    return data_dir() / "serve" / "api-keys.sqlite3"


def _hash(key: str) -> bytes:
    return hashlib.sha256(key.encode()).digest()


@dataclass(frozen=True)
class ApiKey:
    id: str  # the first characters of the hash: names a key in listings without revealing it
    req_limit: int  # requests per minute
    char_limit: int | None  # characters per request; None: the server's limit
    created: float


class KeyStore:
    """Opened per call (short transactions), so the CLI and a running server can share the file."""

    def __init__(self, path: Path | None = None):
        self.path = path or keys_path()

    def _connect(self) -> sqlite3.Connection:
        return open_store(self.path, _SCHEMA, "API key")

    def add(self, req_limit: int, char_limit: int | None = None) -> tuple[str, ApiKey]:
        """A new key (returned once, in clear) and its record."""
        key = secrets.token_urlsafe(24)
        digest = _hash(key)
        record = ApiKey(digest.hex()[:12], req_limit, char_limit, time.time())
        with closing(self._connect()) as db:
            db.execute("INSERT INTO keys VALUES (?, ?, ?, ?, ?)",
                       (record.id, digest, record.req_limit, record.char_limit, record.created))
        return key, record

    def lookup(self, key: str) -> ApiKey | None:
        with closing(self._connect()) as db:
            row = db.execute("SELECT id, req_limit, char_limit, created FROM keys WHERE hash = ?", (_hash(key),)).fetchone()
        return ApiKey(*row) if row else None

    def list(self) -> list[ApiKey]:
        with closing(self._connect()) as db:
            return [ApiKey(*row) for row in db.execute("SELECT id, req_limit, char_limit, created FROM keys ORDER BY created")]

    def remove(self, key_or_id: str) -> bool:
        """Remove a key given in clear or by its id; False when there was none."""
        with closing(self._connect()) as db:
            removed = db.execute("DELETE FROM keys WHERE hash = ? OR id = ?", (_hash(key_or_id), key_or_id)).rowcount
        return removed > 0
