"""Inputs as a stream of records: text arguments, stdin, files, folders, JSONL and CSV/TSV."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import shlex
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Union

from toolkit.errors import InputError
from toolkit.formats import (CONVERTED, SUFFIXES as FORMAT_SUFFIXES, FormatOptions, check_document_size, check_supported, decode,
                             document_text, format_for, is_binary, parts_text, reading_name)
from toolkit.io.files import fingerprint

TEXT_SUFFIXES = (".txt", ".md")
DOCUMENT_SUFFIXES = (*TEXT_SUFFIXES, *FORMAT_SUFFIXES, *CONVERTED)
TABLE_SUFFIXES = {".csv": ",", ".tsv": "\t"}
_READABLE = ", ".join(DOCUMENT_SUFFIXES) + ", .jsonl, .csv or .tsv"  # what a refusal says toolkit reads


@dataclass(frozen=True)
class InputOptions:
    field: str = "text"  # JSONL field to translate
    id_field: str = "id"
    column: str = "text"  # CSV/TSV column to translate
    errors: str = "strict"  # or "replace": undecodable bytes become U+FFFD
    skip_bad: bool = False  # malformed records go to the rejects file instead of stopping the job (a folder's documents always do)
    suffixes: tuple[str, ...] = DOCUMENT_SUFFIXES  # document files taken from folders
    as_text: bool = False  # documents read as their plain text (toolkit.formats.reading), as summarize and chain do

    def __post_init__(self) -> None:
        if self.errors not in ("strict", "replace"):
            raise InputError(f"«errors» must be strict or replace, not '{self.errors}'")


@dataclass(frozen=True)
class Record:
    """One unit of work.

    ``unit`` names the input it came from (a file, a folder's file, a text argument); ``key`` is
    the record's identity within the job (its unit and line), stable across runs of the same job:
    a resumed job skips records by key, never by count.
    """

    key: str
    id: str
    text: str
    origin: str  # "file:line" for messages
    fields: dict | None = None  # the whole JSONL object or CSV row, kept in the output
    relpath: str | None = None  # documents: the path an output folder mirrors (``Document.relpath``)
    unit: str = ""
    data: bytes | None = None  # a binary document's bytes (DOCX); ``text`` is then its plain text


@dataclass(frozen=True)
class Reject:
    """A record set aside (malformed, empty, undecodable): written to the job's rejects file."""

    origin: str
    reason: str
    raw: str
    unit: str = ""


Item = Union[Record, Reject]


@dataclass(frozen=True)
class Finished:
    """One record done: ``output`` is the output record exactly as a JSON line of the job carries it;
    ``texts`` the result texts by language (what a document output writes as files); ``result`` the
    typed result, when the processing function has one (``ChainResult``); ``counts`` what it adds to
    the job's counters (e.g. flagged segments), kept per input unit so that a rerun which reuses the
    unit's output counts them too."""

    record: Record
    output: dict
    texts: dict[str, str] = field(default_factory=dict)
    result: Any = None
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Document:
    """One document of the inputs, before it is read: ``item`` is the input it comes from (``-``, a
    text, a file or a folder), ``unit`` and ``id`` its record's, ``relpath`` its place below the
    inputs' common folder (a folder's content, a file's name, ``text-N.txt``: what an output folder
    mirrors), ``file`` the file to read (None for standard input and texts); ``in_folder``: found in
    a folder given as input (one that cannot be read is set aside, the others go on)."""

    item: str
    unit: str
    id: str
    relpath: str
    file: Path | None = None
    in_folder: bool = False

    @property
    def name(self) -> str:
        """How messages name it: its file, ``<stdin>``, or ``text argument N``."""
        if self.file is not None:
            return str(self.file)
        return "<stdin>" if self.item == "-" else f"text argument {self.unit.removeprefix('text:')}"


def _text_digest(text: str) -> list:
    return ["sha256", hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]]


