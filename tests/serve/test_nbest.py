"""Alternatives: the n best translations from beam search, on both backends."""

from __future__ import annotations

import pytest

from toolkit.provenance import DecodingSettings
from toolkit.translate.engine import translate_texts, translate_texts_nbest
from toolkit.translate.factory import build_translator

DOC = "Prices rose. The minister said the talks would continue.\n\nIran and Albania cut diplomatic ties."


@pytest.mark.parametrize("backend", ["hf", "ct2"])
def test_best_of_n_is_the_beam_search_translation_and_layout_is_kept(marian_multi_model, backend):
    pytest.importorskip("ctranslate2") if backend == "ct2" else None
    fixed = DecodingSettings(max_length_ratio=0, max_length_offset=6)
    nbest = build_translator("en", "sq", str(marian_multi_model), backend, fixed)
    [hypotheses] = translate_texts_nbest([DOC], nbest, 3)
    beam3 = build_translator("en", "sq", str(marian_multi_model), backend, DecodingSettings(3, 0, 6))
    assert len(hypotheses) == 3 and hypotheses[0] == translate_texts([DOC], beam3)[0]
    assert len(set(hypotheses)) > 1 and all(h.count("\n\n") == 1 for h in hypotheses)
