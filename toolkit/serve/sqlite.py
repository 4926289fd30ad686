"""The service's small SQLite stores (API keys, suggestions): opened per call, in short
transactions, so the CLI and a running server can share a file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from toolkit.errors import ToolkitError


def open_store(path: Path, schema: str, what: str) -> sqlite3.Connection:
    """A connection to ``path`` with ``schema`` created; a file that is not a database is one line
    naming ``what`` it holds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(path, timeout=30, isolation_level=None)
        conn.execute(schema)
    except sqlite3.DatabaseError as exc:
        raise ToolkitError(f"cannot open the {what} database {path}: {exc}", "remove or restore the file") from None
    return conn