@dataclass
class InputSet:
    """Classified inputs: ``kind`` is 'documents', 'jsonl' or 'table' (CSV/TSV)."""

    kind: str
    items: list[str]
    options: InputOptions
    columns: list[str] = field(default_factory=list)  # table inputs: the shared header
    _stdin: str | None = field(default=None, repr=False)

    @property
    def stdin(self) -> str:
        """Standard input (when ``-`` is an input), read once, when first needed."""
        if self._stdin is None:
            self._stdin = decode(sys.stdin.buffer.read(), "<stdin>", self.options.errors)
        return self._stdin

    def units(self) -> dict[str, list]:
        """What identifies each input unit's content, for resuming: ``{unit: fingerprint}``, where a
        unit is a file (size and modification time), a folder's file, or a text argument (hash)."""
        units: dict[str, list] = {}
        for n, item in enumerate(self.items):
            path, kind = Path(item), path_kind(item)
            if item == "-":
                units["<stdin>"] = _text_digest(self.stdin)
            elif kind == "dir":
                root = path.resolve()
                units.update({(root / file.relative_to(path)).as_posix(): fingerprint(file)[""]
                              for file in _document_files(path, self.options.suffixes)})
            elif kind == "file":
                units[path.resolve().as_posix()] = fingerprint(path)[""]
            else:
                units[f"text:{n + 1}"] = _text_digest(item)
        return units

    def documents(self) -> list[Document]:
        """The documents of ``documents`` inputs, in order, listed (not read)."""
        roots = [Path(i).resolve() if kind == "dir" else Path(i).resolve().parent
                 for i in self.items if i != "-" and (kind := path_kind(i)) is not None]
        common = Path(os.path.commonpath(roots)) if roots else None
        documents = []
        for n, item in enumerate(self.items):
            path, kind = Path(item), path_kind(item)
            if item == "-":
                documents.append(Document(item, "<stdin>", "stdin", "stdin.txt"))
            elif kind == "dir":
                root = path.resolve()
                prefix = root.relative_to(common)
                files = _document_files(path, self.options.suffixes)
                if not files:
                    raise InputError(f"{path}: no {'/'.join(self.options.suffixes)} files in this folder", "check the folder")
                for file in files:
                    rel = file.relative_to(path)
                    documents.append(Document(item, (root / rel).as_posix(), rel.as_posix(),
                                              reading_name((prefix / rel).as_posix(), self.options.as_text), file, True))
            elif kind == "file":
                relpath = (path.resolve().parent.relative_to(common) / path.name).as_posix()
                documents.append(Document(item, path.resolve().as_posix(), item, reading_name(relpath, self.options.as_text),
                                          path))
            else:
                documents.append(Document(item, f"text:{n + 1}", f"text-{n + 1}", f"text-{n + 1}.txt"))
        return documents

    @property
    def sets_aside(self) -> bool:
        """Whether the job may write records to its rejects file: with skip_bad, or with a folder among
        its inputs (a document of a folder that cannot be read is set aside even without it)."""
        return self.options.skip_bad or (self.kind == "documents" and any(path_kind(i) == "dir" for i in self.items))

    def count(self) -> int | None:
        """How many records the inputs hold (for a progress bar), counted without parsing; None when
        that cannot be known cheaply. Reads JSONL and table inputs once."""
        if self.kind == "documents":
            return len(self.documents())
        total = 0
        for item in self.items:
            with open(item, "rb") as f:
                total += sum(1 for line in f if line.strip())
        return total - (len(self.items) if self.kind == "table" else 0)


def _looks_like_path(item: str) -> bool:
    """A missing path rather than a literal text: no whitespace, and a path separator or an input
    suffix (``news/today.jsonl``, ``a.txt``; not ``The vote was 50/50.``)."""
    if any(c.isspace() for c in item):
        return False
    return "/" in item or "\\" in item or Path(item).suffix.lower() in (*DOCUMENT_SUFFIXES, ".jsonl", ".json", *TABLE_SUFFIXES)


