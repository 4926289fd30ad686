"""HTML translated into HTML: each block's text one part with its inline tags as codes, everything
else byte for byte; alt/title/meta description translated; lang and dir set to the target."""

from __future__ import annotations

import shutil

import pytest
import regex
from hypothesis import given, settings, strategies as st
from typer.testing import CliRunner

from tests.formats.docx_files import convert, make_docx
from tests.formats.test_docx import Shout
from tests.formats.test_subtitles import Upper, _translate
from tests.identity import IdentityTranslator
from toolkit.cli import app

PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Vote &amp; count</title>
<meta name="description" content="The vote in Tirana">
<style>p { color: red; }</style><script>var x = "<b>no</b> said";</script></head>
<body>
<!-- a comment, kept -->
<h1>The minister&rsquo;s <b>plan</b></h1>
<p class="lead">The minister said
   that the <a href="/talks" title="Talks page">talks</a> would continue.<br>Next <i>week</i> too.</p>
<img src="x.png" alt="A photo of Tirana">
<pre>keep   this <b>text</b></pre>
<p>Use <code>run(now)</code> today.</p>
</body></html>
"""
KEPT = ['<style>p { color: red; }</style>', '<script>var x = "<b>no</b> said";</script>', "<!-- a comment, kept -->",
        "<pre>keep   this <b>text</b></pre>", "<code>run(now)</code>", '<a href="/talks" title="', '<p class="lead">']


def _tags(text: str) -> list[str]:
    """The page's tags, by name, in order (attribute values aside)."""
    return regex.findall(r"</?([A-Za-z0-9]+)", text)


def test_an_identity_translation_gives_the_page_back_with_only_its_language_changed():
    out, _ = _translate(PAGE, "page.html", IdentityTranslator(max_input_tokens=400))
    assert out == PAGE.replace('<html lang="en">', '<html lang="sq">')
    fragment = "<div>\n  <p>One &amp; two,\n  <b>three</b></p>\n\t<ul><li>caf&eacute;</li></ul>\n</div>"
    assert _translate(fragment, "part.htm", IdentityTranslator(max_input_tokens=400))[0] == fragment
    unclosed = "<p>Prices rose.</p>\n<!-- draft: <b>not</b> final &amp; unreviewed\n"  # runs to the end, as browsers read it
    out, _ = _translate(unclosed, "draft.html", Upper(max_input_tokens=400))
    assert out == "<p>PRICES ROSE.</p>\n<!-- draft: <b>not</b> final &amp; unreviewed\n"


def test_every_block_and_text_attribute_is_translated_and_markup_is_kept():
    translator = Upper(target="fa", max_input_tokens=400)  # drops every marker: the tags must come back anyway
    out, document = _translate(PAGE, "page.html", translator)
    sent = [s for batch in translator.batches for s in batch]
    assert "The minister said that the [1]talks[2] would continue.[3]" in sent  # one sentence over a line break
    assert "The minister’s [1]plan[2]" in sent  # an entity for a letter is shown as the letter
    assert _tags(out) == _tags(PAGE)
    assert all(kept in out for kept in KEPT)  # scripts, styles, comments, pre, code, attributes: untouched
    for translated in ("<title>VOTE &amp; COUNT</title>", 'content="THE VOTE IN TIRANA"', 'title="TALKS PAGE"',
                       'alt="A PHOTO OF TIRANA"', "USE <code>run(now)</code> TODAY."):
        assert translated in out
    assert regex.search(r"<b>\s*PLAN</b>", out) and regex.search(r"<i>\s*WEEK</i>", out)  # put back around their words
    assert '<html dir="rtl" lang="fa">' in out
    parts = {s.part for s in document.segments}
    assert {"<img alt>", "<a title>", "<meta content>"} <= parts and any(p.startswith("block ") for p in parts)


def test_a_paired_tag_closed_before_it_opens_is_put_back_in_order():
    class Swapped(IdentityTranslator):
        def translate_batch(self, sentences):
            super().translate_batch(sentences)
            return [s.replace("[1]", "@").replace("[2]", "[1]").replace("@", "[2]") for s in sentences]

    out, _ = _translate("<p>The <b>vote</b> count.</p>", "a.html", Swapped(max_input_tokens=400))
    assert out == "<p>The <b>vote</b> count.</p>"


