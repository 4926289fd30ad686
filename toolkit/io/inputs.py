"""Inputs as a stream of records: text arguments, stdin, files, folders, JSONL and CSV/TSV."""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from toolkit.errors import InputError

DOCUMENT_SUFFIXES = (".txt", ".md")
TABLE_SUFFIXES = {".csv": ",", ".tsv": "\t"}


@dataclass(frozen=True)
class InputOptions:
    field: str = "text"  # JSONL field to translate
    id_field: str = "id"
    column: str = "text"  # CSV/TSV column to translate
    errors: str = "strict"  # or "replace": undecodable bytes become U+FFFD
    skip_bad: bool = False  # malformed records go to the rejects file instead of stopping the job
    suffixes: tuple[str, ...] = DOCUMENT_SUFFIXES  # document files taken from folders


@dataclass(frozen=True)
class Record:
    """One unit of work. ``key`` is stable across runs of the same job (used to resume)."""

    key: str
    id: str
    text: str
    origin: str  # "file:line" for messages
    fields: dict | None = None  # the whole JSONL object or CSV row, kept in the output
    relpath: str | None = None  # for folder inputs: the path to mirror in the output folder


@dataclass(frozen=True)
class Reject:
    origin: str
    reason: str
    raw: str


@dataclass
class InputSet:
    """Classified inputs: ``kind`` is 'documents', 'jsonl' or 'table' (CSV/TSV)."""

    kind: str
    items: list[str]
    options: InputOptions
    columns: list[str] = field(default_factory=list)  # table inputs: the shared header

    def fingerprint(self) -> list:
        """What identifies these inputs for resuming: paths and sizes."""
        parts = []
        for item in self.items:
            path = Path(item)
            parts.append([str(path.resolve()), path.stat().st_size] if path.is_file() else item)
        return parts


def classify(inputs: list[str], options: InputOptions) -> InputSet:
    """Decide what kind of job the inputs make; mixed structured and document inputs are refused."""
    if not inputs:
        raise InputError("no input given", "pass a text, a file, a folder, or - for standard input")
    kinds = set()
    for item in inputs:
        path = Path(item)
        if item == "-" or path.is_dir():
            kinds.add("documents")
        elif path.is_file():
            suffix = path.suffix.lower()
            kinds.add("jsonl" if suffix == ".jsonl" else "table" if suffix in TABLE_SUFFIXES else "documents")
        elif path.suffix.lower() in (*DOCUMENT_SUFFIXES, ".jsonl", *TABLE_SUFFIXES) or "/" in item:
            raise InputError(f"no such file or folder: {item}", "check the path")
        else:
            kinds.add("documents")  # a literal text
    if len(kinds) > 1:
        raise InputError("cannot mix JSONL, CSV/TSV and document inputs in one job", "run one command per kind")
    input_set = InputSet(kinds.pop(), list(inputs), options)
    if input_set.kind == "table":
        input_set.columns = _table_columns(input_set)
    return input_set


def _table_columns(inputs: InputSet) -> list[str]:
    """The shared header of CSV/TSV inputs, checked before any work starts."""
    columns: list[str] = []
    for item in inputs.items:
        with open(item, "rb") as f:
            first = decode(f.readline(), item, inputs.options.errors)
        header = next(csv.reader([first], delimiter=TABLE_SUFFIXES[Path(item).suffix.lower()]), [])
        if not header:
            raise InputError(f"{item}: the input is empty", "give a CSV/TSV file with a header row")
        if inputs.options.column not in header:
            raise InputError(f"{item}: no column '{inputs.options.column}' (columns: {', '.join(header)})", "pass --column NAME")
        if columns and header != columns:
            raise InputError(f"{item}: columns differ from {inputs.items[0]}", "translate tables with other columns separately")
        columns = header
    return columns


def decode(data: bytes, where: str, errors: str, line: int = 1) -> str:
    """UTF-8 text (a BOM is dropped) of a file, or of its line number ``line``; undecodable bytes
    name their line unless errors='replace'."""
    try:
        return data.decode("utf-8-sig", errors=errors)
    except UnicodeDecodeError as exc:
        bad_line = line + data[: exc.start].count(b"\n")
        raise InputError(
            f"{where}:{bad_line}: bytes that are not UTF-8 ({data[exc.start:exc.start + 4]!r})",
            "convert the file to UTF-8, or pass --errors replace to go on",
        ) from None


