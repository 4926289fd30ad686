"""HTML (``.html``, ``.htm``, ``.xhtml``) into HTML, read with the standard library's ``html.parser``
for the place of every tag, text and entity in the file: everything outside the translated text is
written back byte for byte.

Each block's text (a paragraph, heading, list item, table cell, title...) is one part, with its inline
elements (``<b>``, ``<a href>``, ``<span>``, ``<br>``) left in it as tags that protection turns into
inline codes (paired where they wrap text), so that the model sees whole sentences. ``<script>``,
``<style>``, ``<pre>``, ``<code>`` and the like are kept whole (one code where they sit in a sentence);
comments too, and so is an element marked ``translate="no"`` (its text attributes too). The ``alt``, ``title``, ``placeholder`` and ``aria-label`` attributes and a page's meta
description are parts of their own. ``<html lang>`` is set to the target, with ``dir="rtl"`` for a
right-to-left one (and ``<body>``'s ``lang`` and ``dir``, where it has them, as LibreOffice writes
them); any other element's own ``lang``, ``xml:lang`` and ``dir`` (``<p lang="en-US">``) follow the
target where text inside it was translated, and stay where none was (``<code>``, ``<pre>``). Where the
target's direction is not the source text's, the direction the page's CSS states follows the target
(``mirrored_css``: ``<style>`` elements and the ``style`` attributes of the elements whose ``dir``
follows it). Text left as it was keeps its source form exactly (line breaks, entities)."""

from __future__ import annotations

import html
import unicodedata
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Iterable, Sequence

import regex

from toolkit.formats import FormatOptions, Part, not_this_format
from toolkit.languages import get_language

# Elements that sit inside a block's text: their tags become inline codes in its sentences (and
# namespaced ones, which Word's "Save as Web Page" puts inside sentences: <o:p>, <st1:City>).
INLINE = frozenset("a abbr b bdi bdo big br cite data del dfn em font i img ins label mark nobr q s small span "
                   "strike strong sub sup time tt u wbr".split())
# Elements kept whole, content and all: inside a sentence one code, between blocks as they are.
KEPT_INLINE = frozenset("code kbd samp var svg math script style".split())
KEPT_BLOCK = frozenset("pre textarea template".split())
TRANSLATED_ATTRIBUTES = frozenset(("alt", "title", "placeholder", "aria-label"))
# Elements that have no end tag, and those a start tag of the same name closes.
VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
CLOSED_BY_NEXT = frozenset("p li td th tr dt dd option".split())
# <meta name=... content=...> whose content is text for readers.
TRANSLATED_META = frozenset(("description", "og:title", "og:description", "twitter:title", "twitter:description"))

