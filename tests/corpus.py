"""The shared news corpus (``shared/corpus``), found in the checkout or beside it or one of its parents.

CI has it: a test that needs it fails when it is missing, it is never skipped silently."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def corpus_file(name: str) -> Path:
    for base in (folder / "shared" for folder in (ROOT, *ROOT.parents)):
        if (base / "corpus" / name).is_file():
            return base / "corpus" / name
    pytest.fail(f"shared/corpus/{name} is not on this machine: put the shared folder beside the checkout",
                pytrace=False)
