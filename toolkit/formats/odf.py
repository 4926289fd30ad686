"""What OpenDocument text and presentations (ODT, ODP) share, on their XML with lxml: every
paragraph and heading (``text:p``, ``text:h``) with text is one part, wherever it is (tables,
lists, frames, notes, headers and footers; slides' text boxes and speaker notes), and so is each
embedded chart's title, subtitle and axis titles (``Object 1/content.xml``; its series' and
categories' names are left, as cells).

An ODF paragraph is mixed content: text with spans (``text:span``) and links (``text:a``) around
some of it. Each distinct chain of spans and links around text is a paired tag ``<gN>...</gN>``
(the paragraph's most common chain has none), spaces (``text:s``), tabs and line breaks are
characters, and everything else (a note, a frame, a bookmark, a field) a standalone tag ``<xN/>``,
left untranslated where it is (a note's or a frame's own paragraphs are parts of their own).
Writing rebuilds the paragraph: each piece of the translation inside copies of its spans and
links, between the untranslated items in their order. Styles say the language (``fo:language``,
``style:language-complex``) and, for a right-to-left target, the direction
(``style:writing-mode="rl-tb"``) of every paragraph style and every table (a sheet of a spreadsheet
too). Every other part of the zip is copied as it was (the ``mimetype`` first and stored, as ODF
requires).
"""

from __future__ import annotations

import re
from typing import Callable

from toolkit.errors import InputError
from toolkit.formats import not_this_format
from toolkit.formats.ooxml import OfficeFormat, Package, ancestor, open_package, parse_parts, pieces, tagged

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
FO = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
CHART = "{urn:oasis:names:tc:opendocument:xmlns:chart:1.0}"
_MANIFEST = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}"
_CHART_TYPE = "application/vnd.oasis.opendocument.chart"
_MARGINS = {STYLE + n: n.split("-")[0] + " " for n in ("header", "header-left", "header-first", "footer", "footer-left",
                                                      "footer-first")}
_RTL_TABLE = "toolkit-rtl-table"  # the automatic style given to a table that has none, for a right-to-left target
_CONTAINERS = {TEXT + "span", TEXT + "a"}
_CHARACTERS = {TEXT + "tab": "\t", TEXT + "line-break": "\n"}
_SPACES = re.compile(r"( {2,}|^ )")
_UNSEEN = re.compile(r"(language|country|script|rfc-language-tag)(-asian|-complex)?|rsid")  # text properties no one sees


class OdfParagraph:
    """One paragraph read: its pieces of text (by chain of spans and links), its untranslated
    items, and its ``text`` with tags."""

    def __init__(self, p, quiet: frozenset[str] | None = None):
        """``quiet``: the document's styles that show nothing (``quiet_styles``; found when not given)."""
        self.p, self.label = p, ""
        self.quiet = quiet_styles(p) if quiet is None else quiet
        self.groups: list[tuple] = []  # the chain of containers of each group (its first one, as a template)
        self.fixed: list[list[tuple]] = []  # untranslated items between text: [(element, chain)...]
        self.pieces: list[tuple[str, int | None]] = []
        self._keys: dict[tuple, int] = {}
        self._walk(p, ())
        self.plain = "".join(text for text, _ in self.pieces)
        self.base, self.text = tagged(self.pieces, len(self.groups))

    def _walk(self, node, chain: tuple) -> None:
        self._add(node.text, chain)
        for child in node:
            if child.tag in _CONTAINERS:
                self._walk(child, chain if self._shows_nothing(child) else chain + (child,))
            elif child.tag == TEXT + "s":
                self._add(" " * int(child.get(TEXT + "c", "1")), chain)
            elif child.tag in _CHARACTERS:
                self._add(_CHARACTERS[child.tag], chain)
            elif self.pieces and self.pieces[-1][1] is None:
                self.fixed[-1].append((child, chain))
            else:
                self.fixed.append([(child, chain)])
                self.pieces.append(("", None))
            self._add(child.tail, chain)

    def _shows_nothing(self, span) -> bool:
        """A span with no attribute but a style that shows nothing: its text joins the text around it
        (``minis`` + ``ter`` is one word to the model, as DOCX and PPTX runs that differ only so are)
        and the span is not written back."""
        return (span.tag == TEXT + "span" and set(span.attrib) == {TEXT + "style-name"}
                and span.get(TEXT + "style-name") in self.quiet)

    def _add(self, text: str | None, chain: tuple) -> None:
        if not text:
            return
        key = tuple((c.tag, tuple(sorted(c.attrib.items()))) for c in chain)
        if key not in self._keys:
            self._keys[key] = len(self.groups)
            self.groups.append(chain)
        group = self._keys[key]
        if self.pieces and self.pieces[-1][1] == group:
            self.pieces[-1] = (self.pieces[-1][0] + text, group)
        else:
            self.pieces.append((text, group))

    def write(self, translation: str, target: str, rtl: bool) -> None:
        """The paragraph rebuilt: ``translation``'s pieces in copies of their spans and links, the
        untranslated items (moved, not copied) after the text their tags follow."""
        by_anchor: dict[int, list[tuple[int, str]]] = {}
        for anchor, group, text in pieces(translation, self.base, len(self.groups), len(self.fixed)):
            by_anchor.setdefault(anchor, []).append((group, text))
        for item in self.fixed:
            for element, _ in item:
                element.getparent().remove(element)
        self.p.text = None
        for child in list(self.p):
            self.p.remove(child)
        writer = _Writer(self.p)
        for anchor in range(len(self.fixed) + 1):
            for group, text in by_anchor.get(anchor, ()):
                writer.text(self.groups[group], text)
            if anchor < len(self.fixed):
                for element, chain in self.fixed[anchor]:
                    element.tail = None
                    writer.element(chain, element)


