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
                      batch_tokens: int | None = None, memory: bool = True, cluster: ClusterOptions | None = None):
    """``ds`` with ``translations`` and ``dir`` added: per target, the translation of ``column`` and
    its text direction, as in the local runner's JSONL records (``ds.write_json`` writes them so).

    ``models`` in the command line's grammar (``ID`` for every target, ``LANG=ID`` for one; the
    catalogue's default otherwise). Each actor loads the models once and translates each block with
    the toolkit's engine (sentence splitting, layout, length-sorted token batches, same decoding,
    backend and quantisation); ``memory`` uses each node's own translation memory. Lazy, like every
    Ray Dataset transform.
    """
    from toolkit.languages import get_language
    from toolkit.translate.factory import models_for
    from toolkit.translate.job import POOL_CHARS, JobSettings, TranslationJob

    job = TranslationJob(targets=tuple(get_language(t).code for t in targets), source=get_language(source).code,
                         models=tuple(models), backend=backend, quantization=quantization, beams=beams, memory=memory)
    settings = JobSettings(job.source, job.targets, models_for(job.source, list(job.targets), list(models)), batch_tokens,
                           POOL_CHARS, None, flags=False)
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
