"""CTranslate2 models: converted once with ctranslate2's own converter, cached by model id,
revision and quantisation, and loaded with threads fitted to this machine.

Reusable by any seq2seq task: ``load_ct2`` returns a ``ctranslate2.Translator`` (Marian, M2M100,
NLLB, mBART, BART, T5) with the model's Hugging Face tokenizer.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from math import ceil
from pathlib import Path
from typing import Sequence

from toolkit.errors import ModelError, ToolkitError
from toolkit.models.catalogue import load_catalogue
from toolkit.models.loading import LoadedModel, input_limit, model_family
from toolkit.models.store import fetch_hub_model, resolve
from toolkit.models.revision import local_folder, model_revision
from toolkit.provenance import DecodingSettings
from toolkit.settings import cache_dir, setting

FAMILIES = ("marian", "m2m100", "nllb", "mbart50", "bart", "t5")
QUANTIZATIONS = ("int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16", "float16", "bfloat16", "float32")
_META = "toolkit-conversion.json"


@dataclass(frozen=True)
class CT2Model:
    """A loaded CTranslate2 model: ``loaded.model`` is the ``ctranslate2.Translator``."""

    loaded: LoadedModel
    quantization: str
    workers: int  # translators running batches in parallel (inter_threads)
    threads: int  # threads per translator (intra_threads)
    folder: Path

    def decode(self, source: Sequence[list[str]], decoding: DecodingSettings, max_length: int, min_length: int = 0,
               prefix: list[str] | None = None, suppress: list[list[str]] | None = None) -> list[list[str]]:
        """The best hypothesis (tokens, without the end token) for each tokenised source, decoded with
        toolkit's decoding settings; each parallel translator takes one share of the batch."""
        return [h[0] for h in self.decode_nbest(source, decoding, max_length, min_length, prefix, suppress)]

    def decode_nbest(self, source: Sequence[list[str]], decoding: DecodingSettings, max_length: int, min_length: int = 0,
                     prefix: list[str] | None = None, suppress: list[list[str]] | None = None,
                     n: int = 1) -> list[list[list[str]]]:
        """As ``decode``, the ``n`` best hypotheses of each source (beam search with at least ``n`` beams)."""
        results = self.loaded.model.translate_batch(
            list(source),
            target_prefix=[prefix] * len(source) if prefix else None,
            max_batch_size=ceil(len(source) / self.workers),
            beam_size=max(decoding.beams, n),
            num_hypotheses=n,
            length_penalty=decoding.length_penalty,
            repetition_penalty=decoding.repetition_penalty,
            no_repeat_ngram_size=decoding.no_repeat_ngram_size,
            max_decoding_length=max(1, max_length),
            min_decoding_length=min_length,
            max_input_length=0,  # inputs are already cut to the model's limit
            suppress_sequences=suppress,
        )
        return [r.hypotheses for r in results]


def installed() -> bool:
    return importlib.util.find_spec("ctranslate2") is not None


def folder_family(ref: str) -> str | None:
    """The model's family read from its local config files (no heavy import), or None."""
    try:
        folder = local_folder(resolve(ref))
    except ModelError:
        return None
    if folder is None or not (folder / "config.json").is_file():
        return None
    config = json.loads((folder / "config.json").read_text("utf-8"))
    tokenizer_config = folder / "tokenizer_config.json"
    tokenizer_class = ""
    if tokenizer_config.is_file():
        tokenizer_class = json.loads(tokenizer_config.read_text("utf-8")).get("tokenizer_class") or ""
    return model_family(config.get("model_type", ""), tokenizer_class)


def supports(ref: str) -> bool:
    """ctranslate2 is installed and can run this model's family (from its files, or from the
    catalogue for a catalogue model not downloaded yet: it is fetched and converted on first use)."""
    if not installed():
        return False
    catalogued = load_catalogue().models.get(ref)
    return (folder_family(ref) or (catalogued.family if catalogued else None)) in FAMILIES


def ct2_device(device: str | None = None) -> tuple[str, int]:
    """('cpu' | 'cuda', device index) from the argument, TOOLKIT_DEVICE, or what is present."""
    wanted = setting("device", device, "auto", str)
    if wanted == "auto":
        import ctranslate2

        return ("cuda", 0) if ctranslate2.get_cuda_device_count() > 0 else ("cpu", 0)
    kind, _, index = wanted.partition(":")
    if kind not in ("cpu", "cuda") or (index and not index.isdigit()):
        raise ToolkitError(f"unknown device '{wanted}'", "use cpu, cuda or cuda:N")
    return kind, int(index or 0)


def default_quantization(device: str) -> str:
    return "int8" if device == "cpu" else "float16"


def check_quantization(quantization: str) -> str:
    if quantization not in QUANTIZATIONS:
        raise ToolkitError(f"unknown quantization '{quantization}'", f"use one of: {', '.join(QUANTIZATIONS)}")
    return quantization