def _require_text(text: str, origin: str) -> str:
    if not text.strip():
        raise InputError(f"{origin}: the input is empty", "pass a file or text that is not empty")
    return text


def _document_files(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)


def read_documents(inputs: InputSet, rejects: list[Reject]) -> Iterator[Record]:
    """Documents; with skip_bad, an empty or undecodable file goes to ``rejects`` and the rest go on."""
    opts = inputs.options

    def from_file(file: Path, key: str, record_id: str, relpath: str) -> Iterator[Record]:
        try:
            text = _require_text(decode(file.read_bytes(), str(file), opts.errors), str(file))
        except InputError as exc:
            if not opts.skip_bad:
                raise
            rejects.append(Reject(str(file), exc.message, ""))
            return
        yield Record(key, record_id, text, str(file), relpath=relpath)

    for n, item in enumerate(inputs.items):
        path = Path(item)
        if item == "-":
            text = decode(sys.stdin.buffer.read(), "<stdin>", opts.errors)
            yield Record(f"{n}", "stdin", _require_text(text, "<stdin>"), "<stdin>")
        elif path.is_dir():
            files = _document_files(path, opts.suffixes)
            if not files:
                raise InputError(f"{path}: no {'/'.join(opts.suffixes)} files in this folder", "check the folder")
            for file in files:
                rel = str(file.relative_to(path))
                yield from from_file(file, f"{n}:{rel}", rel, rel)
        elif path.is_file():
            yield from from_file(path, f"{n}", item, path.name)
        else:
            yield Record(f"{n}", f"text-{n + 1}", _require_text(item, "text argument"), "text argument")


def read_jsonl(inputs: InputSet, rejects: list[Reject]) -> Iterator[Record]:
    """JSONL records; with skip_bad, malformed lines and records without the field go to ``rejects``."""
    opts = inputs.options
    for n, item in enumerate(inputs.items):
        seen = False
        with open(item, "rb") as f:
            for line_no, raw in enumerate(f, 1):
                origin = f"{item}:{line_no}"
                line = decode(raw, item, opts.errors, line_no)
                if not line.strip():
                    continue
                seen = True
                try:
                    obj = json.loads(line)
                    if not isinstance(obj, dict):
                        raise ValueError("not a JSON object")
                except ValueError as exc:
                    _bad(rejects, opts, origin, f"malformed JSON ({exc})", line)
                    continue
                text = obj.get(opts.field)
                if not isinstance(text, str):
                    fields = ", ".join(obj) or "none"
                    _bad(rejects, opts, origin, f"no text field '{opts.field}' (fields: {fields})", line)
                    continue
                record_id = str(obj.get(opts.id_field, f"line-{line_no}"))
                yield Record(f"{n}:{line_no}", record_id, text, origin, fields=obj)
        if not seen:
            raise InputError(f"{item}: the input is empty", "give a JSONL file with one object per line")


def _bad(rejects: list[Reject], opts: InputOptions, origin: str, reason: str, raw: str) -> None:
    if not opts.skip_bad:
        raise InputError(f"{origin}: {reason}", "fix the line, or pass --skip-bad to write it to a rejects file and go on")
    rejects.append(Reject(origin, reason, raw.rstrip("\n")))


def read_table(inputs: InputSet) -> Iterator[Record]:
    """CSV/TSV rows, read as a stream; the header must have the column to translate."""
    opts = inputs.options
    for n, item in enumerate(inputs.items):
        delimiter = TABLE_SUFFIXES[Path(item).suffix.lower()]
        with open(item, "rb") as f:
            lines = (decode(raw, item, opts.errors, i) for i, raw in enumerate(f, 1))
            reader = csv.DictReader(lines, delimiter=delimiter)
            rows = 0
            for row in reader:
                rows += 1
                line = reader.line_num
                yield Record(f"{n}:{line}", str(row.get(opts.id_field) or f"row-{rows}"), row[opts.column] or "",
                             f"{item}:{line}", fields=row)
        if rows == 0:
            raise InputError(f"{item}: the input has a header but no rows", "add rows to translate")


def read_records(inputs: InputSet, rejects: list[Reject]) -> Iterator[Record]:
    if inputs.kind == "jsonl":
        return read_jsonl(inputs, rejects)
    if inputs.kind == "table":
        return read_table(inputs)
    return read_documents(inputs, rejects)
