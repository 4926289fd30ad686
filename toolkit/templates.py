"""Prompt templates: plain files with named variables, shipped in ``prompts/`` or the user's own.

A template is text with ``{variable}`` fields (``{{`` and ``}}`` for literal braces). Leading
lines starting with ``#`` are its header: ``# task: summarize`` names the task it is for, the
other header lines describe it. Each task provides a fixed set of variables; a template naming
any other variable is refused before a model is loaded.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from toolkit.errors import InputError

TASK_VARIABLES = {
    "summarize": ("text", "source_lang", "target_lang", "max_words"),
    "translate": ("text", "source_lang", "target_lang"),
}


@dataclass(frozen=True)
class Template:
    name: str  # file stem for shipped templates, the path for a user's file
    body: str
    task: str | None = None
    description: str = ""

    @property
    def variables(self) -> tuple[str, ...]:
        names: list[str] = []
        for _, field, _, _ in string.Formatter().parse(self.body):
            if field is not None:
                name = field.split(".")[0].split("[")[0]
                if not name:
                    raise InputError(f"prompt '{self.name}' has an unnamed field {{}}", "name every field, e.g. {text}")
                if name not in names:
                    names.append(name)
        return tuple(names)

    def check(self, task: str) -> None:
        """Refuse a template for another task, or one naming a variable ``task`` does not provide."""
        if self.task and self.task != task:
            raise InputError(f"prompt '{self.name}' is for the {self.task} task, not {task}", "pick a prompt listed by `toolkit prompts list`")
        provided = TASK_VARIABLES[task]
        for name in self.variables:
            if name not in provided:
                raise InputError(
                    f"prompt '{self.name}' uses the variable {{{name}}}, which the {task} task does not provide",
                    f"use only {', '.join('{' + v + '}' for v in provided)}",
                )

    def render(self, task: str, **values: object) -> str:
        self.check(task)
        return self.body.format(**values)


def parse_template(name: str, raw: str) -> Template:
    header: list[str] = []
    lines = raw.splitlines(keepends=True)
    while lines and lines[0].startswith("#"):
        header.append(lines.pop(0)[1:].strip())
    task = None
    about = []
    for line in header:
        key, _, value = line.partition(":")
        if key.strip().lower() == "task" and value.strip():
            task = value.strip()
        else:
            about.append(line)
    return Template(name, "".join(lines).strip("\n"), task, " ".join(about).strip())


def _shipped():
    return resources.files("toolkit").joinpath("prompts")


def list_templates() -> list[Template]:
    """The templates shipped with the toolkit, by name."""
    files = sorted((f for f in _shipped().iterdir() if f.name.endswith(".txt")), key=lambda f: f.name)
    return [parse_template(f.name[:-4], f.read_text("utf-8")) for f in files]


def load_template(ref: str) -> Template:
    """A shipped template by name, or a template file by path."""
    path = Path(ref).expanduser()
    if path.is_file():
        try:
            return parse_template(str(path), path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read prompt file {path}: {exc}") from None
    shipped = _shipped().joinpath(f"{ref}.txt")
    if shipped.is_file():
        return parse_template(ref, shipped.read_text("utf-8"))
    names = ", ".join(t.name for t in list_templates())
    raise InputError(f"no prompt named '{ref}' and no such file", f"use a file path or one of: {names}")
