"""Where a result came from: enough to reproduce it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from importlib import metadata


def library_versions() -> dict[str, str]:
    """Versions of toolkit and the libraries that shape its outputs (those installed)."""
    versions = {}
    for dist in ("toolkit", "transformers", "torch", "sentencepiece", "ctranslate2", "sentencex", "sacrebleu"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    return versions


@dataclass(frozen=True)
class DecodingSettings:
    """Decoding options, always passed to the model explicitly, never inherited from its config."""

    beams: int = 1
    max_length_ratio: float = 2.0  # output token bound = ratio * source tokens + offset
    max_length_offset: int = 10
    length_penalty: float = 1.0
    repetition_penalty: float = 1.0
    no_repeat_ngram_size: int = 0

    def max_new_tokens(self, source_tokens: int, ceiling: int) -> int:
        return max(1, min(ceiling, int(self.max_length_ratio * source_tokens) + self.max_length_offset))


@dataclass(frozen=True)
class ModelProvenance:
    """One model as it was used: id, revision, backend, family and decoding."""

    model_id: str
    revision: str | None
    backend: str
    family: str
    decoding: DecodingSettings = field(default_factory=DecodingSettings)
    quantization: str | None = None
    device: str = "cpu"
    engine: str | None = None  # the inference library and its version, where the backend does not imply it

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class PivotProvenance:
    """A translation through a pivot language: the models of both legs (``PivotTranslator``)."""

    pivot: str
    first: ModelProvenance | PivotProvenance  # source -> pivot
    second: ModelProvenance | PivotProvenance  # pivot -> target

    @property
    def device(self) -> str:
        return self.first.device  # where the batches the caller sizes run

    def to_dict(self) -> dict:
        return {"pivot": self.pivot, "legs": [self.first.to_dict(), self.second.to_dict()]}
