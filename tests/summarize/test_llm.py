"""`--method llm` on both backends: the same chat prompt, the same answer, token for token (float32)."""

import pytest

from toolkit.models.chat import load_chat_model
from toolkit.provenance import DecodingSettings
from toolkit.summarize import build_summarizer
from toolkit.summarize.base import SummaryLength
from toolkit.summarize.llm import DECODING

pytest.importorskip("ctranslate2")

ARTICLE = ("Iran and Albania cut diplomatic ties in September 2022. The minister said the talks would continue "
           "next week in Tirana. More than 17,000 people were killed, officials said on Wednesday.")
PROMPTS = ["Summarise: " + ARTICLE, "Translate to Albanian: The minister said the talks would continue.",
           "Tirana", "Persian: ایران و آلبانی روابط دیپلماتیک را قطع کردند."]


@pytest.mark.parametrize("decoding", [DECODING, DecodingSettings(), DecodingSettings(beams=1, repetition_penalty=1.3)])
def test_ct2_float32_answers_equal_hf_token_for_token(chat_model, decoding):
    hf = load_chat_model(str(chat_model), "hf")
    ct2 = load_chat_model(str(chat_model), "ct2", "float32")
    for prompt in PROMPTS:
        ids = hf.prompt_ids([prompt])[0]
        assert ids == ct2.prompt_ids([prompt])[0]
        for low, high in ((0, 40), (12, 12), (5, 60)):
            expected = hf._generate(ids, decoding, low, high)
            got = ct2._generate(ids, decoding, low, high)
            assert got == expected, (prompt, low, high)
            assert low <= len(got.ids) + got.ended <= high


def test_penalties_see_the_answer_only_not_the_prompt(chat_model):
    """A 3-gram of the prompt may be repeated in the answer; none of the answer's own 3-grams repeats."""
    hf = load_chat_model(str(chat_model), "hf")
    ids = hf.prompt_ids(["Tirana " * 30])[0]
    answer = hf._generate(ids, DecodingSettings(no_repeat_ngram_size=3), 30, 30).ids
    grams = [tuple(answer[i:i + 3]) for i in range(len(answer) - 2)]
    assert len(grams) == len(set(grams))
    unpenalised = hf._generate(ids, DecodingSettings(), 30, 30).ids
    assert len({tuple(unpenalised[i:i + 3]) for i in range(28)}) < 28  # it does loop when allowed to


def test_llm_summary_on_ct2_equals_hf_and_names_its_backend(chat_model):
    length = SummaryLength(max_words=12)
    hf = build_summarizer("llm", "en", str(chat_model), backend="hf").summarize(ARTICLE, "en", length)
    ct2 = build_summarizer("llm", "en", str(chat_model), backend="ct2", quantization="float32").summarize(ARTICLE, "en", length)
    assert ct2.text == hf.text and ct2.text.strip()
    assert (hf.model.backend, ct2.model.backend) == ("hf", "ct2")
    assert ct2.model.quantization == "float32" and hf.model.quantization is None
    assert ct2.model.family == "llama" and ct2.model.revision == hf.model.revision
    assert (ct2.min_new_tokens, ct2.max_new_tokens) == (hf.min_new_tokens, hf.max_new_tokens)


def test_auto_backend_runs_a_llama_chat_model_on_ct2(chat_model):
    summary = build_summarizer("llm", "en", str(chat_model)).summarize(ARTICLE, "en", SummaryLength(max_words=8))
    assert summary.model.backend == "ct2" and summary.model.quantization == "int8"
    assert 0 < summary.words <= 8


def test_an_answer_cut_at_its_bound_loses_the_cut_sentence_only():
    from toolkit.summarize.llm import drop_cut_sentence

    assert drop_cut_sentence("The bank raised its rate. Economists had expected a rise of 0.") == "The bank raised its rate."
    assert drop_cut_sentence("Iran protested. «Albania lied.» The minister said") == "Iran protested. «Albania lied.»"
    assert drop_cut_sentence("ایران اعتراض کرد. وزیر گفت") == "ایران اعتراض کرد."
    assert drop_cut_sentence("One unfinished sentence") == "One unfinished sentence"  # nothing whole to keep


def test_the_chat_prompt_is_transformers_own_without_importing_transformers(chat_model, tiny_gguf):
    """The folder's tokenizer and chat template, read with tokenizers and jinja2: the same text and ids
    as transformers' apply_chat_template, on a tiny chat model and on a GGUF import (chat_template.jinja);
    a ct2 chat model is built without importing transformers or torch."""
    import subprocess
    import sys

    from transformers import AutoTokenizer

    from toolkit.models.gguf import import_gguf

    for ref in (str(chat_model), import_gguf(tiny_gguf[0]).ref):
        chat = load_chat_model(ref, "ct2", "float32")
        reference = AutoTokenizer.from_pretrained(str(chat.info.folder))
        for prompt in PROMPTS:
            text = reference.apply_chat_template([{"role": "user", "content": prompt}], tokenize=False,
                                                 add_generation_prompt=True)
            ids = reference(text, add_special_tokens=False)["input_ids"]
            assert chat.chat(prompt) == text and chat.prompt_ids([prompt])[0] == ids
            assert chat.decode(ids) == reference.decode(ids, skip_special_tokens=True)
    code = ("import sys; from toolkit.models.chat import load_chat_model; "
            f"load_chat_model({str(chat_model)!r}, 'ct2').prompt_ids(['Tirana']); "
            "print(sorted({'torch', 'transformers'} & set(sys.modules)))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "[]\n"
