import pytest

from tests.corpus import corpus_file
from toolkit.errors import InputError
from toolkit.text.clean import article_text, markdown_to_text, remove_furniture


def test_a_missing_corpus_fails_the_test_instead_of_skipping_it(monkeypatch, tmp_path):
    from tests import corpus

    monkeypatch.setattr(corpus, "ROOT", tmp_path / "checkout")
    with pytest.raises(pytest.fail.Exception, match="shared/corpus/mehr-iran-albania-2022.txt is not on this machine"):
        corpus_file("mehr-iran-albania-2022.txt")


def test_corpus_footer_is_removed():
    raw = corpus_file("mehr-iran-albania-2022.txt").read_text("utf-8")
    cleaned = article_text(raw)
    assert cleaned.removed == ("News Code 191224", "Your Comment", "You are replying to: .", "• captcha")
    assert cleaned.text.endswith("carried out numerous cyber attacks against Iran's infrastructure and network from Albania.")
    assert cleaned.text.startswith("Iran reacts to US frequent sanctioning")


def test_furniture_in_persian_and_albanian_and_everything_after_comments():
    raw = "\n".join([
        "وزیر گفت که مذاکرات ادامه دارد.", "کد خبر: ۱۹۱۲۲۴", "اشتراک گذاری",
        "Ministri tha se bisedimet vazhdojnë.", "Shpërndaje", "Follow us on Twitter",
        "Share this", "Leave a comment", "Great article!", "Another reader comment.",
    ])
    cleaned = remove_furniture(raw)
    assert cleaned.text == "وزیر گفت که مذاکرات ادامه دارد.\nMinistri tha se bisedimet vazhdojnë."
    assert "Great article!" in cleaned.removed


def test_article_sentences_mentioning_furniture_words_are_kept():
    raw = "Officials said the captcha system on the ministry site failed during the attack.\nShare prices fell."
    assert remove_furniture(raw).text == raw


def test_html_main_text_is_extracted():
    body = " ".join(f"<p>The minister said on day {i} that the talks in Tirana would continue next week.</p>" for i in range(8))
    html = f"<html><head><title>T</title></head><body><nav>Home | World | Sport</nav><article>{body}</article>" \
           "<footer>Copyright 2022</footer></body></html>"
    text = article_text(html, "page.html").text
    assert "talks in Tirana" in text
    assert "Home | World" not in text


@pytest.mark.parametrize("raw", ["", "   \n\t \n"])
def test_empty_article_is_refused(raw):
    with pytest.raises(InputError, match="empty"):
        article_text(raw)


def test_all_furniture_article_is_refused():
    with pytest.raises(InputError, match="no text left after removing page furniture"):
        article_text("News Code 191224\n\nYour Comment\nYou are replying to: .\n  • captcha\n")


def test_markdown_markers_are_removed():
    md = "# Title\n\n- **Bold** point with a [link](http://x.org)\n> quoted ![img](a.png)"
    assert markdown_to_text(md) == "Title\n\nBold point with a link\nquoted "


HEADLINE_PAGE = """<html><head><title>Albania cuts ties with Iran | News</title></head><body><nav>Home | World</nav>
<article><h1>Albania cuts ties with Iran</h1>
<p>Albania cut diplomatic ties with Iran on Wednesday after a cyber attack on government servers.</p>
<p>The prime minister said the attack was prepared for months by groups paid by Tehran.</p>
<p>Iran rejected the accusation and called it baseless.</p>
<p>The United States said it would respond to the attack on its NATO ally.</p>
</article></body></html>"""


def test_html_blocks_are_paragraphs_so_the_headline_is_not_glued_to_the_first_sentence():
    from toolkit.summarize.base import SummaryLength
    from toolkit.summarize.extractive import ExtractiveSummarizer

    text = article_text(HEADLINE_PAGE, "page.html").text
    assert text.startswith("Albania cuts ties with Iran\n\nAlbania cut diplomatic ties")
    summary = ExtractiveSummarizer().summarize(text, "en", SummaryLength(sentences=2)).text
    assert summary.startswith("Albania cut diplomatic ties with Iran on Wednesday")
    assert "Albania cuts ties with Iran" not in summary
