"""One interface for every inference engine: a ``Seq2SeqModel`` takes token ids and one
``GenerationRequest`` and returns token ids, whatever runs it (transformers, CTranslate2).

What a model is (family, revision, limits, tokenizer) is read from its files without loading any
weights (``model_info``); the weights load at the first ``generate`` (``LazyModel``), so a run the
translation memory serves entirely loads nothing. Adding a backend is one module with ``settle``
and ``load`` and one line in ``BACKENDS``; a backend that runs instruction (chat) models only, as
llama.cpp runs GGUF files, has a chat model class in ``toolkit.models.chat`` instead of the module.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Protocol, Sequence

from toolkit.errors import InputError, ModelError, ToolkitError
from toolkit.models.families import Family, read_model_files
from toolkit.models.store import CORRUPT_HINT, ModelSource, fetch_hub_model, read_model_json, resolve
from toolkit.models.tokenizers import TextTokenizer, load_tokenizer
from toolkit.provenance import DecodingSettings

# backend name -> module with settle(info, device, quantization, dtype, threads) and load(info, tokenizer, plan) for
# seq2seq models, or None for a backend of chat models only
BACKENDS = {"hf": "toolkit.models.backends.hf", "ct2": "toolkit.models.backends.ct2", "llama.cpp": None}
# Position limits above this are "no limit" sentinels in tokenizer configs.
_NO_LIMIT = 100_000


@dataclass(frozen=True)
class ModelInfo:
    """A model as its files describe it; nothing here loads weights or imports torch."""

    source: ModelSource
    folder: Path
    family: str
    causal: bool  # a decoder-only language model
    entry: Family = field(compare=False, repr=False)  # its entry in the family registry
    revision: str
    max_input_tokens: int  # longest input the model and its tokenizer take
    max_positions: int  # the output length ceiling
    config: dict = field(compare=False, repr=False)
    generation: dict = field(compare=False, repr=False)  # generation_config.json, else the config's own keys

    @property
    def is_encoder_decoder(self) -> bool:
        return bool(self.config.get("is_encoder_decoder"))

    def generation_value(self, key: str) -> Any:
        return self.generation.get(key, self.config.get(key))


def model_info(ref: str) -> ModelInfo:
    """Read a model's config and tokenizer config (a hub model not yet cached is downloaded)."""
    from toolkit.models.revision import local_folder, model_revision

    source = resolve(ref)
    folder = local_folder(source) or fetch_hub_model(source.location)
    files = read_model_files(folder, ref)
    config, family = files.config, files.family
    if not files.model_type:
        raise ModelError(f"model '{ref}' has no model_type in its config.json", "point at a folder save_pretrained wrote")
    needed = files.entry.required_files
    missing = [name for name in needed if not (folder / name).is_file()]
    if missing:
        raise ModelError(f"cannot load model '{ref}': {folder} has no {', '.join(missing)} (a {family} model needs "
                         f"{', '.join(needed)})", CORRUPT_HINT)
    positions = config.get("max_position_embeddings") or config.get("n_positions")
    limits = [n for n in (positions, files.tokenizer_config.get("model_max_length")) if isinstance(n, int) and 0 < n < _NO_LIMIT]
    return ModelInfo(source, folder, family, files.causal, files.entry, source.revision or model_revision(source),
                     min(limits) if limits else 512, positions or 1024, config,
                     read_model_json(folder / "generation_config.json", ref))


@dataclass(frozen=True)
class GenerationRequest:
    """Everything a backend needs to decode, set explicitly (nothing inherited from model configs).

    ``max_new_tokens`` counts as transformers counts: a forced first token and, with ``forced_eos``,
    the end token forced into the last position when the bound is reached, are included.
    """

    decoding: DecodingSettings
    max_new_tokens: int
    min_new_tokens: int = 0
    forced_bos: int | None = None
    forced_eos: bool = False
    suppress: tuple[int, ...] = ()  # token ids that must never be generated
    hypotheses: int = 1  # outputs per input, best first, in input order (beam search with at least that many beams)
    bounds: tuple[int, ...] = ()  # each input's own max_new_tokens (at most max_new_tokens): a backend that
    # decodes parts of the batch apart may stop each part at its inputs' largest; empty: max_new_tokens for all

    def bound(self, index: int) -> int:
        """The max_new_tokens of input ``index``."""
        return self.bounds[index] if self.bounds else self.max_new_tokens


@dataclass(frozen=True)
class Generated:
    ids: list[int]  # the output ids (special tokens included; the decoder start token excluded)
    at_bound: bool  # stopped by the length bound, not by an end token


