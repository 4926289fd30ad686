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
from toolkit.io.inputs import Record
from toolkit.languages import get_language
from toolkit.summarize import Summarizer, Summary, SummaryLength, build_summarizer, check_options
from toolkit.translate.base import Translator

PIVOT = "en"
ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")
# Articles pooled for one batch set of translations; smaller than translate's pools, since every
# article is also summarised (slow) and a killed job loses at most one pool.
CHAIN_POOL_CHARS = 50_000


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
                raise InputError("«steps» has 'summarize' twice", "summarise once; translate the summary after it")
            steps.append(Step("summarize"))
        elif name == "translate" and lang:
            steps.append(Step("translate", get_language(lang).code))
        else:
            raise InputError(f"unknown step '{word}' in «steps»", "use summarize and translate:LANG, e.g. summarize,translate:fa")
    if not steps:
        raise InputError("«steps» is empty", "e.g. summarize,translate:fa,translate:sq")
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
    batch_tokens: int | None = None  # padded tokens per translation batch (None: TOOLKIT_BATCH_TOKENS, else the device default)
    pool_chars: int | None = None  # articles' characters per pool (None: TOOLKIT_POOL_CHARS, else CHAIN_POOL_CHARS)


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
        from toolkit.settings import setting

        self.batch_tokens = setting("batch_tokens", options.batch_tokens, None)

    def summarizer(self, lang: str) -> Summarizer:
        if lang not in self._summarizers:
            o = self.options
            self._summarizers[lang] = build_summarizer(o.method, lang, o.summary_model, o.prompt, o.backend,
                                                      o.quantization)
        return self._summarizers[lang]

    def translator(self, source: str, target: str) -> Translator:
        if (source, target) not in self._translators:
            from toolkit.provenance import DecodingSettings
            from toolkit.translate.factory import build_translators

            o = self.options
            model = o.translation_models.get(target, o.translation_model)
            self._translators[source, target] = build_translators(source, {target: model}, o.backend,
                                                                  DecodingSettings(beams=o.beams), o.translation_memory,
                                                                  quantization=o.quantization)[target]
        return self._translators[source, target]

    def run(self, raw: str, article_id: str = "article", path: str | None = None) -> ChainResult:
        """All steps on one article (text, Markdown or HTML as read from ``path``)."""
        from toolkit.io.jobs import Unfinished
        from toolkit.io.inputs import Record

        try:
            [result] = self.process([Record(article_id, article_id, raw, path or article_id, unit=article_id)])
        except Unfinished as stop:
            raise stop.error from None
        return result.result

    def process(self, records: Sequence[Record], skip_bad: bool = False) -> list:
        """All steps on a pool of articles: the processing function of the job runner.

        Each article is cleaned, its language detected and summarised on its own; each translation
        step translates the texts of every article in the pool that needs it in one length-sorted,
        token-budgeted batch set per language pair. Returns, per record in order, a ``Finished``
        (``output``: ``ChainResult.to_dict()``, ``result``: the ``ChainResult``) or, with
        ``skip_bad``, a ``Reject`` for an article that cannot go through the chain. Without it, such
        an article raises ``Unfinished`` with the results of the articles before it.
        """
        from toolkit.io.jobs import Unfinished
        from toolkit.text.clean import article_text

        pool = _Pool(records, skip_bad)
        for i, record in enumerate(records):
            if pool.stop:
                break
            started = time.perf_counter()
            try:
                cleaned = article_text(record.text, record.origin)
                source = self.options.source or _detect(cleaned.text)
            except (InputError, LanguageError) as exc:
                pool.fail(i, exc)
                continue
            pool.live[i] = _Article(record, cleaned.removed, source, {source: cleaned.text})
            pool.live[i].timings["clean"] = time.perf_counter() - started
        for step in self.options.steps:
            (self._summarize if step.kind == "summarize" else self._translate)(pool, step)
        for i, article in pool.live.items():
            pool.results[i] = self._finished(article, len(records))
        if pool.stop:
            index, error = pool.stop
            raise Unfinished(pool.results[:index], error)
        return pool.results

    def _summarize(self, pool: _Pool, step: Step) -> None:
        for i, art in pool.articles():
            started = time.perf_counter()
            lang = list(art.stage)[-1]
            try:
                art.details = self.summarizer(lang).summarize(art.stage[lang], lang, self.options.length)
            except (InputError, LanguageError) as exc:
                pool.fail(i, exc)
                continue
            art.summary = art.stage = {lang: art.details.text}
            art.timings[str(step)] = time.perf_counter() - started

    def _translate(self, pool: _Pool, step: Step) -> None:
        """One batch set per language pair for every article of the pool that needs the step."""
        from toolkit.translate.engine import translate_texts

        groups: dict[tuple[str, str], list[int]] = {}
        for i, art in pool.articles():
            if step.lang == next(iter(art.stage)):
                continue  # already in that language (e.g. --to en for an English article)
            if step.lang in art.stage:
                what = "summary" if art.stage is art.summary else "article"
                pool.fail(i, LanguageError(f"step {step}: the {what} is already in '{step.lang}'",
                                           "drop that step from the steps or the target languages"))
                continue
            groups.setdefault((PIVOT if PIVOT in art.stage else next(iter(art.stage)), step.lang), []).append(i)
        for (origin, target), members in groups.items():
            started = time.perf_counter()
            members = [i for i in members if i in pool.live]
            translator = self.translator(origin, target)
            texts = translate_texts([pool.live[i].stage[origin] for i in members], translator, self.batch_tokens)
            seconds = time.perf_counter() - started
            for i, text in zip(members, texts):
                art = pool.live[i]
                art.stage[target] = text
                art.translators[f"{origin}-{target}"] = translator.provenance.to_dict()
                art.timings[str(step)] = seconds  # the pool's batch set for this pair

    def _finished(self, art: _Article, pool_articles: int):
        from toolkit.io.sinks import Finished
        from toolkit.provenance import library_versions

        timings = {name: round(t, 3) for name, t in art.timings.items() if name != "clean"}
        timings["total"] = round(sum(art.timings.values()), 3)
        manifest = {
            "steps": [str(s) for s in self.options.steps],
            "summarizer": _summary_manifest(art.details) if art.details else None,
            "translators": art.translators,
            "cleaning": {"removed_lines": list(art.removed)},
            "timings_s": timings,
            "pool_articles": pool_articles,
            "versions": library_versions(),
        }
        translations = {lang: text for lang, text in art.article.items() if lang != art.source}
        result = ChainResult(art.record.id, art.source, art.summary, translations, manifest)
        return Finished(art.record, result.to_dict(), result=result)


