"""Evaluation suites: articles with reference summaries per language, scored end to end.

A suite is a YAML file::

    name: news-en-fa-sq
    source_lang: en
    targets: [en, fa, sq]          # languages of the summaries
    metrics: [rouge, bleu, chrf, chrf++, ter]
    articles:
      - id: short-id
        text: |
          The article ...
        summary: {en: ..., fa: ..., sq: ...}

System outputs are per-article summaries keyed by language, the shape ``toolkit chain --json``
writes: ``{"id": ..., "summary": {"en": ..., "fa": ..., "sq": ...}}``.
"""

from __future__ import annotations

from dataclasses import replace, dataclass
from pathlib import Path
from typing import Sequence

from toolkit.errors import InputError
from toolkit.eval.checks import Thresholds
from toolkit.eval.io import json_object, read_utf8
from toolkit.eval.metrics import Corpus, MetricOptions, parse_metrics
from toolkit.eval.score import CheckConfig, EvalResult, evaluate
from toolkit.eval.stats import Bootstrap
from toolkit.languages import get_language

Outputs = dict[str, dict[str, str]]  # article id -> language -> summary


@dataclass(frozen=True)
class Article:
    id: str
    text: str
    title: str
    references: dict[str, str]  # language -> reference summary


@dataclass(frozen=True)
class Suite:
    name: str
    path: Path
    source_lang: str
    targets: tuple[str, ...]
    metrics: tuple[str, ...]
    articles: tuple[Article, ...]


def load_suite(path: str | Path) -> Suite:
    import yaml

    path = Path(path)
    try:
        data = yaml.safe_load(read_utf8(path, "see eval/suites/ for the suites"))
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: invalid YAML ({exc})", "fix the suite file") from None
    if not isinstance(data, dict) or not data.get("articles"):
        raise InputError(f"{path}: no articles", "a suite needs an 'articles' list")
    source_lang = get_language(str(data.get("source_lang", "en"))).code
    targets = tuple(get_language(str(t)).code for t in data.get("targets", [source_lang]))
    articles = []
    for number, item in enumerate(data["articles"], 1):
        where = f"{path}: article {item.get('id', number) if isinstance(item, dict) else number}"
        if not isinstance(item, dict) or not str(item.get("text", "")).strip() or "id" not in item:
            raise InputError(f"{where} needs an 'id' and a non-empty 'text'", "fix the suite file")
        refs = item.get("summary") or {}
        if not isinstance(refs, dict):
            raise InputError(f"{where}: 'summary' is not an object keyed by language",
                             "write summary: {en: ..., fa: ...}")
        missing = [t for t in targets if not str(refs.get(t, "")).strip()]
        if missing:
            raise InputError(f"{where} has no reference summary in {', '.join(missing)}", "add summary.<lang> to it")
        articles.append(Article(str(item["id"]), str(item["text"]).strip(), str(item.get("title", "")),
                                {t: str(refs[t]).strip() for t in targets}))
    ids = [a.id for a in articles]
    if len(set(ids)) != len(ids):
        raise InputError(f"{path}: duplicate article ids", "give each article its own id")
    return Suite(str(data.get("name", path.stem)), path, source_lang, targets,
                 tuple(parse_metrics(data.get("metrics"))), tuple(articles))


