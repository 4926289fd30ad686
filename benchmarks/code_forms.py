"""Which marker form a translation model keeps best: the form the toolkit shows the model in place of a
protected span (a URL, a placeholder, a glossary term; ``toolkit.text.codes.MARKER``).

    python benchmarks/code_forms.py                                              # the tiny test models
    python benchmarks/code_forms.py --model Helsinki-NLP/opus-mt-en-sq --to sq   # real weights
    python benchmarks/code_forms.py --model facebook/nllb-200-distilled-600M --to fa

For each form, on each model:
- pieces: source tokens one marker takes (fewer leaves the model less to garble);
- unknown: whether the model's vocabulary lacks a character of it (it becomes <unk>: never copied);
- round trip: whether the target tokenizer encodes and decodes it back exactly (else the model cannot
  even write it);
- copied: of the sentences with two markers put in, those whose translation has each marker exactly
  once, as written (what ``restore`` finds without repairing anything).
Only the last says what a model does; on the tiny random-weight test models it says nothing (they
copy nothing): run it on real weights. Inputs: the sentences of the news articles in
/work/shared/corpus (or --input FILE, one per line).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FORMS = {
    "brackets": "[{n}]", "braces": "{{{n}}}", "xliff-tag": "<x{n}/>", "angle": "<{n}>", "underscores": "__{n}__",
    "hash": "#{n}", "math-brackets": "\u27e6{n}\u27e7", "caps-word": "XZ{n}",
}


def with_markers(sentence: str, form: str) -> str:
    """The sentence with marker 1 after its first word and marker 2 before its last."""
    words = sentence.split()
    if len(words) < 3:
        return f"{form.format(n=1)} {sentence} {form.format(n=2)}"
    return " ".join([words[0], form.format(n=1), *words[1:-1], form.format(n=2), words[-1]])


def tokenizer_figures(model: str, form: str) -> tuple[int, bool, bool]:
    """(source pieces of one marker, a character unknown to the vocabulary, exact target round trip)."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model)
    marker = form.format(n=1)
    ids = tokenizer(marker, add_special_tokens=False)["input_ids"]
    unknown = tokenizer.unk_token_id in ids
    target_ids = tokenizer(text_target=marker, add_special_tokens=False)["input_ids"]
    return len(ids), unknown, tokenizer.decode(target_ids, skip_special_tokens=True).strip() == marker


def tiny_models(folder: Path) -> list[tuple[str, str]]:
    from tests import tiny_models as tiny

    sp = tiny.train_sentencepiece(folder / "spm")
    return [(str(tiny.build_opus_marian(folder / "opus-marian")), "sq"),
            (str(tiny.build_nllb(folder / "nllb", sp)), "fa")]


def main() -> None:
    from benchmarks.quantization_drift import model_parser, sentences

    parser = model_parser(__doc__)
    parser.add_argument("--limit", type=int, default=200, help="sentences per form")
    parser.add_argument("--backend", default="auto")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from toolkit.translate.factory import build_translator

    lines = sentences(args.input)[:args.limit]
    models = [(m, args.to) for m in args.model] if args.model else tiny_models(Path(tempfile.mkdtemp(prefix="forms-")))
    print(f"{len(lines)} sentences per form, two markers each\n")
    print("| model | target | form | marker | pieces | unknown | round trip | copied |")
    print("|---|---|---|---|---:|---|---|---:|")
    for model, target in models:
        translator = build_translator(args.source, target, model, args.backend, memory=None)
        for name, form in FORMS.items():
            pieces, unknown, round_trip = tokenizer_figures(model, form)
            marked = [with_markers(s, form) for s in lines]
            marked = [m for m, n in zip(marked, translator.count_tokens(marked)) if n <= translator.max_input_tokens]
            outputs = translator.translate_batch(marked)
            copied = sum(all(out.count(form.format(n=n)) == 1 for n in (1, 2)) for out in outputs) / max(len(marked), 1)
            label = Path(model).name if Path(model).exists() else model
            print(f"| {label} | {target} | {name} | `{form.format(n=1)}` | {pieces} | {'yes' if unknown else 'no'} | "
                  f"{'exact' if round_trip else 'changed'} | {copied:.0%} |", flush=True)


if __name__ == "__main__":
    main()
