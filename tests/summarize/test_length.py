"""Summary length: the default limit (80 words) holds for every summariser, not only when asked for."""

from toolkit.summarize.base import SummaryLength
from toolkit.summarize.extractive import ExtractiveSummarizer
from toolkit.summarize.length import DEFAULT_MAX_WORDS, fit_length

SENTENCE = "The minister said on Monday that the talks with the neighbouring countries would go on for weeks."
LONG = " ".join([SENTENCE] * 12)  # 17 words a sentence, 204 words in all


def test_model_output_is_cut_to_the_default_length():
    # What a seq2seq or chat model returned: longer than the default, no length given by the user.
    text, trimmed = fit_length(LONG, "en", SummaryLength())
    assert trimmed and 0 < len(text.split()) <= DEFAULT_MAX_WORDS
    assert text.endswith("weeks.")  # whole sentences


def test_sentences_limit_is_not_cut_to_the_default_words():
    text, trimmed = fit_length(LONG, "en", SummaryLength(sentences=6))
    assert len(text.split()) == 6 * 17 and trimmed


def test_extractive_summary_keeps_to_the_default_length():
    # Three sentences picked by default would be about 100 words.
    article = "\n\n".join(f"Officials in Tirana and Tehran met {i} times this year to discuss the ports, the roads, "
                          f"the power lines and the water works that the two governments plan to build together "
                          f"before the elections of {2020 + i}, the minister said on Monday in a statement."
                          for i in range(2, 12))
    summary = ExtractiveSummarizer().summarize(article, "en", SummaryLength())
    assert 0 < summary.words <= DEFAULT_MAX_WORDS


def test_extractive_article_of_one_overlong_sentence_is_cut_to_the_default():
    sentence = "The minister said " + ", ".join(f"item {i}" for i in range(60)) + " were agreed."
    summary = ExtractiveSummarizer().summarize(sentence, "en", SummaryLength())
    assert summary.trimmed and summary.words <= DEFAULT_MAX_WORDS and summary.text.endswith("…")
