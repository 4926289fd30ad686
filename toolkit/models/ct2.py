"""CTranslate2 models: converted once with ctranslate2's own converter (the one step that needs
torch and transformers), cached by model id, revision and quantisation; the device, compute type
and threads fitted to this machine. ``toolkit.models.backends.ct2`` runs them.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import ModelError, ToolkitError
from toolkit.models.threads import resolve_threads, usable_cores
from toolkit.models.store import fetch_hub_model, resolve
from toolkit.models.revision import local_folder, model_revision
from toolkit.settings import cache_dir, setting

QUANTIZATIONS = ("int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16", "float16", "bfloat16", "float32")
_META = "toolkit-conversion.json"


def installed() -> bool:
    return importlib.util.find_spec("ctranslate2") is not None


def ct2_device(device: str | None = None) -> tuple[str, int]:
    """('cpu' | 'cuda', device index) from the argument, TOOLKIT_DEVICE, or what is present."""
    wanted = setting("device", device, "auto", str)
    if wanted == "auto":
        from toolkit.models.cuda import import_ctranslate2

        return ("cuda", 0) if import_ctranslate2().get_cuda_device_count() > 0 else ("cpu", 0)
    kind, _, index = wanted.partition(":")
    if kind not in ("cpu", "cuda") or (index and not index.isdigit()):
        raise ToolkitError(f"unknown device '{wanted}'", "use cpu, cuda or cuda:N")
    return kind, int(index or 0)


# Compute types, fastest first, as measured on CPUs by ``benchmarks/translate_throughput.py --rows
# compute-types`` (docs/speed.md); a type no measurement ranked comes after those that were.
FASTEST_FIRST = {"cpu": ("int8", "int8_float32", "int16", "float32"),
                 "cuda": ("float16", "int8_float16", "bfloat16", "int8_bfloat16", "int8", "float32")}


def default_quantization(device: str, supported: set[str] | None = None) -> str:
    """The fastest compute type this machine supports (ctranslate2.get_supported_compute_types)."""
    if supported is None:
        from toolkit.models.cuda import import_ctranslate2

        supported = set(import_ctranslate2().get_supported_compute_types(device))
    ranked = FASTEST_FIRST.get(device, FASTEST_FIRST["cpu"])
    return next((t for t in ranked if t in supported), "float32")


def check_quantization(quantization: str) -> str:
    if quantization not in QUANTIZATIONS:
        raise ToolkitError(f"unknown quantization '{quantization}'", f"use one of: {', '.join(QUANTIZATIONS)}")
    return quantization


def thread_plan(threads: int | None, device: str, parallel: bool = True) -> tuple[int, int]:
    """(workers, threads per worker). On CPU, with ``parallel``, one single-threaded translator per
    core: for batch throughput that beats one translator using every core (see
    ``benchmarks/translate_throughput.py``); otherwise (a GPU, or an LLM answering one prompt at a
    time) one engine using them all. Never more threads than the cores this process may use."""
    total = resolve_threads(threads) or usable_cores()
    return (total, 1) if device == "cpu" and parallel else (1, total)


@dataclass(frozen=True)
class CT2Plan:
    """Where and how ctranslate2 runs a model here (device, compute type, threads), settled once
    before any weights load; the one plan for translators, summarisers and generators."""

    kind: str  # cpu | cuda
    index: int
    compute_type: str
    workers: int  # parallel engines (ctranslate2's inter_threads)
    per_worker: int  # threads each (intra_threads)

    @property
    def device(self) -> str:
        return self.kind if self.kind == "cpu" else f"{self.kind}:{self.index}"

    def load(self, engine: str, folder: Path, ref: str):
        """A ``ctranslate2.Translator`` or ``Generator`` (``engine``) on the converted ``folder``."""
        from toolkit.models.cuda import import_ctranslate2

        ctranslate2 = import_ctranslate2()
        try:
            return getattr(ctranslate2, engine)(str(folder), device=self.kind, device_index=self.index,
                                                compute_type=self.compute_type, inter_threads=self.workers,
                                                intra_threads=self.per_worker)
        except (RuntimeError, ValueError) as exc:
            supported = ", ".join(sorted(ctranslate2.get_supported_compute_types(self.kind)))
            raise ModelError(f"ctranslate2 cannot load '{ref}' as {self.compute_type} on {self.kind}: {exc}",
                             f"supported here: {supported}") from None


def ct2_plan(device: str | None = None, quantization: str | None = None, threads: int | None = None,
             parallel: bool = True) -> CT2Plan:
    """The plan from the arguments, else the settings (TOOLKIT_DEVICE, TOOLKIT_QUANTIZATION,
    TOOLKIT_THREADS), else this machine: its GPU, its fastest compute type, its usable cores."""
    kind, index = ct2_device(device)
    chosen = check_quantization(setting("quantization", quantization, None, str) or default_quantization(kind))
    return CT2Plan(kind, index, chosen, *thread_plan(threads, kind, parallel))


def conversion_folder(ref: str, quantization: str) -> Path:
    """Where ``ref`` converted with ``quantization`` is cached (keyed by id, revision, quantisation)."""
    source = resolve(ref)
    revision = model_revision(source)
    name = re.sub(r"[^\w.-]+", "--", source.cache_name.strip("/~.")) or "model"
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
                             "use the hf «backend» for this model") from None
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
