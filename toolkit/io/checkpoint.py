"""A job's resume state: its progress over all its runs, its checkpoint, its key, and how its inputs
changed since a run stopped or finished (see ``toolkit.io.jobs`` for how the runner uses them).

Resuming is by identity: the checkpoint keeps, for every input unit (a file, a folder's file, a
text argument) its fingerprint and how many of its items are done. A rerun skips exactly those
items; it refuses to go on when a unit it already used has changed or gone (the difference is
named), while units not started yet may change, appear or be fixed freely.

A finished job's manifest keeps the same, and where each unit's output lies in the output
(``Progress.spans``). A rerun of the finished job redoes exactly the units that changed or
appeared: the others' output is copied from the finished output (``Progress.reuse``), byte for
byte; when no unit changed, nothing is done and the output is left as it is (``untouched``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.errors import ToolkitError
from toolkit.io.files import content_digest, write_atomic
from toolkit.io.files import fingerprint as file_fingerprint


class UnfinishedJobError(ToolkitError):
    """The output holds an unfinished job that this one cannot continue (other settings, or inputs
    that changed since it stopped). Starting over (``restart``) discards it."""


@dataclass
class Progress:
    """A job's progress over all its runs: per input unit, its fingerprint and how many of its items
    (records and rejects, in input order) are done; totals of the job so far."""

    units: dict[str, list] = field(default_factory=dict)  # unit -> [fingerprint, items done, of them rejects]
    records: int = 0
    rejected: int = 0
    counters: dict[str, int] = field(default_factory=dict)  # e.g. outputs cut at the length bound, by language
    spans: dict[str, dict] = field(default_factory=dict)  # unit -> {"out": [start, end], "rejects": [...]}: bytes
    current: dict[str, list] = field(default_factory=dict, repr=False)  # this run's unit fingerprints (not stored)
    reuse: dict[str, tuple] = field(default_factory=dict, repr=False)  # unit -> (its entry, its spans) in the finished output
    untouched: bool = False  # the job is finished and no input changed: nothing to do, the output stays

    def done(self, unit: str) -> int:
        return self.units.get(unit, [None, 0])[1]

    def skipped(self, unit: str) -> int:
        """How many of ``unit``'s items this run does not process: done by an earlier run of the
        job, or held by the finished output and copied."""
        return self.reuse[unit][0][1] if unit in self.reuse else self.done(unit)


def extend_span(spans: dict[str, dict], unit: str, name: str, start: int, end: int) -> None:
    """Where ``unit``'s output in the file ``name`` ("out" or "rejects") now ends: ``[start, end)``
    of bytes, started at its first write (a unit's items are written together, in input order)."""
    span = spans.setdefault(unit, {}).setdefault(name, [start, end])
    span[1] = end


def job_key(spec: dict) -> str:
    """A short, stable hash of what defines a job (its kind, options and models): checkpoints carry it."""
    return hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _unit_name(unit: str) -> str:
    return f"text argument {unit[5:]}" if unit.startswith("text:") else unit


def recorded(unit: str, fingerprint: list | None) -> list | None:
    """The fingerprint kept for a unit once its first item is done: a file's size and time get its
    content hash, taken while the file still has that size and time, so that a rerun tells a file
    touched or restored from a copy from one that changed."""
    path = Path(unit)
    if (fingerprint is not None and len(fingerprint) == 2 and path.is_absolute() and path.is_file()
            and file_fingerprint(path)[""] == fingerprint):
        return [*fingerprint, content_digest(path)]
    return fingerprint


def unchanged(unit: str, stored: list, current: list | None) -> bool:
    """The unit has the content it had when ``stored`` was recorded: the same size and time, or,
    when only the time differs, the same content hash."""
    if current is None:
        return False
    if stored[:2] == current[:2]:
        return True
    return len(stored) == 3 and stored[0] == current[0] and Path(unit).is_file() and content_digest(Path(unit)) == stored[2]


def input_changes(stored: dict[str, list], current: dict[str, list]) -> list[str]:
    """The units the unfinished job used that are gone or changed."""
    changes = []
    for unit, (fingerprint, done, *_) in stored.items():
        if not done:
            continue
        if unit not in current:
            changes.append(f"{_unit_name(unit)} is gone")
        elif not unchanged(unit, fingerprint, current[unit]):
            changes.append(f"{_unit_name(unit)} changed")
    return changes


def finished_job(manifest: Path) -> dict | None:
    """A finished job's manifest, when it says what a rerun needs (its key and units)."""
    try:
        data = json.loads(manifest.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and "units" in data and "job" in data else None


def untouched(finished: dict | None, job: str, units: dict[str, list]) -> Progress | None:
    """The progress of the finished job ``job`` when its manifest is ``finished`` and none of its
    inputs changed, appeared or went: nothing to do."""
    if finished is None or finished["job"] != job or finished["units"].keys() != units.keys():
        return None
    if not all(unchanged(u, entry[0], units[u]) for u, entry in finished["units"].items()):
        return None
    return Progress(finished["units"], finished["records"], finished["rejected"], finished.get("counters", {}),
                    finished.get("spans", {}), units, untouched=True)


class Checkpoint:
    """The job's ``Progress`` and the size of each output file at that point, replaced atomically
    after every pool; loading it truncates the files back to those sizes."""

    def __init__(self, path: Path, files: list[Path]):
        self.path, self.files = path, files
        self.job = ""
        self.units: dict[str, list] = {}

    def _read(self) -> dict | None:
        try:
            return json.loads(self.path.read_text("utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            return {"job": None}

    def load(self, job: str, units: dict[str, list], restart: bool, finished: dict | None = None) -> Progress:
        """The progress of the unfinished job ``job`` on these inputs (``units``: their current
        fingerprints), or a fresh start; refuses an unfinished job it cannot continue. ``finished``:
        the manifest of a finished run of the output, whose unchanged units are reused when it is
        this job's (``Progress.reuse``, ``Progress.untouched``)."""
        self.job, self.units = job, units
        state = None if restart else self._read()
        if restart or (finished is not None and finished["job"] != job):
            finished = None
        if state is None and (done := untouched(finished, job, units)) is not None:
            return done
        progress, sizes = Progress(), {}
        if state is not None:
            if state.get("job") != job:
                raise UnfinishedJobError(f"{self.path} belongs to an unfinished job with other inputs or settings",
                                         "rerun that job to finish it, or start over («restart»)")
            changes = input_changes(state["units"], units)
            if changes:
                shown = "; ".join(changes[:5]) + (f"; and {len(changes) - 5} more" if len(changes) > 5 else "")
                raise UnfinishedJobError(f"the inputs of the unfinished job in {self.path} changed since it stopped: {shown}",
                                         "restore them to finish the job, or start over («restart»)")
            progress = Progress(state["units"], state["records"], state["rejected"], state.get("counters", {}),
                                state.get("spans", {}))
            sizes = state["sizes"]
            for entry in progress.units.values():
                entry[2:] = entry[2:] or [0]  # a checkpoint from before units counted their rejects
        progress.current = units
        if finished is not None:
            progress.reuse = {u: (entry, finished.get("spans", {}).get(u, {})) for u, entry in finished["units"].items()
                              if u in units and u not in progress.units and entry[1] and unchanged(u, entry[0], units[u])}
        for file in self.files:
            if file.exists():
                with file.open("r+b") as f:
                    f.truncate(sizes.get(file.name, 0))
        return progress

    def commit(self, progress: Progress) -> None:
        sizes = {f.name: f.stat().st_size for f in self.files if f.exists()}
        write_atomic(self.path, json.dumps({
            "job": self.job, "units": progress.units, "records": progress.records, "rejected": progress.rejected,
            "counters": progress.counters, "spans": progress.spans, "sizes": sizes,
        }, ensure_ascii=False))

    def finish(self) -> None:
        self.path.unlink(missing_ok=True)
