"""How each model family is told the languages: target tokens, forced BOS, language codes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from toolkit.errors import LanguageError
from toolkit.languages import get_language
from toolkit.models.catalogue import load_catalogue


@dataclass(frozen=True)
class LanguageSetup:
    """What a family needs for one pair: a source prefix, the tokenizer's source code, a forced BOS."""

    prefix: str = ""
    src_lang: str | None = None
    forced_bos_token_id: int | None = None


def _unsupported(model_id: str, source: str, target: str, supported: list[str]) -> LanguageError:
    listed = ", ".join(supported) if supported else "none known"
    return LanguageError(
        f"model '{model_id}' does not translate {source}->{target}",
        f"supported: {listed}; pick another model with --model {target}=MODEL",
    )


def _marian(tokenizer: Any, model_id: str, source: str, target: str) -> LanguageSetup:
    target_tokens = sorted(set(re.findall(r">>[^<>]+<<", " ".join(tokenizer.get_vocab()))))
    if target_tokens:  # a multi-target model: the target is chosen by a ">>xxx<<" token
        lang = get_language(target)
        for code in (lang.code, *lang.iso3):
            if f">>{code}<<" in target_tokens:
                return LanguageSetup(prefix=f">>{code}<< ")
        raise _unsupported(model_id, source, target, [t[2:-2] for t in target_tokens])
    catalogue = load_catalogue()
    pairs = [e.pair for e in catalogue.entries_for("translate") if e.default == model_id or model_id in e.alternatives]
    known = _opus_pair(model_id)
    if known:
        pairs.append(known)
    if pairs and f"{source}-{target}" not in pairs:
        raise _unsupported(model_id, source, target, sorted(set(pairs)))
    return LanguageSetup()


def _opus_pair(model_id: str) -> str | None:
    """'Helsinki-NLP/opus-mt-en-sq' -> 'en-sq'."""
    match = re.search(r"opus-mt-([a-z]{2})-([a-z]{2})$", model_id)
    return f"{match.group(1)}-{match.group(2)}" if match else None


def _m2m100(tokenizer: Any, model_id: str, source: str, target: str) -> LanguageSetup:
    codes = sorted(tokenizer.lang_code_to_token)
    for code in (source, target):
        if code not in tokenizer.lang_code_to_token:
            raise _unsupported(model_id, source, target, codes)
    return LanguageSetup(src_lang=source, forced_bos_token_id=tokenizer.get_lang_id(target))


def _by_code_token(tokenizer: Any, model_id: str, source: str, target: str, attr: str) -> LanguageSetup:
    """NLLB (FLORES codes) and mBART-50: the language codes are tokens of the vocabulary."""
    vocab = tokenizer.get_vocab()
    src, tgt = getattr(get_language(source), attr), getattr(get_language(target), attr)
    if src not in vocab or tgt not in vocab:
        pattern = r"^[a-z]{3}_[A-Z][a-z]{3}$" if attr == "flores" else r"^[a-z]{2}_[A-Z]{2}$"
        raise _unsupported(model_id, source, target, sorted(t for t in vocab if re.match(pattern, t)))
    return LanguageSetup(src_lang=src, forced_bos_token_id=vocab[tgt])


def language_setup(family: str, tokenizer: Any, model_id: str, source: str, target: str) -> LanguageSetup:
    """The language handling ``family`` needs to translate ``source`` into ``target``."""
    if family == "marian":
        return _marian(tokenizer, model_id, source, target)
    if family == "m2m100":
        return _m2m100(tokenizer, model_id, source, target)
    if family == "nllb":
        return _by_code_token(tokenizer, model_id, source, target, "flores")
    if family == "mbart50":
        return _by_code_token(tokenizer, model_id, source, target, "mbart50")
    raise LanguageError(
        f"model '{model_id}' ({family}) is not a translation model toolkit knows how to drive",
        "use a Marian, M2M100, NLLB or mBART-50 model",
    )
