"""PO catalogues translated into PO catalogues: msgids kept, msgstrs filled in every plural form the
target has, entries marked fuzzy, translated entries left alone unless overwritten, placeholders kept."""

from __future__ import annotations

import polib
from hypothesis import given, settings, strategies as st

from tests.formats.test_cli import PO
from tests.formats.test_subtitles import Upper, _translate
from tests.identity import IdentityTranslator
from toolkit.formats import FormatOptions
from toolkit.formats.po import FORMAT


def _entries(text: str) -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in polib.pofile(text)}


def test_plural_forms_follow_the_target_language():
    for target, forms, header in (("fa", 2, "nplurals=2; plural=(n > 1);"), ("ru", 3, None), ("zh", 1, "nplurals=1; plural=0;")):
        out, _ = _translate(PO, "site.pot", IdentityTranslator(target=target, max_input_tokens=200))
        catalog = polib.pofile(out)
        assert catalog.metadata["Language"] == target
        assert header is None or catalog.metadata["Plural-Forms"] == header
        entry = _entries(out)["One article"]
        assert len(entry.msgstr_plural) == forms
        expected = ["One article", *["%d articles"] * (forms - 1)] if forms > 1 else ["%d articles"]
        assert [entry.msgstr_plural[n] for n in range(forms)] == expected


def test_filled_entries_are_fuzzy_and_translated_ones_are_left_alone_unless_overwritten():
    out, document = _translate(PO, "site.po", Upper(max_input_tokens=200))
    entries = _entries(out)
    assert entries["Home"].msgstr == "Kreu" and "fuzzy" not in entries["Home"].flags
    assert {s.part for s in document.segments} == {"entry 1 (msgid)", "entry 2 (msgid)", "entry 2 (msgid_plural)"}
    filled = entries["The minister met %(count)s reporters."]
    assert filled.flags == ["fuzzy", "python-format"]
    assert filled.msgstr == "THE MINISTER MET %(count)s REPORTERS."  # the placeholder back, its marker dropped

    out, _ = _translate(PO, "site.po", Upper(max_input_tokens=200), FormatOptions(overwrite=True))
    assert _entries(out)["Home"].msgstr == "HOME" and "fuzzy" in _entries(out)["Home"].flags


def test_html_in_a_msgid_comes_back_even_when_the_model_drops_its_markers():
    po = 'msgid ""\nmsgstr ""\n"Language: en\\n"\n\nmsgid "Read <a href=\\"/x\\">the story</a> &amp; more"\nmsgstr ""\n'
    out, _ = _translate(po, "web.po", Upper(max_input_tokens=200))
    msgstr = _entries(out)["Read <a href=\"/x\">the story</a> &amp; more"].msgstr
    assert msgstr.count('<a href="/x">') == 1 and msgstr.count("</a>") == 1 and msgstr.count("&amp;") == 1


_TEXT = st.lists(st.sampled_from(["the", "vote", "%s", "%(name)s", "{count}", "ëndërr", "çdo", "رأی", "می\u200cدهد",
                                  "\"quoted\"", "tab\there", "line\nbreak", "50%", "https://a.al"]), min_size=1, max_size=8).map(" ".join)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(_TEXT, st.one_of(st.none(), _TEXT), st.booleans()), min_size=1, max_size=6, unique_by=lambda e: e[0]))
def test_round_trip_property(entries):
    """An identity translation fills each untranslated msgstr with its msgid, and changes nothing else."""
    catalog = polib.POFile()
    catalog.metadata = {"Language": "en", "Content-Type": "text/plain; charset=UTF-8"}
    for msgid, plural, translated in entries:
        entry = polib.POEntry(msgid=msgid, msgid_plural=plural or "", occurrences=[("a.py", "1")])
        if plural:
            entry.msgstr_plural = {0: "x" if translated else "", 1: "y" if translated else ""}
        else:
            entry.msgstr = "x" if translated else ""
        catalog.append(entry)
    out, _ = _translate(str(catalog), "p.po", IdentityTranslator(target="sq", max_input_tokens=400))
    back = polib.pofile(out)
    assert [e.msgid for e in back] == [e.msgid for e in catalog]
    for before, after in zip(catalog, back):
        assert after.occurrences == before.occurrences and after.msgid_plural == before.msgid_plural
        if before.msgstr or any(before.msgstr_plural.values()):
            assert (after.msgstr, after.msgstr_plural, after.flags) == (before.msgstr, before.msgstr_plural, [])
        elif before.msgid_plural:
            assert after.msgstr_plural == {0: before.msgid, 1: before.msgid_plural} and after.flags == ["fuzzy"]
        else:
            assert after.msgstr == before.msgid and after.flags == ["fuzzy"]


def test_a_template_becomes_a_po_file_named_for_the_language():
    from toolkit.translate.job import translated_name

    assert translated_name("locale/site.pot", "fa") == "locale/site.fa.po"
    assert translated_name("talk.srt", "sq") == "talk.sq.srt"


def test_a_string_left_unclosed_is_refused_naming_its_line_not_read_a_letter_short(tmp_path, marian_model):
    """polib reads ``msgid "Hello world`` as ``Hello worl``: the catalogue would come back with an msgid
    the program never looks up."""
    from typer.testing import CliRunner

    from toolkit.cli import app

    bad = PO.replace('msgid "Home"', 'msgid "Home', 1)
    assert bad != PO
    (tmp_path / "site.po").write_text(bad, "utf-8")
    result = CliRunner().invoke(app, ["translate", str(tmp_path / "site.po"), "--to", "sq", "--model", str(marian_model)])
    line = bad.splitlines().index('msgid "Home') + 1
    assert result.exit_code == 2 and f"site.po: not a gettext PO file (line {line}: a string with no closing quote)" \
        in " ".join(result.output.split()), result.output
    assert not (tmp_path / "site.sq.po").exists()
    continued = PO.replace('msgid "Home"', 'msgid ""\n"Ho"\n"me"', 1)  # strings continued on the next lines are fine
    assert [p.text for p in FORMAT.read(continued, "site.po", FormatOptions()).parts] == \
        [p.text for p in FORMAT.read(PO, "site.po", FormatOptions()).parts]
