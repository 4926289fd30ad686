"""Translation throughput: the usual way against toolkit, on models in the true shapes of
Helsinki-NLP/opus-mt-en-sq (Marian) and sshleifer/distilbart-cnn-12-6 (BART), random weights.

Run by hand (no download; models are built locally once into --workdir):

    python benchmarks/translate_throughput.py                   # default: about 10 minutes on 2 cores
    python benchmarks/translate_throughput.py --sentences 512 --models marian --decodings greedy

Every system does the same work: the end token is made impossible (its output bias is -1e9) and
every system generates exactly --tokens target tokens per sentence (toolkit's backends stop one
earlier on ct2, where hf spends the last position on the end token; tokens are counted as made).
Each row runs in its own process; peak memory is that process's peak RSS (VmHWM, model included).

Rows: (1) transformers generate() one sentence at a time (what the translation pipeline did; transformers 5
removed that pipeline); (2) the same model, generate() batched 32;
(3) toolkit, hf backend; (4) toolkit, ct2 int8; (5) ctranslate2 translate_batch on pre-tokenised
input with toolkit's thread plan; (5b) the same with one translator using every thread.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
SHAPES = {
    # opus-mt-en-sq: d_model 512, 6+6 layers, 8 heads, ffn 2048, shared vocabulary (size assumed, see README)
    "marian": dict(d_model=512, encoder_layers=6, decoder_layers=6, encoder_attention_heads=8, decoder_attention_heads=8,
                   encoder_ffn_dim=2048, decoder_ffn_dim=2048, max_position_embeddings=512, vocab=58_101),
    # distilbart-cnn-12-6: d_model 1024, 12 encoder + 6 decoder layers, 16 heads, ffn 4096, vocabulary 50264
    "bart": dict(d_model=1024, encoder_layers=12, decoder_layers=6, encoder_attention_heads=16, decoder_attention_heads=16,
                 encoder_ffn_dim=4096, decoder_ffn_dim=4096, max_position_embeddings=1024, vocab=50_264),
}
ROWS = ["pipeline-1", "generate-32", "toolkit-hf", "toolkit-ct2-int8", "ct2-direct", "ct2-direct-1x"]
LABELS = {
    "pipeline-1": "(1) transformers generate, 1 sentence at a time",
    "generate-32": "(2) transformers generate, batches of 32",
    "toolkit-hf": "(3) toolkit --backend hf",
    "toolkit-ct2-int8": "(4) toolkit --backend ct2 (int8)",
    "ct2-direct": "(5) ctranslate2 translate_batch direct (int8)",
    "ct2-direct-1x": "(5b) same, 1 translator x all threads",
}


# --------------------------------------------------------------------------- setup (parent process)

def source_text(paths: list[Path]) -> str:
    texts = [p.read_text("utf-8") for p in paths if p.is_file()]
    if not texts:
        from tests.tiny_models import CORPUS as LINES

        texts = ["\n".join(LINES)]
    return "\n\n".join(texts)


def news_documents(text: str, sentences: int, seed: int = 0) -> list[str]:
    """News-like documents: the corpus's sentences shuffled, varied and regrouped into articles."""
    from toolkit.text.segment import split_sentences

    pool = [s for para in text.split("\n") for s in split_sentences(para.strip(), "en") if len(s.split()) >= 4]
    rng = random.Random(seed)
    places = ["Tirana", "Tehran", "Brussels", "Washington", "Durres", "Vlora", "Geneva", "Ankara"]
    picked = []
    for i in range(sentences):
        words = rng.choice(pool).split()
        words[rng.randrange(len(words))] = rng.choice(places)  # vary, so repeated sentences are not identical
        picked.append(" ".join(words))
    docs, i = [], 0
    while i < len(picked):
        n = rng.randint(4, 12)
        paragraphs = [" ".join(picked[j:j + 3]) for j in range(i, min(i + n, len(picked)), 3)]
        docs.append("\n\n".join(paragraphs))
        i += n
    return docs


