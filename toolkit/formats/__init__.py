"""Document formats translated into files of the same kind (``talk.srt`` -> ``talk.sq.srt``).

A format reads a file's text into parts (what is translated, inline tags left in it for protection
to turn into codes, each part named for the flags: ``cues 3-5``, ``entry 12``) and writes the
translated parts back, everything else as it was. A ``binary`` format (DOCX, PPTX, XLSX, ODT, ODP,
ODS, EPUB: zips of XML; XLIFF: XML in its own encoding) reads the file's bytes and writes bytes.
Formats are found by extension; each lives in its own module, imported when a file of its kind is read.
"""

from __future__ import annotations

from html import unescape
import importlib
import io
import re
import shlex
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePath
from typing import Protocol, Sequence

import regex

from toolkit.errors import InputError, ToolkitError
from toolkit.text.codes import TAG_PATTERN

# An inline tag of a part (a comment, a WebVTT timestamp, a subtitle's ASS override too), as protection
# finds them: left out of a document's plain text.
_MARKUP = re.compile(TAG_PATTERN)
_LETTER = regex.compile(r"\p{L}")


@dataclass(frozen=True)
class FormatOptions:
    """How documents are written: ``line_length``, the longest subtitle line (None: each cue keeps
    its number of lines); ``overwrite``, translate PO entries that already have a translation."""

    line_length: int | None = None
    overwrite: bool = False


@dataclass(frozen=True)
class Part:
    """One piece of a document to translate: its ``text`` and where it is (``label``)."""

    text: str
    label: str


class Parsed(Protocol):
    """A document as read: its ``parts``; ``write`` puts their translations (in order) back."""

    parts: tuple[Part, ...]

    def write(self, translations: Sequence[str], target: str) -> str | bytes: ...


class DocumentFormat(Protocol):
    """A kind of document: ``title`` names it in messages; ``markup``: its parts carry inline tags
    (protected as codes); ``output_suffix`` the extension its translations take. A format with
    ``binary = True`` reads bytes, and writes bytes (see ``is_binary``)."""

    title: str
    markup: bool
    output_suffix: str | None

    def read(self, data: str | bytes, where: str, options: FormatOptions) -> Parsed: ...


