"""Instruction-tuned (chat) causal language models on either backend, asked one prompt at a time.

A prompt fills the user turn of the model's own chat template; the answer is decoded greedily (or
with beams) on transformers (``hf``) or on a ``ctranslate2.Generator`` (``ct2``). Both backends read
the same tokenizer and chat template and apply repetition penalties to the generated tokens only, so
in float32 they give the same answer token for token.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Sequence

from toolkit.errors import ModelError, ToolkitError
from toolkit.models.generator import GeneratedText, causal_tokenizer, end_token_ids
from toolkit.provenance import DecodingSettings, ModelProvenance


class ChatModel:
    """What both backends share: the tokenizer, the chat template and the provenance, all read from
    the model's files; the weights load at the first answer (``loaded`` says whether they have)."""

    backend = ""

    def __init__(self, ref: str, device: str, quantization: str | None):
        from toolkit.models.backends import model_info

        self.info = info = model_info(ref)
        tokenizer = causal_tokenizer(str(info.folder), info.revision)
        if not getattr(tokenizer, "chat_template", None):
            raise ModelError(f"model '{ref}' has no chat template, so it cannot be given instructions",
                             "pass an instruction-tuned (chat) model")
        self.tokenizer = tokenizer
        self.ref, self.source, self.revision, self.family = info.source.ref, info.source, info.revision, info.family
        self.max_input_tokens, self.device, self.quantization = info.max_input_tokens, device, quantization
        self.end_ids = end_token_ids(info) or (tokenizer.eos_token_id,)
        self._engine: Any = None

    @property
    def loaded(self) -> bool:
        return self._engine is not None

    def provenance(self, decoding: DecodingSettings) -> ModelProvenance:
        return ModelProvenance(self.ref, self.revision, self.backend, self.family, decoding, self.quantization, self.device)

    def chat(self, prompt: str) -> str:
        """The prompt as the user turn of the model's chat template, ready for the answer."""
        messages = [{"role": "user", "content": prompt}]
        return self.tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)

    def prompt_ids(self, prompts: Sequence[str]) -> list[list[int]]:
        chats = [self.chat(p) for p in prompts]
        # verbose=False: no "indexing errors" warning for a prompt over the limit, which is counted to be chunked.
        return [list(ids) for ids in self.tokenizer(chats, add_special_tokens=False, verbose=False)["input_ids"]]

    def answer(self, prompt: str, decoding: DecodingSettings, min_new_tokens: int, max_new_tokens: int) -> tuple[str, bool]:
        """The model's answer to one prompt, and whether it ended with an end token (not at the bound)."""
        result = self._generate(self.prompt_ids([prompt])[0], decoding, min_new_tokens, max_new_tokens)
        return self.tokenizer.decode(result.ids, skip_special_tokens=True).strip(), result.ended

    def load(self) -> None:
        """Load the weights now (otherwise they load at the first answer)."""
        if self._engine is None:
            self._engine = self._load()

    def _generate(self, ids: list[int], decoding: DecodingSettings, min_new_tokens: int, max_new_tokens: int) -> GeneratedText:
        self.load()
        return self._run(ids, decoding, min_new_tokens, max_new_tokens)

    def _load(self) -> Any:
        raise NotImplementedError

    def _run(self, ids: list[int], decoding: DecodingSettings, min_new_tokens: int, max_new_tokens: int) -> GeneratedText:
        raise NotImplementedError


class HFChatModel(ChatModel):
    backend = "hf"

    def __init__(self, ref: str, device: str | None = None):
        from toolkit.models.backends.hf import default_device

        super().__init__(ref, default_device(device), None)

    def _load(self) -> Any:
        from toolkit.models.loading import load_causal_lm

        return load_causal_lm(self.ref, self.device).model

    def _run(self, ids: list[int], decoding: DecodingSettings, min_new_tokens: int, max_new_tokens: int) -> GeneratedText:
        import torch
        from transformers import LogitsProcessorList, NoRepeatNGramLogitsProcessor, RepetitionPenaltyLogitsProcessor

        from toolkit.models.backends.hf import generation_config

        # The penalties go in as processors that see the generated tokens only (as ctranslate2 does),
        # so that an answer may repeat the article's names and phrases.
        config = generation_config(self._engine, replace(decoding, repetition_penalty=1.0, no_repeat_ngram_size=0),
                                   min_new_tokens, max_new_tokens)
        processors = LogitsProcessorList()
        if decoding.repetition_penalty != 1.0:
            processors.append(RepetitionPenaltyLogitsProcessor(decoding.repetition_penalty, prompt_ignore_length=len(ids)))
        if decoding.no_repeat_ngram_size:
            processors.append(_GeneratedOnly(NoRepeatNGramLogitsProcessor(decoding.no_repeat_ngram_size), len(ids)))
        inputs = torch.tensor([ids], device=self.device)
        with torch.inference_mode():
            out = self._engine.generate(input_ids=inputs, attention_mask=torch.ones_like(inputs), generation_config=config,
                                        logits_processor=processors)
        new = out[0, len(ids):].tolist()
        ended = bool(new) and new[-1] in self.end_ids
        return GeneratedText(new[:-1] if ended else new, ended)


class CT2ChatModel(ChatModel):
    backend = "ct2"

    def __init__(self, ref: str, quantization: str | None = None, device: str | None = None, threads: int | None = None):
        from toolkit.models.ct2 import ct2_plan
        from toolkit.models.generator import check_generator

        # One generator using every usable core: an LLM answers one long prompt at a time, which
        # parallel single-threaded workers would not speed up.
        self._plan = ct2_plan(device, quantization, threads, parallel=False)
        super().__init__(ref, self._plan.device, self._plan.compute_type)
        check_generator(self.info)  # a family ctranslate2 cannot convert is refused before any work

    def _load(self) -> Any:
        from toolkit.models.generator import load_generator

        return load_generator(self.ref, self._plan)

    def _run(self, ids: list[int], decoding: DecodingSettings, min_new_tokens: int, max_new_tokens: int) -> GeneratedText:
        return self._engine.generate(ids, decoding, min_new_tokens, max_new_tokens)


class _GeneratedOnly:
    """A transformers logits processor applied to the generated part of the sequence only."""

    def __init__(self, inner: Any, prompt_length: int):
        self.inner, self.prompt_length = inner, prompt_length

    def __call__(self, input_ids, scores):
        return self.inner(input_ids[:, self.prompt_length:], scores)


def load_chat_model(ref: str, backend: str = "auto", quantization: str | None = None, device: str | None = None,
                    threads: int | None = None) -> ChatModel:
    """A chat model on the chosen backend; ``hf`` runs float32 only."""
    from toolkit.models.backends import choose_backend

    chosen = choose_backend(backend, ref)
    if chosen == "hf":
        if quantization not in (None, "float32"):
            raise ToolkitError(f"the hf backend runs chat models in float32, not {quantization}",
                               "use the ct2 backend for quantised models")
        return HFChatModel(ref, device)
    return CT2ChatModel(ref, quantization, device, threads)
