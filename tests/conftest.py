"""Session-wide fixtures: tiny real models built once, an isolated toolkit home, no network."""

from __future__ import annotations

import logging
import os
import tempfile

import pytest

# huggingface_hub reads these once, at import: set them before anything imports it.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_HUB_CACHE"] = tempfile.mkdtemp(prefix="toolkit-test-hf-cache-")

from tests import tiny_models, tiny_summarizers


@pytest.fixture(autouse=True)
def _isolated(tmp_path, tmp_path_factory, monkeypatch):
    """Every test gets its own toolkit folders and (empty) config file, and the HF hub is never contacted."""
    monkeypatch.setenv("TOOLKIT_DATA_DIR", str(tmp_path / "toolkit-data"))
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(tmp_path / "toolkit-cache"))
    config = tmp_path_factory.mktemp("config") / "config.toml"  # TOOLKIT_CONFIG must name a file that exists
    config.touch()
    monkeypatch.setenv("TOOLKIT_CONFIG", str(config))
    monkeypatch.setenv("TOOLKIT_DEVICE", "cpu")


@pytest.fixture
def transformers_warnings():
    """Call it to have transformers log warnings again (toolkit's loaders turn them down) and get the
    list their messages go to, until the test ends."""
    from transformers.utils import logging as hf_logging

    messages: list[str] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: messages.append(record.getMessage())
    previous = hf_logging.get_verbosity()
    hf_logging.get_logger().addHandler(handler)

    def start() -> list[str]:
        hf_logging.set_verbosity_warning()
        return messages

    yield start
    hf_logging.get_logger().removeHandler(handler)
    hf_logging.set_verbosity(previous)


@pytest.fixture(scope="session")
def sp_model(tmp_path_factory):
    return tiny_models.train_sentencepiece(tmp_path_factory.mktemp("spm"))


@pytest.fixture(scope="session")
def marian_model(tmp_path_factory, sp_model):
    """A single-pair Marian model, declared en->sq in its tokenizer config (like opus-mt-en-sq)."""
    return tiny_models.build_marian(tmp_path_factory.mktemp("marian"), sp_model, pair=("en", "sq"))


@pytest.fixture(scope="session")
def marian_multi_model(tmp_path_factory, sp_model):
    """A multi-target Marian model that needs a >>xxx<< target token."""
    return tiny_models.build_marian(tmp_path_factory.mktemp("marian-multi"), sp_model, tiny_models.MARIAN_TARGET_TOKENS)


@pytest.fixture(scope="session")
def opus_marian_model(tmp_path_factory):
    """A Marian model built as opus-mt's are: separate source and target SentencePiece models, a joint vocab.json."""
    return tiny_models.build_opus_marian(tmp_path_factory.mktemp("opus-marian"))


@pytest.fixture(scope="session")
def m2m100_model(tmp_path_factory, sp_model):
    return tiny_models.build_m2m100(tmp_path_factory.mktemp("m2m100"), sp_model)


@pytest.fixture(scope="session")
def nllb_model(tmp_path_factory, sp_model):
    return tiny_models.build_nllb(tmp_path_factory.mktemp("nllb"), sp_model)


@pytest.fixture(scope="session")
def mbart50_model(tmp_path_factory, sp_model):
    return tiny_models.build_mbart50(tmp_path_factory.mktemp("mbart50"), sp_model)


# --------------------------------------------------------------------------- summarisation models

@pytest.fixture(scope="session")
def bart_model(tmp_path_factory):
    """A tiny BART summariser with a 64-token input limit."""
    return tiny_summarizers.build_bart(tmp_path_factory.mktemp("bart"))


@pytest.fixture(scope="session")
def t5_model(tmp_path_factory):
    """A tiny T5 whose config declares the ``summarize: `` prefix."""
    return tiny_summarizers.build_t5(tmp_path_factory.mktemp("t5"))


@pytest.fixture(scope="session")
def hub_bart_model(tmp_path_factory):
    """A tiny BART with BART's own byte-level BPE tokenizer (``<mask>`` last), as facebook/bart-* ship it."""
    return tiny_summarizers.build_bart(tmp_path_factory.mktemp("hub-bart"), hub_tokenizer=True)


@pytest.fixture(scope="session")
def hub_t5_model(tmp_path_factory):
    """A tiny T5 with T5's own SentencePiece tokenizer (100 sentinels last), saved as transformers 4 saved it."""
    return tiny_summarizers.build_t5(tmp_path_factory.mktemp("hub-t5"), hub_tokenizer=True)


@pytest.fixture(scope="session")
def chat_model(tmp_path_factory):
    """A tiny Llama-architecture causal LM with a chat template."""
    return tiny_summarizers.build_chat_lm(tmp_path_factory.mktemp("chat"))


@pytest.fixture(scope="session")
def tiny_gguf(tmp_path_factory):
    """(path, float32 original) of a tiny real GGUF chat model (tests/tiny_gguf.py)."""
    pytest.importorskip("gguf")
    from tests.tiny_gguf import build_gguf

    return build_gguf(tmp_path_factory.mktemp("gguf"))
