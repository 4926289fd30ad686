"""The segment model: protected spans become codes and come back exactly once, byte for byte."""

from hypothesis import given, settings, strategies as st

from toolkit.text.codes import MARKER, Protection, protect, restore

SPANS = ["https://example.com/a.b?q=1&x=ë", "www.gov.al/lajme", "info@rtsh.al", "@BBCPersian", "{name}", "{{count}}",
         "%s", "%d", "%(city)s", "$HOME", "${USER}", "`pip install toolkit`", "[7]"]


def test_every_kind_of_span_is_a_code_and_the_rest_is_left_to_the_model():
    text = "Vizitoni " + " dhe ".join(SPANS) + " sot, çdo ditë."
    segment = protect(text)
    assert [c.text for c in segment.codes] == SPANS
    assert "sot, çdo ditë." in segment.text and "http" not in segment.text
    assert segment.plain() == text
    assert restore(segment.text, segment) == (text, ())


def test_printf_placeholders_with_flags_width_precision_position_and_length_are_codes():
    printf = ["%5.2f", "%1$s", "%-10s", "%lu", "%05d", "%.3e", "%x", "%2$d"]
    segment = protect("Paguani " + ", ".join(printf) + " sot.")
    assert [c.text for c in segment.codes] == printf


def test_percentages_in_prose_are_text():
    for text in ("Prices rose 12% in Tirana.", "50% of voters, 61.5%, or 30 %d", "Turnout: 48%; 12% in", "۵۰٪ of ۱۲% و"):
        assert [c.text for c in protect(text).codes] == (["%d"] if text.endswith("%d") else [])


def test_a_url_with_dots_is_one_code_and_its_sentence_end_is_text():
    segment = protect("Lexoni https://example.com/a.b.html. وزیر گفت.")
    assert segment.codes[0].text == "https://example.com/a.b.html"
    assert segment.text == f"Lexoni {MARKER.format(n=1)}. وزیر گفت."


def test_a_url_with_parentheses_keeps_its_closing_one_and_leaves_the_sentences():
    wiki = "https://en.wikipedia.org/wiki/Tirana_(city)"
    segment = protect(f"Shihni {wiki}. Ose (lexoni {wiki}) dhe (https://x.al/r).")
    assert [c.text for c in segment.codes] == [wiki, wiki, "https://x.al/r"]
    assert segment.text.endswith("(lexoni [2]) dhe ([3]).")


def test_html_tags_and_entities_only_in_html():
    text = "<b>Tiranë</b> &amp; Tehran"
    assert protect(text).codes == ()
    assert [c.text for c in protect(text, Protection(html=True)).codes] == ["<b>", "</b>", "&amp;"]


def test_markdown_link_text_is_translated_its_target_kept_as_a_paired_code():
    segment = protect('Lexoni [raportin e plotë](https://x.al/r "titull") sot.', Protection(markdown=True))
    opening, closing = segment.codes
    assert (opening.pair, closing.pair, opening.partner, closing.partner) == ("open", "close", 2, 1)
    assert "raportin e plotë" in segment.text
    # The closing half returned first: the halves swap back into order.
    text, flags = restore("Read [2] the full report [1] today.", segment)
    assert text == 'Read [ the full report ](https://x.al/r "titull") today.' and flags == ()


def test_lost_doubled_and_unknown_markers_are_repaired_and_flagged():
    segment = protect("Shkruani te info@rtsh.al ose {name} sot.")
    text, flags = restore("Write to [1] [1] [5] today.", segment)
    assert text.count("info@rtsh.al") == 1 and text.count("{name}") == 1
    assert flags[0].check == "placeholders"
    assert flags[0].detail == "lost: {name}; doubled: info@rtsh.al; unknown: 1"


def test_persian_digits_and_spaces_in_a_marker_are_still_the_marker():
    segment = protect("سلام {name} و %s")
    assert restore("درود [ ۱ ] و [۲]", segment) == ("درود {name} و %s", ())


def test_glossary_terms_longest_first_whole_words_any_case():
    terms = {"prime minister": "Kryeministri", "minister": "ministri", "tirana": None}
    segment = protect("The PRIME MINISTER met ministers and the minister in Tirana.", Protection(terms=terms))
    assert [(c.source, c.text) for c in segment.codes] == [
        ("PRIME MINISTER", "Kryeministri"), ("minister", "ministri"), ("Tirana", "Tirana")]
    text, flags = restore("Kryeministri [1] takoi ministrat.", segment)
    assert [f.check for f in flags] == ["glossary"]
    assert flags[0].detail == "lost: minister, Tirana"
    assert text.split().count("ministri") == 1 and text.count("Tirana") == 1


def test_a_sentence_is_masked_the_same_whatever_the_line_around_it():
    line = protect("See {a}. Then see {b} and %s.")
    part = line.part(line.text.split(". ")[1])
    assert part.text == "Then see [1] and [2]." and [c.text for c in part.codes] == ["{b}", "%s"]


words = st.sampled_from(["Tiranë", "çka", "ë", "وزیر", "می‌گوید", "۱۲", "17,000", "news", ".", ",", "?", "[", "]", "{"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(words, st.sampled_from(SPANS)), max_size=14), st.lists(st.one_of(
    words, st.integers(0, 20).map(lambda n: MARKER.format(n=n)), st.sampled_from(["[ 2 ]", "[۳]", "[[1]]"])), max_size=14))
def test_restore_puts_every_span_back_exactly_once_whatever_the_model_returns(tokens, output_tokens):
    segment = protect(" ".join(tokens))
    text, _ = restore(" ".join(output_tokens), segment)
    for span in {c.text for c in segment.codes}:
        assert text.count(span) == sum(c.text == span for c in segment.codes)


def test_without_codes_bracketed_numbers_are_text():
    segment = protect("Shih shënimin [2].", Protection(spans=False))
    assert segment.codes == () and restore("See note [2].", segment) == ("See note [2].", ())


def test_only_glossary_terms_match_in_any_case():
    segment = protect("Paid $price to $HOME for STRASSE.", Protection(terms={"strasse": "rruga"}))
    assert [(c.kind, c.text) for c in segment.codes] == [("placeholder", "$HOME"), ("term", "rruga")]


def test_with_spans_off_a_glossary_still_masks_marker_like_text():
    segment = protect("The minister said [5].", Protection(spans=False, terms={"minister": "ministri"}))
    assert [c.text for c in segment.codes] == ["ministri", "[5]"]
    assert segment.part(segment.text).codes == segment.codes


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(words, st.sampled_from([*SPANS, "Tiranë", "TIRANË", "[lidhja](https://x.al/a)"])), max_size=14),
       st.lists(st.one_of(words, st.integers(0, 20).map(lambda n: MARKER.format(n=n))), max_size=14))
def test_glossary_terms_and_link_targets_come_back_exactly_once_too(tokens, output_tokens):
    segment = protect(" ".join(tokens), Protection(markdown=True, terms={"tiranë": "Tirana"}))
    text, _ = restore(" ".join(output_tokens), segment)
    for span in {c.text for c in segment.codes if c.pair != "open"}:  # an opening "[" is also the words' own
        assert text.count(span) == sum(c.text == span for c in segment.codes)
    closes = [n for n, c in enumerate(segment.codes, 1) if c.pair == "close"]
    for n in closes:  # each link's opening half comes back before its closing half
        opening = segment.codes[segment.codes[n - 1].partner - 1]
        assert text.index(segment.codes[n - 1].text) > text.find(opening.text) >= 0
