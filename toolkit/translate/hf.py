"""The Hugging Face transformers backend."""

from __future__ import annotations

import unicodedata
from typing import Sequence

from toolkit.models.loading import LoadedModel
from toolkit.provenance import DecodingSettings, ModelProvenance
from toolkit.translate.families import LanguageSetup, language_setup


class HFTranslator:
    """Translates with a loaded transformers model; decoding settings are always explicit."""

    def __init__(self, loaded: LoadedModel, source: str, target: str, decoding: DecodingSettings,
                 setup: LanguageSetup | None = None):
        self.loaded = loaded
        self.source, self.target = source, target
        self.decoding = decoding
        self.bound_reached = 0  # sentences whose output stopped at the length bound, not at an end token
        # ``setup`` lets other seq2seq tasks (BART/T5 summarisers) drive a model the family table does not list.
        self.setup = setup or language_setup(loaded.family, loaded.tokenizer, loaded.source.ref, source, target)
        self.max_input_tokens = loaded.max_input_tokens - 2  # room for language and end tokens
        self.provenance = ModelProvenance(
            model_id=loaded.source.ref,
            revision=loaded.revision,
            backend="hf",
            family=loaded.family,
            decoding=decoding,
            device=loaded.device,
        )

    def _encode(self, texts: Sequence[str], **kwargs):
        tokenizer = self.loaded.tokenizer
        if self.setup.src_lang is not None:
            tokenizer.src_lang = self.setup.src_lang
        return tokenizer([self.setup.prefix + t for t in texts], **kwargs)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(ids) for ids in self._encode(texts)["input_ids"]]

    def translate_batch(self, sentences: Sequence[str]) -> list[str]:
        if not sentences:
            return []
        sequences, bound = self._generate(sentences, 1)
        # Generated tokens follow the decoder start token; an end token only in the last position was forced.
        self.bound_reached += sum(self.loaded.model.config.eos_token_id not in seq[1:bound] for seq in sequences)
        return self._decode(sequences)

    def translate_nbest(self, sentences: Sequence[str], n: int) -> list[list[str]]:
        """The ``n`` best translations of each sentence, best first (beam search with at least ``n`` beams)."""
        if not sentences:
            return []
        sequences, _ = self._generate(sentences, n)
        texts = self._decode(sequences)
        return [texts[i * n:(i + 1) * n] for i in range(len(sentences))]

    def _generate(self, sentences: Sequence[str], n: int) -> tuple[list[list[int]], int]:
        """Output token ids (``n`` per sentence, in order) and the output length bound used."""
        import torch
        from transformers import GenerationConfig

        model = self.loaded.model
        batch = self._encode(sentences, return_tensors="pt", padding=True).to(self.loaded.device)
        config = model.config
        ceiling = getattr(config, "max_position_embeddings", None) or 1024
        bound = self.decoding.max_new_tokens(batch["input_ids"].shape[1], ceiling)
        generation = GenerationConfig(
            num_beams=max(self.decoding.beams, n),
            num_return_sequences=n,
            do_sample=False,
            max_new_tokens=bound,
            length_penalty=self.decoding.length_penalty,
            repetition_penalty=self.decoding.repetition_penalty,
            no_repeat_ngram_size=self.decoding.no_repeat_ngram_size,
            early_stopping=True,
            decoder_start_token_id=config.decoder_start_token_id,
            eos_token_id=config.eos_token_id,
            pad_token_id=config.pad_token_id,
            forced_bos_token_id=self.setup.forced_bos_token_id,
            forced_eos_token_id=config.eos_token_id,
            # A model must never emit padding as text (Marian starts decoding from the pad token).
            bad_words_ids=[[config.pad_token_id]] if config.pad_token_id is not None else None,
        )
        with torch.inference_mode():
            return model.generate(**batch, generation_config=generation).tolist(), bound

    def _decode(self, sequences: list[list[int]]) -> list[str]:
        """Output token ids to NFC text, without the forced target-language token."""
        forced = self.setup.forced_bos_token_id
        texts = self.loaded.tokenizer.batch_decode([[t for t in seq if t != forced] for seq in sequences],
                                                   skip_special_tokens=True)
        return [unicodedata.normalize("NFC", t.strip()) for t in texts]
