"""Errors a user can act on. The CLI prints them as one line and exits non-zero."""

from __future__ import annotations


class ToolkitError(Exception):
    """A problem the user can fix: the message names it, ``hint`` says how."""

    exit_code = 2

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __reduce__(self):  # keeps the hint when the error crosses processes (Ray tasks, multiprocessing)
        return type(self), (self.message, self.hint)

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class InputError(ToolkitError):
    """Bad input: empty, undecodable, malformed, missing a field."""


class ModelError(ToolkitError):
    """A model that cannot be found, loaded or used for the task."""


class LanguageError(ToolkitError):
    """A language or language pair that no available model covers."""
