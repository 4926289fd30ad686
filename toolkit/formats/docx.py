"""Word (DOCX) documents, on their XML with lxml: every paragraph with text (body, headings, lists,
tables nested or not, text boxes, headers and footers, footnotes and endnotes, comments) is one
part. Its text runs become the part's text, each change of formatting (bold, italic, a hyperlink
with its target, a tracked insertion) a paired tag ``<gN>...</gN>`` around the runs that have it
(the paragraph's most common formatting has none), and what is not text (a field, a footnote
reference, a picture, a tab stop's run) a standalone tag ``<xN/>``: protection turns the tags into
codes, so the model sees one sentence, not run by run. Runs split mid-word by spell-check with the
same formatting are one piece of text; spell-check marks (``w:proofErr``) are dropped (they would
mark the wrong words), bookmarks and everything else not a text run are left where they are.

Writing puts each piece of the translation into a run of its formatting, in the translation's
order, at its place between the untranslated items; every other part of the zip is copied as it
was. Every translated run and every style takes the target's ``w:lang``; for a right-to-left target
each translated paragraph gets ``w:bidi`` and each run ``w:rtl``.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
import zlib
from typing import Sequence

from toolkit.errors import InputError, ToolkitError
from toolkit.formats import MAX_UNZIPPED_BYTES, FormatOptions, Part, not_this_format

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# The parts of the zip whose paragraphs are translated, and how a part's name is labelled.
_TEXT_PARTS = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml$")
# What may stand between a paragraph and its text runs (kept around the runs' translation).
_CONTAINERS = {W + n for n in ("hyperlink", "ins", "smartTag", "customXml", "sdt", "sdtContent", "dir", "bdo", "moveTo")}
# A run is text when it holds only these (a tab or line break inside it is kept as \t or \n).
_TEXT_CONTENT = {W + n for n in ("rPr", "t", "tab", "br", "cr", "noBreakHyphen", "softHyphen", "lastRenderedPageBreak")}
# Formatting that does not make runs differ (spell-check's split runs differ in these).
_IGNORED_FORMATTING = {W + n for n in ("lang", "noProof", "rtl")}
# Schema order of the children of a run's and a paragraph's properties (Word refuses others).
_RPR_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
              "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w",
              "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign",
              "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath")
_PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
              "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
              "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
              "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
              "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")
_TAG = re.compile(r"<(/?)g(\d+)>|<x(\d+)/>")
_ESCAPES = {"&amp;": "&", "&lt;": "<", "&gt;": ">"}
_ENTITY = re.compile("|".join(_ESCAPES))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _set_child(parent, name: str, order: Sequence[str]):
    """``parent``'s child ``w:name`` (made, in its schema place, when missing)."""
    found = parent.find(W + name)
    if found is not None:
        return found
    from lxml import etree

    child = etree.Element(W + name)
    later = set(order[order.index(name) + 1:])
    for i, sibling in enumerate(parent):
        if isinstance(sibling.tag, str) and sibling.tag.startswith(W) and sibling.tag[len(W):] in later:
            parent.insert(i, child)
            return child
    parent.append(child)
    return child


def set_language(rpr, target: str, rtl: bool) -> None:
    """A run's (or style's) properties say the text is in ``target`` (and right to left)."""
    lang = _set_child(rpr, "lang", _RPR_ORDER)
    lang.set(W + "val", target)
    if rtl:
        lang.set(W + "bidi", target)
        _set_child(rpr, "rtl", _RPR_ORDER)


def _run_text(run) -> str:
    pieces = []
    for child in run:
        tag = child.tag
        if tag == W + "t":
            pieces.append(child.text or "")
        elif tag == W + "tab":
            pieces.append("\t")
        elif tag in (W + "br", W + "cr"):
            pieces.append("\n")
        elif tag == W + "noBreakHyphen":
            pieces.append("\u2011")
        elif tag == W + "softHyphen":
            pieces.append("\u00ad")
    return "".join(pieces)


