"""A Parquet output for Ray jobs: the input's columns (their types kept) with ``translations``,
``dir`` and ``flags``, written to ``OUT.partial`` and renamed at the end.

A Parquet file cannot be appended to once closed, so an interrupted job with a Parquet output
starts again (its checkpoint is not kept), and so does a finished one whose inputs changed (one
whose inputs did not change is left as it is); JSONL outputs resume.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

from toolkit.io.checkpoint import Progress, finished_job, untouched
from toolkit.io.files import OutputLock, replace_atomic, write_atomic
from toolkit.io.inputs import Finished, InputSet, Reject
from toolkit.io.sinks import Locked, RejectsFile, beside, check_not_an_input


class ParquetSink(Locked):
    """The sinks' building blocks (``toolkit.io.sinks``: side files, lock, rejects file) around a
    Parquet writer."""

    def __init__(self, out: Path, inputs: InputSet, targets: Sequence[str], flags: bool = True):
        import pyarrow as pa

        from toolkit.distributed.reading import open_parquet

        self.final, self.inputs = out, inputs
        self.partial = beside(out, ".partial")
        self.rejects_path = beside(out, ".rejects.jsonl")
        self.manifest_path = beside(out, ".manifest.json")
        self.lock = OutputLock(beside(out, ".lock"), out)
        self.rejects = RejectsFile(self.rejects_path)
        if inputs.kind == "parquet":
            base = open_parquet(inputs.items[0]).schema_arrow
        else:
            base = pa.schema([(c, pa.string()) for c in inputs.columns])
        per_target = pa.struct([(t, pa.string()) for t in targets])
        self.schema = base.append(pa.field("translations", per_target)).append(pa.field("dir", per_target))
        if flags:  # per target, the flagged segments (``toolkit.translate.flagged``)
            flag = pa.struct([("check", pa.string()), ("detail", pa.string())])
            segment = pa.struct([("segment", pa.int64()), ("source", pa.string()), ("translation", pa.string()),
                                 ("flags", pa.list_(flag))])
            self.schema = self.schema.append(pa.field("flags", pa.struct([(t, pa.list_(segment)) for t in targets])))
        self._writer = None

    def _checks(self) -> None:
        check_not_an_input([self.final], None, self.inputs.items)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        super().close()

    def begin(self, job: str, units: dict[str, list], restart: bool) -> Progress:
        self.job = job
        done = None if restart or not self.final.exists() else untouched(finished_job(self.manifest_path), job, units)
        if done is not None:  # a finished job, no input changed: the output stays as it is
            self.progress = done
            return done
        self.partial.unlink(missing_ok=True)
        self.rejects_path.unlink(missing_ok=True)
        self.progress = Progress(current=units)
        return self.progress

    def write(self, finished: Sequence[Finished], rejects: Sequence[Reject], progress: Progress) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self._writer is None:
            self._writer = pq.ParquetWriter(self.partial, self.schema)
        if finished:
            self._writer.write_table(pa.Table.from_pylist([f.output for f in finished], schema=self.schema))
        self.rejects.append(rejects, progress.spans)

    def finish(self, manifest: dict | None) -> list[str]:
        import pyarrow.parquet as pq

        if self.progress.untouched:
            return [str(self.final)] + self.rejects.kept()
        if self._writer is None:
            self._writer = pq.ParquetWriter(self.partial, self.schema)
        self._writer.close()
        self._writer = None
        replace_atomic(self.partial, self.final)
        if manifest is not None:
            manifest = {**manifest, "job": self.job, "units": self.progress.units}
            write_atomic(self.manifest_path, json.dumps(manifest, indent=2, ensure_ascii=False))
        return [str(self.final)] + self.rejects.kept()
