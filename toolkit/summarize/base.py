"""The Summarizer interface and the summaries it returns."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Protocol, runtime_checkable

from toolkit.errors import InputError
from toolkit.provenance import ModelProvenance


@dataclass(frozen=True)
class SummaryLength:
    """How long a summary may be: at most ``max_words`` words, or ``sentences`` sentences."""

    max_words: int | None = None
    sentences: int | None = None

    def __post_init__(self) -> None:
        if self.max_words is not None and self.sentences is not None:
            raise InputError("«max_words» and «sentences» were both given", "pass one of them")
        for name, value in (("«max_words»", self.max_words), ("«sentences»", self.sentences)):
            if value is not None and value < 1:
                raise InputError(f"{name} must be at least 1, got {value}")


@dataclass(frozen=True)
class Chunking:
    """How a long input was summarised: chunks at the first level, levels in all."""

    input_tokens: int  # the article's length in model tokens (words for extractive)
    limit: int  # the model's input limit used for chunking
    chunks: int = 1
    levels: int = 1
    overlap_tokens: int = 0


@dataclass(frozen=True)
class Summary:
    """One summary with what made it."""

    text: str
    lang: str
    method: str  # abstractive | extractive | llm
    model: ModelProvenance | None  # None for extractive
    chunking: Chunking
    min_new_tokens: int | None = None
    max_new_tokens: int | None = None
    prompt: str | None = None  # template name or file, where one was used
    algorithm: str | None = None  # extractive ranking, e.g. "lexrank"
    trimmed: bool = False  # cut back at a sentence boundary to honour the length limit
    seconds: float = 0.0

    @property
    def words(self) -> int:
        return len(self.text.split())

    def to_dict(self) -> dict:
        data = asdict(self)
        data["words"] = self.words
        return data


@runtime_checkable
class Summarizer(Protocol):
    """Summarises one cleaned article in language ``lang``."""

    method: str

    def summarize(self, text: str, lang: str, length: SummaryLength) -> Summary:
        ...
