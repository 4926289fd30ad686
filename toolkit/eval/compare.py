"""Compare systems on the same documents: paired bootstrap resampling against the first system."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from toolkit.eval.io import check_aligned, read_texts
from toolkit.eval.metrics import Corpus, MetricOptions
from toolkit.eval.score import compute_metrics, load_corpus
from toolkit.eval.stats import Bootstrap, Difference, paired_differences

# Keys compared: the F-measure of each ROUGE type and every single-score metric.
_SKIPPED_SUFFIXES = (".precision", ".recall")


@dataclass(frozen=True)
class SystemComparison:
    baseline: str
    system: str
    differences: tuple[Difference, ...]

    def to_dict(self) -> dict:
        return {
            "baseline": self.baseline,
            "system": self.system,
            "metrics": {
                d.key: {
                    "baseline": d.baseline, "system": d.system, "delta": d.delta,
                    "ci": [d.interval.low, d.interval.high], "p_value": d.p_value,
                }
                for d in self.differences
            },
        }


def compare_systems(
    systems: Sequence[str],
    refs: Sequence[str],
    lang: str,
    metrics: Sequence[str],
    options: MetricOptions = MetricOptions(),
    bootstrap: Bootstrap = Bootstrap(),
    field: str | None = None,
) -> list[SystemComparison]:
    """Each system after the first against the first, on the same resamples of the documents."""
    _, base_corpus, _ = load_corpus(systems[0], refs, lang, field=field)
    corpora = [base_corpus]
    for path in systems[1:]:
        hyps = read_texts(path, field)[1]
        check_aligned(path, hyps, [(systems[0], base_corpus.hyps)])
        corpora.append(Corpus(tuple(hyps), base_corpus.refs, base_corpus.lang))
    computed = [compute_metrics(corpus, metrics, options) for corpus in corpora]
    idx = bootstrap.indices(len(base_corpus.hyps))
    out = []
    for path, system in zip(systems[1:], computed[1:]):
        diffs = [
            d
            for base_metric, sys_metric in zip(computed[0], system)
            for d in paired_differences(base_metric, sys_metric, idx)
            if not d.key.endswith(_SKIPPED_SUFFIXES)
        ]
        out.append(SystemComparison(systems[0], path, tuple(diffs)))
    return out