def _is_text_run(run) -> bool:
    return all(isinstance(c.tag, str) and c.tag in _TEXT_CONTENT and not (c.tag == W + "br" and c.get(W + "type") not in (None, "textWrapping"))
               for c in run) and bool(_run_text(run))


class _Paragraph:
    """One paragraph read: its text runs by group (same formatting and containers), its untranslated
    items (runs of fields, references, pictures; a simple field whole), and its text with tags."""

    def __init__(self, p, label: str):
        self.p, self.label = p, label
        self.text_runs: list = []
        self.fixed: list[list] = []  # items between text, each a list of consecutive elements
        self.groups: list[tuple[tuple, object]] = []  # (containers, run) template of each group
        pieces: list[tuple[str, int | None]] = []  # (text, group) or ("", None) for a fixed item
        keys: dict[tuple, int] = {}
        in_field = 0
        last_fixed = False
        for run in _own_runs(p):
            chars = [c.get(W + "fldCharType") for c in run.iter(W + "fldChar")]
            simple_field = _ancestor(run, p, {W + "fldSimple"})
            if in_field or chars or simple_field is not None or not _is_text_run(run):
                in_field += chars.count("begin") - chars.count("end")
                item = simple_field if simple_field is not None else run
                if last_fixed:
                    if item is not self.fixed[-1][-1]:
                        self.fixed[-1].append(item)
                else:
                    self.fixed.append([item])
                    pieces.append(("", None))
                last_fixed = True
                continue
            last_fixed = False
            containers = _containers(run, p)
            key = (tuple((c.tag, tuple(sorted(c.attrib.items()))) for c in containers), _formatting(run))
            if key not in keys:
                keys[key] = len(self.groups)
                self.groups.append((containers, run))
            self.text_runs.append(run)
            pieces.append((_run_text(run), keys[key]))
        chars_by_group = [0] * len(self.groups)
        for text, group in pieces:
            if group is not None:
                chars_by_group[group] += len(text)
        self.base = max(range(len(self.groups)), key=chars_by_group.__getitem__) if self.groups else 0
        self.text = self._tagged(pieces)

    def _tagged(self, pieces: list[tuple[str, int | None]]) -> str:
        out, open_group, fixed = [], None, 0
        for text, group in pieces:
            if group != open_group and open_group not in (None, self.base):
                out.append(f"</g{open_group + 1}>")
            if group is None:
                fixed += 1
                out.append(f"<x{fixed}/>")
            elif group != open_group and group != self.base:
                out.append(f"<g{group + 1}>")
            out.append(_escape(text))
            open_group = group
        if open_group not in (None, self.base):
            out.append(f"</g{open_group + 1}>")
        return "".join(out)

    def write(self, translation: str, target: str, rtl: bool) -> None:
        """Put ``translation`` (tags as this paragraph's text has them) in place of its text runs."""
        from lxml import etree

        anchors = self._anchors(etree)
        for run in self.text_runs:
            parent = run.getparent()
            parent.remove(run)
            while parent is not self.p and parent.tag in _CONTAINERS and not any(isinstance(c.tag, str) for c in parent):
                grand = parent.getparent()
                grand.remove(parent)
                parent = grand
        for proof in list(self.p.iter(W + "proofErr")):
            proof.getparent().remove(proof)
        for anchor, group, text in _pieces(translation, self.base, len(self.groups), len(self.fixed)):
            anchors[anchor].addprevious(self._run(group, text, target, rtl))
        for anchor in anchors:
            anchor.getparent().remove(anchor)
        if rtl:
            _set_child(_set_child_first(self.p, "pPr"), "bidi", _PPR_ORDER)

    def _anchors(self, etree) -> list:
        """Markers where the translation's text goes: before the first text run (0), after each
        untranslated item (n); removed once the text is in."""
        anchors = [etree.Comment("start")]
        _top(self.text_runs[0], self.p).addprevious(anchors[0])
        for item in self.fixed:
            anchor = etree.Comment("after")
            top = _top(item[-1], self.p)
            while top.getnext() is not None and top.getnext().tag is etree.Comment:
                top = top.getnext()  # after the markers already there: in the items' order
            top.addnext(anchor)
            anchors.append(anchor)
        return anchors

    def _run(self, group: int, text: str, target: str, rtl: bool):
        from lxml import etree

        containers, template = self.groups[group]
        run = etree.Element(template.tag, dict(template.attrib), nsmap=template.nsmap)
        rpr = template.find(W + "rPr")
        run.append(copy.deepcopy(rpr) if rpr is not None else etree.Element(W + "rPr"))
        for piece in re.split(r"([\t\n])", text):
            if piece == "\t":
                etree.SubElement(run, W + "tab")
            elif piece == "\n":
                etree.SubElement(run, W + "br")
            elif piece:
                t = etree.SubElement(run, W + "t")
                t.text = piece
                t.set(XML_SPACE, "preserve")
        set_language(run[0], target, rtl)
        outer = run
        for container in reversed(containers):
            wrapper = etree.Element(container.tag, dict(container.attrib), nsmap=container.nsmap)
            if container.tag == W + "sdt":  # a content control: its properties, the run in its content
                properties = container.find(W + "sdtPr")
                if properties is not None:
                    wrapper.append(copy.deepcopy(properties))
                wrapper = etree.SubElement(wrapper, W + "sdtContent")
            wrapper.append(outer)
            outer = wrapper if wrapper.tag != W + "sdtContent" else wrapper.getparent()
        return outer


