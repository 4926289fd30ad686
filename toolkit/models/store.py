"""Where models live: local folders, models imported with ``toolkit models import``, the HF cache.

Nothing here imports torch or transformers, so listing and resolving models is instant.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import socket
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlparse

from toolkit.errors import ModelError
from toolkit.io.files import fingerprint as file_fingerprint
from toolkit.settings import data_dir

WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin", "model.safetensors.index.json", "pytorch_model.bin.index.json")
_HUB_ID = re.compile(r"^[\w.-]+(/[\w.-]+)?$")
_NAME = re.compile(r"\w[\w.+-]*(/\w[\w.+-]*)?")  # a name, or a hub id: owner/name
CORRUPT_HINT = "the files may be incomplete or corrupt: download or import the model again"
IMPORT_HINT = "bring the model folder to this machine and run `toolkit models import FOLDER --name ID`, or name the model's folder instead of its id"


@dataclass(frozen=True)
class ModelSource:
    """A model reference resolved to where it will be loaded from."""

    ref: str  # what the user or catalogue named
    location: str  # a local folder, or a hub id to load through the HF cache
    revision: str | None  # hub commit, or content fingerprint of an imported folder
    kind: str  # "folder", "imported" or "hub"

    @property
    def is_local(self) -> bool:
        return self.kind != "hub"

    @property
    def cache_name(self) -> str:
        """The model's name in caches: a folder by its absolute path, however it was spelled
        (``./opus``, ``opus``, ``/abs/opus``), else the name the user gave."""
        return self.location if self.kind == "folder" else self.ref


def registry_path() -> Path:
    return data_dir() / "models.json"


def read_registry() -> dict[str, dict]:
    path = registry_path()
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelError(f"cannot read the model registry {path}: {exc}", "fix or remove the file") from exc


def read_model_json(path: Path, ref: str | None = None) -> dict:
    """A JSON file of a model folder (``{}`` when the folder has none); one that is not a JSON object
    is refused naming the model ``ref`` (default: the folder) and the file."""
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"cannot read model '{ref or path.parent}': {path} is not valid JSON ({exc})", CORRUPT_HINT) from None
    if not isinstance(data, dict):
        raise ModelError(f"cannot read model '{ref or path.parent}': {path} is not a JSON object", CORRUPT_HINT)
    return data


def check_model_folder(folder: Path) -> None:
    """A model folder needs a config and weights; say which is missing."""
    if not folder.is_dir():
        raise ModelError(f"model folder {folder} does not exist", IMPORT_HINT)
    if not (folder / "config.json").is_file():
        raise ModelError(f"model folder {folder} has no config.json", "point at the folder that save_pretrained wrote")
    if not any((folder / name).is_file() for name in WEIGHT_FILES):
        raise ModelError(
            f"model folder {folder} has no weights ({', '.join(WEIGHT_FILES[:2])})",
            "copy the weight files into the folder",
        )


def fingerprint(folder: Path) -> str:
    """Content hash of a model folder's files: a revision for models that have no hub commit."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode())
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    return "sha256:" + digest.hexdigest()[:16]


def check_name(name: str) -> str:
    """A model name is a name (or a hub id, ``owner/name``), never a path: it becomes a folder name
    under the data folder."""
    if not _NAME.fullmatch(name) or ".." in name:
        raise ModelError(f"model name {name!r} is not a name: «name» takes letters, digits and . _ + -, "
                         "with at most one '/' as in a hub id, never a path",
                         "e.g. Helsinki-NLP/opus-mt-en-sq or my-opus")
    return name


def copy_target(name: str) -> Path:
    """The folder under the data folder that a copy of model ``name`` goes to. One that exists and is
    not the copy toolkit made for ``name`` is refused: toolkit never deletes what it did not make."""
    target = data_dir() / "models" / check_name(name).replace("/", "--")
    entry = read_registry().get(name)
    if target.exists() and not (entry and Path(entry["path"]).resolve() == target.resolve()):
        raise ModelError(f"{target} exists and is not the copy toolkit made for model '{name}'",
                         "move that folder away, or choose another «name»")
    return target


def place_folder(made: Path, target: Path) -> None:
    """Move the finished folder ``made`` (a sibling of ``target``) to ``target``, replacing the copy
    toolkit made there before (checked by ``copy_target``)."""
    old = made.with_name(made.name + ".old") if target.exists() else None
    if old:
        os.replace(target, old)
    os.replace(made, target)
    if old:
        shutil.rmtree(old)


