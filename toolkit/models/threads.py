"""How many inference threads: resolved once, for every backend."""

from __future__ import annotations

import os


def usable_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def resolve_threads(threads: int | None) -> int | None:
    """The inference threads: the argument, else TOOLKIT_THREADS or the config file, never more than
    the cores this process may use; None when none is set (each backend then takes its default)."""
    from toolkit.settings import setting

    wanted = setting("threads", threads, None)
    return None if wanted is None else min(wanted, usable_cores())
