import pytest

from toolkit.text.segment import cut_to_limit, fit_to_limit, split_layout, split_sentences, split_sentences_with_gaps


def test_layout_keeps_blank_lines_breaks_indentation_and_markdown():
    text = "# Title\n\nFirst line. Second one?\nnext line\n\n\n  - item one\n1. numbered\n"
    layout = split_layout(text)
    assert layout.lines == ("Title", "First line. Second one?", "next line", "item one", "numbered")
    assert layout.render(list(layout.lines)) == text
    assert layout.render([s.upper() for s in layout.lines]) == text.replace("Title", "TITLE").replace(
        "First line. Second one?", "FIRST LINE. SECOND ONE?").replace("next line", "NEXT LINE").replace(
        "item one", "ITEM ONE").replace("numbered", "NUMBERED")


def test_layout_of_crlf_text_round_trips():
    text = "One.\r\n\r\nTwo.\r\n"
    assert split_layout(text).render(["Uno.", "Dos."]) == "Uno.\r\n\r\nDos.\r\n"


def test_english_abbreviations_do_not_end_sentences():
    text = "Dr. Smith met the U.S. envoy at 5 p.m. on Monday. He left."
    assert split_sentences(text, "en") == ["Dr. Smith met the U.S. envoy at 5 p.m. on Monday.", "He left."]


def test_persian_question_mark_and_full_stop_end_sentences():
    text = "آیا این خبر درست است؟ سخنگو گفت نه. او رفت!"
    assert split_sentences(text, "fa") == ["آیا این خبر درست است؟", "سخنگو گفت نه.", "او رفت!"]


def test_albanian_sentences_keep_their_letters():
    text = "Çfarë ndodhi në Tiranë? Qeveria nuk dha përgjigje."
    assert split_sentences(text, "sq") == ["Çfarë ndodhi në Tiranë?", "Qeveria nuk dha përgjigje."]


def test_fit_to_limit_cuts_at_clauses_then_words_and_drops_nothing():
    sentence = "alpha beta gamma delta, epsilon zeta eta theta; iota kappa lambda mu nu xi omicron pi"
    pieces = fit_to_limit(sentence, lambda s: len(s.split()), 4)
    assert all(len(p.split()) <= 4 for p in pieces)
    assert " ".join(pieces).split() == sentence.split()


def test_fit_to_limit_cuts_an_unbroken_run_of_characters():
    pieces = fit_to_limit("x" * 50, len, 8)
    assert all(len(p) <= 8 for p in pieces) and "".join(pieces) == "x" * 50


@pytest.mark.parametrize("text", [
    "The talks ended.  Iran left.",
    "The talks ended.\tIran left.",
    "The talks ended.\u00a0Iran left.",
    "The minister spoke in Tirana.Albania cut ties.",
    "Çfarë ndodhi në Tiranë?\u2003Qeveria nuk dha përgjigje.",
    "آیا این خبر درست است؟  سخنگو گفت نه.",
])
def test_sentences_keep_the_text_between_them_verbatim(text):
    pieces = split_sentences_with_gaps(text, "en")
    assert len(pieces) == 2
    assert all(s == s.strip() and not g.strip() for s, g in pieces)
    assert "".join(s + g for s, g in pieces) == text


def test_cut_to_limit_keeps_the_whitespace_at_each_cut():
    sentence = "alpha  beta\tgamma delta,  epsilon zeta\u00a0eta theta; iota kappa lambda mu nu xi omicron pi"
    pieces = cut_to_limit(sentence, lambda s: len(s.split()), 4)
    assert all(len(p.split()) <= 4 and p == p.strip() for p, _ in pieces)
    assert "".join(p + g for p, g in pieces) == sentence
    assert cut_to_limit("x" * 50, len, 8)[-1][1] == "" and "".join(p + g for p, g in cut_to_limit("x" * 50, len, 8)) == "x" * 50


def test_an_unbroken_run_is_never_cut_inside_a_marker():
    from toolkit.text.codes import marker_spans
    from toolkit.text.segment import cut_to_limit

    run = "x" * 10 + "[12]" + "y" * 10
    pieces = [p for p, _ in cut_to_limit(run, len, 12)]
    assert "".join(pieces) == run and sum(len(marker_spans(p)) for p in pieces) == 1
