"""Score one system's outputs: corpus metrics with bootstrap intervals, and reference-free checks."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Sequence

from toolkit.errors import InputError
from toolkit.eval.checks import CHECK_NAMES, CheckResult, Thresholds, check_document
from toolkit.eval.io import check_aligned, check_language, read_texts
from toolkit.eval.metrics import METRICS, PRF_FIELDS, Computed, Corpus, MetricOptions, parse_metrics
from toolkit.eval.rouge import ROUGE_TYPES
from toolkit.eval.stats import Bootstrap, Interval, confidence_intervals
from toolkit.eval.tokenize import Tokenizer
from toolkit.languages import get_language
from toolkit.provenance import library_versions


@dataclass(frozen=True)
class CheckConfig:
    thresholds: Thresholds = field(default_factory=Thresholds)
    source_lang: str | None = None  # None: the output's language


@dataclass(frozen=True)
class EvalResult:
    """Scores of one system on one corpus in one language, with their provenance."""

    lang: str
    ids: tuple[str, ...]
    n_refs: int
    scores: dict[str, float]
    signatures: dict[str, str]
    ci: dict[str, Interval]
    per_doc: dict[str, tuple[float, ...]]
    bootstrap: Bootstrap
    checks: tuple[tuple[CheckResult, ...], ...] | None = None
    thresholds: Thresholds | None = None
    versions: dict[str, str] = field(default_factory=library_versions)
    warnings: tuple[str, ...] = ()  # doubts about the input that did not stop the scoring

    def failures(self) -> dict[str, list[str]]:
        """Check name -> ids of the documents that fail it."""
        out: dict[str, list[str]] = {name: [] for name in CHECK_NAMES}
        for doc_id, results in zip(self.ids, self.checks or ()):
            for result in results:
                if result.passed is False:
                    out[result.name].append(doc_id)
        return out

    def to_dict(self) -> dict:
        """The JSON layout: metric keys at the top, then ``ci``, ``checks``, per-document scores."""
        out: dict = {"lang": self.lang, "documents": len(self.ids), "references": self.n_refs}
        ci: dict = {}
        for name in self.signatures:
            if name in ROUGE_TYPES:
                out[name] = {f: self.scores[f"{name}.{f}"] for f in PRF_FIELDS} | {"signature": self.signatures[name]}
                ci[name] = {f: _pair(self.ci[f"{name}.{f}"]) for f in PRF_FIELDS}
            else:
                out[name] = {"score": self.scores[name], "signature": self.signatures[name]}
                ci[name] = _pair(self.ci[name])
        out["ci"] = ci
        out["bootstrap"] = self.bootstrap.describe()
        if self.checks is not None:
            out["checks"] = {
                "thresholds": self.thresholds.to_dict() if self.thresholds else None,
                "failed": self.failures(),
                "documents": [
                    {"id": doc_id} | {r.name: r.to_dict() for r in results} for doc_id, results in zip(self.ids, self.checks)
                ],
            }
        if self.warnings:
            out["warnings"] = list(self.warnings)
        out["per_document"] = [
            {"id": doc_id} | {key: values[i] for key, values in self.per_doc.items()} for i, doc_id in enumerate(self.ids)
        ]
        out["versions"] = self.versions
        return out


def _pair(interval: Interval) -> list[float]:
    return [interval.low, interval.high]


def compute_metrics(corpus: Corpus, metrics: Sequence[str], options: MetricOptions) -> list[Computed]:
    return [METRICS[name]().compute(corpus, options) for name in metrics]


def evaluate(
    corpus: Corpus,
    ids: Sequence[str],
    metrics: Sequence[str],
    options: MetricOptions = MetricOptions(),
    bootstrap: Bootstrap = Bootstrap(),
    checks: CheckConfig | None = CheckConfig(),
) -> EvalResult:
    """Score a corpus with the named metrics; run the reference-free checks unless ``checks`` is None."""
    computed = compute_metrics(corpus, metrics, options)
    idx = bootstrap.indices(len(corpus.hyps))
    scores, signatures, per_doc, ci = {}, {}, {}, {}
    for result in computed:
        scores |= result.scores
        signatures |= result.signatures
        per_doc |= {key: tuple(float(v) for v in values) for key, values in result.per_doc.items()}
        ci |= confidence_intervals(result, idx)
    doc_checks = None
    if checks is not None:
        source_lang = checks.source_lang or corpus.lang
        tokenizer = Tokenizer(corpus.lang, stem=False, zwnj=options.zwnj)
        srcs = corpus.srcs or [None] * len(corpus.hyps)
        doc_checks = tuple(
            check_document(hyp, corpus.lang, src, source_lang, checks.thresholds, tokenizer)
            for hyp, src in zip(corpus.hyps, srcs)
        )
    return EvalResult(
        corpus.lang, tuple(ids), len(corpus.refs), scores, signatures, ci, per_doc, bootstrap, doc_checks,
        checks.thresholds if checks else None,
    )


def load_corpus(
    hyp: str, refs: Sequence[str], lang: str, src: str | None = None, field: str | None = None,
    check_ref_language: bool = True,
) -> tuple[list[str], Corpus, tuple[str, ...]]:
    """Read and validate the files of one scoring run: (document ids, corpus, warnings)."""
    lang = get_language(lang).code
    ids, hyps = read_texts(hyp, field)
    ref_texts = [read_texts(path, field)[1] for path in refs]
    others = list(zip(refs, ref_texts))
    srcs = None
    if src is not None:
        srcs = read_texts(src, field)[1]
        others.append((src, srcs))
    check_aligned(hyp, hyps, others)
    if not hyps:
        raise InputError(f"{hyp}: no documents", "one document per line")
    warnings = []
    if check_ref_language:
        warnings = [w for path, texts in zip(refs, ref_texts) if (w := check_language(path, texts, lang))]
    corpus = Corpus(tuple(hyps), tuple(tuple(t) for t in ref_texts), lang, tuple(srcs) if srcs is not None else None)
    return ids, corpus, tuple(warnings)


def score_files(
    hyp: str,
    refs: Sequence[str],
    lang: str,
    src: str | None = None,
    field: str | None = None,
    metrics: Sequence[str] | None = None,
    options: MetricOptions = MetricOptions(),
    bootstrap: Bootstrap = Bootstrap(),
    checks: CheckConfig | None = CheckConfig(),
) -> EvalResult:
    """Read, validate and score files: the library behind ``toolkit eval score``."""
    ids, corpus, warnings = load_corpus(hyp, refs, lang, src, field)
    return replace(evaluate(corpus, ids, parse_metrics(metrics), options, bootstrap, checks), warnings=warnings)
