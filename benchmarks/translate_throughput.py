"""Speed, measured whole-process and side by side: toolkit against the plain ways, on models in
the true shapes of Helsinki-NLP/opus-mt-en-sq (Marian) and sshleifer/distilbart-cnn-12-6 (BART)
with random weights. Run by hand (no download; models are built once into --workdir):

    python benchmarks/translate_throughput.py                        # every part, sizes 96 and 1000
    python benchmarks/translate_throughput.py --parts translate --sizes 96 --repeats 3

Parts (each row: the median of --repeats whole-process runs, with min and max; within a repeat
the systems of a part run one after the other, so they share the machine's state):
  translate      toolkit translate --backend ct2 (int8) / a plain 15-line CTranslate2 int8 script
                 (length-sorted batches of 32, inter_threads = cores) / a transformers generate
                 script (float32, the same batches), on each of --sizes sentences: words/s of
                 source text, tokens really decoded per second, peak memory (maxrss)
  memory         toolkit translate on 300 sentences: one first run (empty translation memory),
                 then re-runs the memory serves entirely
  help           toolkit --help
  summary        toolkit summarize --backend ct2 on a long article (chunked, beams 4) against a
                 transformers generate script over the same chunk prompts and length bounds
  compute-types  toolkit translate --backend ct2 with each compute type this CPU supports
                 (ctranslate2.get_supported_compute_types): the measurement behind the default
  trust          (not in the default parts) toolkit translate with protected spans, a glossary and
                 the segment checks against the same run with all three off, on --trust-size sentences
  documents      (not in the default parts) --documents news articles as Word documents against the
                 same paragraphs as .txt files, each folder through toolkit translate --backend ct2

Output lengths are forced: the end token's output bias is -1e9, so every system decodes to its
length bound. Every translation system uses toolkit's bound, 2 x the longest source of a batch
+ 10 (ct2 stops one position earlier, where transformers spends it on the forced end token).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
SHAPES = {
    # opus-mt-en-sq: d_model 512, 6+6 layers, 8 heads, ffn 2048, shared vocabulary (size assumed, see docs/speed.md)
    "marian": dict(d_model=512, encoder_layers=6, decoder_layers=6, encoder_attention_heads=8, decoder_attention_heads=8,
                   encoder_ffn_dim=2048, decoder_ffn_dim=2048, max_position_embeddings=512, vocab=58_101),
    # distilbart-cnn-12-6: d_model 1024, 12 encoder + 6 decoder layers, 16 heads, ffn 4096, vocabulary 50264
    "bart": dict(d_model=1024, encoder_layers=12, decoder_layers=6, encoder_attention_heads=16, decoder_attention_heads=16,
                 encoder_ffn_dim=4096, decoder_ffn_dim=4096, max_position_embeddings=1024, vocab=50_264),
}

# The plain CTranslate2 script (15 lines): what a user of ctranslate2 writes. argv: model, input, tokenizer folder.
PLAIN_CT2 = r"""
import os, sys, ctranslate2, sentencepiece as spm
sp = spm.SentencePieceProcessor(model_file=os.path.join(sys.argv[3], "source.spm"))
lines = open(sys.argv[2], encoding="utf-8").read().splitlines()
tokens = [sp.encode(line, out_type=str) + ["</s>"] for line in lines]
order = sorted(range(len(lines)), key=lambda i: len(tokens[i]))
batches = [order[i:i + 32] for i in range(0, len(order), 32)]
cores = len(os.sched_getaffinity(0))
engine = ctranslate2.Translator(sys.argv[1], device="cpu", compute_type="int8", inter_threads=cores, intra_threads=1)
# beam_size=1: greedy, as toolkit decodes (ctranslate2's own default is 2); the same bound as toolkit's.
pending = [(b, engine.translate_batch([tokens[i] for i in b], beam_size=1,
                                     max_decoding_length=2 * max(len(tokens[i]) for i in b) + 9,
                                     asynchronous=True)) for b in batches]
