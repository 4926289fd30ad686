"""Refusing a model for a language pair before its weights load: from its files where they are
here, else from its catalogue entry and name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from toolkit.models import pairs
from toolkit.models.backends import model_tokenizer
from toolkit.models.catalogue import load_catalogue
from toolkit.models.families import language_setup, local_model_files
from toolkit.models.store import resolve


def check_pair(model_id: str, source: str, target: str) -> None:
    """Refuse a model that does not translate ``source`` into ``target``, naming what it does, before
    any weights are loaded: from the model's config, tokenizer (its declared pair, its vocabulary's
    language tokens) and name, read from its folder or the HF cache. A hub model not downloaded yet is
    checked by its catalogue entry and name; its backend checks the rest once it is loaded."""
    from toolkit.models.revision import local_folder, model_revision

    model_source = resolve(model_id)
    folder = local_folder(model_source)
    loaded = _tokenizer_and_family(folder, model_revision(model_source)) if folder is not None else None
    if loaded is not None:
        tokenizer, family = loaded
        language_setup(family, tokenizer, model_id, source, target)
        return
    catalogued = load_catalogue().models.get(model_id)
    if (catalogued.family if catalogued else "marian") == "marian":  # a single-pair model by its entry or name
        declared = pairs.declared_pairs(model_id, [model_id])
        if declared and f"{source}-{target}" not in declared:
            raise pairs.unsupported(model_id, source, target, declared)


def _tokenizer_and_family(folder: Path, revision: str) -> tuple[Any, str] | None:
    """The tokenizer and family of the model in ``folder``, as its backend will see them (no weights
    read, no torch where the model's files allow); None when they cannot be read, which the backend
    then reports."""
    files = local_model_files(str(folder))
    if files is None:
        return None
    try:
        return model_tokenizer(folder, files.family, revision), files.family
    except Exception:  # noqa: BLE001 - any failure here is the backend's to report; this only checks pairs
        return None
