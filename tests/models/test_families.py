"""The family registry is the one place a model family is declared: detection, tokenizer, language
setup and whether ct2 runs it all follow from one entry."""

import json
import shutil

import pytest

from toolkit.errors import LanguageError, ModelError
from toolkit.models import families, pairs
from toolkit.models.backends import choose_backend, model_info
from toolkit.models.catalogue import load_catalogue
from toolkit.models.families import FAMILIES, MARIAN_FILES, Family
from toolkit.summarize import build_summarizer
from toolkit.translate.factory import build_translator
from tests.tiny_models import CORPUS


def test_every_family_the_catalogue_names_has_one_entry():
    for model in load_catalogue().models.values():
        named = [f for f in FAMILIES if f.name == model.family]
        causal = [f for f in FAMILIES if not f.name and f.runs_on_ct2(model.family)]
        assert len(named) + len(causal) == 1, model.model_id


@pytest.fixture
def fake_model(marian_model, tmp_path):
    """The tiny Marian model under a tokenizer class no shipped family knows."""
    folder = tmp_path / "fake-family"
    shutil.copytree(marian_model, folder)
    config = json.loads((folder / "tokenizer_config.json").read_text("utf-8"))
    (folder / "tokenizer_config.json").write_text(json.dumps({**config, "tokenizer_class": "FakeTokenizer"}), "utf-8")
    return folder


def _register(monkeypatch, **declared) -> None:
    fake = Family("fake", lambda model_type, tokenizer_class, causal: tokenizer_class == "faketokenizer", "Fake",
                  "sentencepiece-pair", MARIAN_FILES, **declared)
    monkeypatch.setattr(families, "FAMILIES", (fake, *FAMILIES))


def test_a_family_added_as_one_entry_is_detected_and_refused_where_it_declares_nothing(fake_model, monkeypatch):
    _register(monkeypatch, translation=True)
    assert model_info(str(fake_model)).family == "fake"
    assert choose_backend("auto", str(fake_model)) == "hf"  # not declared to run on ct2
    with pytest.raises(LanguageError, match="fake.*not a translation model toolkit knows how to drive"):
        build_translator("en", "sq", str(fake_model), "hf")
    with pytest.raises(ModelError, match=r"translation model \(fake\) and cannot summarise"):
        build_summarizer("abstractive", model=str(fake_model), backend="hf")


def test_a_family_added_as_one_entry_translates_with_what_it_declares(fake_model, marian_model, monkeypatch):
    _register(monkeypatch, languages=pairs.marian, translation=True, ct2=True)
    assert choose_backend("auto", str(fake_model)) == "ct2"
    fake = build_translator("en", "sq", str(fake_model), "hf", dtype="float32")
    assert fake.provenance.family == "fake"
    assert fake.translate_batch(CORPUS) == build_translator("en", "sq", str(marian_model), "hf", dtype="float32").translate_batch(CORPUS)
