"""The options that choose where a batch job runs (``--engine ray`` and its cluster), shared by
``toolkit translate`` and ``toolkit chain``."""

from __future__ import annotations

from typing import Optional

import typer

ENGINE = typer.Option("local", "--engine", help="Where the job runs: local (this process) or ray (a Ray cluster; pip install 'toolkit[ray]').")
ADDRESS = typer.Option(None, "--address", help="Ray cluster: auto (this node's), ray://HOST:PORT; default a local Ray.")
ACTORS = typer.Option("1", "--actors", help="Ray: model-holding actors, N or MIN,MAX (autoscaling).")
CPUS = typer.Option(1.0, "--cpus-per-actor", min=0.01, help="Ray: CPUs each actor reserves, and its inference threads.")
GPUS = typer.Option(0.0, "--gpus-per-actor", min=0.0, help="Ray: GPUs each actor reserves (fractions share a GPU).")


def cluster_options(engine: str, address: Optional[str], actors: str, cpus: float, gpus: float):
    """The cluster options for ``--engine ray``, or None for the local engine."""
    from toolkit.errors import ToolkitError

    if engine == "local":
        return None
    if engine != "ray":
        raise ToolkitError(f"unknown engine '{engine}'", "use local or ray")
    from toolkit.distributed.cluster import ClusterOptions, parse_actors, quiet_console

    options = ClusterOptions(address, *parse_actors(actors), cpus, gpus)
    quiet_console()
    return options
