"""Is one sentence always one translation? How many of N sentences come back different when
translated in a batch rather than alone, on a model in the true shape of Helsinki-NLP/opus-mt-en-sq
(random weights, built as benchmarks/translate_throughput.py builds it), for each engine and
precision. Every row goes through toolkit's own translator (each sentence cut to its own length
bound), so a difference is the engine's arithmetic changing with the batch (padding, batch size,
kernels chosen by shape), never the bound. Counts, not timings: a busy machine changes nothing.

    python benchmarks/batch_drift.py                      # 24 sentences, the four configurations
    python benchmarks/batch_drift.py --sentences 48 --configs "ct2 int8,ct2 float32"

Rows, each against the same configuration's "alone" outputs (one sentence per call, one thread):
  sorted, batches of B   the sentences sorted by length, B per call (least padding), one thread
  unsorted, batches of B in input order, B per call (more padding), one thread
  toolkit default        the engine's own batching (token budget, length-sorted; ct2: one part per core)
  TOOLKIT_BATCH_TOKENS=16 the engine's batching with the least budget allowed: every sentence over 8
                         tokens alone
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from translate_throughput import CORPUS, build_model, sentence_file, source_text  # noqa: E402

CONFIGS = {  # name: (backend, build_translator options)
    "ct2 int8": ("ct2", {"quantization": "int8"}),
    "ct2 float32": ("ct2", {"quantization": "float32"}),
    "hf float32": ("hf", {"dtype": "float32"}),
    "hf bfloat16": ("hf", {"dtype": "bfloat16"}),
}


def batched(translator, sentences: list[str], size: int, by_length: bool) -> list[str]:
    """Translations of ``sentences`` (in their order), ``size`` per call, sorted by length or not."""
    lengths = translator.count_tokens(sentences)
    order = sorted(range(len(sentences)), key=lengths.__getitem__) if by_length else list(range(len(sentences)))
    out: dict[int, str] = {}
    for start in range(0, len(order), size):
        part = order[start:start + size]
        out.update(zip(part, translator.translate_batch([sentences[i] for i in part])))
    return [out[i] for i in range(len(sentences))]


def engine(translator, sentences: list[str], budget: int | None) -> list[str]:
    """Translations through the engine's batching (``translate_units``) with ``budget`` padded tokens."""
    from toolkit.translate.engine import default_batch_tokens, translate_units

    lengths = dict(zip(sentences, translator.count_tokens(sentences)))
    return translate_units(sentences, translator, budget or default_batch_tokens(translator), lengths)


def drift(name: str, model: Path, sentences: list[str], sizes: list[int]) -> tuple[list[str], list[tuple[str, int]]]:
    """The configuration's outputs alone, and per batching row how many outputs differ from them."""
    from toolkit.translate.factory import build_translator

    backend, options = CONFIGS[name]
    single = build_translator("en", "sq", str(model), backend, threads=1, **options)
    alone = [single.translate_batch([s])[0] for s in sentences]
    rows = [(f"sorted, batches of {n}", batched(single, sentences, n, True)) for n in sizes]
    rows.append((f"unsorted, batches of {sizes[-1]}", batched(single, sentences, sizes[-1], False)))
    default = build_translator("en", "sq", str(model), backend, **options)  # every usable core
    rows.append(("toolkit default", engine(default, sentences, None)))
    rows.append(("TOOLKIT_BATCH_TOKENS=16", engine(default, sentences, 16)))
    return alone, [(row, sum(a != b for a, b in zip(alone, out))) for row, out in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sentences", type=int, default=24)
    parser.add_argument("--sizes", default="4,8,16", help="batch sizes of the sorted rows (the last one also unsorted)")
    parser.add_argument("--configs", default=",".join(CONFIGS), help=f"of: {', '.join(CONFIGS)}")
    parser.add_argument("--corpus", default=str(CORPUS), help="folder of .txt news articles")
    parser.add_argument("--workdir", default=str(Path.home() / ".cache" / "toolkit-bench"))
    args = parser.parse_args()
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    empty_config = work / "empty-config.toml"
    empty_config.write_text("")
    os.environ.update({"TOOLKIT_CACHE_DIR": str(work / "cache"), "HF_HUB_OFFLINE": "1", "TOOLKIT_CONFIG": str(empty_config)})
    text = source_text(sorted(Path(args.corpus).glob("*.txt")))
    model = build_model("marian", work / "marian-shape", text)
    sentences = list(dict.fromkeys(sentence_file(work, text, args.sentences).read_text("utf-8").splitlines()))
    configs = [c.strip() for c in args.configs.split(",")]
    unknown = [c for c in configs if c not in CONFIGS]
    if unknown:
        parser.error(f"--configs: unknown {', '.join(unknown)} (use: {', '.join(CONFIGS)})")
    sizes = [int(n) for n in args.sizes.split(",")]
    print(f"{len(sentences)} sentences, opus-mt-en-sq shape, random weights, greedy, {len(os.sched_getaffinity(0))} cores")
    print("| configuration | batching | outputs unlike alone |\n|---|---|---:|")
    alone = {}
    for name in configs:
        alone[name], rows = drift(name, model, sentences, sizes)
        for row, differ in rows:
            print(f"| {name} | {row} | {differ} of {len(sentences)} |", flush=True)
    # That the count can see a difference: the configurations' alone outputs against each other.
    first = configs[0]
    for name in configs[1:]:
        differ = sum(a != b for a, b in zip(alone[first], alone[name]))
        print(f"| {name} against {first}, both alone | precision, not batching | {differ} of {len(sentences)} |")


if __name__ == "__main__":
    main()
