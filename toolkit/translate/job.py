"""Batch translation jobs: records in, translations out, resumable, with progress."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Callable

from toolkit.io.inputs import TABLE_SUFFIXES, InputSet, Record, Reject, read_records
from toolkit.io.sinks import FolderSink, StdoutSink, StreamSink, job_key, write_atomic
from toolkit.languages import get_language
from toolkit.provenance import library_versions
from toolkit.translate.base import Translator
from toolkit.translate.engine import pooled, translate_texts

# A pool of records is translated together (sorted and batched across documents), then written
# and checkpointed: larger pools batch better, smaller ones bound memory and lost work on a kill.
POOL_CHARS = 100_000


@dataclass(frozen=True)
class JobOptions:
    out: Path | None = None
    as_json: bool = False
    batch_tokens: int | None = None  # None: the engine's default for the device
    pool_chars: int = POOL_CHARS
    restart: bool = False


@dataclass
class JobSummary:
    records: int = 0
    resumed: int = 0
    sentences: int = 0
    rejected: int = 0
    bound_reached: dict[str, int] = field(default_factory=dict)  # per target: outputs cut at the length bound
    outputs: list[str] = field(default_factory=list)


def directions(targets: list[str]) -> dict[str, str]:
    return {t: get_language(t).direction for t in targets}


class _Formatter:
    """Turns finished records into output text for the job's kind of input."""

    def __init__(self, inputs: InputSet, translators: dict[str, Translator]):
        self.inputs = inputs
        self.source = next(iter(translators.values())).source
        self.targets = list(translators)
        self.dirs = directions(self.targets)
        self.provenance = provenance(translators)
        self.delimiter = TABLE_SUFFIXES.get(Path(inputs.items[0]).suffix.lower(), ",")

    def header(self) -> str:
        if self.inputs.kind != "table":
            return ""
        return self._csv_row(self.inputs.columns + [f"{self.inputs.options.column}_{t}" for t in self.targets])

    def _csv_row(self, values: list[str]) -> str:
        buf = io.StringIO()
        csv.writer(buf, delimiter=self.delimiter, lineterminator="\n").writerow(values)
        return buf.getvalue()

    def record(self, record: Record, translations: dict[str, str], as_json: bool, several: bool) -> str:
        if self.inputs.kind == "jsonl":
            return json.dumps({**record.fields, "translations": translations, "dir": self.dirs}, ensure_ascii=False) + "\n"
        if self.inputs.kind == "table":
            return self._csv_row([record.fields.get(c) or "" for c in self.inputs.columns] + [translations[t] for t in self.targets])
        if as_json:
            return json.dumps({
                "id": record.id, "source": record.origin, "source_lang": self.source,
                "translations": translations, "dir": self.dirs, "provenance": self.provenance,
            }, ensure_ascii=False) + "\n"
        parts = []
        for target in self.targets:
            if several:
                parts.append(f"==> {record.id} [{target}] <==\n")
            text = translations[target]
            parts.append(text if text.endswith("\n") else text + "\n")
        return "".join(parts)


def provenance(translators: dict[str, Translator]) -> dict[str, dict]:
    return {t: tr.provenance.to_dict() for t, tr in translators.items()}


def manifest(translators: dict[str, Translator], inputs: InputSet, summary: JobSummary) -> dict:
    return {
        "task": "translate",
        "inputs": inputs.items,
        "records": summary.records,
        "rejected": summary.rejected,
        "bound_reached": summary.bound_reached,
        "models": provenance(translators),
        "versions": library_versions(),
    }


def _single_file_output(inputs: InputSet, out: Path | None) -> bool:
    """One document (text, stdin or file) to a named file, rather than a folder of documents."""
    return (out is not None and inputs.kind == "documents" and len(inputs.items) == 1
            and not Path(inputs.items[0]).is_dir() and not out.is_dir() and bool(out.suffix))


def _file_namer(single_file: bool, out: Path, targets: list[str]) -> Callable[[Record, str], str]:
    """Output file name, relative to the output folder, for one document and target."""
    if single_file:
        return lambda record, target: out.name if len(targets) == 1 else f"{out.stem}.{target}{out.suffix}"

    def mirrored(record: Record, target: str) -> str:
        stem = record.relpath.rsplit(".", 1)[0] if record.relpath else record.id
        return f"{stem}.{target}.txt"

    return mirrored


def run_translation_job(inputs: InputSet, translators: dict[str, Translator], options: JobOptions,
                        on_progress: Callable[[int, int], None] | None = None) -> JobSummary:
    """Translate every record into every target; write as pools finish; resume where a run stopped.

    ``on_progress(records, sentences)`` is called with increments as work completes.
    """
    summary = JobSummary()
    targets = list(translators)
    formatter = _Formatter(inputs, translators)
    key = job_key({"inputs": inputs.fingerprint(), "kind": inputs.kind, "options": inputs.options.__dict__,
                   "models": formatter.provenance, "json": options.as_json})
    out = options.out
    to_files = out is not None and inputs.kind == "documents" and not options.as_json
    single_file = _single_file_output(inputs, out)
    if to_files:
        sink = FolderSink(out.parent if single_file else out, key, options.restart)
        name = _file_namer(single_file, out, targets)
    elif out is not None:
        sink = StreamSink(out, key, options.restart, formatter.header())
    else:
        sink = StdoutSink(Path(inputs.items[0] + ".rejects.jsonl"), formatter.header())
    several = len(targets) > 1 or len(inputs.items) > 1 or Path(inputs.items[0]).is_dir()

    def write(pool: list[Record], results: list[dict[str, str]], consumed: int) -> None:
        if to_files:
            sink.write_files({name(r, t): tx[t] for r, tx in zip(pool, results) for t in targets}, rejects, consumed)
        else:
            sink.write([formatter.record(r, tx, options.as_json, several) for r, tx in zip(pool, results)], rejects, consumed)
        summary.rejected += len(rejects)
        rejects.clear()

    def on_batch(n: int) -> None:
        summary.sentences += n
        if on_progress:
            on_progress(0, n)

    rejects: list[Reject] = []
    records = read_records(inputs, rejects)
    done = summary.resumed = sink.consumed
    if done:
        for _ in islice(records, done):
            pass
        rejects.clear()  # those were written before the interruption
        if on_progress:
            on_progress(done, 0)
    for pool in pooled(records, lambda r: len(r.text) + 1, options.pool_chars):
        texts = [r.text for r in pool]
        translated = {t: translate_texts(texts, tr, options.batch_tokens, on_batch) for t, tr in translators.items()}
        done += len(pool)
        write(pool, [{t: translated[t][i] for t in targets} for i in range(len(pool))], done)
        summary.records += len(pool)
        if on_progress:
            on_progress(len(pool), 0)
    write([], [], done)  # rejects after the last record
    summary.bound_reached = {t: tr.bound_reached for t, tr in translators.items()}
    sink.finish()
    if out is not None:
        path = out / "toolkit-manifest.json" if to_files and not single_file else out.with_name(out.name + ".manifest.json")
        write_atomic(path, json.dumps(manifest(translators, inputs, summary), indent=2, ensure_ascii=False))
        summary.outputs.append(str(out))
    if sink.rejects.count:
        summary.outputs.append(str(sink.rejects.path))
    return summary
