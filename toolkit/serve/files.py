"""Translated files waiting to be downloaded: random names in one folder, removed after a while."""

from __future__ import annotations

import re
import shutil
import tempfile
import time
import uuid
from pathlib import Path

SUFFIXES = (".txt", ".md", ".html", ".htm")
_NAME = re.compile(r"^[0-9a-f]{32}\.[A-Za-z0-9][A-Za-z0-9._-]{0,200}$")


def safe_name(filename: str) -> str:
    """The base name with anything but letters, digits, dot, dash and underscore replaced."""
    base = re.split(r"[\\/]", filename)[-1]
    return re.sub(r"[^A-Za-z0-9._-]", "_", base).lstrip(".") or "file.txt"


class FileStore:
    def __init__(self, ttl_s: float, folder: Path | None = None):
        self.ttl_s = ttl_s
        self.folder = folder or Path(tempfile.mkdtemp(prefix="toolkit-serve-files-"))

    def save(self, filename: str, text: str) -> str:
        """Store a translated file; returns its download name (a random prefix, then ``filename``)."""
        self.sweep()
        name = f"{uuid.uuid4().hex}.{safe_name(filename)}"
        (self.folder / name).write_text(text, "utf-8")
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

    def remove_all(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
