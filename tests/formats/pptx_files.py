"""PPTX test presentations, made with python-pptx: a title slide, a text frame with bold, italic
and a hyperlink, a line break and a slide-number field, a table, a group of shapes, speaker
notes. ``paragraph_texts`` reads a presentation's slides and notes back, paragraph by paragraph."""

from __future__ import annotations

import copy
import io
import re
import zipfile

from lxml import etree

A_URI = "http://schemas.openxmlformats.org/drawingml/2006/main"
A = "{%s}" % A_URI
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
LINK = "https://example.org/slides"


def make_pptx() -> bytes:
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[0])
    slide.shapes.title.text = "Election night"
    slide.placeholders[1].text = "Results from every city"
    slide.notes_slide.notes_text_frame.text = "Thank the volunteers before the results."

    slide = deck.slides.add_slide(deck.slide_layouts[5])
    slide.shapes.title.text = "What the minister said"
    box = slide.shapes.add_textbox(Inches(1), Inches(1.5), Inches(8), Inches(2)).text_frame
    p = box.paragraphs[0]
    for text, bold, italic in (("The minister said ", False, False), ("the vote", True, False), (" was ", False, False),
                               ("fair", False, True), (". Read ", False, False)):
        run = p.add_run()
        run.text, run.font.bold, run.font.italic = text, bold or None, italic or None
    link = p.add_run()
    link.text = "the full story"
    link.hyperlink.address = LINK
    p.add_run().text = " online."
    p = box.add_paragraph()
    p.add_run().text = "Turnout rose"
    p._p.append(etree.fromstring(f'<a:br xmlns:a="{A_URI}"/>'))
    p.add_run().text = "in every city, slide "
    p._p.append(etree.fromstring(f'<a:fld xmlns:a="{A_URI}" id="{{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}}" type="slidenum">'
                                 '<a:t>2</a:t></a:fld>'))
    table = slide.shapes.add_table(2, 2, Inches(1), Inches(4), Inches(6), Inches(1)).table
    for (row, col), text in {(0, 0): "City", (0, 1): "Votes", (1, 0): "Tirana", (1, 1): "Counted at night"}.items():
        table.cell(row, col).text = text
    group = slide.shapes.add_group_shape()
    group.shapes.add_textbox(Inches(1), Inches(5.5), Inches(3), Inches(0.5)).text_frame.text = "Inside the group"
    group.shapes.add_textbox(Inches(5), Inches(5.5), Inches(3), Inches(0.5)).text_frame.text = "Also grouped"
    slide.notes_slide.notes_text_frame.text = "Pause after the quote."
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def paragraph_texts(data: bytes) -> dict[str, list[str]]:
    """Each slide's, notes page's, chart's, layout's and master's paragraphs (those with text, a layout's
    and master's outside placeholders: their prompts are not shown), as their runs' text reads."""
    out = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if re.match(r"^ppt/(slides/slide|notesSlides/notesSlide|charts/chart|slideLayouts/slideLayout|slideMasters/slideMaster|"
                        r"diagrams/data|diagrams/drawing)\d+\.xml$", name):
                root = etree.fromstring(archive.read(name))
                shown = not name.startswith(("ppt/slideLayouts/", "ppt/slideMasters/"))
                texts = ["".join(t.text or "" for t in p.iter(A + "t")) for p in root.iter(A + "p")
                         if shown or not any(a.tag.endswith("}sp") and a.find(f"{P}nvSpPr/{P}nvPr/{P}ph") is not None
                                             for a in p.iterancestors())]
                out[name] = [t for t in texts if t.strip()]
    return out


def xml(data: bytes, name: str):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


# A text box on a layout or master (not a placeholder: its text is shown on the slides, not a prompt).
_DECORATION = (f'<p:sp xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="{A_URI}"><p:nvSpPr>'
               '<p:cNvPr id="90" name="Banner"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm><a:off x="457200" '
               'y="6300000"/><a:ext cx="3000000" cy="300000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr>'
               '<p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr lang="en-US"/><a:t>{text}</a:t></a:r></a:p></p:txBody></p:sp>')


