"""The CTranslate2 backend: the Hugging Face backend's contract on ctranslate2's engine."""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from toolkit.models.ct2 import CT2Model
from toolkit.provenance import DecodingSettings
from toolkit.translate.families import LanguageSetup
from toolkit.translate.hf import HFTranslator


class CT2Translator(HFTranslator):
    """Same tokenisation, language handling, decoding options and post-processing as ``HFTranslator``;
    the decoding itself runs in ``ctranslate2.Translator.translate_batch``."""

    def __init__(self, model: CT2Model, source: str, target: str, decoding: DecodingSettings,
                 setup: LanguageSetup | None = None):
        super().__init__(model.loaded, source, target, decoding, setup)
        self.model = model
        self.provenance = replace(self.provenance, backend="ct2", quantization=model.quantization)
        tokenizer = model.loaded.tokenizer
        forced = self.setup.forced_bos_token_id
        self._target_prefix = None if forced is None else [tokenizer.convert_ids_to_tokens(forced)]
        # A model must never emit padding as text; ctranslate2's Marian conversion drops the token.
        pad = tokenizer.pad_token
        self._suppress = [[pad]] if pad is not None and model.loaded.family != "marian" else None
        self._ceiling = model.loaded.max_input_tokens

    def translate_batch(self, sentences: Sequence[str]) -> list[str]:
        if not sentences:
            return []
        hypotheses = [h[0] for h in self._hypotheses(sentences, 1)]
        self.bound_reached += sum(len(h) >= self._bound for h in hypotheses)  # the end token is not in a hypothesis
        return self._decode([self.loaded.tokenizer.convert_tokens_to_ids(h) for h in hypotheses])

    def translate_nbest(self, sentences: Sequence[str], n: int) -> list[list[str]]:
        if not sentences:
            return []
        tokenizer = self.loaded.tokenizer
        return [self._decode([tokenizer.convert_tokens_to_ids(h) for h in hyps]) for hyps in self._hypotheses(sentences, n)]

    def _hypotheses(self, sentences: Sequence[str], n: int) -> list[list[list[str]]]:
        tokenizer = self.loaded.tokenizer
        source = [tokenizer.convert_ids_to_tokens(ids) for ids in self._encode(sentences)["input_ids"]]
        # As the HF backend: the bound follows the longest input of the batch, and counts the forced
        # language token; HF forces the end token into the last position, so one position less here.
        # min_length 0, as hf: an end token may come first (ctranslate2's default is 1).
        self._bound = self.decoding.max_new_tokens(max(len(s) for s in source), self._ceiling) - 1
        return self.model.decode_nbest(source, self.decoding, self._bound, 0, self._target_prefix, self._suppress, n)
