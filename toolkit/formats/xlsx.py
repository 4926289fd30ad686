"""Excel (XLSX) workbooks, on their XML with lxml: every text cell is one part (a shared string
(``xl/sharedStrings.xml``) once, however many cells show it; an inline string where it stands),
rich text runs joined into one text with their formatting as inline codes
(``toolkit.formats.ooxml``). Formulas (and the text they compute), numbers, dates, booleans,
shared strings no cell shows, and text cells with no letter in them (codes, ``2026-01-05`` typed
as text) are left as they are; sheet names are kept (formulas refer to them). The comments on
cells are parts too: notes (``xl/comments1.xml``, rich text as cells have it) and threaded comments
with their replies (``xl/threadedComments/*.xml``, plain text), found through each sheet's
relationships. A chart's title and axis titles are parts (``chart 1 paragraph 1``, as in DOCX and
PPTX; its series' and categories' names are cells). For a right-to-left target every sheet is shown right to left (``rightToLeft`` on
its views, made when missing); the workbook's ``dc:language`` says the target. Every other part of the zip is copied as it was.
"""

from __future__ import annotations

import copy

from toolkit.formats import FormatOptions, has_letters
from toolkit.formats.ooxml import (OfficeFormat, Package, Paragraph, drawn_paragraphs, open_package, parse_parts, related,
                                   relations, set_child)

X = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
DC_LANGUAGE = "{http://purl.org/dc/elements/1.1/}language"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
THREADED = "{http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments}"
CORE = "docProps/core.xml"
# A worksheet's first children in schema order (a sheet's views, made when missing, go before the rest).
_SHEET_ORDER = ("sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData")


class CellText:
    """How a string item (``si``, ``is``) holds its text: one ``t``, or rich text runs ``r``
    (phonetic guides, ``rPh``, stay as they are). A ``toolkit.formats.ooxml.Dialect``."""

    containers: set[str] = set()

    def items(self, p) -> list[tuple[object, bool]]:
        return [(child, True) for child in p if child.tag in (X + "t", X + "r")]

    def text(self, run) -> str:
        return run.text or "" if run.tag == X + "t" else "".join(t.text or "" for t in run.iter(X + "t"))

    def formatting(self, run) -> bytes:
        from lxml import etree

        rpr = run.find(X + "rPr")
        return etree.tostring(rpr, method="c14n") if rpr is not None else b""

    def containers_of(self, run, p) -> list:
        return []

    def new_run(self, template, containers: list, text: str, target: str, rtl: bool):
        from lxml import etree

        t = etree.Element(X + "t", {XML_SPACE: "preserve"})
        t.text = text
        if template.tag == X + "t":
            return t
        run = etree.Element(X + "r")
        rpr = template.find(X + "rPr")
        if rpr is not None:
            run.append(copy.deepcopy(rpr))
        run.append(t)
        return run

    def finish(self, p, target: str, rtl: bool) -> None:
        pass


class ThreadedText(CellText):
    """How a threaded comment (``threadedComment``) holds its text: one plain ``text``."""

    def items(self, p) -> list[tuple[object, bool]]:
        return [(child, True) for child in p if child.tag == THREADED + "text"]

    def text(self, run) -> str:
        return run.text or ""

    def new_run(self, template, containers: list, text: str, target: str, rtl: bool):
        from lxml import etree

        run = etree.Element(THREADED + "text")
        run.text = text
        return run


def _parts(trees: dict, names: list[str]) -> tuple[list[tuple[str, str]], str | None]:
    """(sheet name, part) of each worksheet, in the workbook's order; and the shared strings' part."""
    targets = relations(trees["xl/_rels/workbook.xml.rels"], "xl")
    shared = next((part for kind, part in targets.values() if kind.endswith("/sharedStrings") and part in names), None)
    sheets = [(sheet.get("name"), targets.get(sheet.get(_REL), ("", ""))[1])
              for sheet in trees["xl/workbook.xml"].iter(X + "sheet")]
    return [(name, part) for name, part in sheets if part in names], shared


