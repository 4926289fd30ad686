"""What Office Open XML documents (DOCX, PPTX, XLSX) share: a zip of XML parts, checked before it is
read, written back with only the translated parts changed; and a paragraph of runs as one part.

A paragraph's text runs become the part's text, each change of formatting (bold, italic, a
hyperlink with its target...) a paired tag ``<gN>...</gN>`` around the runs that have it (the
paragraph's most common formatting has none), and what is not text (a field, a reference, a
picture, a line break between runs) a standalone tag ``<xN/>``: protection turns the tags into
codes, so the model sees one sentence, not run by run. Runs with the same formatting are one
piece of text (a word split by spell-check is one word). Writing puts each piece of the
translation into a run of its formatting, in the translation's order, at its place between the
untranslated items, which stay where they are (inside the link or field result the source's text
there was in, when the piece has that formatting). Each format says what its runs are (a
``Dialect``). A paragraph a part holds twice (an ``mc:Fallback`` copy, a SmartArt's cached drawing)
is one part, written in both places.
"""

from __future__ import annotations

import copy
import io
import posixpath
import re
import zipfile
from typing import Callable, Protocol, Sequence
from xml.sax.saxutils import escape, unescape

from toolkit.errors import InputError
from toolkit.formats import Part, documents_library, not_this_format, open_zip

_TAG = re.compile(r"<(/?)g(\d+)>|<x(\d+)/>")
# Markup compatibility: a part may hold the same content twice, a ``Choice`` for current Office and a
# ``Fallback`` for older readers (a text box as a DrawingML shape and as a VML one).
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# A chart of a document or presentation: its title's and axes' titles are DrawingML paragraphs (its
# series' and categories' names are its embedded workbook's cells, left as they are). SmartArt: its
# text is in its data part, and again in the drawing Office caches from it (which LibreOffice shows).
_DRAWN = re.compile(r"^(?:word|ppt|xl)/(charts/chart|diagrams/data|diagrams/drawing)(\d+)\.xml$")
_DRAWN_LABELS = {"charts/chart": "chart", "diagrams/data": "SmartArt", "diagrams/drawing": "SmartArt drawing"}
_STRICT = b"http://purl.oclc.org/ooxml/"  # the namespaces of ISO 29500 Strict documents (Word's "Strict Open XML")


class Dialect(Protocol):
    """How one format's paragraphs hold their text."""

    containers: set[str]  # what may stand between a paragraph and its runs (kept around their translation)

    def items(self, p) -> list[tuple[object, bool]]:
        """The paragraph's runs and untranslated items in order: (element, whether it is a text run)."""

    def text(self, run) -> str: ...

    def formatting(self, run) -> bytes:
        """What makes runs look different (a language mark and spell-check state do not)."""

    def containers_of(self, run, p) -> list: ...

    def new_run(self, template, containers: list, text: str, target: str, rtl: bool):
        """A run (inside copies of ``containers``) like ``template``, holding ``text``, in the target language."""

    def finish(self, p, target: str, rtl: bool) -> None:
        """The paragraph after its text is in: direction, language, spell-check marks dropped."""


def look(rpr, unseen_attributes: Sequence[str] = (), unseen_children: frozenset = frozenset()) -> bytes:
    """Run properties ``rpr`` as bytes equal for runs that look the same: without the attributes and
    child elements no reader sees, in canonical XML; none, or nothing left: ``b""``."""
    from lxml import etree

    if rpr is None:
        return b""
    kept = copy.deepcopy(rpr)
    for name in unseen_attributes:
        kept.attrib.pop(name, None)
    for child in [c for c in kept if c.tag in unseen_children]:
        kept.remove(child)
    return etree.tostring(kept, method="c14n") if len(kept) or kept.attrib else b""


# Run properties that do not make runs look different: language and spell-check state.
_DRAWING_IGNORED = ("lang", "altLang", "dirty", "err", "noProof", "smtClean", "smtId")


