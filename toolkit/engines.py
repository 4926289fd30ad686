"""Where a batch job runs: on this machine (the local runner) or on a Ray cluster
(``toolkit.distributed``). The one entry for the commands, the service and tests: the engine is a
setting of the job (``cluster``: None for the local runner), and a job stopped or finished on one
engine goes on on the other (the same settings, key, sink and manifest)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

if TYPE_CHECKING:
    from toolkit.chain import ChainOptions, ChainReport, ChainResult
    from toolkit.distributed.cluster import ClusterOptions
    from toolkit.io.inputs import Finished
    from toolkit.translate.job import JobSummary, TranslationJob


def translate(inputs: Sequence[str], job: TranslationJob, cluster: ClusterOptions | None = None,
              on_progress: Callable[[int, int], None] | None = None,
              emit: Callable[[Finished], None] | None = None) -> JobSummary:
    """``run_translation_job``, or ``run_ray_translation`` on ``cluster``."""
    if cluster is not None:
        from toolkit.distributed import run_ray_translation

        return run_ray_translation(list(inputs), job, cluster, on_progress, emit)
    from toolkit.translate.job import run_translation_job

    return run_translation_job(list(inputs), job, on_progress, emit)


def chain(inputs: Sequence[str], options: ChainOptions, out: Path | None = None, cluster: ClusterOptions | None = None,
          restart: bool = False, skip_bad: bool = False, emit: Callable[[ChainResult], None] | None = None,
          column: str = "text", errors: str = "strict") -> ChainReport:
    """``run_chain``, or ``run_ray_chain`` on ``cluster``."""
    if cluster is not None:
        from toolkit.distributed import run_ray_chain

        return run_ray_chain(list(inputs), options, out, cluster, restart, skip_bad, emit, column, errors)
    from toolkit.chain import run_chain

    return run_chain(list(inputs), options, out, restart, skip_bad, emit, column=column, errors=errors)