def test_a_left_to_right_target_of_a_right_to_left_page_gets_dir_ltr():
    page = '<html lang="fa" dir="rtl"><body><p>سلام دنیا</p></body></html>'
    out, _ = _translate(page, "a.html", IdentityTranslator(source="fa", target="sq", max_input_tokens=400))
    assert out == '<html lang="sq" dir="ltr"><body><p>سلام دنیا</p></body></html>'


def test_the_language_and_direction_office_suites_write_on_body_follow_the_target():
    page = '<html><body lang="en-US" dir="ltr"><p lang="en-US">The vote</p></body></html>'  # as LibreOffice writes a page
    out, _ = _translate(page, "a.html", IdentityTranslator(target="fa", max_input_tokens=400))
    assert out == '<html dir="rtl" lang="fa"><body lang="fa" dir="rtl"><p lang="en-US">The vote</p></body></html>'
    out, _ = _translate("<html><body><p>The vote</p></body></html>", "a.html", IdentityTranslator(target="fa", max_input_tokens=400))
    assert out == '<html dir="rtl" lang="fa"><body><p>The vote</p></body></html>'  # nothing added to <body>



class InArabicScript(IdentityTranslator):
    """Every Latin letter written as a Persian one (the markers of inline codes kept): a page in Persian."""

    def translate_batch(self, sentences):
        return [regex.sub(r"\p{Latin}", "ب", s) for s in super().translate_batch(sentences)]


_STATED = regex.compile(r"(direction|text-align)\s*:\s*(ltr|rtl|left|right)", regex.I)


def _stated(css: str) -> list[str]:
    """The directions and alignments ``css`` states, as ``direction:rtl``."""
    return [f"{m.group(1).lower()}:{m.group(2).lower()}" for m in _STATED.finditer(css)]


def test_the_direction_and_alignment_the_pages_css_states_follow_a_target_of_the_other_direction():
    page = ('<html><head><style>\np { text-align: left; direction: ltr; color: red }\nh1 { DIRECTION:LTR !important;'
            ' text-align : Left!important }\n.date { text-align: center }\n</style></head>\n<body lang="en-US" dir="ltr"'
            ' style="direction: ltr"><h1>The vote</h1><p style="text-align:left;direction:ltr">Prices rose.</p>'
            '<p translate="no" style="direction: ltr">Daily News</p><p style="direction: ltr">12</p></body></html>')
    out, _ = _translate(page, "a.html", Shout(target="fa", max_input_tokens=400))
    assert ('<style>\np { text-align: right; direction: rtl; color: red }\nh1 { DIRECTION:RTL !important;'
            ' text-align : Right!important }\n.date { text-align: center }\n</style>') in out  # only those words changed
    assert '<body lang="fa" dir="rtl" style="direction: rtl">' in out
    assert '<p style="text-align:right;direction:rtl">PRICES ROSE.</p>' in out
    assert '<p translate="no" style="direction: ltr">Daily News</p>' in out  # kept whole, its style too
    assert '<p style="direction: ltr">12</p>' in out  # nothing in it translated: its own direction kept
    persian = ('<html lang="fa" dir="rtl"><head><style>body { direction: rtl; text-align: right }</style></head>'
               '<body><p style="direction: rtl">رأی‌ها شمرده شد، vote</p></body></html>')
    out, _ = _translate(persian, "a.html", Shout(source="fa", target="sq", max_input_tokens=400))
    assert _stated(out) == ["direction:ltr", "text-align:left", "direction:ltr"]
    same = page.replace("<h1>The vote</h1>", "")  # English into Albanian: the page's CSS as it was
    assert _stated(_translate(same, "a.html", Shout(target="sq", max_input_tokens=400))[0]) == _stated(same)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_page_libreoffice_wrote_reads_right_to_left_in_persian_and_back(tmp_path):
    (tmp_path / "report.docx").write_bytes(make_docx())
    page = convert(tmp_path / "report.docx", "html", tmp_path).read_text("utf-8")
    assert "direction: ltr" in page and "text-align: left" in page  # as LibreOffice 7 writes p and h1
    persian, _ = _translate(page, "report.html", InArabicScript(target="fa", max_input_tokens=400))
    assert _stated(persian) and not {"direction:ltr", "text-align:left"} & set(_stated(persian))
    back, _ = _translate(persian, "report.html", Shout(source="fa", target="sq", max_input_tokens=400))
    assert _stated(back) and not {"direction:rtl", "text-align:right"} & set(_stated(back))


