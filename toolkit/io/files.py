"""Files done safely: one atomic write, one output lock, one fingerprint of files and folders.

Everything the toolkit writes for a user goes through here, so that an output appears whole or
not at all (file and folder entry both fsynced), is created with the user's umask like any other
file they make, and is never written by two jobs at once.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import socket
from pathlib import Path

from toolkit.errors import ToolkitError


class OutputError(ToolkitError):
    """An output that cannot be written: read-only, a folder where a file is wanted, an input."""


class OutputBusyError(OutputError):
    """Another running job is writing the same output."""


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def name_max(folder: Path) -> int:
    """The longest file name, in bytes, that the file system of ``folder`` (or of its nearest
    existing parent) takes."""
    for place in (folder.absolute(), *folder.absolute().parents):
        try:
            return os.pathconf(place, "PC_NAME_MAX")
        except OSError:
            continue
    return 255


def check_name_fits(path: Path, what: str, fix: str, limit: int | None = None) -> None:
    """Refuse a file ``path`` (``what``, for the message) whose name the file system cannot take
    (``limit``: its ``name_max``, when known)."""
    size, limit = len(os.fsencode(path.name)), limit or name_max(path.parent)
    if size > limit:
        raise OutputError(f"{what} would be named {path.name}, {size} bytes, over the file system's limit of {limit}", fix)


def _temp_name(path: Path) -> str:
    """A hidden name beside ``path`` for its content while it is written: from its name, or from a
    hash of it when that would not fit."""
    name = f".{path.name}.{os.getpid()}.tmp"
    if len(os.fsencode(name)) > name_max(path.parent):
        name = f".{hashlib.sha256(os.fsencode(path.name)).hexdigest()[:16]}.{os.getpid()}.tmp"
    return name


def replace_atomic(source: Path, target: Path) -> None:
    """Rename ``source`` to ``target`` in one step and make the rename durable."""
    os.replace(source, target)
    _fsync_folder(target.parent)


_NO_ROOM = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


@contextlib.contextmanager
def room_checked(place: Path | str, resumes: bool = True):
    """A write to ``place`` that fails for want of room (disk full, quota, file-size limit) as one
    OutputError naming it; ``resumes``: what was written is durable and checkpointed."""
    try:
        yield
    except OSError as exc:
        if exc.errno not in _NO_ROOM:
            raise
        again = "run the same command again" + (": it resumes where it stopped" if resumes else "")
        raise OutputError(f"cannot write {place}: {exc.strerror}", f"raise the file-size limit or free space there, then {again}") from None


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write a whole file so that readers see the old file or the new one, never half of it.

    The file is created with the user's umask (as ``open(path, "w")`` would), written beside its
    final name, fsynced, renamed over it, and the folder entry fsynced.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(_temp_name(path))
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with room_checked(path):
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(payload)
                f.flush()
                os.fsync(f.fileno())
            replace_atomic(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise


def json_bytes(data, indent: int | None = None) -> bytes:
    """``data`` as UTF-8 JSON; a lone surrogate in it (a text argument or file name that is not
    UTF-8) is written as its ``\\udXXX`` escape, which reads back as the same string."""
    return json.dumps(data, indent=indent, ensure_ascii=False).encode("utf-8", "backslashreplace")


def append_durably(path: Path, text: str) -> None:
    """Append text to a file (created with the user's umask) and fsync it."""
    with room_checked(path), path.open("a", encoding="utf-8", newline="") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())


def fingerprint(path: Path) -> dict[str, list[int]]:
    """What identifies a file's or folder's content cheaply: ``{relative path: [size, mtime_ns]}``
    for the file itself (key ``""``) or for every file in the folder. The one fingerprint of inputs,
    model folders and imported GGUF files: it changes when a file is added, removed, or written."""
    if path.is_file():
        stat = path.stat()
        return {"": [stat.st_size, stat.st_mtime_ns]}
    entries = {}
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        stat = file.stat()
        entries[file.relative_to(path).as_posix()] = [stat.st_size, stat.st_mtime_ns]
    return entries


def file_sha256(path: Path) -> str:
    """The hex SHA-256 of a file's content, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def content_digest(path: Path) -> str:
    """A file's content hash (what a fingerprint's size and time stand for)."""
    return "sha256:" + file_sha256(path)[:32]


def check_appendable(path: Path) -> None:
    """Make sure ``path`` can be appended to (it is created empty when missing, then removed)."""
    existed = path.exists()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8"):
            pass
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}", "choose a writable place for the output") from None
    if not existed:
        path.unlink(missing_ok=True)


class OutputLock:
    """An exclusive lock on an output, held by one job: a lock file with the holder's pid and host.

    The lock itself is an ``flock`` on that file, released by the kernel when the holder exits or is
    killed; so a lock file left by a dead process is stale and simply taken over.
    """

    def __init__(self, path: Path, output: Path):
        self.path, self.output = path, output
        self._fd: int | None = None
        self._made: list[Path] = []  # the folders the lock's creation made, deepest first

    def acquire(self) -> None:
        self._made = [p for p in (self.path.parent, *self.path.parent.parents) if not p.exists()]
        while True:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
            except OSError as exc:
                raise OutputError(f"cannot write the output {self.output}: {exc.strerror or exc}",
                                  "choose a writable place for the output") from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                holder = _read_holder(fd)
                os.close(fd)
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise OutputError(f"cannot lock the output {self.output}: {exc.strerror}", "choose another place") from None
                raise OutputBusyError(
                    f"{self.output} is being written by another job ({holder})",
                    "wait for that job to finish, or write to another output",
                ) from None
            try:  # the holder may have removed the file between our open and our lock: lock the new one
                same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps({"pid": os.getpid(), "host": socket.gethostname()}).encode())
        os.fsync(fd)
        self._fd = fd

    def release(self) -> None:
        """Unlock, and remove the folders the lock made that nothing was written into (a job that
        stopped on bad input leaves no empty output folder behind)."""
        if self._fd is not None:
            self.path.unlink(missing_ok=True)
            os.close(self._fd)
            self._fd = None
            for folder in self._made:
                try:
                    folder.rmdir()
                except OSError:  # something was written there: it stays, and so do the folders above it
                    break


def _read_holder(fd: int) -> str:
    try:
        holder = json.loads(os.pread(fd, 4096, 0) or b"{}")
        return f"pid {holder['pid']} on {holder['host']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "a job that has not written its pid yet"
