"""Bootstrap statistics over documents: confidence intervals and paired system comparison.

Documents are resampled with replacement (seeded ``numpy.random.default_rng``); each resample
recomputes the corpus score from per-document statistics (Koehn 2004). Intervals are percentile
intervals. The paired test follows sacrebleu's (and Moses') paired bootstrap: the same resamples
for both systems, p-value from the mean-centred distribution of the absolute differences,
counting ties (so a system compared with itself gets p = 1, not 1/(B+1)).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from toolkit.eval.metrics import Computed

CONFIDENCE = 0.95


@dataclass(frozen=True)
class Interval:
    low: float
    high: float

    def to_dict(self) -> dict:
        return {"low": self.low, "high": self.high}


@dataclass(frozen=True)
class Bootstrap:
    resamples: int = 1000
    seed: int = 0

    def indices(self, n_docs: int) -> np.ndarray:
        rng = np.random.default_rng(self.seed)
        return rng.integers(0, n_docs, size=(self.resamples, n_docs))

    def describe(self) -> dict:
        return {"method": "percentile", "level": CONFIDENCE, "resamples": self.resamples, "seed": self.seed}


def _percentiles(samples: np.ndarray) -> Interval:
    tail = (1 - CONFIDENCE) / 2 * 100
    low, high = np.percentile(samples, [tail, 100 - tail])
    return Interval(float(low), float(high))


def confidence_intervals(computed: Computed, idx: np.ndarray) -> dict[str, Interval]:
    """Interval of every score key of one metric result."""
    return {key: _percentiles(samples) for key, samples in computed.resample(idx).items()}


@dataclass(frozen=True)
class Difference:
    """System minus baseline on one score key."""

    key: str
    baseline: float
    system: float
    delta: float
    interval: Interval  # of the delta
    p_value: float


def paired_differences(baseline: Computed, system: Computed, idx: np.ndarray) -> list[Difference]:
    """Paired bootstrap of every key the two results share, on the same resamples ``idx``."""
    base_samples = baseline.resample(idx)
    sys_samples = system.resample(idx)
    out = []
    for key, base_score in baseline.scores.items():
        if key not in system.scores:
            continue
        deltas = sys_samples[key] - base_samples[key]
        observed = system.scores[key] - base_score
        centred = np.abs(deltas) - np.abs(deltas).mean()
        p_value = (np.sum(centred >= abs(observed)) + 1) / (len(deltas) + 1)
        out.append(Difference(key, base_score, system.scores[key], observed, _percentiles(deltas), float(p_value)))
    return out
