"""Choosing and building translators: model per target, backend by name."""

from __future__ import annotations

from toolkit.errors import LanguageError, ToolkitError
from toolkit.languages import get_language
from toolkit.models.backends import choose_backend
from toolkit.models.catalogue import load_catalogue
from toolkit.models.pair_check import check_pair
from toolkit.provenance import DecodingSettings
from toolkit.translate.base import Translator
from toolkit.translate.memory import CachedTranslator, TranslationMemory


def parse_model_options(values: list[str] | None) -> tuple[str | None, dict[str, str]]:
    """The one model grammar: ``ID`` (a hub id, imported name or folder) for every target, and
    ``LANG=ID`` for one target; returns (model for every target, {target: model})."""
    default, per_target = None, {}
    for value in values or []:
        lang, sep, model = value.partition("=")
        if sep and "/" not in lang and len(lang) <= 3:
            code = get_language(lang).code
            if code in per_target:
                raise ToolkitError(f"two translation models for {code} ({per_target[code]}, {model})",
                                   f"give one {code}=MODEL")
            per_target[code] = model
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
                      decoding: DecodingSettings | None = None, memory: bool = True, device: str | None = None,
                      quantization: str | None = None, threads: int | None = None,
                      dtype: str | None = None) -> dict[str, Translator]:
    """One translator per target of ``models`` (``models_for``); with ``memory``, all answering
    from one connection to the translation memory, opened here (a connection belongs to the
    process and thread that opened it: call this where the translators will run). The one builder
    of translators for jobs, Ray actors, the chain and the service."""
    store = TranslationMemory() if memory else None
    return {t: build_translator(source, t, model, backend, decoding, device, store, quantization, threads, dtype)
            for t, model in models.items()}


def choose_model(source: str, target: str, model: str | None = None) -> str:
    """The model for a pair: the user's choice, else the catalogue's default."""
    if source == target:
        raise LanguageError(f"source and target are both '{source}'", "pick a different «targets» or «source»")
    get_language(source), get_language(target)
    chosen = model or load_catalogue().default_model("translate", source, target)
    if chosen is None:
        pairs = ", ".join(load_catalogue().pairs("translate"))
        raise LanguageError(f"no model for {source}->{target}", f"supported pairs: {pairs}; or name a model («models»)")
    return chosen


def build_translator(source: str, target: str, model: str | None = None, backend: str = "auto",
                     decoding: DecodingSettings | None = None, device: str | None = None,
                     memory: TranslationMemory | None = None, quantization: str | None = None,
                     threads: int | None = None, dtype: str | None = None) -> Translator:
    """A translator for one pair on the chosen backend (``auto`` picks the best installed),
    answering from the translation ``memory`` when one is given. The model's weights load at the
    first sentence the memory cannot serve."""
    from toolkit.models.backends import open_seq2seq
    from toolkit.models.generator import is_causal_lm
    from toolkit.translate.model import ModelTranslator

    chosen = choose_model(source, target, model)
    decoding = decoding or DecodingSettings()
    if is_causal_lm(chosen):  # an instruction-tuned chat model: prompted to translate
        from toolkit.translate.llm import build_llm_translator

        translator = build_llm_translator(chosen, source, target, backend, decoding, device, quantization, threads)
    else:
        check_pair(chosen, source, target)  # before any weights are loaded
        loaded = open_seq2seq(chosen, choose_backend(backend, chosen), device, quantization, dtype, threads)
        translator = ModelTranslator(loaded, source, target, decoding)
    return CachedTranslator(translator, memory) if memory is not None else translator
