"""Abstractive and LLM summarisers on tiny real models, loaded through the product's loader."""

import shutil

import pytest

from toolkit.errors import InputError, ModelError
from toolkit.summarize import build_summarizer
from toolkit.summarize.base import SummaryLength

SENTENCES = [
    "The minister said the talks would continue next week in Tirana.",
    "Iran and Albania cut diplomatic ties in September 2022.",
    "More than 17,000 people were killed, officials said on Wednesday.",
    "The United Nations called for calm and an independent investigation of the attack.",
]
SHORT = " ".join(SENTENCES[:2])
LONG = "\n\n".join(" ".join(SENTENCES) for _ in range(8))  # many times the 64-token limit


def test_bart_summary_with_provenance(bart_model):
    summary = build_summarizer("abstractive", "en", str(bart_model)).summarize(SHORT, "en", SummaryLength(max_words=12))
    assert summary.text.strip()
    assert 0 < summary.words <= 12
    assert summary.method == "abstractive"
    assert summary.model.model_id == str(bart_model) and summary.model.family == "bart"
    assert summary.model.decoding.no_repeat_ngram_size == 3
    assert summary.chunking.chunks == 1 and summary.chunking.levels == 1
    assert 0 < summary.min_new_tokens < summary.max_new_tokens


def test_long_article_is_chunked_and_summarised_recursively(bart_model):
    summarizer = build_summarizer("abstractive", "en", str(bart_model))
    summary = summarizer.summarize(LONG, "en", SummaryLength(max_words=10))
    chunking = summary.chunking
    assert chunking.limit == 64
    assert chunking.input_tokens > 5 * chunking.limit
    assert chunking.chunks >= 5
    assert chunking.levels >= 2
    assert chunking.overlap_tokens > 0
    assert summary.text.strip()


@pytest.mark.parametrize("backend", ["hf", "ct2"])
def test_long_article_gives_no_indexing_warning(bart_model, tmp_path, backend, transformers_warnings):
    """The article is counted to be chunked: transformers' "indexing errors" warning would be wrong."""
    model = shutil.copytree(bart_model, tmp_path / "model")  # a tokenizer that has not warned yet
    summarizer = build_summarizer("abstractive", "en", str(model), backend=backend)
    warnings = transformers_warnings()
    assert summarizer.summarize(LONG, "en", SummaryLength(max_words=10)).text.strip()
    assert not [w for w in warnings if "indexing errors" in w]


def test_long_article_gives_no_indexing_warning_with_a_chat_model(chat_model, tmp_path, transformers_warnings):
    model = shutil.copytree(chat_model, tmp_path / "model")  # a tokenizer that has not warned yet
    summarizer = build_summarizer("llm", "en", str(model))
    warnings = transformers_warnings()
    summarizer.summarize(LONG * 4, "en", SummaryLength(max_words=10))
    assert not [w for w in warnings if "indexing errors" in w]


def test_t5_uses_the_prefix_its_config_declares(t5_model):
    summary = build_summarizer("abstractive", "en", str(t5_model)).summarize(SHORT, "en", SummaryLength(sentences=1))
    assert summary.prompt == "model config prefix"
    assert summary.model.family == "t5"
    assert summary.text.strip()


def test_t5_with_a_shipped_prompt(t5_model):
    summary = build_summarizer("abstractive", "en", str(t5_model), prompt="t5-summarize").summarize(SHORT, "en", SummaryLength())
    assert summary.prompt == "t5-summarize"


def test_translation_model_cannot_summarise(marian_model):
    with pytest.raises(ModelError, match="is a translation model .*marian.* cannot summarise"):
        build_summarizer("abstractive", "en", str(marian_model))


def test_catalogue_translation_model_is_refused_before_loading():
    with pytest.raises(ModelError, match="translation model"):
        build_summarizer("abstractive", "en", "Helsinki-NLP/opus-mt-en-sq")


def test_language_without_a_default_summariser():
    with pytest.raises(Exception, match="no summarisation model for 'sq'.*extractive method"):
        build_summarizer("abstractive", "sq")


def test_chat_lm_summary_from_template(chat_model):
    summarizer = build_summarizer("llm", "en", str(chat_model))
    summary = summarizer.summarize(SHORT, "en", SummaryLength(max_words=8))
    assert summary.method == "llm" and summary.prompt == "summarize-news"
    assert summary.model.family == "llama"
    assert 0 < summary.words <= 8


def test_chat_lm_fills_the_template_into_the_chat_turn(chat_model):
    summarizer = build_summarizer("llm", "en", str(chat_model), prompt="summarize-headline")
    chat = summarizer.model.chat("Write a headline.")
    assert chat.startswith("<|user|>\nWrite a headline.") and chat.endswith("<|assistant|>\n")


def test_model_without_chat_template_is_refused(bart_model, chat_model, tmp_path):
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(chat_model)
    tokenizer.chat_template = None
    plain = tmp_path / "plain"
    import shutil

    shutil.copytree(chat_model, plain)
    (plain / "chat_template.jinja").unlink(missing_ok=True)
    tokenizer.save_pretrained(plain)
    with pytest.raises(ModelError, match="has no chat template"):
        build_summarizer("llm", "en", str(plain))


def test_llm_needs_a_model_and_a_fitting_prompt(chat_model, tmp_path):
    with pytest.raises(InputError, match="needs a model"):
        build_summarizer("llm", "en")
    bad = tmp_path / "bad.txt"
    bad.write_text("Summarise for {audience}: {text}", "utf-8")
    with pytest.raises(InputError, match=r"\{audience\}"):
        build_summarizer("llm", "en", str(chat_model), prompt=str(bad))


def test_a_repeated_chunk_is_summarised_once_and_a_repeated_partial_summary_reduced_once(bart_model, monkeypatch):
    from toolkit.summarize.model import Prompted

    inputs: list[list[str]] = []
    generate = Prompted.generate

    def recording(self, texts, min_new_tokens, max_new_tokens):  # the real model runs; its inputs are kept
        inputs.append(list(texts))
        return generate(self, texts, min_new_tokens, max_new_tokens)

    monkeypatch.setattr(Prompted, "generate", recording)
    summary = build_summarizer("abstractive", "en", str(bart_model), backend="hf").summarize(LONG, "en", SummaryLength(max_words=10))
    assert summary.text.strip() and summary.chunking.chunks >= 5
    assert all(len(texts) == len(set(texts)) for texts in inputs), [len(t) for t in inputs]  # no chunk twice
    reduced = [texts[0].split("\n\n") for texts in inputs[1:]]
    assert all(len(paragraphs) == len(set(paragraphs)) for paragraphs in reduced), reduced  # no partial summary twice
