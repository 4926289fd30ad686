"""Backend choices made before any weights load: dtype, compute type, CUDA 12 libraries."""

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.errors import ToolkitError
from toolkit.models import cuda
from toolkit.models.backends import hf
from toolkit.models.ct2 import default_quantization
from toolkit.translate.factory import build_translator
from toolkit.translate.memory import CachedTranslator, TranslationMemory
from tests.tiny_models import CORPUS


def test_cpu_flags_are_read_from_cpuinfo(tmp_path):
    info = tmp_path / "cpuinfo"
    info.write_text("processor\t: 0\nflags\t\t: fpu avx2 amx_bf16 amx_tile\n\nprocessor\t: 1\nflags\t\t: fpu\n")
    assert hf.cpu_flags(info) == {"fpu", "avx2", "amx_bf16", "amx_tile"}
    assert hf.cpu_flags(tmp_path / "missing") == set()


@pytest.mark.parametrize("flags,device,expected", [
    ({"avx2", "avx512f"}, "cpu", "float32"),
    ({"avx2", "amx_bf16"}, "cpu", "bfloat16"),
    ({"avx512_bf16"}, "cpu", "bfloat16"),
    ({"amx_bf16"}, "cuda", "float32"),
])
def test_hf_runs_bfloat16_by_default_where_the_cpu_computes_in_it(flags, device, expected):
    assert hf.default_dtype(device, flags) == expected


def test_bfloat16_default_reaches_provenance_and_memory_scope(marian_model, monkeypatch):
    monkeypatch.delenv("TOOLKIT_DTYPE", raising=False)  # the default itself is under test
    memory = TranslationMemory()
    plain = build_translator("en", "sq", str(marian_model), "hf", dtype="float32")
    monkeypatch.setattr(hf, "cpu_flags", lambda: {"avx2", "amx_bf16"})
    fast = build_translator("en", "sq", str(marian_model), "hf")
    assert (plain.provenance.quantization, fast.provenance.quantization) == (None, "bfloat16")
    assert CachedTranslator(plain, memory).scope != CachedTranslator(fast, memory).scope  # never mixed
    outputs = fast.translate_batch(CORPUS[:3])
    assert len(outputs) == 3 and all(isinstance(t, str) for t in outputs)
    assert str(fast.model._model.model.dtype) == "torch.bfloat16"


def test_dtype_is_checked_and_is_for_hf_only(marian_model, monkeypatch):
    with pytest.raises(ToolkitError, match="unknown dtype 'half'"):
        build_translator("en", "sq", str(marian_model), "hf", dtype="half")
    with pytest.raises(ToolkitError, match="dtype bfloat16 is for the hf backend"):
        build_translator("en", "sq", str(marian_model), "ct2", dtype="bfloat16")
    monkeypatch.setenv("TOOLKIT_DTYPE", "bfloat16")
    assert build_translator("en", "sq", str(marian_model), "hf").provenance.quantization == "bfloat16"
    result = CliRunner().invoke(app, ["translate", "Hello.", "--to", "sq", "--model", str(marian_model),
                                      "--backend", "hf", "--dtype", "nope"])
    assert result.exit_code == 2 and "unknown dtype 'nope'" in result.stderr


@pytest.mark.parametrize("supported,expected", [
    ({"int8", "int8_float32", "float32"}, "int8"),
    ({"int8_float32", "float32"}, "int8_float32"),
    ({"float32"}, "float32"),
    ({"int8", "int8_bfloat16", "bfloat16", "int8_float32", "float32"}, "int8"),
])
def test_ct2_takes_the_fastest_measured_compute_type_the_machine_supports(supported, expected):
    assert default_quantization("cpu", supported) == expected


def test_cuda12_libraries_are_found_in_wheel_folders_in_load_order(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for root, package, name in [(second, "cublas", "libcublas.so.12"), (first, "cublas", "libcublasLt.so.12"),
                                (second, "cublas", "libcublasLt.so.12"), (second, "cuda_runtime", "libcudart.so.12")]:
        (root / "nvidia" / package / "lib").mkdir(parents=True, exist_ok=True)
        (root / "nvidia" / package / "lib" / name).write_bytes(b"")
    found = cuda.find_cuda12_libraries([first, second])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "b/nvidia/cuda_runtime/lib/libcudart.so.12", "a/nvidia/cublas/lib/libcublasLt.so.12",
        "b/nvidia/cublas/lib/libcublas.so.12"]
    assert cuda.find_cuda12_libraries([tmp_path / "empty"]) == []


def test_without_a_gpu_driver_no_cuda_library_is_loaded(tmp_path, monkeypatch):
    assert not cuda.gpu_driver_present(tmp_path / "version")
    monkeypatch.setattr(cuda, "gpu_driver_present", lambda: False)
    assert cuda.preload_cuda12.__wrapped__() == []


def test_one_ct2_plan_settles_device_compute_type_and_threads(monkeypatch):
    from toolkit.models.threads import resolve_threads, usable_cores
    from toolkit.models.ct2 import CT2Plan, ct2_plan

    cores = usable_cores()
    monkeypatch.delenv("TOOLKIT_THREADS", raising=False)
    assert resolve_threads(None) is None  # unset: each backend's own default
    assert resolve_threads(cores + 10) == cores
    assert ct2_plan("cpu", "float32", 1) == CT2Plan("cpu", 0, "float32", 1, 1)
    assert ct2_plan("cpu").compute_type == default_quantization("cpu")
    # translators: one single-threaded engine per core; generators (LLMs): one engine on every core
    assert (ct2_plan("cpu").workers, ct2_plan("cpu").per_worker) == (cores, 1)
    assert (ct2_plan("cpu", parallel=False).workers, ct2_plan("cpu", parallel=False).per_worker) == (1, cores)
    monkeypatch.setenv("TOOLKIT_THREADS", "0")
    with pytest.raises(ToolkitError, match="TOOLKIT_THREADS"):
        ct2_plan("cpu")
