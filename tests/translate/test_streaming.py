"""Batch translation streams: memory follows the pool, not the input file."""

import json
import os
import random
import subprocess
import sys

import pytest

import toolkit

from tests.tiny_models import CORPUS
from toolkit.io.jobs import pooled

_RUN = (
    "import sys\n"
    "from toolkit.cli import main\n"
    "sys.argv = ['toolkit', 'translate', *sys.argv[1:]]\n"
    "try:\n"
    "    main()\n"
    "except SystemExit as exc:\n"
    "    assert not exc.code, exc.code\n"
    # VmHWM: this process's own peak (ru_maxrss would carry over the parent's, across exec).
    "print(next(int(l.split()[1]) * 1024 for l in open('/proc/self/status') if l.startswith('VmHWM:')))\n"
)


def test_pools_pull_records_lazily():
    pulled = []

    def records():
        for i in range(1000):
            pulled.append(i)
            yield "x" * 10

    stream = pooled(records(), len, 100)
    first = next(stream)
    assert len(first) == 10 and len(pulled) == 10  # nothing read beyond the first pool


def _jsonl(path, megabytes: float) -> int:
    rng = random.Random(0)
    records = 0
    with path.open("w", encoding="utf-8") as f:
        while f.tell() < megabytes * 1e6:
            text = " ".join(rng.choice(CORPUS) for _ in range(3))
            f.write(json.dumps({"id": records, "text": text, "note": "x" * 200}, ensure_ascii=False) + "\n")
            records += 1
    return records


def _peak_rss(path, out, model) -> int:
    result = subprocess.run(
        [sys.executable, "-c", _RUN, str(path), "--to", "sq", "--model", str(model), "--backend", "ct2",
         "--out", str(out), "--quiet", "--no-cache"],
        capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": os.path.dirname(os.path.dirname(toolkit.__file__))},
    )
    assert result.returncode == 0, result.stderr
    return int(result.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_a_large_jsonl_is_translated_in_bounded_memory(tmp_path, marian_model):
    # Documents repeat CORPUS sentences, so the tiny model's work per pool is small and the run
    # is dominated by reading, splitting, pooling and writing: the path that must stream.
    small, large = tmp_path / "small.jsonl", tmp_path / "large.jsonl"
    _jsonl(small, 1)
    records = _jsonl(large, 30)
    _peak_rss(small, tmp_path / "first.out.jsonl", marian_model)  # converts the model for ct2 (a peak of its own)
    baseline = _peak_rss(small, tmp_path / "small.out.jsonl", marian_model)
    peak = _peak_rss(large, tmp_path / "large.out.jsonl", marian_model)
    with (tmp_path / "large.out.jsonl").open(encoding="utf-8") as f:
        assert sum(1 for _ in f) == records
    # Holding the 30 MB input (or the output) in memory would add far more than this.
    assert peak - baseline < 25e6, (baseline, peak)
    assert baseline > 50e6  # a real measurement of the child
