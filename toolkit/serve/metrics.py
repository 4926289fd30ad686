"""Prometheus text exposition of the service's counters (no client library needed)."""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections import defaultdict
from typing import Mapping

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256)
WORK = ("translate", "alternatives", "suggest", "summarize", "chain")  # the kinds of model work, as queued


class _Histogram:
    def __init__(self, buckets: tuple[float, ...]):
        self.buckets = buckets
        self.counts = [0] * (len(buckets) + 1)
        self.sum = 0.0

    def observe(self, value: float) -> None:
        self.counts[bisect_left(self.buckets, value)] += 1
        self.sum += value

    def lines(self, name: str, labels: str = "") -> list[str]:
        out, total = [], 0
        sep = "," if labels else ""
        for bound, count in zip((*self.buckets, "+Inf"), self.counts):
            total += count
            out.append(f'{name}_bucket{{{labels}{sep}le="{bound}"}} {total}')
        braces = f"{{{labels}}}" if labels else ""
        out += [f"{name}_sum{braces} {self.sum:.6f}", f"{name}_count{braces} {total}"]
        return out


class Metrics:
    """Requests by endpoint and status, latency, micro-batch sizes, requests turned away by a full
    queue, memory hits; thread-safe."""

    def __init__(self):
        self._lock = threading.Lock()
        self.requests: dict[tuple[str, int], int] = defaultdict(int)
        self.latency: dict[str, _Histogram] = {}
        self.batch_requests = _Histogram(BATCH_BUCKETS)
        self.batch_texts = _Histogram(BATCH_BUCKETS)
        self.rejected: dict[str, int] = dict.fromkeys(WORK, 0)
        self.memory_hits = self.memory_misses = 0

    def observe_request(self, endpoint: str, status: int, seconds: float) -> None:
        with self._lock:
            self.requests[endpoint, status] += 1
            self.latency.setdefault(endpoint, _Histogram(LATENCY_BUCKETS)).observe(seconds)

    def observe_batch(self, requests: int, texts: int) -> None:
        with self._lock:
            self.batch_requests.observe(requests)
            self.batch_texts.observe(texts)

    def reject(self, work: str) -> None:
        with self._lock:
            self.rejected[work] = self.rejected.get(work, 0) + 1

    def memory(self, hits: int, misses: int) -> None:
        with self._lock:
            self.memory_hits += hits
            self.memory_misses += misses

    def render(self, queue_depth: Mapping[str, int], in_model: int) -> str:
        """The exposition; ``queue_depth``: requests waiting by kind of work."""
        with self._lock:
            lines = ["# HELP toolkit_requests_total HTTP requests by endpoint and status.",
                     "# TYPE toolkit_requests_total counter"]
            lines += [f'toolkit_requests_total{{endpoint="{e}",status="{s}"}} {n}' for (e, s), n in sorted(self.requests.items())]
            lines += ["# HELP toolkit_request_seconds Request latency.", "# TYPE toolkit_request_seconds histogram"]
            for endpoint, histogram in sorted(self.latency.items()):
                lines += histogram.lines("toolkit_request_seconds", f'endpoint="{endpoint}"')
            lines += ["# HELP toolkit_batch_requests Requests per micro-batch.", "# TYPE toolkit_batch_requests histogram"]
            lines += self.batch_requests.lines("toolkit_batch_requests")
            lines += ["# HELP toolkit_batch_texts Texts per micro-batch.", "# TYPE toolkit_batch_texts histogram"]
            lines += self.batch_texts.lines("toolkit_batch_texts")
            works = list(dict.fromkeys([*WORK, *queue_depth, *self.rejected]))
            lines += ["# HELP toolkit_queue_depth Requests waiting for the model, by kind of work.",
                      "# TYPE toolkit_queue_depth gauge"]
            lines += [f'toolkit_queue_depth{{work="{w}"}} {queue_depth.get(w, 0)}' for w in works]
            lines += ["# HELP toolkit_rejected_total Requests turned away (429) because the queue was full.",
                      "# TYPE toolkit_rejected_total counter"]
            lines += [f'toolkit_rejected_total{{work="{w}"}} {self.rejected.get(w, 0)}' for w in works]
            lines += ["# HELP toolkit_texts_in_model Texts the models are translating now.", "# TYPE toolkit_texts_in_model gauge",
                      f"toolkit_texts_in_model {in_model}",
                      "# HELP toolkit_memory_hits_total Sentences answered from the translation memory.",
                      "# TYPE toolkit_memory_hits_total counter", f"toolkit_memory_hits_total {self.memory_hits}",
                      "# HELP toolkit_memory_misses_total Sentences sent to a model.",
                      "# TYPE toolkit_memory_misses_total counter", f"toolkit_memory_misses_total {self.memory_misses}"]
        return "\n".join(lines) + "\n"
