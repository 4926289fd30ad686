"""Whole jobs on Ray with the one job runner: files in, the local runner's records out.

The runner (``toolkit.io.jobs.run_job``) and its sinks run here, in the process that started the
job, exactly as locally: the output lock, the checkpoint after every pool, resumption by record
identity, the rejects file and the manifest. Ray does the reading (one task per file, the toolkit's
reader) and the model work (an actor pool running ``translate_records`` or ``Chain.process``); the
items and their results stream back in input order (``preserve_order``) and the runner writes them
pool by pool. When an actor dies, Ray restarts it (``max_restarts=-1``) and runs its unfinished
block again (``max_task_retries=-1``); a block's results reach the runner only when the block is
complete, so every record is written exactly once. A job that stopped (any engine: the key is the
local runner's) resumes where it stopped; the items already done are sent back without their text,
and are not translated again.

A rerun of a *finished* job with the same output, as on the local runner, redoes exactly the inputs
that changed (their fingerprints) and copies the output of the others; when none changed, the
output is left as it is and the cluster is not even started (say ``restart`` to run it again).
Any other job over that output starts it afresh.
"""

from __future__ import annotations

import dataclasses
import json
from contextlib import closing
from pathlib import Path
from typing import Callable, Iterator

from toolkit.distributed.actors import META, RESULT, ChainProcess, ProcessItems, TranslateProcess
from toolkit.distributed.cluster import ClusterOptions, connect, require_ray
from toolkit.distributed.datasets import actor_pool, placement
from toolkit.distributed.reading import ITEM, PARQUET_SUFFIXES, STATE, is_parquet, open_parquet, parquet_unit, records_dataset, unpickle_column
from toolkit.errors import InputError, ToolkitError
from toolkit.io.inputs import InputOptions, InputSet, Record, classify, path_kind
from toolkit.io.jobs import Unfinished, run_job

ENGINE = "ray"


def classify_files(items: list[str], options: InputOptions) -> InputSet:
    """JSONL or CSV/TSV files (checked by the local classifier), Parquet files (folders of Parquet
    files expanded), or document files and folders (one read task per document), never texts or
    standard input."""
    parquet: list[str] = []
    for item in items:
        path = Path(item)
        if is_parquet(item):
            if "://" not in item and not path.is_file():
                raise InputError(f"no such file or folder: {item}", "check the path")
            parquet.append(item)
        elif path.is_dir() and any(p.suffix.lower() in PARQUET_SUFFIXES for p in path.rglob("*")):
            parquet += sorted(str(p) for p in path.rglob("*") if p.suffix.lower() in PARQUET_SUFFIXES)
        elif parquet or any(is_parquet(i) for i in items):
            raise InputError("cannot mix Parquet and other inputs in one job", "run one command per kind")
    if parquet:
        for item in parquet:
            names = open_parquet(item).schema_arrow.names
            if options.column not in names:
                raise InputError(f"{item}: no column '{options.column}' (columns: {', '.join(names)})", "name the column in «column»")
        return InputSet("parquet", parquet, options)
    inputs = classify(items, options)
    if inputs.kind == "documents" and not all(path_kind(i) for i in items):
        raise InputError("the ray engine reads document files and folders, not texts or standard input",
                         "write the texts to files, or use the local engine")
    return inputs


def _units(inputs: InputSet) -> dict[str, list]:
    if inputs.kind != "parquet":
        return inputs.units()
    from toolkit.io.files import fingerprint

    units = {}
    for item in inputs.items:
        meta = open_parquet(item).metadata
        units[parquet_unit(item)] = (fingerprint(Path(item))[""] if "://" not in item
                                     else [meta.num_rows, meta.serialized_size])
    return units


def _toolkit_error(exc: BaseException | None) -> ToolkitError | None:
    """The toolkit error a Ray task or actor raised, through Ray's wrappers."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, ToolkitError) and getattr(exc, "message", None) is not None:
            return exc
        exc = getattr(exc, "cause", None) or exc.__cause__ or exc.__context__
    return None


class _Stream:
    """The dataset's items in input order, for the runner; their results kept until it asks."""

    def __init__(self, ds, on_progress: Callable[[int, int], None] | None):
        self.ds, self.on_progress = ds, on_progress
        self.results: dict[str, object] = {}
        self.totals: dict[str, int] = {}
        self.sentences = 0
        self.provenance: dict = {}

    def items(self) -> Iterator:
        self.ds.context.execution_options.preserve_order = True
        try:
            for batch in self.ds.iter_batches(batch_size=None, batch_format="pyarrow"):
                yield from self._block(batch)
        except ToolkitError:
            raise
        except Exception as exc:  # noqa: BLE001 - a toolkit error from a worker is raised as itself
            found = _toolkit_error(exc)
            if found is None:
                raise
            raise found from None

    def _block(self, batch) -> Iterator:
        for state, items, results, meta in zip(batch.column(STATE).to_pylist(), unpickle_column(batch, ITEM),
                                               unpickle_column(batch, RESULT), batch.column(META).to_pylist()):
            info = json.loads(meta)
            self.sentences += info["sentences"]
            self.provenance = info["provenance"] or self.provenance
            for name, n in info["counters"].items():
                self.totals[name] = self.totals.get(name, 0) + n
            if self.on_progress and info["sentences"]:
                self.on_progress(0, info["sentences"])
            if state == "error":
                raise items[0]
            for item, result in zip(items, results):
                if state == "do" and isinstance(item, Record):
                    self.results[item.key] = result
                yield item

    def counters(self) -> dict[str, int]:
        return dict(self.totals)

    def process(self, records: list[Record]) -> list:
        """The runner's processing function: the results the actors made for these records."""
        done = []
        for record in records:
            result = self.results.pop(record.key, None)
            if isinstance(result, tuple):  # ("stop", error): the record that stopped its block
                raise Unfinished(done, result[1])
            if result is None:
                raise ToolkitError(f"{record.origin}: no result came back from the cluster", "run the job again to resume")
            done.append(result)
        return done


