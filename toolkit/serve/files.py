"""Translated files waiting to be downloaded: random names in one folder, removed after a while, and the
oldest first once they take more than the store's size limit."""

from __future__ import annotations

import re
import shutil
import tempfile
import time
import uuid
from pathlib import Path

from toolkit.formats import SUFFIXES as FORMAT_SUFFIXES

SUFFIXES = (".txt", ".md", *FORMAT_SUFFIXES)
_NAME = re.compile(r"^[0-9a-f]{32}\.[A-Za-z0-9_][A-Za-z0-9._-]{0,199}$")


def safe_name(filename: str) -> str:
    """The base name with anything but letters, digits, dot, dash and underscore replaced, no dot first,
    cut to 200 characters with its extension kept (a name ``path`` accepts)."""
    base = re.split(r"[\\/]", filename)[-1]
    name = re.sub(r"[^A-Za-z0-9._-]", "_", base).lstrip(".") or "file.txt"
    suffix = Path(name).suffix[:20]
    return name if len(name) <= 200 else name[: 200 - len(suffix)] + suffix


class FileStore:
    def __init__(self, ttl_s: float, limit_bytes: int, folder: Path | None = None):
        self.ttl_s, self.limit_bytes = ttl_s, limit_bytes
        self.folder = folder or Path(tempfile.mkdtemp(prefix="toolkit-serve-files-"))
        self._sizes: dict[str, int] = {}  # the stored files' bytes, oldest first

    def save(self, filename: str, text: str | bytes) -> str:
        """Store a translated file; returns its download name (a random prefix, then ``filename``).
        Older files are deleted, oldest first, until all fit ``limit_bytes`` (this one is always kept)."""
        self.sweep()
        name = f"{uuid.uuid4().hex}.{safe_name(filename)}"
        data = text.encode("utf-8") if isinstance(text, str) else text
        (self.folder / name).write_bytes(data)
        self._sizes[name] = len(data)
        total = sum(self._sizes.values())
        for old in list(self._sizes)[:-1]:
            if total <= self.limit_bytes:
                break
            total -= self._sizes.pop(old)
            (self.folder / old).unlink(missing_ok=True)
        return name

    def path(self, name: str) -> Path | None:
        """The file behind a download name; None when the name is malformed, unknown or expired."""
        self.sweep()
        if not _NAME.match(name):
            return None
        path = self.folder / name
        return path if path.parent == self.folder and path.is_file() else None

    def sweep(self) -> None:
        cutoff = time.time() - self.ttl_s
        for path in self.folder.iterdir():
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                self._sizes.pop(path.name, None)

    def remove_all(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
