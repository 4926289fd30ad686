"""Load on `toolkit serve`: N concurrent clients (asyncio) each sending single sentences, against
offline translation of the same sentences (what `toolkit translate` runs: the engine over all of them).

Run by hand (no download; the model is built locally once into --workdir):

    python benchmarks/serve_load.py                        # opus-mt-en-sq shape (Marian), random weights
    python benchmarks/serve_load.py --model tiny --sentences 64 --runs 1     # the tests' tiny model: quick

The model is Marian in the true shape of Helsinki-NLP/opus-mt-en-sq with random weights (built by
benchmarks/translate_throughput.py's builder; the end token is made impossible, and every sentence
generates exactly --tokens target tokens, so every system does the same work). The server runs in
its own process (the same library call as `toolkit serve`, with that fixed output length); the
clients run in this process, on the same cores. Memory off on both sides.

Printed, each as the median of --runs runs with [min, max]:
- offline: sentences/s of the engine over all sentences at once (one process, model loaded);
- the model's own time for each sentence alone (the floor of a request's latency);
- for each concurrency: sentences/s, p50 and p99 latency, errors, and the ratio to offline;
  at concurrency 1 also p99 of (latency - that sentence's own model time): the service's overhead.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def spread(values: list[float], fmt: str = "{:.1f}") -> str:
    return f"{fmt.format(statistics.median(values))} [{fmt.format(min(values))}, {fmt.format(max(values))}]"


def prepare(args) -> tuple[Path, list[str]]:
    from translate_throughput import CORPUS, build_model, news_documents, source_text

    from toolkit.text.segment import split_layout, split_sentences

    text = source_text(sorted(Path(args.corpus if args.corpus else CORPUS).glob("*.txt")))
    docs = news_documents(text, args.sentences * 2, seed=1)
    sentences = [s for d in docs for line in split_layout(d).lines for s in split_sentences(line, "en")]
    sentences = list(dict.fromkeys(sentences))[: args.sentences]
    workdir = Path(args.workdir)
    if args.model == "tiny":
        from tests.tiny_models import build_marian, train_sentencepiece

        folder = workdir / "tiny-marian"
        if not (folder / "config.json").is_file():
            build_marian(folder, train_sentencepiece(workdir / "tiny-spm"))
        return folder, sentences
    return build_model("marian", workdir / "marian", text), sentences


def decoding(tokens: int):
    from toolkit.provenance import DecodingSettings

    return DecodingSettings(max_length_ratio=0, max_length_offset=tokens)


def offline(model: Path, sentences: list[str], args) -> tuple[list[float], dict[str, float]]:
    """Engine throughput over all sentences (runs), and each sentence's own time alone."""
    from toolkit.translate.engine import translate_texts
    from toolkit.translate.factory import build_translator

    translator = build_translator("en", "sq", str(model), args.backend, decoding(args.tokens), threads=args.threads)
    translate_texts(sentences[:8], translator)  # warm up
    rates = []
    for _ in range(args.runs):
        started = time.perf_counter()
        translate_texts(sentences, translator)
        rates.append(len(sentences) / (time.perf_counter() - started))
    alone = {}
    for sentence in sentences:
        started = time.perf_counter()
        translate_texts([sentence], translator)
        alone[sentence] = time.perf_counter() - started
    return rates, alone


def serve_child(spec: str) -> None:
    """The server process: what `toolkit serve` runs, with the benchmark's fixed output length."""
    from toolkit.serve.config import ServeConfig
    from toolkit.serve.server import serve

    o = json.loads(spec)
    config = ServeConfig(source="en", targets=("sq",), models={"sq": o["model"]}, backend=o["backend"],
                         threads=o["threads"], decoding=decoding(o["tokens"]), translation_memory=False,
                         queue_limit=10_000, batch_wait_ms=o["wait_ms"])
    serve(config, "127.0.0.1", o["port"], log_level="warning")


