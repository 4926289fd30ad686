"""Where finished records go: one sink interface, for every batch command.

A sink is opened before any model is loaded: it refuses an output that is an input (or a folder
inside an input folder), a file output that is a folder, a place that cannot be written, and an
output another running job holds (an exclusive lock with the holder's pid and host). It then
writes finished records pool by pool with a checkpoint (``toolkit.io.checkpoint.Checkpoint``) so that an
interrupted job resumes without loss or duplicates, and at the end makes the output whole in one
step.

- ``StreamSink``: one file built by appending (JSONL, CSV/TSV, JSON lines, text) to ``OUT.partial``,
  renamed to ``OUT`` at the end; ``OUT.lock``, ``OUT.progress.json``, ``OUT.rejects.jsonl`` beside it.
- ``FolderSink``: one file per record and language, each written atomically (a folder mirror, or
  the named files of a single document); the flagged segments in a sidecar (``toolkit-flags.jsonl`` in the
  folder, ``OUT.flags.jsonl`` beside a named file), resumed as the rejects file is.
- ``StdoutSink``: standard output (or any callback), nothing to resume.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Protocol, Sequence

from toolkit.errors import InputError
from toolkit.io.files import (OutputError, OutputLock, append_durably, check_appendable, check_name_fits, json_bytes,
                              replace_atomic, room_checked, write_atomic)
from toolkit.io.checkpoint import Checkpoint, Progress, extend_span, finished_job
from toolkit.io.inputs import Finished, Reject, path_kind


class Sink(Protocol):
    """Where a job's finished records go. ``open`` checks and locks (before any model work),
    ``begin`` returns the job's progress so far, ``write`` adds a pool durably, ``finish`` makes the
    output whole and returns the paths really written; ``close`` releases the lock."""

    rejects_path: Path | None

    def open(self) -> None: ...

    def begin(self, job: str, units: dict[str, list], restart: bool) -> Progress: ...

    def write(self, finished: Sequence[Finished], rejects: Sequence[Reject], progress: Progress) -> None: ...

    def reuse(self, unit: str, spans: dict, progress: Progress) -> None: ...

    def finish(self, manifest: dict | None) -> list[str]: ...

    def close(self) -> None: ...


def input_files(inputs: Sequence[str]) -> set[Path]:
    """The resolved paths of the inputs that are files."""
    return {Path(i).resolve() for i in inputs if i != "-" and path_kind(i) == "file"}


def check_not_an_input(outputs: Sequence[Path], folder: Path | None, inputs: Sequence[str]) -> None:
    """Refuse output files that are inputs, and output files or an output folder that is, or is
    inside, an input folder (they would be read back as input)."""
    files = input_files(inputs)
    folders = [Path(i).resolve() for i in inputs if i != "-" and path_kind(i) == "dir"]
    for out in outputs:
        if out.resolve() in files:
            raise OutputError(f"the output {out} is also an input; writing it would replace the input",
                              "write the output to another file")
        source = next((f for f in folders if f in out.resolve().parents), None)
        if source is not None:
            raise OutputError(f"the output {out} is inside the input folder {source}; the next run would read it as input",
                              "write the output outside the input folder")
    if folder is not None:
        resolved = folder.resolve()
        for source in folders:
            if resolved == source or source in resolved.parents:
                raise OutputError(f"the output folder {folder} is inside the input folder {source}; its files would be read back as input",
                                  "choose an output folder outside the input folder")


def _check_side_files(out: Path, files: Sequence[Path]) -> None:
    """Refuse an output whose side files (``OUT.partial``, ``OUT.rejects.jsonl``, ...) would have
    names the file system cannot take."""
    for file in files:
        check_name_fits(file, f"the output's side file of {out}", "choose a shorter output name")


def beside(out: Path, suffix: str) -> Path:
    """A side file of the output ``out``: ``OUT.partial``, ``OUT.lock``, ``OUT.rejects.jsonl``..."""
    return out.with_name(out.name + suffix)


def _size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def _append_with_spans(path: Path, pieces: Sequence[tuple[str, str]], spans: dict, name: str) -> None:
    """Append the texts of ``pieces`` (unit, text) to ``path``, noting each unit's span of bytes."""
    position = _size(path)
    for unit, text in pieces:
        end = position + len(text.encode("utf-8"))
        extend_span(spans, unit, name, position, end)
        position = end
    append_durably(path, "".join(text for _, text in pieces))


