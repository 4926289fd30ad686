"""The ``toolkit`` command: one module per command group; each parses, calls the library, prints.

Heavy libraries (torch, transformers) are imported inside commands, never at module level,
so ``toolkit --help`` answers at once.
"""

# Each module registers its commands on ``app``; the import order is the order of ``toolkit --help``.
from toolkit.cli import translate  # noqa: F401,I001
from toolkit.cli import chain  # noqa: F401
from toolkit.cli import eval as eval_commands  # noqa: F401
from toolkit.cli import models  # noqa: F401
from toolkit.cli import prompts  # noqa: F401
from toolkit.cli import cache  # noqa: F401
from toolkit.cli import serve  # noqa: F401
from toolkit.cli.common import app


def main() -> None:
    """Console entry point."""
    app()


__all__ = ["app", "main"]