class Seq2SeqModel(Protocol):
    """A loaded (or loadable) seq2seq model on one backend."""

    info: ModelInfo
    tokenizer: TextTokenizer
    backend: str
    device: str
    quantization: str | None  # the compute type (ct2) or dtype (hf); None: float32 on hf
    workers: int  # engines that decode parts of one batch in parallel

    def generate(self, inputs: Sequence[list[int]], request: GenerationRequest) -> list[Generated]:
        ...


@dataclass(frozen=True)
class Plan:
    """Where and how a backend will run a model, settled before any weights load."""

    device: str
    quantization: str | None
    threads: int | None = None
    options: Any = None  # what else the backend settled (ct2: its CT2Plan); hashable
    workers: int = 1  # engines that decode parts of one batch in parallel (ct2 on a CPU: one per core)


class LazyModel:
    """A ``Seq2SeqModel`` whose weights load at the first ``generate``: everything else
    (tokenizer, family, revision, device, quantization) is known without them."""

    def __init__(self, info: ModelInfo, tokenizer: TextTokenizer, backend: str, plan: Plan,
                 loader: Callable[[], Seq2SeqModel]):
        self.info, self.tokenizer, self.backend = info, tokenizer, backend
        self.device, self.quantization, self.workers = plan.device, plan.quantization, plan.workers
        self._loader = loader
        self._model: Seq2SeqModel | None = None

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def generate(self, inputs: Sequence[list[int]], request: GenerationRequest) -> list[Generated]:
        if self._model is None:
            self._model = self._loader()
        return self._model.generate(inputs, request)


def check_backend(name: str) -> str:
    """``name`` if it is ``auto`` or a backend this package has; the one check for every task."""
    if name != "auto" and name not in BACKENDS:
        raise InputError(f"unknown backend '{name}'", f"use one of: auto, {', '.join(BACKENDS)}")
    return name


def choose_backend(backend: str, ref: str, kind: str = "seq2seq") -> str:
    """The backend a model of ``kind`` (seq2seq or chat) runs on; ``auto``: for a chat model imported
    from a GGUF file, llama.cpp when llama-cpp-python is installed; else ct2 when ctranslate2 is
    installed and runs the model's family; else hf."""
    if check_backend(backend) != "auto":
        if kind == "seq2seq" and BACKENDS[backend] is None:
            raise InputError(f"the {backend} backend runs instruction (chat) models only", "use «backend» ct2 or hf")
        return backend
    from toolkit.models.ct2 import installed
    from toolkit.models.families import runs_on_ct2
    from toolkit.models.store import read_registry

    if kind == "chat" and importlib.util.find_spec("llama_cpp") and read_registry().get(ref, {}).get("gguf"):
        return "llama.cpp"
    return "ct2" if installed() and runs_on_ct2(ref) else "hf"


def _backend(name: str):
    if BACKENDS.get(name) is None:
        raise ToolkitError(f"unknown backend '{name}' for seq2seq models", "use one of: auto, hf, ct2")
    return importlib.import_module(BACKENDS[name])


@lru_cache(maxsize=8)
def model_tokenizer(folder: Path, family: str, revision: str) -> TextTokenizer:
    """The tokenizer of the model in ``folder`` at ``revision``, read once per process."""
    return load_tokenizer(folder, family)


@lru_cache(maxsize=4)
def _load(backend: str, info: ModelInfo, plan: Plan) -> Seq2SeqModel:
    try:
        return _backend(backend).load(info, model_tokenizer(info.folder, info.family, info.revision), plan)
    except (ToolkitError, MemoryError):
        raise
    except Exception as exc:  # a corrupt or incomplete weights file, whatever the library that reads it says
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModelError(f"cannot load the weights of model '{info.source.ref}' from {info.folder}: {reason}",
                         CORRUPT_HINT) from exc


def open_seq2seq(ref: str, backend: str, device: str | None = None, quantization: str | None = None,
                 dtype: str | None = None, threads: int | None = None) -> LazyModel:
    """A seq2seq model on ``backend`` (hf or ct2), its weights loaded when first used; models opened
    twice with the same settings share one copy of the weights."""
    module = _backend(backend)
    info = model_info(ref)
    if not info.is_encoder_decoder:
        raise ModelError(f"model '{ref}' is not a sequence-to-sequence model", "pass a translation or summarisation model")
    plan = module.settle(info, device, quantization, dtype, threads)
    tokenizer = model_tokenizer(info.folder, info.family, info.revision)
    return LazyModel(info, tokenizer, backend, plan, lambda: _load(backend, info, plan))