class DrawingParagraphs:
    """How DrawingML paragraphs (slides, charts) hold their text (``toolkit.formats.ooxml.Dialect``)."""

    containers: set[str] = set()

    def items(self, p) -> list[tuple[object, bool]]:
        return [(child, child.tag == A + "r") for child in p if child.tag in (A + "r", A + "br", A + "fld")]

    def text(self, run) -> str:
        return "".join(t.text or "" for t in run.iter(A + "t"))

    def formatting(self, run) -> bytes:
        return look(run.find(A + "rPr"), unseen_attributes=_DRAWING_IGNORED)

    def containers_of(self, run, p) -> list:
        return []

    def new_run(self, template, containers: list, text: str, target: str, rtl: bool):
        from lxml import etree

        run = etree.Element(A + "r", dict(template.attrib))
        rpr = template.find(A + "rPr")
        rpr = copy.deepcopy(rpr) if rpr is not None else etree.Element(A + "rPr")
        for name in ("err", "dirty", "smtClean"):
            rpr.attrib.pop(name, None)
        rpr.set("lang", target)
        run.append(rpr)
        etree.SubElement(run, A + "t").text = text
        return run

    def finish(self, p, target: str, rtl: bool) -> None:
        end = p.find(A + "endParaRPr")
        if end is not None and end.get("lang"):
            end.set("lang", target)
        properties = p.find(A + "pPr")
        if rtl:
            if properties is None:
                from lxml import etree

                properties = etree.Element(A + "pPr")
                p.insert(0, properties)
            properties.set("rtl", "1")
        elif properties is not None and properties.get("rtl") == "1":  # a right-to-left source's: not the target's
            del properties.attrib["rtl"]


class Paragraph:
    """One paragraph read: its text runs by group (same formatting and containers), its untranslated
    items, and its ``text`` with tags."""

    def __init__(self, p, dialect: Dialect):
        self.p, self.dialect, self.label = p, dialect, ""
        self.copies: list[Paragraph] = []  # the same paragraph in a fallback: written with the same translation
        self.text_runs: list = []
        self.fixed: list[list] = []  # untranslated items between text, each a list of consecutive elements
        self.groups: list[tuple[list, object]] = []  # (containers, run): the template of each group
        self.following: list = [None]  # the first text run of the paragraph, and after each untranslated item
        pieces: list[tuple[str, int | None]] = []  # (text, group), or ("", None) for an untranslated item
        keys: dict[tuple, int] = {}
        for element, is_text in dialect.items(p):
            if not is_text:
                if pieces and pieces[-1][1] is None:
                    self.fixed[-1].append(element)
                else:
                    self.fixed.append([element])
                    self.following.append(None)
                    pieces.append(("", None))
                continue
            self.text_runs.append(element)
            text = dialect.text(element)
            if not text:  # an empty run (office suites leave them): removed with the others
                continue
            if self.following[-1] is None:
                self.following[-1] = element
            containers = dialect.containers_of(element, p)
            key = (tuple((c.tag, tuple(sorted(c.attrib.items()))) for c in containers), dialect.formatting(element))
            if key not in keys:
                keys[key] = len(self.groups)
                self.groups.append((containers, element))
            pieces.append((text, keys[key]))
        self.plain = "".join(text for text, _ in pieces)
        self.base, self.text = tagged(pieces, len(self.groups))

    def write(self, translation: str, target: str, rtl: bool) -> None:
        """Put ``translation`` (tags as this paragraph's text has them) in place of its text runs.

        The text after the n-th untranslated item goes after it, or, in the containers (a link, a
        field's result) of the first text that followed it in the source, there, in them: a link
        that also holds a field keeps one link, and words in a field's result stay in it."""
        outer, inner = self._markers()
        placed = [m for m in outer + inner if m is not None]
        for run in self.text_runs:
            parent = run.getparent()
            parent.remove(run)
            self._prune(parent)
        for anchor, group, text in pieces(translation, self.base, len(self.groups), len(self.fixed)):
            containers, template = self.groups[group]
            if inner[anchor] is not None and _starts(self.dialect.containers_of(inner[anchor], self.p), containers):
                outer[anchor], inner[anchor] = inner[anchor], None  # into the containers of the source's next text
            where = self.dialect.containers_of(outer[anchor], self.p)
            shared = 0
            while shared < min(len(where), len(containers)) and where[shared] is containers[shared]:
                shared += 1
            if shared < len(where):  # inside a container these words are not in: go on after it
                outer[anchor] = _marker(where[shared], after=True)
                placed.append(outer[anchor])
            outer[anchor].addprevious(self.dialect.new_run(template, containers[shared:], text, target, rtl))
        for marker in placed:
            parent = marker.getparent()
            parent.remove(marker)
            self._prune(parent)
        self.dialect.finish(self.p, target, rtl)
        for twin in self.copies:
            twin.write(translation, target, rtl)

    def _prune(self, container) -> None:
        """``container`` and the containers around it removed while they hold nothing."""
        while container is not self.p and container.tag in self.dialect.containers and _emptied(container):
            grand = container.getparent()
            grand.remove(container)
            container = grand

    def _markers(self) -> tuple[list, list]:
        """Where the translation's text goes: [before the first text run (0), after each untranslated
        item (n)], and [the same places inside the containers of the text that followed them in the
        source, None where that is the paragraph itself]; removed once the text is in."""
        from lxml import etree

        outer = [_marker(_top(self.text_runs[0], self.p), after=False)]
        for item in self.fixed:
            top = _top(item[-1], self.p)
            while top.getnext() is not None and top.getnext().tag is etree.Comment:
                top = top.getnext()  # after the markers already there: in the items' order
            outer.append(_marker(top, after=True))
        inner = [None if run is None or run.getparent() is self.p else _marker(run, after=False) for run in self.following]
        return outer, inner