out = {i: r.result().hypotheses[0] for b, results in pending for i, r in zip(b, results)}
print("\n".join(sp.decode(out[i]) for i in range(len(lines))))
print('{"decoded": %d}' % sum(len(h) for h in out.values()), file=sys.stderr)
"""

# The transformers script: generate() in float32 on the same batches. argv: model folder, input.
PLAIN_GENERATE = r"""
import json, os, sys, torch
from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
torch.set_num_threads(len(os.sched_getaffinity(0)))
tokenizer = AutoTokenizer.from_pretrained(sys.argv[1])
model = AutoModelForSeq2SeqLM.from_pretrained(sys.argv[1]).eval()
lines = open(sys.argv[2], encoding="utf-8").read().splitlines()
lengths = [len(ids) for ids in tokenizer(lines)["input_ids"]]
order = sorted(range(len(lines)), key=lambda i: lengths[i])
out, decoded = {}, 0
for start in range(0, len(order), 32):
    batch = order[start:start + 32]
    inputs = tokenizer([lines[i] for i in batch], return_tensors="pt", padding=True)
    with torch.inference_mode():
        ids = model.generate(**inputs, max_new_tokens=2 * inputs["input_ids"].shape[1] + 10, num_beams=1, do_sample=False)
    decoded += (ids.shape[1] - 1) * len(batch)
    out.update(zip(batch, tokenizer.batch_decode(ids, skip_special_tokens=True)))
print("\n".join(out[i] for i in range(len(lines))))
print(json.dumps({"decoded": decoded}), file=sys.stderr)
"""

# transformers generate over the chunk prompts toolkit summarised (argv: model folder, calls JSON), beams 4.
SUMMARY_GENERATE = r"""
import json, os, sys, torch
from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
torch.set_num_threads(len(os.sched_getaffinity(0)))
tokenizer = AutoTokenizer.from_pretrained(sys.argv[1])
model = AutoModelForSeq2SeqLM.from_pretrained(sys.argv[1]).eval()
decoded = 0
for call in json.loads(open(sys.argv[2], encoding="utf-8").read()):
    for start in range(0, len(call["prompts"]), 4):
        inputs = tokenizer(call["prompts"][start:start + 4], return_tensors="pt", padding=True)
        with torch.inference_mode():
            ids = model.generate(**inputs, num_beams=4, no_repeat_ngram_size=3, early_stopping=True, do_sample=False,
                                 min_new_tokens=call["min"], max_new_tokens=call["max"])
        decoded += (ids.shape[1] - 1) * ids.shape[0]
        print(tokenizer.batch_decode(ids, skip_special_tokens=True))
