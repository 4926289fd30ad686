"""PowerPoint (PPTX) presentations, on their XML with lxml: every paragraph with text on a slide
(titles, text frames, tables, shapes inside groups), in its speaker notes, in a chart's titles, in
SmartArt (its data and the drawing cached from it alike) and in a layout's or master's own text
boxes (shown on every slide that uses them; placeholders' prompts there are not) is one part, its
runs joined into one text with formatting and hyperlinks as inline codes
(``toolkit.formats.ooxml``). Fields (a slide number, a date) and line breaks are left in place.
Every translated run takes the target's ``lang``; for a right-to-left target each translated
paragraph gets ``rtl="1"``. Every other part of the zip is copied as it was.
"""

from __future__ import annotations

import re

from toolkit.formats import FormatOptions
from toolkit.formats.ooxml import A, DrawingParagraphs, OfficeFormat, Package, ancestor, main_part, open_package, read_package

# The parts whose paragraphs are translated: slides and their notes, in their numbers' order, then
# layouts and masters (the text boxes on them are shown on every slide that uses them).
_TEXT_PARTS = re.compile(
    r"^ppt/(slides/slide|notesSlides/notesSlide|slideLayouts/slideLayout|slideMasters/slideMaster)(\d+)\.xml$")
_KINDS = {"slides/slide": 0, "notesSlides/notesSlide": 0, "slideLayouts/slideLayout": 1, "slideMasters/slideMaster": 2}
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
def _label(name: str, p, n: int) -> str:
    kind, number = _TEXT_PARTS.match(name).groups()
    where = {"slides/slide": "slide", "notesSlides/notesSlide": "notes", "slideLayouts/slideLayout": "layout",
             "slideMasters/slideMaster": "master"}[kind]
    inside = " table cell" if ancestor(p, None, {A + "tc"}) is not None else ""
    return f"{where} {number}{inside} paragraph {n}"


def _text_parts(names: list[str]) -> list[str]:
    """The slides and their notes (slide 1, its notes, slide 2...), then the layouts and masters."""
    order = list(_KINDS)
    return sorted((n for n in names if _TEXT_PARTS.match(n)),
                  key=lambda n: (_KINDS[_TEXT_PARTS.match(n).group(1)], int(_TEXT_PARTS.match(n).group(2)),
                                 order.index(_TEXT_PARTS.match(n).group(1))))


def _shown(name: str, p) -> bool:
    """Whether ``p`` is shown in a slide show: on a layout or master, only outside placeholders (their
    text is a prompt, replaced on each slide)."""
    if not name.startswith(("ppt/slideLayouts/", "ppt/slideMasters/")):
        return True
    return not any(shape.tag == P + "sp" and shape.find(f"{P}nvSpPr/{P}nvPr/{P}ph") is not None
                   for shape in p.iterancestors())


class Pptx(OfficeFormat):
    title = "PowerPoint (PPTX)"

    def read(self, data: bytes, where: str, options: FormatOptions) -> Package:
        archive = open_package(data, where, self, ())
        return read_package(archive, where, self, main_part(archive, "ppt/presentation.xml", where, self),
                            _text_parts(archive.namelist()), DrawingParagraphs(), A + "p", _label, keep=_shown)


FORMAT = Pptx()