class SideFile:
    """A JSON-lines side file of the output (``name``: "rejects", "flags"), appended durably with each
    unit's span of bytes, and copied from the finished job's for its unchanged units."""

    def __init__(self, path: Path, name: str):
        self.path, self.name = path, name
        self.previous: bytes | None = None  # the finished job's file, kept to copy its unchanged units' lines from

    def add(self, lines: Sequence[tuple[str, dict]], spans: dict) -> None:
        """Append ``lines`` (unit, JSON object)."""
        if lines:
            _append_with_spans(self.path, [(unit, json.dumps(line, ensure_ascii=False) + "\n") for unit, line in lines],
                               spans, self.name)

    def copy(self, unit: str, span: list | None, spans: dict) -> None:
        if span:
            _append_with_spans(self.path, [(unit, self.previous[span[0]:span[1]].decode("utf-8"))], spans, self.name)

    def kept(self) -> list[str]:
        """The file, when it has any lines; an empty one (left by an earlier run) is removed."""
        if not self.path.exists():
            return []
        if self.path.stat().st_size == 0:
            self.path.unlink()
            return []
        return [str(self.path)]


class RejectsFile(SideFile):
    """A job's rejects file: one JSON line per record set aside (``origin``, ``reason``, the
    ``line`` as read)."""

    def __init__(self, path: Path):
        super().__init__(path, "rejects")

    def append(self, rejects: Sequence[Reject], spans: dict) -> None:
        self.add([(r.unit, {"origin": r.origin, "reason": r.reason, "line": r.raw}) for r in rejects], spans)


@dataclass(frozen=True)
class SetAside:
    """What a job set aside over all its runs: how many records, the first few (``first``) and the
    rejects file that holds them all."""

    count: int = 0
    first: tuple[Reject, ...] = ()
    file: str | None = None

    @classmethod
    def read(cls, path: Path | None, count: int, limit: int = 5) -> SetAside:
        """The job's ``count`` rejects: the last ``count`` lines of its rejects file ``path`` (a
        resumable output's holds its job's alone; standard output's gathers every run's)."""
        if not count or path is None or not path.exists():
            return cls()
        with path.open("rb") as f:  # read twice, a line at a time: a rejects file may be large
            start = max(sum(1 for _ in f) - count, 0)
            f.seek(0)
            lines = list(itertools.islice(f, start, start + limit))
        first = tuple(Reject(r["origin"], r["reason"], r["line"]) for r in map(json.loads, lines))
        return cls(count, first, str(path))

    def check(self, skip_bad: bool, fix: str = "fix them and run the same command again, or pass «skip_bad» to go on without them") -> None:
        """Raise the InputError (exit 2) of a job that set documents of its folders aside without
        being asked to (``skip_bad``): without it nothing else is set aside (a bad record stops the job)."""
        if self.count and not skip_bad:
            files = f"{self.count} file{'s' * (self.count != 1)}"
            raise InputError(f"{files} of the input folders could not be read, set aside in {self.file}; the others are done", fix)


class Locked:
    """An output that opens with its checks (``_checks``), then its lock, and closes by releasing
    the lock: every sink, the Ray engine's Parquet sink too."""

    lock: OutputLock | None = None
    rejects_path: Path | None = None
    check_rejects = False

    def _checks(self) -> None:
        pass

    def open(self) -> None:
        self._checks()
        if self.lock is not None:
            self.lock.acquire()
        if self.check_rejects and self.rejects_path is not None:
            check_appendable(self.rejects_path)

    def close(self) -> None:
        if self.lock is not None:
            self.lock.release()

    def __enter__(self):
        self.open()
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _Resumable(Locked):
    """A sink with a checkpoint and a manifest: resumes an unfinished job, and reruns a finished
    one by copying the output of its unchanged units (``toolkit.io.checkpoint``)."""

    checkpoint: Checkpoint
    manifest_path: Path
    rejects: RejectsFile
    progress: Progress | None = None

    def _side_files(self) -> list[SideFile]:
        return [self.rejects]

    def _output_size(self) -> int | None:
        """The size of the one output file (None: one file per record)."""
        return None

    def _finished(self) -> dict | None:
        """The manifest of the finished job this output holds, when its files are as it left them."""
        data = finished_job(self.manifest_path)
        return data if data is not None and data.get("sizes", {}).get("out") == self._output_size() else None

    def begin(self, job: str, units: dict[str, list], restart: bool) -> Progress:
        finished = None if restart else self._finished()
        for side in self._side_files():
            if finished is not None and not self.checkpoint.path.exists() and _size(side.path) == finished["sizes"].get(side.name):
                side.previous = side.path.read_bytes() if side.path.exists() else b""
        self.progress = self.checkpoint.load(job, units, restart, finished)
        for side in self._side_files():
            if side.previous is None:  # the finished job's side file is gone: its units with lines there are redone
                for unit in [u for u, (_, spans) in self.progress.reuse.items() if spans.get(side.name)]:
                    del self.progress.reuse[unit]
        return self.progress

    def _manifest(self, manifest: dict) -> dict:
        """The caller's manifest, plus what a rerun of the finished job needs."""
        return {**manifest, "job": self.checkpoint.job, "units": self.progress.units, "spans": self.progress.spans,
                "counters": self.progress.counters,
                "sizes": {"out": self._output_size(), **{side.name: _size(side.path) for side in self._side_files()}}}


