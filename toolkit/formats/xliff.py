"""XLIFF 1.2 and 2.0 (``.xlf``, ``.xliff``) into XLIFF, read and written with lxml (translate-toolkit,
which also reads XLIFF, is GPL: toolkit does not depend on it). The version comes from the root
``<xliff version>``.

Each unit's ``<source>`` is one part, its inline elements (1.2: ``<g>``, ``<x/>``, ``<bx/>``, ``<ex/>``,
``<ph>``, ``<bpt>``/``<ept>``, ``<it>``, ``<mrk>``; 2.0: ``<pc>``, ``<ph/>``, ``<sc/>``/``<ec/>``, ``<mrk>``,
``<sm/>``/``<em/>``) left in it as tags that protection turns into inline codes (paired where an element
wraps text), so they come back byte for byte. The translation goes into the unit's ``<target>``
(created after the source if missing), marked as machine translated and needing review:

- 1.2: ``state="needs-review-translation"`` with ``state-qualifier="mt-suggestion"`` (the text is
  translated and only needs review; ``needs-translation`` would tell a CAT tool it is still
  untranslated); ``target-language`` on every ``<file>`` and ``xml:lang`` on the target set.
- 2.0: the segment's ``state="translated"`` (the step before ``reviewed`` and ``final``: not yet
  reviewed); ``trgLang`` on ``<xliff>`` set.

Units with ``translate="no"`` (on the unit, or in 2.0 on its group or file) are skipped, and so are
units whose target already holds text, unless ``overwrite``. ``<seg-source>``, ``<alt-trans>``,
notes and everything else are left as they are; the file keeps its XML declaration and encoding.
Parts are labelled ``unit ID`` (2.0: ``unit ID segment N`` where a unit has several segments).
"""

from __future__ import annotations

import re
from copy import deepcopy
from typing import Sequence
from xml.sax.saxutils import escape

from toolkit.formats import FormatOptions, Part, documents_library, not_this_format

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# What comes before the root element: a BOM, the declaration, comments, processing instructions, a doctype.
_PROLOG = re.compile(rb"(?:\xef\xbb\xbf)?(?:[ \t\r\n]+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?>)*", re.S)
_TAG = re.compile(r"<(/?)([^\s/>]+)[^<>]*?(/?)>")
# In a translation: a tag, an entity, or a character XML needs escaped; the entities XML knows without a DTD.
_MARKUP = re.compile(r"<[^<>]*>|&[A-Za-z_#][^;\s<&]*;|[&<>]")
_XML_ENTITY = re.compile(r"&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9A-Fa-f]+);")
_CODES = re.compile(r"<[^<>]*>|&[^;\s]*;")
_STAND_IN = "xliff-code-"
_STAND_IN_TAG = re.compile(r"<xliff-code-(\d+)/>")


def _has_content(element) -> bool:
    return bool("".join(element.itertext()).strip()) or len(element) > 0


def _is_native_code(element) -> bool:
    """An inline element that holds the original format's code, not text: 1.2's ``<bpt>``, ``<ept>``,
    ``<it>``, ``<ph>``, a protected ``<mrk>``, and a ``<mrk translate="no">`` (2.0)."""
    name = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""
    return name in ("bpt", "ept", "it", "ph") or (name == "mrk" and (element.get("mtype") == "protected"
                                                                    or element.get("translate") == "no"))


def _inner(source, ns: str) -> tuple[str, list[str]]:
    """The source's content as written in the file (inline tags and entities as they are), each
    element of native code (kept whole, never translated) as an empty tag ``<xliff-code-N/>``; and
    those elements as written."""
    from lxml import etree

    copy = deepcopy(source)
    copy.tail = None
    kept: list[str] = []
    for element in [e for e in copy.iter() if e is not copy and _is_native_code(e)]:
        if not any(_is_native_code(a) for a in element.iterancestors()):
            raw = etree.tostring(element, encoding="unicode", with_tail=False)
            kept.append(raw.replace(f' xmlns="{ns}"', "", 1) if ns and raw.split(">", 1)[0].count("xmlns") else raw)
            stand_in = etree.Element(f"{{{ns}}}{_STAND_IN}{len(kept)}" if ns else f"{_STAND_IN}{len(kept)}")
            stand_in.tail = element.tail
            element.getparent().replace(element, stand_in)
    raw = etree.tostring(copy, encoding="unicode")
    return ("" if raw.endswith("/>") else raw[raw.index(">") + 1: raw.rindex("</")]), kept


def _balanced(markup: str) -> str:
    """``markup`` with a closing tag that came back inside another element (the model moved it)
    closed after that element instead: every tag kept once, and the XML well formed."""
    out, stack, pending, end = [], [], [], 0
    for m in _TAG.finditer(markup):
        out.append(markup[end:m.start()])
        end = m.end()
        closing, name, empty = m.group(1), m.group(2), m.group(3)
        if empty or not closing:
            out.append(m.group())
            if not empty:
                stack.append(name)
            continue
        if stack and stack[-1] == name:
            out.append(m.group())
            stack.pop()
            while stack and pending and pending[-1][0] == stack[-1]:
                out.append(pending.pop()[1])
                stack.pop()
        else:
            pending.append((name, m.group()))
    out.append(markup[end:])
    out.extend(tag for _, tag in reversed(pending))
    return "".join(out)


def _escaped(translation: str, tags: set[str]) -> str:
    """A translation made XML: the source's tags and entities (its codes, restored) kept, and what the model
    wrote itself (a tag of its own, a bare ``&``, ``&nbsp;``) escaped as text."""

    def one(m: re.Match) -> str:
        found = m.group()
        if found in tags or _XML_ENTITY.fullmatch(found):
            return found
        return escape(found)

    return _MARKUP.sub(one, translation)