async def load(url: str, sentences: list[str], concurrency: int) -> tuple[float, list[tuple[str, float]], int]:
    """``concurrency`` clients (aiohttp: a lighter client than httpx, so the clients, which share the
    cores with the server, take less of them), each sending one sentence at a time."""
    import aiohttp

    queue = list(reversed(sentences))
    latencies: list[tuple[str, float]] = []
    errors = 0
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(url, connector=connector, timeout=aiohttp.ClientTimeout(total=600)) as session:
        async def worker():
            nonlocal errors
            while queue:
                sentence = queue.pop()
                started = time.perf_counter()
                async with session.post("/translate", json={"q": sentence, "source": "en", "target": "sq"}) as response:
                    await response.read()
                    if response.status == 200:
                        latencies.append((sentence, time.perf_counter() - started))
                    else:
                        errors += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return time.perf_counter() - started, latencies, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="marian", help="marian (opus-mt-en-sq shape, random weights) or tiny")
    parser.add_argument("--backend", default="auto", help="auto (ct2 int8 on CPU), ct2 or hf")
    parser.add_argument("--sentences", type=int, default=192)
    parser.add_argument("--tokens", type=int, default=16, help="target tokens generated per sentence")
    parser.add_argument("--concurrency", default="1,8,64")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--wait-ms", type=float, default=20.0, help="the server's --batch-wait-ms")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--corpus", default=None, help="folder of .txt news articles (default: shared/corpus)")
    parser.add_argument("--workdir", default=str(Path.home() / ".cache" / "toolkit-bench"))
    parser.add_argument("--port", type=int, default=5077)
    parser.add_argument("--serve-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_child:
        return serve_child(args.serve_child)

    import httpx

    os.environ.setdefault("TOOLKIT_CACHE_DIR", str(Path(args.workdir) / "cache"))  # ct2 conversions live here
    model, sentences = prepare(args)
    print(f"model {args.model} ({model}), backend {args.backend}, {len(sentences)} sentences, {args.tokens} tokens each, "
          f"{len(os.sched_getaffinity(0))} cores, {args.runs} runs", flush=True)
    rates, alone = offline(model, sentences, args)
    print(f"offline (engine, all sentences at once): {spread(rates)} sentences/s")
    print(f"model time per sentence alone: p50 {1000 * statistics.median(alone.values()):.1f} ms, "
          f"p99 {1000 * pct(list(alone.values()), 99):.1f} ms", flush=True)

    spec = json.dumps({"model": str(model), "backend": args.backend, "threads": args.threads, "tokens": args.tokens,
                       "port": args.port, "wait_ms": args.wait_ms})
    server = subprocess.Popen([sys.executable, __file__, "--serve-child", spec], env={**os.environ, "PYTHONPATH": str(ROOT)})
    url = f"http://127.0.0.1:{args.port}"
    try:
        while True:
            try:
                if httpx.get(url + "/health").status_code == 200:
                    break
            except httpx.TransportError:
                if server.poll() is not None:
                    sys.exit("the server did not start")
            time.sleep(0.2)
        asyncio.run(load(url, sentences[:8], 4))  # warm up
        print(f"{'concurrency':>11}  {'sentences/s':>22}  {'x offline':>6}  {'p50 ms':>20}  {'p99 ms':>20}  errors")
        offline_rate = statistics.median(rates)
        for concurrency in [int(c) for c in args.concurrency.split(",")]:
            throughput, p50, p99, overhead, errors = [], [], [], [], 0
            for _ in range(args.runs):
                seconds, latencies, failed = asyncio.run(load(url, sentences, concurrency))
                errors += failed
                throughput.append(len(latencies) / seconds)
                values = [latency for _, latency in latencies]
                p50.append(1000 * pct(values, 50))
                p99.append(1000 * pct(values, 99))
                overhead.append(1000 * pct([latency - alone[s] for s, latency in latencies], 99))
            print(f"{concurrency:>11}  {spread(throughput):>22}  {statistics.median(throughput) / offline_rate:>6.2f}  "
                  f"{spread(p50):>20}  {spread(p99):>20}  {errors}", flush=True)
            if concurrency == 1:
                print(f"{'':>11}  p99 of (latency - the sentence's own model time): {spread(overhead)} ms", flush=True)
    finally:
        server.terminate()
        server.wait(60)


if __name__ == "__main__":
    main()
