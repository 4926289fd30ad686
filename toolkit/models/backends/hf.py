"""The Hugging Face transformers backend, and the one ``GenerationConfig`` builder.

On a CPU with bfloat16 arithmetic (AMX or AVX-512 BF16) models run in bfloat16 by default; the
dtype is part of the provenance (and so of the translation memory's key).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from toolkit.errors import ModelError, ToolkitError
from toolkit.models.backends import Generated, GenerationRequest, ModelInfo, Plan
from toolkit.models.threads import resolve_threads
from toolkit.models.store import IMPORT_HINT, hub_error
from toolkit.models.tokenizers import TextTokenizer
from toolkit.provenance import DecodingSettings
from toolkit.settings import setting

DTYPES = ("float32", "bfloat16", "float16")
_BF16_FLAGS = ("amx_bf16", "avx512_bf16")


def cpu_flags(cpuinfo: Path = Path("/proc/cpuinfo")) -> set[str]:
    try:
        text = cpuinfo.read_text()
    except OSError:
        return set()
    for line in text.splitlines():
        if line.startswith(("flags", "Features")):
            return set(line.partition(":")[2].split())
    return set()


def cpu_has_bf16(flags: set[str] | None = None) -> bool:
    """The CPU does bfloat16 arithmetic in hardware (AMX or AVX-512 BF16)."""
    return any(f in (cpu_flags() if flags is None else flags) for f in _BF16_FLAGS)


def default_dtype(device: str, flags: set[str] | None = None) -> str:
    """bfloat16 on a CPU that computes in it (measured about 1.75x float32 on an AMX Xeon, see
    docs/speed.md), else float32."""
    return "bfloat16" if device == "cpu" and cpu_has_bf16(flags) else "float32"


def check_dtype(dtype: str) -> str:
    if dtype not in DTYPES:
        raise ToolkitError(f"unknown dtype '{dtype}'", f"use one of: {', '.join(DTYPES)}")
    return dtype


def default_device(device: str | None = None) -> str:
    wanted = setting("device", device, "auto", str)
    if wanted != "auto":
        return wanted
    from toolkit.models.cuda import gpu_driver_present

    if not gpu_driver_present():  # no NVIDIA driver, no CUDA: known without importing torch
        return "cpu"
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def settle(info: ModelInfo, device: str | None, quantization: str | None, dtype: str | None,
           threads: int | None) -> Plan:
    if quantization not in (None, "float32", "bfloat16", "float16"):
        raise ToolkitError(f"the hf backend runs float32, bfloat16 or float16, not {quantization}",
                          "use the ct2 «backend» for quantised models")
    device = default_device(device)
    chosen = check_dtype(setting("dtype", dtype or quantization, default_dtype(device.partition(":")[0]), str))
    return Plan(device, None if chosen == "float32" else chosen, resolve_threads(threads))


def load(info: ModelInfo, tokenizer: TextTokenizer, plan: Plan) -> "HFModel":
    import torch
    import transformers
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    if plan.threads is not None:
        torch.set_num_threads(plan.threads)
    dtype = getattr(torch, plan.quantization or "float32")
    try:
        model = transformers.AutoModelForSeq2SeqLM.from_pretrained(str(info.folder), dtype=dtype)
    except (OSError, ValueError, KeyError) as exc:
        if info.source.kind == "hub":
            raise hub_error(info.source.ref, exc) from None
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModelError(f"cannot load model '{info.source.ref}' from {info.folder}: {reason}", IMPORT_HINT) from None
    model.to(plan.device).eval()
    return HFModel(info, tokenizer, model, plan)


_FROM_MODEL = object()


def generation_config(model: Any, decoding: DecodingSettings, min_new_tokens: int, max_new_tokens: int,
                      forced_bos: Any = _FROM_MODEL, forced_eos: Any = _FROM_MODEL, suppress: Sequence[int] = ()):
    """The one GenerationConfig builder: every decoding option set here, explicitly; only the
    model's special-token ids (and, unless given, its forced first and last tokens) come from it."""
    from transformers import GenerationConfig

    own = model.generation_config
    pad = own.pad_token_id if own.pad_token_id is not None else model.config.pad_token_id
    eos = own.eos_token_id if own.eos_token_id is not None else model.config.eos_token_id
    return GenerationConfig(
        do_sample=False,
        num_beams=decoding.beams,
        early_stopping=decoding.beams > 1,
        length_penalty=decoding.length_penalty,
        repetition_penalty=decoding.repetition_penalty,
        no_repeat_ngram_size=decoding.no_repeat_ngram_size,
        min_new_tokens=min_new_tokens,
        max_new_tokens=max_new_tokens,
        bos_token_id=own.bos_token_id,
        eos_token_id=eos,
        pad_token_id=pad if pad is not None else eos,
        decoder_start_token_id=own.decoder_start_token_id if model.config.is_encoder_decoder else None,
        forced_bos_token_id=own.forced_bos_token_id if forced_bos is _FROM_MODEL else forced_bos,
        forced_eos_token_id=own.forced_eos_token_id if forced_eos is _FROM_MODEL else forced_eos,
        bad_words_ids=[[t] for t in suppress] or None,
    )


class HFModel:
    """A transformers seq2seq model, in eval mode on its device."""

    backend = "hf"
    workers = 1  # one engine; torch spreads each batch over the threads

    def __init__(self, info: ModelInfo, tokenizer: TextTokenizer, model: Any, plan: Plan):
        self.info, self.tokenizer, self.model = info, tokenizer, model
        self.device, self.quantization = plan.device, plan.quantization

    def generate(self, inputs: Sequence[list[int]], request: GenerationRequest) -> list[Generated]:
        import torch

        config = self.model.config
        eos = config.eos_token_id
        pad = config.pad_token_id if config.pad_token_id is not None else eos
        width = max(len(s) for s in inputs)
        ids = torch.tensor([list(s) + [pad] * (width - len(s)) for s in inputs], device=self.device)
        mask = torch.tensor([[1] * len(s) + [0] * (width - len(s)) for s in inputs], device=self.device)
        generation = generation_config(self.model, request.decoding, request.min_new_tokens, request.max_new_tokens,
                                       request.forced_bos, eos if request.forced_eos else None, request.suppress)
        if request.hypotheses > 1:
            generation.num_beams = max(generation.num_beams, request.hypotheses)
            generation.num_return_sequences = request.hypotheses
            generation.early_stopping = True
        with torch.inference_mode():
            sequences = self.model.generate(input_ids=ids, attention_mask=mask, generation_config=generation).tolist()
        # Generated ids follow the decoder start token; an end token only in the last position was forced.
        room = request.max_new_tokens - request.forced_eos
        return [Generated(seq[1:], eos not in seq[1:1 + room]) for seq in sequences]
