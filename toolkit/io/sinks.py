"""Where finished records go: one sink interface, for every batch command.

A sink is opened before any model is loaded: it refuses an output that is an input (or a folder
inside an input folder), a file output that is a folder, a place that cannot be written, and an
output another running job holds (an exclusive lock with the holder's pid and host). It then
writes finished records pool by pool with a checkpoint (``toolkit.io.jobs.Checkpoint``) so that an
interrupted job resumes without loss or duplicates, and at the end makes the output whole in one
step.

- ``StreamSink``: one file built by appending (JSONL, CSV/TSV, JSON lines, text) to ``OUT.partial``,
  renamed to ``OUT`` at the end; ``OUT.lock``, ``OUT.progress.json``, ``OUT.rejects.jsonl`` beside it.
- ``FolderSink``: one file per record and language, each written atomically (a folder mirror, or
  the named files of a single document).
- ``StdoutSink``: standard output (or any callback), nothing to resume.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Protocol, Sequence

from toolkit.io.files import (OutputError, OutputLock, append_durably, check_appendable, check_name_fits, json_bytes,
                              replace_atomic, room_checked, write_atomic)
from toolkit.io.inputs import Record, Reject, path_kind


@dataclass(frozen=True)
class Finished:
    """One record done: ``output`` is the output record exactly as a JSON line of the job carries it;
    ``texts`` the result texts by language (what a document output writes as files); ``result`` the
    typed result, when the processing function has one (``ChainResult``)."""

    record: Record
    output: dict
    texts: dict[str, str] = field(default_factory=dict)
    result: Any = None


class Sink(Protocol):
    """Where a job's finished records go. ``open`` checks and locks (before any model work),
    ``begin`` returns the job's progress so far, ``write`` adds a pool durably, ``finish`` makes the
    output whole and returns the paths really written; ``close`` releases the lock."""

    rejects_path: Path | None

    def open(self) -> None: ...

    def begin(self, job: str, units: dict[str, list], restart: bool): ...

    def write(self, finished: Sequence[Finished], rejects: Sequence[Reject], progress) -> None: ...

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


class _RejectsFile:
    def __init__(self, path: Path):
        self.path = path

    def append(self, rejects: Sequence[Reject]) -> None:
        if rejects:
            append_durably(self.path, "".join(
                json.dumps({"origin": r.origin, "reason": r.reason, "line": r.raw}, ensure_ascii=False) + "\n" for r in rejects))


class _Locked:
    """Opening: the output checks, then the lock; closing releases it."""

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


class StreamSink(_Locked):
    """One output file, built by appending formatted records; resumable."""

    def __init__(self, out: Path, format_record: Callable[[Finished], str], inputs: Sequence[str] = (),
                 header: str = "", check_rejects: bool = False):
        from toolkit.io.jobs import Checkpoint

        self.final, self.format_record, self.inputs, self.header = out, format_record, inputs, header
        self.partial = out.with_name(out.name + ".partial")
        self.rejects_path = out.with_name(out.name + ".rejects.jsonl")
        self.manifest_path = out.with_name(out.name + ".manifest.json")
        self.lock = OutputLock(out.with_name(out.name + ".lock"), out)
        self.checkpoint = Checkpoint(out.with_name(out.name + ".progress.json"), [self.partial, self.rejects_path])
        self.rejects = _RejectsFile(self.rejects_path)
        self.check_rejects = check_rejects

    def _checks(self) -> None:
        if self.final.is_dir():
            raise OutputError(f"the output {self.final} is a folder", "name a file for this output")
        check_not_an_input([self.final], None, self.inputs)
        _check_side_files(self.final, [self.partial, self.rejects_path, self.manifest_path, self.lock.path,
                                       self.checkpoint.path])

    def begin(self, job: str, units: dict[str, list], restart: bool):
        return self.checkpoint.load(job, units, restart)

    def write(self, finished: Sequence[Finished], rejects: Sequence[Reject], progress) -> None:
        text = "".join(self.format_record(f) for f in finished)
        if not self.partial.exists() or self.partial.stat().st_size == 0:
            text = self.header + text
        append_durably(self.partial, text)
        self.rejects.append(rejects)
        self.checkpoint.commit(progress)

    def finish(self, manifest: dict | None) -> list[str]:
        if not self.partial.exists() or self.partial.stat().st_size == 0:
            write_atomic(self.partial, self.header)
        replace_atomic(self.partial, self.final)
        written = [str(self.final)]
        if manifest is not None:
            write_atomic(self.manifest_path, json_bytes(manifest, indent=2))
        self.checkpoint.finish()
        return written + _kept_rejects(self.rejects_path)


def _kept_rejects(path: Path) -> list[str]:
    """The rejects file when it has any; an empty one (left by an earlier run) is removed."""
    if not path.exists():
        return []
    if path.stat().st_size == 0:
        path.unlink()
        return []
    return [str(path)]


class FolderSink(_Locked):
    """One file per record and language (``files_of`` names them, relative to ``folder``); each
    appears whole or not at all; resumable. ``name`` is the output as the user gave it: a folder, or
    a file name whose per-language files go beside it (its lock, checkpoint and rejects too)."""

    def __init__(self, name: Path, folder: Path, files_of: Callable[[Finished], dict[str, str]],
                 inputs: Sequence[str] = (), check_rejects: bool = False):
        from toolkit.io.jobs import Checkpoint

        self.name, self.folder, self.files_of, self.inputs = name, folder, files_of, inputs
        as_folder = name == folder
        meta = (lambda suffix: folder / f".toolkit{suffix}") if as_folder else (lambda suffix: name.with_name(name.name + suffix))
        self.rejects_path = folder / "rejects.jsonl" if as_folder else name.with_name(name.name + ".rejects.jsonl")
        self.manifest_path = folder / "toolkit-manifest.json" if as_folder else name.with_name(name.name + ".manifest.json")
        self.lock = OutputLock(meta(".lock"), name)
        self.checkpoint = Checkpoint(meta("-progress.json") if as_folder else meta(".progress.json"), [self.rejects_path])
        self.rejects = _RejectsFile(self.rejects_path)
        self.check_rejects = check_rejects
        self.as_folder = as_folder
        self.written: list[str] = []
        self._inputs = input_files(inputs)

    def _checks(self) -> None:
        if self.as_folder and self.folder.exists() and not self.folder.is_dir():
            raise OutputError(f"the output {self.folder} is a file, not a folder", "name a folder for this output")
        check_not_an_input([self.name] if not self.as_folder else [], self.folder if self.as_folder else None, self.inputs)
        if not self.as_folder:
            _check_side_files(self.name, [self.rejects_path, self.manifest_path, self.lock.path, self.checkpoint.path])

    def begin(self, job: str, units: dict[str, list], restart: bool):
        return self.checkpoint.load(job, units, restart)

    def write(self, finished: Sequence[Finished], rejects: Sequence[Reject], progress) -> None:
        for item in finished:
            for relpath, text in self.files_of(item).items():
                path = self.folder / relpath
                if path.resolve() in self._inputs:
                    raise OutputError(f"the output {path} is also an input", "write the output elsewhere")
                write_atomic(path, text)
                self.written.append(str(path))
        self.rejects.append(rejects)
        self.checkpoint.commit(progress)

    def finish(self, manifest: dict | None) -> list[str]:
        if manifest is not None:
            write_atomic(self.manifest_path, json_bytes(manifest, indent=2))
        self.checkpoint.finish()
        return list(self.written) + _kept_rejects(self.rejects_path)


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


class StdoutSink(_Locked):
    """Standard output (or ``emit``): records written as they come, nothing to resume. Rejects go
    to ``rejects_path``."""

    def __init__(self, format_record: Callable[[Finished], str] | None, rejects_path: Path | None, header: str = "",
                 emit: Callable[[Finished], None] | None = None, check_rejects: bool = False):
        self.format_record, self.header, self.emit = format_record, header, emit
        self.rejects_path = rejects_path
        self.rejects = _RejectsFile(rejects_path) if rejects_path else None
        self.check_rejects = check_rejects

    def _checks(self) -> None:
        if self.check_rejects and self.rejects_path is not None:
            check_name_fits(self.rejects_path, "the rejects file",
                            "give the input a shorter name, or write to an output file («out»)")

    def begin(self, job: str, units: dict[str, list], restart: bool):
        from toolkit.io.jobs import Progress

        return Progress(current=units)

    def write(self, finished: Sequence[Finished], rejects: Sequence[Reject], progress) -> None:
        if self.format_record is not None and finished:
            _write_stdout(self.header + "".join(self.format_record(f) for f in finished))
            self.header = ""
        if self.emit is not None:
            for item in finished:
                self.emit(item)
        if self.rejects is not None:
            self.rejects.append(rejects)

    def finish(self, manifest: dict | None) -> list[str]:
        if self.format_record is not None and self.header:
            _write_stdout(self.header)
        return [str(self.rejects_path)] if self.rejects_path is not None and self.rejects_path.exists() else []
