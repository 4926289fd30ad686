import pytest

from toolkit.errors import InputError
from toolkit.summarize.base import SummaryLength
from toolkit.summarize.extractive import ExtractiveSummarizer, article_sentences, words

EN = """Iran and Albania cut diplomatic ties in September 2022.

The government of Albania accused Iran of a cyber attack on its servers. Iran rejected the accusation.
The United States sanctioned the Iranian intelligence ministry after the attack on Albania.
Officials in Tirana said the cyber attack on the servers was prepared for months.
The weather in Tirana was sunny on Wednesday."""

FA = """ایران و آلبانی روابط دیپلماتیک را قطع کردند. دولت آلبانی ایران را به حمله سایبری متهم کرد.
ایران این اتهام را رد کرد. آمریکا وزارت اطلاعات ایران را پس از حمله سایبری تحریم کرد.
مقام‌های آلبانی گفتند حمله سایبری ماه‌ها برنامه‌ریزی شده بود."""

SQ = """Shqipëria dhe Irani ndërprenë marrëdhëniet diplomatike. Qeveria e Shqipërisë akuzoi Iranin për sulm kibernetik.
Irani e hodhi poshtë akuzën. SHBA sanksionoi ministrinë iraniane pas sulmit kibernetik ndaj Shqipërisë.
Zyrtarët në Tiranë thanë se sulmi kibernetik ishte përgatitur për muaj."""


def _in_source_order(summary: str, sentences: list[str]) -> list[int]:
    """Indices of the source sentences the summary is made of; fails if it is anything else."""
    picked, rest = [], summary
    for i, sentence in enumerate(sentences):
        if rest.startswith(sentence):
            picked.append(i)
            rest = rest[len(sentence):].lstrip()
    assert rest == "", f"not made of whole source sentences in order: {rest!r}"
    return picked


@pytest.mark.parametrize("text,lang", [(EN, "en"), (FA, "fa"), (SQ, "sq")])
def test_summary_is_source_sentences_in_source_order(text, lang):
    summary = ExtractiveSummarizer().summarize(text, lang, SummaryLength(sentences=2))
    picked = _in_source_order(summary.text, article_sentences(text, lang))
    assert len(picked) == 2 and picked == sorted(picked)
    assert summary.method == "extractive" and summary.algorithm == "lexrank" and summary.model is None


def test_central_sentences_win_and_headline_is_left_out():
    text = "Albania cuts ties with Iran\n\n" + EN
    summary = ExtractiveSummarizer().summarize(text, "en", SummaryLength(sentences=2)).text
    assert "cyber attack" in summary
    assert "weather" not in summary and not summary.startswith("Albania cuts ties")


def test_max_words_is_honoured():
    summary = ExtractiveSummarizer().summarize(EN, "en", SummaryLength(max_words=20))
    assert 0 < summary.words <= 20


def test_max_words_smaller_than_every_sentence_is_an_error():
    with pytest.raises(InputError, match="longer than the summary's 2 words"):
        ExtractiveSummarizer().summarize(EN, "en", SummaryLength(max_words=2))


def test_words_are_unicode_aware():
    assert words("می‌روم به خانه‌ي ۱۲ كتاب", "fa") == ["میروم", "خانهی", "12", "کتاب"]
    assert words("Shqipëria çeli Tiranë", "sq") == ["shqipëria", "çeli", "tiranë"]


def test_length_options_are_exclusive():
    with pytest.raises(InputError, match="both given"):
        SummaryLength(max_words=10, sentences=2)
