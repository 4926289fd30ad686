"""CUDA 12 runtime libraries for ctranslate2 on machines whose system CUDA is another version.

ctranslate2's wheels open ``libcublas.so.12`` when they first use a GPU. A machine with only CUDA
13 has none; the ``nvidia-cublas-cu12`` (and ``nvidia-cuda-runtime-cu12``) wheels carry it under
``site-packages/nvidia/*/lib``. Loading those files (globally, in dependency order) before
ctranslate2 asks makes its request resolve to them. On a machine without an NVIDIA driver nothing
is loaded. Not yet measured on a GPU machine (see docs/speed.md).
"""

from __future__ import annotations

import ctypes
import sys
from functools import lru_cache
from pathlib import Path
from typing import Iterable

# (wheel folder under nvidia/, library file), in the order they must be loaded.
CUDA12_LIBRARIES = (
    ("cuda_runtime", "libcudart.so.12"),
    ("cublas", "libcublasLt.so.12"),
    ("cublas", "libcublas.so.12"),
)


def gpu_driver_present(proc: Path = Path("/proc/driver/nvidia/version")) -> bool:
    return proc.is_file()


def find_cuda12_libraries(roots: Iterable[Path]) -> list[Path]:
    """The CUDA 12 library files the PyPI wheels installed under ``roots`` (site-packages folders),
    in load order; a library found in no root is left out."""
    found = []
    roots = list(roots)
    for package, name in CUDA12_LIBRARIES:
        for root in roots:
            path = root / "nvidia" / package / "lib" / name
            if path.is_file():
                found.append(path)
                break
    return found


def _system_has(name: str) -> bool:
    try:
        ctypes.CDLL(name)
        return True
    except OSError:
        return False


@lru_cache(maxsize=1)
def preload_cuda12() -> list[Path]:
    """Load the wheels' CUDA 12 libraries when a GPU driver is present and the system lacks cuBLAS 12;
    returns what was loaded."""
    if not gpu_driver_present() or _system_has("libcublas.so.12"):
        return []
    loaded = []
    for path in find_cuda12_libraries(Path(p) for p in sys.path if p.endswith("-packages")):
        try:
            ctypes.CDLL(str(path), mode=ctypes.RTLD_GLOBAL)
            loaded.append(path)
        except OSError:
            break  # a missing dependency: ctranslate2 will report the GPU as unusable
    return loaded


def import_ctranslate2():
    """``ctranslate2``, with CUDA 12's runtime libraries preloaded where a GPU needs them."""
    preload_cuda12()
    import ctranslate2

    return ctranslate2