def documents_library(module: str, where: str, kind: str):
    """The library ``module`` that reads ``kind`` files (lxml, polib, pypdf: the ``documents`` extra),
    imported; a ToolkitError naming the extra when it is not installed."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ToolkitError(f"{where}: {kind} files need {module.split('.')[0]}", "pip install 'toolkit[documents]'") from None


def is_binary(fmt: DocumentFormat | None) -> bool:
    """Whether documents of ``fmt`` are read and written as bytes (text formats need not say they are not)."""
    return bool(getattr(fmt, "binary", False))


def has_letters(text: str) -> bool:
    """Whether a cell's text has a letter in it (one that has none, a code or a date typed as text, is
    kept as it is)."""
    return _LETTER.search(text) is not None


def parts_text(parsed: Parsed, separator: str = "\n\n") -> str:
    """A document's text, its parts joined by ``separator`` (one paragraph each by default), inline
    tags and subtitles' overrides left out, entities read (what a binary document's record carries
    as its text: for emptiness checks, language detection and summaries)."""
    return separator.join(unescape(_MARKUP.sub("", p.text)) for p in parsed.parts)


# extension -> the module whose ``FORMAT`` reads it
_MODULES = {".srt": "toolkit.formats.subrip", ".vtt": "toolkit.formats.webvtt",
            ".po": "toolkit.formats.po", ".pot": "toolkit.formats.po", ".docx": "toolkit.formats.docx",
            ".pptx": "toolkit.formats.pptx", ".xlsx": "toolkit.formats.xlsx", ".epub": "toolkit.formats.epub",
            ".odt": "toolkit.formats.odt", ".odp": "toolkit.formats.odp", ".ods": "toolkit.formats.ods",
            ".html": "toolkit.formats.html", ".htm": "toolkit.formats.html", ".xhtml": "toolkit.formats.html",
            ".xlf": "toolkit.formats.xliff", ".xliff": "toolkit.formats.xliff"}
SUFFIXES = tuple(_MODULES)

# Documents read into text, never written in their own kind: the extension their text is written with
# (a PDF's paragraphs as Markdown).
CONVERTED = {".pdf": ".md"}
# Documents toolkit does not read yet: refused by name rather than read as text that is not UTF-8.
UNSUPPORTED = {".doc": "Word 97-2003", ".ppt": "PowerPoint 97-2003", ".xls": "Excel 97-2003", ".rtf": "RTF",
               ".zip": "zip"}
# The kind LibreOffice turns each into, keeping its layout: what the refusal's hint names.
_CONVERT_TO = {".doc": "docx", ".ppt": "pptx", ".xls": "xlsx", ".rtf": "docx"}


def format_for(name: str) -> DocumentFormat | None:
    """The format of a file named ``name`` (by its extension), or None for plain text."""
    module = _MODULES.get(PurePath(name).suffix.lower())
    return importlib.import_module(module).FORMAT if module else None


def check_supported(name: str) -> None:
    """Refuse a document of a kind toolkit cannot translate yet, naming it."""
    suffix = PurePath(name).suffix.lower()
    if suffix in _CONVERT_TO:
        convert = f"soffice --headless --convert-to {_CONVERT_TO[suffix]} {shlex.quote(name)}"
        raise InputError(f"{name}: {UNSUPPORTED[suffix]} documents ({suffix}) are not read; .{_CONVERT_TO[suffix]} documents are",
                         f"convert it with LibreOffice: `{convert}`, and give the .{_CONVERT_TO[suffix]} file")
    if suffix in UNSUPPORTED:
        raise InputError(f"{name}: {UNSUPPORTED[suffix]} documents are not supported yet",
                         f"give .txt, .md or {', '.join(SUFFIXES)} files, or convert it to one of them")


def reading_name(relpath: str, as_text: bool = False) -> str:
    """The name a document goes by once read: a PDF's text is Markdown (``report.pdf`` -> ``report.md``);
    ``as_text`` (``translate --extract-article``), every document is plain text (``page.html`` -> ``page.txt``)."""
    suffix = PurePath(relpath).suffix.lower()
    new = ".txt" if as_text and suffix not in (".txt", "") else CONVERTED.get(suffix)
    return str(PurePath(relpath).with_suffix(new).as_posix()) if new else relpath


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted OOXML file, or an old binary Office one
# The first bytes of documents that are never text, whatever their extension: what each is, and the fix.
_NOT_TEXT = {
    b"PK\x03\x04": ("a zip file (a Word, PowerPoint, Excel, OpenDocument or EPUB document?)",
                     "give it its real extension: .docx, .pptx, .xlsx, .odt, .epub..."),
    b"%PDF-": ("a PDF file", "give it its real extension: .pdf"),
    _OLE: ("an old binary Office file (Word, Excel or PowerPoint 97-2003) or a password-protected one",
           "save it as .docx, .xlsx or .pptx, without a password"),
}


def check_not_binary_document(data: bytes, where: str) -> None:
    """Refuse the start of a file read as text that is a zip, PDF or old Office file (a renamed
    document), naming what it is: reading it with undecodable bytes replaced would be garbage."""
    for signature, (what, fix) in _NOT_TEXT.items():
        if data.startswith(signature):
            raise InputError(f"{where}: {what}, not text", fix)


def decode(data: bytes, where: str, errors: str, line: int = 1) -> str:
    """UTF-8 text (a BOM is dropped) of a file, or of its line number ``line``; undecodable bytes
    name their line unless errors='replace'; a renamed binary document is refused as such."""
    if line == 1:
        check_not_binary_document(data, where)
    return _utf8(data, where, errors, line)


def _utf8(data: bytes, where: str, errors: str, line: int = 1) -> str:
    try:
        return data.decode("utf-8-sig", errors=errors)
    except UnicodeDecodeError as exc:
        bad_line = line + data[: exc.start].count(b"\n")
        raise InputError(
            f"{where}:{bad_line}: bytes that are not UTF-8 ({data[exc.start:exc.start + 4]!r})",
            "convert the file to UTF-8, or go on with «errors» replace",
        ) from None


def document_text(data: bytes, where: str, fmt: DocumentFormat | None, errors: str) -> str:
    """A file's text: a document of a format decoded strictly (bytes that are not UTF-8: not a file of
    that format), a plain text file as ``errors`` says; a renamed binary document refused as such."""
    check_not_binary_document(data, where)
    try:
        return _utf8(data, where, "strict" if fmt else errors)
    except InputError as exc:
        if fmt is None:
            raise
        raise not_this_format(where, fmt, exc.message.split(": ", 1)[-1]) from None


def not_this_format(where: str, fmt: DocumentFormat, reason: str) -> InputError:
    """The error for a file that is not what its extension says."""
    article = "an" if fmt.title[:1].upper() in "AEIOX" else "a"  # an Excel, an OpenDocument, an XLIFF (ex-liff) file
    check = "check the file" if is_binary(fmt) else "check the file (a text format must be UTF-8)"
    return InputError(f"{where}: not {article} {fmt.title} file ({reason})", f"{check}, or give it its real extension")


DEFAULT_MAX_DOCUMENT_MB = 512


def max_document_bytes() -> int:
    """The most a document may hold, as a file and once unzipped: the «max_document_mb» setting
    (``TOOLKIT_MAX_DOCUMENT_MB``, the config file), 512 MiB by default."""
    from toolkit.settings import setting

    return setting("max_document_mb", None, DEFAULT_MAX_DOCUMENT_MB) * 2**20


def check_document_size(size: int, where: str, what: str = "a document of") -> None:
    """Refuse a document over ``max_document_bytes`` (``what``: how the message puts it)."""
    limit = max_document_bytes()
    if size > limit:
        raise InputError(f"{where}: {what} more than {limit // 2**20} MiB",
                         "split it into smaller documents, or raise the max_document_mb setting (TOOLKIT_MAX_DOCUMENT_MB)")


def open_zip(data: bytes, where: str, fmt: DocumentFormat) -> zipfile.ZipFile:
    """A zipped document (DOCX, ODT, EPUB...), checked: not encrypted, not damaged, not larger
    unzipped than ``max_document_bytes`` (a zip bomb is refused from the zip's directory, before
    anything is unzipped)."""
    if data[:8] == _OLE:
        raise InputError(f"{where}: the document is password-protected (encrypted), or an old binary Office file "
                         "renamed", "remove the password (or save it as a current Office file) and try again")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise not_this_format(where, fmt, f"not a zip, or a truncated one: {exc}") from None
    if any(info.flag_bits & 0x1 for info in infos):
        raise InputError(f"{where}: the document is encrypted (password-protected, or DRM)",
                         "remove the password or DRM and try again")
    check_document_size(sum(info.file_size for info in infos), where, "the document unzips to")
    try:
        bad = archive.testzip()
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        bad = str(exc)
    if bad is not None:
        raise not_this_format(where, fmt, f"a damaged zip: {bad}")
    return archive


def output_name(relpath: str) -> str:
    """The name a translation of ``relpath`` takes before the language is added (a ``.pot``
    template's translation is a ``.po`` file)."""
    fmt = format_for(relpath)
    if fmt is None or fmt.output_suffix is None:
        return relpath
    return str(PurePath(relpath).with_suffix(fmt.output_suffix).as_posix())
