"""The toolkit's jobs as Ray Dataset transforms, for pipelines that already use Ray Data."""

from __future__ import annotations

from typing import Sequence

from toolkit.distributed.actors import ChainColumn, Placement, TranslateColumn
from toolkit.distributed.cluster import ClusterOptions


def actor_pool(cluster: ClusterOptions) -> dict:
    """map_batches arguments for a pool of model-holding actors: explicit CPUs (and GPUs) per
    actor, and whole blocks as batches (a block is one pool of records, sorted and batched by
    tokens inside the actor). An actor is given one block at a time: a block is seconds of work,
    and blocks queued on a busy actor would wait while another actor idles."""
    from ray.data import ActorPoolStrategy

    return dict(compute=ActorPoolStrategy(min_size=cluster.min_actors, max_size=cluster.max_actors,
                                          max_tasks_in_flight_per_actor=1),
                num_cpus=cluster.cpus_per_actor, num_gpus=cluster.gpus_per_actor or None,
                batch_size=None, batch_format="pyarrow", udf_modifying_row_count=False)


def placement(cluster: ClusterOptions) -> Placement:
    return Placement(cluster.device, cluster.threads)


def translate_dataset(ds, targets: Sequence[str], models: Sequence[str] = (), *, source: str = "en",
                      column: str = "text", backend: str = "auto", quantization: str | None = None, beams: int = 1,
                      batch_tokens: int | None = None, memory: bool = True, protect: bool | None = None,
                      glossary: str | None = None, flags: bool | None = None, cluster: ClusterOptions | None = None):
    """``ds`` with ``translations`` and ``dir`` added, and ``flags`` unless the checks are off: per
    target, the translation of ``column``, its text direction, and its flagged segments (a JSON list,
    as the local runner's JSONL records carry them under ``flags``; ``[]`` when none is flagged).

    ``models`` in the command line's grammar (``ID`` for every target, ``LANG=ID`` for one; the
    catalogue's default otherwise). ``protect``, ``glossary`` (a TSV/CSV path) and ``flags`` follow
    the settings path as the commands do (argument, then ``TOOLKIT_*``, then the config file, then the
    default). Each actor loads the models once and translates each block with the toolkit's engine
    (sentence splitting, layout, length-sorted token batches, same decoding, backend and
    quantisation); ``memory`` uses each node's own translation memory. Lazy, like every Ray Dataset
    transform.
    """
    from pathlib import Path

    from toolkit.translate.job import TranslationJob, job_settings

    job = TranslationJob(targets=tuple(targets), source=source, models=tuple(models), backend=backend,
                         quantization=quantization, beams=beams, batch_tokens=batch_tokens, memory=memory,
                         protect=protect, glossary=Path(glossary) if glossary else None, flags=flags)
    settings = job_settings(job)
    cluster = cluster or ClusterOptions()
    return ds.map_batches(TranslateColumn, fn_constructor_args=(job, settings, placement(cluster), column),
                          **actor_pool(cluster))


def summarize_dataset(ds, options=None, *, column: str = "text", id_column: str | None = "id",
                      cluster: ClusterOptions | None = None):
    """``ds`` with the chain's record fields added (``id``, ``source_lang``; ``summary``,
    ``translations`` and ``manifest`` as JSON strings): each article of ``column`` summarised and
    translated as ``options`` (a ``toolkit.chain.ChainOptions``; default: summarise only) say."""
    from toolkit.chain import ChainOptions

    cluster = cluster or ClusterOptions()
    return ds.map_batches(ChainColumn, fn_constructor_args=(options or ChainOptions(), column, id_column, placement(cluster)),
                          **actor_pool(cluster))
