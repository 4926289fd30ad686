"""Translation memory: finished segments in one SQLite file (WAL), shared by concurrent processes.

A segment's key is its scope (model id and revision, backend and quantisation, decoding settings,
language pair, the form of the markers of protected spans) and its normalised source text, as the
model saw it (protected spans and glossary terms masked, so an entry holds whatever the glossary); ``CachedTranslator`` wraps any ``Translator`` so
that a segment translated once is never computed again. Each segment keeps whether its output
stopped at the length bound, so a result served from the memory is flagged as when it was made
(entries of memories made before the flag existed count as not bound).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sqlite3
import time
from contextlib import closing
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterator, Sequence

from toolkit.errors import ToolkitError
from toolkit.models.revision import model_revision
from toolkit.models.store import resolve
from toolkit.provenance import ModelProvenance
from toolkit.settings import cache_dir
from toolkit.text.normalize import normalize_segment
from toolkit.text.codes import MARKER_FORM
from toolkit.translate.base import Translator, TranslatorBase, with_defaults

_SCHEMA = """
CREATE TABLE IF NOT EXISTS scopes (scope TEXT PRIMARY KEY, model TEXT NOT NULL, description TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS segments (
    scope TEXT NOT NULL, source BLOB NOT NULL, translation TEXT NOT NULL, bound INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (scope, source)
) WITHOUT ROWID;
"""
_PARAMS = 500  # host parameters per lookup query
_WAIT_SECONDS = 60  # how long a process waits for another one's lock


def memory_path() -> Path:
    return cache_dir() / "translation-memory.sqlite3"


def _digest(text: str) -> bytes:
    return hashlib.sha256(normalize_segment(text).encode()).digest()[:16]


def _open_wal(path: Path) -> sqlite3.Connection:
    """A connection to the file in WAL mode. Turning a new file to WAL takes a lock SQLite does not wait
    for (its busy timeout is not consulted), so a process that meets another one doing it tries again."""
    deadline = time.monotonic() + _WAIT_SECONDS
    while True:
        conn = sqlite3.connect(path, timeout=_WAIT_SECONDS, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return conn
        except sqlite3.OperationalError as exc:
            conn.close()
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
        time.sleep(random.uniform(0.005, 0.05))


@dataclass(frozen=True)
class ScopeStats:
    model: str
    description: dict
    segments: int


class TranslationMemory:
    """One SQLite file; each process opens its own connection (safe across fork and processes), which
    any one thread at a time may use (Ray Data calls an actor from a thread other than its constructor's)."""

    def __init__(self, path: Path | None = None):
        self.path = path or memory_path()
        self._conn: sqlite3.Connection | None = None
        self._pid = 0

    def _db(self) -> sqlite3.Connection:
        if self._conn is None or self._pid != os.getpid():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                conn = _open_wal(self.path)
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.executescript(_SCHEMA)
                if "bound" not in {row[1] for row in conn.execute("PRAGMA table_info(segments)")}:
                    conn.execute("ALTER TABLE segments ADD COLUMN bound INTEGER NOT NULL DEFAULT 0")  # older memories
            except sqlite3.DatabaseError as exc:
                if "locked" in str(exc):
                    raise ToolkitError(f"the translation memory {self.path} stayed locked by another process for {_WAIT_SECONDS} s",
                                       "let that job finish, or turn the translation memory off («memory»)") from None
                raise ToolkitError(f"cannot open the translation memory {self.path}: {exc}",
                                   "run `toolkit cache clear`, or turn the translation memory off («memory»)") from None
            self._conn, self._pid = conn, os.getpid()
        return self._conn

    def scope(self, provenance: ModelProvenance, source: str, target: str) -> str:
        """The key of everything that shapes a translation besides the segment; registered once."""
        model = resolve(provenance.model_id)
        revision = provenance.revision or model_revision(model)
        description = {
            "model": model.cache_name, "revision": revision, "backend": provenance.backend,
            "quantization": provenance.quantization, "decoding": asdict(provenance.decoding), "pair": f"{source}-{target}",
            "codes": MARKER_FORM,  # segments are stored masked: a stored marker means what this form says
        }
        scope = hashlib.sha256(json.dumps(description, sort_keys=True).encode()).hexdigest()[:32]
        self._db().execute("INSERT OR IGNORE INTO scopes VALUES (?, ?, ?)", (scope, provenance.model_id, json.dumps(description)))
        return scope

    def entries(self, scope: str, segments: Sequence[str]) -> dict[str, tuple[str, bool]]:
        """Stored (translation, stopped at the length bound) of those segments that have one."""
        digests = {s: _digest(s) for s in segments}
        keys = list(set(digests.values()))
        found: dict[bytes, tuple[str, bool]] = {}
        for start in range(0, len(keys), _PARAMS):
            chunk = keys[start:start + _PARAMS]
            found.update((source, (translation, bool(bound))) for source, translation, bound in self._db().execute(
                f"SELECT source, translation, bound FROM segments WHERE scope = ? AND source IN ({','.join('?' * len(chunk))})",
                (scope, *chunk),
            ))
        return {s: found[d] for s, d in digests.items() if d in found}

    def store(self, scope: str, pairs: Sequence[tuple[str, str] | tuple[str, str, bool]]) -> None:
        """Add (segment, translation[, stopped at the bound]) in one transaction; an entry already
        there is kept."""
        db = self._db()
        with closing(db.cursor()) as cur:
            cur.execute("BEGIN IMMEDIATE")
            try:
                cur.executemany("INSERT OR IGNORE INTO segments (scope, source, translation, bound) VALUES (?, ?, ?, ?)",
                                [(scope, _digest(p[0]), p[1], int(bool(p[2])) if len(p) > 2 else 0) for p in pairs])
                cur.execute("COMMIT")
            except BaseException:
                cur.execute("ROLLBACK")
                raise

    def correct(self, scope: str, segment: str, translation: str) -> None:
        """A user's correction: replaces any stored translation of the segment (not cut at a bound)."""
        self._db().execute("INSERT OR REPLACE INTO segments (scope, source, translation, bound) VALUES (?, ?, ?, 0)",
                           (scope, _digest(segment), translation))

    def stats(self) -> Iterator[ScopeStats]:
        rows = self._db().execute(
            "SELECT s.model, s.description, COUNT(g.source) FROM scopes s LEFT JOIN segments g ON g.scope = s.scope "
            "GROUP BY s.scope ORDER BY s.model"
        )
        for model, description, count in rows:
            yield ScopeStats(model, json.loads(description), count)

    def clear(self, model: str | None = None) -> int | None:
        """Delete every entry (or those of one model); returns how many segments went. A memory
        that cannot be opened (corrupt) is deleted whole when every entry goes: None."""
        try:
            db = self._db()
        except ToolkitError:
            if model is not None or not self.path.exists():
                raise
            for path in (self.path, self.path.with_name(self.path.name + "-wal"), self.path.with_name(self.path.name + "-shm")):
                path.unlink(missing_ok=True)
            return None
        where, args = ("WHERE scope IN (SELECT scope FROM scopes WHERE model = ?)", (model,)) if model else ("", ())
        removed = db.execute(f"DELETE FROM segments {where}", args).rowcount
        db.execute(f"DELETE FROM scopes {'WHERE model = ?' if model else ''}", args)
        db.execute("VACUUM")
        return removed

    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*") if p.is_file())


class CachedTranslator(TranslatorBase):
    """A ``Translator`` that answers from the memory and sends only unseen segments to ``inner``."""

    def __init__(self, inner: Translator, memory: TranslationMemory):
        self.inner, self.memory = with_defaults(inner), memory
        self.source, self.target = inner.source, inner.target
        self.provenance = inner.provenance
        self.max_input_tokens, self.workers = inner.max_input_tokens, self.inner.workers
        self.scope = memory.scope(inner.provenance, inner.source, inner.target)
        self.hits = self.misses = 0
        self.bound_hits = 0  # sentences served from the memory whose stored output stopped at the bound
        self.last_bound: list[bool] = []

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return self.inner.count_tokens(texts)

    @property
    def bound_reached(self) -> int:
        """Sentences whose output stopped at the length bound: computed now, or served from the memory."""
        return self.inner.bound_reached + self.bound_hits

    def _translate(self, sentences: list[str]) -> list[tuple[str, str, bool]]:
        translations = self.inner.translate_batch(sentences)
        return list(zip(sentences, translations, self.inner.last_bound))

    def translate_nbest(self, sentences: Sequence[str], n: int) -> list[list[str]]:
        """The model's, past the memory (which keeps one translation per segment)."""
        return self.inner.translate_nbest(sentences, n)

    def load(self) -> None:
        self.inner.load()

    def translate_batch(self, sentences: Sequence[str]) -> list[str]:
        stored = self.memory.entries(self.scope, sentences)
        missing = list(dict.fromkeys(s for s in sentences if s not in stored))
        served = [s for s in sentences if s in stored]
        self.bound_hits += sum(stored[s][1] for s in served)
        if missing:
            made = self._translate(missing)
            self.memory.store(self.scope, made)
            stored.update((s, (t, bound)) for s, t, bound in made)
        self.misses += len(missing)
        self.hits += len(served)
        self.last_bound = [stored[s][1] for s in sentences]
        return [stored[s][0] for s in sentences]
