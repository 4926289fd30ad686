"""Batch translation: records in, finished records out (``translate_records``), and the whole job
over files with the one resumable runner (``run_translation_job``).

The output record of a translation (one JSON line of ``--json`` or JSONL output):

- JSONL and CSV/TSV inputs: the input's fields, plus ``translations`` ({lang: text}), ``dir``
  ({lang: "rtl" | "ltr"}) and ``flags`` ({lang: flagged segments}, ``toolkit.translate.flagged``;
  not with the checks off), added to those the record already has;
- documents (texts, files, folders): ``id``, ``source`` (where it came from), ``source_lang``,
  ``translations``, ``dir``, ``flags`` and ``provenance`` ({lang: model provenance}).

CSV/TSV outputs show the flags as a ``flags_LANG`` column; document outputs to files write them to a
sidecar (``OUT.flags.jsonl``, or ``toolkit-flags.jsonl`` in an output folder).
"""

from __future__ import annotations

import csv
import io
import json
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping, Sequence

from toolkit.errors import InputError
from toolkit.formats import FormatOptions, format_for, is_binary, output_name
from toolkit.io.checkpoint import Progress, job_key
from toolkit.io.files import OutputError, check_name_fits, name_max
from toolkit.io.inputs import (TABLE_SUFFIXES, Document, Finished, InputOptions, InputSet, Record, classify,
                               path_kind, read_items)
from toolkit.io.jobs import JobReport, Unfinished, run_job
from toolkit.io.sinks import FolderSink, SetAside, Sink, StdoutSink, StreamSink
from toolkit.languages import get_language
from toolkit.provenance import DecodingSettings, library_versions
from toolkit.text.codes import Protection
from toolkit.translate.base import Translator
from toolkit.translate.documents import pool_texts
from toolkit.translate.engine import Check, translate_documents
from toolkit.translate.flagged import checkers, count_flags, flag_counts, flags_text, segment_flags, sidecar_lines
from toolkit.translate.glossary import Glossary, protections

# A pool of records is translated together (sorted and batched across documents), then written
# and checkpointed: larger pools batch better, smaller ones bound memory and lost work on a kill.
POOL_CHARS = 100_000


# The fields a translation adds to an input record ({lang: ...}), merged into those it has.
ADDED_FIELDS = ("translations", "dir", "flags")


def directions(targets: Sequence[str]) -> dict[str, str]:
    return {t: get_language(t).direction for t in targets}


def provenance(translators: dict[str, Translator]) -> dict[str, dict]:
    return {t: tr.provenance.to_dict() for t, tr in translators.items()}


def translate_records(records: Sequence[Record], translators: dict[str, Translator], batch_tokens: int | None = None,
                      on_batch: Callable[[int], None] | None = None,
                      protection: Mapping[str, Protection] | None = None,
                      documents: FormatOptions = FormatOptions(),
                      checks: Mapping[str, Check] | None = None) -> list[Finished]:
    """Translate records into every target of ``translators`` (one per target, same source): the
    sentences of all records are pooled, sorted by length and batched by tokens. Returns one
    ``Finished`` per record, in order, whose ``output`` is the output record (module docstring) and
    whose ``result`` is its ``TranslatedDocument`` per target (segments and flags). ``protection``: per
    target, the spans and glossary terms to protect (default: the spans, no glossary). A document of a
    known format (``toolkit.formats``) is translated part by part and written back as ``documents`` says.
    ``checks``: per target, the check of each segment (``JobSettings.checks``; None: no ``flags`` in the output).
    ``on_batch(n)`` is called after each batch of n distinct sentences."""
    if not records:
        return []
    added = ADDED_FIELDS if checks is not None else ADDED_FIELDS[:2]
    for n, record in enumerate(records):  # a field the output adds to must be an object, or it would be lost
        name = next((k for k in added if not isinstance((record.fields or {}).get(k, {}), dict)), None)
        if name is not None:
            error = InputError(f"{record.origin}: the field '{name}' is not an object of languages; the output "
                               "would replace it", f"rename the field (or column) '{name}' in the input")
            raise Unfinished(translate_records(records[:n], translators, batch_tokens, on_batch, protection, documents,
                                               checks), error)
    source = next(iter(translators.values())).source
    dirs = directions(list(translators))
    protection = protection or {}
    translated = {}
    for t, tr in translators.items():
        pool = pool_texts(records, documents)  # read again per target: writing fills a parsed document in
        done = translate_documents(pool.texts, tr, batch_tokens, on_batch, protection.get(t, Protection()), pool.markdown,
                                   checks.get(t) if checks is not None else None, markup=pool.markup)
        translated[t] = pool.assemble(done, t)
    origin = provenance(translators)
    finished = []
    for i, record in enumerate(records):
        results = {t: translated[t][i] for t in translators}
        translations = {t: d.text for t, d in results.items()}
        added = {"translations": translations, "dir": dirs}
        if checks is not None:
            added["flags"] = {t: segment_flags(d) for t, d in results.items()}
        if record.fields is not None:  # added to what a record has (from an earlier job)
            output = {**record.fields, **{k: {**record.fields.get(k, {}), **v} for k, v in added.items()}}
        else:
            output = {"id": record.id, "source": record.origin, "source_lang": source, **added, "provenance": origin}
        counts: dict[str, int] = {}
        count_flags(output.get("flags", {}), translators, counts)
        finished.append(Finished(record, output, translations, results, counts))
    return finished


