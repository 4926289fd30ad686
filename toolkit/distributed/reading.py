"""Input files as a Ray Dataset of the job runner's items, one read task per file.

JSONL and CSV/TSV are read by the toolkit's own reader (``toolkit.io.inputs.read_items``) inside
the read task, so records, ids, origins and rejects are the local runner's; Parquet rows become
records the same way (``fields``: the row). Paths are local or on a file system every node sees;
Parquet also on any file system pyarrow opens (``s3://``, ``gs://``, ``hdfs://``).

Each row, and each block, is one pool of items, cut as the job runner cuts its pools, so a
single-file job is translated in the same length-sorted batches as locally, and the actors share a
file's pools. Columns: ``_state`` ("do"; "done" for items an earlier run finished, sent without their
text so that the runner skips them by count; "error" for a read error, which stops the job where the
local reader would) and ``_item`` (the pickled list of the pool's items).
"""

from __future__ import annotations

import dataclasses
import pickle
from itertools import islice
from pathlib import Path
from typing import Iterator

from toolkit.errors import ToolkitError
from toolkit.io.inputs import Document, InputSet, Record, Reject, path_kind, read_documents, read_items
from toolkit.io.jobs import item_chars, pooled

PARQUET_SUFFIXES = (".parquet", ".pq")
STATE, ITEM = "_state", "_item"
SKIPPED_PER_BLOCK = 10_000


def is_parquet(path: str) -> bool:
    return path.lower().endswith(PARQUET_SUFFIXES)


def open_parquet(path: str):
    """A Parquet file on the local disk or on any file system pyarrow opens (s3://, gs://, hdfs://)."""
    import pyarrow.parquet as pq

    if "://" in path:
        from pyarrow import fs

        filesystem, inner = fs.FileSystem.from_uri(path)
        return pq.ParquetFile(filesystem.open_input_file(inner))
    return pq.ParquetFile(path)


def parquet_unit(path: str) -> str:
    return path if "://" in path else Path(path).resolve().as_posix()


def _plain(value):
    """A Parquet value as JSON has it (dates, decimals, bytes as text) for JSONL outputs."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def parquet_items(path: str, column: str, id_column: str, native: bool) -> Iterator[Record]:
    """A Parquet file's rows as records (``native``: values as pyarrow gives them, for a Parquet
    output; else as JSON has them)."""
    unit = parquet_unit(path)
    row = 0
    for batch in open_parquet(path).iter_batches(batch_size=1024):
        for fields in batch.to_pylist():
            row += 1
            fields = fields if native else _plain(fields)
            record_id = fields.get(id_column)
            yield Record(f"{unit}:{row}", str(record_id) if record_id is not None else f"row-{row}",
                         fields.get(column) or "", f"{path}:{row}", fields=fields, unit=unit)


def _block(state: str, items: list):
    import pyarrow as pa

    return pa.table({STATE: pa.array([state], pa.string()), ITEM: pa.array([pickle.dumps(items)], pa.binary())})


def _skipped(item) -> Record | Reject:
    """What the runner needs of an item it will skip: its kind and unit."""
    if isinstance(item, Record):
        return Record(item.key, "", "", "", unit=item.unit)
    return Reject("", "", "", item.unit)


def read_file(inputs: InputSet, index: int, done: int, pool_chars: int, native: bool,
              document: Document | None = None) -> Iterator:
    """The blocks of one input file (of documents: of ``document``, as the driver listed it): the
    ``done`` items first (stripped), then pools of items; a read error ends the file with an error
    row (the items of its unfinished pool are dropped, as locally)."""
    if inputs.kind == "documents":
        items = read_documents(inputs, [document])
    elif inputs.kind == "parquet":
        items = parquet_items(inputs.items[index], inputs.options.column, inputs.options.id_field, native)
    else:
        items = read_items(dataclasses.replace(inputs, items=[inputs.items[index]]))
    try:
        while done > 0:
            chunk = [_skipped(i) for i in islice(items, min(done, SKIPPED_PER_BLOCK))]
            if not chunk:
                break
            done -= len(chunk)
            yield _block("done", chunk)
        for pool in pooled(items, item_chars, pool_chars):
            yield _block("do", pool)
    except ToolkitError as exc:
        yield _block("error", [exc])


def records_dataset(inputs: InputSet, pool_chars: int, done: dict[str, int], native: bool = False):
    """The inputs as a Ray Dataset of items, one read task per file. ``done``: per unit, the items
    an earlier run of the job finished."""
    import ray.data
    from ray.data.block import BlockMetadata
    from ray.data.datasource import Datasource, ReadTask

    from toolkit.distributed.cluster import READ_CPUS

    if inputs.kind == "documents":  # one read task per document, listed here once
        documents = inputs.documents()
        units, paths = [d.unit for d in documents], [str(d.file) for d in documents]
    else:
        documents = [None] * len(inputs.items)
        units = [parquet_unit(p) if inputs.kind == "parquet" else Path(p).resolve().as_posix() for p in inputs.items]
        paths = inputs.items

    class ToolkitItems(Datasource):
        def estimate_inmemory_data_size(self) -> int | None:
            return sum(Path(p).stat().st_size for p in inputs.items if path_kind(p) == "file") or None

        def get_read_tasks(self, parallelism: int, per_task_row_limit=None, data_context=None) -> list:
            return [ReadTask(lambda i=i: read_file(inputs, i, done.get(units[i], 0), pool_chars, native, documents[i]),
                             BlockMetadata(num_rows=None, size_bytes=None, exec_stats=None, input_files=[path]))
                    for i, path in enumerate(paths)]

    # One read task per file. Ray Data merges a task's output blocks up to a target size (128 MiB):
    # with a target of one byte, every row (a pool) stays a block of its own.
    ds = ray.data.read_datasource(ToolkitItems(), num_cpus=READ_CPUS, override_num_blocks=len(paths))
    ds.context.target_max_block_size = 1
    return ds


def unpickle_column(batch, name: str) -> list:
    return [pickle.loads(v) if v is not None else None for v in batch.column(name).to_pylist()]

