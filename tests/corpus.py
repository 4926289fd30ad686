"""The shared news corpus (``shared/corpus``), found next to the checkout or its parent."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def corpus_file(name: str) -> Path:
    for base in (ROOT / "shared", ROOT.parent / "shared"):
        if (base / "corpus" / name).is_file():
            return base / "corpus" / name
    pytest.skip(f"shared/corpus/{name} is not on this machine")
