"""Whole jobs on Ray: files in, one output file out, with the local runner's records and resumption.

Records are read by one task per file, translated by the actor pool, and streamed back to this
process in input order (``preserve_order``), where they are formatted by the local runner's
formatter and written by its sink, pool by pool, with its checkpoint: an interrupted job resumes
where it stopped, and the output holds every record once, in input order. When an actor dies, Ray
restarts it (``max_restarts=-1``) and runs its unfinished batch again (``max_task_retries=-1``);
a batch's rows reach the output only when the batch is complete, so nothing is lost or doubled.

A rerun of a *finished* job with the same output skips: the output's manifest carries the job's key
(inputs with their sizes, options, models), so the same job over the same inputs is already done and
its output is left as it is; pass ``restart`` to run it again. Any other job replaces the output, as
the local runner does.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Callable, Iterator

from toolkit.distributed.actors import META, REJECT, ModelSpec
from toolkit.distributed.cluster import ClusterOptions, connect, require_ray
from toolkit.distributed.reading import FIELDS, ID, KEY, ORIGIN, PARQUET_SUFFIXES, TEXT, is_parquet, open_parquet, records_dataset
from toolkit.errors import InputError, ToolkitError
from toolkit.io.inputs import TABLE_SUFFIXES, InputOptions, InputSet, Record, Reject, classify, read_records
from toolkit.io.sinks import StdoutSink, StreamSink, _RejectsFile, job_key, write_atomic
from toolkit.provenance import library_versions
from toolkit.translate.job import JobOptions, JobSummary, _Formatter, directions

ENGINE = "ray"


def classify_files(items: list[str], options: InputOptions) -> InputSet:
    """JSONL, CSV/TSV (checked by the local runner's classifier) or Parquet files; folders of Parquet
    files are expanded. Documents are refused: they are one file each, not a corpus of records."""
    parquet = []
    for item in items:
        path = Path(item)
        if path.is_dir():
            parquet += sorted(str(p) for p in path.rglob("*") if p.suffix.lower() in PARQUET_SUFFIXES)
        elif is_parquet(item):
            if "://" not in item and not path.is_file():
                raise InputError(f"no such file or folder: {item}", "check the path")
            parquet.append(item)
    if parquet:
        if len(parquet) != len(items) and not all(Path(i).is_dir() for i in items if not is_parquet(i)):
            raise InputError("cannot mix Parquet and other inputs in one job", "run one command per kind")
        for item in parquet:
            names = open_parquet(item).schema_arrow.names
            if options.column not in names:
                raise InputError(f"{item}: no column '{options.column}' (columns: {', '.join(names)})", "pass --column NAME")
        return InputSet("parquet", parquet, options)
    input_set = classify(items, options)
    if input_set.kind == "documents":
        raise InputError("the ray engine reads JSONL, CSV/TSV or Parquet files",
                         "put the documents in a JSONL file, or use the local engine")
    return input_set


def _fingerprint(inputs: InputSet) -> list:
    return [[i, Path(i).stat().st_size] if "://" not in i else i for i in (str(Path(p).resolve()) if "://" not in p else p
                                                                            for p in inputs.items)]


def _resume_point(inputs: InputSet, consumed: int) -> dict[int, int]:
    """Per input file, the last line (row) an interrupted run finished, or -1 for a finished file."""
    if not consumed:
        return {}
    if inputs.kind == "parquet":
        resume = {}
        for index, item in enumerate(inputs.items):
            rows = open_parquet(item).metadata.num_rows
            resume[index] = -1 if consumed >= rows else consumed
            consumed -= min(consumed, rows)
            if not consumed:
                break
        return resume
    last = None
    for last in islice(read_records(inputs, []), consumed):
        pass
    file_index, _, line = last.key.partition(":")
    return {**{i: -1 for i in range(int(file_index))}, int(file_index): int(line)}


class _Records(_Formatter):
    """The local runner's record formatter, for models loaded in the actors rather than here."""

    def __init__(self, inputs: InputSet, source: str, targets: list[str]):
        if inputs.kind == "parquet":  # Parquet records become JSONL records (fields, translations, dir)
            inputs = InputSet("jsonl", inputs.items, inputs.options)
        self.inputs, self.source, self.targets = inputs, source, targets
        self.dirs = directions(targets)
        self.provenance: dict = {}
        self.delimiter = TABLE_SUFFIXES.get(Path(inputs.items[0]).suffix.lower(), ",")


def _toolkit_error(exc: BaseException) -> ToolkitError | None:
    """The toolkit error a Ray task raised, through Ray's wrappers."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, ToolkitError) and getattr(exc, "message", None) is not None:
            return exc
        exc = getattr(exc, "cause", None) or exc.__cause__ or exc.__context__
    return None


def _batches(ds) -> Iterator:
    """The dataset's blocks, in input order, with a toolkit error raised in a task re-raised as itself."""
    ds.context.execution_options.preserve_order = True
    try:
        yield from ds.iter_batches(batch_size=None, batch_format="pyarrow")
    except Exception as exc:  # noqa: BLE001 - unwrapped below, or raised as it is
        found = _toolkit_error(exc)
        if found is None:
            raise
        kind = next(c for c in type(found).__mro__ if issubclass(c, ToolkitError) and c.__module__ == "toolkit.errors")
        raise kind(found.message, found.hint) from None


def _finished(out: Path, key: str) -> dict | None:
    """The manifest of a finished job with this key at ``out``, if there is one."""
    manifest = out.with_name(out.name + ".manifest.json")
    if not out.exists() or out.with_name(out.name + ".progress.json").exists() or not manifest.exists():
        return None
    try:
        data = json.loads(manifest.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if data.get("job") == key else None


def run_ray_translation(items: list[str], spec: ModelSpec, options: JobOptions, cluster: ClusterOptions,
                        input_options: InputOptions = InputOptions(),
                        on_progress: Callable[[int, int], None] | None = None) -> JobSummary:
    """Translate JSONL, CSV/TSV or Parquet files on Ray with the local runner's records: JSONL in,
    JSONL out; CSV in, CSV out; Parquet in, JSONL out, or Parquet when ``options.out`` ends in
    ``.parquet``. Written to ``options.out`` (resumable) or standard output."""
    require_ray()
    inputs = classify_files(list(items), input_options)
    out = options.out
    to_parquet = out is not None and out.suffix.lower() in PARQUET_SUFFIXES
    if to_parquet and inputs.kind == "jsonl":
        raise InputError("Parquet output needs Parquet or CSV input (JSONL records have no fixed columns)",
                         "write to a .jsonl file")
    key = job_key({"engine": ENGINE, "inputs": _fingerprint(inputs), "kind": inputs.kind,
                   "options": inputs.options.__dict__, "models": spec.describe(), "parquet": to_parquet})
    summary = JobSummary()
    if out is not None and not options.restart:
        done = _finished(out, key)
        if done is not None:
            summary.resumed = done.get("records", 0)
            summary.outputs.append(str(out))
            return summary
    connect(cluster)
    formatter = _Records(inputs, spec.source, list(spec.targets))
    writer = _ParquetWriter(out) if to_parquet else None
    if writer:
        sink = writer
    elif out is not None:
        sink = StreamSink(out, key, options.restart, formatter.header())
    else:
        sink = StdoutSink(Path(inputs.items[0] + ".rejects.jsonl"), formatter.header())
    done = summary.resumed = sink.consumed
    if done and on_progress:
        on_progress(done, 0)
    from toolkit.distributed.datasets import translate_spec

    ds = translate_spec(records_dataset(inputs, options.pool_chars, _resume_point(inputs, done)), spec, cluster, TEXT,
                        skip=REJECT, meta=True)
    provenance: dict = {}
    bound = {t: 0 for t in spec.targets}
    for batch in _batches(ds):
        rows = batch.to_pylist()
        rejects = [_reject(r[REJECT]) for r in rows if r[REJECT]]
        records = [r for r in rows if not r[REJECT]]
        sentences = 0
        for row in rows:
            if row.get(META):
                info = json.loads(row[META])
                provenance = info["provenance"]
                sentences += info["sentences"]
                for t, n in info["bound_reached"].items():
                    bound[t] += n
        done += len(records)
        if writer:
            writer.write(batch, inputs, rejects, done)
        else:
            sink.write([formatter.record(_record(r), r["translations"], False, False) for r in records], rejects, done)
        summary.records += len(records)
        summary.sentences += sentences
        summary.rejected += len(rejects)
        if on_progress:
            on_progress(len(records), sentences)
    summary.bound_reached = bound
    sink.finish()
    if out is not None:
        write_atomic(out.with_name(out.name + ".manifest.json"), json.dumps({
            "task": "translate", "engine": ENGINE, "job": key, "inputs": inputs.items,
            "records": summary.resumed + summary.records, "rejected": summary.rejected,
            "bound_reached": summary.bound_reached, "models": provenance, "versions": library_versions(),
        }, indent=2, ensure_ascii=False))
        summary.outputs.append(str(out))
    if sink.rejects.count:
        summary.outputs.append(str(sink.rejects.path))
    return summary


def _reject(data: str) -> Reject:
    found = json.loads(data)
    return Reject(found["origin"], found["reason"], found["line"])


def _record(row: dict) -> Record:
    fields = json.loads(row[FIELDS]) if row[FIELDS] is not None else None
    return Record(row[KEY], row[ID], row[TEXT], row[ORIGIN], fields=fields)


class _ParquetWriter:
    """A Parquet output: the input's columns with ``translations`` and ``dir``, written to
    ``OUT.partial`` and renamed at the end. Parquet files cannot be appended to, so an interrupted
    job starts again."""

    consumed = 0

    def __init__(self, out: Path):
        out.parent.mkdir(parents=True, exist_ok=True)
        self.final, self.partial = out, out.with_name(out.name + ".partial")
        self.partial.unlink(missing_ok=True)
        self.rejects = _RejectsFile(out.with_name(out.name + ".rejects.jsonl"))
        self.rejects.path.unlink(missing_ok=True)
        self._writer = None

    def write(self, batch, inputs: InputSet, rejects: list[Reject], consumed: int) -> None:
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        records = batch.filter(pc.is_null(batch.column(REJECT)))
        if inputs.kind == "parquet":
            table = records.drop_columns([c for c in records.column_names if c.startswith("_")])
        else:  # CSV: the row's columns, as strings
            rows = [json.loads(f) for f in records.column(FIELDS).to_pylist()]
            table = pa.table({c: pa.array([r.get(c) for r in rows], pa.string()) for c in inputs.columns})
            table = table.append_column("translations", records.column("translations"))
            table = table.append_column("dir", records.column("dir"))
        if self._writer is None:
            self._writer = pq.ParquetWriter(self.partial, table.schema)
        if table.num_rows:
            self._writer.write_table(table)
        self.rejects.append(rejects)

    def finish(self) -> None:
        if self._writer is None:
            raise ToolkitError("no records to write", "check the inputs")
        self._writer.close()
        os.replace(self.partial, self.final)


@dataclass
class RayChainReport:
    """What a chain job on Ray did: records written by this run (results are not kept in memory),
    records done by an earlier run, rejects, where the output went."""

    written: int = 0
    resumed: int = 0
    rejected: int = 0
    outputs: list[str] = field(default_factory=list)


def run_ray_chain(items: list[str], options, out: Path | None, cluster: ClusterOptions, restart: bool = False,
                  skip_bad: bool = False, emit: Callable[[dict], None] | None = None):
    """``toolkit.chain.run_chain`` on Ray for JSONL, CSV/TSV or Parquet files: the same records
    (``id``, ``source_lang``, ``summary``, ``translations``, ``manifest``) to a JSONL file (resumable)
    or, without ``out``, to ``emit`` as dicts."""
    from toolkit.distributed.datasets import summarize_dataset

    require_ray()
    inputs = classify_files(list(items), InputOptions(skip_bad=skip_bad))
    key = job_key({"engine": ENGINE, "inputs": _fingerprint(inputs), "kind": inputs.kind, "options": repr(options)})
    report = RayChainReport()
    if out is not None and not restart:
        done = _finished(out, key)
        if done is not None:
            report.resumed = done.get("records", 0)
            report.outputs.append(str(out))
            return report
    connect(cluster)
    sink = StreamSink(out, key, restart) if out else StdoutSink(Path("toolkit-chain.rejects.jsonl"))
    done = report.resumed = sink.consumed
    ds = records_dataset(inputs, 10_000, _resume_point(inputs, done))  # a few articles per block: chains are long
    ds = summarize_dataset(ds, options, column=TEXT, id_column=ID, cluster=cluster, skip_bad=skip_bad)
    names = ("id", "source_lang", "summary", "translations", "manifest")
    for batch in _batches(ds):
        rows = batch.to_pylist()
        rejects = [_reject(r[REJECT]) for r in rows if r[REJECT]]
        results = [{n: (json.loads(r[n]) if n in ("summary", "translations", "manifest") else r[n]) for n in names}
                   for r in rows if not r[REJECT]]
        done += len(rows) - sum(1 for r in rows if r[REJECT] and r[KEY] is None)
        if emit:
            for result in results:
                emit(result)
        lines = [json.dumps(r, ensure_ascii=False) + "\n" for r in results] if out else []
        sink.write(lines, rejects, done)
        report.written += len(results)
        report.rejected += len(rejects)
    sink.finish()
    if out is not None:
        write_atomic(out.with_name(out.name + ".manifest.json"), json.dumps({
            "task": "chain", "engine": ENGINE, "job": key, "inputs": inputs.items, "records": report.resumed + report.written,
            "rejected": report.rejected, "versions": library_versions()}, indent=2, ensure_ascii=False))
        report.outputs.append(str(out))
    if sink.rejects.count:
        report.outputs.append(str(sink.rejects.path))
    return report
