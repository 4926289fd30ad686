"""Every `toolkit ...` command written in README.md and docs/*.md exists, with every option it uses:
read from code blocks and inline code, checked against the CLI itself (so the docs cannot drift)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import typer

from toolkit.cli import app

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_FENCE = re.compile(r"^\s*(```|~~~)")
_INLINE = re.compile(r"`([^`]*\btoolkit\b[^`]*)`")
_ENV = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_SEPARATORS = {"&&", "||", "|", ";", "&", "(", ")"}


def commands(text: str) -> list[tuple[int, str, list[str]]]:
    """(line number, command as written, its words after ``toolkit``) for each command in a Markdown
    text: shell lines of code blocks and inline code (after ``&&``, ``|``, environment settings or
    ``time`` too)."""
    found = []
    in_block, pending, start = False, "", 0
    for number, line in enumerate(text.splitlines(), 1):
        if _FENCE.match(line):
            in_block, pending = not in_block, ""
            continue
        for match in _INLINE.finditer(line):
            found.extend((number, " ".join(words), words[1:]) for words in _shell_commands(match.group(1)))
        if not in_block or "`" in line:  # inline code in a block (an error message quoting a command): read above
            continue
        if not pending:
            start = number
        pending += line
        if line.rstrip().endswith("\\"):  # a command continued on the next line
            pending = pending.rstrip()[:-1] + " "
            continue
        for words in _shell_commands(pending):
            found.append((start, " ".join(words), words[1:]))
        pending = ""
    return found


def _shell_commands(line: str) -> list[list[str]]:
    """The words of each ``toolkit`` command on a shell line (or in inline code)."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split, lexer.commenters = True, "#"
    try:
        tokens = list(lexer)
    except ValueError:
        return []
    out, current = [], []
    for token in [*tokens, ";"]:
        if token in _SEPARATORS or set(token) <= set("<>&|;"):
            while current and (_ENV.match(current[0]) or current[0] in ("time", "$", "sudo")):
                current.pop(0)
            if current and current[0] == "toolkit":
                out.append(current)
            current = []
        else:
            current.append(token)
    return out


def _option_names(command) -> set[str]:
    names = {"--help"}
    for param in command.params:
        if param.param_type_name == "option":
            names.update(param.opts, param.secondary_opts)
    return names


def problem(words: list[str], root) -> str | None:
    """What is wrong with a command's words (after ``toolkit``), or None. ``root`` is the click command
    Typer builds (its own click copy in recent versions, so groups are told by their ``commands``)."""
    command, path = root, ["toolkit"]
    words = [w.strip("[]") for w in words if w.strip("[]")]
    i = 0
    while i < len(words):
        word = words[i]
        if word.startswith("-") and word != "-":
            name = word.split("=", 1)[0]
            if name not in _option_names(command):
                return f"`{' '.join(path)}` has no option {name}"
        elif hasattr(command, "commands"):  # a group: the word names one of its commands
            alternatives = [word]
            while i + 2 < len(words) and words[i + 1] == "/":  # `toolkit eval score / compare / run`
                alternatives.append(words[i + 2])
                i += 2
            missing = [w for w in alternatives if w not in command.commands and not re.fullmatch(r"[A-Z_]+|\.\.\.", w)]
            if missing:
                return f"`{' '.join(path)}` has no command {', '.join(missing)}"
            if len(alternatives) > 1 or alternatives[0] not in command.commands:
                return None  # several commands, or a placeholder: their options are not checked
            command = command.commands[word]
            path.append(word)
        i += 1
    return None


def check(path: Path, text: str) -> list[str]:
    root = typer.main.get_command(app)
    return [f"{path.name}:{number}: {written}: {reason}" for number, written, words in commands(text)
            if (reason := problem(words, root))]


def test_every_documented_command_exists_with_its_options():
    problems = [p for doc in DOCS for p in check(doc, doc.read_text("utf-8"))]
    assert not problems, "commands in the docs that the CLI does not have:\n" + "\n".join(problems)


def test_the_check_finds_documented_commands_and_reports_every_bad_one():
    text = "\n".join([
        "Run `toolkit translate FILE --to sq --no-such-flag` or `toolkit eval score / compare / run`.",
        "```bash",
        "HF_HUB_OFFLINE=1 toolkit translate a.txt --to sq   # a comment --not-an-option",
        "pip install '.[ct2]' && toolkit translat a.txt",
        "toolkit eval run suite.yaml \\",
        "    --outputs o.jsonl --no-such-option",
        "toolkit models convert ID [--quantization int8] [--force]",
        "from toolkit.chain import run_chain",
        "```",
        "`toolkit prompts list / shows`; time it: `time toolkit summarize a.txt --max-word 60`.",
    ])
    found = commands(text)
    assert [(n, w[:2]) for n, _, w in found] == [
        (1, ["translate", "FILE"]), (1, ["eval", "score"]), (3, ["translate", "a.txt"]), (4, ["translat", "a.txt"]),
        (5, ["eval", "run"]), (7, ["models", "convert"]), (10, ["prompts", "list"]), (10, ["summarize", "a.txt"])]
    assert check(Path("doc.md"), text) == [
        "doc.md:1: toolkit translate FILE --to sq --no-such-flag: `toolkit translate` has no option --no-such-flag",
        "doc.md:4: toolkit translat a.txt: `toolkit` has no command translat",
        "doc.md:5: toolkit eval run suite.yaml --outputs o.jsonl --no-such-option: `toolkit eval run` has no option --no-such-option",
        "doc.md:10: toolkit prompts list / shows: `toolkit prompts` has no command shows",
        "doc.md:10: toolkit summarize a.txt --max-word 60: `toolkit summarize` has no option --max-word",
    ]


def _commands(command, path=("toolkit",)):
    """Every command below ``command`` with its path."""
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, (*path, name))


def test_every_option_a_help_text_names_exists():
    # Help that names an option no command has sends the user nowhere (an option of another command,
    # as `models import` naming translate's --model, is fine).
    commands = [(path, c) for path, c in _commands(typer.main.get_command(app)) if not hasattr(c, "commands")]
    every = set().union(*(_option_names(c) for _, c in commands))
    problems = [f"{' '.join(path)}: its help names {named}" for path, command in commands
                for text in [command.help or "", *(getattr(p, "help", None) or "" for p in command.params)]
                for named in re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", text) if named not in every]
    assert not problems, "\n".join(problems)