def build_model(kind: str, folder: Path, text: str) -> Path:
    """A model of the true shape with random weights and a tokenizer of the true vocabulary size."""
    if (folder / "config.json").is_file():
        return folder
    import sentencepiece as spm
    import torch
    from transformers import (BartConfig, BartForConditionalGeneration, MarianConfig, MarianMTModel, MarianTokenizer)

    shape = dict(SHAPES[kind])
    size = shape.pop("vocab")
    folder.mkdir(parents=True, exist_ok=True)
    lines = [line for line in text.splitlines() if line.strip()]
    spm.SentencePieceTrainer.train(sentence_iterator=iter(lines * 4), model_prefix=str(folder / "sp"), vocab_size=2000,
                                   character_coverage=1.0, hard_vocab_limit=False, pad_id=-1, bos_id=-1, eos_id=1, unk_id=2,
                                   minloglevel=2)
    sp = spm.SentencePieceProcessor(model_file=str(folder / "sp.model"))
    pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    torch.manual_seed(0)
    if kind == "marian":
        vocab = {"</s>": 0, "<unk>": 1}
        for piece in pieces:
            vocab.setdefault(piece, len(vocab))
        for i in range(size - 1 - len(vocab)):  # the rest of a real-sized vocabulary
            vocab[f"▁w{i}"] = len(vocab)
        vocab["<pad>"] = len(vocab)
        for name in ("source.spm", "target.spm"):
            (folder / name).write_bytes((folder / "sp.model").read_bytes())
        (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), "utf-8")
        tokenizer = MarianTokenizer(source_spm=str(folder / "source.spm"), target_spm=str(folder / "target.spm"),
                                    vocab=str(folder / "vocab.json"), model_max_length=512)
        config = MarianConfig(vocab_size=size, pad_token_id=size - 1, eos_token_id=0, decoder_start_token_id=size - 1,
                              forced_eos_token_id=0, **shape)
        model = MarianMTModel(config)
    else:
        from transformers import PreTrainedTokenizerFast
        from tokenizers import Tokenizer, decoders, models, pre_tokenizers
        from tokenizers.processors import TemplateProcessing

        vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
        for piece in pieces:
            vocab.setdefault(piece, len(vocab))
        for i in range(size - len(vocab)):
            vocab[f"▁w{i}"] = len(vocab)
        core = Tokenizer(models.Unigram([(p, -float(i + 1) / 100) for p, i in sorted(vocab.items(), key=lambda x: x[1])], 3))
        core.pre_tokenizer = pre_tokenizers.Metaspace()
        core.decoder = decoders.Metaspace()
        core.post_processor = TemplateProcessing(single="<s> $A </s>", special_tokens=[("<s>", 0), ("</s>", 2)])
        tokenizer = PreTrainedTokenizerFast(tokenizer_object=core, bos_token="<s>", eos_token="</s>", pad_token="<pad>",
                                            unk_token="<unk>", model_max_length=1024)
        config = BartConfig(vocab_size=size, pad_token_id=1, bos_token_id=0, eos_token_id=2, decoder_start_token_id=2,
                            forced_bos_token_id=None, forced_eos_token_id=2, **shape)
        model = BartForConditionalGeneration(config)
    with torch.no_grad():  # the end token can never win: every system generates the full length
        model.final_logits_bias[..., config.eos_token_id] = -1e9
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


# --------------------------------------------------------------------------- one row (child process)

def sentences_of(docs: list[str]) -> list[str]:
    from toolkit.text.segment import split_layout, split_sentences

    return [s for d in docs for line in split_layout(d).lines for s in split_sentences(line, "en")]


def run_row(row: str, model: Path, docs: list[str], tokens: int, beams: int, threads: int) -> dict:
    sentences = sentences_of(docs)
    if row in ("pipeline-1", "generate-32"):
        import torch
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        torch.set_num_threads(threads)
        tokenizer = AutoTokenizer.from_pretrained(model)
        net = AutoModelForSeq2SeqLM.from_pretrained(model).eval()
        options = dict(num_beams=beams, max_new_tokens=tokens, min_new_tokens=tokens, do_sample=False)
        size = 1 if row == "pipeline-1" else 32

        def generate(batch):
            with torch.inference_mode():
                return net.generate(**tokenizer(batch, return_tensors="pt", padding=True), **options)

        generate(sentences[:2])  # warm-up
        start = time.perf_counter()
        for i in range(0, len(sentences), size):
            tokenizer.batch_decode(generate(sentences[i:i + size]), skip_special_tokens=True)
        made = tokens * len(sentences)
    elif row.startswith("toolkit"):
        from toolkit.provenance import DecodingSettings
        from toolkit.translate.engine import translate_texts
        from toolkit.translate.families import LanguageSetup
        from toolkit.translate.factory import build_translator

        decoding = DecodingSettings(beams=beams, max_length_ratio=0, max_length_offset=tokens)
        backend, quantization = ("hf", None) if row == "toolkit-hf" else ("ct2", "int8")
        if "marian" in model.name:
            translator = build_translator("en", "sq", str(model), backend, decoding, quantization=quantization, threads=threads)
        else:  # BART is no translation family: drive it through the same classes with no language handling
            if backend == "hf":
                from toolkit.models.loading import load_seq2seq
                from toolkit.translate.hf import HFTranslator

                import torch

                torch.set_num_threads(threads)
                translator = HFTranslator(load_seq2seq(str(model), "cpu"), "en", "en", decoding, LanguageSetup())
            else:
                from toolkit.models.ct2 import load_ct2
                from toolkit.translate.ct2 import CT2Translator

                translator = CT2Translator(load_ct2(str(model), "int8", "cpu", threads), "en", "en", decoding, LanguageSetup())
        translate_texts(docs[:1], translator)  # warm-up
        start = time.perf_counter()
        translate_texts(docs, translator)
        made = (tokens - (backend == "ct2")) * len(sentences)
    else:
        import ctranslate2
        from transformers import AutoTokenizer

        from toolkit.models.ct2 import convert

        tokenizer = AutoTokenizer.from_pretrained(model)
        inter, intra = (threads, 1) if row == "ct2-direct" else (1, threads)
        engine = ctranslate2.Translator(str(convert(str(model), "int8")), device="cpu", compute_type="int8",
                                        inter_threads=inter, intra_threads=intra)
        batch = [tokenizer.convert_ids_to_tokens(ids) for ids in tokenizer(sentences)["input_ids"]]
        share = -(-len(batch) // inter)  # as toolkit: one share of the batch per parallel translator
        options = dict(beam_size=beams, max_decoding_length=tokens, min_decoding_length=tokens, max_batch_size=min(64, share))
        engine.translate_batch(batch[:2], **options)
        start = time.perf_counter()
        engine.translate_batch(batch, **options)
        made = tokens * len(sentences)
    seconds = time.perf_counter() - start
    return {"row": row, "tokens": made, "seconds": seconds, "sentences": len(sentences),
            "peak_rss_mb": peak_rss_mb()}


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited from the parent)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --------------------------------------------------------------------------- table

