"""Articles through the steps: ``Chain`` (its models loaded once) and its per-article ``ChainResult``."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Sequence

from toolkit.chain.options import ChainOptions
from toolkit.chain.steps import Step
from toolkit.errors import InputError, LanguageError, ToolkitError
from toolkit.io.inputs import Record
from toolkit.summarize import Summarizer, Summary, build_summarizer, check_options
from toolkit.translate.base import Translator


@dataclass(frozen=True)
class ChainResult:
    """One article through the chain: summaries and full translations keyed by language; ``flags``
    the flagged segments of each translation (as ``translate`` gives them; None: checks off)."""

    id: str
    source_lang: str
    summary: dict[str, str]
    translations: dict[str, str]
    manifest: dict
    # summary sentences stating a number or a name the article does not, per language summarised
    summary_flags: dict[str, list[dict]] = field(default_factory=dict)
    flags: dict[str, list[dict]] | None = None

    def to_dict(self) -> dict:
        out = {"id": self.id, "source_lang": self.source_lang, "summary": self.summary,
               "translations": self.translations, "manifest": self.manifest}
        return (out | ({"summary_flags": self.summary_flags} if self.summary else {})
                | ({"flags": self.flags} if self.flags is not None else {}))


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
            self._translators[source, target] = build_translators(source, {target: o.model_for(target)}, o.backend,
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
            art.summary_flags = {lang: summary_flags(art.stage[lang], art.details.text, lang)}
            art.summary = art.stage = {lang: art.details.text}
            art.timings[str(step)] = time.perf_counter() - started

    def _translate(self, pool: _Pool, step: Step) -> None:
        """One batch set per language pair for every article of the pool that needs the step."""
        from toolkit.translate.engine import translate_documents
        from toolkit.translate.flagged import checkers, segment_flags
        from toolkit.translate.pivot import PIVOT, route, source_for

        groups: dict[tuple[str, str], list[int]] = {}
        for i, art in pool.articles():
            if step.lang == next(iter(art.stage)):
                continue  # already in that language (e.g. --to en for an English article)
            if step.lang in art.stage:
                what = "summary" if art.stage is art.summary else "article"
                pool.fail(i, LanguageError(f"step {step}: the {what} is already in '{step.lang}'",
                                           "drop that step from the steps or the target languages"))
                continue
            groups.setdefault((source_for(list(art.stage)), step.lang), []).append(i)
        for (origin, target), members in groups.items():
            started = time.perf_counter()
            members = [i for i in members if i in pool.live]
            o = self.options
            translator = route(origin, target, o.model_for(target), o.model_for(PIVOT), self.translator)
            protection = o.protection(target)
            check = checkers(origin, {target: protection})[target] if o.flags else None
            documents = translate_documents([pool.live[i].stage[origin] for i in members], translator, self.batch_tokens,
                                            protection=protection, check=check)
            seconds = time.perf_counter() - started
            for i, document in zip(members, documents):
                art = pool.live[i]
                art.stage[target] = document.text
                if check is not None:
                    art.flags[target] = segment_flags(document)
                art.translators[f"{origin}-{target}"] = translator.provenance.to_dict()
                art.timings[str(step)] = seconds  # the pool's batch set for this pair

    def _finished(self, art: _Article, pool_articles: int):
        from toolkit.io.sinks import Finished
        from toolkit.provenance import library_versions
        from toolkit.translate.flagged import count_flags

        timings = {name: round(t, 3) for name, t in art.timings.items() if name != "clean"}
        timings["total"] = round(sum(art.timings.values()), 3)
        manifest = {
            "steps": [str(s) for s in self.options.steps],
            "summarizer": _summary_manifest(art.details) if art.details else None,
            "translators": art.translators,
            "protect": self.options.protect,
            "glossary": self.options.glossary.describe() if self.options.glossary else None,
            "cleaning": {"removed_lines": list(art.removed)},
            "timings_s": timings,
            "pool_articles": pool_articles,
            "versions": library_versions(),
        }
        translations = {lang: text for lang, text in art.article.items() if lang != art.source}
        result = ChainResult(art.record.id, art.source, art.summary, translations, manifest, art.summary_flags,
                             art.flags if self.options.flags else None)
        counts: dict[str, int] = {}
        count_flags(art.flags, art.flags, counts)
        return Finished(art.record, result.to_dict(), result=result, counts=counts)


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
    summary_flags: dict[str, list[dict]] = field(default_factory=dict)
    flags: dict[str, list[dict]] = field(default_factory=dict)  # per language translated into: its flagged segments
    translators: dict[str, dict] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.article = self.stage  # the article's own text per language (kept when the stage moves on)


def _detect(text: str) -> str:
    from toolkit.text.langid import detect_language

    return detect_language(text)


def summary_flags(article: str, summary: str, lang: str) -> list[dict]:
    """The summary's sentences that state a number or a name the article does not contain."""
    from toolkit.eval.segment_checks import check_summary

    return [{"sentence": index, "text": sentence, "flags": [f.to_dict() for f in flags]}
            for index, sentence, flags in check_summary(article, summary, lang)]


def _summary_manifest(summary: Summary) -> dict:
    data = summary.to_dict()
    data.pop("text")
    data["seconds"] = round(data["seconds"], 3)
    return data

