"""What runs inside a Ray actor: models loaded once per actor, each block through the same
processing function as the local job runner (``translate_records``, ``Chain.process``).

Each actor opens the translation memory of its own node (``translation-memory.sqlite3`` under that
node's toolkit cache folder): SQLite's locking is not safe on shared network file systems (NFS, SMB),
so the memory must never be one file on a shared disk for the whole cluster. Actors on one node share
their node's file, as local processes do.
"""

from __future__ import annotations

import json
import pickle
from dataclasses import dataclass

from toolkit.distributed.reading import ITEM, STATE, unpickle_column

RESULT, META = "_result", "_meta"  # a pool's pickled results, and its counts as JSON


@dataclass(frozen=True)
class Placement:
    """Where an actor's models run: device and inference threads (its CPUs)."""

    device: str = "cpu"
    threads: int = 1


class TranslateProcess:
    """The job's ``RecordsTranslation`` with translators built once, on this node, from its settings
    (``JobSettings``, resolved by the driver)."""

    def __init__(self, job, settings, place: Placement):
        from toolkit.provenance import DecodingSettings
        from toolkit.translate.factory import build_translators
        from toolkit.translate.job import RecordsTranslation

        # The translation memory of this node's cache folder.
        translators = build_translators(settings.source, settings.models, job.backend, DecodingSettings(beams=job.beams),
                                        job.memory, place.device, job.quantization, place.threads, job.dtype)
        self.sentences = 0
        self.translate = RecordsTranslation(translators, settings, self._counted)

    def _counted(self, n: int) -> None:
        self.sentences += n

    def counters(self) -> dict[str, int]:
        return self.translate.counters()

    def provenance(self) -> dict:
        from toolkit.translate.job import provenance

        return provenance(self.translate.translators)

    def __call__(self, records: list) -> list:
        return self.translate(records)


class ChainProcess:
    """``Chain.process`` with the chain's models built once, on this node."""

    def __init__(self, options, skip_bad: bool, place: Placement):
        from toolkit.chain import Chain

        self.chain, self.skip_bad, self.sentences = Chain(options), skip_bad, 0

    def counters(self) -> dict[str, int]:
        return {}

    def provenance(self) -> dict:
        return {}

    def __call__(self, records: list) -> list:
        return self.chain.process(records, self.skip_bad)


class ProcessItems:
    """A Ray Data callable class: each row's pool of items through one processing function.

    Adds ``_result`` to every row: the pickled list of its items' results (the ``Finished`` or
    ``Reject`` of each record processed, ``("stop", error)`` for the record that stopped the pool
    (``Unfinished``: the records after it are left unprocessed, as the local runner leaves them),
    None for the rest), and ``_meta``: the pool's counts (sentences, outputs cut at the bound) and
    the models' provenance, as JSON.
    """

    def __init__(self, make, *args):
        self.process = make(*args)

    def __call__(self, batch):
        import pyarrow as pa

        pools = [self._pool(state, items) for state, items in zip(batch.column(STATE).to_pylist(), unpickle_column(batch, ITEM))]
        batch = batch.append_column(RESULT, pa.array([pickle.dumps(results) for results, _ in pools], pa.binary()))
        return batch.append_column(META, pa.array([json.dumps(info) for _, info in pools], pa.string()))

    def _pool(self, state: str, items: list) -> tuple[list, dict]:
        from toolkit.io.inputs import Record
        from toolkit.io.jobs import Unfinished

        records = [i for i in items if isinstance(i, Record)] if state == "do" else []
        before, sentences = self.process.counters(), self.process.sentences
        stop = None
        try:
            results = self.process(records) if records else []
        except Unfinished as unfinished:
            results, stop = list(unfinished.done), unfinished.error
        by_key = {r.key: result for r, result in zip(records, results)}
        if stop is not None:
            by_key[records[len(results)].key] = ("stop", stop)
        after = self.process.counters()
        info = {"sentences": self.process.sentences - sentences, "provenance": self.process.provenance(),
                "counters": {k: after[k] - before.get(k, 0) for k in after}}
        return [by_key.get(i.key) if isinstance(i, Record) else None for i in items], info


def _texts(batch, column: str) -> list[str]:
    return [t or "" for t in batch.column(column).to_pylist()]


class TranslateColumn:
    """A Ray Data callable class for ``translate_dataset``: adds ``translations``, ``dir`` and, with the
    checks on, ``flags`` (a string per target: the flagged segments as JSON) for ``column``, through
    ``translate_records`` as the local runner does."""

    def __init__(self, job, settings, place: Placement, column: str):
        self.process, self.column, self.targets = TranslateProcess(job, settings, place), column, list(settings.targets)
        self.checked = settings.flags

    def __call__(self, batch):
        import pyarrow as pa

        from toolkit.io.inputs import Record

        records = [Record(str(i), str(i), text, f"row {i + 1}", fields={}) for i, text in enumerate(_texts(batch, self.column))]
        finished = self.process(records)
        kind = pa.struct([(t, pa.string()) for t in self.targets])
        batch = batch.append_column("translations", pa.array([f.output["translations"] for f in finished], kind))
        batch = batch.append_column("dir", pa.array([f.output["dir"] for f in finished], kind))
        if self.checked:
            flags = [{t: json.dumps(entries, ensure_ascii=False) for t, entries in f.output["flags"].items()} for f in finished]
            batch = batch.append_column("flags", pa.array(flags, kind))
        return batch


class ChainColumn:
    """A Ray Data callable class for ``summarize_dataset``: adds the chain's record fields for
    ``column`` (``summary``, ``translations`` and ``manifest`` as JSON strings: their languages vary
    by article)."""

    def __init__(self, options, column: str, id_column: str | None, place: Placement):
        self.process, self.column, self.id_column = ChainProcess(options, False, place), column, id_column

    def __call__(self, batch):
        import pyarrow as pa

        from toolkit.io.inputs import Record
        from toolkit.io.jobs import Unfinished

        ids = (batch.column(self.id_column).to_pylist() if self.id_column in batch.column_names
               else [None] * batch.num_rows)
        records = [Record(str(i), str(v if v is not None else i), text, f"row {i + 1}", unit="dataset")
                   for i, (text, v) in enumerate(zip(_texts(batch, self.column), ids))]
        try:
            finished = self.process(records)
        except Unfinished as stop:
            raise stop.error from None
        outputs = [f.output for f in finished]
        for name in ("id", "source_lang"):
            batch = batch.drop_columns([name]) if name in batch.column_names else batch
            batch = batch.append_column(name, pa.array([o[name] for o in outputs], pa.string()))
        for name in ("summary", "translations", "manifest"):
            batch = batch.append_column(name, pa.array([json.dumps(o[name], ensure_ascii=False) for o in outputs], pa.string()))
        return batch