def _check_readable(path: Path) -> None:
    """A file the job can read and name (in messages, checkpoints and outputs: its name is UTF-8)."""
    if _lone_surrogate(str(path)) is not None:  # bytes that are not UTF-8, as Python names them
        shown = os.fsencode(path).decode("utf-8", "backslashreplace")
        raise InputError(f"{shown}: a file name that is not UTF-8", "rename the file")
    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}", "check the file's permissions") from None


def path_kind(item: str) -> str | None:
    """``"dir"`` or ``"file"`` for an input that names one, else None: a text argument (one too long
    to be a file name included) or a missing path."""
    try:
        path = Path(item)
        return "dir" if path.is_dir() else "file" if path.is_file() else None
    except OSError:  # e.g. a name over the file system's limit: a text, not a path
        return None


def classify(inputs: list[str], options: InputOptions) -> InputSet:
    """Decide what kind of job the inputs make; mixed structured and document inputs are refused."""
    if not inputs:
        raise InputError("no input given", "pass a text, a file, a folder, or - for standard input")
    kinds = set()
    for item in inputs:
        path, kind = Path(item), path_kind(item)
        if item == "-":
            kinds.add("documents")
        elif kind == "dir":
            kinds.add("documents")
            for file in _document_files(path, options.suffixes):  # every file, even with skip_bad: not bad data
                _check_readable(file)
        elif kind == "file":
            _check_readable(path)
            check_supported(item)
            suffix = path.suffix.lower()
            if suffix == ".json":
                convert = f"jq -c '.[]' {shlex.quote(item)} > {shlex.quote(str(path.with_suffix('.jsonl')))}"
                raise InputError(f"{item}: a JSON document, not JSON lines",
                                 f"convert it to one object per line: {convert}, and give the .jsonl file")
            if suffix and suffix not in (".jsonl", *TABLE_SUFFIXES, *DOCUMENT_SUFFIXES):
                raise InputError(f"{item}: not a document of a kind toolkit reads (its extension is {suffix})",
                                 f"give {_READABLE} files; to translate it as plain text, name it .txt")
            kinds.add("jsonl" if suffix == ".jsonl" else "table" if suffix in TABLE_SUFFIXES else "documents")
        elif _looks_like_path(item):
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
        twice = next((name for n, name in enumerate(header) if name in header[:n]), None)
        if twice is not None:
            raise InputError(f"{item}: the header names the column '{twice}' twice", "give each column its own name")
        if inputs.options.column not in header:
            raise InputError(f"{item}: no column '{inputs.options.column}' (columns: {', '.join(header)})", "name the column in «column»")
        if columns and header != columns:
            raise InputError(f"{item}: columns differ from {inputs.items[0]}", "translate tables with other columns separately")
        columns = header
    return columns


_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")  # how one is written in JSON (pairs too)


def _lone_surrogate(text: str) -> str | None:
    """Why ``text`` is not text UTF-8 can write (a lone surrogate, as JSON's ``\\ud800`` or an
    undecodable command-line byte makes), or None."""
    found = _SURROGATE.search(text)
    return f"a lone surrogate ({ascii(found.group())[1:-1]}) in the record, not text" if found else None


def _blank(text: str) -> bool:
    """Nothing to read: only whitespace and invisible format characters (zero-width space, joiners,
    word joiner, BOM)."""
    return all(c.isspace() or unicodedata.category(c) == "Cf" for c in text)


def _require_text(text: str, origin: str) -> str:
    if _blank(text):
        raise InputError(f"{origin}: the input is empty", "pass a file or text that is not empty")
    if (reason := _lone_surrogate(text)) is not None:
        raise InputError(f"{origin}: {reason}", "fix the text, or pass «skip_bad» to set it aside and go on")
    return text


# What marks a folder as the output folder of a toolkit job (finished, or under way or stopped).
_OUTPUT_FOLDER_MARKS = ("toolkit-manifest.json", ".toolkit-progress.json")


