"""Word (DOCX) documents, on their XML with lxml: every paragraph with text (body, headings, lists,
tables nested or not, text boxes, headers and footers, footnotes and endnotes, comments, charts'
titles, SmartArt) is one part (the main part is the one the package's ``_rels/.rels`` names, whatever
its name, and its headers, footers, notes and comments those its own relationships name), its runs joined into one text with formatting and hyperlinks as inline codes
(``toolkit.formats.ooxml``). Fields (from ``begin`` to ``end``, and simple fields; the shown words
of a ``HYPERLINK`` or ``TOC`` field aside), references, pictures, equations, symbols, page breaks,
deleted and moved-away text, and bookmarks or comment ranges inside a sentence are left in place
untranslated; runs inside hyperlinks, tracked insertions, smart tags and content controls are
translated inside copies of them. A text box's fallback copy for older Word (``mc:Fallback``) is
written with its translation. Spell-check marks (``w:proofErr``) are dropped: they would mark the
wrong words. Every translated run and every style takes the target's ``w:lang``; for a
right-to-left target each translated paragraph gets ``w:bidi``, each run ``w:rtl`` and each table
``w:bidiVisual``. Every other part of the zip is copied as it was.
"""

from __future__ import annotations

import copy
import re

from toolkit.formats import FormatOptions
from toolkit.formats.ooxml import (OfficeFormat, Package, ancestor, look, main_part, open_package, read_package, related,
                                   set_child)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# The parts the main part relates to (by its relationships' types) whose paragraphs are translated.
_TEXT_KINDS = ("header", "footer", "footnotes", "endnotes", "comments")
# A run is text when it holds only these (a tab or line break inside it is kept as \t or \n).
_TEXT_CONTENT = {W + n for n in ("rPr", "t", "tab", "br", "cr", "noBreakHyphen", "softHyphen", "lastRenderedPageBreak")}
_CHARACTERS = {W + "t": None, W + "tab": "\t", W + "br": "\n", W + "cr": "\n", W + "noBreakHyphen": "\u2011",
               W + "softHyphen": "\u00ad"}
# Marks of where something starts or ends (a bookmark, a comment's range, a move): inside a
# paragraph's words, each stays between the words of the translation the model put it between.
_MARKS = tuple(W + n for n in ("bookmarkStart", "bookmarkEnd", "commentRangeStart", "commentRangeEnd", "permStart",
                               "permEnd", "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd"))
# Where a flow of text (and the fields in it) starts again.
_STORIES = {W + n for n in ("txbxContent", "footnote", "endnote", "comment")}
M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_EQUATIONS = (M + "oMathPara", M + "oMath")
# What does not make runs look different: spell-check's split runs differ in these, and a tracked
# change of formatting records each run's change apart (the first run's record is kept for its words).
_IGNORED_FORMATTING = {W + n for n in ("lang", "noProof", "rtl", "rPrChange")}
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


_TBLPR_ORDER = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize", "tblW",
                "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption",
                "tblDescription", "tblPrChange")


def set_language(rpr, target: str, rtl: bool) -> None:
    """A run's (or style's) properties say the text is in ``target``, and right to left for a
    right-to-left target (left to right for another: a Persian source's ``w:rtl`` goes)."""
    lang = set_child(rpr, "lang", _RPR_ORDER, W)
    lang.set(W + "val", target)
    if rtl:
        lang.set(W + "bidi", target)
        set_child(rpr, "rtl", _RPR_ORDER, W)
    else:
        _drop(rpr, "rtl")


def _drop(properties, *names: str) -> None:
    """``properties``' children ``names`` that are on removed (a right-to-left source's marks, for a
    left-to-right target; LibreOffice's ``w:bidi w:val="0"`` stays)."""
    tags = {W + n for n in names}
    for child in [c for c in properties if c.tag in tags and c.get(W + "val") in (None, "1", "true", "on")]:
        properties.remove(child)


