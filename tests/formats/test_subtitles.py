"""Subtitles (SRT, WebVTT) translated into subtitles: structure byte for byte, a sentence over several
cues translated once and put back across them, tags kept, lines wrapped, Persian lines right to left."""

from __future__ import annotations

import regex
from hypothesis import given, settings, strategies as st

from tests.identity import IdentityTranslator
from toolkit.formats import FormatOptions
from toolkit.io.inputs import Record
from toolkit.translate.job import translate_records

SRT = ("1\r\n00:00:01,000 --> 00:00:02,500\r\n<i>The minister said</i>\r\nthat the talks\r\n\r\n"
       "2\r\n00:00:02,600 --> 00:00:04,000 X1:100 X2:200 Y1:10 Y2:50\r\nwould continue next week.\r\n\r\n"
       "3\r\n00:00:05,000 --> 00:00:06,000\r\n\r\n"
       "4\r\n00:00:07,000 --> 00:00:09,000\r\n{\\an8}- Did he say when?\r\n- No.\r\n")
VTT = ("WEBVTT - news\nKind: captions\nLanguage: en\n\nNOTE written by hand,\nkept as it is\n\n"
       "STYLE\n::cue { color: yellow }\n\nintro\n00:01.000 --> 00:03.000 align:start position:10%\n"
       "<v Anchor>Good evening, here is <b>the news</b>\n\n00:03.500 --> 00:05.000\nfrom Tirana.\n")


def _translate(text: str, name: str, translator, options: FormatOptions = FormatOptions()):
    record = Record(name, name, text, name, relpath=name, unit=name)
    [finished] = translate_records([record], {translator.target: translator}, documents=options)
    return finished.texts[translator.target], finished.result[translator.target]


class Upper(IdentityTranslator):
    """Words upper-cased and the markers for inline codes dropped: every tag must still come back."""

    def translate_batch(self, sentences):
        super().translate_batch(sentences)
        return [regex.sub(r"\s*\[\d+\]\s*", " ", s).strip().upper() for s in sentences]


def _structure(text: str) -> list[str]:
    """The lines that are not cue text: numbers, timings, blank lines, headers, notes, styles."""
    return [line for line in text.splitlines() if not line.strip() or "-->" in line or line.strip().isdigit()
            or line.split(" ")[0] in ("WEBVTT", "NOTE", "STYLE", "Kind:", "Language:", "::cue", "intro", "kept")]


def test_an_identity_translation_gives_the_file_back_byte_for_byte():
    for text, name in ((SRT, "talk.srt"), (VTT, "news.vtt")):
        assert _translate(text, name, IdentityTranslator(max_input_tokens=200))[0] == text


def test_a_sentence_over_several_cues_is_translated_once_and_put_back_across_them():
    translator = IdentityTranslator(max_input_tokens=200)
    out, document = _translate(SRT, "talk.srt", translator)
    sent = [s for batch in translator.batches for s in batch]
    assert "[1]The minister said[2] that the talks would continue next week." in sent  # the tags as codes
    assert [s.part for s in document.segments] == ["cues 1-2", "cue 4", "cue 4"]

    out, _ = _translate(SRT, "talk.srt", Upper(max_input_tokens=200))
    assert _structure(out) == _structure(SRT)  # numbers, timings, positions, the empty cue 3: untouched
    cues = out.split("\r\n\r\n")
    assert cues[0].split("\r\n")[2:] == ["<i>THE MINISTER SAID</i>", "THAT THE TALKS"]
    assert cues[1].split("\r\n")[2:] == ["WOULD CONTINUE NEXT WEEK."]
    assert cues[3].split("\r\n")[2:] == ["{\\an8}- DID HE SAY WHEN?", "- NO.", ""]  # the file ends with a line break