def _marker(element, after: bool):
    """A marker (a comment) put just before or after ``element``."""
    from lxml import etree

    marker = etree.Comment("here")
    element.addnext(marker) if after else element.addprevious(marker)
    return marker


def _starts(prefix: list, chain: list) -> bool:
    """Whether the containers ``chain`` begin with those of ``prefix`` (the same elements)."""
    return bool(prefix) and len(prefix) <= len(chain) and all(a is b for a, b in zip(prefix, chain))


def tagged(pieces: list[tuple[str, int | None]], groups: int) -> tuple[int, str]:
    """A paragraph's (text, group) pieces (group None: an untranslated item) as one text with tags,
    and its base group (the one with the most text, which has no tag)."""
    chars = [0] * groups
    for text, group in pieces:
        if group is not None:
            chars[group] += len(text)
    base = max(range(groups), key=chars.__getitem__) if groups else 0
    out, open_group, fixed = [], None, 0
    for text, group in pieces:
        if group != open_group and open_group not in (None, base):
            out.append(f"</g{open_group + 1}>")
        if group is None:
            fixed += 1
            out.append(f"<x{fixed}/>")
        elif group != open_group and group != base:
            out.append(f"<g{group + 1}>")
        out.append(escape(text))
        open_group = group
    if open_group not in (None, base):
        out.append(f"</g{open_group + 1}>")
    return base, "".join(out)


def pieces(translation: str, base: int, groups: int, fixed: int) -> list[tuple[int, int, str]]:
    """The translation as (anchor, group, text): text after the n-th untranslated item's tag goes
    after that item (0: where the text began), in the formatting of the tags open around it (none:
    the paragraph's most common). A tag unknown or closed before it opened is dropped; one left open
    closes at the end."""
    out: list[tuple[int, int, str]] = []
    anchor, stack, end = 0, [], 0

    def add(text: str) -> None:
        text = unescape(text)
        if not text:
            return
        group = stack[-1] if stack else base
        if out and out[-1][:2] == (anchor, group):
            out[-1] = (anchor, group, out[-1][2] + text)
        else:
            out.append((anchor, group, text))

    for m in _TAG.finditer(translation):
        add(translation[end:m.start()])
        end = m.end()
        if m.group(3):
            n = int(m.group(3))
            anchor = n if n <= fixed else anchor
        elif 1 <= int(m.group(2)) <= groups:
            group = int(m.group(2)) - 1
            if not m.group(1):
                stack.append(group)
            elif group in stack:
                del stack[len(stack) - 1 - stack[::-1].index(group):]
    add(translation[end:])
    return out


def _emptied(container) -> bool:
    """Nothing left in a container but its properties (``w:sdtPr``, ``w:smartTagPr``...): no content,
    no marker."""
    return not any(not isinstance(c.tag, str) or not c.tag.endswith("Pr") for c in container)


def _top(element, p):
    """The child of ``p`` that holds ``element``."""
    while element.getparent() is not p:
        element = element.getparent()
    return element


def ancestor(element, stop, tags: set):
    """The nearest ancestor of ``element`` below ``stop`` with one of ``tags``, or None."""
    parent = element.getparent()
    while parent is not None and parent is not stop:
        if parent.tag in tags:
            return parent
        parent = parent.getparent()
    return None


