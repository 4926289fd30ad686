"""The ``toolkit`` command: parses arguments, calls the library, formats results.

Heavy libraries (torch, transformers) are imported inside commands, never at module level,
so ``toolkit --help`` answers at once.
"""

from __future__ import annotations

import functools
import sys
from typing import Callable, Optional, TypeVar

import typer

from toolkit import __version__
from toolkit.errors import ToolkitError

F = TypeVar("F", bound=Callable)


def user_errors(command: F) -> F:
    """Turn a ToolkitError into one line on stderr and its exit code; Ctrl-C into exit 130."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except ToolkitError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("interrupted: finished results are saved; run the same command again to resume", err=True)
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


app = typer.Typer(
    name="toolkit",
    help="Summarise, translate and score multilingual news (English, Persian, Albanian and more).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"toolkit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Optional[bool] = typer.Option(None, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """Summarise, translate and score multilingual news."""


def main() -> None:
    """Console entry point."""
    app()
