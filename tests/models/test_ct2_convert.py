"""Converting models for ctranslate2: cached by id, revision and quantisation; atomic."""

import os

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.errors import ModelError
from toolkit.models import ct2
from toolkit.settings import cache_dir


def test_conversion_is_cached_per_quantization(marian_model):
    int8 = ct2.convert(str(marian_model), "int8")
    again = ct2.convert(str(marian_model), "int8")
    float32 = ct2.convert(str(marian_model), "float32")
    assert int8 == again and int8 != float32
    assert int8.parent == cache_dir() / "ct2" and int8.name.endswith("--int8")
    assert (int8 / "model.bin").stat().st_size < (float32 / "model.bin").stat().st_size
    # No conversion again: the entry is reused as it is.
    assert (again / "model.bin").stat().st_mtime_ns == (int8 / "model.bin").stat().st_mtime_ns


def test_a_changed_folder_is_a_new_entry(tmp_path, marian_model):
    import shutil

    copy = tmp_path / "model"
    shutil.copytree(marian_model, copy)
    first = ct2.convert(str(copy), "int8")
    (copy / "generation_config.json").write_text((copy / "generation_config.json").read_text() + "\n")
    assert ct2.convert(str(copy), "int8") != first


def test_m2m100_vocabulary_keeps_language_tokens_at_their_ids(m2m100_model):
    import json

    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(m2m100_model)
    vocab = json.loads((ct2.convert(str(m2m100_model), "float32") / "shared_vocabulary.json").read_text("utf-8"))
    for code in ("en", "fa", "sq"):
        token_id = tokenizer.get_lang_id(code)
        assert vocab[token_id] == f"__{code}__"


def test_a_killed_conversion_leaves_no_entry(marian_model, monkeypatch):
    class Killed:
        def convert(self, output_dir, **kwargs):
            (open(os.path.join(output_dir, "model.bin"), "wb")).write(b"half")
            raise KeyboardInterrupt

    monkeypatch.setattr(ct2, "_converter", lambda location: Killed())
    with pytest.raises(KeyboardInterrupt):
        ct2.convert(str(marian_model), "int8")
    assert list((cache_dir() / "ct2").iterdir()) == []  # neither the entry nor the temporary folder
    monkeypatch.undo()
    assert (ct2.convert(str(marian_model), "int8") / "model.bin").stat().st_size > 4


def test_models_convert_command(marian_model):
    result = CliRunner().invoke(app, ["models", "convert", str(marian_model), "--quantization", "float32"])
    assert result.exit_code == 0, result.output
    assert "--float32" in result.stdout and (cache_dir() / "ct2").is_dir()


def test_converting_a_hub_model_not_on_this_machine_fetches_it_or_names_the_fix():
    # Online it is downloaded first; offline (as in every test) the error names the cause and the fix.
    with pytest.raises(ModelError, match="not in the Hugging Face cache and HF_HUB_OFFLINE is set.*toolkit models import"):
        ct2.convert("Helsinki-NLP/opus-mt-en-xx", "int8")


def test_unsupported_model_is_a_model_error(tmp_path):
    folder = tmp_path / "bert"
    folder.mkdir()
    (folder / "config.json").write_text('{"model_type": "no-such-arch"}')
    (folder / "model.safetensors").write_bytes(b"")
    result = CliRunner().invoke(app, ["models", "convert", str(folder)])
    assert result.exit_code == 2 and "ctranslate2 cannot convert" in result.stderr


def test_catalogue_model_not_downloaded_goes_to_ct2_and_fails_offline_with_the_fix():
    """auto picks ct2 for a catalogue model before it is downloaded; offline, its fetch fails clearly."""
    from typer.testing import CliRunner

    from toolkit.cli import app
    from toolkit.models.backends import choose_backend

    assert choose_backend("auto", "Helsinki-NLP/opus-mt-en-sq") == "ct2"
    assert choose_backend("auto", "nobody/unknown-model") == "hf"  # family unknown until downloaded
    result = CliRunner().invoke(app, ["translate", "Hello.", "--to", "sq"])
    assert result.exit_code == 2
    assert "cannot load model 'Helsinki-NLP/opus-mt-en-sq': not in the Hugging Face cache and HF_HUB_OFFLINE is set" in result.stderr
    assert "toolkit models import" in result.stderr and "Traceback" not in result.output


def test_one_folder_spelled_two_ways_is_converted_once(marian_model, monkeypatch):
    first = ct2.convert(str(marian_model.resolve()), "int8")
    monkeypatch.chdir(marian_model.parent)
    assert ct2.convert(f"./{marian_model.name}", "int8") == first
    assert ct2.convert(marian_model.name, "int8") == first
