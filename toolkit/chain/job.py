"""A chain job: articles read, pooled, through ``Chain.process`` with the one job runner, resumable."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Mapping, Sequence

from toolkit.chain.options import ChainOptions
from toolkit.chain.process import Chain, ChainResult
from toolkit.errors import InputError
from toolkit.io.inputs import DOCUMENT_SUFFIXES, Record
from toolkit.io.sinks import SetAside

# Every kind of document is read as plain text (toolkit.formats.reading): a web page's article, a PDF's
# paragraphs, subtitles' cue texts, a PO catalogue's msgids, an EPUB's chapters.
ARTICLE_SUFFIXES = DOCUMENT_SUFFIXES
# Articles pooled for one batch set of translations; smaller than translate's pools, since every
# article is also summarised (slow) and a killed job loses at most one pool.
CHAIN_POOL_CHARS = 50_000


@dataclass
class ChainReport:
    """What a chain run did: results of this run (not those resumed), where they went, and what the
    job set aside over all its runs (``set_aside``)."""

    results: list[ChainResult] = field(default_factory=list)
    resumed: int = 0
    rejected: int = 0
    total: int = 0  # articles finished by the job over all its runs
    outputs: list[str] = field(default_factory=list)
    set_aside: SetAside = SetAside()
    flags: dict = field(default_factory=dict)  # flagged translated sentences over the whole job: {"segments": n, CHECK: n}


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
    ``toolkit-chain.rejects.jsonl``), as a document of a folder that cannot be read always is
    (``report.set_aside``). ``column``: the CSV/TSV column holding the article;
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
        kind, names, sets_aside = "texts", [str(k) for k in inputs], skip_bad
    else:
        input_set = classify(list(inputs), chain_inputs(skip_bad, column, errors))
        items, kind, names, sets_aside = read_items(input_set), input_set.kind, input_set.items, input_set.sets_aside
        units = None
    pool_chars = setting("pool_chars", options.pool_chars, CHAIN_POOL_CHARS)
    report = ChainReport()

    with chain_sink(out, names, sets_aside) as sink:
        progress = sink.begin(chain_job_key(kind, options, column, errors), units if units is not None else input_set.units(),
                              restart)
        drive_chain(items, lambda records: chain.process(records, skip_bad), sink, progress, pool_chars, report, emit)
        manifest = {"task": "chain", "inputs": names, "records": progress.records, "rejected": progress.rejected}
        return finish_chain(sink, options, progress, report, manifest if out is not None else None)


def finish_chain(sink, options: ChainOptions, progress, report: ChainReport, manifest: dict | None) -> ChainReport:
    """Make a chain job's output whole, with its ``manifest`` (None: none) and the job's flag counts
    in it, on every engine, and fill in ``report``'s totals over the whole job."""
    flags = chain_flags(options, progress)
    report.flags = flags or {}
    report.outputs = sink.finish({**manifest, "flags": flags} if manifest is not None else None)
    report.set_aside = SetAside.read(sink.rejects_path, progress.rejected)
    return report


def chain_flags(options: ChainOptions, progress) -> dict | None:
    """The manifest's count of flagged translated sentences over the whole job (None: checks off)."""
    from toolkit.translate.flagged import flag_counts

    return flag_counts(progress.counters) if options.flags else None


def chain_inputs(skip_bad: bool = False, column: str = "text", errors: str = "strict"):
    """How a chain job reads its articles (``InputOptions``), on every engine."""
    from toolkit.io.inputs import InputOptions

    return InputOptions(column=column, errors=errors, skip_bad=skip_bad, suffixes=ARTICLE_SUFFIXES, as_text=True)


def chain_job_key(kind: str, options: ChainOptions, column: str = "text", errors: str = "strict") -> str:
    """What identifies a chain job for resuming, on every engine: the inputs' kind and reading, and
    the options that shape its outputs (steps, source, summariser, translators). The translation
    memory, batch and pool sizes and the output path do not: a rerun with those changed resumes."""
    from toolkit.io.checkpoint import job_key

    o = options
    return job_key({
        "task": "chain", "kind": kind, "reading": {"column": column, "errors": errors},
        "steps": [str(step) for step in o.steps], "source": o.source,
        "summarizer": {"method": o.method, "model": o.summary_model, "prompt": o.prompt, "length": asdict(o.length)},
        "translators": {"model": o.translation_model, "models": dict(o.translation_models), "beams": o.beams},
        "backend": o.backend, "quantization": o.quantization, "protect": o.protect,
        "glossary": o.glossary.digest if o.glossary else None, "flags": o.flags,
    })


def chain_sink(out: Path | None, inputs: Sequence[str], sets_aside: bool):
    """Where a chain job writes: one ``ChainResult.to_dict()`` JSON line per article to ``out``
    (resumable, locked), else standard output; ``sets_aside``: its rejects file is checked first."""
    from toolkit.io.sinks import StdoutSink, StreamSink

    if out is not None:
        return StreamSink(out, lambda f: json.dumps(f.output, ensure_ascii=False) + "\n", inputs, check_rejects=sets_aside)
    return StdoutSink(None, Path("toolkit-chain.rejects.jsonl"), check_rejects=sets_aside)


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

