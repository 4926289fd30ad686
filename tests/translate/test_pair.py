"""A model asked for a pair it does not translate is refused, with the pairs it does, before any
weights are loaded: a single-pair Marian model by its declared pair or name, multilingual models
by their language tokens."""

import shutil

import pytest
from typer.testing import CliRunner

from toolkit.chain import ChainOptions, parse_steps, run_chain
from toolkit.cli import app
from toolkit.errors import LanguageError, ToolkitError
from toolkit.translate.factory import build_translator


def _without_weights(model, folder):
    """The model's files with unreadable weights: loading them fails, so a refusal proves no load was tried."""
    shutil.copytree(model, folder)
    (folder / "model.safetensors").write_bytes(b"not weights")
    return folder


@pytest.mark.parametrize("backend", ["hf", "ct2"])
def test_single_pair_model_refuses_another_target_before_loading(marian_model, tmp_path, backend):
    model = _without_weights(marian_model, tmp_path / "model")
    with pytest.raises(LanguageError, match=r"does not translate en->de.*supported: en-sq"):
        build_translator("en", "de", str(model), backend)


def test_single_pair_model_refuses_another_source(marian_model):
    with pytest.raises(LanguageError, match=r"does not translate fa->sq.*supported: en-sq"):
        build_translator("fa", "sq", str(marian_model))


def test_single_pair_model_by_its_name(marian_model, tmp_path):
    """A folder named like the hub's model, with no pair in its tokenizer config."""
    model = _without_weights(marian_model, tmp_path / "opus-mt-en-sq")
    config = model / "tokenizer_config.json"
    config.write_text(config.read_text().replace('"target_lang": "sq"', '"target_lang": null')
                      .replace('"source_lang": "en"', '"source_lang": null'))
    with pytest.raises(LanguageError, match=r"does not translate en->fa.*supported: en-sq"):
        build_translator("en", "fa", str(model), "hf")


@pytest.mark.parametrize(("fixture", "source", "target"), [
    ("marian_model", "en", "sq"), ("marian_multi_model", "en", "fa"), ("m2m100_model", "fa", "sq"),
    ("nllb_model", "sq", "fa"), ("mbart50_model", "en", "fa"),
])
def test_models_still_translate_their_pairs(request, fixture, source, target):
    translator = build_translator(source, target, str(request.getfixturevalue(fixture)), "hf")
    assert len(translator.translate_batch(["Iran and Albania cut ties."])) == 1


@pytest.mark.parametrize(("fixture", "source", "target", "listed"), [
    ("marian_multi_model", "en", "fr", "deu, pes, sqi"),
    ("nllb_model", "en", "de", "als_Latn, eng_Latn, pes_Arab"),
    ("mbart50_model", "en", "sq", "fa_IR"),
])
def test_multilingual_models_refuse_languages_they_lack_before_loading(request, tmp_path, fixture, source, target, listed):
    model = _without_weights(request.getfixturevalue(fixture), tmp_path / "model")
    with pytest.raises(LanguageError, match=rf"does not translate {source}->{target}.*{listed}"):
        build_translator(source, target, str(model), "hf")


def test_cli_refuses_the_pair_in_one_line(marian_model):
    result = CliRunner().invoke(app, ["translate", "Hello.", "--to", "de", "--model", str(marian_model)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: model '{marian_model}' does not translate en->de")
    assert "en-sq" in result.stderr and len(result.stderr.strip().splitlines()) == 1 and result.stdout == ""


def test_chain_refuses_a_persian_article_through_an_english_model(marian_model):
    article = "وزیر امور خارجه گفت که مذاکرات هفته آینده ادامه خواهد یافت."
    options = ChainOptions(steps=parse_steps("translate:sq"), source="fa", translation_models={"sq": str(marian_model)})
    with pytest.raises(ToolkitError, match=r"does not translate fa->sq.*supported: en-sq"):
        run_chain([article], options)


def test_hub_model_not_downloaded_is_checked_by_its_name():
    with pytest.raises(LanguageError, match=r"does not translate en->fa.*supported: en-de"):
        build_translator("en", "fa", "Helsinki-NLP/opus-mt-en-de")
    with pytest.raises(LanguageError, match=r"does not translate fa->sq.*supported: en-sq"):
        build_translator("fa", "sq", "Helsinki-NLP/opus-mt-en-sq")
