"""Summaries from instruction-tuned causal language models, prompted through their chat template,
on transformers or CTranslate2 (``toolkit.models.chat``)."""

from __future__ import annotations

import re
from typing import Sequence

from toolkit.provenance import DecodingSettings
from toolkit.summarize.base import Summary, SummaryLength
from toolkit.summarize.model import model_summary
from toolkit.templates import Template, load_template

DEFAULT_PROMPT = "summarize-news"
DECODING = DecodingSettings(beams=1, no_repeat_ngram_size=3, repetition_penalty=1.1)
OUTPUT_ROOM = 512  # context kept free for the answer
_SENTENCE_END = re.compile(r"[.!?؟…][\"'”’»)\]]*\s+")


def drop_cut_sentence(answer: str) -> str:
    """An answer stopped at its token bound ends mid-sentence, even when its last token is a full
    stop ("rose by 0." of "0.5"): keep the whole sentences before the cut, if it has any."""
    ends = [m.end() for m in _SENTENCE_END.finditer(answer)]
    return answer[:ends[-1]].rstrip() if ends else answer


class ChatLMSummarizer:
    """A causal LM with a chat template; the prompt template fills the user turn."""

    method = "llm"

    def __init__(self, ref: str, prompt: Template | None = None, decoding: DecodingSettings = DECODING,
                 backend: str = "auto", quantization: str | None = None):
        from toolkit.models.chat import load_chat_model

        self.template = prompt or load_template(DEFAULT_PROMPT)
        self.template.check("summarize")
        self.model = load_chat_model(ref, backend, quantization)
        self.room = min(OUTPUT_ROOM, self.model.max_input_tokens // 4)
        self.max_input_tokens = self.model.max_input_tokens - self.room
        self.decoding = decoding
        self.provenance = self.model.provenance(decoding)

    def count_prompts(self, prompts: Sequence[str]) -> list[int]:
        return [len(ids) for ids in self.model.prompt_ids(prompts)]

    def generate_prompts(self, prompts: Sequence[str], min_new_tokens: int, max_new_tokens: int) -> list[str]:
        low, high = min(min_new_tokens, self.room), min(max_new_tokens, self.room)
        out = []
        for prompt in prompts:  # one at a time: no padding side to get wrong, and contexts are long
            answer, ended = self.model.answer(prompt, self.decoding, low, high)
            out.append(answer if ended else drop_cut_sentence(answer))
        return out

    def summarize(self, text: str, lang: str, length: SummaryLength) -> Summary:
        return model_summary(self, text, lang, length)
