"""Errors a user can act on. The CLI prints them as one line and exits non-zero.

A message names one of the library's settings as ``«name»`` (the keyword a library caller passes,
e.g. ``«max_words»``); ``str()`` shows the plain name, and the CLI shows its flag (``--max-words``).
"""

from __future__ import annotations

import re
from typing import Callable

_SETTING = re.compile(r"«(\w+)»")


class ToolkitError(Exception):
    """A problem the user can fix: the message names it, ``hint`` says how."""

    exit_code = 2

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __reduce__(self):  # keeps the hint when the error crosses processes (Ray tasks, multiprocessing)
        return type(self), (self.message, self.hint)

    def render(self, setting: Callable[[str], str] = str, hint: bool = True) -> str:
        """The message (and hint), each setting named by ``setting(name)``: the plain name by default."""
        def named(text: str) -> str:
            return _SETTING.sub(lambda m: setting(m.group(1)), text)

        return f"{named(self.message)} ({named(self.hint)})" if hint and self.hint else named(self.message)

    def __str__(self) -> str:
        return self.render()


class InputError(ToolkitError):
    """Bad input: empty, undecodable, malformed, missing a field."""


class ModelError(ToolkitError):
    """A model that cannot be found, loaded or used for the task."""


class LanguageError(ToolkitError):
    """A language or language pair that no available model covers."""