def _copy_span(source: Path, span: list, dest: Path) -> None:
    """Append bytes ``[start, end)`` of ``source`` to ``dest``, durably."""
    left = span[1] - span[0]
    with source.open("rb") as f, dest.open("ab") as out:
        f.seek(span[0])
        while left:
            block = f.read(min(left, 1 << 20))
            if not block:
                raise OutputError(f"{source} is shorter than its manifest says", "start over («restart»)")
            out.write(block)
            left -= len(block)
        out.flush()
        os.fsync(out.fileno())


class StreamSink(_Resumable):
    """One output file, built by appending formatted records; resumable."""

    def __init__(self, out: Path, format_record: Callable[[Finished], str], inputs: Sequence[str] = (),
                 header: str = "", check_rejects: bool = False):
        self.final, self.format_record, self.inputs, self.header = out, format_record, inputs, header
        self.partial = beside(out, ".partial")
        self.rejects_path = beside(out, ".rejects.jsonl")
        self.manifest_path = beside(out, ".manifest.json")
        self.lock = OutputLock(beside(out, ".lock"), out)
        self.checkpoint = Checkpoint(beside(out, ".progress.json"), [self.partial, self.rejects_path])
        self.rejects = RejectsFile(self.rejects_path)
        self.check_rejects = check_rejects

    def _checks(self) -> None:
        if self.final.is_dir():
            raise OutputError(f"the output {self.final} is a folder", "name a file for this output")
        check_not_an_input([self.final], None, self.inputs)
        _check_side_files(self.final, [self.partial, self.rejects_path, self.manifest_path, self.lock.path,
                                       self.checkpoint.path])

    def _output_size(self) -> int | None:
        return _size(self.final) if self.final.exists() else -1

    def _start(self) -> None:
        if _size(self.partial) == 0:
            append_durably(self.partial, self.header)

    def write(self, finished: Sequence[Finished], rejects: Sequence[Reject], progress: Progress) -> None:
        self._start()
        _append_with_spans(self.partial, [(f.record.unit, self.format_record(f)) for f in finished], progress.spans, "out")
        self.rejects.append(rejects, progress.spans)
        self.checkpoint.commit(progress)

    def reuse(self, unit: str, spans: dict, progress: Progress) -> None:
        self._start()
        if spans.get("out"):
            start = _size(self.partial)
            _copy_span(self.final, spans["out"], self.partial)
            extend_span(progress.spans, unit, "out", start, _size(self.partial))
        self.rejects.copy(unit, spans.get("rejects"), progress.spans)

    def finish(self, manifest: dict | None) -> list[str]:
        if self.progress is not None and self.progress.untouched:  # the finished output is this job's, as it was
            return [str(self.final)] + self.rejects.kept()
        self._start()
        replace_atomic(self.partial, self.final)
        written = [str(self.final)]
        kept = self.rejects.kept()
        if manifest is not None:
            write_atomic(self.manifest_path, json_bytes(self._manifest(manifest), indent=2))
        self.checkpoint.finish()
        return written + kept


