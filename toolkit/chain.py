"""Chains of steps over articles: summarise, translate, in any order, one article or a batch.

Steps run in order over the article's current stage: ``translate:XX`` translates the stage's text
(the article, or the summary once ``summarize`` has run) into XX, from English where the stage
already has an English version (the pivot), else from the stage's first language. So the default
``summarize,translate:fa,translate:sq`` translates one English summary twice, and for a Persian
source ``translate:en,translate:sq`` pivots through English.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping, Sequence

from toolkit.errors import InputError, LanguageError, ToolkitError
from toolkit.languages import get_language
from toolkit.summarize import Summarizer, Summary, SummaryLength, build_summarizer, check_options
from toolkit.translate.base import Translator

PIVOT = "en"
ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")


@dataclass(frozen=True)
class Step:
    kind: str  # "summarize" or "translate"
    lang: str | None = None  # translate target

    def __str__(self) -> str:
        return f"translate:{self.lang}" if self.kind == "translate" else self.kind


def parse_steps(value: str) -> tuple[Step, ...]:
    """``summarize,translate:fa,translate:sq`` -> steps; unknown words name themselves."""
    steps: list[Step] = []
    for word in (w.strip() for w in value.split(",")):
        if not word:
            continue
        name, _, lang = word.partition(":")
        if name in ("summarize", "summarise") and not lang:
            if any(s.kind == "summarize" for s in steps):
                raise InputError("--steps has 'summarize' twice", "summarise once; translate the summary after it")
            steps.append(Step("summarize"))
        elif name == "translate" and lang:
            steps.append(Step("translate", get_language(lang).code))
        else:
            raise InputError(f"unknown step '{word}' in --steps", "use summarize and translate:LANG, e.g. summarize,translate:fa")
    if not steps:
        raise InputError("--steps is empty", "e.g. --steps summarize,translate:fa,translate:sq")
    return tuple(steps)


def default_steps(targets: Sequence[str]) -> tuple[Step, ...]:
    return (Step("summarize"), *(Step("translate", t) for t in targets))


@dataclass(frozen=True)
class ChainOptions:
    steps: tuple[Step, ...] = (Step("summarize"),)
    source: str | None = None  # None: detect each article's language
    method: str = "abstractive"
    summary_model: str | None = None
    prompt: str | None = None
    length: SummaryLength = SummaryLength()
    translation_model: str | None = None  # for every target
    translation_models: Mapping[str, str] = field(default_factory=dict)  # per target language
    beams: int = 1  # translation beams
    backend: str = "auto"  # auto | hf | ct2, for the translators and the abstractive summariser
    quantization: str | None = None  # ct2 weights (None: int8 on CPU, float16 on CUDA)
    translation_memory: bool = True  # look up and store finished segments (toolkit cache)


@dataclass(frozen=True)
class ChainResult:
    """One article through the chain: summaries and full translations keyed by language."""

    id: str
    source_lang: str
    summary: dict[str, str]
    translations: dict[str, str]
    manifest: dict

    def to_dict(self) -> dict:
        return {"id": self.id, "source_lang": self.source_lang, "summary": self.summary,
                "translations": self.translations, "manifest": self.manifest}


class Chain:
    """Runs the steps on articles; summarisers and translators are loaded once and reused."""

    def __init__(self, options: ChainOptions):
        if any(step.kind == "summarize" for step in options.steps):
            check_options(options.method, options.summary_model, options.prompt, options.backend)
        self.options = options
        self._summarizers: dict[str, Summarizer] = {}
        self._translators: dict[tuple[str, str], Translator] = {}
        self._memory = None  # one translation memory (one SQLite connection) for all translators

    def summarizer(self, lang: str) -> Summarizer:
        if lang not in self._summarizers:
            o = self.options
            self._summarizers[lang] = build_summarizer(o.method, lang, o.summary_model, o.prompt, o.backend,
                                                      o.quantization)
        return self._summarizers[lang]

    def translator(self, source: str, target: str) -> Translator:
        if (source, target) not in self._translators:
            from toolkit.provenance import DecodingSettings
            from toolkit.translate.factory import build_translator
            from toolkit.translate.memory import TranslationMemory

            o = self.options
            if o.translation_memory and self._memory is None:
                self._memory = TranslationMemory()
            model = o.translation_models.get(target, o.translation_model)
            self._translators[source, target] = build_translator(source, target, model, o.backend,
                                                                 DecodingSettings(beams=o.beams), memory=self._memory,
                                                                 quantization=o.quantization)
        return self._translators[source, target]

    def run(self, raw: str, article_id: str = "article", path: str | None = None) -> ChainResult:
        """All steps on one article (text, Markdown or HTML as read from ``path``)."""
        from toolkit.provenance import library_versions
        from toolkit.text.clean import article_text
        from toolkit.translate.engine import translate_texts

        started = time.perf_counter()
        cleaned = article_text(raw, path)
        source = self.options.source or _detect(cleaned.text)
        stage: dict[str, str] = {source: cleaned.text}  # the current stage's text per language
        article: dict[str, str] = stage
        summary: dict[str, str] = {}
        timings: dict[str, float] = {}
        details: Summary | None = None
        translators: dict[str, dict] = {}
        for step in self.options.steps:
            step_started = time.perf_counter()
            if step.kind == "summarize":
                lang = list(stage)[-1]
                details = self.summarizer(lang).summarize(stage[lang], lang, self.options.length)
                summary = stage = {lang: details.text}
            elif step.lang == next(iter(stage)):
                continue  # already in that language (e.g. --to en for an English article)
            else:
                if step.lang in stage:
                    raise LanguageError(f"step {step}: the {'summary' if stage is summary else 'article'} is already in '{step.lang}'",
                                        "drop that step from --steps or --to")
                origin = PIVOT if PIVOT in stage else next(iter(stage))
                translator = self.translator(origin, step.lang)
                stage[step.lang] = translate_texts([stage[origin]], translator)[0]
                translators[f"{origin}-{step.lang}"] = translator.provenance.to_dict()
            timings[str(step)] = round(time.perf_counter() - step_started, 3)
        timings["total"] = round(time.perf_counter() - started, 3)
        manifest = {
            "steps": [str(s) for s in self.options.steps],
            "summarizer": _summary_manifest(details) if details else None,
            "translators": translators,
            "cleaning": {"removed_lines": list(cleaned.removed)},
            "timings_s": timings,
            "versions": library_versions(),
        }
        translations = {lang: text for lang, text in article.items() if lang != source}
        return ChainResult(article_id, source, summary, translations, manifest)


def _detect(text: str) -> str:
    from toolkit.text.langid import detect_language

    return detect_language(text)


def _summary_manifest(summary: Summary) -> dict:
    data = summary.to_dict()
    data.pop("text")
    data["seconds"] = round(data["seconds"], 3)
    return data


@dataclass
class ChainReport:
    """What a chain run did: results of this run (not those resumed), where they went."""

    results: list[ChainResult] = field(default_factory=list)
    resumed: int = 0
    rejected: int = 0
    outputs: list[str] = field(default_factory=list)


def run_chain(inputs: Sequence[str] | Mapping[str, str], options: ChainOptions | None = None, out: Path | None = None,
              restart: bool = False, skip_bad: bool = False, emit: Callable[[ChainResult], None] | None = None,
              chain: Chain | None = None) -> ChainReport:
    """Run the chain on every article in ``inputs``: texts, files, folders, ``-``, JSONL, CSV as on
    the command line, or a mapping of article id to article text (library callers).

    With ``out``, results go to a JSONL file written as each article finishes, and a rerun resumes
    after the last finished article. ``emit`` is called with each result as it is made. A bad
    article stops the run with an InputError (finished ones are kept), or with ``skip_bad`` is set
    aside in a rejects file (``OUT.rejects.jsonl``, or ``toolkit-chain.rejects.jsonl``).
    """
    from toolkit.io.inputs import InputOptions, Record, Reject, classify, read_records
    from toolkit.io.sinks import StdoutSink, StreamSink, job_key

    options = options or ChainOptions()
    chain = chain or Chain(options)
    rejects: list[Reject] = []
    if isinstance(inputs, Mapping):
        records = [Record(str(key), str(key), text, str(key)) for key, text in inputs.items()]
        spec = {"texts": hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()}
    else:
        input_set = classify(list(inputs), InputOptions(skip_bad=skip_bad, suffixes=ARTICLE_SUFFIXES))
        records = read_records(input_set, rejects)
        spec = {"inputs": input_set.fingerprint(), "kind": input_set.kind}
    report = ChainReport()
    sink = StreamSink(out, job_key({**spec, "options": repr(options)}), restart) if out else StdoutSink(Path("toolkit-chain.rejects.jsonl"))
    report.resumed = sink.consumed
    try:
        for index, record in enumerate(records):
            if index < report.resumed:
                continue
            try:
                result = chain.run(record.text, record.id, record.origin)
            except (InputError, LanguageError) as exc:  # this article's problem, not the run's
                if not skip_bad:
                    raise InputError(f"{record.origin}: {exc.message}", exc.hint or "fix the article, or pass --skip-bad") from None
                rejects.append(Reject(record.origin, exc.message, record.text[:200]))
                result = None
            if result is not None:
                report.results.append(result)
                if emit:
                    emit(result)
            lines = [json.dumps(result.to_dict(), ensure_ascii=False) + "\n"] if result and out else []
            report.rejected += len(rejects)
            sink.write(lines, rejects, index + 1)
            rejects.clear()
    except InputError as exc:
        if out is not None and report.results:
            raise InputError(f"{exc.message}; the {len(report.results)} articles finished before it are kept",
                             "fix or remove the article and rerun to resume, or pass --skip-bad") from None
        raise
    sink.finish()
    if out is not None:
        report.outputs.append(str(out))
    if sink.rejects.count:
        report.outputs.append(str(sink.rejects.path))
    return report


def summary_options(targets: Sequence[str], models: Mapping[str, str] | None = None, source: str | None = None,
                    method: str = "abstractive") -> ChainOptions:
    """Options for summaries in ``targets`` (the source language among them or not): summarise,
    then translate into the others. ``models``: ``{"summarize": ID, LANG: ID, ...}``."""
    models = dict(models or {})
    summary_model = models.pop("summarize", None)
    others = [get_language(t).code for t in targets if t != source]
    return ChainOptions(steps=default_steps(others), source=source, method=method, summary_model=summary_model,
                        translation_models=models)


def plan_steps(steps: str | None, targets: str | None, default_targets: str = "") -> tuple[Step, ...]:
    """The steps from ``--steps``, or summarise then translate into each of ``--to``; not both."""
    from toolkit.languages import parse_language_list

    if steps and targets:
        raise ToolkitError("--to and --steps were both given", "name the languages in --steps, e.g. summarize,translate:fa")
    if steps:
        return parse_steps(steps)
    targets = targets or default_targets
    return default_steps(parse_language_list(targets) if targets else [])
