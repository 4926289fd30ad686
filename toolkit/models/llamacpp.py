"""GGUF instruction models on llama.cpp (llama-cpp-python, the optional ``llama`` extra): the model is
the GGUF file itself, run quantised as it is (no dequantising); its tokenizer and chat template are
the file's own.

Decoding is the other backends' greedy search, step by step on llama.cpp's logits: the same bounds
(at least ``min_new_tokens``, at most ``max_new_tokens``), the same end tokens, and penalties on the
generated tokens only, as transformers applies them. The context is sized to the longest prompt plus
answer asked so far (not the model's whole window: llama.cpp fills its KV cache at creation).
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from toolkit.errors import ModelError
from toolkit.models.generator import GeneratedText
from toolkit.provenance import DecodingSettings

INSTALL_HINT = "pip install 'toolkit[llama]' (it builds llama.cpp from source: minutes)"
_CONTEXT_STEP = 512  # contexts grow by this many tokens


def engine_version() -> str:
    from importlib import metadata

    return f"llama-cpp-python {metadata.version('llama-cpp-python')}"


def _quantisation(model) -> str | None:
    """The file's quantisation as llama.cpp names it (Q4_1, Q8_0, "Q4_K - Medium"...), from its model
    description ("llama 256M Q4_1"; guessed from the tensors when the file does not say)."""
    import ctypes

    import llama_cpp

    description = ctypes.create_string_buffer(256)
    llama_cpp.llama_model_desc(model, description, len(description))
    parts = description.value.decode("utf-8", errors="replace").split(" ", 2)
    return parts[2].removeprefix("(guessed) ") if len(parts) == 3 else None


class LlamaCppEngine:
    """One GGUF file opened by llama.cpp (its weights mapped, read as they are used)."""

    def __init__(self, path: Path, ref: str, threads: int):
        try:
            import llama_cpp
        except ImportError:
            raise ModelError("the llama.cpp backend needs llama-cpp-python", INSTALL_HINT) from None

        self.path, self.ref, self.threads = path, ref, threads
        self._llama = self._open(_CONTEXT_STEP)
        self.chat_template = self._llama.metadata.get("tokenizer.chat_template")
        self.max_positions = llama_cpp.llama_model_n_ctx_train(self._llama.model)
        self.eos, self.bos = self._llama.token_eos(), self._llama.token_bos()
        self.quantization = _quantisation(self._llama.model)

    def _open(self, context: int):
        from llama_cpp import Llama

        try:
            return Llama(str(self.path), n_ctx=context, n_threads=self.threads, n_threads_batch=self.threads,
                         n_gpu_layers=0, verbose=False)
        except (ValueError, RuntimeError) as exc:
            raise ModelError(f"llama.cpp cannot load model '{self.ref}' from {self.path}: {exc}",
                             "the file may be incomplete or of an architecture this llama.cpp does not know") from None

    def token_text(self, token: int) -> str:
        return self._llama.detokenize([token], special=True).decode("utf-8", errors="replace")

    def tokenize(self, text: str) -> list[int]:
        """The ids of a prompt already in its chat template (special tokens read as such; no BOS added)."""
        return self._llama.tokenize(text.encode("utf-8"), add_bos=False, special=True)

    def decode(self, ids: Sequence[int]) -> str:
        """The text of ``ids``, special tokens left out."""
        return self._llama.detokenize(list(ids)).decode("utf-8", errors="replace")

    def _fit(self, tokens: int) -> None:
        """A context that holds ``tokens`` (a new one, once, when the current one is too small)."""
        if tokens <= self._llama.n_ctx():
            return
        if tokens > self.max_positions:
            raise ModelError(f"model '{self.ref}' takes {self.max_positions} tokens, not {tokens}",
                             "shorten the prompt or ask for a shorter answer")
        context = min(self.max_positions, -(-tokens // _CONTEXT_STEP) * _CONTEXT_STEP)
        self._llama.close()
        self._llama = self._open(context)

    def generate(self, ids: Sequence[int], decoding: DecodingSettings, min_new_tokens: int, max_new_tokens: int,
                 end_ids: tuple[int, ...]) -> GeneratedText:
        """Continue one tokenised prompt greedily: the prompt is evaluated at once, then one token per step."""
        import llama_cpp
        import numpy as np

        if decoding.beams != 1:
            raise ModelError(f"the llama.cpp backend decodes greedily, not with {decoding.beams} beams",
                             "use the ct2 or hf backend for beam search")
        self._fit(len(ids) + max_new_tokens)
        llama, vocab = self._llama, self._llama.n_vocab()
        llama.reset()
        llama.eval(list(ids))
        out: list[int] = []
        for step in range(max_new_tokens):
            logits = np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(llama.ctx, -1), shape=(vocab,)).copy()
            if step < min_new_tokens:
                logits[list(end_ids)] = -np.inf
            _penalise(logits, out, decoding)
            token = int(logits.argmax())
            out.append(token)
            if token in end_ids:
                return GeneratedText(out[:-1], True)
            llama.eval([token])
        return GeneratedText(out, False)


def _penalise(logits, generated: list[int], decoding: DecodingSettings) -> None:
    """transformers' repetition penalty and no-repeat n-gram ban, over the generated tokens only."""
    import numpy as np

    penalty, n = decoding.repetition_penalty, decoding.no_repeat_ngram_size
    if generated and penalty != 1.0:
        seen = np.unique(generated)
        scores = logits[seen]
        logits[seen] = np.where(scores < 0, scores * penalty, scores / penalty)
    if n and len(generated) >= n - 1:
        prefix = generated[len(generated) - n + 1:]
        banned = [generated[i + n - 1] for i in range(len(generated) - n + 1) if generated[i:i + n - 1] == prefix]
        logits[banned] = -np.inf
