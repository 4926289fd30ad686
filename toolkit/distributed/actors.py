"""What runs inside a Ray actor: models loaded once per actor, each batch through the toolkit's engine.

Each actor opens the translation memory of its own node (``translation-memory.sqlite3`` under that
node's toolkit cache folder): SQLite's locking is not safe on shared network file systems (NFS, SMB),
so the memory must never be one file on a shared disk for the whole cluster. Actors on one node share
their node's file, as local processes do.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Mapping

# Private columns of the job's datasets: set by the reader, consumed by the job's writer.
REJECT = "_reject"  # JSON of a record set aside (--skip-bad); such rows are passed on untranslated
META = "_meta"  # JSON on the first row of every batch: provenance, sentences, outputs cut at the bound


@dataclass(frozen=True)
class ModelSpec:
    """What the actors load: a model per target (None: the catalogue's default), on which backend."""

    source: str
    targets: tuple[str, ...]
    models: Mapping[str, str | None] = field(default_factory=dict)
    backend: str = "auto"
    quantization: str | None = None
    beams: int = 1
    batch_tokens: int | None = None
    memory: bool = True  # the node-local translation memory

    def describe(self) -> dict:
        """What identifies these models in a job key (before any is loaded)."""
        return {"source": self.source, "models": {t: self.models.get(t) for t in self.targets},
                "backend": self.backend, "quantization": self.quantization, "beams": self.beams}


def _column(batch, name: str) -> list:
    return batch.column(name).to_pylist() if name in batch.column_names else [None] * batch.num_rows


def _struct(rows: list[dict | None], keys: list[str]):
    import pyarrow as pa

    kind = pa.struct([(k, pa.string()) for k in keys])
    return pa.array(rows, type=kind)


class TranslateBatches:
    """A Ray Data callable class: translates ``column`` of each batch into every target.

    Adds ``translations`` and ``dir`` (one string per target, as in the local runner's JSONL records).
    Rows whose ``skip`` column is set get nulls. With ``meta``, the first row of each batch carries
    the models' provenance and the batch's counts in a JSON column.
    """

    def __init__(self, spec: ModelSpec, column: str, device: str, threads: int, skip: str | None = None,
                 meta: bool = False):
        from toolkit.provenance import DecodingSettings
        from toolkit.translate.factory import build_translator
        from toolkit.translate.job import directions
        from toolkit.translate.memory import TranslationMemory

        memory = TranslationMemory() if spec.memory else None  # this node's cache folder
        self.translators = {
            t: build_translator(spec.source, t, spec.models.get(t), spec.backend, DecodingSettings(beams=spec.beams),
                                device, memory, spec.quantization, threads)
            for t in spec.targets
        }
        self.spec, self.column, self.skip, self.meta = spec, column, skip, meta
        self.dirs = directions(list(spec.targets))
        self.provenance = {t: tr.provenance.to_dict() for t, tr in self.translators.items()}

    def __call__(self, batch):
        from toolkit.translate.engine import translate_texts

        texts = _column(batch, self.column)
        skipped = _column(batch, self.skip) if self.skip else [None] * batch.num_rows
        todo = [i for i, (text, skip) in enumerate(zip(texts, skipped)) if skip is None]
        sentences = 0

        def counted(n: int) -> None:
            nonlocal sentences
            sentences += n

        bound_before = {t: tr.bound_reached for t, tr in self.translators.items()}
        translated = {t: translate_texts([texts[i] or "" for i in todo], tr, self.spec.batch_tokens, counted)
                      for t, tr in self.translators.items()}
        by_row: list[dict | None] = [None] * batch.num_rows
        for n, i in enumerate(todo):
            by_row[i] = {t: translated[t][n] for t in self.spec.targets}
        keys = list(self.spec.targets)
        batch = batch.append_column("translations", _struct(by_row, keys))
        batch = batch.append_column("dir", _struct([self.dirs if row else None for row in by_row], keys))
        if self.meta:
            import pyarrow as pa

            info = {"provenance": self.provenance, "sentences": sentences,
                    "bound_reached": {t: tr.bound_reached - bound_before[t] for t, tr in self.translators.items()}}
            batch = batch.append_column(META, pa.array([json.dumps(info)] + [None] * (batch.num_rows - 1), pa.string()))
        return batch


class ChainBatches:
    """A Ray Data callable class: the chain (summarise, translate, in the options' order) on each row.

    Adds the local chain's record fields: ``id``, ``source_lang``, ``summary`` and ``translations``
    (JSON objects keyed by language, as strings, since their languages vary by article) and
    ``manifest`` (JSON). A row whose article is bad gets ``_reject`` set (with ``skip_bad``) or stops
    the job with the local runner's message.
    """

    def __init__(self, options, column: str, id_column: str | None, skip_bad: bool, skip: str | None = None):
        from toolkit.chain import Chain

        self.chain = Chain(options)
        self.column, self.id_column, self.skip_bad, self.skip = column, id_column, skip_bad, skip

    def __call__(self, batch):
        import pyarrow as pa

        from toolkit.errors import InputError, LanguageError

        texts = _column(batch, self.column)
        ids = _column(batch, self.id_column) if self.id_column else [None] * batch.num_rows
        origins = _column(batch, "_origin")
        rejects = _column(batch, REJECT)
        skipped = _column(batch, self.skip) if self.skip else [None] * batch.num_rows
        out: dict[str, list] = {"id": [], "source_lang": [], "summary": [], "translations": [], "manifest": []}
        for n, (text, skip) in enumerate(zip(texts, skipped)):
            result = None
            if skip is None:
                origin = origins[n] or f"row {n + 1}"
                try:
                    result = self.chain.run(text or "", str(ids[n] if ids[n] is not None else n), origins[n])
                except (InputError, LanguageError) as exc:  # this article's problem, as in the local chain
                    if not self.skip_bad:
                        raise InputError(f"{origin}: {exc.message}", exc.hint or "fix the article, or pass --skip-bad") from None
                    rejects[n] = json.dumps({"origin": origin, "reason": exc.message, "line": (text or "")[:200]})
            data = result.to_dict() if result else {}
            out["id"].append(data.get("id"))
            out["source_lang"].append(data.get("source_lang"))
            for name in ("summary", "translations", "manifest"):
                out[name].append(json.dumps(data[name], ensure_ascii=False) if result else None)
        for name in ("id", "source_lang", "summary", "translations", "manifest"):
            if name in batch.column_names:
                batch = batch.drop_columns([name])
            batch = batch.append_column(name, pa.array(out[name], pa.string()))
        if REJECT in batch.column_names:
            batch = batch.set_column(batch.column_names.index(REJECT), REJECT, pa.array(rejects, pa.string()))
        elif self.skip_bad:
            batch = batch.append_column(REJECT, pa.array(rejects, pa.string()))
        return batch
