"""The toolkit's jobs as Ray Dataset transforms, for pipelines that already use Ray Data."""

from __future__ import annotations

from typing import Mapping

from toolkit.distributed.actors import ChainBatches, ModelSpec, TranslateBatches
from toolkit.distributed.cluster import ClusterOptions


def _pool(cluster: ClusterOptions) -> dict:
    """map_batches arguments for an actor pool: explicit CPUs (and GPUs) per actor, whole blocks as
    batches (a block is one pool of records, sorted and batched by tokens inside the actor)."""
    from ray.data import ActorPoolStrategy

    return dict(compute=ActorPoolStrategy(min_size=cluster.min_actors, max_size=cluster.max_actors),
                num_cpus=cluster.cpus_per_actor, num_gpus=cluster.gpus_per_actor or None,
                batch_size=None, batch_format="pyarrow", zero_copy_batch=True, udf_modifying_row_count=False)


def translate_spec(ds, spec: ModelSpec, cluster: ClusterOptions, column: str, skip: str | None = None,
                   meta: bool = False):
    return ds.map_batches(TranslateBatches, fn_constructor_args=(spec, column, cluster.device, cluster.threads, skip, meta),
                          **_pool(cluster))


def translate_dataset(ds, targets: list[str] | tuple[str, ...], models: Mapping[str, str] | str | None = None, *,
                      source: str = "en", column: str = "text", backend: str = "auto", quantization: str | None = None,
                      beams: int = 1, batch_tokens: int | None = None, memory: bool = True,
                      cluster: ClusterOptions | None = None):
    """``ds`` with ``translations`` and ``dir`` added: per target, the translation of ``column`` and
    its text direction, as in the local runner's JSONL records (``ds.write_json`` writes them so).

    ``models``: one model for every target, or ``{target: model}`` (missing targets: the catalogue's
    default). Each actor loads the models once and translates each block with the toolkit's engine
    (sentence splitting, layout, length-sorted token batches, same decoding and backend); ``memory``
    uses each node's own translation memory. Lazy, like every Ray Dataset transform.
    """
    from toolkit.languages import get_language

    targets = tuple(get_language(t).code for t in targets)
    per_target = dict(models) if isinstance(models, Mapping) else {t: models for t in targets}
    spec = ModelSpec(get_language(source).code, targets, per_target, backend, quantization, beams, batch_tokens, memory)
    return translate_spec(ds, spec, cluster or ClusterOptions(), column)


def summarize_dataset(ds, options=None, *, column: str = "text", id_column: str | None = "id",
                      cluster: ClusterOptions | None = None, skip_bad: bool = False):
    """``ds`` with the chain's record fields added (``id``, ``source_lang``, and ``summary``,
    ``translations`` and ``manifest`` as JSON strings): each article of ``column`` summarised and
    translated as ``options`` (a ``toolkit.chain.ChainOptions``; default: summarise only) say."""
    from toolkit.chain import ChainOptions

    return ds.map_batches(ChainBatches, fn_constructor_args=(options or ChainOptions(), column, id_column, skip_bad),
                          **_pool(cluster or ClusterOptions()))
