"""Ray scaling: the same JSONL through the local runner and through ``--engine ray`` with 1, 2, ...
actors, side by side in one run.

Run by hand (no download; the model is built once into --workdir):

    python benchmarks/ray_scaling.py                      # 2,000 records; local, 1 and 2 actors
    python benchmarks/ray_scaling.py --actors 1,2,4 --runs 3

The model has Marian's architecture in a small shape (``--shape``; ``marian`` is opus-mt-en-sq's
true shape) with random weights whose end token can never win, so every system generates the
full length bound for every sentence: the same work in every row. ct2 int8, translation memory
off. Each row runs in its own process (a fresh local Ray for each Ray row, ``ray.init(num_cpus=
actors + 1)`` logical CPUs so that the readers are never starved); each actor gets one inference
thread, the local runner every thread of the machine.

Per row: start-up (seconds from the job's start, Ray's start included, to the first written
record), records/s after start-up (records after the first written pool / time after it), records/s
over the whole job, the job's whole time, and peak memory (VmHWM of the driver, and of each actor
process). On Ray, results reach the writer in input order, so when the driver is slow to start
consuming, blocks finished meanwhile arrive together and the rate after the first write overstates
the actors' speed: compare whole-job figures there.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SMALL = dict(d_model=256, encoder_layers=3, decoder_layers=3, encoder_attention_heads=4, decoder_attention_heads=4,
             encoder_ffn_dim=1024, decoder_ffn_dim=1024, max_position_embeddings=512, vocab=8_000)


def _vm_hwm_mb(pid: str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _actor_peaks(peaks: dict[str, float]) -> None:
    """Record the peak memory so far of each live actor process (they end with the job)."""
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "cmdline").read_bytes().startswith(b"ray::MapWorker"):
                peaks[entry.name] = max(peaks.get(entry.name, 0.0), _vm_hwm_mb(entry.name))
        except OSError:
            continue


def build(workdir: Path, shape: str, records: int) -> tuple[Path, Path]:
    sys.path.insert(0, str(HERE))
    import translate_throughput as tt  # the throughput benchmark's corpus and model builder

    if shape == "small":
        tt.SHAPES = {**tt.SHAPES, "marian": SMALL}
    text = tt.source_text(sorted(tt.CORPUS.glob("*.txt")) if tt.CORPUS.is_dir() else [])
    model = tt.build_model("marian", workdir / f"marian-{shape}", text)
    docs = tt.news_documents(text, records * 2, seed=1)
    source = workdir / f"news-{records}.jsonl"
    # One record per short paragraph (two sentences): a newsroom feed of headlines and leads.
    paragraphs = [p for d in docs for p in d.split("\n\n")]
    rows = [{"id": i, "text": " ".join(paragraphs[i % len(paragraphs)].split(". ")[:2])} for i in range(records)]
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return model, source


def run_row(engine: str, actors: int, model: Path, source: Path, out: Path, pool_chars: int) -> dict:
    """One job in this process; times from the job's start (Ray's start included)."""
    from toolkit.translate.job import TranslationJob

    marks: list[tuple[float, int]] = []
    records = [0]
    actor_peaks: dict[str, float] = {}

    def progress(n: int, _sentences: int) -> None:
        if n:
            records[0] += n
            marks.append((time.perf_counter(), records[0]))
            if engine == "ray":
                _actor_peaks(actor_peaks)

    job = TranslationJob(targets=("sq",), models=(str(model),), backend="ct2", memory=False, out=out, restart=True,
                         pool_chars=pool_chars)
    start = time.perf_counter()
    if engine == "local":
        from toolkit.translate.job import run_translation_job

        run_translation_job([str(source)], job, progress)
    else:
        import ray

        from toolkit.distributed import ClusterOptions, run_ray_translation

        ray.init(num_cpus=actors + 1, include_dashboard=False, log_to_driver=False)
        run_ray_translation([str(source)], job, ClusterOptions(None, actors, actors, 1.0), progress)
        ray.shutdown()
    end = time.perf_counter()
    first_time, first_records = marks[0]
    return {"engine": engine, "actors": actors, "records": records[0], "startup_s": round(first_time - start, 1),
            "records_per_s": round((records[0] - first_records) / max(end - first_time, 1e-9), 1),
            "total_s": round(end - start, 1), "driver_peak_mb": round(_vm_hwm_mb()),
            "actor_peak_mb": sorted(round(v) for v in actor_peaks.values())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--actors", default="1,2", help="Ray rows: actor counts, comma-separated")
    parser.add_argument("--runs", type=int, default=1, help="runs per row (median, min and max when above 1)")
    parser.add_argument("--shape", choices=["small", "marian"], default="small")
    parser.add_argument("--pool-chars", type=int, default=20_000,
                        help="characters per pool (one Ray block): about 15 pools for 2,000 records")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "toolkit-ray-scaling")
    parser.add_argument("--row", help=argparse.SUPPRESS)  # internal: engine:actors, run in a child process
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    model, source = build(args.workdir, args.shape, args.records)
    if args.row:
        engine, actors = args.row.split(":")
        print(json.dumps(run_row(engine, int(actors), model, source, args.workdir / f"out-{engine}-{actors}.jsonl",
                                 args.pool_chars)))
        return
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TOOLKIT_CACHE_DIR": str(args.workdir / "cache"),
           "TOOLKIT_DEVICE": "cpu", "HF_HUB_OFFLINE": "1"}
    rows = [("local", 0)] + [("ray", int(n)) for n in args.actors.split(",")]
    results: dict[tuple, list[dict]] = {row: [] for row in rows}
    for _ in range(args.runs):
        for engine, actors in rows:
            done = subprocess.run([sys.executable, __file__, "--row", f"{engine}:{actors}", "--records", str(args.records),
                                   "--shape", args.shape, "--workdir", str(args.workdir),
                                   "--pool-chars", str(args.pool_chars)],
                                  env=env, capture_output=True, text=True, check=True)
            results[engine, actors].append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(f"{args.records} records, Marian shape '{args.shape}', ct2 int8, pools of {args.pool_chars} characters, "
          f"{os.cpu_count()} CPUs, {args.runs} run(s)")
    print(f"{'row':<16} {'records/s':>22} {'whole job/s':>12} {'start-up s':>12} {'total s':>9} {'driver MB':>10}  actor MB")

    def cell(values: list[float]) -> str:
        if len(values) == 1:
            return f"{values[0]:g}"
        return f"{statistics.median(values):g} ({min(values):g}-{max(values):g})"

    base = statistics.median(r["records_per_s"] for r in results["local", 0])
    one = statistics.median(r["records_per_s"] for r in results[rows[1]]) if len(rows) > 1 else None
    for row in rows:
        runs = results[row]
        name = "local runner" if row[0] == "local" else f"ray, {row[1]} actor{'s' if row[1] > 1 else ''}"
        rate = statistics.median(r["records_per_s"] for r in runs)
        ratios = f"  x{rate / base:.2f} local" + (f", x{rate / one:.2f} 1 actor" if one and row[0] == "ray" else "")
        whole = cell([round(r["records"] / r["total_s"], 2) for r in runs])
        print(f"{name:<16} {cell([r['records_per_s'] for r in runs]):>22} {whole:>12} {cell([r['startup_s'] for r in runs]):>12} "
              f"{cell([r['total_s'] for r in runs]):>9} {cell([r['driver_peak_mb'] for r in runs]):>10}  "
              f"{runs[-1]['actor_peak_mb']}{ratios}")


if __name__ == "__main__":
    main()