def test_a_cue_ending_with_a_comma_or_colon_goes_on_into_the_next():
    text = ("1\n00:00:01,000 --> 00:00:02,000\nWhen we met,\n\n2\n00:00:02,000 --> 00:00:03,000\nhe said:\n\n"
            "3\n00:00:03,000 --> 00:00:04,000\n\"we go on.\"\n\n4\n00:00:05,000 --> 00:00:06,000\nآیا؟\n\n"
            "5\n00:00:06,000 --> 00:00:07,000\nYes\n")
    _, document = _translate(text, "a.srt", IdentityTranslator(max_input_tokens=200))
    assert [s.part for s in document.segments] == ["cues 1-3", "cue 4", "cue 5"]


def test_tags_come_back_when_the_model_drops_their_markers():
    out, document = _translate(VTT, "news.vtt", Upper(max_input_tokens=200))
    assert _structure(out) == _structure(VTT)
    assert "<v Anchor>" in out and out.count("<b>") == 1 and out.count("</b>") == 1
    assert any(f.check == "placeholders" for s in document.segments for f in s.flags)


def test_line_length_wraps_the_target_lines():
    long = "1\n00:00:01,000 --> 00:00:04,000\nThe minister said that the talks would continue next week in Tirana.\n"
    out, _ = _translate(long, "a.srt", IdentityTranslator(max_input_tokens=200), FormatOptions(line_length=20))
    lines = out.splitlines()[2:]
    assert len(lines) > 1 and all(len(line) <= 20 for line in lines)
    assert " ".join(lines) == "The minister said that the talks would continue next week in Tirana."


class Persian(IdentityTranslator):
    def translate_batch(self, sentences):
        super().translate_batch(sentences)
        return ["BBC گفت که مذاکرات ادامه خواهد یافت" if "minister" in s else "آیا او گفت کی؟" for s in sentences]


def test_a_persian_line_that_starts_with_a_latin_word_is_marked_right_to_left():
    text = "1\n00:00:01,000 --> 00:00:02,000\nThe minister said the talks go on.\n\n2\n00:00:03,000 --> 00:00:04,000\nWhen?\n"
    out, _ = _translate(text, "a.srt", Persian(target="fa", max_input_tokens=200))
    assert out.splitlines()[2] == "\u200fBBC گفت که مذاکرات ادامه خواهد یافت"
    assert out.splitlines()[6] == "آیا او گفت کی؟"  # starts right to left already: left as it is


class Chinese(IdentityTranslator):
    def translate_batch(self, sentences):
        super().translate_batch(sentences)
        return ["部长说会谈将于下周继续。" for _ in sentences]


def test_a_translation_without_spaces_is_still_cut_across_the_cues():
    text = "1\n00:00:01,000 --> 00:00:02,000\nThe minister said\n\n2\n00:00:02,000 --> 00:00:03,000\nthe talks go on.\n"
    out, _ = _translate(text, "a.srt", Chinese(target="zh", max_input_tokens=200))
    first, second = out.split("\n")[2], out.split("\n")[6]
    assert first and second and first + second == "部长说会谈将于下周继续。"


# Random subtitle files: cue texts in English, Albanian and Persian, with tags, empty cues, CRLF or LF.
_WORD = st.sampled_from(["the", "talks", "minister", "ëndërr", "çështje", "مذاکرات", "می\u200cشود", "۱۲", "50%",
                         "<i>", "</i>", "{\\an8}", "said.", "why?", "-", "…", "https://a.al/x", "%(name)s"])
_LINE = st.lists(_WORD, min_size=1, max_size=8).map(" ".join)
_CUE = st.lists(_LINE, min_size=0, max_size=3)


@settings(max_examples=60, deadline=None)
@given(st.lists(_CUE, min_size=1, max_size=8), st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_round_trip_property(cues, newline, vtt):
    blocks = [("WEBVTT" if vtt else "")] if vtt else []
    for n, lines in enumerate(cues, 1):
        timing = f"00:00:{n:02d}.000 --> 00:00:{n:02d}.900" if vtt else f"00:00:{n:02d},000 --> 00:00:{n:02d},900"
        blocks.append(newline.join(([] if vtt else [str(n)]) + [timing] + lines))
    text = (newline * 2).join(blocks) + newline
    assert _translate(text, "p.vtt" if vtt else "p.srt", IdentityTranslator(max_input_tokens=400))[0] == text
