"""The CTranslate2 backend: no torch and no transformers at run time (the model's own tokenizer
files are read by ``toolkit.models.tokenizers``; the device comes from ctranslate2's CUDA query).

ctranslate2's wheels link CUDA 12's cuBLAS; on a machine whose system has another CUDA, the CUDA 12
libraries from their PyPI wheels (``nvidia-cublas-cu12``...) are loaded before ctranslate2 is
imported (``toolkit.models.cuda``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Sequence

from toolkit.models.backends import Generated, GenerationRequest, ModelInfo, Plan
from toolkit.models.tokenizers import TextTokenizer


def settle(info: ModelInfo, device: str | None, quantization: str | None, dtype: str | None,
           threads: int | None) -> Plan:
    from toolkit.errors import ToolkitError
    from toolkit.models.ct2 import ct2_plan

    if dtype is not None:
        raise ToolkitError(f"dtype {dtype} is for the hf backend", "the ct2 backend takes a quantization instead")
    plan = ct2_plan(device, quantization, threads)
    return Plan(plan.device, plan.compute_type, plan.workers * plan.per_worker, plan, plan.workers)


def _vocabulary(folder: Path) -> set[str]:
    for name in ("shared_vocabulary", "target_vocabulary"):
        if (folder / f"{name}.json").is_file():
            return set(json.loads((folder / f"{name}.json").read_text("utf-8")))
        if (folder / f"{name}.txt").is_file():
            return set((folder / f"{name}.txt").read_text("utf-8").splitlines())
    return set()


def load(info: ModelInfo, tokenizer: TextTokenizer, plan: Plan) -> "CT2Model":
    from toolkit.models.ct2 import convert

    folder = convert(info.source.ref, plan.quantization)
    translator = plan.options.load("Translator", folder, info.source.ref)
    return CT2Model(info, tokenizer, translator, plan, plan.options.workers, _vocabulary(folder), folder)


# Sentences decoded together at most: each takes a row of vocabulary-wide logits at every step
# (58,000 floats for opus-mt), so a budget of padded tokens alone let batches of short sentences
# grow to hundreds of rows (872 MB peak on 1,000 short news lines, against the plain script's 294).
# On a CPU only: a GPU's larger batches (8192 tokens) are what keep it busy; not measured there.
MAX_ROWS = 64


def even_parts(bounds: Sequence[int], parts: int) -> list[int]:
    """Where to cut items, ordered by decreasing ``bounds`` (the tokens each may decode), into at
    most ``parts`` runs whose decoding work (items x the run's first bound) is as even as it can be."""

    def cuts(limit: int) -> list[int]:
        found, start = [], 0
        while start < len(bounds):
            start += max(1, limit // max(1, bounds[start]))
            found.append(min(start, len(bounds)))
        return found[:-1]

    low, high = bounds[0], len(bounds) * bounds[0]  # the least largest work: a bisection on it
    while low < high:
        middle = (low + high) // 2
        low, high = (low, middle) if len(cuts(middle)) < parts else (middle + 1, high)
    return cuts(low)


class CT2Model:
    """A ``ctranslate2.Translator``; token ids in and out, as the other backends."""

    backend = "ct2"

    def __init__(self, info: ModelInfo, tokenizer: TextTokenizer, translator: Any, plan: Plan, workers: int,
                 vocabulary: set[str], folder: Path):
        self.info, self.tokenizer, self.translator = info, tokenizer, translator
        self.device, self.quantization = plan.device, plan.quantization
        self.workers, self.vocabulary, self.folder = workers, vocabulary, folder

    def generate(self, inputs: Sequence[list[int]], request: GenerationRequest) -> list[Generated]:
        if not inputs:
            return []
        tokens = self.tokenizer.convert_ids_to_tokens
        # A token the conversion dropped (Marian's padding) cannot be generated anyway.
        suppress = [[t] for t in tokens(request.suppress) if not self.vocabulary or t in self.vocabulary] or None
        decoding = request.decoding
        options = dict(beam_size=max(decoding.beams, request.hypotheses), num_hypotheses=request.hypotheses,
                       length_penalty=decoding.length_penalty, repetition_penalty=decoding.repetition_penalty,
                       no_repeat_ngram_size=decoding.no_repeat_ngram_size, min_decoding_length=request.min_new_tokens,
                       max_input_length=0,  # inputs are already cut to the model's limit
                       suppress_sequences=suppress, asynchronous=True,
                       max_batch_size=MAX_ROWS if self.device == "cpu" else 0)  # a GPU takes larger batches
        prefix = None if request.forced_bos is None else tokens([request.forced_bos])
        # One part per parallel translator (longest first, as ctranslate2 itself splits a batch), each
        # decoding only to its own inputs' largest bound rather than the whole batch's, the parts cut
        # so that they take about as long: the translators wait for the slowest before the next batch.
        order = sorted(range(len(inputs)), key=lambda i: (-request.bound(i), -len(inputs[i])))
        cuts = even_parts([request.bound(i) for i in order], self.workers)
        parts = [order[start:end] for start, end in zip([0, *cuts], [*cuts, len(order)])]
        # ctranslate2 does not return the end token: one position less than transformers when it is forced.
        bounds = [max(1, max(request.bound(i) for i in part) - request.forced_eos) for part in parts]
        pending = [self.translator.translate_batch([tokens(inputs[i]) for i in part],
                                                   None if prefix is None else [prefix] * len(part),
                                                   max_decoding_length=bound, **options)
                   for part, bound in zip(parts, bounds)]
        to_ids = self.tokenizer.convert_tokens_to_ids
        outputs: dict[int, list[Generated]] = {}
        for part, bound, results in zip(parts, bounds, pending):
            for i, result in zip(part, results):
                hypotheses = result.result().hypotheses[:request.hypotheses]
                outputs[i] = [Generated(to_ids(h), len(h) >= bound) for h in hypotheses]
        return [g for i in range(len(inputs)) for g in outputs[i]]
