"""Connecting to Ray and sizing the actor pool so that the readers always have a CPU; a local Ray
the toolkit starts does not outlive the process that started it (``python -m
toolkit.distributed.cluster RAYLET_PID`` is its watchdog)."""

from __future__ import annotations

import logging
import os
import signal
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from toolkit.errors import ToolkitError

# CPUs a read task asks for: reading and parsing records is light, and asking for less than an
# actor keeps a reader schedulable next to a full actor pool (with 1 CPU per read task and per
# actor, two actors on two cores leave the reader no CPU and the job waits for ever).
READ_CPUS = 0.25
_WATCHDOG_PIPES: list[int] = []  # write ends held open for the life of this process


@dataclass(frozen=True)
class ClusterOptions:
    """Where to run and how many model-holding actors: ``address`` None starts a local Ray (or
    joins the one this process already has), ``"auto"`` joins the cluster of this node,
    ``ray://HOST:PORT`` a remote one. The pool autoscales between ``min_actors`` and ``max_actors``."""

    address: str | None = None
    min_actors: int = 1
    max_actors: int = 1
    cpus_per_actor: float = 1.0
    gpus_per_actor: float = 0.0

    def __post_init__(self):
        if not 1 <= self.min_actors <= self.max_actors:
            raise ToolkitError(f"actor pool {self.min_actors},{self.max_actors} is not MIN,MAX with 1 <= MIN <= MAX",
                               "e.g. 2,4 or 2,2")
        if self.cpus_per_actor <= 0 or self.gpus_per_actor < 0:
            raise ToolkitError("CPUs per actor must be above 0 and GPUs per actor at least 0")

    @property
    def threads(self) -> int:
        """Inference threads in each actor: its CPUs, so that actors do not oversubscribe a node."""
        return max(1, int(self.cpus_per_actor))

    @property
    def device(self) -> str:
        return "cuda" if self.gpus_per_actor > 0 else "cpu"


def parse_actors(value: str) -> tuple[int, int]:
    """``N`` (a fixed pool) or ``MIN,MAX`` (autoscaling)."""
    try:
        numbers = [int(v) for v in value.split(",")]
    except ValueError:
        numbers = []
    if len(numbers) not in (1, 2):
        raise ToolkitError(f"actor pool '{value}' is not N or MIN,MAX", "e.g. 2 or 1,4")
    return numbers[0], numbers[-1]


def require_ray() -> ModuleType:
    """Ray with Ray Data, or one clear error naming the extra to install."""
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        raise ToolkitError("the ray engine needs Ray Data, which is not installed",
                           "pip install 'toolkit[ray]'") from None
    return ray


def quiet_console() -> None:
    """Keep Ray Data's messages below errors (its execution plan, its progress lines) off the
    console of a command, whose standard error is the command's; Ray Data's log file in the
    session folder keeps them all. (Ray's own notices: ``connect``.)"""
    import logging

    require_ray()  # importing ray.data sets up its console handler
    for handler in logging.getLogger("ray.data").handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setLevel(logging.ERROR)


def connect(options: ClusterOptions) -> ModuleType:
    """Join (or start) Ray and check that the pool's minimum fits beside a reader."""
    ray = require_ray()
    if not ray.is_initialized():
        try:
            # Ray's notices below errors (the token authentication notice...) off the console.
            ray.init(address=options.address, include_dashboard=False, log_to_driver=False,
                     logging_level=logging.ERROR)
        except ConnectionError as exc:
            raise ToolkitError(f"cannot reach the Ray cluster at {options.address}: {exc}",
                               "start it with `ray start --head`, or check the address") from None
        if options.address is None:
            _watch_local_ray(ray)
    resources = ray.cluster_resources()
    cpus, gpus = resources.get("CPU", 0.0), resources.get("GPU", 0.0)
    need_cpus = options.min_actors * options.cpus_per_actor + READ_CPUS
    if need_cpus > cpus:
        raise ToolkitError(
            f"{options.min_actors} actors x {options.cpus_per_actor:g} CPUs and a reader ({READ_CPUS:g} CPU) need "
            f"{need_cpus:g} CPUs; the cluster has {cpus:g}",
            "lower the actor pool's minimum or the CPUs per actor (fractions such as 0.75 are allowed)")
    if options.min_actors * options.gpus_per_actor > gpus:
        raise ToolkitError(f"{options.min_actors} actors x {options.gpus_per_actor:g} GPUs need more GPUs than the "
                           f"cluster's {gpus:g}", "lower the actor pool's minimum or the GPUs per actor")
    return ray


def _watch_local_ray(ray: ModuleType) -> None:
    """Start the watchdog of the local Ray this process just started: when this process ends,
    however it ends (SIGKILL too), the watchdog kills what its raylet started. Ray's own processes
    fate-share with the driver, but its dashboard and runtime-env agents stay (about 180 MB) and
    ignore SIGTERM (ray-project/ray#52385, #59162)."""
    import subprocess

    from ray._private import ray_constants

    if not Path("/proc/self/environ").exists():  # the watchdog finds Ray's processes in /proc (Linux)
        return
    raylet = ray._private.worker._global_node.all_processes[ray_constants.PROCESS_TYPE_RAYLET][0].process.pid
    read, write = os.pipe()  # not inherited by Ray's processes: only this process holds the write end
    subprocess.Popen([sys.executable, "-m", "toolkit.distributed.cluster", str(raylet)], stdin=read,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    os.close(read)
    _WATCHDOG_PIPES.append(write)


def _reap(raylet: int) -> None:
    """The watchdog: wait until the driver's end of the pipe on standard input closes (the driver
    has ended), then kill the raylet and every process that carries its pid (RAY_RAYLET_PID)."""
    import time

    sys.stdin.buffer.read()
    marker = f"RAY_RAYLET_PID={raylet}".encode()
    for _ in range(2):  # again a moment later: a worker the raylet was starting as the driver died
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) == os.getpid():
                continue
            try:
                ours = marker in (entry / "environ").read_bytes().split(b"\0") or (
                    int(entry.name) == raylet and b"raylet" in (entry / "cmdline").read_bytes())
                if ours:
                    os.kill(int(entry.name), signal.SIGKILL)
            except (OSError, ValueError):
                continue
        time.sleep(1)


if __name__ == "__main__":
    _reap(int(sys.argv[1]))