_NO_TRANSLATE = regex.compile(r"""\stranslate\s*=\s*["']?no(?=["'\s/>])""", regex.I)
_ATTRIBUTE = regex.compile(r"""(?<=[\s"'/])([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_BREAKS = regex.compile(r"[ \t\f]*[\r\n][\s]*")
_WS = " \t\r\n\f"
_BARE_AMPERSAND = regex.compile(r"&(?![A-Za-z][A-Za-z0-9]{0,31};|#\d{1,7};|#[xX][0-9A-Fa-f]{1,6};)")
_TAG_SHOWN = regex.compile(r"</?[A-Za-z][^<>]*>")
# What an entity may be shown to the model as (its character); these stay entities (codes).
_MARKUP_CHARS = frozenset("&<>\"'")
# A CSS declaration of a physical direction: `direction: ltr`, `TEXT-ALIGN : Left !important`.
_DIRECTED = regex.compile(r"(?<![\w-])(?:(direction\s*:\s*)(ltr|rtl)|(text-align\s*:\s*)(left|right))(?![\w-])", regex.I)
_RIGHT_TO_LEFT_LETTER = regex.compile(r"[\p{Bidi_Class=R}\p{Bidi_Class=AL}]")
_LEFT_TO_RIGHT_LETTER = regex.compile(r"\p{Bidi_Class=L}")


def mirrored_css(css: str, rtl: bool) -> str:
    """``css`` with the directions it states turned to the target's, right to left (``rtl``) or left to
    right: ``direction: ltr`` to ``rtl`` and ``text-align: left`` to ``right`` (or the reverse), as a
    word processor mirrors a paragraph made right to left; every other byte as it was (``text-align:
    start`` already follows the direction)."""
    def turned(m: regex.Match) -> str:
        value = m.group(2) or m.group(4)
        new = {"ltr": "rtl", "left": "right"} if rtl else {"rtl": "ltr", "right": "left"}
        new = new.get(value.lower(), value.lower())
        new = new.upper() if value.isupper() else new.title() if value.istitle() else new
        return (m.group(1) or m.group(3)) + new

    return _DIRECTED.sub(turned, css)


def written_right_to_left(texts: Iterable[str]) -> bool:
    """Whether most letters of ``texts`` are right-to-left ones (Persian, Arabic, Hebrew): the
    direction of a document's source text, which its CSS states."""
    texts = [_TAG_SHOWN.sub("", t) for t in texts]  # a part's tags aside
    return sum(len(_RIGHT_TO_LEFT_LETTER.findall(t)) for t in texts) > sum(len(_LEFT_TO_RIGHT_LETTER.findall(t)) for t in texts)


class _Events(HTMLParser):
    """Where each tag, text and entity starts (offsets into the text) and what it is."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=False)
        self.line_starts = [0] + [m.end() for m in regex.finditer("\n", text)]
        self.events: list[tuple[int, str, str]] = []  # (start, kind, tag name)
        self.feed(text)
        self.close()

    def _add(self, kind: str, tag: str = "") -> None:
        line, column = self.getpos()
        self.events.append((self.line_starts[line - 1] + column, kind, tag))

    def handle_starttag(self, tag, attrs):
        self._add("start", tag)

    def handle_startendtag(self, tag, attrs):
        self._add("empty", tag)

    def handle_endtag(self, tag):
        self._add("end", tag)

    def handle_data(self, data):
        self._add("text")

    def _entity(self, name):
        self._add("entity")

    def _other(self, data):  # a comment, doctype, processing instruction or CDATA section
        self._add("other")

    handle_entityref = handle_charref = _entity
    handle_comment = handle_decl = handle_pi = unknown_decl = _other


@dataclass
class _Tag:
    """A start tag: its translated attributes' values (part number, start, end, quote); the
    document's ``<html>`` gets the target's language and direction."""

    raw: str
    name: str
    values: list[tuple[int, int, int, str]] = field(default_factory=list)
    xml: bool = False  # XHTML: ``xml:lang`` is set (added) too
    inside: list[int] = field(default_factory=list)  # the parts of the text inside the element

    def render(self, translations: Sequence[str], parts: Sequence[Part], target: str, mirror: bool) -> str:
        edits = []  # (start, end, new text)
        for n, start, end, quote in self.values:
            if translations[n] != parts[n].text:
                value = translations[n].replace("&", "&amp;").replace(quote or '"', "&quot;" if quote != "'" else "&#39;")
                edits.append((start, end, value if quote else f'"{value}"'))
        if self.name in ("html", "body"):  # the page's language and direction (office suites write them on <body>)
            language, root = get_language(target), self.name == "html"
            edits += self._set("lang", target, add=root) + self._set("xml:lang", target, add=root and self.xml)
            edits += self._set("dir", language.direction, add=root and language.rtl) + self._mirror_style(target, mirror)
        elif any(translations[n] != parts[n].text for n in self.inside):  # its own language: that of its text
            edits += self._set("lang", target, add=False) + self._set("xml:lang", target, add=False)
            edits += self._set("dir", get_language(target).direction, add=False) + self._mirror_style(target, mirror)
        out, end = [], 0
        for start, stop, new in sorted(edits):
            out += [self.raw[end:start], new]
            end = stop
        return "".join(out) + self.raw[end:]

    def _set(self, name: str, value: str, add: bool = True) -> list[tuple[int, int, str]]:
        """The edit that gives attribute ``name`` the ``value`` (added after the tag's name when missing and ``add``)."""
        m, group = self._attribute(name)
        if m is None:
            return [(len(self.name) + 1, len(self.name) + 1, f' {name}="{value}"')] if add else []
        if group is None:
            return [(m.end(1), m.end(1), f'="{value}"')]
        return [(m.start(group), m.end(group), value if group != 4 else f'"{value}"')]

    def _mirror_style(self, target: str, mirror: bool) -> list[tuple[int, int, str]]:
        """The edit that turns the directions the ``style`` attribute states to the target's (``mirror``)."""
        m, group = self._attribute("style")
        if not mirror or group is None:
            return []
        style = m.group(group)
        turned = mirrored_css(style, get_language(target).rtl)
        return [(m.start(group), m.end(group), turned)] if turned != style else []

    def _attribute(self, name: str) -> tuple[regex.Match | None, int | None]:
        """Attribute ``name``'s match and the group of its value (None: no value), or (None, None)."""
        for m in _ATTRIBUTE.finditer(self.raw, len(self.name) + 1):
            if m.group(1).lower() == name:
                return m, next((g for g in (2, 3, 4) if m.group(g) is not None), None)
        return None, None


@dataclass
class _Style:
    """A ``<style>`` element: kept whole, but for the directions its CSS states (``mirror``)."""

    raw: str

    def render(self, translations: Sequence[str], parts: Sequence[Part], target: str, mirror: bool) -> str:
        return mirrored_css(self.raw, get_language(target).rtl) if mirror else self.raw


@dataclass
class _Run:
    """A block's text as one part: its source (``raw``, written back when the translation is the
    part's text itself), its leading and trailing spaces, and its tags as the part shows them."""

    part: int
    lead: str
    raw: str
    trail: str
    tags: list[tuple[str, _Tag | _Style | str]]  # (as shown in the part, the tag or the kept text it stands for)

    def render(self, translations: Sequence[str], parts: Sequence[Part], target: str, mirror: bool) -> str:
        translated = translations[self.part]
        if translated == parts[self.part].text:
            return self.lead + self.raw + self.trail
        queues: dict[str, deque] = {}
        for shown, tag in self.tags:
            queues.setdefault(shown, deque()).append(tag if isinstance(tag, str) else tag.render(translations, parts, target, mirror))
        body, end = [], 0
        for m in _TAG_SHOWN.finditer(translated):
            body += [_escape(translated[end:m.start()]), queues[m.group()].popleft() if queues.get(m.group()) else _escape(m.group())]
            end = m.end()
        return self.lead + "".join(body) + _escape(translated[end:]) + self.trail


def _escape(text: str) -> str:
    """A model's text as HTML (and XML) text: a ``&`` that starts no entity, and ``<``, escaped."""
    return _BARE_AMPERSAND.sub("&amp;", text).replace("<", "&lt;")


def _collapse(text: str) -> str:
    """Line breaks (and the spaces around them) as one space: they are spaces in HTML, and a part is one line."""
    return _BREAKS.sub(" ", text)


def _shown_entity(raw: str) -> str:
    """An entity as the part shows it: its character, unless that is markup (``&amp;``, ``&lt;``...,
    kept as an entity, a code) or a control."""
    char = html.unescape(raw)
    if len(char) != 1 or char in _MARKUP_CHARS or unicodedata.category(char) == "Cc":
        return raw
    return char


def unclosed_comment(html: str) -> int:
    """Where a comment that is never closed starts (it runs to the end, as browsers read it); -1 if none."""
    start = html.find("<!--")
    while start != -1:
        end = html.find("-->", start + 4)
        if end == -1:
            return start
        start = html.find("<!--", end + 3)
    return -1


def _has_text(text: str) -> bool:
    return any(c.isalpha() or c.isdigit() for c in text)


class HtmlDocument:
    """An HTML file read: verbatim text, start tags and blocks' runs in order."""

    def __init__(self, text: str, xml: bool = False):
        self.xml = xml
        self.pieces: list[str | _Tag | _Style | _Run] = []
        self.parts: list[Part] = []
        self._run: list[tuple[str, str, object]] = []  # (kind, raw, tag) of the open block's items
        self._open: list[_Tag] = []  # the elements open where the reading is, outermost first
        self._block = "body"  # the last block element opened, to name a part
        self.blocks = 0
        cut = unclosed_comment(text)
        tail = text[cut:] if cut != -1 else ""  # a comment never closed runs to the end, as browsers read it
        text = text[:len(text) - len(tail)]
        tokens = self._tokens(text)
        i = 0
        while i < len(tokens):
            start, end, kind, name = tokens[i]
            raw = text[start:end]
            kept_by_name = name in KEPT_INLINE | KEPT_BLOCK
            if kind == "start" and (kept_by_name or (name not in VOID and _NO_TRANSLATE.search(raw))):
                j = self._closing(tokens, i)
                raw = text[start:tokens[j][1]]
                style = _Style(raw) if name == "style" else None
                if name in KEPT_BLOCK or not (kept_by_name or name in INLINE or ":" in name):
                    self._flush()
                    self.pieces.append(style or raw)
                else:
                    self._run.append(("kept", raw, style))
                i = j + 1
                continue
            if kind in ("start", "empty", "end") and (name in INLINE or ":" in name):  # Office's <o:p>, <st1:City>
                self._run.append(("tag", raw, self._tag(raw, name, kind) if kind != "end" else None))
            elif kind in ("text", "entity"):
                self._run.append((kind, raw, None))
            elif kind == "other" and self._run:
                self._run.append(("kept", raw, None))
            else:  # a block's tag, a doctype, a comment between blocks
                self._flush()
                if kind in ("start", "empty"):
                    self._block = name
                    self.pieces.append(self._tag(raw, name, kind))
                else:
                    self.pieces.append(raw)
            if kind == "end":
                self._close(name)
            i += 1
        self._flush()
        self.pieces.append(tail)
        self.parts = tuple(self.parts)

    @staticmethod
    def _tokens(text: str) -> list[tuple[int, int, str, str]]:
        events = _Events(text).events
        if not events or events[0][0] > 0:
            events.insert(0, (0, "other", ""))
        ends = [e[0] for e in events[1:]] + [len(text)]
        return [(start, end, kind, name) for (start, kind, name), end in zip(events, ends)]

    @staticmethod
    def _closing(tokens: list[tuple[int, int, str, str]], i: int) -> int:
        """The token that closes the element opened at ``i`` (the last token if none does)."""
        depth, name = 0, tokens[i][3]
        for j in range(i, len(tokens)):
            if tokens[j][3] == name and tokens[j][2] in ("start", "end"):
                depth += 1 if tokens[j][2] == "start" else -1
                if depth == 0:
                    return j
        return len(tokens) - 1

    def _tag(self, raw: str, name: str, kind: str) -> _Tag:
        """A start tag read (and opened, where it is one that an end tag closes)."""
        tag = _Tag(raw, name, xml=self.xml)
        if kind == "start" and name not in VOID:
            if name in CLOSED_BY_NEXT and self._open and self._open[-1].name == name:
                self._open.pop()
            self._open.append(tag)
        is_meta = name == "meta" and bool(regex.search(
            r"""(?:name|property)\s*=\s*["']?(?:%s)["'\s/>]""" % "|".join(map(regex.escape, TRANSLATED_META)), raw, regex.I))
        for m in _ATTRIBUTE.finditer(raw, len(name) + 1):
            attribute = m.group(1).lower()
            group = next((g for g in (2, 3, 4) if m.group(g) is not None), None)
            if group is None or not (attribute in TRANSLATED_ATTRIBUTES or (is_meta and attribute == "content")):
                continue
            if _NO_TRANSLATE.search(raw):  # translate="no": its text attributes kept too
                break
            value = _collapse(html.unescape(m.group(group))).strip(_WS)
            if _has_text(value):
                tag.values.append((len(self.parts), m.start(group), m.end(group), {2: '"', 3: "'", 4: ""}[group]))
                self.parts.append(Part(value, f"<{name} {attribute}>"))
        return tag

    def _close(self, name: str) -> None:
        """The element ``name`` most recently opened closed (and those opened inside it); none if none is open."""
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i].name == name:
                del self._open[i:]
                return

    def _flush(self) -> None:
        """The open block's items: one part when they hold text, else kept as they are."""
        items, self._run = self._run, []
        if not items:
            return
        raw = "".join(r for _, r, _ in items)
        if not _has_text("".join(r for kind, r, _ in items if kind in ("text", "entity"))):
            self.pieces.extend(tag if tag is not None else r for _, r, tag in items)
            return
        shown, tags = [], []
        for kind, r, tag in items:
            if kind == "text":
                shown.append(_collapse(r))
            elif kind == "entity":
                shown.append(_shown_entity(r))
            else:
                form = _collapse(r) if kind == "tag" else ""
                if not _TAG_SHOWN.fullmatch(form):
                    form = f"<x-kept-{len(tags) + 1}/>"
                tags.append((form, tag if tag is not None else r))
                shown.append(form)
        text = "".join(shown)
        body = raw.strip(_WS)
        lead = raw[:len(raw) - len(raw.lstrip(_WS))]
        self.pieces.append(_Run(len(self.parts), lead, body, raw[len(lead) + len(body):], tags))
        for tag in {id(t): t for t in [*self._open, *(t for _, _, t in items if isinstance(t, _Tag))]}.values():
            tag.inside.append(len(self.parts))
        self.blocks += 1
        self.parts.append(Part(text.strip(_WS), f"block {self.blocks} <{self._block}>"))

    def write(self, translations: Sequence[str], target: str, mirror: bool | None = None) -> str:
        """The page with ``translations`` of its parts, in ``target``; its CSS's directions turned to the
        target's where ``mirror`` (by default: where the target's direction is not its source text's)."""
        if mirror is None:
            mirror = written_right_to_left(p.text for p in self.parts) != get_language(target).rtl
        return "".join(p if isinstance(p, str) else p.render(translations, self.parts, target, mirror) for p in self.pieces)


class Html:
    title = "web page (HTML)"
    markup = True  # inline tags and entities are codes
    output_suffix = None

    def check(self, text: str, where: str) -> None:
        """Refuse a file that is not a web page: one with binary data in it (any text parses as HTML)."""
        if "\0" in text:
            raise not_this_format(where, self, "binary data in it")

    def read(self, text: str, where: str, options: FormatOptions) -> HtmlDocument:
        self.check(text, where)
        return HtmlDocument(text, xml=where.lower().endswith(".xhtml"))


FORMAT = Html()