@dataclass(frozen=True)
class TranslationJob:
    """What a batch translation does; every field has the command's default."""

    targets: tuple[str, ...]
    source: str = "en"
    models: tuple[str, ...] = ()  # the one grammar: ID for every target, LANG=ID for one
    backend: str = "auto"
    quantization: str | None = None
    beams: int = 1
    threads: int | None = None  # None: TOOLKIT_THREADS, else every usable core
    dtype: str | None = None  # hf weights; None: TOOLKIT_DTYPE, else bfloat16 where the CPU has it, else float32
    batch_tokens: int | None = None  # None: TOOLKIT_BATCH_TOKENS, else the engine's default for the device
    pool_chars: int | None = None  # None: TOOLKIT_POOL_CHARS, else POOL_CHARS
    memory: bool = True  # look up and store finished segments in the translation memory
    protect: bool | None = None  # protected spans (URLs, placeholders...) kept; None: the «protect» setting, else on
    glossary: Path | None = None  # None: the «glossary» setting, else none
    line_length: int | None = None  # subtitles' longest line; None: the «line_length» setting, else each cue's line count
    overwrite: bool = False  # PO entries that have a translation are translated again
    flags: bool | None = None  # each segment checked, its flags in the outputs; None: the «flags» setting, else on
    inputs: InputOptions = InputOptions()
    out: Path | None = None  # None: standard output
    as_json: bool = False
    restart: bool = False


@dataclass
class JobSummary:
    """What a job did: ``records``/``rejected`` in this run; ``resumed`` records done by earlier
    runs; ``total_records``/``total_rejected``, ``set_aside`` (the first rejects and their file) and
    ``bound_reached`` over the whole job."""

    records: int = 0
    resumed: int = 0
    rejected: int = 0
    total_records: int = 0
    total_rejected: int = 0
    sentences: int = 0
    bound_reached: dict[str, int] = field(default_factory=dict)  # per target: outputs cut at the length bound
    flags: dict[str, int] = field(default_factory=dict)  # flagged segments: "segments" in all, and per check
    outputs: list[str] = field(default_factory=list)  # the files really written
    set_aside: SetAside = SetAside()
    unit: str = "record"  # what one of the inputs' records is: a "record" (JSONL line, table row) or a "document"


class _Formats:
    """How finished records look in each kind of output."""

    def __init__(self, inputs: InputSet, targets: Sequence[str], as_json: bool, flags: bool):
        self.inputs, self.targets, self.as_json, self.flags = inputs, list(targets), as_json, flags
        self.delimiter = TABLE_SUFFIXES.get(Path(inputs.items[0]).suffix.lower(), ",")
        self.several = len(self.targets) > 1 or len(inputs.items) > 1 or path_kind(inputs.items[0]) == "dir"

    def target_column(self, target: str) -> str:
        return f"{self.inputs.options.column}_{target}"

    def columns(self) -> list[str]:
        """The input's columns, then a column per target and, with the checks on, a ``flags_LANG`` column
        per target (one the input has already is replaced in place)."""
        added = [self.target_column(t) for t in self.targets] + [f"flags_{t}" for t in self.targets if self.flags]
        return self.inputs.columns + [c for c in added if c not in self.inputs.columns]

    def header(self) -> str:
        if self.inputs.kind != "table":
            return ""
        return self._csv_row(self.columns())

    def _csv_row(self, values: list[str]) -> str:
        buf = io.StringIO()
        csv.writer(buf, delimiter=self.delimiter, lineterminator="\n").writerow(values)
        return buf.getvalue()

    def line(self, item: Finished) -> str:
        if self.inputs.kind == "table":
            row = {**(item.record.fields or {}), **{self.target_column(t): item.texts[t] for t in self.targets}}
            if self.flags:
                row.update({f"flags_{t}": flags_text(item.output["flags"][t]) for t in self.targets})
            return self._csv_row([row.get(c) or "" for c in self.columns()])
        if self.inputs.kind == "jsonl" or self.as_json:
            return json.dumps(item.output, ensure_ascii=False) + "\n"
        parts = []
        for target in self.targets:
            if self.several:
                parts.append(f"==> {item.record.id} [{target}] <==\n")
            text = item.texts[target]
            parts.append(text if text.endswith("\n") else text + "\n")
        return "".join(parts)