def import_model(folder: Path, name: str, copy: bool = False, revision: str | None = None,
                 gguf: Path | None = None) -> ModelSource:
    """Register a model folder under ``name`` (a hub id or any name), optionally copying it.
    ``revision``: the content hash of what the folder was made from (default: the folder's own);
    ``gguf``: the GGUF file it was made from, remembered (path, size, modification time) for the
    llama.cpp backend, which runs that file itself."""
    check_name(name)
    folder = folder.expanduser().resolve()
    check_model_folder(folder)
    if copy:
        import tempfile

        target = copy_target(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        made = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}."))
        try:
            shutil.copytree(folder, made, dirs_exist_ok=True)
            place_folder(made, target)  # the copy appears whole or not at all
        finally:
            shutil.rmtree(made, ignore_errors=True)
        folder = target
    entry = {"path": str(folder), "revision": revision or fingerprint(folder), "imported": datetime.now(timezone.utc).isoformat()}
    if gguf is not None:
        entry["gguf"] = {"path": str(gguf), "stamp": file_fingerprint(gguf)[""]}
    registry = read_registry()
    registry[name] = entry
    path = registry_path()
    from toolkit.io.files import write_atomic

    write_atomic(path, json.dumps(registry, indent=2, ensure_ascii=False))
    return ModelSource(name, str(folder), entry["revision"], "imported")


def hub_cache_folder(model_id: str) -> Path | None:
    """The newest snapshot of a hub model in the HF cache, if it has one."""
    from huggingface_hub import constants

    repo = Path(constants.HF_HUB_CACHE) / ("models--" + model_id.replace("/", "--"))
    snapshots = sorted((repo / "snapshots").glob("*/config.json"), key=lambda p: p.stat().st_mtime)
    return snapshots[-1].parent if snapshots else None


_USER_OFFLINE = "HF_HUB_OFFLINE is set"


@lru_cache(maxsize=1)
def hub_offline() -> str | None:
    """Why the Hugging Face hub is out of reach (``HF_HUB_OFFLINE`` set, or no connection to it within
    3 s), or None when it answers. With no connection, huggingface_hub's offline mode is switched on
    for this process (its module setting; the environment is left alone),
    so cached models load at once instead of after huggingface_hub's retries (about 50 s)."""
    from huggingface_hub import constants

    if constants.HF_HUB_OFFLINE:
        return _USER_OFFLINE
    host = urlparse(constants.ENDPOINT).hostname or "huggingface.co"
    try:
        socket.create_connection((host, urlparse(constants.ENDPOINT).port or 443), timeout=3).close()
        return None
    except OSError:
        constants.HF_HUB_OFFLINE = True
        return f"{host} cannot be reached"


def hub_error(ref: str, exc: BaseException) -> ModelError:
    """The one message for a hub model that is neither cached nor downloadable."""
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    offline = hub_offline()
    where = f"not in the Hugging Face cache and {offline}" if offline else "could not be downloaded or found"
    if offline and offline != _USER_OFFLINE and "HF_HUB_OFFLINE" in reason:
        # Offline mode that toolkit switched on: huggingface_hub's advice to unset the variable would
        # send the user after a setting they never made; the cause is already named.
        return ModelError(f"cannot load model '{ref}': {where}", IMPORT_HINT)
    return ModelError(f"cannot load model '{ref}': {where} ({reason})", IMPORT_HINT)


# Weight formats toolkit never reads: not downloaded.
_UNUSED_FILES = ["*.h5", "*.msgpack", "*.ot", "*.onnx", "onnx/*", "*.tflite", "tf_model*", "flax_model*", "rust_model*"]


def fetch_hub_model(model_id: str) -> Path:
    """Download a hub model into the HF cache (one weight format only) and return its snapshot folder."""
    from huggingface_hub import HfApi, snapshot_download

    try:
        hub_offline()  # no connection: fail at once, in offline mode
        files = HfApi().list_repo_files(model_id)
        skip = _UNUSED_FILES + (["*.bin"] if any(f.endswith(".safetensors") for f in files) else [])
        return Path(snapshot_download(model_id, ignore_patterns=skip))
    except Exception as exc:  # huggingface_hub raises many kinds (offline mode, HTTP, not found, OS)
        raise hub_error(model_id, exc) from None


def resolve(ref: str) -> ModelSource:
    """A local folder, an imported name, or a hub id (loaded through the HF cache)."""
    path = Path(ref).expanduser()
    if path.exists() or ref.startswith((".", "/", "~")):
        check_model_folder(path)
        return ModelSource(ref, str(path.resolve()), None, "folder")
    entry = read_registry().get(ref)
    if entry is not None:
        check_model_folder(Path(entry["path"]))
        return ModelSource(ref, entry["path"], entry.get("revision"), "imported")
    if not _HUB_ID.match(ref):
        raise ModelError(f"model '{ref}' is neither a folder, an imported model nor a hub id", IMPORT_HINT)
    return ModelSource(ref, ref, None, "hub")


def where_present(model_id: str) -> str | None:
    """'imported' or 'hf-cache' when the model can be loaded without a download, else None."""
    if model_id in read_registry():
        return "imported"
    return "hf-cache" if hub_cache_folder(model_id) else None