def make_messy_pptx() -> bytes:
    """A presentation with what real ones hold: groups inside groups inside a group, a table, a body
    placeholder whose look comes from its layout, a banner on a layout and on the master, a slide's
    footer text, a chart (its title, series and categories), speaker notes."""
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Inches

    deck = Presentation()
    for shapes, text in ((deck.slide_layouts[1].shapes, "Election desk"), (deck.slide_master.shapes, "Daily news")):
        shapes._spTree.append(etree.fromstring(_DECORATION.format(text=text)))  # shown on every slide that uses it
    slide = deck.slides.add_slide(deck.slide_layouts[1])  # title and content: both placeholders from the layout
    slide.shapes.title.text = "Counting in the capital"
    body = slide.placeholders[1].text_frame
    body.text = "Voters queued before dawn."
    body.add_paragraph().text = "Every school stayed open late."
    body.paragraphs[1].level = 1
    outer = slide.shapes.add_group_shape()
    outer.shapes.add_textbox(Inches(1), Inches(5), Inches(3), Inches(0.5)).text_frame.text = "The outer group"
    middle = outer.shapes.add_group_shape()
    middle.shapes.add_textbox(Inches(1), Inches(5.5), Inches(3), Inches(0.5)).text_frame.text = "The middle group"
    inner = middle.shapes.add_group_shape()
    inner.shapes.add_textbox(Inches(1), Inches(6), Inches(3), Inches(0.5)).text_frame.text = "The innermost group"
    slide.notes_slide.notes_text_frame.text = "Mention the queues at the schools."
    footer = next(p for p in deck.slide_layouts[1].placeholders if p.placeholder_format.idx == 11)  # the layout's footer
    slide.shapes._spTree.append(copy.deepcopy(footer._element))
    slide.shapes[-1].text_frame.text = "Election night live"  # the slide's footer text

    slide = deck.slides.add_slide(deck.slide_layouts[5])
    slide.shapes.title.text = "Seats by party"
    table = slide.shapes.add_table(2, 2, Inches(0.5), Inches(1.5), Inches(4), Inches(1)).table
    for (row, col), text in {(0, 0): "Party", (0, 1): "Seats won", (1, 0): "The greens", (1, 1): "Twelve"}.items():
        table.cell(row, col).text = text
    data = CategoryChartData()
    data.categories = ["North", "South"]
    data.add_series("Seats won", (12, 7))
    chart = slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(5), Inches(1.5), Inches(4), Inches(3), data).chart
    chart.has_title = True
    chart.chart_title.text_frame.text = "Seats won in each region"
    _add_smartart(slide, ["Polls open", "Votes counted", "Results announced"])
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


_DGM = "http://schemas.openxmlformats.org/drawingml/2006/diagram"
_DSP = "http://schemas.microsoft.com/office/drawing/2008/diagram"