class _Writer:
    """Appends text and elements to a paragraph inside copies of their chains of containers, an
    open copy reused while the next piece is inside the same containers."""

    def __init__(self, p):
        self.p, self.open = p, []  # [(source container, its copy)]
        self.at_start = True

    def _into(self, chain: tuple):
        from lxml import etree

        keep = 0
        while keep < min(len(chain), len(self.open)) and self.open[keep][0] is chain[keep]:
            keep += 1
        del self.open[keep:]
        for source in chain[keep:]:
            parent = self.open[-1][1] if self.open else self.p
            self.open.append((source, etree.SubElement(parent, source.tag, dict(source.attrib))))
        return self.open[-1][1] if self.open else self.p

    def text(self, chain: tuple, text: str) -> None:
        from lxml import etree

        node = self._into(chain)
        for piece in re.split(r"([\t\n])", text):
            if piece in _CHARACTERS.values():
                etree.SubElement(node, next(tag for tag, c in _CHARACTERS.items() if c == piece))
                self.at_start = False
                continue
            for i, part in enumerate(_SPACES.split(piece)):
                if i % 2:  # spaces ODF would collapse: the first kept as a space (none at the paragraph's start)
                    literal = "" if self.at_start else " "
                    _append(node, literal)
                    extra = len(part) - len(literal)
                    if extra:
                        etree.SubElement(node, TEXT + "s", {TEXT + "c": str(extra)} if extra > 1 else {})
                else:
                    _append(node, part)
                self.at_start = self.at_start and not part

    def element(self, chain: tuple, element) -> None:
        self._into(chain).append(element)
        self.at_start = False


def quiet_styles(element) -> frozenset[str]:
    """The automatic styles of ``element``'s document that set only a language or LibreOffice's edit
    mark (``officeooo:rsid``), with no parent style: a reader sees no difference. Found once per
    document part, not per span (a LibreOffice file has thousands of them)."""
    styles = element.getroottree().getroot().find(OFFICE + "automatic-styles")
    quiet, seen = set(), set()
    for style in styles.iterfind(STYLE + "style") if styles is not None else ():
        name = style.get(STYLE + "name")
        if name in seen:  # the first style of a name is the one a span's name finds
            continue
        seen.add(name)
        if (not style.get(STYLE + "parent-style-name")
                and not any(c.tag != STYLE + "text-properties" or len(c) for c in style)
                and all(_UNSEEN.fullmatch(n.split("}")[-1]) for c in style for n in c.attrib)):
            quiet.add(name)
    return frozenset(quiet)


def _append(node, text: str) -> None:
    if not text:
        return
    if len(node):
        node[-1].tail = (node[-1].tail or "") + text
    else:
        node.text = (node.text or "") + text


def _text_properties(style):
    from lxml import etree

    found = style.find(STYLE + "text-properties")
    if found is None:
        found = etree.SubElement(style, STYLE + "text-properties")
    return found


def restyle(trees: dict, target: str) -> None:
    """Every style that names a language, and the defaults, name the target; for a right-to-left
    target every paragraph style (and the default) writes right to left."""
    from lxml import etree

    from toolkit.languages import get_language

    rtl = get_language(target).rtl
    for tree in trees.values():
        for style in tree.iter(STYLE + "style", STYLE + "default-style"):
            text = style.find(STYLE + "text-properties")
            if style.tag == STYLE + "default-style" or (text is not None and (
                    text.get(FO + "language") or text.get(STYLE + "language-complex"))):
                text = _text_properties(style)
                text.set(FO + "language", target)
                text.set(FO + "country", "none")
                if rtl:
                    text.set(STYLE + "language-complex", target)
                    text.set(STYLE + "country-complex", "none")
            if rtl and style.get(STYLE + "family") in ("paragraph", None):
                paragraph = style.find(STYLE + "paragraph-properties")
                if paragraph is None:
                    paragraph = etree.Element(STYLE + "paragraph-properties")
                    style.insert(0, paragraph)
                paragraph.set(STYLE + "writing-mode", "rl-tb")
    if rtl:
        _tables_right_to_left(trees)


