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
_KEPT = r"\w.\u200c-"  # letters and digits of any script, underscore, dot, ZWNJ, dash
_NAME = re.compile(rf"^[0-9a-f]{{32}}\.(?!\.)[{_KEPT}]+$")
_NAME_BYTES = 200  # with the 33 of the prefix, under the 255 a file system takes


def safe_name(filename: str) -> str:
    """The base name with anything but letters, digits (any script's), dot, ZWNJ, dash and underscore
    replaced, no dot first, cut to 200 bytes of UTF-8 with its extension kept (a name ``path`` accepts)."""
    base = re.split(r"[\\/]", filename)[-1]
    name = re.sub(rf"[^{_KEPT}]", "_", base).lstrip(".") or "file.txt"
    if len(name.encode()) <= _NAME_BYTES:
        return name
    suffix = Path(name).suffix[:20]
    stem = name[:-len(suffix)] if suffix else name
    return stem.encode()[:_NAME_BYTES - len(suffix.encode())].decode(errors="ignore") + suffix


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
