"""The models behind the service: one translator per language pair, each on its own worker thread.

Everything that touches a translator (its tokenizer, the model, its translation-memory connection)
runs on that pair's one thread, so no tokenizer or SQLite connection is shared between threads, and
the event loop never waits on the model. Plain translations go through the pair's micro-batcher;
n-best alternatives and suggestions (kept for review, never served) run on the same thread. Summaries
and chains run on a thread of their own with the library's ``Chain``. Each thread's work, of every
kind, is admitted through that thread's one bounded queue (``batcher.MicroBatcher``): past the queue
limit a request is turned away with ``QueueFull``.
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Callable, Sequence

from toolkit.errors import LanguageError
from toolkit.formats import Parsed
from toolkit.languages import get_language
from toolkit.serve.batcher import MicroBatcher
from toolkit.serve.config import ServeConfig
from toolkit.serve.metrics import Metrics
from toolkit.text.codes import Protection
from toolkit.translate.base import Translator
from toolkit.translate.engine import TranslatedDocument


@dataclass(frozen=True)
class _Text:
    """A text in a pair's queue, with how it is read: Markdown, or with inline tags as codes (``markup``:
    HTML, a document's parts); texts of every kind share the micro-batch."""

    text: str
    markdown: bool = False
    markup: bool = False


@dataclass
class Pair:
    """One language pair: its translator, its thread and that thread's queue."""

    source: str
    target: str
    executor: ThreadPoolExecutor
    translator: Translator | None = None
    batcher: MicroBatcher | None = field(default=None, repr=False)

    async def call(self, fn: Callable, *args, work: str):
        """Run ``fn(translator, *args)`` on this pair's thread, admitted through its queue."""
        return await self.queue.call(partial(fn, self.translator, *args), work)

    @property
    def queue(self) -> MicroBatcher:
        if self.batcher is None:
            raise RuntimeError("TranslationService.start() was not called")
        return self.batcher


