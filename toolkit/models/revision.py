"""A revision for every model, so caches keyed by it never mix two models.

Hub models have a commit, imported models a content fingerprint; a plain folder gets a stamp of
its path and its files' sizes and modification times (cheap, and changes when the files do).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from toolkit.models.store import ModelSource, hub_cache_folder


def folder_stamp(folder: Path) -> str:
    from toolkit.io.files import fingerprint

    digest = hashlib.sha256(str(folder.resolve()).encode())
    for rel, (size, mtime_ns) in fingerprint(folder).items():
        digest.update(f"{rel}\0{size}\0{mtime_ns}\n".encode())
    return "stamp:" + digest.hexdigest()[:16]


def local_folder(source: ModelSource) -> Path | None:
    """The folder the model's files are in: its own, or its newest snapshot in the HF cache."""
    return Path(source.location) if source.is_local else hub_cache_folder(source.location)


def model_revision(source: ModelSource) -> str:
    """The source's revision; else the HF cache snapshot's commit; else a stamp of the folder."""
    if source.revision:
        return source.revision
    folder = local_folder(source)
    if folder is None:
        return "unknown"
    return folder.name if source.kind == "hub" else folder_stamp(folder)
