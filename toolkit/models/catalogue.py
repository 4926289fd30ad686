"""The model catalogue shipped with the package (``toolkit/data/catalogue.json``)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class QualityFigure:
    pair: str
    metric: str
    value: float
    test_set: str


@dataclass(frozen=True)
class CatalogueModel:
    model_id: str
    family: str
    license: str
    download_mb: int
    languages: str = ""
    note: str = ""
    quality: tuple[QualityFigure, ...] = ()


@dataclass(frozen=True)
class TaskEntry:
    task: str
    pair: str  # "en-sq"; "*" covers any pair the default model supports
    default: str
    alternatives: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Catalogue:
    models: dict[str, CatalogueModel]
    entries: tuple[TaskEntry, ...]

    def entries_for(self, task: str) -> list[TaskEntry]:
        return [e for e in self.entries if e.task == task]

    def default_model(self, task: str, source: str, target: str | None = None) -> str | None:
        """The default model for a task and pair; the task's ``*`` entry when the pair has none."""
        pair = f"{source}-{target}" if target else source
        fallback = None
        for entry in self.entries_for(task):
            if entry.pair == pair:
                return entry.default
            if entry.pair == "*":
                fallback = entry.default
        return fallback

    def pairs(self, task: str) -> list[str]:
        return [e.pair for e in self.entries_for(task) if e.pair != "*"]


@lru_cache(maxsize=1)
def load_catalogue() -> Catalogue:
    raw = json.loads(resources.files("toolkit").joinpath("data/catalogue.json").read_text("utf-8"))
    models = {
        model_id: CatalogueModel(
            model_id=model_id,
            family=info["family"],
            license=info["license"],
            download_mb=info["download_mb"],
            languages=info.get("languages", ""),
            note=info.get("note", ""),
            quality=tuple(QualityFigure(**q) for q in info.get("quality", [])),
        )
        for model_id, info in raw["models"].items()
    }
    entries = tuple(
        TaskEntry(task=task, pair=e["pair"], default=e["default"], alternatives=tuple(e.get("alternatives", ())))
        for task, task_entries in raw["tasks"].items()
        for e in task_entries
    )
    return Catalogue(models, entries)
