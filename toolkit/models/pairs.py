"""How each translation family is told the languages (target tokens, forced BOS, language codes);
the registry in ``toolkit.models.families`` names the function each family uses."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from toolkit.errors import LanguageError
from toolkit.languages import LANGUAGES, get_language
from toolkit.models.catalogue import load_catalogue


# A multi-target Marian model's target language token, ">>fra<<".
_TARGET_TOKEN = re.compile(r">>[^<>\s]+<<")


@dataclass(frozen=True)
class LanguageSetup:
    """What a family needs for one pair: a source prefix, the tokenizer's source code, a forced BOS."""

    prefix: str = ""
    src_lang: str | None = None
    forced_bos_token_id: int | None = None


def unsupported(model_id: str, source: str, target: str, supported: list[str]) -> LanguageError:
    listed = ", ".join(supported) if supported else "none known"
    return LanguageError(f"model '{model_id}' does not translate {source}->{target}",
                         f"supported: {listed}; choose another model for {source}->{target}")


def _code(value: object) -> str | None:
    """A language name as models write it (``sq``, ``sqi``, ``opus-mt-en``) to toolkit's code, if toolkit knows it."""
    if not isinstance(value, str) or not value:
        return None
    value = value.rsplit("-", 1)[-1].lower()
    return next((lang.code for lang in LANGUAGES.values() if value == lang.code or value in lang.iso3), None)


def _names(tokenizer: Any, model_id: str) -> list[str]:
    """What a model is called: the id the user gave, and the folder its tokenizer came from (an HF cache
    snapshot's path names the hub id)."""
    return [model_id, str(getattr(tokenizer, "name_or_path", "") or "")]


def _opus_pair(name: str) -> str | None:
    """'Helsinki-NLP/opus-mt-en-sq' (or a folder, or a cache path, so named) -> 'en-sq'."""
    match = re.search(r"opus-mt-(?:tc-big-|tc-)?([a-z]{2,3})-([a-z]{2,3})(?![\w+])", name)
    source, target = (_code(match.group(1)), _code(match.group(2))) if match else (None, None)
    return f"{source}-{target}" if source and target else None


def declared_pairs(model_id: str, names: list[str], declared: tuple[object, object] = (None, None)) -> list[str]:
    """The pair a single-pair model declares: in its tokenizer config (``declared``: the hub's opus-mt
    models write ``source_lang`` and ``target_lang``), else in the catalogue, else in its ``names``."""
    source, target = _code(declared[0]), _code(declared[1])
    if source and target:
        return [f"{source}-{target}"]
    catalogue = load_catalogue()
    listed = [e.pair for e in catalogue.entries_for("translate") if e.default == model_id or model_id in e.alternatives]
    if listed:
        return sorted(set(listed))
    return sorted({pair for name in names if (pair := _opus_pair(name))})


@lru_cache(maxsize=8)
def _target_tokens(tokenizer: Any) -> tuple[str, ...]:
    """A Marian tokenizer's ">>xxx<<" target-language tokens: its vocabulary (58,000 pieces in
    opus-mt) scanned once per tokenizer, not at every pair check."""
    return tuple(sorted(t for t in tokenizer.get_vocab() if t.startswith(">>") and _TARGET_TOKEN.fullmatch(t)))


def marian(tokenizer: Any, model_id: str, source: str, target: str) -> LanguageSetup:
    target_tokens = _target_tokens(tokenizer)
    if target_tokens:  # a multi-target model: the target is chosen by a ">>xxx<<" token
        lang = get_language(target)
        for code in (lang.code, *lang.iso3):
            if f">>{code}<<" in target_tokens:
                return LanguageSetup(prefix=f">>{code}<< ")
        raise unsupported(model_id, source, target, [t[2:-2] for t in target_tokens])
    declared = (getattr(tokenizer, "source_lang", None), getattr(tokenizer, "target_lang", None))
    pairs = declared_pairs(model_id, _names(tokenizer, model_id), declared)
    if pairs and f"{source}-{target}" not in pairs:
        raise unsupported(model_id, source, target, pairs)
    return LanguageSetup()


def m2m100(tokenizer: Any, model_id: str, source: str, target: str) -> LanguageSetup:
    codes = sorted(tokenizer.lang_code_to_token)
    for code in (source, target):
        if code not in tokenizer.lang_code_to_token:
            raise unsupported(model_id, source, target, codes)
    return LanguageSetup(src_lang=source, forced_bos_token_id=tokenizer.get_lang_id(target))


def _by_code_token(tokenizer: Any, model_id: str, source: str, target: str, attr: str) -> LanguageSetup:
    """NLLB (FLORES codes) and mBART-50: the language codes are tokens of the vocabulary."""
    vocab = tokenizer.get_vocab()
    src, tgt = getattr(get_language(source), attr), getattr(get_language(target), attr)
    names = " ".join(_names(tokenizer, model_id))
    one_way = ("one-to-many" in names and source != "en") or ("many-to-one" in names and target != "en")
    if src not in vocab or tgt not in vocab or one_way:
        pattern = r"^[a-z]{3}_[A-Z][a-z]{3}$" if attr == "flores" else r"^[a-z]{2}_[A-Z]{2}$"
        codes = sorted(t for t in vocab if re.match(pattern, t))
        if one_way:  # mBART-50 one-to-many translates from English only, many-to-one into English only
            codes = [f"en_XX->{c}" if "one-to-many" in names else f"{c}->en_XX" for c in codes if c != "en_XX"]
        raise unsupported(model_id, source, target, codes)
    return LanguageSetup(src_lang=src, forced_bos_token_id=vocab[tgt])


def nllb(tokenizer: Any, model_id: str, source: str, target: str) -> LanguageSetup:
    return _by_code_token(tokenizer, model_id, source, target, "flores")


def mbart50(tokenizer: Any, model_id: str, source: str, target: str) -> LanguageSetup:
    return _by_code_token(tokenizer, model_id, source, target, "mbart50")