def load_outputs(path: str | Path) -> Outputs:
    """Outputs from a JSONL file, or a directory of ``.json``/``.jsonl`` files, one object per article."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix in (".json", ".jsonl"))
    elif path.is_file():
        files = [path]
    else:
        raise InputError(f"{path}: no such file or directory", "pass the outputs of `toolkit chain --json`")
    outputs: Outputs = {}
    for file in files:
        text = read_utf8(file)
        lines = enumerate(text.splitlines(), 1)
        records = [(str(file), text)] if file.suffix == ".json" else [(f"{file}:{n}", line) for n, line in lines if line.strip()]
        for where, record in records:
            obj = json_object(record, where, "one JSON object per article")
            summary = obj.get("summary")
            if "id" not in obj or not isinstance(summary, dict):
                raise InputError(f"{where}: needs 'id' and 'summary' as an object keyed by language",
                                 'write {"id": ..., "summary": {"en": ..., "fa": ...}}')
            not_text = [str(k) for k, v in summary.items() if not isinstance(v, str)]
            if not_text:
                raise InputError(f"{where}: summary '{not_text[0]}' is not a string",
                                 "write each language's summary as text")
            outputs[str(obj["id"])] = {str(k): v for k, v in summary.items()}
    return outputs


def produce_outputs(articles: Sequence[Article], targets: Sequence[str], source_lang: str,
                    method: str = "abstractive", summary_model: str | None = None,
                    models: Sequence[str] = ()) -> Outputs:
    """Run the chain (summarise, then translate) on the articles: id -> language -> summary.

    ``models``: translators as ``LANG=ID`` per target or a bare ``ID`` for every target."""
    from toolkit.chain import chain_options, default_steps, run_chain

    options = chain_options(default_steps([t for t in targets if t != source_lang]), source_lang, method, summary_model,
                            models=models)
    report = run_chain({a.id: a.text for a in articles}, options)
    return {r.id: r.summary for r in report.results}


@dataclass(frozen=True)
class SuiteResult:
    suite: Suite
    outputs: Outputs
    results: dict[str, EvalResult]  # language -> scores
    origin: str  # where the outputs came from

    def to_dict(self) -> dict:
        return {
            "suite": self.suite.name,
            "suite_file": str(self.suite.path),
            "source_lang": self.suite.source_lang,
            "outputs_from": self.origin,
            "languages": {lang: result.to_dict() for lang, result in self.results.items()},
            "outputs": {a.id: self.outputs[a.id] for a in self.suite.articles},
        }


def score_suite(
    suite: Suite,
    outputs: Outputs,
    origin: str,
    metrics: Sequence[str] | None = None,
    options: MetricOptions = MetricOptions(),
    bootstrap: Bootstrap = Bootstrap(),
    overrides: Sequence[str] = (),
) -> SuiteResult:
    """Score every target language. Summaries in the source language are checked against the
    article; the others, as translations, against the system's own source-language summary
    where it has one (else against the article, as cross-lingual summaries)."""
    for article in suite.articles:
        produced = outputs.get(article.id)
        missing = [t for t in suite.targets if not (produced or {}).get(t, "").strip()]
        if missing:
            raise InputError(f"outputs have no {', '.join(missing)} summary for article '{article.id}'",
                             "produce every target language of the suite for every article")
    results = {}
    for lang in suite.targets:
        hyps = tuple(outputs[a.id][lang] for a in suite.articles)
        refs = (tuple(a.references[lang] for a in suite.articles),)
        translated = lang != suite.source_lang and suite.source_lang in suite.targets
        if translated:
            srcs = tuple(outputs[a.id][suite.source_lang] for a in suite.articles)
        else:
            srcs = tuple(a.text for a in suite.articles)
        thresholds = Thresholds.for_task("translation" if translated else "summary").with_overrides(overrides)
        corpus = Corpus(hyps, refs, lang, srcs)
        results[lang] = evaluate(
            corpus, [a.id for a in suite.articles], metrics or suite.metrics, options, bootstrap,
            CheckConfig(thresholds, suite.source_lang),
        )
    return SuiteResult(suite, outputs, results, origin)


def run_suite(
    path: str | Path | Suite,
    outputs: str | Path | None = None,
    summary_model: str | None = None,
    models: Sequence[str] = (),
    metrics: Sequence[str] | None = None,
    options: MetricOptions = MetricOptions(),
    bootstrap: Bootstrap = Bootstrap(),
    overrides: Sequence[str] = (),
    langs: str | Sequence[str] | None = None,
    method: str = "abstractive",
) -> SuiteResult:
    """Load a suite, get its outputs (from ``outputs`` or by running the chain with ``method``,
    ``summary_model`` and the translators ``models``: ``LANG=ID`` or a bare ``ID``) and score them,
    in every target language of the suite or only in ``langs`` (codes, or ``"en,fa"``)."""
    suite = path if isinstance(path, Suite) else load_suite(path)
    if isinstance(langs, str):
        from toolkit.languages import parse_language_list

        langs = parse_language_list(langs)
    if langs:
        unknown = [lang for lang in langs if lang not in suite.targets]
        if unknown:
            raise InputError(f"the suite {suite.name} has no references in {', '.join(unknown)}",
                             f"choose among: {', '.join(suite.targets)}")
        suite = replace(suite, targets=tuple(lang for lang in suite.targets if lang in langs))
    if outputs is not None:
        produced, origin = load_outputs(outputs), str(outputs)
    else:
        produced = produce_outputs(suite.articles, suite.targets, suite.source_lang, method, summary_model, models)
        given = ([f"--summary-model {summary_model}"] if summary_model else []) + [f"--model {m}" for m in models]
        origin = " ".join([f"toolkit chain --method {method}", *given])
    chosen = parse_metrics(metrics) if metrics else None
    return score_suite(suite, produced, origin.strip(), chosen, options, bootstrap, overrides)
