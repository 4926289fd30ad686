import shutil
import unicodedata

import pytest

from toolkit.errors import LanguageError
from toolkit.provenance import DecodingSettings
from toolkit.text.segment import split_layout, split_sentences
from toolkit.translate.engine import batches_by_tokens, translate_texts
from toolkit.translate.factory import build_translator

from tests.identity import IdentityTranslator

DOCS = [
    "The minister said the talks would continue next week in Tirana. Iran and Albania cut diplomatic ties.\n\n"
    "More than 17,000 people were killed, officials said on Wednesday.\nJournalists were not allowed to enter.\n",
    "# Prices\n\nPrices of bread, fuel and housing rose by 12 percent in the capital last year.\n\n"
    "- The United Nations called for calm.\n- Here is how the government explained its decision.",
    "Short one.",
]


def test_batches_cover_every_index_once_within_budget():
    lengths = [5, 40, 3, 22, 22, 9, 1, 30]
    groups = batches_by_tokens(lengths, 60)
    assert sorted(i for g in groups for i in g) == list(range(len(lengths)))
    assert all(max(lengths[i] for i in g) * len(g) <= 60 or len(g) == 1 for g in groups)


@pytest.mark.parametrize("fixture", ["marian_model", "m2m100_model"])
def test_documents_keep_layout_and_order_after_length_sorting(request, fixture):
    # A fixed output bound (the random model never stops early) makes each sentence's output
    # independent of its batch, so pooled output can be compared with sentence-by-sentence output.
    fixed_length = DecodingSettings(max_length_ratio=0, max_length_offset=6)
    translator = build_translator("en", "sq", str(request.getfixturevalue(fixture)), decoding=fixed_length)
    # A small token budget forces many length-sorted batches across the three documents.
    pooled = translate_texts(DOCS, translator, batch_tokens=40)
    for doc, out in zip(DOCS, pooled):
        layout = split_layout(doc)
        expected = layout.render([
            " ".join(translator.translate_batch([s])[0] for s in split_sentences(line, "en")) for line in layout.lines
        ])
        assert out == expected
        assert split_layout(out).pieces == layout.pieces  # blank lines, breaks and markers in place


def test_sentence_longer_than_the_model_limit_is_split_not_truncated(marian_model):
    translator = build_translator("en", "sq", str(marian_model))
    long_sentence = ", ".join(["the minister said the talks would continue"] * 30) + "."
    assert translator.count_tokens([long_sentence])[0] > translator.max_input_tokens
    [out] = translate_texts([long_sentence], translator, batch_tokens=512)
    assert out.strip()  # without splitting the tiny model (64 positions) cannot even run


@pytest.mark.parametrize("backend", ["hf", "ct2"])
def test_sentences_split_to_the_limit_give_no_indexing_warning(marian_model, tmp_path, backend, transformers_warnings):
    """transformers warns of "indexing errors" for a text over the model's limit: toolkit counts such
    sentences only to cut them, so the warning would be wrong."""
    model = shutil.copytree(marian_model, tmp_path / "model")  # a tokenizer that has not warned yet
    translator = build_translator("en", "sq", str(model), backend, quantization="float32" if backend == "ct2" else None)
    warnings = transformers_warnings()
    long_sentence = ", ".join(["the minister said the talks would continue"] * 30) + "."
    [out] = translate_texts([long_sentence], translator, batch_tokens=512)
    assert out.strip()
    assert not [w for w in warnings if "indexing errors" in w]


def test_llm_translator_gives_no_indexing_warning(chat_model, tmp_path, transformers_warnings):
    model = shutil.copytree(chat_model, tmp_path / "model")  # a tokenizer that has not warned yet
    translator = build_translator("en", "sq", str(model), "hf")
    warnings = transformers_warnings()
    long_sentence = ", ".join(["the minister said the talks would continue"] * 60) + "."
    translate_texts([long_sentence], translator, batch_tokens=4096)
    assert not [w for w in warnings if "indexing errors" in w]


def test_marian_multi_target_model_gets_the_target_token(marian_multi_model):
    fa = build_translator("en", "fa", str(marian_multi_model))
    sq = build_translator("en", "sq", str(marian_multi_model))
    assert fa.setup.prefix == ">>pes<< " and sq.setup.prefix == ">>sqi<< "
    [ids] = fa.encode(["Hello"])
    assert ids[0] == fa.model.tokenizer.get_vocab()[">>pes<<"]
    with pytest.raises(LanguageError, match="supported: deu, pes, sqi"):
        build_translator("en", "fr", str(marian_multi_model))