def table(results: list[dict]) -> str:
    by = {r["row"]: r for r in results}
    lines = ["| system | target tokens/s | wall s | peak RSS MB |", "|---|---:|---:|---:|"]
    for row in ROWS:
        if row in by:
            r = by[row]
            lines.append(f"| {LABELS[row]} | {r['tokens'] / r['seconds']:.0f} | {r['seconds']:.1f} | {r['peak_rss_mb']:.0f} |")
    rate = {k: v["tokens"] / v["seconds"] for k, v in by.items()}
    if {"toolkit-ct2-int8", "generate-32"} <= set(by):
        lines.append(f"| ratio (4)/(2) speed | {rate['toolkit-ct2-int8'] / rate['generate-32']:.2f}x | | "
                     f"{by['toolkit-ct2-int8']['peak_rss_mb'] / by['generate-32']['peak_rss_mb']:.2f}x memory |")
    if {"toolkit-ct2-int8", "ct2-direct"} <= set(by):
        lines.append(f"| ratio (4)/(5) speed | {rate['toolkit-ct2-int8'] / rate['ct2-direct']:.2f}x | | |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", default="marian,bart", help="marian, bart or both")
    parser.add_argument("--decodings", default="greedy,beam4")
    parser.add_argument("--sentences", type=int, default=0, help="sentences per model (default: marian 48, bart 12)")
    parser.add_argument("--tokens", type=int, default=16, help="target tokens generated per sentence")
    parser.add_argument("--rows", default=",".join(ROWS))
    parser.add_argument("--threads", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--corpus", default=str(CORPUS), help="folder of .txt news articles")
    parser.add_argument("--workdir", default=str(Path.home() / ".cache" / "toolkit-bench"))
    parser.add_argument("--row", help=argparse.SUPPRESS)
    parser.add_argument("--model-dir", help=argparse.SUPPRESS)
    parser.add_argument("--docs", help=argparse.SUPPRESS)
    parser.add_argument("--beams", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.row:  # child: one row, JSON on stdout
        docs = json.loads(Path(args.docs).read_text("utf-8"))
        print(json.dumps(run_row(args.row, Path(args.model_dir), docs, args.tokens, args.beams, args.threads)))
        return
    work = Path(args.workdir)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TOOLKIT_CACHE_DIR": str(work / "cache"), "HF_HUB_OFFLINE": "1"}
    os.environ.update(env)
    text = source_text(sorted(Path(args.corpus).glob("*.txt")))
    print(f"machine: {platform.processor() or platform.machine()}, {len(os.sched_getaffinity(0))} usable cores, "
          f"Python {platform.python_version()}; threads {args.threads}; {args.tokens} target tokens per sentence")
    for kind in args.models.split(","):
        folder = build_model(kind, work / f"{kind}-shape", text)
        from toolkit.models.ct2 import convert

        convert(str(folder), "int8")
        docs = news_documents(text, args.sentences or {"marian": 48, "bart": 12}[kind])
        docs_file = work / f"{kind}-docs.json"
        docs_file.write_text(json.dumps(docs), "utf-8")
        for decoding in args.decodings.split(","):
            beams = 1 if decoding == "greedy" else int(decoding.removeprefix("beam"))
            results = []
            for row in args.rows.split(","):
                cmd = [sys.executable, __file__, "--row", row, "--model-dir", str(folder), "--docs", str(docs_file),
                       "--tokens", str(args.tokens), "--beams", str(beams), "--threads", str(args.threads)]
                done = subprocess.run(cmd, capture_output=True, text=True, env=env)
                if done.returncode:
                    sys.exit(f"{row} failed:\n{done.stderr[-3000:]}")
                results.append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(f"\n{kind} ({SHAPES[kind]['d_model']}-d, {SHAPES[kind]['encoder_layers']}+{SHAPES[kind]['decoder_layers']} "
                  f"layers, vocab {SHAPES[kind]['vocab']}), {decoding}, {results[0]['sentences']} sentences\n")
            print(table(results), flush=True)


if __name__ == "__main__":
    main()