def _comments(archive, trees: dict, sheet: str, part: str, where: str, fmt) -> list[Paragraph]:
    """The notes and threaded comments (replies too) on a sheet's cells, their parts parsed into ``trees``."""
    names = archive.namelist()
    found, counts = [], {}
    for name, kind in related(archive, part, where, fmt).items():
        if name not in names or name in trees or kind not in ("comments", "threadedComment"):
            continue
        trees.update(parse_parts(archive, [name], where, fmt))
        if kind == "comments":
            items = [(c.get("ref", "?"), "comment", c.find(X + "text"), CellText())
                     for c in trees[name].iter(X + "comment") if c.find(X + "text") is not None]
        else:
            items = [(c.get("ref", "?"), "threaded comment", c, ThreadedText())
                     for c in trees[name].iter(THREADED + "threadedComment")]
        for ref, what, item, dialect in items:
            paragraph = Paragraph(item, dialect)
            if paragraph.text_runs and has_letters(paragraph.plain):
                counts[what, ref] = counts.get((what, ref), 0) + 1
                reply = f" reply {counts[what, ref] - 1}" if counts[what, ref] > 1 else ""
                paragraph.label = f"sheet {sheet} {what} {ref}{reply}"
                found.append(paragraph)
    return found


def _restyle(trees: dict, target: str) -> None:
    """Sheets right to left for a right-to-left target; the workbook's language the target."""
    from lxml import etree

    from toolkit.languages import get_language

    if get_language(target).rtl:
        for name, tree in trees.items():
            if name.startswith("xl/worksheets/"):
                views = set_child(tree.getroot(), "sheetViews", _SHEET_ORDER, X)
                if views.find(X + "sheetView") is None:
                    etree.SubElement(views, X + "sheetView", {"workbookViewId": "0"})
                for view in views.iter(X + "sheetView"):
                    view.set("rightToLeft", "1")
    core = trees.get(CORE)
    if core is not None:
        language = core.getroot().find(DC_LANGUAGE)
        if language is None:
            language = etree.SubElement(core.getroot(), DC_LANGUAGE)
        language.text = target


class Xlsx(OfficeFormat):
    title = "Excel (XLSX)"

    def read(self, data: bytes, where: str, options: FormatOptions) -> Package:
        archive = open_package(data, where, self, ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"))
        names = archive.namelist()
        trees = parse_parts(archive, ["xl/workbook.xml", "xl/_rels/workbook.xml.rels"], where, self)
        sheets, shared_part = _parts(trees, names)
        trees.update(parse_parts(archive, [part for _, part in sheets] + [n for n in (shared_part, CORE) if n in names],
                                 where, self))
        shared = trees[shared_part].getroot().findall(X + "si") if shared_part else []
        dialect, paragraphs, seen = CellText(), [], set()
        for sheet, part in sheets:
            for cell in trees[part].iter(X + "c"):
                kind, label = cell.get("t"), f"sheet {sheet} cell {cell.get('r', '?')}"
                if cell.find(X + "f") is not None:
                    continue  # a formula's text is computed
                if kind == "s":  # a shared string: translated once, for the first cell that shows it
                    index = (cell.findtext(X + "v") or "").strip()
                    if not index.isdigit() or int(index) >= len(shared) or index in seen:
                        continue
                    seen.add(index)
                    item = shared[int(index)]
                elif kind == "inlineStr" and cell.find(X + "is") is not None:
                    item = cell.find(X + "is")
                else:
                    continue
                paragraph = Paragraph(item, dialect)
                if paragraph.text_runs and has_letters(paragraph.plain):
                    paragraph.label = label
                    paragraphs.append(paragraph)
            paragraphs += _comments(archive, trees, sheet, part, where, self)
        return Package(archive, trees, paragraphs + drawn_paragraphs(archive, trees, where, self), _restyle)


FORMAT = Xlsx()