class TranslationService:
    """Loads the configured pairs (``load``, blocking: errors surface before the server listens)
    and answers translation, detection, suggestion, summary and chain requests."""

    def __init__(self, config: ServeConfig, metrics: Metrics | None = None):
        self.config = config
        self.metrics = metrics or Metrics()
        self.pairs: dict[tuple[str, str], Pair] = {}
        self.chain_executor = ThreadPoolExecutor(1, thread_name_prefix="toolkit-chain")
        self._chain_queue: MicroBatcher | None = None
        self._chains: dict = {}

    # ------------------------------------------------------------------ loading
    def load(self) -> None:
        for source, target in self.config.pairs:
            executor = ThreadPoolExecutor(1, thread_name_prefix=f"toolkit-{source}-{target}")
            pair = Pair(source, target, executor)
            pair.translator = executor.submit(self._build, source, target).result()
            self.pairs[source, target] = pair
        if self.config.summary_model:
            self._summary_chain()

    def _summary_chain(self):
        """The chain that makes abstractive summaries with the configured model, its summariser loaded
        now, so that a bad model stops the server before it listens."""
        from toolkit.chain import Chain, chain_options

        c = self.config
        chain = self._chains["abstractive", c.summary_model] = Chain(chain_options(
            method="abstractive", summary_model=c.summary_model, backend=c.backend, quantization=c.quantization))
        chain.summarizer(c.source)

    def _build(self, source: str, target: str) -> Translator:
        from toolkit.translate.factory import build_translators

        c = self.config
        # Built on the pair's own thread: the translation memory connection is this thread's.
        translator = build_translators(source, {target: c.model_for(target)}, c.backend, c.decoding,
                                       c.translation_memory, quantization=c.quantization, threads=c.threads)[target]
        # Weights load at the first use: load them now, so the server listens only once it can answer.
        translator.load()
        return translator

    def start(self) -> None:
        """Make the queues; call inside the running event loop."""
        from toolkit.translate.engine import default_batch_tokens

        c, metrics = self.config, self.metrics
        for pair in self.pairs.values():
            budget = c.batch_tokens or default_batch_tokens(pair.translator)
            pair.batcher = MicroBatcher(partial(self._translate_fn(budget), pair.translator), pair.executor, budget,
                                        c.batch_wait_ms / 1000, c.queue_limit, size_of=lambda t: max(1, len(t.text) // 4),
                                        on_batch=metrics.observe_batch, on_reject=metrics.reject)
        self._chain_queue = MicroBatcher(None, self.chain_executor, 1, 0, c.queue_limit, on_reject=metrics.reject)

    def _translate_fn(self, budget: int) -> Callable[[list[_Text]], list[TranslatedDocument]]:
        from toolkit.translate.engine import translate_documents

        metrics = self.metrics

        def run(translator: Translator, texts: list[_Text], protection: Protection | None = None) -> list[TranslatedDocument]:
            hits, misses = translator.hits, translator.misses
            out = translate_documents([t.text for t in texts], translator, budget,
                                      protection=protection or self.config.protection(translator.target),
                                      markdown=[t.markdown for t in texts], markup=[t.markup for t in texts])
            metrics.memory(translator.hits - hits, translator.misses - misses)
            return out

        return run

    async def close(self) -> None:
        for pair in self.pairs.values():
            if pair.batcher:
                await pair.batcher.close()
            pair.executor.shutdown(wait=False)
        if self._chain_queue:
            await self._chain_queue.close()
        self.chain_executor.shutdown(wait=False)

    # ------------------------------------------------------------------ languages
    @property
    def languages(self) -> list[str]:
        """Every language the service reads or writes, sources first."""
        codes = [self.config.source, *self.config.targets]
        return list(dict.fromkeys(codes))

    @property
    def sources(self) -> list[str]:
        """The languages the service translates from."""
        return list(dict.fromkeys(s for s, _ in self.pairs))

    def targets_of(self, source: str) -> list[str]:
        return sorted(t for s, t in self.pairs if s == source)

    def pair(self, source: str, target: str) -> Pair:
        pair = self.pairs.get((source, target))
        if pair is None:
            raise LanguageError(f"{get_language(target).name} ({target}) is not available as a target language from "
                                f"{get_language(source).name} ({source})")
        return pair

    def queue_depth(self) -> Counter:
        """Requests waiting, by kind of work."""
        queues = [p.batcher for p in self.pairs.values() if p.batcher] + [q for q in [self._chain_queue] if q]
        return sum((q.waiting for q in queues), Counter())

    # ------------------------------------------------------------------ work
    async def documents(self, source: str, target: str, texts: Sequence[str], protection: Protection | None = None,
                        markdown: bool = False, markup: bool = False) -> list[TranslatedDocument]:
        """Translations of ``texts`` (Markdown, or with inline tags as codes: ``markup``) with their
        segments; with a request's own ``protection`` (``ServeConfig.protection``) they are translated
        on their own rather than batched with other requests'."""
        from toolkit.translate.engine import default_batch_tokens

        pair = self.pair(source, target)
        items = [_Text(t, markdown, markup) for t in texts]
        if protection is None or protection == self.config.protection(target):
            return await pair.queue.submit(items)
        run = self._translate_fn(self.config.batch_tokens or default_batch_tokens(pair.translator))
        return await pair.queue.submit(items, "translate", lambda chunk: run(pair.translator, chunk, protection))

    async def written(self, source: str, target: str, documents: Sequence[Parsed], protection: Protection | None = None,
                      markup: bool = False) -> list[TranslatedDocument]:
        """Documents of a format (``toolkit.formats``; ``markup``: their parts' inline tags are codes)
        written back with their parts translated, their segments named by their part, as the CLI writes
        them; all their parts go to the model in one request."""
        from toolkit.translate.documents import write_document

        translated = await self.documents(source, target, [p.text for d in documents for p in d.parts], protection,
                                          markup=markup)
        out, start = [], 0
        for document in documents:
            out.append(write_document(document, translated[start:start + len(document.parts)], target))
            start += len(document.parts)
        return out

    async def alternatives(self, source: str, target: str, texts: Sequence[str], n: int,
                           protection: Protection | None = None) -> list[list[str]]:
        """The ``n`` best translations of each text (the first is the translation)."""
        from toolkit.translate.engine import translate_texts_nbest

        pair, budget = self.pair(source, target), self.config.batch_tokens
        protection = protection or self.config.protection(target)
        return await pair.queue.submit([_Text(t) for t in texts], "alternatives", lambda chunk: translate_texts_nbest(
            [t.text for t in chunk], pair.translator, n, budget, protection))

    async def suggest(self, source: str, target: str, text: str, suggestion: str, client: str) -> None:
        """Keep a user's correction for review (``toolkit serve suggestions``); it is not served until accepted."""
        from toolkit.serve.suggestions import SuggestionStore

        def store(translator) -> None:
            from toolkit.errors import ToolkitError

            scope = translator.scope
            if scope is None:
                raise ToolkitError("the translation memory is off", "start the server with the translation memory on")
            SuggestionStore(self.config.suggestions_db).add(source, target, text, suggestion, scope, client)

        await self.pair(source, target).call(store, work="suggest")

    async def chain(self, options, text: str, work: str = "chain") -> dict:
        """One article through ``toolkit.chain.Chain`` (summaries and translations), as the CLI's --json;
        ``work`` names it in the metrics."""
        from toolkit.chain import Chain

        def run() -> dict:
            # One Chain per summariser, so its loaded models serve every request; the steps and
            # length of this request replace the previous one's (runs are one at a time on this thread).
            key = (options.method, options.summary_model)
            chain = self._chains.get(key)
            if chain is None:
                chain = self._chains[key] = Chain(options)
            chain.options = options
            return chain.run(text, "article").to_dict()

        if self._chain_queue is None:
            raise RuntimeError("TranslationService.start() was not called")
        return await self._chain_queue.call(run, work)
