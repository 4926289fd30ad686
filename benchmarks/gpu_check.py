"""GPU check, run by hand on a CUDA machine: both backends on the GPU, against the CPU and each other.

    python benchmarks/gpu_check.py [--sentences 512] [--tokens 32]

1. Tiny Marian, M2M100 and NLLB models (tests/tiny_models.py): greedy hf output on CUDA against
   hf on the CPU (float32, should be identical), and ct2 float16 / int8_float16 on CUDA against
   hf float32 (chrF of one against the other: what reduced precision costs).
2. Throughput on a Marian model in the true shape of opus-mt-en-sq (random weights, end token
   suppressed so every system makes exactly --tokens tokens per sentence): transformers
   generate() batched 32, toolkit hf, toolkit ct2 float16, ctranslate2 translate_batch direct.
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
    import ctranslate2
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    import translate_throughput as tt
    from toolkit.models.ct2 import convert
    from toolkit.provenance import DecodingSettings
    from toolkit.translate.engine import translate_texts
    from toolkit.translate.factory import build_translator

    model = tt.build_model("marian", work / "opus-mt-en-sq-shape", tt.source_text([ROOT / "examples" / "article-en.md"]))
    docs = tt.news_documents(tt.source_text([ROOT / "examples" / "article-en.md"]), n_sentences)
    sentences = tt.sentences_of(docs)
    made = len(sentences) * tokens
    rows = []

    def sync():
        if device == "cuda":
            torch.cuda.synchronize()

    def timed(label, run):
        try:
            run()  # warm-up (CUDA kernels, allocator), not timed
            sync()
            start = time.perf_counter()
            run()
            sync()
        except Exception as exc:  # report and go on with the other systems
            rows.append({"system": label, "beams": beams, "failed": str(exc)})
            return
        seconds = time.perf_counter() - start
        rows.append({"system": label, "beams": beams, "tokens/s": round(made / seconds), "seconds": round(seconds, 2)})

    tokenizer = AutoTokenizer.from_pretrained(model)
    hf_model = AutoModelForSeq2SeqLM.from_pretrained(model).to(device).eval()

    def generate_32():
        with torch.inference_mode():
            for i in range(0, len(sentences), 32):
                batch = tokenizer(sentences[i:i + 32], return_tensors="pt", padding=True).to(device)
                hf_model.generate(**batch, num_beams=beams, max_new_tokens=tokens, min_new_tokens=tokens)

    timed("(2) transformers generate, batches of 32", generate_32)
    hf_model = None  # free its GPU memory before the toolkit rows
    fixed = DecodingSettings(beams=beams, max_length_ratio=0, max_length_offset=tokens)
    half = "float16" if device == "cuda" else "int8"
    for label, backend, quantization in [("(3) toolkit hf", "hf", None), (f"(4) toolkit ct2 {half}", "ct2", half)]:
        timed(label, lambda: translate_texts(
            docs, build_translator("en", "sq", str(model), backend, fixed, device=device, quantization=quantization),
            batch_tokens=16384))
    pieces = [tokenizer.convert_ids_to_tokens(tokenizer(s)["input_ids"]) for s in sentences]
    engines = []  # loaded once, in the untimed warm-up

    def direct():
        if not engines:
            engines.append(ctranslate2.Translator(str(convert(str(model), half)), device=device, compute_type=half))
        engines[0].translate_batch(pieces, max_batch_size=64, beam_size=beams, max_decoding_length=tokens,
                                   min_decoding_length=tokens)

    timed("(5) ctranslate2 translate_batch direct", direct)
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
