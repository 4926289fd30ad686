"""PowerPoint (PPTX) presentations, on their XML with lxml: every paragraph with text on a slide
(titles, text frames, tables, shapes inside groups) and in its speaker notes is one part, its runs
joined into one text with formatting and hyperlinks as inline codes (``toolkit.formats.ooxml``).
Fields (a slide number, a date) and line breaks are left in place. Every translated run takes the
target's ``lang``; for a right-to-left target each translated paragraph gets ``rtl="1"``. Layouts,
masters and every other part of the zip are copied as they were.
"""

from __future__ import annotations

import copy
import re

from toolkit.formats import FormatOptions
from toolkit.formats.ooxml import OfficeFormat, Package, ancestor, read_package

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
# The parts whose paragraphs are translated: slides and their notes, in their numbers' order.
_TEXT_PARTS = re.compile(r"^ppt/(slides/slide|notesSlides/notesSlide)(\d+)\.xml$")
# Run properties that do not make runs look different: language and spell-check state.
_IGNORED_FORMATTING = ("lang", "altLang", "dirty", "err", "noProof", "smtClean", "smtId")


class SlideParagraphs:
    """How DrawingML paragraphs hold their text (``toolkit.formats.ooxml.Dialect``)."""

    containers: set[str] = set()

    def items(self, p) -> list[tuple[object, bool]]:
        return [(child, child.tag == A + "r") for child in p if child.tag in (A + "r", A + "br", A + "fld")]

    def text(self, run) -> str:
        return "".join(t.text or "" for t in run.iter(A + "t"))

    def formatting(self, run) -> bytes:
        from lxml import etree

        rpr = run.find(A + "rPr")
        if rpr is None:
            return b""
        kept = copy.deepcopy(rpr)
        for name in _IGNORED_FORMATTING:
            kept.attrib.pop(name, None)
        return etree.tostring(kept, method="c14n") if len(kept) or kept.attrib else b""  # empty: none

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
        if rtl:
            properties = p.find(A + "pPr")
            if properties is None:
                from lxml import etree

                properties = etree.Element(A + "pPr")
                p.insert(0, properties)
            properties.set("rtl", "1")


def _label(name: str, p, n: int) -> str:
    kind, number = _TEXT_PARTS.match(name).groups()
    where = f"slide {number}" if kind == "slides/slide" else f"notes {number}"
    inside = " table cell" if ancestor(p, None, {A + "tc"}) is not None else ""
    return f"{where}{inside} paragraph {n}"


def _text_parts(names: list[str]) -> list[str]:
    """The slides and their notes: slide 1, its notes, slide 2..."""
    return sorted((n for n in names if _TEXT_PARTS.match(n)),
                  key=lambda n: (int(_TEXT_PARTS.match(n).group(2)), _TEXT_PARTS.match(n).group(1) != "slides/slide"))


class Pptx(OfficeFormat):
    title = "PowerPoint (PPTX)"

    def read(self, data: bytes, where: str, options: FormatOptions) -> Package:
        return read_package(data, where, self, "ppt/presentation.xml", _text_parts, SlideParagraphs(), A + "p", _label)


FORMAT = Pptx()