# (source, target, page, the translation by Shout): elements' own lang and dir, kept elements, translate="no".
_OWN_LANGUAGES = {
    "lang follows translated text": ("en", "fa", (
        '<html lang="en"><body><div lang="en-US" dir="ltr"><p lang="en-US">The vote was <span lang="en">fair</span>.</p>'
        '<p xml:lang="en" lang=en>Prices rose.</p><pre lang="en">keep this</pre>'
        '<p>Run <code lang="en">make all</code> now.</p></div></body></html>'), (
        '<html dir="rtl" lang="fa"><body><div lang="fa" dir="rtl"><p lang="fa">THE VOTE WAS <span lang="fa">FAIR</span>.</p>'
        '<p xml:lang="fa" lang="fa">PRICES ROSE.</p><pre lang="en">keep this</pre>'
        '<p>RUN <code lang="en">make all</code> NOW.</p></div></body></html>')),
    "a Persian page into Albanian (۱۲ comes back as it was)": ("fa", "sq", (
        '<html lang="fa" dir="rtl"><body><p lang="fa" dir="rtl">the vote</p><p lang="fa">۱۲</p></body></html>'), (
        '<html lang="sq" dir="ltr"><body><p lang="sq" dir="ltr">THE VOTE</p><p lang="fa">۱۲</p></body></html>')),
    'translate="no" kept whole': ("en", "fa", (
        '<html lang="en"><body><p>The <span translate="no" lang="en">Daily News</span> said so.</p>'
        '<div translate=no lang="en"><p>Keep this line.</p></div><img src="a.png" translate="no" alt="A photo">'
        '<p translate="yes">Prices rose.</p></body></html>'), (
        '<html dir="rtl" lang="fa"><body><p>THE <span translate="no" lang="en">Daily News</span> SAID SO.</p>'
        '<div translate=no lang="en"><p>Keep this line.</p></div><img src="a.png" translate="no" alt="A photo">'
        '<p translate="yes">PRICES ROSE.</p></body></html>')),
}


@pytest.mark.parametrize("case", list(_OWN_LANGUAGES))
def test_elements_own_lang_and_dir_follow_the_target_where_their_text_is_translated_and_kept_elements_keep_theirs(case):
    source, target, page, expected = _OWN_LANGUAGES[case]
    out, _ = _translate(page, "a.html", Shout(source=source, target=target, max_input_tokens=400))
    assert out == expected


def test_a_page_word_saved_keeps_its_sentences_whole_around_office_tags():
    """Word's "Save as Web Page" puts its own namespaced tags inside sentences (``<o:p>``, smart tags
    such as ``<st1:City>``): inline codes, not blocks that cut a sentence in three."""
    page = ("<html xmlns:o='urn:schemas-microsoft-com:office:office'><head><!--[if gte mso 9]><xml><w:WordDocument>"
            "</w:WordDocument></xml><![endif]--></head>\n<body lang=EN-US><div class=WordSection1>\n"
            "<p class=MsoNormal><span lang=EN-GB>The minister said the <b>vote</b> was fair.<o:p></o:p></span></p>\n"
            "<p class=MsoNormal>Turnout rose in <st1:City w:st='on'>Tirana</st1:City> and Durr&euml;s.<o:p>&nbsp;</o:p></p>\n"
            "</div></body></html>")
    out, document = _translate(page, "a.html", Shout(max_input_tokens=400))
    assert [s.part for s in document.segments] == ["block 1 <p>", "block 2 <p>"]
    assert "<p class=MsoNormal><span lang=\"sq\">THE MINISTER SAID THE <b>VOTE</b> WAS FAIR.<o:p></o:p></span></p>" in out
    assert "<p class=MsoNormal>TURNOUT ROSE IN <st1:City w:st='on'>TIRANA</st1:City> AND DURRËS.<o:p>\u00a0</o:p></p>" in out
    assert "<![endif]--></head>" in out and "<body lang=\"sq\">" in out