def count_records(inputs: list[str], options: InputOptions = InputOptions()) -> int | None:
    """How many records the inputs hold, for a progress bar (None when not known cheaply)."""
    return classify(list(inputs), options).count()


def _single_file_output(inputs: InputSet, out: Path) -> bool:
    """One document (text, stdin or file) to a named file, rather than a folder of documents."""
    return (inputs.kind == "documents" and len(inputs.items) == 1 and path_kind(inputs.items[0]) != "dir"
            and not out.is_dir() and bool(out.suffix))


def translated_name(relpath: str, target: str) -> str:
    """Where a document's translation into ``target`` goes in an output folder: its path below the
    inputs' common folder, the language before the extension (``world/story.md`` -> ``world/story.sq.md``)."""
    stem, ext = posixpath.splitext(output_name(relpath))
    return f"{stem}.{target}{ext}"


def _check_mirrored_names(inputs: InputSet, out: Path, targets: Sequence[str]) -> None:
    """Refuse, before any work, two documents that would be written to one file of ``out`` (an
    input given twice, or inside a folder also given)."""
    seen: dict[str, Document] = {}
    limit = name_max(out)
    for doc in inputs.documents():
        name = translated_name(doc.relpath, targets[0])
        for target in targets:
            check_name_fits(out / translated_name(doc.relpath, target), f"the translation of {doc.name}",
                            "give the input a shorter name", limit)
        other = seen.setdefault(name, doc)
        if other is doc:
            continue
        if other.unit == doc.unit:
            raise OutputError(f"{doc.name} is given twice (as {other.item} and {doc.item}); both would be written to "
                              f"{out / name}", "give each input once")
        raise OutputError(f"{other.name} and {doc.name} would both be written to {out / name}",
                          "translate them to separate output folders")


def _beside_input(inputs: InputSet, job: TranslationJob, to_stdout: bool) -> list[Path]:
    """A document of a format (DOCX, subtitles, PO, a web page...) given alone without an output: its
    translations go beside it, as files of its kind (``<stem>.<lang>.<ext>``, one per target, never over
    it: the files returned). A binary document cannot be a line of JSON nor go to standard output."""
    documents = [(d, format_for(d.relpath)) for d in inputs.documents()] if inputs.kind == "documents" else []
    binary = [(d, fmt) for d, fmt in documents if is_binary(fmt)]
    if binary and job.as_json:
        raise InputError(f"{binary[0][0].name}: a {binary[0][1].title} document cannot be written as JSON",
                         "leave out «json»")
    formatted = [d for d, fmt in documents if fmt is not None]
    if not formatted or job.out is not None or not to_stdout or job.as_json:
        return []
    if len(inputs.items) > 1 or formatted[0].file is None:
        if binary:
            raise InputError(f"{binary[0][0].name}: a {binary[0][1].title} document cannot be written to standard output",
                             "name an output folder («out»)")
        return []
    file = formatted[0].file
    return [file.with_name(translated_name(file.name, t)) for t in job.targets]


