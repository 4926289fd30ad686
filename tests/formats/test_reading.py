"""Documents read as plain text: summarize and chain take subtitles, PO catalogues, web pages,
Markdown and PDFs; translate writes a PDF's paragraphs as Markdown, and a page's article with
--extract-article. Encrypted and scanned PDFs are refused in one line."""

from __future__ import annotations

import io

import pytest
import regex
from typer.testing import CliRunner

from tests.formats.test_cli import PO
from tests.formats.test_subtitles import SRT, VTT
from toolkit.cli import app
from toolkit.errors import InputError
from toolkit.formats.reading import plain_text

runner = CliRunner()
SENTENCE = ("The minister said that the talks between Iran and Albania would continue next week in Tirana, after the "
            "government closed the embassy. Officials in both capitals declined to comment on the çështje. ")


def _pdf(paragraphs: int = 14, encrypt: str | None = None, text: bool = True) -> bytes:
    """A news article of several pages with a running header and page numbers (reportlab), or only a drawing."""
    from pypdf import PdfReader, PdfWriter
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    story = [Paragraph("Talks to continue", styles["Heading1"])]
    for n in range(paragraphs):
        story += [Paragraph(f"Paragraph {n + 1} says: {SENTENCE * 2}All agreed on a well-known compromise.", styles["Normal"]),
                  Spacer(1, 8)]

    def page(canvas, doc):
        canvas.setFont("Helvetica", 8)
        canvas.drawString(72, 800, "Daily News - Tirana edition")
        canvas.drawString(300, 30, f"Page {doc.page}")
        if not text:
            canvas.rect(100, 100, 300, 500, fill=1)

    buffer = io.BytesIO()
    if text:
        SimpleDocTemplate(buffer, pagesize=A4).build(story, onFirstPage=page, onLaterPages=page)
    else:
        from reportlab.pdfgen.canvas import Canvas

        canvas = Canvas(buffer, pagesize=A4)
        canvas.rect(100, 100, 300, 500, fill=1)  # a scan: no text layer
        canvas.save()
    if encrypt is None:
        return buffer.getvalue()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(buffer.getvalue())))
    writer.encrypt(encrypt)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_every_format_reads_as_its_plain_text():
    srt = plain_text("talk.srt", SRT.encode())
    assert "-->" not in srt and "<i>" not in srt and "{\\an8}" not in srt
    assert srt.splitlines()[0] == "The minister said that the talks would continue next week."
    vtt = plain_text("news.vtt", VTT.encode())
    assert "WEBVTT" not in vtt and "NOTE" not in vtt and "color" not in vtt and "Good evening, here is the news from Tirana." in vtt
    po = plain_text("site.pot", PO.encode())
    assert po.splitlines() == ["The minister met %(count)s reporters.", "One article", "%d articles", "Home"]
    md = plain_text("story.md", b"# Title\n\nThe **vote** and [the story](https://a.al).\n")
    assert md == "Title\n\nThe vote and the story.\n"
    pdf = plain_text("report.pdf", _pdf()).split("\n\n")
    assert pdf[0] == "Talks to continue" and len(pdf) == 15  # the heading, then each paragraph (over pages too) once
    assert all(p.startswith(f"Paragraph {n} says: The minister") for n, p in enumerate(pdf[1:], 1))
    assert all(p.endswith("well-known compromise.") for p in pdf[1:])  # no page header, no page number in them