class _Pool:
    """Articles on their way through the steps together. An article that cannot go on is set aside
    (``skip_bad``: a Reject in its place) or stops the pool there: it and the articles after it are
    dropped (a resumed job redoes them), those before it finish."""

    def __init__(self, records: Sequence[Record], skip_bad: bool):
        self.records, self.skip_bad = records, skip_bad
        self.results: list = [None] * len(records)
        self.live: dict[int, _Article] = {}
        self.stop: tuple[int, InputError] | None = None

    def articles(self):
        """(index, article) of the articles still going, as they are when each is reached."""
        for i in list(self.live):
            if i in self.live:
                yield i, self.live[i]

    def fail(self, i: int, exc: ToolkitError) -> None:
        from toolkit.io.inputs import Reject

        record = self.records[i]
        self.live.pop(i, None)
        if self.skip_bad:
            self.results[i] = Reject(record.origin, exc.message, record.text[:200], record.unit)
            return
        if self.stop is None or i < self.stop[0]:
            self.stop = (i, InputError(f"{record.origin}: {exc.message}", exc.hint or "fix the article, or set it aside"))
        for j in [j for j in self.live if j > i]:
            self.live.pop(j)


@dataclass
class _Article:
    """One article on its way through the chain's steps."""

    record: Record
    removed: Sequence[str]
    source: str
    stage: dict[str, str]  # the current stage's text per language (the article, then the summary)
    summary: dict[str, str] = field(default_factory=dict)
    details: Summary | None = None
    translators: dict[str, dict] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.article = self.stage  # the article's own text per language (kept when the stage moves on)


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
    total: int = 0  # articles finished by the job over all its runs
    outputs: list[str] = field(default_factory=list)


def run_chain(inputs: Sequence[str] | Mapping[str, str], options: ChainOptions | None = None, out: Path | None = None,
              restart: bool = False, skip_bad: bool = False, emit: Callable[[ChainResult], None] | None = None,
              chain: Chain | None = None, column: str = "text", errors: str = "strict") -> ChainReport:
    """Run the chain on every article in ``inputs``: texts, files, folders, ``-``, JSONL, CSV as on
    the command line, or a mapping of article id to article text (library callers).

    Articles are pooled (``options.pool_chars``) and each pool goes through ``Chain.process`` with
    the one job runner (``toolkit.io.jobs``). With ``out``, results go to a JSONL file (one
    ``ChainResult.to_dict()`` per line) written as each pool finishes, locked against other jobs,
    and a rerun resumes by article identity. ``emit`` is called with each result as it is made. A
    bad article stops the run with an InputError (the articles finished before it are kept), or
    with ``skip_bad`` is set aside in a rejects file (``OUT.rejects.jsonl``, or
    ``toolkit-chain.rejects.jsonl``). ``column``: the CSV/TSV column holding the article;
    ``errors``: strict or replace (undecodable bytes become U+FFFD).
    """
    from toolkit.io.inputs import classify, read_items
    from toolkit.settings import check_settings, setting

    check_settings()
    options = options or ChainOptions()
    chain = chain or Chain(options)
    if isinstance(inputs, Mapping):
        items = [Record(str(key), str(key), text, str(key), unit=str(key)) for key, text in inputs.items()]
        units = {str(key): ["sha256", hashlib.sha256(text.encode()).hexdigest()[:16]] for key, text in inputs.items()}
        kind, names = "texts", [str(k) for k in inputs]
    else:
        input_set = classify(list(inputs), chain_inputs(skip_bad, column, errors))
        items, kind, names = read_items(input_set), input_set.kind, input_set.items
        units = None
    pool_chars = setting("pool_chars", options.pool_chars, CHAIN_POOL_CHARS)
    report = ChainReport()

    with chain_sink(out, names, skip_bad) as sink:
        progress = sink.begin(chain_job_key(kind, options, column, errors), units if units is not None else input_set.units(),
                              restart)
        drive_chain(items, lambda records: chain.process(records, skip_bad), sink, progress, pool_chars, report, emit)
        manifest = {"task": "chain", "inputs": names, "records": progress.records, "rejected": progress.rejected}
        report.outputs = sink.finish(manifest if out is not None else None)
    return report