def open_sink(inputs: InputSet, job: TranslationJob, emit: Callable[[Finished], None] | None = None,
              flags: bool = True) -> Sink:
    """The sink for the job's output (not opened yet): documents to files (``flags``: with the flags
    sidecar), or a stream file, or standard output (``emit`` instead, when given)."""
    formats = _Formats(inputs, job.targets, job.as_json, flags)
    check_rejects = inputs.sets_aside
    out = job.out
    flags_of = (lambda item: sidecar_lines(item.record.id, item.record.origin, item.output["flags"])) if flags else None
    beside = _beside_input(inputs, job, emit is None)
    if beside:
        return FolderSink(beside[0], beside[0].parent, lambda item: {f.name: item.texts[t] for f, t in zip(beside, job.targets)},
                          inputs.items, check_rejects, flags_of)
    if out is None:
        rejects = Path(inputs.items[0] + ".rejects.jsonl") if path_kind(inputs.items[0]) == "file" else Path("toolkit-rejects.jsonl")
        return StdoutSink(None if emit else formats.line, rejects, formats.header(), emit, check_rejects)
    if inputs.kind == "documents" and not job.as_json:
        targets = list(job.targets)
        if _single_file_output(inputs, out):
            def named(item: Finished) -> dict[str, str]:
                if len(targets) == 1:
                    return {out.name: item.texts[targets[0]]}
                return {f"{out.stem}.{t}{out.suffix}": item.texts[t] for t in targets}

            return FolderSink(out, out.parent, named, inputs.items, check_rejects, flags_of)

        _check_mirrored_names(inputs, out, targets)

        def mirrored(item: Finished) -> dict[str, str]:
            return {translated_name(item.record.relpath, t): item.texts[t] for t in targets}

        return FolderSink(out, out, mirrored, inputs.items, check_rejects, flags_of)
    return StreamSink(out, formats.line, inputs.items, formats.header(), check_rejects)


@dataclass(frozen=True)
class JobSettings:
    """A translation job's settings as every engine resolves them, before any model work: language
    codes, the model of each target, and the batching settings (``TOOLKIT_*`` or their defaults)."""

    source: str
    targets: tuple[str, ...]
    models: dict[str, str]
    batch_tokens: int | None
    pool_chars: int
    threads: int | None  # inference threads, resolved once for every translator (None: each backend's default)
    protect: bool = True
    glossary: Glossary | None = None
    documents: FormatOptions = FormatOptions()
    flags: bool = True

    def protections(self) -> dict[str, Protection]:
        """What the translation into each target protects: the spans (unless off) and the glossary's terms."""
        return protections(self.targets, self.glossary, self.protect)

    def checks(self) -> dict[str, Check] | None:
        """The check of each segment per target (the glossary's forms known); None with the checks off."""
        return checkers(self.source, self.protections()) if self.flags else None


def job_settings(job: TranslationJob) -> JobSettings:
    """The job's settings, checked (a bad setting or model choice stops it here)."""
    from toolkit.models.threads import resolve_threads
    from toolkit.settings import check_settings, setting, true_or_false, whole_number
    from toolkit.translate.factory import models_for
    from toolkit.translate.glossary import job_glossary

    source = get_language(job.source).code
    targets = tuple(get_language(t).code for t in job.targets)
    batch_tokens = setting("batch_tokens", job.batch_tokens, None)
    pool_chars = setting("pool_chars", job.pool_chars, POOL_CHARS)
    threads = resolve_threads(job.threads)
    protect = setting("protect", job.protect, True, true_or_false)
    flags = setting("flags", job.flags, True, true_or_false)
    glossary = job_glossary(job.glossary, targets)
    documents = FormatOptions(setting("line_length", job.line_length, None, whole_number(10)), job.overwrite)
    check_settings()
    return JobSettings(source, targets, models_for(source, list(targets), list(job.models)), batch_tokens, pool_chars,
                       threads, protect, glossary, documents, flags)


class RecordsTranslation:
    """``translate_records`` as a job's processing function, on every engine, with the job's
    protections and checks; ``counters``: its running count of outputs cut at the length bound."""

    def __init__(self, translators: dict[str, Translator], settings: JobSettings,
                 on_batch: Callable[[int], None] | None = None):
        self.translators, self.settings, self.on_batch = translators, settings, on_batch
        self.protections, self.checks = settings.protections(), settings.checks()

    def counters(self) -> dict[str, int]:
        return {f"bound_reached:{t}": tr.bound_reached for t, tr in self.translators.items()}

    def __call__(self, records: list[Record]) -> list[Finished]:
        return translate_records(records, self.translators, self.settings.batch_tokens, self.on_batch,
                                 self.protections, self.settings.documents, self.checks)