class FolderSink(_Resumable):
    """One file per record and language (``files_of`` names them, relative to ``folder``); each
    appears whole or not at all; resumable. ``name`` is the output as the user gave it: a folder, or
    a file name whose per-language files go beside it (its lock, checkpoint and rejects too).
    ``flags_of``: a record's lines of the flags sidecar (None: no sidecar)."""

    def __init__(self, name: Path, folder: Path, files_of: Callable[[Finished], dict[str, str]],
                 inputs: Sequence[str] = (), check_rejects: bool = False,
                 flags_of: Callable[[Finished], list[dict]] | None = None):
        self.name, self.folder, self.files_of, self.inputs, self.flags_of = name, folder, files_of, inputs, flags_of
        as_folder = name == folder
        meta = (lambda suffix: folder / f".toolkit{suffix}") if as_folder else (lambda suffix: beside(name, suffix))
        self.rejects_path = folder / "rejects.jsonl" if as_folder else beside(name, ".rejects.jsonl")
        self.flags_path = folder / "toolkit-flags.jsonl" if as_folder else beside(name, ".flags.jsonl")
        self.manifest_path = folder / "toolkit-manifest.json" if as_folder else beside(name, ".manifest.json")
        self.lock = OutputLock(meta(".lock"), name)
        self.checkpoint = Checkpoint(meta("-progress.json") if as_folder else meta(".progress.json"),
                                     [self.rejects_path, self.flags_path])
        self.rejects = RejectsFile(self.rejects_path)
        self.flags = SideFile(self.flags_path, "flags")
        self.check_rejects = check_rejects
        self.as_folder = as_folder
        self.written: list[str] = []
        self._inputs = input_files(inputs)

    def _checks(self) -> None:
        if self.as_folder and self.folder.exists() and not self.folder.is_dir():
            raise OutputError(f"the output {self.folder} is a file, not a folder", "name a folder for this output")
        check_not_an_input([self.name] if not self.as_folder else [], self.folder if self.as_folder else None, self.inputs)
        if not self.as_folder:
            _check_side_files(self.name, [self.rejects_path, self.flags_path, self.manifest_path, self.lock.path,
                                          self.checkpoint.path])

    def _side_files(self) -> list[SideFile]:
        return [self.rejects, self.flags]

    def write(self, finished: Sequence[Finished], rejects: Sequence[Reject], progress: Progress) -> None:
        for item in finished:
            for relpath, text in self.files_of(item).items():
                path = self.folder / relpath
                if path.resolve() in self._inputs:
                    raise OutputError(f"the output {path} is also an input", "write the output elsewhere")
                write_atomic(path, text)
                self.written.append(str(path))
        if self.flags_of is not None:
            self.flags.add([(item.record.unit, line) for item in finished for line in self.flags_of(item)], progress.spans)
        self.rejects.append(rejects, progress.spans)
        self.checkpoint.commit(progress)

    def reuse(self, unit: str, spans: dict, progress: Progress) -> None:
        for side in self._side_files():  # the unit's files are there as they were
            side.copy(unit, spans.get(side.name), progress.spans)

    def finish(self, manifest: dict | None) -> list[str]:
        if self.progress is not None and self.progress.untouched:
            return self.flags.kept() + self.rejects.kept()
        flagged = self.flags.kept()
        kept = flagged + self.rejects.kept()  # the rejects last: the job's report names them so
        if manifest is not None:
            sidecar = {"flags_file": flagged[0] if flagged else None} if self.flags_of is not None else {}
            write_atomic(self.manifest_path, json_bytes(self._manifest({**manifest, **sidecar}), indent=2))
        self.checkpoint.finish()
        return list(self.written) + kept


def _write_stdout(text: str) -> None:
    """Write and flush standard output; when it has no room left, what is still buffered is dropped
    (standard output then goes to /dev/null, so that exiting does not fail on it a second time)."""
    try:
        with room_checked("standard output", resumes=False):
            sys.stdout.write(text)
            sys.stdout.flush()
    except OutputError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        with contextlib.suppress(OSError, ValueError):  # a standard output without a file descriptor
            os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        raise


class StdoutSink(Locked):
    """Standard output (or ``emit``): records written as they come, nothing to resume. Rejects go
    to ``rejects_path``."""

    def __init__(self, format_record: Callable[[Finished], str] | None, rejects_path: Path | None, header: str = "",
                 emit: Callable[[Finished], None] | None = None, check_rejects: bool = False):
        self.format_record, self.header, self.emit = format_record, header, emit
        self.rejects_path = rejects_path
        self.rejects = RejectsFile(rejects_path) if rejects_path else None
        self.check_rejects = check_rejects

    def _checks(self) -> None:
        if self.check_rejects and self.rejects_path is not None:
            check_name_fits(self.rejects_path, "the rejects file",
                            "give the input a shorter name, or write to an output file («out»)")

    def begin(self, job: str, units: dict[str, list], restart: bool) -> Progress:
        return Progress(current=units)

    def write(self, finished: Sequence[Finished], rejects: Sequence[Reject], progress: Progress) -> None:
        if self.format_record is not None and finished:
            _write_stdout(self.header + "".join(self.format_record(f) for f in finished))
            self.header = ""
        if self.emit is not None:
            for item in finished:
                self.emit(item)
        if self.rejects is not None:
            self.rejects.append(rejects, progress.spans)

    def finish(self, manifest: dict | None) -> list[str]:
        if self.format_record is not None and self.header:
            _write_stdout(self.header)
        return [str(self.rejects_path)] if self.rejects_path is not None and self.rejects_path.exists() else []