class WordParagraphs:
    """How WordprocessingML paragraphs hold their text (``toolkit.formats.ooxml.Dialect``)."""

    containers = {W + n for n in ("hyperlink", "ins", "smartTag", "customXml", "sdt", "sdtContent", "dir", "bdo", "moveTo")}

    def __init__(self):
        # The complex fields still open at the end of each story's last paragraph read (a table of
        # contents runs over many): [instruction, whether in its shown result], outermost first.
        self.open_fields: dict[tuple, list[list]] = {}

    def items(self, p) -> list[tuple[object, bool]]:
        found: list[tuple[object, bool]] = []
        story = (p.getroottree().getroot(), ancestor(p, None, _STORIES))
        fields = self.open_fields.setdefault(story, [])
        for run in p.iter(W + "r", *_MARKS, *_EQUATIONS):
            if ancestor(run, None, {W + "p"}) is not p or ancestor(run, p, _EQUATIONS) is not None:
                continue  # a text box's runs inside it, an equation's own
            if run.tag != W + "r":  # a mark between runs, an equation: where it is among the words
                found.append((run, False))
                continue
            chars = [c.get(W + "fldCharType") for c in run.iter(W + "fldChar")]
            for instruction in run.iter(W + "instrText"):
                if fields:
                    fields[-1][0] += instruction.text or ""
            simple_field = ancestor(run, p, {W + "fldSimple"})
            if ((fields and not _shows_words(fields, self.text(run))) or chars or simple_field is not None
                    or not self._is_text(run) or ancestor(run, p, {W + "del", W + "moveFrom"}) is not None):
                item = run if simple_field is None else simple_field
                if not found or found[-1][0] is not item:
                    found.append((item, False))
            else:  # text, or the words a HYPERLINK or TOC field shows: translated
                found.append((run, True))
            for char in chars:
                if char == "begin":
                    fields.append(["", False])
                elif char == "separate" and fields:
                    fields[-1][1] = True
                elif char == "end" and fields:
                    fields.pop()
        others = [i for i, (element, _) in enumerate(found) if element.tag not in _MARKS]
        # Marks before everything else or after it stay where they are, around the translation.
        return [(element, is_text) for i, (element, is_text) in enumerate(found)
                if element.tag not in _MARKS or (others and others[0] < i < others[-1])]

    def _is_text(self, run) -> bool:
        return all(c.tag in _TEXT_CONTENT and not (c.tag == W + "br" and c.get(W + "type") not in (None, "textWrapping"))
                   for c in run)

    def text(self, run) -> str:
        return "".join(c.text or "" if c.tag == W + "t" else _CHARACTERS.get(c.tag) or "" for c in run)

    def formatting(self, run) -> bytes:
        return look(run.find(W + "rPr"), unseen_children=_IGNORED_FORMATTING)

    def containers_of(self, run, p) -> list:
        chain, parent = [], run.getparent()
        while parent is not p:
            if parent.tag != W + "sdtContent":  # made again inside its content control
                chain.append(parent)
            parent = parent.getparent()
        return chain[::-1]

    def new_run(self, template, containers: list, text: str, target: str, rtl: bool):
        from lxml import etree

        run = etree.Element(template.tag, dict(template.attrib))
        rpr = template.find(W + "rPr")
        run.append(copy.deepcopy(rpr) if rpr is not None else etree.Element(W + "rPr"))
        for piece in re.split(r"([\t\n])", text):
            if piece in ("\t", "\n"):
                etree.SubElement(run, W + ("tab" if piece == "\t" else "br"))
            elif piece:
                t = etree.SubElement(run, W + "t", {XML_SPACE: "preserve"})
                t.text = piece
        set_language(run[0], target, rtl)
        outer = run
        for container in reversed(containers):
            wrapper = etree.Element(container.tag, dict(container.attrib))
            if container.tag == W + "sdt":  # a content control: its properties, the run in its content
                properties = container.find(W + "sdtPr")
                if properties is not None:
                    wrapper.append(copy.deepcopy(properties))
                etree.SubElement(wrapper, W + "sdtContent").append(outer)
            else:
                wrapper.append(outer)
            outer = wrapper
        return outer

    def finish(self, p, target: str, rtl: bool) -> None:
        for proof in list(p.iter(W + "proofErr")):
            proof.getparent().remove(proof)
        properties = p.find(W + "pPr")
        if rtl:
            if properties is None:
                from lxml import etree

                properties = etree.Element(W + "pPr")
                p.insert(0, properties)
            set_child(properties, "bidi", _PPR_ORDER, W)
        elif properties is not None:
            _drop(properties, "bidi")


