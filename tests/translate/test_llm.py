"""Translation by an instruction-tuned chat LLM, prompted with the shipped translate-instruction
template, per target language, on both backends (tiny real Llama chat model)."""

import json

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.translate.factory import build_translator
from toolkit.translate.llm import LLMTranslator

SENTENCES = ["The minister said the talks would continue next week in Tirana.", "Iran and Albania cut ties."]


def test_a_chat_model_translates_through_the_instruction_template(chat_model):
    translator = build_translator("en", "fa", str(chat_model), backend="hf")
    assert isinstance(translator, LLMTranslator)
    chat = translator.chat.chat(translator.prompt(SENTENCES[0]))
    assert chat.startswith("<|user|>\nTranslate the following text from English to Persian.")
    assert chat.rstrip().endswith(SENTENCES[0] + "</s>\n<|assistant|>")
    out = translator.translate_batch(SENTENCES)
    assert len(out) == 2 and all(isinstance(t, str) for t in out)
    assert translator.provenance.backend == "hf" and translator.provenance.family == "llama"
    assert 0 < translator.max_input_tokens < 512


def test_ct2_float32_translation_equals_hf(chat_model):
    pytest.importorskip("ctranslate2")
    hf = build_translator("en", "sq", str(chat_model), backend="hf")
    ct2 = build_translator("en", "sq", str(chat_model), backend="ct2", quantization="float32")
    assert ct2.provenance.backend == "ct2"
    assert ct2.translate_batch(SENTENCES) == hf.translate_batch(SENTENCES)
    assert ct2.bound_reached == hf.bound_reached


def test_translate_command_asks_the_llm_for_each_target_language(chat_model):
    result = CliRunner().invoke(app, ["translate", SENTENCES[1], "--to", "fa,sq", "--model", f"fa={chat_model}",
                                      "--model", f"sq={chat_model}", "--backend", "hf", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data["provenance"]) == {"fa", "sq"}
    assert all(p["family"] == "llama" and p["backend"] == "hf" for p in data["provenance"].values())
    sq = build_translator("en", "sq", str(chat_model), backend="hf")
    assert "from English to Albanian" in sq.prompt("x")


@pytest.mark.parametrize("backend", ["hf", "ct2"])
def test_a_run_the_memory_serves_loads_no_chat_model(chat_model, tmp_path, backend):
    pytest.importorskip("ctranslate2")
    from toolkit.translate.engine import translate_texts
    from toolkit.translate.memory import TranslationMemory

    memory = TranslationMemory(tmp_path / "memory.sqlite3")
    first = build_translator("en", "sq", str(chat_model), backend, memory=memory)
    assert not first.inner.chat.loaded  # building the translator reads the model's files, not its weights
    expected = translate_texts(SENTENCES, first)
    assert first.inner.chat.loaded and first.misses == 2

    again = build_translator("en", "sq", str(chat_model), backend, memory=memory)
    assert translate_texts(SENTENCES, again) == expected
    assert (again.misses, again.inner.chat.loaded) == (0, False)
    assert again.provenance == first.provenance
    assert again.last_bound == first.last_bound and len(first.last_bound) == 2  # bound flags kept with the segments