def set_child(parent, tag: str, order: tuple[str, ...], namespace: str):
    """``parent``'s child ``tag`` (made, in its schema ``order``, when missing)."""
    found = parent.find(namespace + tag)
    if found is not None:
        return found
    from lxml import etree

    child = etree.Element(namespace + tag)
    later = {namespace + name for name in order[order.index(tag) + 1:]}
    for i, sibling in enumerate(parent):
        if sibling.tag in later:
            parent.insert(i, child)
            return child
    parent.append(child)
    return child


def open_package(data: bytes, where: str, fmt, required: Sequence[str]) -> zipfile.ZipFile:
    """An office document's zip (``open_zip``), read with lxml, holding every part in ``required``."""
    documents_library("lxml.etree", where, fmt.title)
    archive = open_zip(data, where, fmt)
    names = archive.namelist()
    for part in required:
        if part not in names:
            raise not_this_format(where, fmt, f"a zip without {part}")
    return archive


class OfficeFormat:
    """What DOCX and PPTX formats share: bytes in and out, parts with tags."""

    markup = True  # its parts carry tags: they become codes
    output_suffix = None
    binary = True


class Package:
    """A document read: its paragraphs as ``parts``; ``write`` puts their translations back (then
    ``restyle(trees, target)``, for what else says the language) and zips the document again."""

    def __init__(self, archive: zipfile.ZipFile, trees: dict, paragraphs: list[Paragraph],
                 restyle: Callable[[dict, str], None] | None = None):
        self.archive, self.trees, self.paragraphs, self.restyle = archive, trees, paragraphs, restyle
        self.parts = tuple(Part(p.text, p.label) for p in paragraphs)

    def write(self, translations: Sequence[str], target: str) -> bytes:
        from toolkit.languages import get_language

        rtl = get_language(target).rtl
        for paragraph, translation in zip(self.paragraphs, translations, strict=True):
            paragraph.write(translation, target, rtl)
        if self.restyle is not None:
            self.restyle(self.trees, target)
        return write_zip(self.archive, self.trees)


def relations(tree, folder: str) -> dict[str, tuple[str, str]]:
    """A part's relationships (``tree``, its ``.rels``; ``folder``, the part's own): id -> (type, the part it names)."""
    found = {}
    for rel in tree.iter(_PKG_REL + "Relationship"):
        target = rel.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        found[rel.get("Id")] = (rel.get("Type", ""), part)
    return found


def related(archive: zipfile.ZipFile, part: str, where: str, fmt) -> dict[str, str]:
    """The parts ``part`` names in its own ``.rels`` ('': the package's, ``_rels/.rels``), each with the
    last word of its relationship's type (``header``, ``officeDocument``); none where it has no ``.rels``."""
    folder, base = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", base + ".rels")
    if rels not in archive.namelist():
        return {}
    return {name: kind.rsplit("/", 1)[-1] for kind, name in relations(parse_parts(archive, [rels], where, fmt)[rels],
                                                                      folder).values()}


def main_part(archive: zipfile.ZipFile, usual: str, where: str, fmt) -> str:
    """The package's main part, as its ``_rels/.rels`` names it (``officeDocument``; generators do not
    all call it ``word/document.xml``), else its ``usual`` name."""
    return next((name for name, kind in related(archive, "", where, fmt).items()
                 if kind == "officeDocument" and name in archive.namelist()), usual)


def read_package(archive: zipfile.ZipFile, where: str, fmt, main: str, parts: Sequence[str],
                 dialect: Dialect, paragraph_tag: str, label: Callable[[str, object, int], str],
                 also: Sequence[str] = (), restyle: Callable[[dict, str], None] | None = None,
                 keep: Callable[[str, object], bool] = lambda part, p: True) -> Package:
    """A document of ``fmt`` (its zip, with the main part ``main``): the paragraphs of the parts
    ``parts`` read with ``dialect`` (those that ``keep(part, paragraph)``), each named by
    ``label(part, paragraph, n)``, then its charts' titles and SmartArt (``drawn_paragraphs``); the
    parts ``also`` parsed too, for ``restyle``."""
    if main not in archive.namelist():
        raise not_this_format(where, fmt, f"a zip without {main}")
    with archive.open(main) as head:
        strict = _STRICT in head.read(4096)  # its root element's namespaces, without unzipping the whole part
    if strict:
        raise InputError(f"{where}: a Strict Open XML document, which is not read",
                         f"save it as an ordinary {fmt.title} document (not \"Strict Open XML\") and try again")
    names = archive.namelist()
    trees = parse_parts(archive, list(parts) + [n for n in also if n in names], where, fmt)
    paragraphs = []
    for name in parts:
        kept = [paragraph for paragraph in paragraphs_of(trees[name], paragraph_tag, dialect) if keep(name, paragraph.p)]
        for n, paragraph in enumerate(kept, 1):
            paragraph.label = label(name, paragraph.p, n)
            paragraphs.append(paragraph)
    return Package(archive, trees, paragraphs + drawn_paragraphs(archive, trees, where, fmt), restyle)