def usable_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def thread_plan(threads: int | None, device: str) -> tuple[int, int]:
    """(workers, threads per worker). On CPU one single-threaded translator per core: for batch
    throughput that beats one translator using every core (see ``benchmarks/translate_throughput.py``).
    Never more threads than the cores this process may use."""
    total = max(1, min(setting("threads", threads, usable_cores(), int), usable_cores()))
    return (1, total) if device == "cuda" else (total, 1)


def conversion_folder(ref: str, quantization: str) -> Path:
    """Where ``ref`` converted with ``quantization`` is cached (keyed by id, revision, quantisation)."""
    revision = model_revision(resolve(ref))
    name = re.sub(r"[^\w.-]+", "--", ref.strip("/~.")) or "model"
    stamp = re.sub(r"\W+", "-", revision)[:24]
    return cache_dir() / "ct2" / f"{name[-80:]}--{stamp}--{quantization}"


def _converter(location: Path):
    from ctranslate2.converters import TransformersConverter

    class Converter(TransformersConverter):
        def load_model(self, model_class, model_name_or_path, **kwargs):
            model = super().load_model(model_class, model_name_or_path, **kwargs)
            # transformers 5 dropped the attribute ctranslate2 reads: BART is post-norm, mBART pre-norm.
            pre_norm = {"bart": False, "mbart": True}.get(model.config.model_type)
            if pre_norm is not None and not hasattr(model.config, "normalize_before"):
                model.config.normalize_before = pre_norm
            return model

        def load_tokenizer(self, tokenizer_class, model_name_or_path, **kwargs):
            tokenizer = super().load_tokenizer(tokenizer_class, model_name_or_path, **kwargs)
            languages = getattr(tokenizer, "lang_token_to_id", None)
            if languages:  # transformers 5's M2M100 tokenizer leaves its language tokens out of get_vocab
                vocab = {**tokenizer.get_vocab(), **languages}
                tokenizer.get_vocab = lambda: vocab
            return tokenizer

    return Converter(str(location))


def convert(ref: str, quantization: str = "int8", force: bool = False) -> Path:
    """Convert a model to CTranslate2 once; a killed conversion never leaves a half-written entry."""
    check_quantization(quantization)
    source = resolve(ref)
    location = local_folder(source) or fetch_hub_model(source.location)  # a hub model not yet cached: download
    target = conversion_folder(ref, quantization)
    if (target / _META).is_file() and not force:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}."))
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
        try:
            _converter(location).convert(str(tmp), quantization=quantization, force=True)
        except (ValueError, NotImplementedError, RuntimeError, OSError, KeyError) as exc:
            raise ModelError(f"ctranslate2 cannot convert model '{ref}': {str(exc).splitlines()[0] if str(exc) else exc!r}",
                             "use --backend hf for this model") from None
        meta = {"model": ref, "location": str(location), "revision": model_revision(source), "quantization": quantization}
        (tmp / _META).write_text(json.dumps(meta, indent=2), "utf-8")
        if force and target.exists():
            shutil.rmtree(target)
        try:
            os.replace(tmp, target)  # atomic: the entry appears whole or not at all
        except OSError:
            if not (target / _META).is_file():  # not another process finishing the same conversion first
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


@lru_cache(maxsize=4)
def load_ct2(ref: str, quantization: str | None = None, device: str | None = None, threads: int | None = None) -> CT2Model:
    """Convert (first time) and load a model with CTranslate2, with its Hugging Face tokenizer."""
    kind, index = ct2_device(device)
    quantization = check_quantization(setting("quantization", quantization, default_quantization(kind), str))
    folder = convert(ref, quantization)
    source = resolve(ref)
    import ctranslate2
    from transformers import AutoConfig, AutoTokenizer

    location = json.loads((folder / _META).read_text("utf-8"))["location"]
    tokenizer = AutoTokenizer.from_pretrained(location)
    config = AutoConfig.from_pretrained(location)
    workers, per_worker = thread_plan(threads, kind)
    try:
        translator = ctranslate2.Translator(str(folder), device=kind, device_index=index, compute_type=quantization,
                                            inter_threads=workers, intra_threads=per_worker)
    except (RuntimeError, ValueError) as exc:
        raise ModelError(f"ctranslate2 cannot load '{ref}' as {quantization} on {kind}: {exc}",
                         f"supported here: {', '.join(sorted(ctranslate2.get_supported_compute_types(kind)))}") from None
    family = model_family(config.model_type, type(tokenizer).__name__)
    device_name = kind if kind == "cpu" else f"{kind}:{index}"
    loaded = LoadedModel(source, translator, tokenizer, family, model_revision(source), input_limit(config, tokenizer), device_name)
    return CT2Model(loaded, quantization, workers, per_worker, folder)
