"""Translation by an instruction-tuned chat model: the ``translate-instruction`` prompt (or another
template for the translate task) fills the user turn, one sentence at a time, on transformers or
CTranslate2 (``toolkit.models.chat``). Any pair the model can be asked for; quality is the model's."""

from __future__ import annotations

import unicodedata
from typing import Sequence

from toolkit.languages import get_language
from toolkit.models.chat import ChatModel
from toolkit.provenance import DecodingSettings
from toolkit.translate.base import TranslatorBase
from toolkit.templates import Template, load_template

DEFAULT_PROMPT = "translate-instruction"
OUTPUT_FACTOR = 3  # answer tokens allowed per source token, before the decoding ratio: scripts differ in tokens per word


class LLMTranslator(TranslatorBase):
    """A ``Translator`` backed by a chat LLM, for one pair."""

    def __init__(self, chat: ChatModel, source: str, target: str, decoding: DecodingSettings,
                 template: Template | None = None):
        self.chat = chat
        self.source, self.target = source, target
        self.decoding = decoding
        self.template = template or load_template(DEFAULT_PROMPT)
        self.template.check("translate")
        self.bound_reached = 0
        self.last_bound: list[bool] = []  # per sentence of the last batch: stopped at the length bound
        self._overhead = len(chat.prompt_ids([self.prompt("")])[0])
        room = chat.max_input_tokens - self._overhead
        self.max_input_tokens = max(8, room // (1 + OUTPUT_FACTOR * int(decoding.max_length_ratio)))
        self.provenance = chat.provenance(decoding)

    def prompt(self, text: str) -> str:
        """The instruction for one sentence, with the pair's language names filled in."""
        return self.template.render("translate", text=text, source_lang=get_language(self.source).name,
                                    target_lang=get_language(self.target).name)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(ids) for ids in self.chat.token_ids(texts)]

    def translate_batch(self, sentences: Sequence[str]) -> list[str]:
        out, self.last_bound = [], []
        for sentence, tokens in zip(sentences, self.count_tokens(sentences)):
            ceiling = self.chat.max_input_tokens - self._overhead - tokens
            bound = self.decoding.max_new_tokens(OUTPUT_FACTOR * tokens, max(1, ceiling))
            text, ended = self.chat.answer(self.prompt(sentence), self.decoding, 0, bound)
            self.last_bound.append(not ended)
            out.append(unicodedata.normalize("NFC", text))
        self.bound_reached += sum(self.last_bound)
        return out


def build_llm_translator(model: str, source: str, target: str, backend: str, decoding: DecodingSettings,
                         device: str | None = None, quantization: str | None = None,
                         threads: int | None = None) -> LLMTranslator:
    """An LLM translator for one pair on ``backend`` (auto: ct2 where it converts the model)."""
    from toolkit.models.chat import load_chat_model

    return LLMTranslator(load_chat_model(model, backend, quantization, device, threads), source, target, decoding)