print(json.dumps({"decoded": decoded}), file=sys.stderr)
"""

PLACES = ["Tirana", "Tehran", "Brussels", "Washington", "Durres", "Vlora", "Geneva", "Ankara"]
TOOLKIT = [sys.executable, "-c", "from toolkit.cli import main; main()"]


# --------------------------------------------------------------------------- inputs and models

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
    picked = []
    for i in range(sentences):
        words = rng.choice(pool).split()
        words[rng.randrange(len(words))] = rng.choice(PLACES)  # vary, so repeated sentences are not identical
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
    lines = [line for line in text.splitlines() if line.strip()] + [" ".join(PLACES)]
    # One piece per word (the corpus is too small to train a real subword vocabulary): about 1.1
    # tokens per word, close to opus-mt-en-sq's own (about 1.3) on English news.
    spm.SentencePieceTrainer.train(sentence_iterator=iter(lines * 4), model_prefix=str(folder / "sp"), vocab_size=8000,
                                   model_type="word", character_coverage=1.0, hard_vocab_limit=False, pad_id=-1, bos_id=-1,
                                   eos_id=1, unk_id=2, minloglevel=2)
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




def sentence_file(work: Path, text: str, count: int) -> Path:
    """``count`` news sentences, one per line (toolkit keeps each line a segment)."""
    from toolkit.text.segment import split_layout, split_sentences

    docs = news_documents(text, count)
    lines = [s for d in docs for line in split_layout(d).lines for s in split_sentences(line, "en")][:count]
    path = work / f"sentences-{count}.txt"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def long_article(text: str, words: int, seed: int = 1) -> str:
    """A long news-like article: the corpus's sentences shuffled into paragraphs up to ``words`` words."""
    docs = news_documents(text, max(8, words // 12), seed)
    article, total = [], 0
    for doc in docs:
        article.append(doc)
        total += len(doc.split())
        if total >= words:
            break
    return "\n\n".join(article)


# --------------------------------------------------------------------------- measuring

# Runs a command in a grandchild and reports that process's own peak memory: a child forked from
# this (large) process would inherit its resident size in ru_maxrss, a grandchild of a small one does not.
LAUNCH = [sys.executable, "-c", r"""
import os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
print('{"launch": [%f, %f, %d]}' % (time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss),
      file=sys.stderr)
sys.exit(os.waitstatus_to_exitcode(status))
"""]


def measured(cmd: list[str], env: dict) -> dict:
    """One whole process: wall seconds (fork to exit), CPU seconds, its own peak resident memory,
    and the tokens it says it decoded."""
    done = subprocess.run(LAUNCH + cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          env=env, text=True)
    if done.returncode:
        sys.exit(f"failed ({done.returncode}): {' '.join(map(str, cmd[:8]))} ...\n{done.stderr[-3000:]}")
    lines = done.stderr.splitlines()
    seconds, cpu, peak_kb = next(json.loads(line)["launch"] for line in lines if line.startswith('{"launch"'))
    decoded = next((json.loads(line)["decoded"] for line in lines if line.startswith('{"decoded"')), None)
    return {"seconds": seconds, "cpu": cpu, "peak_mb": peak_kb / 1024, "decoded": decoded}


def spread(values: list[float], fmt: str = "{:.2f}") -> str:
    return f"{fmt.format(statistics.median(values))} ({fmt.format(min(values))}-{fmt.format(max(values))})"


def table(title: str, rows: dict[str, list[dict]], words: int | None, reference: str | None) -> str:
    """Median (min-max) per system, and ratios of medians against ``reference``."""
    lines = [f"\n{title}\n", "| system | wall s | CPU s | words/s | decoded tokens/s | peak MB | speed vs ref | memory vs ref |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    ref = rows.get(reference) if reference else None
    for name, runs in rows.items():
        seconds = [r["seconds"] for r in runs]
        peak = [r["peak_mb"] for r in runs]
        rate = spread([words / s for s in seconds], "{:.0f}") if words else ""
        decoded = [r["decoded"] / r["seconds"] for r in runs if r.get("decoded")]
        speed = memory = ""
        if ref:
            speed = f"{statistics.median(r['seconds'] for r in ref) / statistics.median(seconds):.2f}x"
            memory = f"{statistics.median(peak) / statistics.median(r['peak_mb'] for r in ref):.2f}x"
        lines.append(f"| {name} | {spread(seconds)} | {spread([r['cpu'] for r in runs])} | {rate} | {spread(decoded, '{:.0f}') if decoded else ''} | "
                     f"{spread(peak, '{:.0f}')} | {speed} | {memory} |")
    return "\n".join(lines)


def toolkit_decoded(model: Path, path: Path, env: dict) -> int:
    """Tokens toolkit decodes for a file: its own batches (length-sorted, token-budgeted), each cut
    into one part per parallel translator (``even_parts``), each part to its own longest sentence's bound."""
    os.environ.update(env)
    from toolkit.models.backends.ct2 import even_parts
    from toolkit.text.codes import Protection
    from toolkit.translate.engine import _prepare, batches_by_tokens, default_batch_tokens
    from toolkit.translate.factory import build_translator

    translator = build_translator("en", "sq", str(model), "ct2", quantization="int8")
    docs, lengths = _prepare([path.read_text("utf-8")], translator, Protection(), [False])
    units = list(dict.fromkeys(p.text for d in docs for line in d.lines for p, _ in line))
    bound, ceiling = translator.decoding.max_new_tokens, translator.model.info.max_positions
    decoded = 0
    for group in batches_by_tokens([lengths[u] for u in units], default_batch_tokens(translator)):
        bounds = sorted((bound(lengths[units[i]], ceiling) for i in group), reverse=True)
        cuts = even_parts(bounds, translator.workers)
        decoded += sum((end - start) * (bounds[start] - 1) for start, end in zip([0, *cuts], [*cuts, len(bounds)]))
    return decoded


# --------------------------------------------------------------------------- parts

def part_translate(work: Path, model: Path, text: str, sizes: list[int], repeats: int, env: dict,
                   generate_sizes: set[int]) -> None:
    from toolkit.models.ct2 import convert

    converted = str(convert(str(model), "int8"))
    for size in sizes:
        path = sentence_file(work, text, size)
        words = len(path.read_text("utf-8").split())
        decoded = toolkit_decoded(model, path, env)
        systems = {
            "toolkit translate --backend ct2": TOOLKIT + ["translate", str(path), "--to", "sq", "--model", str(model),
                                                          "--backend", "ct2", "--quantization", "int8", "--no-cache", "-q"],
            "plain CTranslate2 script (int8)": [sys.executable, "-c", PLAIN_CT2, converted, str(path), str(model)],
        }
        if size in generate_sizes:
            systems["transformers generate (float32)"] = [sys.executable, "-c", PLAIN_GENERATE, str(model), str(path)]
        rows: dict[str, list[dict]] = {name: [] for name in systems}
        for _ in range(repeats):
            for name, cmd in systems.items():
                rows[name].append(measured(cmd, env))
        for r in rows["toolkit translate --backend ct2"]:
            r["decoded"] = decoded
        print(table(f"translate: {size} sentences, {words} words, greedy, {repeats} runs each (median (min-max))",
                    rows, words, "plain CTranslate2 script (int8)"), flush=True)


def part_memory(work: Path, model: Path, text: str, repeats: int, env: dict) -> None:
    """One first run fills an empty translation memory (timed, but one run: it is the setup), then
    ``repeats`` re-runs that the memory serves entirely."""
    path = sentence_file(work, text, 300)
    cmd = TOOLKIT + ["translate", str(path), "--to", "sq", "--model", str(model), "--backend", "ct2", "-q"]
    for f in Path(env["TOOLKIT_CACHE_DIR"]).glob("translation-memory.sqlite3*"):
        f.unlink()  # an empty translation memory
    rows = {"first run, empty translation memory (1 run)": [measured(cmd, env)],
            "re-run served by the memory": [measured(cmd, env) for _ in range(repeats)]}
    print(table("memory: toolkit translate --backend ct2, 300 sentences", rows, None,
                "first run, empty translation memory (1 run)"), flush=True)


def part_help(repeats: int, env: dict) -> None:
    rows = {"toolkit --help": [measured(TOOLKIT + ["--help"], env) for _ in range(max(5, repeats))]}
    print(table(f"start-up: {max(5, repeats)} runs", rows, None, None), flush=True)


def part_summary(work: Path, text: str, words: int, max_words: int, repeats: int, env: dict) -> None:
    os.environ.update(env)
    from toolkit.models.ct2 import convert
    from toolkit.summarize.abstractive import DECODING, Seq2SeqSummarizer
    from toolkit.summarize.base import SummaryLength

    model = build_model("bart", work / "bart-shape", text)
    convert(str(model), "int8")
    article = work / "article.txt"
    article.write_text(long_article(text, words), "utf-8")
    # The chunk prompts and length bounds toolkit generates for, recorded once in this process.
    summarizer = Seq2SeqSummarizer(str(model), None, DECODING, "int8", "ct2")
    calls = []
    generate = summarizer.generate_prompts

    def record(prompts, low, high):
        calls.append({"prompts": list(prompts), "min": low, "max": high})
        return generate(prompts, low, high)

    summarizer.generate_prompts = record
    summary = summarizer.summarize(article.read_text("utf-8"), "en", SummaryLength(max_words=max_words))
    calls_file = work / "summary-calls.json"
    calls_file.write_text(json.dumps(calls), "utf-8")
    systems = {
        "toolkit summarize --backend ct2 (int8)": TOOLKIT + ["summarize", str(article), "--from", "en", "--summary-model", str(model),
                                                             "--backend", "ct2", "--quantization", "int8",
                                                             "--max-words", str(max_words)],
        "transformers generate (float32), same chunks": [sys.executable, "-c", SUMMARY_GENERATE, str(model), str(calls_file)],
    }
    rows: dict[str, list[dict]] = {name: [] for name in systems}
    for _ in range(repeats):
        for name, cmd in systems.items():
            rows[name].append(measured(cmd, env))
    prompts = sum(len(c["prompts"]) for c in calls)
    print(table(f"summary: {len(article.read_text('utf-8').split())}-word article, {summary.chunking.chunks} chunks, "
                f"{len(calls)} generate calls ({prompts} prompts), beams 4, {repeats} runs each", rows, None,
                "transformers generate (float32), same chunks"), flush=True)


def part_compute_types(work: Path, model: Path, text: str, size: int, repeats: int, env: dict) -> None:
    import ctranslate2

    from toolkit.models.ct2 import convert

    path = sentence_file(work, text, size)
    words = len(path.read_text("utf-8").split())
    types = sorted(ctranslate2.get_supported_compute_types("cpu"))
    for compute_type in types:
        convert(str(model), compute_type)
    rows: dict[str, list[dict]] = {t: [] for t in types}
    for _ in range(repeats):
        for t in types:
            rows[t].append(measured(TOOLKIT + ["translate", str(path), "--to", "sq", "--model", str(model), "--backend",
                                               "ct2", "--quantization", t, "--no-cache", "-q"], env))
    print(table(f"compute types: toolkit translate --backend ct2, {size} sentences, {repeats} runs each", rows, words,
                "float32" if "float32" in rows else None), flush=True)


def part_trust(work: Path, model: Path, text: str, size: int, repeats: int, env: dict) -> None:
    """The cost of trust: toolkit translate with protected spans, a glossary and the segment checks
    (flags) against the same run with all three off (issue 18: at most 5% of throughput)."""
    path = sentence_file(work, text, size)
    words = len(path.read_text("utf-8").split())
    glossary = work / "trust-glossary.tsv"
    glossary.write_text("source\tsq\nPrime Minister\tKryeministri\nUnited Nations\tKombet e Bashkuara\nTirana\t=\n", "utf-8")
    common = TOOLKIT + ["translate", str(path), "--to", "sq", "--model", str(model), "--backend", "ct2", "--quantization",
                        "int8", "--no-cache", "-q", "--out", str(work / "trust-out.jsonl"), "--restart"]
    systems = {"protect + glossary + flags": common + ["--glossary", str(glossary)],
               "--no-protect --no-flags, no glossary": common + ["--no-protect", "--no-flags"]}
    rows: dict[str, list[dict]] = {name: [] for name in systems}
    for _ in range(repeats):
        for name, cmd in systems.items():
            rows[name].append(measured(cmd, env))
    print(table(f"trust: toolkit translate --backend ct2, {size} sentences, {repeats} runs each", rows, words,
                "--no-protect --no-flags, no glossary"), flush=True)


def part_documents(work: Path, model: Path, text: str, count: int, repeats: int, env: dict) -> None:
    """Documents against plain text (issue 19: at most 1.2x): ``count`` news articles as Word documents
    (python-docx: a heading, then paragraphs, every other one with a bold phrase inside a sentence) and
    the very same heading and paragraphs as .txt files, each folder translated by toolkit translate
    --backend ct2."""
    import docx  # python-docx, in the dev extra

    articles = news_documents(text, count * 8, seed=3)[:count]
    folders = {"docx": work / "documents-docx", "txt": work / "documents-txt"}
    for folder in folders.values():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    for n, article in enumerate(articles):
        paragraphs = article.split("\n\n")
        heading = paragraphs[0].split(".")[0]
        (folders["txt"] / f"article-{n:02d}.txt").write_text(f"{heading}\n\n{article}\n", "utf-8")
        document = docx.Document()
        document.add_heading(heading, level=1)
        for i, paragraph in enumerate(paragraphs):
            p = document.add_paragraph()
            words = paragraph.split(" ")
            if i % 2 == 0 and len(words) > 4:  # a bold phrase inside the sentence, as an editor marks one
                p.add_run(" ".join(words[:2]) + " ")
                p.add_run(" ".join(words[2:4])).bold = True
                p.add_run(" " + " ".join(words[4:]))
            else:
                p.add_run(paragraph)
        document.save(folders["docx"] / f"article-{n:02d}.docx")
    words = sum(len(p.read_text("utf-8").split()) for p in folders["txt"].iterdir())
    common = ["--to", "sq", "--model", str(model), "--backend", "ct2", "--quantization", "int8", "--no-cache", "-q",
              "--restart"]
    systems = {f"{count} .docx": TOOLKIT + ["translate", str(folders["docx"]), "--out", str(work / "documents-out-docx"), *common],
               f"{count} .txt (the same text)": TOOLKIT + ["translate", str(folders["txt"]), "--out", str(work / "documents-out-txt"), *common]}
    rows: dict[str, list[dict]] = {name: [] for name in systems}
    for _ in range(repeats):
        for name, cmd in systems.items():
            rows[name].append(measured(cmd, env))
    print(table(f"documents: toolkit translate --backend ct2, {count} articles ({words} words), "
                f"{repeats} runs each", rows, words, f"{count} .txt (the same text)"), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parts", default="translate,memory,help,summary,compute-types")
    parser.add_argument("--sizes", default="96,1000", help="sentences per translation run")
    parser.add_argument("--generate-sizes", default="96", help="sizes at which the transformers row runs too")
    parser.add_argument("--compute-types-size", type=int, default=96, help="sentences for the compute-types part")
    parser.add_argument("--trust-size", type=int, default=1000, help="sentences for the trust part (--parts trust)")
    parser.add_argument("--documents", type=int, default=50, help="articles for the documents part (--parts documents)")
    parser.add_argument("--repeats", type=int, default=3, help="whole-process runs per system (at least 3)")
    parser.add_argument("--summary-words", type=int, default=1500, help="length of the article to summarise")
    parser.add_argument("--summary-max-words", type=int, default=40)
    parser.add_argument("--corpus", default=str(CORPUS), help="folder of .txt news articles")
    parser.add_argument("--workdir", default=str(Path.home() / ".cache" / "toolkit-bench"))
    args = parser.parse_args()
    if args.repeats < 3:
        parser.error("--repeats: at least 3 (every row is a median with min and max)")
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    empty_config = work / "empty-config.toml"  # no user settings (a missing file is refused)
    empty_config.write_text("")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TOOLKIT_CACHE_DIR": str(work / "cache"), "HF_HUB_OFFLINE": "1",
           "TOOLKIT_CONFIG": str(empty_config)}
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    text = source_text(sorted(Path(args.corpus).glob("*.txt")))
    flags = _cpu_summary()
    print(f"machine: {platform.processor() or platform.machine()} ({flags}), {len(os.sched_getaffinity(0))} usable cores, "
          f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}", flush=True)
    parts = args.parts.split(",")
    model = build_model("marian", work / "marian-shape", text) if set(parts) - {"help", "summary"} else None
    if "translate" in parts:
        part_translate(work, model, text, [int(n) for n in args.sizes.split(",")], args.repeats, env,
                       {int(n) for n in args.generate_sizes.split(",") if n})
    if "memory" in parts:
        part_memory(work, model, text, args.repeats, env)
    if "help" in parts:
        part_help(args.repeats, env)
    if "summary" in parts:
        part_summary(work, text, args.summary_words, args.summary_max_words, args.repeats, env)
    if "compute-types" in parts:
        part_compute_types(work, model, text, args.compute_types_size, args.repeats, env)
    if "trust" in parts:
        part_trust(work, model, text, args.trust_size, args.repeats, env)
    if "documents" in parts:
        part_documents(work, model, text, args.documents, args.repeats, env)


def _cpu_summary() -> str:
    from toolkit.models.backends.hf import cpu_flags

    flags = cpu_flags()
    wanted = [f for f in ("avx2", "avx512f", "avx512_bf16", "amx_bf16", "amx_int8") if f in flags]
    model = next((line.partition(":")[2].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "")
    return f"{model}; {' '.join(wanted) or 'no AVX'}"


if __name__ == "__main__":
    main()