@pytest.mark.parametrize(("data", "says"), [
    (lambda: _pdf(encrypt="secret"), "report.pdf: an encrypted (password-protected) PDF"),
    (lambda: _pdf(text=False), "report.pdf: a PDF with no text in it (a scanned document?)"),
    (lambda: b"%PDF-1.4 this is not really a PDF" + bytes(100), "report.pdf: not a readable PDF file"),
])
def test_bad_pdfs_are_refused_in_one_line_by_summarize_and_translate(data, says, marian_model, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(data())
    with pytest.raises(InputError, match=regex.escape(says.split(": ", 1)[1])):
        plain_text(str(path), path.read_bytes())
    for args in (["summarize", str(path), "--method", "extractive"],
                 ["translate", str(path), "--to", "sq", "--model", marian_model, "--out", str(tmp_path / "out")]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2 and len(result.output.splitlines()) == 1 and says in result.output, result.output
        assert not (tmp_path / "out" / "report.sq.md").exists()


def test_an_owner_password_alone_does_not_stop_reading():
    assert plain_text("report.pdf", _pdf(encrypt="")).startswith("Talks to continue\n\nParagraph 1")


def test_summarize_and_chain_read_subtitles_pdfs_and_catalogues(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "talk.srt").write_text(SRT, "utf-8")
    (folder / "report.pdf").write_bytes(_pdf(paragraphs=3))
    (folder / "site.po").write_text(PO, "utf-8")
    result = runner.invoke(app, ["summarize", str(folder / "talk.srt"), "--method", "extractive"])
    assert result.exit_code == 0 and "-->" not in result.output and "The minister said" in result.output, result.output
    result = runner.invoke(app, ["chain", str(folder), "--steps", "summarize", "--method", "extractive", "--from", "en"])
    assert result.exit_code == 0, result.output
    assert result.output.count('"summary"') == 3 and "-->" not in result.output and "Daily News" not in result.output


def test_translate_writes_a_pdf_as_markdown_and_a_page_s_article_as_text(marian_model, tmp_path):
    (tmp_path / "report.pdf").write_bytes(_pdf())
    page = tmp_path / "page.html"
    page.write_text("<html><body><nav>Home | World | Sport</nav><article>" + "".join(f"<p>{n}. {SENTENCE}</p>" for n in range(3))
                    + "</article><footer>Copyright 2022</footer></body></html>", "utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["translate", str(tmp_path / "report.pdf"), "--to", "sq", "--model", marian_model, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert len((out / "report.sq.md").read_text("utf-8").split("\n\n")) == 15  # the heading and 14 paragraphs
    result = runner.invoke(app, ["translate", str(page), "--to", "sq", "--model", marian_model, "--out", str(out),
                                 "--extract-article"])
    assert result.exit_code == 0, result.output
    article = (out / "page.sq.txt").read_text("utf-8")
    assert "<p>" not in article and "</" not in article and "Home | World" not in article and len(article.split("\n\n")) == 3


def _headed_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Election results", 1)
    document.add_paragraph("The minister said on Monday that the talks would continue.")
    document.add_paragraph("Officials counted votes in Tirana all night.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _headed_pptx() -> bytes:
    import pptx

    presentation = pptx.Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[1])
    slide.shapes.title.text = "Election results"
    body = slide.placeholders[1].text_frame
    body.text = "The minister said on Monday that the talks would continue."
    body.add_paragraph().text = "Officials counted votes in Tirana all night."
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


@pytest.mark.parametrize(("name", "make"), [("h.docx", _headed_docx), ("h.pptx", _headed_pptx)])
def test_an_office_document_s_heading_is_its_own_paragraph_never_a_summary_sentence(name, make, tmp_path):
    assert plain_text(name, make()).split("\n\n")[0] == "Election results"
    path = tmp_path / name
    path.write_bytes(make())
    for extra in (["--sentences", "1"], []):
        result = runner.invoke(app, ["summarize", str(path), "--method", "extractive", "--from", "en", *extra])
        assert result.exit_code == 0, result.output
        assert "Election results" not in result.output and result.output.startswith("The minister said"), result.output
    result = runner.invoke(app, ["chain", str(path), "--steps", "summarize", "--method", "extractive", "--from", "en"])
    assert result.exit_code == 0 and "Election results" not in result.output, result.output


def test_markdown_code_blocks_never_reach_the_text_read_nor_a_summary(tmp_path):
    md = ("# Election\n\nThe minister said the talks would continue.\n\n```\ncode here\n```\n\n~~~python\nprint('x')\n~~~\n\n"
          "    indented_code()\n\nOfficials counted the `votes` in Tirana.\n")
    text = plain_text("story.md", md.encode())
    assert "`" not in text and "~" not in text and "code" not in text and "print" not in text, text
    assert text.strip().split("\n\n") == ["Election", "The minister said the talks would continue.", "Officials counted the votes in Tirana."]
    (tmp_path / "story.md").write_text(md, "utf-8")
    result = runner.invoke(app, ["summarize", str(tmp_path / "story.md"), "--method", "extractive", "--from", "en"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "The minister said the talks would continue. Officials counted the votes in Tirana."