class _Unit:
    """One source to translate: where its target goes."""

    def __init__(self, source, holder, label: str):
        self.source, self.holder, self.label = source, holder, label  # holder: the unit (1.2) or segment (2.0)
        self.kept: list[str] = []  # its elements of native code, as written


class XliffDocument:

    def __init__(self, tree, data: bytes, options: FormatOptions):
        self.tree, self.data = tree, data
        root = tree.getroot()
        self.ns = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
        self.version2 = root.get("version", "").startswith("2")
        self.units, parts = [], []
        for unit in self._units2() if self.version2 else self._units1():
            if options.overwrite or not self._translated(unit):
                text, unit.kept = _inner(unit.source, self.ns)
                if _CODES.sub("", text).strip():  # text to translate, not only codes
                    self.units.append(unit)
                    parts.append(Part(text, unit.label))
        self.parts = tuple(parts)

    def _q(self, name: str) -> str:
        return f"{{{self.ns}}}{name}" if self.ns else name

    def _units1(self) -> list[_Unit]:
        return [_Unit(source, unit, f"unit {unit.get('id', n)}")
                for n, unit in enumerate(self.tree.getroot().iter(self._q("trans-unit")), 1)
                if unit.get("translate") != "no" and (source := unit.find(self._q("source"))) is not None]

    def _units2(self) -> list[_Unit]:
        found = []
        for n, unit in enumerate(self.tree.getroot().iter(self._q("unit")), 1):
            if any(e.get("translate") == "no" for e in (unit, *unit.iterancestors())):
                continue
            segments = unit.findall(self._q("segment"))
            for k, segment in enumerate(segments, 1):
                source = segment.find(self._q("source"))
                label = f"unit {unit.get('id', n)}" + (f" segment {k}" if len(segments) > 1 else "")
                if source is not None:
                    found.append(_Unit(source, segment, label))
        return found

    def _translated(self, unit: _Unit) -> bool:
        target = unit.holder.find(self._q("target"))
        return target is not None and _has_content(target)

    def write(self, translations: Sequence[str], target: str) -> bytes:
        from lxml import etree

        for unit, part, translation in zip(self.units, self.parts, translations):
            start = etree.tostring(unit.source, encoding="unicode").split(">", 1)[0].rstrip("/") + ">"
            markup = _balanced(_escaped(translation, set(_CODES.findall(part.text))))
            markup = _STAND_IN_TAG.sub(lambda m: unit.kept[int(m.group(1)) - 1], markup)
            try:
                self._put(unit, etree.fromstring(f"{start}{markup}</{start[1:].split()[0].rstrip('>')}>"), target)
            except etree.XMLSyntaxError:  # tags beyond repair: the source, marked as still to translate
                self._put(unit, deepcopy(unit.source), target, translated=False)
        root = self.tree.getroot()
        if self.version2:
            root.set("trgLang", target)
        else:
            for file in root.iter(self._q("file")):
                file.set("target-language", target)
        return self._serialized()

    def _put(self, unit: _Unit, new, target: str, translated: bool = True) -> None:
        old = unit.holder.find(self._q("target"))
        new.tag = self._q("target")
        attributes = dict(old.attrib) if old is not None else {}
        new.attrib.clear()
        new.attrib.update(attributes)
        if self.version2:
            unit.holder.set("state", "translated" if translated else "initial")
            if XML_LANG in new.attrib:
                new.set(XML_LANG, target)
        else:
            new.set(XML_LANG, target)
            new.set("state", "needs-review-translation" if translated else "needs-translation")
            new.attrib.pop("state-qualifier", None)
            if translated:
                new.set("state-qualifier", "mt-suggestion")
        if old is not None:
            new.tail = old.tail
            old.getparent().replace(old, new)
            return
        after = unit.holder.find(self._q("seg-source")) if not self.version2 else None
        after = unit.source if after is None else after
        before = after.getprevious().tail if after.getprevious() is not None else after.getparent().text
        new.tail = after.tail
        if before is not None and not before.strip():
            after.tail = before  # the target on a line of its own, indented as the source is
        after.addnext(new)

    def _serialized(self) -> bytes:
        """The document in its encoding, with its own XML declaration and what stands before the root."""
        from lxml import etree

        encoding = self.tree.docinfo.encoding or "UTF-8"
        prolog = _PROLOG.match(self.data)
        if encoding.lower().startswith("utf-16"):  # the prolog is not ASCII: lxml writes the declaration
            return etree.tostring(self.tree, encoding=encoding, xml_declaration=True)
        ending = b"\n" if self.data.rstrip(b" \t").endswith(b"\n") else b""
        return prolog.group() + etree.tostring(self.tree.getroot(), encoding=encoding, xml_declaration=False) + ending


class Xliff:
    title = "XLIFF"
    markup = True  # inline elements are tags: they become codes
    output_suffix = None
    binary = True  # XML in its own encoding

    def read(self, data: bytes, where: str, options: FormatOptions) -> XliffDocument:
        etree = documents_library("lxml.etree", where, "XLIFF")

        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        try:
            root = etree.fromstring(data, parser)
        except etree.XMLSyntaxError as exc:
            raise not_this_format(where, self, f"not well-formed XML: {exc}") from None
        version = root.get("version", "")
        if etree.QName(root).localname != "xliff" or version[:2] not in ("1.", "2."):
            raise not_this_format(where, self, f"its root is <{etree.QName(root).localname}"
                                  f"{' version=' + repr(version) if version else ''}>, not <xliff version=\"1.2\"> or \"2.0\"")
        return XliffDocument(root.getroottree(), data, options)


FORMAT = Xliff()
