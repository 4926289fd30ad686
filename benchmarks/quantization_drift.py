"""What quantisation and reduced precision cost: chrF of ct2 output (each compute type, the
default this machine picks included) and of hf bfloat16 output (the default on CPUs with AMX or
AVX-512 BF16) against hf float32 output of the same model.

    python benchmarks/quantization_drift.py                                 # the tiny test models
    python benchmarks/quantization_drift.py --model Helsinki-NLP/opus-mt-en-sq --to sq   # real weights

The hf float32 output is the reference; 100 means the quantised model says exactly the same.
Inputs: the sentences of the news articles in /work/shared/corpus (or --input FILE, one per line).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def sentences(path: str | None) -> list[str]:
    from toolkit.text.segment import split_sentences

    if path:
        return [line.strip() for line in Path(path).read_text("utf-8").splitlines() if line.strip()]
    text = "\n".join(p.read_text("utf-8") for p in sorted((ROOT.parent / "shared" / "corpus").glob("*.txt")))
    if not text:
        from tests.tiny_models import CORPUS

        return list(CORPUS)
    return [s for line in text.splitlines() for s in split_sentences(line.strip(), "en")]


def tiny_models(folder: Path) -> list[tuple[str, str]]:
    from tests import tiny_models as tiny

    sp = tiny.train_sentencepiece(folder / "spm")
    return [(str(tiny.build_marian(folder / "marian", sp)), "sq"),
            (str(tiny.build_m2m100(folder / "m2m100", sp)), "fa"),
            (str(tiny.build_nllb(folder / "nllb", sp)), "sq")]


def model_parser(description: str) -> argparse.ArgumentParser:
    """The options of a benchmark over models: --model, --to, --from, --input."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", action="append", help="model id or folder (repeatable); default: tiny test models")
    parser.add_argument("--to", default="sq", help="target language for --model")
    parser.add_argument("--from", dest="source", default="en")
    parser.add_argument("--input", help="sentences, one per line")
    return parser


def main() -> None:
    parser = model_parser(__doc__)
    parser.add_argument("--quantization", default="default,int8,int8_float32,float32",
                        help="ct2 compute types; default: what toolkit picks on this machine")
    parser.add_argument("--dtypes", default="bfloat16", help="hf dtypes besides the float32 reference")
    parser.add_argument("--beams", type=int, default=1)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sacrebleu.metrics import CHRF

    from toolkit.provenance import DecodingSettings
    from toolkit.translate.engine import translate_texts
    from toolkit.models.ct2 import default_quantization
    from toolkit.translate.factory import build_translator

    lines = sentences(args.input)
    models = [(m, args.to) for m in args.model] if args.model else tiny_models(Path(tempfile.mkdtemp(prefix="drift-")))
    decoding = DecodingSettings(beams=args.beams)
    print(f"{len(lines)} sentences, beams {args.beams}; reference: hf float32 output of the same model\n")
    print("| model | target | backend | precision | chrF vs hf fp32 | identical sentences |")
    print("|---|---|---|---|---:|---:|")
    picked = default_quantization("cpu")
    systems = [("ct2", picked if q == "default" else q, q == "default") for q in args.quantization.split(",")]
    systems += [("hf", d, False) for d in args.dtypes.split(",") if d]
    for model, target in models:
        reference = translate_texts(lines, build_translator(args.source, target, model, "hf", decoding, dtype="float32"))
        for backend, precision, is_default in systems:
            options = {"dtype": precision} if backend == "hf" else {"quantization": precision}
            output = translate_texts(lines, build_translator(args.source, target, model, backend, decoding, **options))
            chrf = CHRF().corpus_score(output, [reference]).score
            same = sum(a == b for a, b in zip(output, reference)) / len(lines)
            name = Path(model).name if Path(model).exists() else model
            label = f"{precision} (default here)" if is_default else precision
            print(f"| {name} | {target} | {backend} | {label} | {chrf:.1f} | {same:.0%} |", flush=True)


if __name__ == "__main__":
    main()
