"""What ``toolkit models list`` and ``models info`` show: catalogue facts joined with local presence."""

from __future__ import annotations

from toolkit.models.catalogue import CatalogueModel, load_catalogue
from toolkit.models.store import read_registry, resolve, where_present


def _quality(model: CatalogueModel | None, pair: str) -> str:
    if model is None:
        return ""
    figures = [q for q in model.quality if pair in (q.pair, "*")] or (list(model.quality) if pair == "*" else [])
    return "; ".join(f"{q.metric} {q.value}" for q in figures)


def catalogue_rows() -> list[dict]:
    catalogue = load_catalogue()
    rows = []
    for entry in catalogue.entries:
        for role, model_id in [("default", entry.default), *(("alternative", m) for m in entry.alternatives)]:
            model = catalogue.models.get(model_id)
            rows.append({
                "task": entry.task, "pair": entry.pair, "model": model_id, "role": role,
                "license": model.license if model else "", "download_mb": model.download_mb if model else 0,
                "quality": _quality(model, entry.pair), "present": where_present(model_id),
            })
    imported = read_registry()
    listed = {r["model"] for r in rows}
    for name, entry in imported.items():
        if name not in listed:
            rows.append({"task": "", "pair": "", "model": name, "role": "imported", "license": "", "download_mb": 0,
                         "quality": "", "present": "imported"})
    return rows


def describe_model(ref: str) -> dict:
    """Everything ``toolkit models info`` shows of one model (``backends.model_info`` reads its files)."""
    catalogue = load_catalogue()
    model = catalogue.models.get(ref)
    source = resolve(ref)
    info = {
        "model": ref,
        "location": source.location,
        "kind": source.kind,
        "revision": source.revision,
        "present": where_present(ref) or ("folder" if source.kind == "folder" else None),
        "tasks": [{"task": e.task, "pair": e.pair, "role": "default" if e.default == ref else "alternative"}
                  for e in catalogue.entries if ref == e.default or ref in e.alternatives],
    }
    if model is not None:
        info.update(family=model.family, license=model.license, download_mb=model.download_mb,
                    languages=model.languages, note=model.note,
                    quality=[q.__dict__ for q in model.quality])
    return info
