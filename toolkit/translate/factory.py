"""Choosing and building translators: model per target, backend by name."""

from __future__ import annotations

from typing import Callable

from toolkit.errors import LanguageError, ToolkitError
from toolkit.languages import get_language
from toolkit.models.catalogue import load_catalogue
from toolkit.provenance import DecodingSettings
from toolkit.translate.base import Translator
from toolkit.translate.memory import CachedTranslator, TranslationMemory


def _build_hf(model: str, source: str, target: str, decoding: DecodingSettings, device: str | None,
              quantization: str | None, threads: int | None) -> Translator:
    from toolkit.models.loading import load_seq2seq, require_float32
    from toolkit.translate.hf import HFTranslator

    from toolkit.settings import setting

    require_float32(quantization)
    threads = setting("threads", threads, None)  # the argument, else TOOLKIT_THREADS, as on ct2
    if threads is not None:
        import torch

        from toolkit.models.ct2 import usable_cores

        torch.set_num_threads(max(1, min(threads, usable_cores())))
    return HFTranslator(load_seq2seq(model, device), source, target, decoding)


def _build_ct2(model: str, source: str, target: str, decoding: DecodingSettings, device: str | None,
               quantization: str | None, threads: int | None) -> Translator:
    from toolkit.models.ct2 import load_ct2
    from toolkit.translate.ct2 import CT2Translator

    return CT2Translator(load_ct2(model, quantization, device, threads), source, target, decoding)


# backend name -> factory(model, source, target, decoding, device, quantization, threads)
BACKENDS: dict[str, Callable[..., Translator]] = {"hf": _build_hf, "ct2": _build_ct2}


def choose_backend(backend: str, model: str) -> str:
    """``auto``: ct2 when ctranslate2 is installed and runs the model's family, else hf."""
    if backend != "auto":
        return backend
    from toolkit.models.ct2 import supports

    return "ct2" if supports(model) else "hf"


def parse_model_options(values: list[str] | None) -> tuple[str | None, dict[str, str]]:
    """The one model grammar: ``ID`` (a hub id, imported name or folder) for every target, and
    ``LANG=ID`` for one target; returns (model for every target, {target: model})."""
    default, per_target = None, {}
    for value in values or []:
        lang, sep, model = value.partition("=")
        if sep and "/" not in lang and len(lang) <= 3:
            per_target[get_language(lang).code] = model
        elif default is None:
            default = value
        else:
            raise ToolkitError(f"two translation models for every target ({default}, {value})",
                               "give one, and LANG=MODEL for a model per target")
    return default, per_target


def models_for(source: str, targets: list[str], models: list[str] | None) -> dict[str, str]:
    """The model each target will use (the user's, else the catalogue's default), from model specs
    in the one grammar (``ID`` or ``LANG=ID``); checked before any model is loaded."""
    default, per_target = parse_model_options(models)
    return {t: choose_model(source, t, per_target.get(t, default)) for t in targets}


def build_translators(source: str, models: dict[str, str], backend: str = "auto",
                      decoding: DecodingSettings | None = None, memory: TranslationMemory | None = None,
                      quantization: str | None = None, threads: int | None = None) -> dict[str, Translator]:
    """One translator per target of ``models`` (``models_for``), sharing one translation memory."""
    return {t: build_translator(source, t, model, backend, decoding, memory=memory, quantization=quantization,
                                threads=threads) for t, model in models.items()}


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
                     decoding: DecodingSettings | None = None, device: str | None = None,
                     memory: TranslationMemory | None = None, quantization: str | None = None,
                     threads: int | None = None) -> Translator:
    """A translator for one pair on the chosen backend (``auto`` picks the best installed),
    answering from the translation ``memory`` when one is given."""
    if backend != "auto" and backend not in BACKENDS:
        raise ToolkitError(f"unknown backend '{backend}'", f"use one of: auto, {', '.join(BACKENDS)}")
    chosen = choose_model(source, target, model)
    translator = BACKENDS[choose_backend(backend, chosen)](chosen, source, target, decoding or DecodingSettings(), device,
                                                          quantization, threads)
    return CachedTranslator(translator, memory) if memory is not None else translator
