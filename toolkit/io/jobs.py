"""The one resumable job runner: records in pools, a processing function, a sink.

Every batch command (``translate``, ``chain``) and the services built on the library run the same
loop::

    items (Records, and Rejects set aside while reading)
      -> skip what the job finished in an earlier run (by record key)
      -> pools of about ``pool_chars`` characters
      -> process(records) -> one Finished (or Reject) per record     # the model work
      -> sink.write(finished, rejects, progress)                      # durable, checkpointed

``process`` is any function from a list of ``Record`` to a list of results of the same length;
``toolkit.translate.job.translate_records`` and ``toolkit.chain.Chain.process`` are the two the
toolkit has. It knows nothing about files; the sink knows nothing about models. What a job has
done, and how a rerun resumes or reuses it, is ``toolkit.io.checkpoint``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from toolkit.errors import ToolkitError
from toolkit.io.checkpoint import Progress, recorded
from toolkit.io.inputs import Finished, Item, Record, Reject
from toolkit.io.sinks import Sink


class Unfinished(Exception):
    """Raised by a ``process`` function that stops at a record: ``done`` are the results of the
    records before it (kept and written), ``error`` what stopped it."""

    def __init__(self, done: list, error: ToolkitError):
        super().__init__(str(error))
        self.done, self.error = done, error


@dataclass
class JobReport:
    """What a run did (``records``, ``rejected``), what earlier runs of the job had done
    (``resumed``), the job's totals over all its runs (``progress``) and the paths written."""

    records: int = 0
    rejected: int = 0
    resumed: int = 0
    progress: Progress = field(default_factory=Progress)
    outputs: list[str] = field(default_factory=list)


def pooled(items: Iterable, size_of: Callable, pool_size: int) -> Iterator[list]:
    """Group a stream into pools of about ``pool_size`` units, so memory is bounded by the pool."""
    pool: list = []
    total = 0
    for item in items:
        pool.append(item)
        total += size_of(item)
        if total >= pool_size:
            yield pool
            pool, total = [], 0
    if pool:
        yield pool


@dataclass(frozen=True)
class _Copy:
    """In the stream of items: here goes the finished output of ``unit``, which did not change."""

    unit: str


def item_chars(item: Item | _Copy) -> int:
    """What an item adds to its pool's characters: a record its text's (and one), anything else one."""
    return len(item.text) + 1 if isinstance(item, Record) else 1


def run_job(items: Iterable[Item], process: Callable[[list[Record]], list], sink: Sink, progress: Progress,
            pool_chars: int, counters: Callable[[], dict[str, int]] | None = None,
            on_progress: Callable[[int, int], None] | None = None) -> JobReport:
    """Run ``process`` over the items not done yet, pool by pool, writing each pool to ``sink``.

    ``progress`` is what ``sink.begin`` returned; ``counters()`` gives this run's running counts
    (kept in the checkpoint, added to the earlier runs'), to which each ``Finished.counts`` is added
    (and kept with its unit, for a rerun that reuses the unit's output); ``on_progress(records, 0)`` is called as
    records finish (and once for the records resumed). An ``Unfinished`` from ``process`` writes
    the records before the one that stopped it, then raises its error.
    """
    report = JobReport(resumed=progress.records, progress=progress)
    base = dict(progress.counters)
    read: dict[str, int] = {}

    def pending() -> Iterator[Item | _Copy]:
        for item in items:
            n = read[item.unit] = read.get(item.unit, 0) + 1
            if item.unit in progress.reuse:
                if n == 1:
                    yield _Copy(item.unit)
            elif n > progress.done(item.unit):
                yield item

    if on_progress and progress.records:
        on_progress(progress.records, 0)

    def flush(finished: list[Finished], rejects: list[Reject]) -> None:
        progress.records += len(finished)
        progress.rejected += len(rejects)
        report.records += len(finished)
        report.rejected += len(rejects)
        now = counters() if counters else {}
        progress.counters = {k: base.get(k, 0) + now.get(k, 0) for k in {*base, *now}}
        sink.write(finished, rejects, progress)
        if on_progress:
            on_progress(len(finished), 0)

    def count(unit: str, counts: dict[str, int]) -> None:
        """Add a record's (or a reused unit's) counts to the job's, and to its unit's."""
        if not counts:
            return
        kept = progress.spans.setdefault(unit, {}).setdefault("counts", {})
        for name, n in counts.items():
            for totals in (base, kept, progress.counters):
                totals[name] = totals.get(name, 0) + n

    def copy(unit: str) -> None:
        """The finished output of an unchanged unit, copied where its records go (its counts too)."""
        entry, spans = progress.reuse.pop(unit)
        sink.reuse(unit, spans, progress)
        count(unit, spans.get("counts", {}))
        rejected = entry[2]
        progress.units[unit] = list(entry)
        progress.records += entry[1] - rejected
        progress.rejected += rejected
        report.resumed += entry[1] - rejected
        if on_progress:
            on_progress(entry[1] - rejected, 0)

    def write(pool: list[Item | _Copy], results: list) -> None:
        """Write the pool's items; ``results`` holds one result per Record of ``pool``, in order."""
        answers = iter(results)
        finished: list[Finished] = []
        rejects: list[Reject] = []
        for item in pool:
            if isinstance(item, _Copy):
                if finished or rejects:
                    flush(finished, rejects)
                    finished, rejects = [], []
                copy(item.unit)
                continue
            result = next(answers) if isinstance(item, Record) else item
            if isinstance(result, Finished):
                finished.append(result)
                count(item.unit, result.counts)
            else:
                rejects.append(result if result.unit else dataclasses.replace(result, unit=item.unit))
            if item.unit not in progress.units:
                progress.units[item.unit] = [recorded(item.unit, progress.current.get(item.unit)), 0, 0]
            entry = progress.units[item.unit]
            entry[1] += 1
            entry[2] += not isinstance(result, Finished)
        if finished or rejects:
            flush(finished, rejects)

    for pool in pooled(pending(), item_chars, pool_chars):
        records = [i for i in pool if isinstance(i, Record)]
        try:
            results = process(records) if records else []
        except Unfinished as stop:
            # Keep the items before the record that stopped the pool (it and those after it are redone).
            stopped = records[len(stop.done)] if len(stop.done) < len(records) else None
            cut = next((n for n, item in enumerate(pool) if item is stopped), len(pool))
            if cut:
                write(pool[:cut], stop.done)
            raise stop.error from None
        write(pool, results)
    return report

