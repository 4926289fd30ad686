"""Choosing and building translators: model per target, backend by name."""

from __future__ import annotations

from typing import Callable

from toolkit.errors import LanguageError, ToolkitError
from toolkit.languages import get_language
from toolkit.models.catalogue import load_catalogue
from toolkit.provenance import DecodingSettings
from toolkit.translate.base import Translator


def _build_hf(model: str, source: str, target: str, decoding: DecodingSettings, device: str | None) -> Translator:
    from toolkit.models.loading import load_seq2seq
    from toolkit.translate.hf import HFTranslator

    return HFTranslator(load_seq2seq(model, device), source, target, decoding)


# backend name -> factory(model, source, target, decoding, device)
BACKENDS: dict[str, Callable[..., Translator]] = {"hf": _build_hf}


def parse_model_options(values: list[str] | None) -> tuple[str | None, dict[str, str]]:
    """``--model ID`` for every target and ``--model LANG=ID`` per target."""
    default, per_target = None, {}
    for value in values or []:
        lang, sep, model = value.partition("=")
        if sep and "/" not in lang and len(lang) <= 3:
            per_target[get_language(lang).code] = model
        elif default is None:
            default = value
        else:
            raise ToolkitError(f"--model given twice ({default}, {value})", "use --model LANG=MODEL for per-target models")
    return default, per_target


def choose_model(source: str, target: str, model: str | None = None) -> str:
    """The model for a pair: the user's choice, else the catalogue's default."""
    if source == target:
        raise LanguageError(f"source and target are both '{source}'", "pick a different --to or --from")
    get_language(source), get_language(target)
    chosen = model or load_catalogue().default_model("translate", source, target)
    if chosen is None:
        pairs = ", ".join(load_catalogue().pairs("translate"))
        raise LanguageError(f"no model for {source}->{target}", f"supported pairs: {pairs}; or pass --model")
    return chosen


def build_translator(source: str, target: str, model: str | None = None, backend: str = "auto",
                     decoding: DecodingSettings | None = None, device: str | None = None) -> Translator:
    """A translator for one pair on the chosen backend (``auto`` picks the best installed)."""
    name = "hf" if backend == "auto" else backend
    if name not in BACKENDS:
        raise ToolkitError(f"unknown backend '{backend}'", f"use one of: auto, {', '.join(BACKENDS)}")
    return BACKENDS[name](choose_model(source, target, model), source, target, decoding or DecodingSettings(), device)
