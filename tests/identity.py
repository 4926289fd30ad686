"""A translator that returns its input: a test double of the model only, so that everything around
the model (segmenting, pooling, batching, reassembling, resuming) runs for real and its output can
be compared with the input byte for byte."""

from __future__ import annotations

import re
from math import ceil
from typing import Sequence

from toolkit.provenance import ModelProvenance

# Roughly as a subword tokenizer counts: a word of up to 6 characters is one token, a longer word
# more; every other visible character is one.
_TOKEN = re.compile(r"\w+|[^\w\s]")


class Stopped(Exception):
    """The job was stopped part way (as if killed)."""


class IdentityTranslator:
    """``translate_batch`` returns the sentences; ``fail_after`` batches, it raises (a killed job)."""

    def __init__(self, source: str = "en", target: str = "sq", max_input_tokens: int = 24,
                 fail_after: int | None = None):
        self.source, self.target = source, target
        self.max_input_tokens = max_input_tokens
        self.bound_reached = 0
        self.provenance = ModelProvenance(model_id="identity", revision="1", backend="test", family="identity")
        self.fail_after = fail_after
        self.batches: list[list[str]] = []

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [sum(ceil(len(t) / 6) for t in _TOKEN.findall(text)) + 1 for text in texts]  # + the end token

    def translate_batch(self, sentences: Sequence[str]) -> list[str]:
        if self.fail_after is not None and len(self.batches) >= self.fail_after:
            raise Stopped(f"stopped after {self.fail_after} batches")
        assert all(n <= self.max_input_tokens for n in self.count_tokens(sentences)), "a sentence over the limit"
        assert all(s == s.strip() and s for s in sentences), "a sentence with whitespace around it"
        self.batches.append(list(sentences))
        return list(sentences)