def translation_job_key(kind: str, options: InputOptions, job: TranslationJob, settings: JobSettings) -> str:
    """What identifies a translation job for resuming, on every engine: a job stopped or finished
    on one engine goes on on the other. Whether bad records are set aside (``skip_bad``) is not part of
    it: a job stopped by a bad line goes on when rerun with it."""
    reading = {**options.__dict__, "skip_bad": False}  # the key of a job that never set anything aside
    return job_key({"task": "translate", "kind": kind, "inputs": reading, "source": settings.source,
                    "models": settings.models, "backend": job.backend, "quantization": job.quantization,
                    "beams": job.beams, "json": job.as_json, "protect": settings.protect,
                    "glossary": settings.glossary.digest if settings.glossary else None, "flags": settings.flags,
                    **({"documents": settings.documents.__dict__} if kind == "documents" else {})})


def finish_translation(sink: Sink, job: TranslationJob, inputs: InputSet, settings: JobSettings, progress: Progress,
                       report: JobReport | None = None, sentences: int = 0, models: dict | None = None,
                       versions: dict | None = None, engine: str | None = None) -> JobSummary:
    """Make the job's output whole, with its manifest (where there is an output file), and say
    what the job did. Without ``report`` the job had nothing to do: a finished job none of whose
    inputs changed, whose output stays as it is."""
    bound_reached = {t: progress.counters.get(f"bound_reached:{t}", 0) for t in settings.targets}
    flags = flag_counts(progress.counters) if settings.flags else {}
    totals = dict(total_records=progress.records, total_rejected=progress.rejected, bound_reached=bound_reached, flags=flags,
                  unit="document" if inputs.kind == "documents" else "record")
    if report is None:
        outputs = sink.finish(None)
        summary = JobSummary(resumed=progress.records, **totals)
    else:
        manifest = {
            "task": "translate",
            **({"engine": engine} if engine else {}),
            "inputs": inputs.items,
            "records": progress.records,
            "rejected": progress.rejected,
            "bound_reached": bound_reached,
            "flags": flags if settings.flags else None,  # flagged segments over the whole job: in all, and per check
            "protect": settings.protect,
            "glossary": settings.glossary.describe() if settings.glossary else None,
            "models": models,
            "versions": versions if versions is not None else library_versions(),
        }
        outputs = sink.finish(manifest if job.out is not None else None)
        summary = JobSummary(records=report.records, resumed=report.resumed, rejected=report.rejected, sentences=sentences,
                             **totals)
    summary.outputs, summary.set_aside = outputs, SetAside.read(sink.rejects_path, progress.rejected)
    return summary


def run_translation_job(inputs: list[str] | InputSet, job: TranslationJob,
                        on_progress: Callable[[int, int], None] | None = None,
                        emit: Callable[[Finished], None] | None = None) -> JobSummary:
    """Translate every input record into every target; write as pools finish; resume where an
    earlier run of the same job stopped (on either engine).

    Every check a user can fail (inputs, output place, lock, settings, model choice, an unfinished
    job that cannot be continued) runs before any model is loaded. ``on_progress(records,
    sentences)`` is called with increments as work completes; ``emit``, when given and there is no
    ``out``, receives each finished record instead of standard output. A finished job none of
    whose inputs changed is left as it is, without building a translator.
    """
    from toolkit.translate.factory import build_translators

    input_set = inputs if isinstance(inputs, InputSet) else classify(list(inputs), job.inputs)
    settings = job_settings(job)
    sentences = 0
    with open_sink(input_set, job, emit, settings.flags) as sink:
        progress = sink.begin(translation_job_key(input_set.kind, input_set.options, job, settings),
                              input_set.units(), job.restart)
        if progress.untouched:
            return finish_translation(sink, job, input_set, settings, progress)
        translators = build_translators(settings.source, settings.models, job.backend, DecodingSettings(beams=job.beams),
                                        job.memory, quantization=job.quantization, threads=settings.threads, dtype=job.dtype)

        def on_batch(n: int) -> None:
            nonlocal sentences
            sentences += n
            if on_progress:
                on_progress(0, n)

        process = RecordsTranslation(translators, settings, on_batch)
        report = run_job(read_items(input_set), process, sink, progress, settings.pool_chars, process.counters,
                         (lambda records, _: on_progress(records, 0)) if on_progress else None)
        return finish_translation(sink, job, input_set, settings, progress, report, sentences, provenance(translators))
