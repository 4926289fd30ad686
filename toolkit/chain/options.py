"""What a chain run does: ``ChainOptions``, and the one builder of them (the commands, the service, eval)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

from toolkit.chain.steps import Step
from toolkit.errors import ToolkitError
from toolkit.languages import get_language
from toolkit.summarize import SummaryLength
from toolkit.text.codes import Protection
from toolkit.translate.glossary import Glossary


@dataclass(frozen=True)
class ChainOptions:
    steps: tuple[Step, ...] = (Step("summarize"),)
    source: str | None = None  # None: detect each article's language
    method: str = "abstractive"
    summary_model: str | None = None
    prompt: str | None = None
    length: SummaryLength = SummaryLength()
    translation_model: str | None = None  # for every target
    translation_models: Mapping[str, str] = field(default_factory=dict)  # per target language
    beams: int = 1  # translation beams
    backend: str = "auto"  # auto | hf | ct2, for the translators and the abstractive summariser
    quantization: str | None = None  # ct2 weights (None: int8 on CPU, float16 on CUDA)
    translation_memory: bool = True  # look up and store finished segments (toolkit cache)
    batch_tokens: int | None = None  # padded tokens per translation batch (None: TOOLKIT_BATCH_TOKENS, else the device default)
    pool_chars: int | None = None  # articles' characters per pool (None: TOOLKIT_POOL_CHARS, else CHAIN_POOL_CHARS)
    protect: bool = True  # URLs, e-mails, placeholders... come back byte for byte
    glossary: Glossary | None = None
    flags: bool = True  # each translated segment checked, its flags in the result

    def protection(self, target: str) -> Protection:
        """What a translation into ``target`` protects: the spans (unless off) and the glossary's terms."""
        return self.glossary.protection(target, self.protect) if self.glossary else Protection(spans=self.protect)

    def model_for(self, target: str) -> str | None:
        """The translation model named for ``target`` (None: the catalogue's)."""
        return self.translation_models.get(target, self.translation_model)


def chain_options(steps: tuple[Step, ...] = (Step("summarize"),), source: str = "auto", method: str = "abstractive",
                  summary_model: str | None = None, prompt: str | None = None, max_words: int | None = None,
                  sentences: int | None = None, models: Sequence[str] = (), beams: int = 1, backend: str = "auto",
                  quantization: str | None = None, memory: bool = True, protect: bool | None = None,
                  glossary: str | None = None, flags: bool | None = None) -> ChainOptions:
    """The one builder of chain options, from the words of the commands, the service and eval:
    ``source`` a language or ``auto`` (detect each article), ``models`` translation models in the
    one grammar (``ID`` for every target, ``LANG=ID`` for one), ``summary_model`` the summariser;
    ``protect``, ``glossary`` (a file) and ``flags`` as the «protect», «glossary» and «flags» settings
    say when None."""
    from toolkit.settings import setting, true_or_false
    from toolkit.translate.factory import parse_model_options
    from toolkit.translate.glossary import job_glossary

    if models and not any(step.kind == "translate" for step in steps):
        raise ToolkitError("«models» names a translation model, and these steps translate nothing",
                           "the summariser is «summary_model»; «targets» (or a translate step) translates the summary")
    default_model, per_target = parse_model_options(list(models))
    targets = [get_language(step.lang).code for step in steps if step.kind == "translate"]
    return ChainOptions(
        steps=steps, source=None if source == "auto" else get_language(source).code, method=method,
        summary_model=summary_model, prompt=prompt, length=SummaryLength(max_words, sentences),
        translation_model=default_model, translation_models=per_target, beams=beams,
        backend=backend, quantization=quantization, translation_memory=memory,
        protect=setting("protect", protect, True, true_or_false), flags=setting("flags", flags, True, true_or_false),
        glossary=job_glossary(glossary, targets),
    )