def chain_inputs(skip_bad: bool = False, column: str = "text", errors: str = "strict"):
    """How a chain job reads its articles (``InputOptions``), on every engine."""
    from toolkit.io.inputs import InputOptions

    return InputOptions(column=column, errors=errors, skip_bad=skip_bad, suffixes=ARTICLE_SUFFIXES)


def chain_job_key(kind: str, options: ChainOptions, column: str = "text", errors: str = "strict") -> str:
    """What identifies a chain job for resuming, on every engine."""
    from toolkit.io.checkpoint import job_key

    spec = {"task": "chain", "kind": kind, "options": repr(options)}
    if (column, errors) != ("text", "strict"):  # so that jobs with the defaults keep the key they always had
        spec["reading"] = [column, errors]
    return job_key(spec)


def chain_sink(out: Path | None, inputs: Sequence[str], skip_bad: bool):
    """Where a chain job writes: one ``ChainResult.to_dict()`` JSON line per article to ``out``
    (resumable, locked), else standard output."""
    from toolkit.io.sinks import StdoutSink, StreamSink

    if out is not None:
        return StreamSink(out, lambda f: json.dumps(f.output, ensure_ascii=False) + "\n", inputs, check_rejects=skip_bad)
    return StdoutSink(None, Path("toolkit-chain.rejects.jsonl"), check_rejects=skip_bad)


def drive_chain(items, process: Callable[[list[Record]], list], sink, progress, pool_chars: int, report: ChainReport,
                emit: Callable[[ChainResult], None] | None = None) -> None:
    """Run a chain job's pools through the one job runner: ``process`` is ``Chain.process`` (or an
    engine's stand-in for it); every result goes into ``report`` and to ``emit`` as its pool
    finishes. A bad article stops the job, keeping the articles finished before it."""
    from toolkit.io.jobs import Unfinished, run_job
    from toolkit.io.sinks import StdoutSink

    def collect(done: list) -> None:
        for item in done:
            if getattr(item, "result", None) is not None:
                report.results.append(item.result)
                if emit:
                    emit(item.result)

    def collecting(records: list[Record]) -> list:
        try:
            done = process(records)
        except Unfinished as stop:
            collect(stop.done)
            raise
        collect(done)
        return done

    try:
        job = run_job(items, collecting, sink, progress, pool_chars)
    except InputError as exc:
        if not isinstance(sink, StdoutSink) and report.results:  # the finished ones are in the output
            raise InputError(f"{exc.message}; the {len(report.results)} articles finished before it are kept",
                             "fix or remove the article and rerun to resume, or set bad articles aside") from None
        raise
    report.resumed, report.rejected, report.total = job.resumed, job.rejected, progress.records


def chain_options(steps: tuple[Step, ...], source: str = "auto", method: str = "abstractive",
                  summary_model: str | None = None, prompt: str | None = None, max_words: int | None = None,
                  sentences: int | None = None, models: Sequence[str] = (), beams: int = 1, backend: str = "auto",
                  quantization: str | None = None, memory: bool = True) -> ChainOptions:
    """Chain options from the commands' words: ``source`` a language or ``auto`` (detect each
    article), ``models`` translation models in the one grammar (``ID`` for every target, ``LANG=ID``
    for one), ``summary_model`` the summariser."""
    from toolkit.translate.factory import parse_model_options

    if models and not any(step.kind == "translate" for step in steps):
        raise ToolkitError("«models» names a translation model, and these steps translate nothing",
                           "the summariser is «summary_model»; «targets» (or a translate step) translates the summary")
    default_model, per_target = parse_model_options(list(models))
    return ChainOptions(
        steps=steps, source=None if source == "auto" else get_language(source).code, method=method,
        summary_model=summary_model, prompt=prompt, length=SummaryLength(max_words, sentences),
        translation_model=default_model, translation_models=per_target, beams=beams,
        backend=backend, quantization=quantization, translation_memory=memory,
    )


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
        raise ToolkitError("«targets» and «steps» were both given", "name the languages in «steps», e.g. summarize,translate:fa")
    if steps:
        return parse_steps(steps)
    targets = targets or default_targets
    return default_steps(parse_language_list(targets) if targets else [])
