"""Corrections sent to /suggest, kept apart from the translation memory until an operator accepts
them (``toolkit serve suggestions list|accept|reject``): a suggestion is never served as it comes."""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from toolkit.errors import ToolkitError
from toolkit.serve.sqlite import open_store

_SCHEMA = """CREATE TABLE IF NOT EXISTS suggestions (
    id INTEGER PRIMARY KEY AUTOINCREMENT, source TEXT NOT NULL, target TEXT NOT NULL, q TEXT NOT NULL, s TEXT NOT NULL,
    scope TEXT NOT NULL, client TEXT NOT NULL, created REAL NOT NULL
)"""
_COLUMNS = "id, source, target, q, s, scope, client, created"


def suggestions_path() -> Path:
    from toolkit.settings import data_dir

    return data_dir() / "serve" / "suggestions.sqlite3"


@dataclass(frozen=True)
class Suggestion:
    id: int
    source: str
    target: str
    q: str  # the source sentence
    s: str  # the suggested translation
    scope: str  # the translation-memory scope (model and settings) of the server that got it
    client: str  # who sent it: key id or address
    created: float


class SuggestionStore:
    """Opened per call (short transactions), so the CLI and a running server can share the file."""

    def __init__(self, path: Path | None = None):
        self.path = path or suggestions_path()

    def _connect(self) -> sqlite3.Connection:
        return open_store(self.path, _SCHEMA, "suggestions")

    def add(self, source: str, target: str, q: str, s: str, scope: str, client: str) -> None:
        with closing(self._connect()) as db:
            db.execute(f"INSERT INTO suggestions ({_COLUMNS}) VALUES (NULL, ?, ?, ?, ?, ?, ?, ?)",
                       (source, target, q, s, scope, client, time.time()))

    def list(self) -> list[Suggestion]:
        with closing(self._connect()) as db:
            return [Suggestion(*row) for row in db.execute(f"SELECT {_COLUMNS} FROM suggestions ORDER BY id")]

    def _take(self, ids: Sequence[int], apply) -> list[Suggestion]:
        """Remove the suggestions ``ids`` (all of them exist, else nothing changes), after ``apply`` to them."""
        chosen = {s.id: s for s in self.list() if s.id in set(ids)}
        unknown = [str(i) for i in ids if i not in chosen]
        if unknown:
            raise ToolkitError(f"no suggestion {', '.join(unknown)}", "see toolkit serve suggestions list")
        taken = [chosen[i] for i in dict.fromkeys(ids)]
        apply(taken)
        with closing(self._connect()) as db:
            db.executemany("DELETE FROM suggestions WHERE id = ?", [(s.id,) for s in taken])
        return taken

    def accept(self, ids: Sequence[int], memory=None) -> list[Suggestion]:
        """Move the suggestions ``ids`` into the translation memory (``memory``, default the user's):
        from then on the server and the CLI answer their sentences with them."""
        from toolkit.translate.memory import TranslationMemory

        memory = memory or TranslationMemory()
        return self._take(ids, lambda taken: [memory.correct(s.scope, s.q, s.s) for s in taken])

    def reject(self, ids: Sequence[int]) -> list[Suggestion]:
        return self._take(ids, lambda taken: None)
