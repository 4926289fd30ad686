"""The model families toolkit drives, one entry each in ``FAMILIES``: how the family is recognised
from a model's config files, which tokenizer reads its files, how it is told the languages (a
translation family), and whether ctranslate2 runs it. A new family is one entry here; the one
reader of a model's ``config.json`` and ``tokenizer_config.json`` is ``read_model_files``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from toolkit.errors import LanguageError, ModelError
from toolkit.models import pairs
from toolkit.models.catalogue import load_catalogue
from toolkit.models.store import read_model_json, resolve

# transformers model_type values whose causal LM ctranslate2 converts.
GENERATOR_FAMILIES = ("llama", "mistral", "mixtral", "qwen2", "qwen3", "gemma", "gemma2", "gemma3", "gemma3_text",
                      "phi", "phi3", "falcon", "gpt2", "gpt_neox", "gptj", "gpt_bigcode", "bloom", "opt", "mpt", "codegen")
MARIAN_FILES = ("source.spm", "target.spm", "vocab.json")
# (model_type, tokenizer class in lower case, is a causal LM) -> this family
Detect = Callable[[str, str, bool], bool]


def _types(*model_types: str) -> Detect:
    return lambda model_type, tokenizer_class, causal: model_type in model_types


@dataclass(frozen=True)
class Family:
    """Everything toolkit needs to know of one model family."""

    name: str  # as provenance records it; "" for an entry of many model types (each model is named by its own)
    detect: Detect = lambda model_type, tokenizer_class, causal: False
    label: str = ""  # as users know it
    tokenizer: str = "json"  # the light reader of its files (``tokenizers.READERS``; else transformers')
    tokenizer_files: tuple[str, ...] = ("tokenizer.json",)  # the files that reader needs
    required_files: tuple[str, ...] = ()  # files without which the model cannot load at all
    languages: Callable[..., pairs.LanguageSetup] | None = None  # (tokenizer, model id, source, target)
    translation: bool = False  # a translation-only model: it cannot summarise
    ct2: bool | tuple[str, ...] = False  # ctranslate2 runs it (an entry of many model types: those it runs)

    def runs_on_ct2(self, name: str) -> bool:
        return name in self.ct2 if isinstance(self.ct2, tuple) else self.ct2


# In detection order: the first entry that recognises a model is its family.
FAMILIES: tuple[Family, ...] = (
    Family("nllb", lambda t, tokenizer_class, c: "nllb" in tokenizer_class, "NLLB", "json-languages", languages=pairs.nllb,
           translation=True, ct2=True),
    Family("mbart50", lambda t, tokenizer_class, c: t == "mbart" and "50" in tokenizer_class, "mBART-50",
           "json-languages", languages=pairs.mbart50, translation=True, ct2=True),
    Family("m2m100", _types("m2m_100"), "M2M100", "sentencepiece-languages", ("vocab.json", "sentencepiece.bpe.model"),
           languages=pairs.m2m100, translation=True, ct2=True),
    Family("marian", _types("marian"), "Marian", "sentencepiece-pair", MARIAN_FILES, MARIAN_FILES, pairs.marian,
           translation=True, ct2=True),
    Family("fsmt", _types("fsmt"), "FSMT", translation=True),
    Family("bart", _types("bart"), "BART", ct2=True),
    Family("t5", _types("t5", "mt5", "umt5"), "T5", ct2=True),
    Family("", lambda t, k, causal: causal, "causal LM", ct2=GENERATOR_FAMILIES),
)


def detect_family(model_type: str, tokenizer_class: str, causal: bool) -> tuple[Family, str]:
    """A model's family entry and the name it records (a model no entry knows: its model_type)."""
    for family in FAMILIES:
        if family.detect(model_type, tokenizer_class.lower(), causal):
            return family, family.name or model_type
    return Family(model_type), model_type


def family_named(name: str) -> Family:
    """The entry of a family name (as ``detect_family`` or the catalogue names it)."""
    return next((f for f in FAMILIES if f.name == name), None) or Family(name)


@dataclass(frozen=True)
class ModelFiles:
    """What a model folder's config files say, read without heavy imports."""

    family: str
    causal: bool  # a decoder-only language model
    entry: Family = field(compare=False, repr=False)
    config: dict = field(compare=False, repr=False)
    tokenizer_config: dict = field(compare=False, repr=False)

    @property
    def model_type(self) -> str:
        return self.config.get("model_type", "")

    @property
    def runs_on_ct2(self) -> bool:
        return self.entry.runs_on_ct2(self.family)


def read_model_files(folder: Path, ref: str | None = None) -> ModelFiles:
    """The one reader of a model folder's ``config.json`` (absent: empty) and ``tokenizer_config.json``."""
    config = read_model_json(folder / "config.json", ref)
    tokenizer_config = read_model_json(folder / "tokenizer_config.json", ref)
    tokenizer_class = tokenizer_config.get("tokenizer_class") or config.get("tokenizer_class") or ""
    architectures = config.get("architectures") or []
    causal = not config.get("is_encoder_decoder", False) and any(a.endswith("ForCausalLM") for a in architectures)
    entry, name = detect_family(config.get("model_type", ""), tokenizer_class, causal)
    return ModelFiles(name, causal, entry, config, tokenizer_config)


def local_model_files(ref: str) -> ModelFiles | None:
    """``read_model_files`` for a model already on this machine; None for one that is not (nothing is
    downloaded) or whose folder has no config.json."""
    from toolkit.models.revision import local_folder

    try:
        folder = local_folder(resolve(ref))
    except ModelError:
        return None
    if folder is None or not (folder / "config.json").is_file():
        return None
    return read_model_files(folder, ref)


def runs_on_ct2(ref: str) -> bool:
    """ctranslate2 runs this model's family: from its files, or from the catalogue for a catalogue
    model not downloaded yet (it is fetched and converted on first use)."""
    local = local_model_files(ref)
    if local is not None:
        return local.runs_on_ct2
    catalogued = load_catalogue().models.get(ref)
    return catalogued is not None and family_named(catalogued.family).runs_on_ct2(catalogued.family)


def language_setup(family: str, tokenizer: Any, model_id: str, source: str, target: str) -> pairs.LanguageSetup:
    """The language handling ``family`` needs to translate ``source`` into ``target``."""
    languages = family_named(family).languages
    if languages is None:
        known = [f.label for f in FAMILIES if f.languages is not None]
        raise LanguageError(f"model '{model_id}' ({family}) is not a translation model toolkit knows how to drive",
                            f"use a {', '.join(known[:-1])} or {known[-1]} model")
    return languages(tokenizer, model_id, source, target)
