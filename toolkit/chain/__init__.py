"""Chains of steps over articles: summarise, translate, in any order, one article or a batch.

Steps run in order over the article's current stage: ``translate:XX`` translates the stage's text
(the article, or the summary once ``summarize`` has run) into XX, from English where the stage
already has an English version (the pivot), else from the stage's first language. So the default
``summarize,translate:fa,translate:sq`` translates one English summary twice, and for a Persian
source ``translate:en,translate:sq`` pivots through English. Where a target's model translates only
from English, a step composes the two translations itself (``toolkit.translate.pivot``).

The package, one concern a module: ``steps`` (the steps grammar), ``options`` (``ChainOptions`` and
their one builder), ``process`` (``Chain``: articles through the steps) and ``job`` (``run_chain``:
inputs, pools, the sink and resuming, on every engine).
"""

from toolkit.chain.job import (ARTICLE_SUFFIXES, CHAIN_POOL_CHARS, ChainReport, chain_inputs, chain_job_key,
                               chain_sink, drive_chain, finish_chain, run_chain)
from toolkit.chain.options import ChainOptions, chain_options
from toolkit.chain.process import Chain, ChainResult
from toolkit.chain.steps import Step, default_steps, parse_steps, plan_steps

__all__ = ["ARTICLE_SUFFIXES", "CHAIN_POOL_CHARS", "Chain", "ChainOptions", "ChainReport", "ChainResult", "Step",
           "chain_inputs", "chain_job_key", "chain_options", "chain_sink", "default_steps", "drive_chain",
           "finish_chain", "parse_steps", "plan_steps", "run_chain"]