def run_ray_translation(inputs: list[str], job, cluster: ClusterOptions,
                        on_progress: Callable[[int, int], None] | None = None, emit=None):
    """``run_translation_job`` on Ray, for documents, JSONL, CSV/TSV or Parquet files: the same settings, key,
    records, sink, checkpoint and manifest (plus ``engine``). JSONL in, JSONL out; CSV in, CSV
    out; Parquet in, JSONL out, or Parquet when ``job.out`` ends in ``.parquet`` (the input's
    columns, types kept, with ``translations`` and ``dir``). Returns a ``JobSummary``."""
    from toolkit.translate.job import finish_translation, job_settings, open_sink, translation_job_key

    require_ray()
    input_set = classify_files(list(inputs), job.inputs)
    settings = job_settings(job)
    to_parquet = job.out is not None and job.out.suffix.lower() in PARQUET_SUFFIXES
    if to_parquet and input_set.kind == "jsonl":
        raise InputError("a Parquet output needs Parquet or CSV inputs (JSONL records have no fixed columns)",
                         "write to a .jsonl file")
    if to_parquet:
        from toolkit.distributed.parquet import ParquetSink

        sink = ParquetSink(job.out, input_set, settings.targets, settings.flags)
    else:
        formatted = dataclasses.replace(input_set, kind="jsonl") if input_set.kind == "parquet" else input_set
        sink = open_sink(formatted, job, emit, settings.flags)
    with sink:
        units = _units(input_set)
        progress = sink.begin(translation_job_key(input_set.kind, input_set.options, job, settings), units, job.restart)
        if progress.untouched:  # the cluster is not even started
            return finish_translation(sink, job, input_set, settings, progress)
        connect(cluster)
        ds = records_dataset(input_set, settings.pool_chars, {u: progress.skipped(u) for u in units}, native=to_parquet)
        ds = ds.map_batches(ProcessItems, fn_constructor_args=(TranslateProcess, job, settings, placement(cluster)),
                            **actor_pool(cluster))
        stream = _Stream(ds, on_progress)
        with closing(stream.items()) as items:
            report = run_job(items, stream.process, sink, progress, settings.pool_chars, stream.counters,
                             (lambda records, _: on_progress(records, 0)) if on_progress else None)
        return finish_translation(sink, job, input_set, settings, progress, report, stream.sentences, stream.provenance,
                                  _versions(), ENGINE)


def _versions() -> dict:
    from toolkit.provenance import library_versions

    import ray

    return {**library_versions(), "ray": ray.__version__}


def run_ray_chain(inputs: list[str], options, out: Path | None, cluster: ClusterOptions, restart: bool = False,
                  skip_bad: bool = False, emit: Callable | None = None, column: str = "text", errors: str = "strict"):
    """``run_chain`` on Ray, for JSONL, CSV/TSV, Parquet or document files and folders: the same
    records (one ``ChainResult.to_dict()`` per line), sink and resumption; ``emit`` gets each
    ``ChainResult``. Returns a ``ChainReport``."""
    from toolkit.chain import CHAIN_POOL_CHARS, ChainReport, chain_inputs, chain_job_key, chain_sink, drive_chain, finish_chain
    from toolkit.settings import setting

    require_ray()
    input_set = classify_files(list(inputs), chain_inputs(skip_bad, column, errors))
    pool_chars = setting("pool_chars", options.pool_chars, CHAIN_POOL_CHARS)
    key = chain_job_key(input_set.kind, options, column, errors)  # the local runner's key
    report = ChainReport()
    with chain_sink(out, input_set.items, input_set.sets_aside) as sink:
        units = _units(input_set)
        progress = sink.begin(key, units, restart)
        if progress.untouched:  # a finished job, no input changed: the output stays as it is
            report.resumed = report.total = progress.records
            return finish_chain(sink, options, progress, report, None)
        connect(cluster)
        ds = records_dataset(input_set, pool_chars, {u: progress.skipped(u) for u in units})
        ds = ds.map_batches(ProcessItems, fn_constructor_args=(ChainProcess, options, skip_bad, placement(cluster)),
                            **actor_pool(cluster))
        stream = _Stream(ds, None)
        with closing(stream.items()) as items:
            drive_chain(items, stream.process, sink, progress, pool_chars, report, emit)
        manifest = {"task": "chain", "engine": ENGINE, "job": key, "inputs": input_set.items,
                    "records": progress.records, "rejected": progress.rejected, "versions": _versions()}
        return finish_chain(sink, options, progress, report, manifest if out is not None else None)
