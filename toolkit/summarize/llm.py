"""Summaries from instruction-tuned causal language models, prompted through their chat template."""

from __future__ import annotations

from typing import Sequence

from toolkit.errors import ModelError
from toolkit.provenance import DecodingSettings, ModelProvenance
from toolkit.summarize.base import Summary, SummaryLength
from toolkit.summarize.model import generation_config, model_summary
from toolkit.templates import Template, load_template

DEFAULT_PROMPT = "summarize-news"
DECODING = DecodingSettings(beams=1, no_repeat_ngram_size=3, repetition_penalty=1.1)
OUTPUT_ROOM = 512  # context kept free for the answer


class ChatLMSummarizer:
    """A causal LM with a chat template; the prompt template fills the user turn."""

    method = "llm"

    def __init__(self, ref: str, prompt: Template | None = None, decoding: DecodingSettings = DECODING):
        from toolkit.models.loading import load_causal_lm

        loaded = load_causal_lm(ref)
        if not getattr(loaded.tokenizer, "chat_template", None):
            raise ModelError(
                f"model '{ref}' has no chat template, so it cannot be given instructions",
                "pass an instruction-tuned (chat) model, or use --method abstractive",
            )
        self.model, self.tokenizer, self.device = loaded.model, loaded.tokenizer, loaded.device
        self.template = prompt or load_template(DEFAULT_PROMPT)
        self.template.check("summarize")
        self.room = min(OUTPUT_ROOM, loaded.max_input_tokens // 4)
        self.max_input_tokens = loaded.max_input_tokens - self.room
        self.decoding = decoding
        self.provenance = ModelProvenance(loaded.source.ref, loaded.revision, "hf", loaded.family, decoding, device=loaded.device)

    def _chat(self, prompt: str) -> str:
        messages = [{"role": "user", "content": prompt}]
        return self.tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)

    def count_prompts(self, prompts: Sequence[str]) -> list[int]:
        chats = [self._chat(p) for p in prompts]
        # verbose=False: no "indexing errors" warning for a text over the limit, which is counted to be chunked.
        return [len(ids) for ids in self.tokenizer(chats, add_special_tokens=False, verbose=False)["input_ids"]]

    def generate_prompts(self, prompts: Sequence[str], min_new_tokens: int, max_new_tokens: int) -> list[str]:
        import torch

        config = generation_config(self.model, self.decoding, min(min_new_tokens, self.room), min(max_new_tokens, self.room))
        out = []
        for prompt in prompts:  # one at a time: no padding side to get wrong, and contexts are long
            inputs = self.tokenizer(self._chat(prompt), return_tensors="pt", add_special_tokens=False).to(self.device)
            with torch.inference_mode():
                ids = self.model.generate(**inputs, generation_config=config)
            answer = ids[0, inputs["input_ids"].shape[1]:]
            out.append(self.tokenizer.decode(answer, skip_special_tokens=True).strip())
        return out

    def summarize(self, text: str, lang: str, length: SummaryLength) -> Summary:
        return model_summary(self, text, lang, length)