def test_m2m100_forces_the_target_language_token(m2m100_model):
    translator = build_translator("en", "fa", str(m2m100_model))
    tokenizer = translator.model.tokenizer
    assert translator.setup.forced_bos_token_id == tokenizer.get_lang_id("fa")
    assert translator.setup.src_lang == "en"
    [out] = translator.translate_batch(["Iran and Albania cut diplomatic ties."])
    assert "__fa__" not in out and unicodedata.is_normalized("NFC", out)


def test_nllb_maps_iso_codes_to_flores_codes(nllb_model):
    fa = build_translator("en", "fa", str(nllb_model))
    sq = build_translator("en", "sq", str(nllb_model))
    vocab = fa.model.tokenizer.get_vocab()
    assert fa.model.info.family == "nllb"
    assert (fa.setup.src_lang, fa.setup.forced_bos_token_id) == ("eng_Latn", vocab["pes_Arab"])
    assert sq.setup.forced_bos_token_id == vocab["als_Latn"]
    encoded = fa.encode(["Tirana"])[0]
    assert encoded[0] == vocab["eng_Latn"]  # the source language token leads the input
    with pytest.raises(LanguageError, match="eng_Latn"):
        build_translator("en", "de", str(nllb_model))


def test_decoding_settings_are_explicit_and_recorded(marian_model):
    translator = build_translator("en", "sq", str(marian_model), backend="hf", decoding=DecodingSettings(beams=3))
    assert translator.provenance.decoding.beams == 3
    assert translator.provenance.backend == "hf" and translator.provenance.family == "marian"
    assert len(translator.translate_batch(["Iran and Albania.", "The minister said."])) == 2


def test_mbart50_uses_its_language_codes_and_refuses_albanian(mbart50_model):
    fa = build_translator("en", "fa", str(mbart50_model))
    vocab = fa.model.tokenizer.get_vocab()
    assert fa.model.info.family == "mbart50"
    assert (fa.setup.src_lang, fa.setup.forced_bos_token_id) == ("en_XX", vocab["fa_IR"])
    assert fa.encode(["Tirana"])[0][0] == vocab["en_XX"]
    [out] = fa.translate_batch(["Iran and Albania cut diplomatic ties."])
    assert "fa_IR" not in out
    with pytest.raises(LanguageError, match="en->sq.*fa_IR"):
        build_translator("en", "sq", str(mbart50_model))


@pytest.mark.parametrize("text", [
    "The talks ended.  Iran left.",  # two spaces
    "The talks ended.\tIran left.\n",
    "The talks ended.\u00a0Iran left.",  # no-break space
    "The minister spoke in Tirana.Albania cut ties.",  # no space at all
    "# Lajme\r\n\r\nÇfarë ndodhi në Tiranë?  Qeveria nuk dha përgjigje.\r\n",
    "- آیا این خبر درست است؟\u2003سخنگو گفت نه.\n",
])
def test_identity_translation_keeps_the_text_between_sentences(text):
    assert translate_texts([text], IdentityTranslator(), batch_tokens=64) == [text]


def test_sentences_cut_to_the_model_limit_keep_their_whitespace():
    text = ("The minister said,  in a long statement\tread out on Wednesday,\u00a0that the talks would continue "
            "next week in Tirana and that  nothing had been decided yet. Short one.  Supercalifragilisticexpialidocious"
            "antidisestablishmentarianism.")
    translator = IdentityTranslator(max_input_tokens=8)
    assert translate_texts([text], translator, batch_tokens=64) == [text]
    assert len(translator.batches) > 1  # the limit really cut the sentences


def test_no_space_target_joins_sentences_without_spaces():
    assert translate_texts(["One.  Two."], IdentityTranslator(target="zh"), batch_tokens=64) == ["One.Two."]


@pytest.mark.parametrize("backend", ["hf", "ct2"])
@pytest.mark.parametrize("fixture,target", [("marian_model", "sq"), ("m2m100_model", "fa")])
def test_a_sentence_is_bounded_by_its_own_length_not_its_batch_neighbours(request, fixture, target, backend):
    # The default bound (2 x source tokens + 10): the random tiny model loops to it, so with a bound taken
    # from the batch's longest source a short sentence came back longer when batched with long ones.
    # float32 on both sides: arithmetic the same, only the bound could differ.
    model = str(request.getfixturevalue(fixture))
    pinned = {"dtype": "float32"} if backend == "hf" else {"quantization": "float32"}
    translator = build_translator("en", target, model, backend, **pinned)
    short, long = "Short one.", " ".join(DOCS[0].split()[:12])  # within the tiny models' 64 positions
    alone = translator.translate_batch([short])
    assert translator.last_bound == [True]  # the case under test: the short sentence runs to its bound
    assert translator.translate_batch([short, long])[0] == alone[0]
    assert translator.last_bound[0] is True
