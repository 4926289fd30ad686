"""The llama.cpp backend: a chat model imported from a GGUF file runs from that file itself (no
dequantised weights), greedy as llama.cpp's own decoding, picked by ``auto`` when llama-cpp-python is
installed; a file moved since its import is one clear line."""

import hashlib
import importlib.util
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.errors import InputError
from toolkit.provenance import DecodingSettings

runner = CliRunner()
NAME = "Tiny-Chat.Q8_0"
ARTICLE = "Iran and Albania cut diplomatic ties in September 2022. The talks will continue in Tirana, Shqipëri."
needs_llama_cpp = pytest.mark.skipif(importlib.util.find_spec("llama_cpp") is None,
                                     reason="llama-cpp-python (the llama extra, built from source) is not installed")


def _import(path, name=NAME):
    result = runner.invoke(app, ["models", "import", str(path), "--name", name])
    assert result.exit_code == 0, result.output


@needs_llama_cpp
def test_summarize_llm_runs_the_gguf_file_on_llama_cpp_token_for_token_as_llama_cpp_decodes(tiny_gguf, tmp_path):
    from llama_cpp import Llama

    from toolkit.models.chat import load_chat_model

    path, _ = tiny_gguf
    _import(path)
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, "utf-8")
    result = runner.invoke(app, ["summarize", str(article), "--method", "llm", "--summary-model", NAME, "--json"])
    assert result.exit_code == 0, result.output
    model = json.loads(result.stdout)["manifest"]["summarizer"]["model"]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    assert model["backend"] == "llama.cpp" and model["revision"] == f"sha256:{digest}" and model["quantization"] == "Q8_0"
    assert model["engine"].startswith("llama-cpp-python 0.")

    chat, folder_chat = load_chat_model(NAME, "llama.cpp"), load_chat_model(NAME, "hf")
    ids = chat.prompt_ids([ARTICLE])[0]
    assert ids == folder_chat.prompt_ids([ARTICLE])[0]  # the GGUF's tokenizer and template: the same prompt as hf's
    answer = chat._generate(ids, DecodingSettings(beams=1), 0, 40)
    reference = []
    for token in Llama(str(path), n_ctx=512, verbose=False).generate(ids, temp=0.0):  # llama.cpp's own greedy search
        reference.append(token)
        if token in chat.end_ids or len(reference) == 40:
            break
    ended = reference[-1] in chat.end_ids
    assert (answer.ids, answer.ended) == (reference[:-1] if ended else reference, ended)
    assert len(answer.ids) > 1


@needs_llama_cpp
def test_auto_picks_llama_cpp_for_chat_models_imported_from_a_gguf_file_only(tiny_gguf, chat_model):
    from toolkit.models.backends import choose_backend

    _import(tiny_gguf[0])
    assert choose_backend("auto", NAME, "chat") == "llama.cpp"
    assert choose_backend("auto", str(chat_model), "chat") != "llama.cpp"  # a model folder: no GGUF file to run
    with pytest.raises(InputError, match="runs instruction"):
        choose_backend("llama.cpp", NAME)  # as a seq2seq model


def test_penalties_are_those_transformers_applies_to_the_generated_tokens():
    import torch
    from transformers import NoRepeatNGramLogitsProcessor, RepetitionPenaltyLogitsProcessor

    from toolkit.models.llamacpp import _penalise

    generated = [5, 7, 9, 5, 7, 3, 5]
    logits = np.random.default_rng(0).normal(size=16).astype(np.float32)
    mine = logits.copy()
    _penalise(mine, generated, DecodingSettings(repetition_penalty=1.3, no_repeat_ngram_size=2))
    ids, scores = torch.tensor([generated]), torch.from_numpy(logits.copy()[None])
    scores = RepetitionPenaltyLogitsProcessor(1.3)(ids, scores)
    scores = NoRepeatNGramLogitsProcessor(2)(ids, scores)
    assert np.array_equal(mine, scores[0].numpy())
    assert np.isinf(mine[7])  # "5 7" was generated twice: after 5, 7 is banned


def test_a_gguf_file_moved_or_changed_since_its_import_is_one_line_naming_the_fix(tiny_gguf, tmp_path):
    copy = tmp_path / "chat.gguf"
    shutil.copy(tiny_gguf[0], copy)
    _import(copy, "moved-chat")
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, "utf-8")
    summarize = ["summarize", str(article), "--method", "llm", "--summary-model", "moved-chat", "--backend", "llama.cpp"]

    moved = copy.rename(tmp_path / "elsewhere.gguf")
    result = runner.invoke(app, summarize)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"the GGUF file of model 'moved-chat' is gone from {copy}" in result.stderr
    assert "toolkit models import FILE.gguf --name moved-chat" in result.stderr

    from toolkit.models.gguf import gguf_file
    from toolkit.models.store import resolve

    weights = next(p for p in Path(resolve("moved-chat").location).iterdir() if p.suffix == ".safetensors")
    stamp = weights.stat().st_mtime_ns
    _import(moved, "moved-chat")  # the same file from its new place: remembered, not dequantised again
    assert gguf_file("moved-chat") == moved and weights.stat().st_mtime_ns == stamp
    with moved.open("ab") as f:
        f.write(b"\0")
    result = runner.invoke(app, summarize)
    assert result.exit_code == 2 and "changed since it was imported" in result.stderr