def _shows_words(fields: list[list], text: str) -> bool:
    """Whether ``text`` inside the open ``fields`` is words to translate: shown by links, or by a table
    of contents (its entries, which Word makes again on update). A page number in the contents
    stays in its ``PAGEREF`` field; LibreOffice writes an entry's words into that field too: words
    with letters are translated (and go before the field)."""
    first_words = [words.split()[:1] for words, _ in fields]
    if first_words[0] == ["TOC"] and fields[0][1]:
        return all(shown for _, shown in fields) and (len(fields) == 1 or any(c.isalpha() for c in text))
    return all(shown and first == ["HYPERLINK"] for first, (_, shown) in zip(first_words, fields))


def _label(kind: str, p, n: int) -> str:
    where = {"officeDocument": "", "footnotes": "footnote ", "endnotes": "endnote ", "comments": "comment "}.get(
        kind, kind + " ")
    inside = next((what for tag, what in ((W + "txbxContent", "text box "), (W + "tc", "table cell "))
                   if ancestor(p, None, {tag}) is not None), "")
    return f"{where}{inside}paragraph {n}"


def _restyle(trees: dict, target: str) -> None:
    """The document's default language and every style that names one: the target (its complex-script
    language too for a right-to-left target); for a right-to-left target, every table's columns laid
    out right to left (``w:bidiVisual``); for a left-to-right one, no table, style or default right to
    left (a Persian source's)."""
    from toolkit.languages import get_language

    rtl = get_language(target).rtl
    styles = next((tree for tree in trees.values() if tree.getroot().tag == W + "styles"), None)
    for rpr in styles.iter(W + "rPr") if styles is not None else ():
        if rpr.getparent().tag == W + "rPrDefault" or rpr.find(W + "lang") is not None:
            lang = set_child(rpr, "lang", _RPR_ORDER, W)
            lang.set(W + "val", target)
            if rtl:  # the complex-script language, which Persian text is shaped and spell-checked by
                lang.set(W + "bidi", target)
        if not rtl:
            _drop(rpr, "rtl")
    for ppr in styles.iter(W + "pPr") if styles is not None and not rtl else ():
        _drop(ppr, "bidi")
    for tree in trees.values():
        for table in tree.iter(W + "tbl"):
            if rtl:
                set_child(set_child(table, "tblPr", ("tblPr", "tblGrid", "tr"), W), "bidiVisual", _TBLPR_ORDER, W)
            elif table.find(W + "tblPr") is not None:
                _drop(table.find(W + "tblPr"), "bidiVisual")


class Docx(OfficeFormat):
    title = "Word (DOCX)"

    def read(self, data: bytes, where: str, options: FormatOptions) -> Package:
        archive = open_package(data, where, self, ())
        main = main_part(archive, "word/document.xml", where, self)
        kinds = {main: "officeDocument"} | related(archive, main, where, self)
        parts = [name for name in archive.namelist() if name == main or kinds.get(name) in _TEXT_KINDS]
        return read_package(archive, where, self, main, parts, WordParagraphs(), W + "p",
                            lambda name, p, n: _label(kinds[name], p, n),
                            also=[name for name, kind in kinds.items() if kind == "styles"], restyle=_restyle)


FORMAT = Docx()
