"""Where results go: files written so that an interrupted job resumes without loss or duplicates.

A stream output (JSONL, CSV, JSON lines) is appended to ``OUT.partial``; after each pool of
finished records a checkpoint (``OUT.progress.json``, replaced atomically) records how many input
records are done and how long each file was. A rerun truncates the files to the checkpoint and
skips the finished records; at the end ``OUT.partial`` is renamed to ``OUT`` in one step.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

from toolkit.errors import InputError
from toolkit.io.inputs import Reject


def write_atomic(path: Path, text: str) -> None:
    """Write a whole file so that readers see the old file or the new one, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, prefix=f".{path.name}.", delete=False, encoding="utf-8") as tmp:
        tmp.write(text)
        tmp.flush()
        os.fsync(tmp.fileno())
    os.replace(tmp.name, path)


def job_key(spec: dict) -> str:
    """A short, stable hash of what defines a job (inputs, options, models): checkpoints carry it."""
    return hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()[:16]


class Checkpoint:
    """How many input records a job has finished, and the size of each output file at that point."""

    def __init__(self, path: Path, job: str, files: list[Path], restart: bool):
        self.path, self.job, self.files = path, job, files
        self.consumed = 0
        state = self._read()
        if state is not None and state.get("job") != job and not restart:
            raise InputError(
                f"{path} belongs to an unfinished job with other inputs or settings",
                "rerun that job to finish it, or pass --restart to discard it",
            )
        if state is not None and state.get("job") == job and not restart:
            self.consumed = state["consumed"]
            sizes = state["sizes"]
        else:
            sizes = {}
        for file in files:
            if file.exists():
                with file.open("r+b") as f:
                    f.truncate(sizes.get(file.name, 0))

    def _read(self) -> dict | None:
        try:
            return json.loads(self.path.read_text("utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            return {"job": None}

    def commit(self, consumed: int) -> None:
        self.consumed = consumed
        sizes = {f.name: f.stat().st_size for f in self.files if f.exists()}
        write_atomic(self.path, json.dumps({"job": self.job, "consumed": consumed, "sizes": sizes}))

    def finish(self) -> None:
        self.path.unlink(missing_ok=True)


class _RejectsFile:
    def __init__(self, path: Path):
        self.path = path
        self.count = 0

    def append(self, rejects: list[Reject]) -> None:
        if not rejects:
            return
        with self.path.open("a", encoding="utf-8") as f:
            for r in rejects:
                f.write(json.dumps({"origin": r.origin, "reason": r.reason, "line": r.raw}, ensure_ascii=False) + "\n")
            f.flush()
            os.fsync(f.fileno())
        self.count += len(rejects)


class StreamSink:
    """One output file, built by appending; resumable."""

    def __init__(self, out: Path, job: str, restart: bool = False, header: str = ""):
        out.parent.mkdir(parents=True, exist_ok=True)
        self.final = out
        self.partial = out.with_name(out.name + ".partial")
        self.rejects = _RejectsFile(out.with_name(out.name + ".rejects.jsonl"))
        self.checkpoint = Checkpoint(out.with_name(out.name + ".progress.json"), job, [self.partial, self.rejects.path], restart)
        self.header = header

    @property
    def consumed(self) -> int:
        return self.checkpoint.consumed

    def write(self, chunks: list[str], rejects: list[Reject], consumed: int) -> None:
        with self.partial.open("a", encoding="utf-8", newline="") as f:
            if f.tell() == 0 and self.header:
                f.write(self.header)
            f.write("".join(chunks))
            f.flush()
            os.fsync(f.fileno())
        self.rejects.append(rejects)
        self.checkpoint.commit(consumed)

    def finish(self) -> None:
        if not self.partial.exists():
            self.partial.write_text(self.header, encoding="utf-8")
        os.replace(self.partial, self.final)
        self.checkpoint.finish()


class FolderSink:
    """One output file per document in a folder; each file appears whole or not at all; resumable."""

    def __init__(self, out: Path, job: str, restart: bool = False):
        out.mkdir(parents=True, exist_ok=True)
        self.folder = out
        self.rejects = _RejectsFile(out / "rejects.jsonl")
        self.checkpoint = Checkpoint(out / ".toolkit-progress.json", job, [self.rejects.path], restart)

    @property
    def consumed(self) -> int:
        return self.checkpoint.consumed

    def write_files(self, files: dict[str, str], rejects: list[Reject], consumed: int) -> None:
        for relpath, text in files.items():
            write_atomic(self.folder / relpath, text)
        self.rejects.append(rejects)
        self.checkpoint.commit(consumed)

    def finish(self) -> None:
        self.checkpoint.finish()


class StdoutSink:
    """Standard output: written as results come, nothing to resume."""

    consumed = 0

    def __init__(self, rejects: Path, header: str = ""):
        self.header = header
        self.rejects = _RejectsFile(rejects)

    def write(self, chunks: list[str], rejects: list[Reject], consumed: int) -> None:
        if self.header:
            sys.stdout.write(self.header)
            self.header = ""
        sys.stdout.write("".join(chunks))
        sys.stdout.flush()
        self.rejects.append(rejects)

    def finish(self) -> None:
        pass
