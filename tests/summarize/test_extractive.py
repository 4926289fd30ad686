import pytest

from toolkit.errors import InputError
from toolkit.summarize.base import SummaryLength
from toolkit.summarize.extractive import ExtractiveSummarizer, article_sentences, lexrank, words

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


def _full_graph_lexrank(sentences: list[str], lang: str, window: int) -> list[float]:
    """LexRank as first written, all pairs in plain Python, with the edges of sentences more than
    ``window`` apart removed: what the banded ranking must equal."""
    import math
    from collections import Counter

    bags = [Counter(words(s, lang)) for s in sentences]
    n = len(bags)
    df = Counter(w for bag in bags for w in bag)
    idf = {w: math.log((1 + n) / (1 + d)) + 1.0 for w, d in df.items()}

    def cosine(a, b):
        dot = sum(a[w] * b[w] * idf[w] ** 2 for w in a.keys() & b.keys())
        norm = math.sqrt(sum((c * idf[w]) ** 2 for w, c in a.items()) * sum((c * idf[w]) ** 2 for w, c in b.items()))
        return dot / norm if dot else 0.0

    sim = [[cosine(bags[i], bags[j]) if i != j and abs(i - j) <= window else 0.0 for j in range(n)] for i in range(n)]
    out = [sum(row) for row in sim]
    lead = [1 / math.sqrt(i + 1) for i in range(n)]
    teleport = [w / sum(lead) for w in lead]
    scores = teleport[:]
    for _ in range(100):
        new = [0.15 * teleport[j] + 0.85 * sum(scores[i] * sim[i][j] / out[i] for i in range(n) if out[i])
               for j in range(n)]
        dangling = 0.85 * sum(scores[i] for i in range(n) if not out[i])
        new = [v + dangling * teleport[j] for j, v in enumerate(new)]
        if max(abs(a - b) for a, b in zip(new, scores)) < 1e-9:
            return new
        scores = new
    return scores


@pytest.mark.parametrize("window", [2, 5, 100])
def test_ranking_within_a_window_is_lexrank_on_that_band_of_the_graph(window):
    sentences = article_sentences(EN + "\n\n" + SQ.replace("Shqipëri", "Albani"), "en")
    sentences += ["A sentence sharing no word.", "Iran and Albania again."]
    assert lexrank(sentences, "en", window=window) == pytest.approx(_full_graph_lexrank(sentences, "en", window),
                                                                     abs=1e-12)


def test_a_long_article_gets_whole_sentences_within_the_default_length():
    weather = [f"The weather in Tirana on day {i} was {'sunny' if i % 2 else 'cloudy'} with light winds." for i in range(300)]
    news = EN.split("\n\n")[1].splitlines()
    article = "\n\n".join(weather[:150] + news + weather[150:])  # 304 sentences, far more than a window
    summary = ExtractiveSummarizer().summarize(article, "en", SummaryLength())
    picked = _in_source_order(summary.text, article_sentences(article, "en"))
    assert len(picked) >= 3 and summary.words <= 80


DUPLICATED = "\n\n".join(f"The minister said on Monday that the talks with the opposition would continue next week in "
                         f"Tirana. Paragraph {i} adds that the vote counting had been slow in several cities." for i in range(6))


def _normalised(sentence: str) -> str:
    import unicodedata

    return " ".join(unicodedata.normalize("NFC", sentence).split()).casefold()


@pytest.mark.parametrize("length", [SummaryLength(), SummaryLength(sentences=4), SummaryLength(max_words=60)])
def test_a_sentence_repeated_in_the_article_is_in_the_summary_once(length):
    summary = ExtractiveSummarizer().summarize(DUPLICATED, "en", length).text
    sentences = [_normalised(s) for s in article_sentences(summary, "en")]
    assert sentences.count(_normalised("The minister said on Monday that the talks with the opposition would continue "
                                       "next week in Tirana.")) == 1, summary
    assert len(sentences) == len(set(sentences)) > 1, summary  # the next-best different sentences instead


def test_sentences_differing_only_in_case_spacing_or_unicode_form_are_one_sentence():
    text = ("Qeveria e Shqipërisë tha se zgjedhjet do të mbahen në qershor. Irani e hodhi poshtë akuzën.\n\n"
            "qeveria e  Shqipe\u0308risë tha se zgjedhjet do të mbahen në qershor. Zyrtarët në Tiranë numëruan votat.")
    summary = ExtractiveSummarizer().summarize(text, "sq", SummaryLength(sentences=3)).text
    assert [_normalised(s) for s in article_sentences(summary, "sq")].count(
        _normalised("Qeveria e Shqipërisë tha se zgjedhjet do të mbahen në qershor.")) == 1, summary
