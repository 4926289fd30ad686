"""The steps grammar: ``summarize,translate:fa,translate:sq`` and the ``--steps``/``--to`` choice."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from toolkit.errors import InputError, ToolkitError
from toolkit.languages import get_language


@dataclass(frozen=True)
class Step:
    kind: str  # "summarize" or "translate"
    lang: str | None = None  # translate target

    def __str__(self) -> str:
        return f"translate:{self.lang}" if self.kind == "translate" else self.kind


def parse_steps(value: str) -> tuple[Step, ...]:
    """``summarize,translate:fa,translate:sq`` -> steps; unknown words name themselves."""
    steps: list[Step] = []
    for word in (w.strip() for w in value.split(",")):
        if not word:
            continue
        name, _, lang = word.partition(":")
        if name in ("summarize", "summarise") and not lang:
            if any(s.kind == "summarize" for s in steps):
                raise InputError("«steps» has 'summarize' twice", "summarise once; translate the summary after it")
            steps.append(Step("summarize"))
        elif name == "translate" and lang:
            steps.append(Step("translate", get_language(lang).code))
        else:
            raise InputError(f"unknown step '{word}' in «steps»", "use summarize and translate:LANG, e.g. summarize,translate:fa")
    if not steps:
        raise InputError("«steps» is empty", "e.g. summarize,translate:fa,translate:sq")
    return tuple(steps)


def default_steps(targets: Sequence[str]) -> tuple[Step, ...]:
    return (Step("summarize"), *(Step("translate", t) for t in targets))


def plan_steps(steps: str | None, targets: str | None, default_targets: str = "") -> tuple[Step, ...]:
    """The steps from ``--steps``, or summarise then translate into each of ``--to``; not both."""
    from toolkit.languages import parse_language_list

    if steps and targets:
        raise ToolkitError("«targets» and «steps» were both given", "name the languages in «steps», e.g. summarize,translate:fa")
    if steps:
        return parse_steps(steps)
    targets = targets or default_targets
    return default_steps(parse_language_list(targets) if targets else [])