def _set_child_first(p, name: str):
    """The paragraph's properties (made as its first child when missing)."""
    found = p.find(W + name)
    if found is None:
        from lxml import etree

        found = etree.Element(W + name)
        p.insert(0, found)
    return found


def _pieces(translation: str, base: int, groups: int, fixed: int) -> list[tuple[int, int, str]]:
    """The translation as (anchor, group, text): text after the n-th untranslated item's tag goes
    after that item (0: where the text began), in the formatting of the tags open around it (none:
    the paragraph's most common). A tag out of order or unknown is dropped; one left open closes at
    the end."""
    out: list[tuple[int, int, str]] = []
    anchor, stack, end = 0, [], 0

    def add(text: str) -> None:
        text = _ENTITY.sub(lambda m: _ESCAPES[m.group()], text)
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


def _own_runs(p) -> list:
    """The runs of paragraph ``p`` (not those of a text box's paragraphs inside it), in order."""
    return [r for r in p.iter(W + "r") if _nearest_paragraph(r) is p]


def _nearest_paragraph(element):
    parent = element.getparent()
    while parent is not None and parent.tag != W + "p":
        parent = parent.getparent()
    return parent


def _ancestor(element, p, tags: set):
    parent = element.getparent()
    while parent is not None and parent is not p:
        if parent.tag in tags:
            return parent
        parent = parent.getparent()
    return None


def _containers(run, p) -> list:
    """The elements between paragraph ``p`` and ``run`` (a hyperlink, a tracked insertion...), outermost first."""
    chain, parent = [], run.getparent()
    while parent is not p:
        if parent.tag != W + "sdtContent":
            chain.append(parent)
        parent = parent.getparent()
    return chain[::-1]


def _top(element, p):
    """The child of ``p`` that holds ``element``."""
    while element.getparent() is not p:
        element = element.getparent()
    return element


def _formatting(run) -> bytes:
    from lxml import etree

    rpr = run.find(W + "rPr")
    if rpr is None:
        return b""
    kept = copy.deepcopy(rpr)
    for child in list(kept):
        if child.tag in _IGNORED_FORMATTING:
            kept.remove(child)
    return etree.tostring(kept, method="c14n")


