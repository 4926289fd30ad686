"""EPUB (``.epub``) into EPUB, with the standard library's ``zipfile`` and toolkit's HTML format: every
XHTML document of the book (chapters, the EPUB 3 ``nav`` table of contents) is translated as HTML,
the EPUB 2 table of contents (``toc.ncx``: the book's title and each entry's label) and the package's
``dc:title`` and ``dc:description`` too; ``dc:language`` and each document's ``lang``/``xml:lang`` are
set to the target, and a right-to-left target gets ``dir="rtl"`` and the spine's
``page-progression-direction="rtl"`` (a spine's direction, where it has one, is the target's). Where the
target's direction is not that of the book's text, the directions its CSS states follow the target's
(``mirrored_css``: its stylesheets, the chapters' ``<style>`` and ``style``). Every other entry of the
zip (images, fonts) is copied as it was. ebooklib is not used: it is AGPL-3.0, and it writes the package again from its own model.

A binary format (``binary = True``): it reads a file's bytes and writes bytes."""

from __future__ import annotations

import html
import io
import posixpath
import zipfile
from typing import Sequence
from xml.etree import ElementTree
from xml.sax.saxutils import escape

import regex

from toolkit.errors import InputError
from toolkit.formats import FormatOptions, Part, not_this_format, open_zip
from toolkit.formats.html import HtmlDocument, mirrored_css, written_right_to_left
from toolkit.languages import get_language

_XHTML = "application/xhtml+xml"
_NCX = "application/x-dtbncx+xml"
_OPF_TEXT = regex.compile(r"(<dc:(title|description)\b[^>]*>)(.*?)(</dc:\2>)", regex.S)
_OPF_LANGUAGE = regex.compile(r"(<dc:language\b[^>]*>)(.*?)(</dc:language>)", regex.S)
_SPINE = regex.compile(r"<spine\b[^>]*?(/?)>")
_PROGRESSION = regex.compile(r"""(\spage-progression-direction\s*=\s*["'])(?:ltr|rtl|default)(?=["'])""")
_XML_LANG = regex.compile(r"""(<ncx\b[^>]*?\sxml:lang\s*=\s*["'])([^"']*)""")
_NS = {"opf": "http://www.idpf.org/2007/opf", "c": "urn:oasis:names:tc:opendocument:xmlns:container"}


def _spine(tag: regex.Match, direction: str) -> str:
    """The spine's start tag with the pages progressing in ``direction``: its direction changed where
    it has one, ``rtl`` added where it has none (left to right is the default)."""
    if _PROGRESSION.search(tag.group()):
        return _PROGRESSION.sub(rf"\g<1>{direction}", tag.group())
    if direction != "rtl":
        return tag.group()
    return tag.group()[:-len(tag.group(1)) - 1] + ' page-progression-direction="rtl"' + tag.group(1) + ">"


class EpubDocument:
    """An EPUB read: its zip's entries, its XHTML documents and table of contents as HTML, its
    package's title and description; ``parts`` all of their texts in turn."""

    def __init__(self, archive: zipfile.ZipFile, where: str):
        self.archive = archive
        self.opf = self._package(where)
        package = archive.read(self.opf).decode("utf-8")
        root = ElementTree.fromstring(package)
        folder = posixpath.dirname(self.opf)
        items = {i.get("id"): (posixpath.normpath(posixpath.join(folder, i.get("href", ""))), i.get("media-type"))
                 for i in root.iterfind("opf:manifest/opf:item", _NS)}
        spine = [items[r.get("idref")][0] for r in root.iterfind("opf:spine/opf:itemref", _NS) if r.get("idref") in items]
        names = set(archive.namelist())
        pages = [path for path, kind in items.values() if kind == _XHTML and path in names]
        self.chapters = [path for path in spine if path in pages]  # in reading order, for summaries
        self.stylesheets = [path for path, kind in items.values() if kind == "text/css" and path in names]
        self.documents = {path: HtmlDocument(archive.read(path).decode("utf-8"), xml=True)
                          for path in [*self.chapters, *(p for p in pages if p not in self.chapters),
                                       *(p for p, kind in items.values() if kind == _NCX and p in names)]}
        self.package = package
        self.metadata = [(m.span(3), html.unescape(m.group(3)).strip(), m.group(2)) for m in _OPF_TEXT.finditer(package)]
        self.parts = tuple([Part(text, f"package {field}") for _, text, field in self.metadata if text]
                           + [Part(p.text, f"{path}: {p.label}") for path, doc in self.documents.items() for p in doc.parts])

    def _package(self, where: str) -> str:
        """The package document's path (META-INF/container.xml's rootfile)."""
        try:
            container = ElementTree.fromstring(self.archive.read("META-INF/container.xml"))
            return container.find("c:rootfiles/c:rootfile", _NS).get("full-path")
        except (KeyError, AttributeError, ElementTree.ParseError):
            raise not_this_format(where, FORMAT, "no META-INF/container.xml naming its package") from None

    def write(self, translations: Sequence[str], target: str) -> bytes:
        translated = iter(translations)
        new: dict[str, bytes] = {}
        package, end = [], 0
        for (start, stop), text, _ in self.metadata:
            if text:
                value = next(translated)
                package += [self.package[end:start], self.package[start:stop] if value == text else escape(value)]
                end = stop
        package.append(self.package[end:])
        opf = _OPF_LANGUAGE.sub(lambda m: m.group(1) + target + m.group(3), "".join(package))
        opf = _SPINE.sub(lambda m: _spine(m, get_language(target).direction), opf)
        new[self.opf] = opf.encode("utf-8")
        rtl = get_language(target).rtl
        mirror = written_right_to_left(p.text for p in self.parts) != rtl
        for path in self.stylesheets if mirror else ():
            try:
                new[path] = mirrored_css(self.archive.read(path).decode("utf-8"), rtl).encode("utf-8")
            except UnicodeDecodeError:  # a stylesheet in another encoding: as it was
                pass
        for path, document in self.documents.items():
            text = document.write([next(translated) for _ in document.parts], target, mirror)
            new[path] = _XML_LANG.sub(lambda m: m.group(1) + target, text).encode("utf-8")
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as book:
            for info in self.archive.infolist():  # the mimetype entry first and stored, as it came
                book.writestr(info, new.get(info.filename, self.archive.read(info)))
        return out.getvalue()

    def text(self) -> str:
        """The chapters' text in reading order, a block a paragraph (for summaries)."""
        blocks = [p.text for path in self.chapters for p in self.documents[path].parts if p.label.startswith("block ")]
        return "\n\n".join(html.unescape(regex.sub(r"<[^<>]*>", "", b)) for b in blocks)


class Epub:
    title = "zipped e-book (EPUB)"
    markup = True
    output_suffix = None
    binary = True

    def read(self, data: bytes, where: str, options: FormatOptions) -> EpubDocument:
        archive = open_zip(data, where, self)
        try:
            return EpubDocument(archive, where)
        except UnicodeDecodeError:
            if "META-INF/encryption.xml" in archive.namelist():
                raise InputError(f"{where}: an encrypted EPUB (DRM)", "give an EPUB without DRM") from None
            raise not_this_format(where, self, "a document in it is not UTF-8") from None
        except (KeyError, ElementTree.ParseError, zipfile.BadZipFile) as exc:
            raise not_this_format(where, self, f"{type(exc).__name__}: {str(exc)[:80]}") from None


FORMAT = Epub()
