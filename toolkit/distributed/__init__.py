"""Corpus-scale jobs on Ray Data: the local runner's engine, models and records, on a cluster.

``translate_dataset`` and ``summarize_dataset`` add the toolkit's outputs to a Ray Dataset (for
pipelines that already use Ray); ``run_ray_translation`` and ``run_ray_chain`` run a whole job from
files to one output file, as ``toolkit translate|chain --engine ray`` does. Ray is an extra
(``pip install 'toolkit[ray]'``) and is imported only when one of these is called.
"""

from __future__ import annotations

from toolkit.distributed.cluster import ClusterOptions, require_ray
from toolkit.distributed.datasets import summarize_dataset, translate_dataset
from toolkit.distributed.job import run_ray_chain, run_ray_translation

__all__ = ["ClusterOptions", "require_ray", "run_ray_chain", "run_ray_translation", "summarize_dataset",
           "translate_dataset"]