def drawn_paragraphs(archive: zipfile.ZipFile, trees: dict, where: str, fmt) -> list[Paragraph]:
    """The paragraphs of a document's charts' titles (``chart 1 paragraph 1``) and SmartArt
    (``SmartArt 1 paragraph 1``; the drawing cached from it written with the same translations),
    their parts parsed into ``trees``."""
    names = archive.namelist()
    drawn = sorted((n for n in names if _DRAWN.match(n)),  # charts, then SmartArt's data, then their drawings
                   key=lambda n: (list(_DRAWN_LABELS).index(_DRAWN.match(n).group(1)), int(_DRAWN.match(n).group(2))))
    trees.update(parse_parts(archive, drawn, where, fmt))
    paragraphs = []
    smartart: dict[str, Paragraph] = {}  # a SmartArt's data paragraphs by text: its drawing's are their copies
    for name in drawn:
        kind, number = _DRAWN.match(name).groups()
        for n, paragraph in enumerate(paragraphs_of(trees[name], A + "p", DrawingParagraphs()), 1):
            if kind == "diagrams/drawing" and paragraph.text in smartart:
                smartart[paragraph.text].copies.append(paragraph)
                continue
            if kind == "diagrams/data":
                smartart.setdefault(paragraph.text, paragraph)
            paragraph.label = f"{_DRAWN_LABELS[kind]} {number} paragraph {n}"
            paragraphs.append(paragraph)
    return paragraphs


def parse_parts(archive: zipfile.ZipFile, names: list[str], where: str, fmt) -> dict:
    """The XML trees of the parts ``names`` (entities never resolved, nothing fetched)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    trees = {}
    for name in names:
        try:
            trees[name] = etree.fromstring(archive.read(name), parser).getroottree()
        except (etree.XMLSyntaxError, zipfile.BadZipFile, EOFError, OSError) as exc:
            raise not_this_format(where, fmt, f"{name} is damaged: {str(exc).splitlines()[0]}") from None
    return trees


def paragraphs_of(tree, tag: str, dialect: Dialect) -> list[Paragraph]:
    """The paragraphs (``tag``) of a part that have text to translate. A paragraph in an
    ``mc:Fallback`` with the same text as its place in the ``mc:Choice`` is not one: it is that
    paragraph's copy, written with its translation (one part, the same words in both)."""
    found = []
    choices: dict = {}  # an mc:AlternateContent -> the paragraphs of its choice not yet matched by its fallback's
    for p in tree.iter(tag):
        paragraph = Paragraph(p, dialect)
        if not (paragraph.text_runs and paragraph.plain.strip()):
            continue
        branch = ancestor(p, None, {MC + "Choice", MC + "Fallback"})
        if branch is not None and branch.tag == MC + "Fallback":
            twins = choices.get(branch.getparent())
            if twins and twins[0].text == paragraph.text:
                twins.pop(0).copies.append(paragraph)
                continue
        elif branch is not None:
            choices.setdefault(branch.getparent(), []).append(paragraph)
        found.append(paragraph)
    return found


def write_zip(archive: zipfile.ZipFile, trees: dict) -> bytes:
    """The zip again: the parts in ``trees`` written from them, every other part copied as it was."""
    from lxml import etree

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as written:
        for info in archive.infolist():
            tree = trees.get(info.filename)
            data = archive.read(info) if tree is None else etree.tostring(tree, xml_declaration=True, encoding="UTF-8",
                                                                           standalone=True)
            stored = info.filename == "mimetype"  # an OpenDocument's first entry, which ODF requires uncompressed
            written.writestr(info, data, compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
    return out.getvalue()
