"""Every hint a message gives works: each test reads the flag or command the message names and runs it."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from toolkit.cli import app

runner = CliRunner()
ARTICLE = "The minister said the talks would continue next week in Tirana. Prices of bread rose by 12 percent."


def _hinted_flag(stderr: str) -> list[str]:
    """The ``--flag [value]`` a one-line message's hint (in its last parentheses) tells the user to add."""
    [line] = stderr.strip().splitlines()
    hint = line[line.rindex("(") + 1:-1]
    flag = re.search(r"(--[a-z-]+)(?: ([a-z]+))?", hint)
    assert flag, line
    return [flag.group(1)] + ([flag.group(2)] if flag.group(2) and flag.group(2) not in ("to", "and", "or") else [])


@pytest.mark.parametrize("command", [["summarize"], ["chain", "--steps", "summarize"]])
def test_undecodable_bytes_the_errors_hint_works(tmp_path, command):
    article = tmp_path / "bad.txt"
    article.write_bytes(ARTICLE.encode() + b" Caf\xff.\n")
    args = [*command, str(article), "--method", "extractive"]
    first = runner.invoke(app, args)
    assert first.exit_code == 2 and "--errors replace" in first.stderr
    assert _hinted_flag(first.stderr) == ["--errors", "replace"]
    second = runner.invoke(app, args + ["--errors", "replace"])
    assert second.exit_code == 0, second.output
    assert "minister" in second.stdout


def test_chain_on_a_csv_without_the_text_column_the_column_hint_works(tmp_path):
    table = tmp_path / "news.csv"
    table.write_text(f'id,body\n1,"{ARTICLE}"\n', "utf-8")
    args = ["chain", str(table), "--steps", "summarize", "--method", "extractive"]
    first = runner.invoke(app, args)
    assert first.exit_code == 2 and "no column 'text'" in first.stderr
    assert _hinted_flag(first.stderr) == ["--column"]
    second = runner.invoke(app, args + ["--column", "body"])
    assert second.exit_code == 0, second.output
    assert "minister" in second.stdout


def _corrupt_memory(tmp_path):
    memory = tmp_path / "toolkit-cache" / "translation-memory.sqlite3"  # TOOLKIT_CACHE_DIR (tests/conftest.py)
    memory.parent.mkdir(parents=True, exist_ok=True)
    memory.write_bytes(b"this is not a database" * 100)
    return memory


@pytest.mark.parametrize("command", [["translate", "Iran and Albania cut ties.", "--to", "sq"],
                                     ["summarize", ARTICLE, "--method", "extractive", "--to", "sq"]])
def test_a_corrupt_translation_memory_both_hints_work(marian_model, tmp_path, command):
    memory = _corrupt_memory(tmp_path)
    args = [*command, "--model", str(marian_model)]
    first = runner.invoke(app, args)
    assert first.exit_code == 2 and "run `toolkit cache clear`, or turn the translation memory off (--no-cache)" in first.stderr
    assert runner.invoke(app, args + ["--no-cache"]).exit_code == 0  # the second hint
    cleared = runner.invoke(app, ["cache", "clear"])  # the first hint
    assert cleared.exit_code == 0, cleared.output
    assert "corrupt" in cleared.stdout and not memory.exists()
    again = runner.invoke(app, args)
    assert again.exit_code == 0, again.output
    assert runner.invoke(app, ["cache", "stats", "--json"]).exit_code == 0
