"""Instruction-tuned (chat) causal language models on any backend, asked one prompt at a time.

A prompt fills the user turn of the model's own chat template; the answer is decoded greedily (or
with beams) on transformers (``hf``), on a ``ctranslate2.Generator`` (``ct2``), or, for a model
imported from a GGUF file, on llama.cpp (``llama.cpp``, greedy only) from that file. hf and ct2
read the same tokenizer and chat template from the model's folder, without transformers (so a ct2
run never imports torch), llama.cpp the GGUF file's own; all apply repetition
penalties to the generated tokens only, so in float32 hf and ct2 give the same answer token for token.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Sequence

from toolkit.errors import InputError, ModelError, ToolkitError
from toolkit.models.generator import GeneratedText, end_token_ids
from toolkit.provenance import DecodingSettings, ModelProvenance


class ChatModel:
    """What every backend shares: the model's description and provenance, read from its files, and
    the prompt in its chat template (one renderer for every backend); the weights load at the first
    answer (``loaded`` says whether they have). A backend sets the template (``_set_template``),
    reads the tokenizer (``token_ids``, ``decode``) and decodes (``_run``)."""

    backend = ""
    engine: str | None = None  # the inference library and its version, where the backend does not imply it

    def __init__(self, ref: str, device: str, quantization: str | None):
        from toolkit.models.backends import model_info

        self.info = info = model_info(ref)
        self.ref, self.source, self.revision, self.family = info.source.ref, info.source, info.revision, info.family
        self.max_input_tokens, self.device, self.quantization = info.max_input_tokens, device, quantization
        self.end_ids = end_token_ids(info)
        self._engine: Any = None

    @property
    def loaded(self) -> bool:
        return self._engine is not None

    def provenance(self, decoding: DecodingSettings) -> ModelProvenance:
        return ModelProvenance(self.ref, self.revision, self.backend, self.family, decoding, self.quantization, self.device,
                               self.engine)

    def prompt_ids(self, prompts: Sequence[str]) -> list[list[int]]:
        return self.token_ids([self.chat(p) for p in prompts])

    def answer(self, prompt: str, decoding: DecodingSettings, min_new_tokens: int, max_new_tokens: int) -> tuple[str, bool]:
        """The model's answer to one prompt, and whether it ended with an end token (not at the bound)."""
        result = self._generate(self.prompt_ids([prompt])[0], decoding, min_new_tokens, max_new_tokens)
        return self.decode(result.ids).strip(), result.ended

    def load(self) -> None:
        """Load the weights now (otherwise they load at the first answer)."""
        if self._engine is None:
            self._engine = self._load()

    def _generate(self, ids: list[int], decoding: DecodingSettings, min_new_tokens: int, max_new_tokens: int) -> GeneratedText:
        self.load()
        return self._run(ids, decoding, min_new_tokens, max_new_tokens)

    def chat(self, prompt: str) -> str:
        """The prompt as the user turn of the model's chat template, ready for the answer."""
        from toolkit.models.chat_template import render_chat

        return render_chat(self.template, [{"role": "user", "content": prompt}], self.special_tokens, self.ref)

    def _set_template(self, template: str | None, special_tokens: dict) -> None:
        if not template:
            raise ModelError(f"model '{self.ref}' has no chat template, so it cannot be given instructions",
                             "pass an instruction-tuned (chat) model")
        self.template, self.special_tokens = template, special_tokens

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        """The ids of each text as it stands (special tokens written out are read as such)."""
        raise NotImplementedError

    def decode(self, ids: Sequence[int]) -> str:
        """The text of an answer's ids, special tokens left out."""
        raise NotImplementedError

    def _load(self) -> Any:
        raise NotImplementedError

    def _run(self, ids: list[int], decoding: DecodingSettings, min_new_tokens: int, max_new_tokens: int) -> GeneratedText:
        raise NotImplementedError


class FolderTokenized(ChatModel):
    """A chat model read with the tokenizer and chat template of its folder (the hf and ct2 backends):
    the ``tokenizers`` library and jinja2, rendering the template as transformers does."""

    def __init__(self, ref: str, device: str, quantization: str | None):
        from toolkit.models.backends import model_tokenizer

        super().__init__(ref, device, quantization)
        self.tokenizer = tokenizer = model_tokenizer(self.info.folder, self.info.family, self.info.revision)
        self._set_template(getattr(tokenizer, "chat_template", None), tokenizer.special_tokens)
        self.end_ids = self.end_ids or (tokenizer.eos_token_id,)

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        return [list(ids) for ids in self.tokenizer.encode(list(texts), special=False)]

    def decode(self, ids: Sequence[int]) -> str:
        return self.tokenizer.decode([ids])[0]


class HFChatModel(FolderTokenized):
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


class CT2ChatModel(FolderTokenized):
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


class LlamaCppChatModel(ChatModel):
    """A model imported from a GGUF file, run from that file (quantised as it is) on llama.cpp, with
    the file's own tokenizer and chat template."""

    backend = "llama.cpp"

    def __init__(self, ref: str, quantization: str | None = None, threads: int | None = None):
        from toolkit.models.gguf import gguf_file
        from toolkit.models.llamacpp import LlamaCppEngine, engine_version
        from toolkit.models.threads import resolve_threads, usable_cores

        super().__init__(ref, "cpu", None)
        path = gguf_file(ref)
        if path is None:
            raise ModelError(f"model '{ref}' was not imported from a GGUF file, which is what the llama.cpp backend runs",
                             "import its GGUF file (toolkit models import FILE.gguf), or use «backend» ct2 or hf")
        # The file is mapped, not read, here: its tokenizer, template and quantisation are known at once.
        self._engine = engine = LlamaCppEngine(path, ref, resolve_threads(threads) or usable_cores())
        if quantization not in (None, engine.quantization):
            raise InputError(f"the llama.cpp backend runs the GGUF file's own quantisation ({engine.quantization}), "
                             f"not {quantization}", "leave out «quantization», or use «backend» ct2")
        self._set_template(engine.chat_template, {"bos_token": engine.token_text(engine.bos),
                                                  "eos_token": engine.token_text(engine.eos)})
        self.quantization, self.engine, self.max_input_tokens = engine.quantization, engine_version(), engine.max_positions
        self.end_ids = self.end_ids or (engine.eos,)

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        return [self._engine.tokenize(text) for text in texts]

    def decode(self, ids: Sequence[int]) -> str:
        return self._engine.decode(ids)

    def _run(self, ids: list[int], decoding: DecodingSettings, min_new_tokens: int, max_new_tokens: int) -> GeneratedText:
        return self._engine.generate(ids, decoding, min_new_tokens, max_new_tokens, self.end_ids)


def load_chat_model(ref: str, backend: str = "auto", quantization: str | None = None, device: str | None = None,
                    threads: int | None = None) -> ChatModel:
    """A chat model on the chosen backend; ``hf`` runs float32 only, ``llama.cpp`` the GGUF file's own
    quantisation on the CPU."""
    from toolkit.models.backends import choose_backend

    chosen = choose_backend(backend, ref, "chat")
    if chosen == "hf":
        if quantization not in (None, "float32"):
            raise ToolkitError(f"the hf backend runs chat models in float32, not {quantization}",
                               "use the ct2 backend for quantised models")
        return HFChatModel(ref, device)
    if chosen == "llama.cpp":
        if device not in (None, "cpu"):
            raise InputError(f"the llama.cpp backend runs on the CPU, not {device}", "use «backend» ct2 or hf for a GPU")
        return LlamaCppChatModel(ref, quantization, threads)
    return CT2ChatModel(ref, quantization, device, threads)