def _label(name: str, p, n: int) -> str:
    kind = re.match(_TEXT_PARTS, name).group(1)
    where = {"document": "", "footnotes": "footnote ", "endnotes": "endnote ", "comments": "comment "}.get(
        kind, re.sub(r"\d+$", "", kind) + " ")
    inside = next((what for tag, what in ((W + "txbxContent", "text box "), (W + "tc", "table cell "))
                   if _ancestor(p, None, {tag}) is not None), "")
    return f"{where}{inside}paragraph {n}".strip()


class DocxDocument:

    def __init__(self, archive: zipfile.ZipFile, trees: dict, paragraphs: list[_Paragraph]):
        self.archive, self.trees, self.paragraphs = archive, trees, paragraphs
        self.parts = tuple(Part(p.text, p.label) for p in paragraphs)

    def write(self, translations: Sequence[str], target: str) -> bytes:
        from lxml import etree

        from toolkit.languages import get_language

        rtl = get_language(target).direction == "rtl"
        for paragraph, translation in zip(self.paragraphs, translations, strict=True):
            paragraph.write(translation, target, rtl)
        styles = self.trees.get("word/styles.xml")
        if styles is not None:
            for rpr in styles.iter(W + "rPr"):
                if rpr.getparent().tag == W + "rPrDefault" or rpr.find(W + "lang") is not None:
                    set_language(rpr, target, False)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as written:
            for info in self.archive.infolist():
                tree = self.trees.get(info.filename)
                data = self.archive.read(info) if tree is None else etree.tostring(
                    tree, xml_declaration=True, encoding="UTF-8", standalone=True)
                written.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
        return out.getvalue()


class Docx:
    title = "Word (DOCX)"
    markup = True  # its parts carry tags: they become codes
    output_suffix = None
    binary = True

    def read(self, data: bytes, where: str, options: FormatOptions) -> DocxDocument:
        try:
            from lxml import etree
        except ImportError:
            raise ToolkitError(f"{where}: DOCX files need lxml", "pip install 'toolkit[documents]'") from None
        archive = open_zip(data, where, self)
        names = archive.namelist()
        if "word/document.xml" not in names:
            raise not_this_format(where, self, "a zip without word/document.xml")
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        trees, paragraphs = {}, []
        for name in [n for n in names if _TEXT_PARTS.match(n)] + (["word/styles.xml"] if "word/styles.xml" in names else []):
            try:
                trees[name] = etree.fromstring(archive.read(name), parser).getroottree()
            except (etree.XMLSyntaxError, zipfile.BadZipFile, EOFError, OSError) as exc:
                raise not_this_format(where, self, f"{name} is damaged: {str(exc).splitlines()[0]}") from None
            if name == "word/styles.xml":
                continue
            n = 0
            for p in trees[name].iter(W + "p"):
                paragraph = _Paragraph(p, "")
                if paragraph.text_runs and "".join(_run_text(r) for r in paragraph.text_runs).strip():
                    n += 1
                    paragraph.label = _label(name, p, n)
                    paragraphs.append(paragraph)
        return DocxDocument(archive, trees, paragraphs)


def open_zip(data: bytes, where: str, fmt) -> zipfile.ZipFile:
    """A document's zip, checked: not encrypted, not damaged, not larger unzipped than ``MAX_UNZIPPED_BYTES``."""
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise InputError(f"{where}: the document is password-protected (encrypted), or an old binary Office file "
                           "renamed", "remove the password (or save it as a current Office file) and try again")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise not_this_format(where, fmt, f"not a zip, or a truncated one: {exc}") from None
    if any(info.flag_bits & 0x1 for info in infos):
        raise InputError(f"{where}: the document is password-protected (encrypted)", "remove the password and try again")
    if sum(info.file_size for info in infos) > MAX_UNZIPPED_BYTES:
        raise InputError(f"{where}: the document unzips to more than {MAX_UNZIPPED_BYTES // 2**20} MiB",
                           "split it into smaller documents")
    try:
        bad = archive.testzip()
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        bad = str(exc)
    if bad is not None:
        raise not_this_format(where, fmt, f"a damaged zip: {bad}")
    return archive


FORMAT = Docx()
