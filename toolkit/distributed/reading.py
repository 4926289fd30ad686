"""Input files as a Ray Dataset of records: the local runner's readers, one read task per file.

JSONL and CSV/TSV are read by the toolkit's own readers inside the read task (so a malformed line
or a missing field stops the job with the local runner's message, or becomes a reject with
``skip_bad``), and Parquet with pyarrow. Paths are local or on a file system every node sees;
Parquet also from any file system pyarrow opens (``s3://``, ``gs://``, ``hdfs://``).

Each block is one pool of records, cut where the local runner cuts its pools, so each is
translated in the same length-sorted batches as locally.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from toolkit.distributed.actors import REJECT
from toolkit.io.inputs import InputSet, Record, Reject, read_records
from toolkit.translate.engine import pooled

PARQUET_SUFFIXES = (".parquet", ".pq")
# The columns every record row has (besides a Parquet file's own columns).
TEXT, KEY, ORIGIN, ID, FIELDS = "_text", "_key", "_origin", "_id", "_fields"


def is_parquet(path: str) -> bool:
    return path.lower().endswith(PARQUET_SUFFIXES)


def _record_rows(records: list[Record], file_index: int) -> dict[str, list]:
    return {
        KEY: [f"{file_index}:{r.key.partition(':')[2] or r.key}" for r in records],
        ORIGIN: [r.origin for r in records], ID: [r.id for r in records], TEXT: [r.text for r in records],
        FIELDS: [json.dumps(r.fields, ensure_ascii=False) if r.fields is not None else None for r in records],
        REJECT: [None] * len(records),
    }


def _reject_rows(rejects: list[Reject]) -> dict[str, list]:
    return {KEY: [None] * len(rejects), ORIGIN: [r.origin for r in rejects], ID: [None] * len(rejects),
            TEXT: [None] * len(rejects), FIELDS: [None] * len(rejects),
            REJECT: [json.dumps({"origin": r.origin, "reason": r.reason, "line": r.raw}, ensure_ascii=False)
                     for r in rejects]}


def _table(rows: dict[str, list]):
    import pyarrow as pa

    return pa.table({name: pa.array(values, pa.string()) for name, values in rows.items()})


def read_text_file(inputs: InputSet, file_index: int, after_line: int, pool_chars: int) -> Iterator:
    """Blocks of one JSONL or CSV file: each a pool of records, then the rejects found before its end."""
    import pyarrow as pa

    one = InputSet(inputs.kind, [inputs.items[file_index]], inputs.options, inputs.columns)
    rejects: list[Reject] = []
    records = (r for r in read_records(one, rejects) if int(r.key.partition(":")[2] or 0) > after_line)
    for pool in pooled(records, lambda r: len(r.text) + 1, pool_chars):
        found = [r for r in rejects if _line(r.origin) > after_line]
        rejects.clear()
        yield pa.concat_tables([_table(_reject_rows(found)), _table(_record_rows(pool, file_index))])
    found = [r for r in rejects if _line(r.origin) > after_line]
    if found:
        yield _table(_reject_rows(found))


def _line(origin: str) -> int:
    return int(origin.rpartition(":")[2])


def open_parquet(path: str):
    """A Parquet file on the local disk or on any file system pyarrow opens (s3://, gs://, hdfs://)."""
    import pyarrow.parquet as pq

    if "://" in path:
        from pyarrow import fs

        filesystem, inner = fs.FileSystem.from_uri(path)
        return pq.ParquetFile(filesystem.open_input_file(inner))
    return pq.ParquetFile(path)


def read_parquet_file(path: str, file_index: int, column: str, id_column: str, after_row: int,
                      pool_chars: int) -> Iterator:
    """Blocks of one Parquet file: its own columns plus the record columns, pooled like the others."""
    import pyarrow as pa

    source = open_parquet(path)
    start = 0  # rows of the file before the next pool

    def block(table):
        n = table.num_rows
        texts = [t or "" for t in table.column(column).to_pylist()]
        ids = table.column(id_column).to_pylist() if id_column in table.column_names else [None] * n
        rows = [start + i + 1 for i in range(n)]
        extra = {
            KEY: [f"{file_index}:{r}" for r in rows], ORIGIN: [f"{path}:{r}" for r in rows],
            ID: [str(v) if v is not None else f"row-{r}" for v, r in zip(ids, rows)], TEXT: texts,
            FIELDS: [json.dumps(r, ensure_ascii=False, default=str) for r in table.to_pylist()], REJECT: [None] * n,
        }
        for name, values in extra.items():
            table = table.append_column(name, pa.array(values, pa.string()))
        return table

    def emit(pool):
        nonlocal start
        skip = min(pool.num_rows, max(0, after_row - start))
        start += skip
        if skip < pool.num_rows:
            yield block(pool.slice(skip))
        start += pool.num_rows - skip

    parts, size = [], 0
    for batch in source.iter_batches(batch_size=1024):
        table = pa.Table.from_batches([batch])
        begin = 0
        for i, text in enumerate(table.column(column).to_pylist()):
            size += len(text or "") + 1
            if size >= pool_chars:
                yield from emit(pa.concat_tables([*parts, table.slice(begin, i + 1 - begin)]))
                parts, size, begin = [], 0, i + 1
        if begin < table.num_rows:
            parts.append(table.slice(begin))
    if parts:
        yield from emit(pa.concat_tables(parts))


def records_dataset(inputs: InputSet, pool_chars: int, resume: dict[int, int]):
    """The inputs as a Ray Dataset of record rows, one read task per file. ``resume`` maps a file's
    index to the last line (row) already done, or -1 when the whole file is done."""
    import ray.data
    from ray.data.block import BlockMetadata
    from ray.data.datasource import Datasource, ReadTask

    from toolkit.distributed.cluster import READ_CPUS

    class ToolkitRecords(Datasource):
        def estimate_inmemory_data_size(self) -> int | None:
            return sum(Path(p).stat().st_size for p in inputs.items if Path(p).is_file()) or None

        def get_read_tasks(self, parallelism: int, per_task_row_limit=None, data_context=None) -> list:
            tasks = []
            opts = inputs.options
            for index, path in enumerate(inputs.items):
                after = resume.get(index, 0)
                if after < 0:
                    continue  # this file was finished before an interruption
                if is_parquet(path):
                    read = (lambda p=path, i=index, a=after:  # noqa: E731
                            read_parquet_file(p, i, opts.column, opts.id_field, a, pool_chars))
                else:
                    read = lambda i=index, a=after: read_text_file(inputs, i, a, pool_chars)  # noqa: E731
                tasks.append(ReadTask(read, BlockMetadata(num_rows=None, size_bytes=None, exec_stats=None,
                                                          input_files=[path])))
            return tasks

    return ray.data.read_datasource(ToolkitRecords(), num_cpus=READ_CPUS)
