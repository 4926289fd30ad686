"""Translation with a seq2seq model on any backend (``toolkit.models.backends``: hf, ct2)."""

from __future__ import annotations

import unicodedata
from typing import Sequence

from toolkit.models.backends import Generated, GenerationRequest, Seq2SeqModel
from toolkit.provenance import DecodingSettings, ModelProvenance
from toolkit.translate.base import TranslatorBase
from toolkit.models.families import language_setup
from toolkit.models.pairs import LanguageSetup


class ModelTranslator(TranslatorBase):
    """Tokenisation, language handling, length bound and post-processing of one language pair;
    the decoding runs on the model's backend. Decoding settings are always explicit."""

    def __init__(self, model: Seq2SeqModel, source: str, target: str, decoding: DecodingSettings,
                 setup: LanguageSetup | None = None):
        info = model.info
        self.model = model
        self.source, self.target = source, target
        self.decoding = decoding
        self.bound_reached = 0  # sentences whose output stopped at the length bound, not at an end token
        self.last_bound: list[bool] = []  # per sentence of the last batch: stopped at the length bound
        # ``setup`` lets other seq2seq tasks (BART/T5 summarisers) drive a model the family table does not list.
        self.setup = setup or language_setup(info.family, model.tokenizer, info.source.ref, source, target)
        self.max_input_tokens = info.max_input_tokens - 2  # room for language and end tokens
        self.workers = model.workers
        self.provenance = ModelProvenance(
            model_id=info.source.ref,
            revision=info.revision,
            backend=model.backend,
            family=info.family,
            decoding=decoding,
            quantization=model.quantization,
            device=model.device,
        )
        pad = info.config.get("pad_token_id")
        # A model must never emit padding as text (Marian starts decoding from the pad token).
        self._suppress = () if pad is None else (pad,)

    def encode(self, texts: Sequence[str]) -> list[list[int]]:
        return self.model.tokenizer.encode([self.setup.prefix + t for t in texts], self.setup.src_lang)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(ids) for ids in self.encode(texts)]

    def translate_batch(self, sentences: Sequence[str]) -> list[str]:
        if not sentences:
            return []
        generated = self._generate(sentences, 1)
        self.last_bound = [g.at_bound for g in generated]
        self.bound_reached += sum(self.last_bound)
        return self._texts(generated)

    def translate_nbest(self, sentences: Sequence[str], n: int) -> list[list[str]]:
        """The ``n`` best translations of each sentence, best first (beam search with at least ``n`` beams)."""
        if not sentences:
            return []
        texts = self._texts(self._generate(sentences, n))
        return [texts[i * n:(i + 1) * n] for i in range(len(sentences))]

    def _generate(self, sentences: Sequence[str], n: int) -> list[Generated]:
        """Each sentence bounded by its own length (counting the forced language token), whatever
        its batch: the batch (or each part a backend decodes apart) decodes to its longest
        sentence's bound, then each output is cut to its own, as it would have been alone (the end
        token forced into its last position)."""
        inputs = self.encode(sentences)
        bounds = [self.decoding.max_new_tokens(len(s), self.model.info.max_positions) for s in inputs]
        request = GenerationRequest(self.decoding, max(bounds), forced_bos=self.setup.forced_bos_token_id,
                                    forced_eos=True, suppress=self._suppress, hypotheses=n, bounds=tuple(bounds))
        generated = self.model.generate(inputs, request)
        return [self._within(g, bounds[i // n] - 1) for i, g in enumerate(generated)]

    def _within(self, generated: Generated, room: int) -> Generated:
        """``generated`` as decoding to ``room`` tokens (before the forced end token) leaves it."""
        tokenizer = self.model.tokenizer
        ends = (tokenizer.eos_token_id, tokenizer.pad_token_id)
        length = next((i for i, t in enumerate(generated.ids) if t in ends), len(generated.ids))
        return generated if length < room else Generated(generated.ids[:room], True)

    def _texts(self, generated: list) -> list[str]:
        forced = self.setup.forced_bos_token_id
        texts = self.model.tokenizer.decode([[t for t in g.ids if t != forced] for g in generated])
        return [unicodedata.normalize("NFC", t.strip()) for t in texts]
