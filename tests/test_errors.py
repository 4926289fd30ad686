"""Library errors name settings, not flags; the CLI shows each setting as the flag that sets it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.errors import ToolkitError
from toolkit.summarize import SummaryLength

PACKAGE = Path(__file__).resolve().parents[1] / "toolkit"
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]+")
QUOTED = re.compile(r"`[^`]*`")  # a whole command to run, e.g. `ray start --head`


def _error_texts(path: Path):
    """String parts of every ``SomethingError(...)`` call in a module, with their lines."""
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")).endswith("Error"):
            for part in ast.walk(node):
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    yield part.lineno, part.value


def test_no_library_error_names_a_command_line_flag():
    found = [f"{path.relative_to(PACKAGE.parent)}:{line}: {text}"
             for path in sorted(PACKAGE.rglob("*.py")) if "cli" not in path.relative_to(PACKAGE).parts
             for line, text in _error_texts(path) if FLAG.search(QUOTED.sub("", text))]
    assert found == []


def test_library_callers_see_setting_names_and_cli_users_see_flags():
    try:
        SummaryLength(max_words=5, sentences=2)
        raise AssertionError("both lengths were accepted")
    except ToolkitError as exc:
        assert str(exc).startswith("max_words and sentences were both given")
    result = CliRunner().invoke(app, ["summarize", "A short article. It has two sentences.", "--method", "extractive",
                                      "--max-words", "5", "--sentences", "2"])
    assert result.exit_code == 2
    assert "error: --max-words and --sentences were both given" in result.output