# Random pages: blocks of words (English, Albanian, Persian), inline tags, entities, comments, kept elements.
_WORD = st.sampled_from(["the", "vote", "ëndërr", "çdo", "رأی", "می\u200cدهد", "۱۲", "50%", "&amp;", "&eacute;", "&#1605;",
                         "&nbsp;", "<b>", "</b>", "<br>", "<i>", "</i>", '<a href="/x?a=1&amp;b=2">', "</a>", "said.",
                         "<!-- note -->", "<code>x &lt; y</code>", '<img alt="a photo" src=p.png>', "\n  ", "\t", "why?"])
_BLOCK = st.tuples(st.sampled_from(["p", "li", "h2", "td", "div", "blockquote"]),
                   st.lists(_WORD, min_size=0, max_size=10).map(" ".join))


@settings(max_examples=80, deadline=None)
@given(st.lists(_BLOCK, min_size=1, max_size=6), st.sampled_from(["\n", "\r\n", ""]), st.booleans())
def test_round_trip_property(blocks, newline, whole):
    body = newline.join(f"<{name}>{text}</{name}>" for name, text in blocks)
    page = f"<!doctype html>{newline}<html>{newline}<body>{body}<script>if (a < b) {{}}</script></body></html>" if whole else body
    out, _ = _translate(page, "p.html", IdentityTranslator(max_input_tokens=400))
    assert out == (page.replace("<html>", '<html lang="sq">') if whole else page)


@settings(max_examples=60, deadline=None)
@given(st.lists(_BLOCK, min_size=1, max_size=6))
def test_every_tag_comes_back_once_when_the_model_drops_the_markers(blocks):
    page = "\n".join(f"<{name}>{text}</{name}>" for name, text in blocks)
    out, _ = _translate(page, "p.html", Upper(max_input_tokens=400))
    assert _tags(out) == _tags(page)


def test_a_folder_with_a_page_translated_by_a_real_model(marian_model, m2m100_model, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "page.html").write_text(PAGE, "utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["translate", str(src), "--to", "sq,fa", "--model", f"sq={marian_model}",
                                      "--model", f"fa={m2m100_model}", "--out", str(out)])
    assert result.exit_code == 0, result.output
    for target in ("sq", "fa"):
        translated = (out / f"page.{target}.html").read_text("utf-8")
        assert _tags(translated) == _tags(PAGE) and all(kept in translated for kept in KEPT)
        for source in ("The minister said", "Next", "A photo of Tirana", "Talks page", "The vote in Tirana"):
            assert source not in translated  # no text left behind
        assert translated.count("<b>") == PAGE.count("<b>") and translated.count("</a>") == 1  # nothing duplicated
    assert '<html dir="rtl" lang="fa">' in (out / "page.fa.html").read_text("utf-8")


def test_a_binary_html_file_is_refused_in_one_line(marian_model, tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(b"<html>\x00\x01\x02" + bytes(range(128)))
    result = CliRunner().invoke(app, ["translate", str(page), "--to", "sq", "--model", marian_model, "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and len(result.output.splitlines()) == 1, result.output
    assert "page.html: not a web page (HTML) file (binary data in it)" in result.output


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_a_translated_page(tmp_path):
    from pypdf import PdfReader

    out, _ = _translate(PAGE, "page.html", Upper(target="fa", max_input_tokens=400))
    (tmp_path / "page.fa.html").write_text(out, "utf-8")
    text = " ".join(page.extract_text() for page in PdfReader(convert(tmp_path / "page.fa.html", "pdf", tmp_path)).pages)
    assert "THE MINISTER SAID" in text and "keep this" in " ".join(text.split())
