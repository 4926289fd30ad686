"""PowerPoint (PPTX) presentations, on their XML with lxml: every paragraph with text on a slide
(titles, text frames, tables, shapes inside groups) and in its speaker notes is one part, its runs
joined into one text with formatting and hyperlinks as inline codes (``toolkit.formats.ooxml``).
Fields (a slide number, a date) and line breaks are left in place. Every translated run takes the
target's ``lang``; for a right-to-left target each translated paragraph gets ``rtl="1"``. Layouts,
masters and every other part of the zip are copied as they were.
"""

from __future__ import annotations

import re

from toolkit.formats import FormatOptions
from toolkit.formats.ooxml import A, DrawingParagraphs, OfficeFormat, Package, ancestor, read_package

# The parts whose paragraphs are translated: slides and their notes, in their numbers' order.
_TEXT_PARTS = re.compile(r"^ppt/(slides/slide|notesSlides/notesSlide)(\d+)\.xml$")
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
        return read_package(data, where, self, "ppt/presentation.xml", _text_parts, DrawingParagraphs(), A + "p", _label)


FORMAT = Pptx()
