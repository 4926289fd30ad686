"""GPU check, run by hand on a CUDA machine: both backends on the GPU, against the CPU and each other.

    python benchmarks/gpu_check.py [--sentences 512] [--tokens 32]

1. Tiny Marian, M2M100 and NLLB models (tests/tiny_models.py): greedy hf output on CUDA against
   hf on the CPU (float32, should be identical), and ct2 float16 / int8_float16 on CUDA against
   hf float32 (chrF of one against the other: what reduced precision costs).
2. Throughput on a Marian model in the true shape of opus-mt-en-sq (random weights, end token
   suppressed so every system makes exactly --tokens tokens per sentence, each row counting the
   tokens it really decoded): transformers generate() in float32 (batches of 32, and the toolkit's
   own length-sorted, token-budgeted batches) and in float16 and bfloat16 (the toolkit's batches);
   toolkit hf in each dtype; toolkit ct2 float16 and int8_float16; ctranslate2 direct.

On a machine whose system CUDA is not 12, ct2 finds CUDA 12's libraries in the PyPI wheels
(``pip install nvidia-cublas-cu12 nvidia-cuda-runtime-cu12``; toolkit.models.cuda).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]


def parity(work: Path, device: str) -> list[dict]:
    from sacrebleu.metrics import CHRF

    from tests import tiny_models
    from toolkit.translate.engine import translate_texts
    from toolkit.translate.factory import build_translator

    sp = tiny_models.train_sentencepiece(work / "spm")
    sentences = [s for s in tiny_models.CORPUS if s.isascii()]
    rows = []
    for name, build, target in [("marian", tiny_models.build_marian, "sq"), ("m2m100", tiny_models.build_m2m100, "fa"),
                                ("nllb", tiny_models.build_nllb, "fa")]:
        model = str(build(work / name, sp))
        cpu = translate_texts(sentences, build_translator("en", target, model, "hf", device="cpu"))
        gpu = translate_texts(sentences, build_translator("en", target, model, "hf", device=device))
        row = {"model": name, f"hf {device} == hf cpu": gpu == cpu}
        for quantization in ("float16", "int8_float16") if device == "cuda" else ("float32", "int8"):
            try:
                ct2 = build_translator("en", target, model, "ct2", device=device, quantization=quantization)
                row[f"chrF ct2 {quantization} vs hf"] = round(CHRF().corpus_score(translate_texts(sentences, ct2), [gpu]).score, 1)
            except Exception as exc:  # report and go on: the hf rows are still worth having
                row[f"chrF ct2 {quantization} vs hf"] = f"failed: {exc}"
        rows.append(row)
    return rows


def throughput(work: Path, n_sentences: int, tokens: int, beams: int, device: str) -> list[dict]:
    """Every row decodes the same sentences to exactly ``tokens`` tokens (end token suppressed) and
    counts the tokens it really decoded; the toolkit's batches (length-sorted, token-budgeted) are
    also given to transformers, so batching is not what a row measures."""
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    import translate_throughput as tt
    from toolkit.models.cuda import import_ctranslate2
    from toolkit.models.ct2 import convert
    from toolkit.provenance import DecodingSettings
    from toolkit.translate.engine import _prepare, batches_by_tokens, default_batch_tokens, translate_texts
    from toolkit.translate.factory import build_translator

    text = tt.source_text([ROOT / "examples" / "article-en.md"])
    model = tt.build_model("marian", work / "opus-mt-en-sq-shape", text)
    docs = tt.news_documents(text, n_sentences)
    fixed = DecodingSettings(beams=beams, max_length_ratio=0, max_length_offset=tokens)
    rows = []

    def sync():
        if device.startswith("cuda"):
            torch.cuda.synchronize()

    def timed(label, run):
        """``run`` returns the tokens it decoded; one untimed warm-up (kernels, allocator) first."""
        try:
            run()
            sync()
            start = time.perf_counter()
            decoded = run()
            sync()
        except Exception as exc:  # report and go on with the other systems
            rows.append({"system": label, "beams": beams, "failed": str(exc)[:300]})
            return
        seconds = time.perf_counter() - start
        rows.append({"system": label, "beams": beams, "decoded tokens": decoded, "tokens/s": round(decoded / seconds),
                     "seconds": round(seconds, 2)})

    # The toolkit's own batches, from its own segmentation and token counts.
    probe = build_translator("en", "sq", str(model), "ct2", fixed, device=device, quantization="float32")
    prepared, lengths = _prepare(docs, probe)
    units = list(dict.fromkeys(p for d in prepared for line in d.lines for p, _ in line))
    budget = default_batch_tokens(probe)
    toolkit_batches = [[units[i] for i in g] for g in batches_by_tokens([lengths[u] for u in units], budget)]
    fixed_32 = [units[i:i + 32] for i in range(0, len(units), 32)]
    tokenizer = AutoTokenizer.from_pretrained(model)

    for dtype in ("float32", "float16", "bfloat16"):
        hf_model = AutoModelForSeq2SeqLM.from_pretrained(model, dtype=getattr(torch, dtype)).to(device).eval()

        def generate(batches, net=hf_model):
            decoded = 0
            with torch.inference_mode():
                for batch in batches:
                    inputs = tokenizer(batch, return_tensors="pt", padding=True).to(device)
                    ids = net.generate(**inputs, num_beams=beams, max_new_tokens=tokens, min_new_tokens=tokens)
                    decoded += (ids.shape[1] - 1) * ids.shape[0]
            return decoded

        if dtype == "float32":
            timed("(2) transformers generate float32, batches of 32", lambda: generate(fixed_32))
        timed(f"(2b) transformers generate {dtype}, toolkit's batches", lambda: generate(toolkit_batches))
        hf_model = None  # free its GPU memory before the next rows
        if device.startswith("cuda"):
            torch.cuda.empty_cache()

    def toolkit_row(backend, **options):
        translator = build_translator("en", "sq", str(model), backend, fixed, device=device, **options)
        inner = translator.model.generate
        counted = [0]

        def counting(inputs, request):
            generated = inner(inputs, request)
            # Output ids as each backend returns them: ct2 without the end token, hf with it.
            counted[0] += sum(len(g.ids) for g in generated)
            return generated

        translator.model.generate = counting

        def run():
            counted[0] = 0
            translate_texts(docs, translator, batch_tokens=budget)
            return counted[0]
        return run

    for dtype in ("float32", "float16", "bfloat16"):
        timed(f"(3) toolkit hf {dtype}", toolkit_row("hf", dtype=dtype))
    for quantization in (("float16", "int8_float16") if device.startswith("cuda") else ("int8", "float32")):
        timed(f"(4) toolkit ct2 {quantization}", toolkit_row("ct2", quantization=quantization))
    ctranslate2 = import_ctranslate2()
    half = "float16" if device.startswith("cuda") else "int8"
    engines = []  # loaded once, in the untimed warm-up
    pieces = [[tokenizer.convert_ids_to_tokens(tokenizer(s)["input_ids"]) for s in batch] for batch in toolkit_batches]

    def direct():
        if not engines:
            engines.append(ctranslate2.Translator(str(convert(str(model), half)), device=device.partition(":")[0],
                                                  compute_type=half))
        decoded = 0
        for batch in pieces:
            results = engines[0].translate_batch(batch, beam_size=beams, max_decoding_length=tokens,
                                                 min_decoding_length=tokens)
            decoded += sum(len(r.hypotheses[0]) for r in results)
        return decoded

    timed(f"(5) ctranslate2 translate_batch direct {half}, toolkit's batches", direct)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sentences", type=int, default=512)
    parser.add_argument("--tokens", type=int, default=32)
    parser.add_argument("--device", default="cuda", help="cuda (the point of this check), or cpu for a dry run")
    args = parser.parse_args()
    import torch

    name = torch.cuda.get_device_name(0) if args.device == "cuda" else "cpu"
    print(f"device: {name}, torch {torch.__version__}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for row in parity(work, args.device):
            print(json.dumps(row), flush=True)
        for beams in (1, 4):
            for row in throughput(work, args.sentences, args.tokens, beams, args.device):
                print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