def smartart_parts(relate, steps: list[str], folder: str) -> str:
    """A SmartArt diagram's parts as Office writes them: its data (a node per step, each with its
    text), layout, style and colours, and the drawing it caches from them (a box per step, the same
    text), each added by ``relate(partname, content type, xml, relationship type) -> rId`` to the
    part that shows it; the ``dgm:relIds`` attributes that name them."""
    from pptx.opc.constants import CONTENT_TYPE as CT, RELATIONSHIP_TYPE as RT

    def text(words: str) -> str:
        return f'<a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr lang="en-US"/><a:t>{words}</a:t></a:r></a:p>'

    def part(name: str, content_type: str, xml: str, reltype: str) -> str:
        return relate(f"/{folder}/diagrams/{name}1.xml", content_type, xml.encode("utf-8"), reltype)

    drawing = part("drawing", CT.DML_DIAGRAM_DRAWING, f'<dsp:drawing xmlns:dsp="{_DSP}" xmlns:a="{A_URI}"><dsp:spTree>'
                   '<dsp:nvGrpSpPr><dsp:cNvPr id="0" name=""/><dsp:cNvGrpSpPr/></dsp:nvGrpSpPr><dsp:grpSpPr/>' + "".join(
                       f'<dsp:sp modelId="{{00000000-0000-0000-0000-00000000010{n}}}"><dsp:nvSpPr><dsp:cNvPr id="0" name=""/>'
                       f'<dsp:cNvSpPr/></dsp:nvSpPr><dsp:spPr><a:xfrm><a:off x="{n * 1100000}" y="0"/><a:ext cx="1000000" '
                       'cy="600000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill><a:srgbClr val="4472C4"/>'
                       f'</a:solidFill></dsp:spPr><dsp:txBody>{text(step)}</dsp:txBody></dsp:sp>' for n, step in enumerate(steps))
                   + "</dsp:spTree></dsp:drawing>", "http://schemas.microsoft.com/office/2007/relationships/diagramDrawing")
    points = '<dgm:pt modelId="{00000000-0000-0000-0000-000000000000}" type="doc"><dgm:prSet/><dgm:spPr/><dgm:t>' \
             '<a:bodyPr/><a:lstStyle/><a:p><a:endParaRPr lang="en-US"/></a:p></dgm:t></dgm:pt>' + "".join(
                 f'<dgm:pt modelId="{{00000000-0000-0000-0000-00000000000{n + 1}}}"><dgm:prSet phldrT="[Text]"/><dgm:spPr/>'
                 f'<dgm:t>{text(step)}</dgm:t></dgm:pt>' for n, step in enumerate(steps))
    links = "".join(f'<dgm:cxn modelId="{{00000000-0000-0000-0000-00000000002{n}}}" srcId="{{00000000-0000-0000-0000-000000000000}}" '
                    f'destId="{{00000000-0000-0000-0000-00000000000{n + 1}}}" srcOrd="{n}" destOrd="0"/>' for n in range(len(steps)))
    ids = {"dm": part("data", CT.DML_DIAGRAM_DATA, f'<dgm:dataModel xmlns:dgm="{_DGM}" xmlns:a="{A_URI}"><dgm:ptLst>{points}'
                      f'</dgm:ptLst><dgm:cxnLst>{links}</dgm:cxnLst><dgm:bg/><dgm:whole/><dgm:extLst><a:ext '
                      f'uri="http://schemas.microsoft.com/office/drawing/2008/diagram"><dsp:dataModelExt xmlns:dsp="{_DSP}" '
                      f'relId="{drawing}" minVer="http://schemas.openxmlformats.org/drawingml/2006/diagram"/></a:ext></dgm:extLst>'
                      "</dgm:dataModel>", RT.DIAGRAM_DATA),
           "lo": part("layout", CT.DML_DIAGRAM_LAYOUT, f'<dgm:layoutDef xmlns:dgm="{_DGM}" uniqueId="urn:microsoft.com/office/'
                      'officeart/2005/8/layout/default"><dgm:layoutNode name="diagram"/></dgm:layoutDef>', RT.DIAGRAM_LAYOUT),
           "qs": part("quickStyle", CT.DML_DIAGRAM_STYLE, f'<dgm:styleDef xmlns:dgm="{_DGM}" uniqueId="urn:microsoft.com/office/'
                      'officeart/2005/8/quickstyle/simple1"/>', RT.DIAGRAM_QUICK_STYLE),
           "cs": part("colors", CT.DML_DIAGRAM_COLORS, f'<dgm:colorsDef xmlns:dgm="{_DGM}" uniqueId="urn:microsoft.com/office/'
                      'officeart/2005/8/colors/accent1_2"/>', RT.DIAGRAM_COLORS)}
    return " ".join(f'r:{key}="{r_id}"' for key, r_id in ids.items())


def _add_smartart(slide, steps: list[str]) -> None:
    """A SmartArt diagram of ``steps`` on ``slide`` (``smartart_parts``)."""
    from pptx.opc.package import Part
    from pptx.opc.packuri import PackURI

    def relate(name: str, content_type: str, blob: bytes, reltype: str) -> str:
        return slide.part.relate_to(Part(PackURI(name), content_type, slide.part.package, blob), reltype)

    relations = smartart_parts(relate, steps, "ppt")
    slide.shapes._spTree.append(etree.fromstring(
        f'<p:graphicFrame xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="{A_URI}" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><p:nvGraphicFramePr><p:cNvPr id="40" '
        'name="Diagram 1"/><p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr><p:xfrm><a:off x="457200" y="4800000"/>'
        '<a:ext cx="3300000" cy="600000"/></p:xfrm><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/'
        f'2006/diagram"><dgm:relIds xmlns:dgm="{_DGM}" {relations}/></a:graphicData></a:graphic></p:graphicFrame>'))