def _document_files(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """A folder's documents, in order, less what earlier runs wrote: translations beside their
    sources (``talk.fa.srt`` beside ``talk.srt``, ``report.sq.md`` beside ``report.pdf``) and output
    folders below it: a folder translated file by file, or into a folder inside it, and then as a
    whole is not translated twice over."""
    return _folder_documents(folder, suffixes).documents


@dataclass(frozen=True)
class FolderListing:
    """Input folders' documents, and what they hold of earlier runs' output, left out of a job."""

    documents: list[Path]
    beside: list[Path]  # translations written beside their sources
    output_folders: list[Path]  # output folders (with a job's manifest or checkpoint) below an input folder


def earlier_outputs(inputs: list[str], suffixes: tuple[str, ...] = DOCUMENT_SUFFIXES) -> FolderListing:
    """The input folders' listings (``_document_files``), together."""
    listed = [_folder_documents(Path(item), suffixes) for item in inputs if path_kind(item) == "dir"]
    return FolderListing([p for f in listed for p in f.documents], [p for f in listed for p in f.beside],
                         [p for f in listed for p in f.output_folders])


def _folder_documents(folder: Path, suffixes: tuple[str, ...]) -> FolderListing:
    """A folder's files of ``suffixes``, in order, split into its documents, the translations beside
    their sources, and those of output folders below it; the folder is listed once."""
    entries = list(folder.rglob("*"))
    outputs = sorted({p.parent for p in entries if p.name in _OUTPUT_FOLDER_MARKS and p.parent != folder})
    files = sorted(p for p in entries if p.is_file() and p.suffix.lower() in suffixes
                   and not any(parent in outputs for parent in p.parents))
    stems = {(p.parent, p.stem) for p in files}
    beside = [p for p in files if _translation_beside_its_source(p, stems)]
    left_out = set(beside)
    return FolderListing([p for p in files if p not in left_out], beside, outputs)


def _translation_beside_its_source(path: Path, stems: set[tuple[Path, str]]) -> bool:
    """``NAME.LANG.EXT`` (a language toolkit knows) with a document ``NAME.*`` in the same folder."""
    from toolkit.languages import LANGUAGES

    name, _, lang = path.stem.rpartition(".")
    return bool(name) and lang in LANGUAGES and (path.parent, name) in stems


def _read_document(doc: Document, errors: str, as_text: bool = False) -> tuple[str, bytes | None]:
    """A document file's text, checked to be what its extension says (a subtitle or PO file is
    parsed), and for a binary document (DOCX, parsed too) its bytes; a file that is not text and
    has no extension of a text format is refused as such. ``as_text``, and for a PDF always: its
    plain text (``toolkit.formats.reading``)."""
    check_document_size(doc.file.stat().st_size, doc.name)
    data = doc.file.read_bytes()
    if as_text or doc.file.suffix.lower() in CONVERTED:
        from toolkit.formats.reading import plain_text

        return plain_text(doc.name, data, errors), None
    fmt = format_for(doc.file.name)
    if is_binary(fmt):
        return parts_text(fmt.read(data, doc.name, FormatOptions())), data
    if fmt is None and doc.file.suffix.lower() not in TEXT_SUFFIXES and b"\0" in data[:8192]:
        raise InputError(f"{doc.name}: not a text file, nor a document of a kind toolkit reads",
                         f"give {_READABLE} files")
    text = document_text(data, doc.name, fmt, errors)
    if fmt is not None:
        fmt.read(text, doc.name, FormatOptions())
    return text, None


def read_documents(inputs: InputSet, documents: list[Document] | None = None) -> Iterator[Item]:
    """Documents (all of the inputs', or those given); an empty, undecodable or malformed document of
    a folder (any, with skip_bad) is a Reject and the rest go on; one named alone stops the job."""
    opts = inputs.options
    for doc in inputs.documents() if documents is None else documents:
        data = None
        try:
            if doc.file is not None:
                raw, data = _read_document(doc, opts.errors, opts.as_text)
            else:
                raw = inputs.stdin if doc.item == "-" else doc.item
            text = _require_text(raw, doc.name)
        except InputError as exc:
            if not (opts.skip_bad or doc.in_folder):
                raise
            yield Reject(doc.name, exc.message.removeprefix(f"{doc.name}: "), "", doc.unit)
            continue
        source = "text argument" if doc.unit.startswith("text:") else doc.name  # the output record's "source"
        yield Record(doc.unit, doc.id, text, source, relpath=doc.relpath, unit=doc.unit, data=data)


def read_jsonl(inputs: InputSet) -> Iterator[Item]:
    """JSONL records; with skip_bad, malformed lines and records without the field are Rejects."""
    opts = inputs.options
    for item in inputs.items:
        unit = Path(item).resolve().as_posix()
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
                    yield _bad(opts, origin, f"malformed JSON ({exc})", line, unit)
                    continue
                if _SURROGATE_ESCAPE.search(line) and (reason := _lone_surrogate(json.dumps(obj, ensure_ascii=False))):
                    yield _bad(opts, origin, reason, line, unit)
                    continue
                text = obj.get(opts.field)
                if opts.field in obj and not isinstance(text, str):
                    yield _bad(opts, origin, f"the field '{opts.field}' is {_JSON_KINDS[type(text)]}, not a string", line, unit)
                    continue
                if text is None:
                    fields = ", ".join(obj) or "none"
                    yield _bad(opts, origin, f"no text field '{opts.field}' (fields: {fields})", line, unit)
                    continue
                record_id = str(obj.get(opts.id_field, f"line-{line_no}"))
                yield Record(f"{unit}:{line_no}", record_id, text, origin, fields=obj, unit=unit)
        if not seen:
            raise InputError(f"{item}: the input is empty", "give a JSONL file with one object per line")


_JSON_KINDS = {bool: "true or false", int: "a number", float: "a number", list: "a list", dict: "an object",
               type(None): "null"}


def _bad(opts: InputOptions, origin: str, reason: str, raw: str, unit: str) -> Reject:
    if not opts.skip_bad:
        raise InputError(f"{origin}: {reason}", "fix the line, or pass «skip_bad» to write it to a rejects file and go on")
    return Reject(origin, reason, raw.rstrip("\n"), unit)


def read_table(inputs: InputSet) -> Iterator[Item]:
    """CSV/TSV rows, read as a stream; the header must have the column to translate. A row with
    more or fewer cells than the header is an error naming its line (with skip_bad, a Reject)."""
    opts = inputs.options
    for item in inputs.items:
        unit = Path(item).resolve().as_posix()
        delimiter = TABLE_SUFFIXES[Path(item).suffix.lower()]
        with open(item, "rb") as f:
            lines = (decode(raw, item, opts.errors, i) for i, raw in enumerate(f, 1))
            reader = csv.DictReader(lines, delimiter=delimiter)
            rows = 0
            for row in reader:
                rows += 1
                line = reader.line_num
                origin = f"{item}:{line}"
                extra = row.pop(None, None)  # cells beyond the header
                if extra is not None:
                    raw = delimiter.join([*(v or "" for v in row.values()), *extra])
                    yield _bad(opts, origin, f"{len(row) + len(extra)} cells, but the header has {len(row)}", raw, unit)
                    continue
                cells = [v for v in row.values() if v is not None]  # DictReader fills missing cells with None
                if len(cells) < len(row):
                    yield _bad(opts, origin, f"{len(cells)} cells, but the header has {len(row)}", delimiter.join(cells), unit)
                    continue
                yield Record(f"{unit}:{line}", str(row.get(opts.id_field) or f"row-{rows}"), row[opts.column] or "",
                             origin, fields=row, unit=unit)
        if rows == 0:
            raise InputError(f"{item}: the input has a header but no rows", "add rows to translate")


def read_items(inputs: InputSet) -> Iterator[Item]:
    """The inputs' records in order, with the records set aside (``skip_bad``) as Rejects in place."""
    if inputs.kind == "jsonl":
        return read_jsonl(inputs)
    if inputs.kind == "table":
        return read_table(inputs)
    return read_documents(inputs)