def _tables_right_to_left(trees: dict) -> None:
    """Every table style writes right to left (a sheet's columns from the right); a table of the
    text or a sheet without a style gets one that does (a presentation's tables, in frames, keep theirs)."""
    from lxml import etree

    for tree in trees.values():
        for style in tree.iter(STYLE + "style"):
            if style.get(STYLE + "family") == "table":
                properties = style.find(STYLE + "table-properties")
                if properties is None:
                    properties = etree.Element(STYLE + "table-properties")
                    style.insert(0, properties)
                properties.set(STYLE + "writing-mode", "rl-tb")
    content = trees["content.xml"].getroot()
    unstyled = [t for t in content.iter(TABLE + "table")
                if not t.get(TABLE + "style-name") and t.getparent().tag != DRAW + "frame"]
    if not unstyled:
        return
    automatic = content.find(OFFICE + "automatic-styles")
    if automatic is None:
        automatic = etree.Element(OFFICE + "automatic-styles")
        content.find(OFFICE + "body").addprevious(automatic)
    if automatic.find(f"{STYLE}style[@{STYLE}name='{_RTL_TABLE}']") is None:
        style = etree.SubElement(automatic, STYLE + "style", {STYLE + "name": _RTL_TABLE, STYLE + "family": "table"})
        etree.SubElement(style, STYLE + "table-properties", {STYLE + "writing-mode": "rl-tb"})
    for table in unstyled:
        table.set(TABLE + "style-name", _RTL_TABLE)


class OdfFormat(OfficeFormat):
    """An OpenDocument format: its ``mimetype``, and which paragraphs of which parts are translated."""

    mimetype: str

    def paragraphs(self, trees: dict) -> list[OdfParagraph]:
        raise NotImplementedError

    def read(self, data: bytes, where: str, options) -> Package:
        archive = open_package(data, where, self, ["content.xml"])
        names = archive.namelist()
        if "META-INF/manifest.xml" in names and b"encryption-data" in archive.read("META-INF/manifest.xml"):
            raise InputError(f"{where}: the document is password-protected (encrypted)", "remove the password and try again")
        if "mimetype" in names and archive.read("mimetype").strip() != self.mimetype.encode():
            raise not_this_format(where, self, f"its mimetype is {archive.read('mimetype')[:80].decode(errors='replace')}")
        trees = parse_parts(archive, [n for n in ("content.xml", "styles.xml") if n in names], where, self)
        charts = _charts(archive, where, self)
        trees.update(parse_parts(archive, charts, where, self))
        return Package(archive, trees, self.paragraphs(trees) + chart_paragraphs(trees, charts), restyle)


def _charts(archive, where: str, fmt) -> list[str]:
    """The content parts of the charts embedded in the document (``Object 1/content.xml``), as its manifest lists them."""
    names = archive.namelist()
    if "META-INF/manifest.xml" not in names:
        return []
    manifest = parse_parts(archive, ["META-INF/manifest.xml"], where, fmt)["META-INF/manifest.xml"]
    found = [entry.get(_MANIFEST + "full-path", "").rstrip("/") + "/content.xml"
             for entry in manifest.iter(_MANIFEST + "file-entry") if entry.get(_MANIFEST + "media-type") == _CHART_TYPE]
    return [name for name in found if name in names]


def chart_paragraphs(trees: dict, charts: list[str]) -> list:
    """The paragraphs of each chart's title, subtitle, footer and axis titles, named ``chart 1 paragraph 1``
    (its series' and categories' names, in the chart's own table, are the cells': left)."""
    found = []
    for number, name in enumerate(charts, 1):
        found += paragraphs_in(trees[name].getroot(), lambda p, n, number=number: f"chart {number} paragraph {n}",
                               skip=lambda p: p.getparent().tag not in (CHART + "title", CHART + "subtitle", CHART + "footer"))
    return found


def paragraphs_in(root, label: Callable[[object, int], str], skip: Callable[[object], bool] = lambda p: False,
                  quiet: frozenset[str] | None = None) -> list:
    """The paragraphs and headings under ``root`` that have text, each named by ``label(p, n)``
    (``quiet``: ``quiet_styles`` of its document, found when not given)."""
    found, quiet = [], quiet_styles(root) if quiet is None else quiet
    for p in root.iter(TEXT + "p", TEXT + "h"):
        if skip(p):
            continue
        paragraph = OdfParagraph(p, quiet)
        if paragraph.plain.strip():
            paragraph.label = label(p, len(found) + 1)
            found.append(paragraph)
    return found


def margin_paragraphs(styles) -> list:
    """The paragraphs of the page styles' headers and footers (``styles.xml``), named ``header paragraph 1``,
    ``footer paragraph 2`` (numbered across every page style's, so that no two have the same name)."""
    found, counts = [], {}
    for margin in styles.iter(*_MARGINS) if styles is not None else ():
        kind = _MARGINS[margin.tag]
        paragraphs = paragraphs_in(margin, lambda p, n, before=counts.get(kind, 0): f"{kind}paragraph {before + n}")
        counts[kind] = counts.get(kind, 0) + len(paragraphs)
        found += paragraphs
    return found


def inside(p, *tags: str) -> bool:
    """Whether ``p`` is inside an element with one of ``tags``."""
    return ancestor(p, None, set(tags)) is not None
