"""XLIFF 1.2 and 2.0 translated into XLIFF: sources kept, targets filled and marked for review, inline
elements back byte for byte, translated and translate="no" units left alone, bad files refused."""

from __future__ import annotations

import pytest
import regex
from lxml import etree
from typer.testing import CliRunner

from tests.formats.docx_files import translate_bytes
from tests.formats.test_subtitles import Upper
from tests.identity import IdentityTranslator
from toolkit.cli import app
from toolkit.formats import FormatOptions
from toolkit.io.inputs import Record
from toolkit.translate.job import translate_records

N1 = "urn:oasis:names:tc:xliff:document:1.2"
N2 = "urn:oasis:names:tc:xliff:document:2.0"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

XLF12 = '''<?xml version="1.0" encoding="UTF-8"?>
<!-- exported by a CAT tool -->
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file source-language="en" datatype="plaintext" original="news.txt">
    <header><note>kept</note></header>
    <body>
      <trans-unit id="title">
        <source>The minister met reporters.</source>
      </trans-unit>
      <trans-unit id="link">
        <source>Read <g id="1" ctype="x-html-a">the <x id="2" ctype="lb"/>story</g> &amp; more<ph id="3">{0}</ph>.</source>
        <seg-source><mrk mtype="seg" mid="1">Read the story &amp; more.</mrk></seg-source>
        <alt-trans><source>Read</source><target>Lexo</target></alt-trans>
      </trans-unit>
      <trans-unit id="paired">
        <source><bpt id="4">&lt;b&gt;</bpt>Vote<ept id="4">&lt;/b&gt;</ept> today <it id="5" pos="open">&lt;i&gt;</it>now <bx id="6"/>here<ex id="6"/> <mrk mtype="term">MP</mrk></source>
      </trans-unit>
      <trans-unit id="done">
        <source>Home</source>
        <target state="final">Kreu</target>
      </trans-unit>
      <trans-unit id="empty"><source><x id="7"/> </source></trans-unit>
      <trans-unit id="code" translate="no">
        <source>PRINT_NEWS</source>
      </trans-unit>
    </body>
  </file>
</xliff>
'''

XLF20 = '''<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en">
  <file id="f1">
    <unit id="1">
      <segment><source>The vote is <pc id="1">today</pc><ph id="2"/>.</source></segment>
      <segment><source>Polls <sc id="3"/>open<ec startRef="3"/> at <mrk id="m1" translate="no">8:00</mrk>.</source></segment>
    </unit>
    <unit id="2">
      <segment state="final"><source>Home</source><target>Kreu</target></segment>
    </unit>
    <unit id="3" translate="no"><segment><source>PRINT_NEWS</source></segment></unit>
    <group id="g" translate="no"><unit id="4"><segment><source>KEEP_ME</source></segment></unit></group>
  </file>
</xliff>
'''


def _tree(data: bytes):
    return etree.fromstring(data)


def _inner(element) -> str:
    raw = etree.tostring(element, encoding="unicode", with_tail=False)
    return raw[raw.index(">") + 1: raw.rindex("</")] if not raw.endswith("/>") else ""


def _native_codes(element) -> list[bytes]:
    """The inline elements that hold the original format's code, as written."""
    names = [f"{{{N1}}}{n}" for n in ("bpt", "ept", "it", "ph")]
    return [etree.tostring(e, with_tail=False) for e in element.iter(*names, f"{{{N2}}}mrk") if e.get("translate") != "yes"]


def _translate(text: str, translator, options: FormatOptions = FormatOptions(), name: str = "news.xlf"):
    record = Record(name, name, "", name, relpath=name, unit=name, data=text.encode())
    [finished] = translate_records([record], {translator.target: translator}, documents=options)
    return finished.texts[translator.target], finished.result[translator.target]


def _skeleton(element) -> list:
    """Everything but targets, target-language/trgLang and segment states: what a translation keeps."""
    out = []
    for e in element.iter():
        if not isinstance(e.tag, str):
            out.append(("comment", e.text))
            continue
        if e.tag in (f"{{{N1}}}target", f"{{{N2}}}target") and e.getparent().tag != f"{{{N1}}}alt-trans":
            continue
        if any(a.tag in (f"{{{N1}}}target", f"{{{N2}}}target") and a.getparent().tag != f"{{{N1}}}alt-trans"
               for a in e.iterancestors()):
            continue
        attrib = {k: v for k, v in e.attrib.items() if k not in ("target-language", "trgLang", "state")}
        out.append((e.tag, attrib, e.text, (e.tail or "").strip()))  # a new target on a line of its own
    return out


@pytest.mark.parametrize("source", [XLF12, XLF20])
def test_an_identity_translation_fills_targets_with_the_sources_and_changes_nothing_else(source):
    out, document = _translate(source, IdentityTranslator(target="sq", max_input_tokens=400))
    assert out.startswith(source.encode()[:source.index("<xliff")]) and out.endswith(b"</xliff>\n")  # declaration, comment
    before, after = _tree(source.encode()), _tree(out)
    assert _skeleton(after) == _skeleton(before)
    ns = N1 if source is XLF12 else N2
    holders = list(after.iter(f"{{{ns}}}trans-unit" if ns == N1 else f"{{{ns}}}segment"))
    filled = [h for h in holders if h.find(f"{{{ns}}}target") is not None]
    for holder in filled:
        target, src = holder.find(f"{{{ns}}}target"), holder.find(f"{{{ns}}}source")
        if target.text != "Kreu":
            assert _inner(target) == _inner(src)  # inline elements and entities byte for byte
    if ns == N1:
        assert [h.get("id") for h in holders if h.find(f"{{{ns}}}target") is None] == ["empty", "code"]
        assert {f.get("target-language") for f in after.iter(f"{{{ns}}}file")} == {"sq"}
        targets = {h.get("id"): h.find(f"{{{ns}}}target") for h in filled}
        assert targets["done"].get("state") == "final"
        assert {(t.get("state"), t.get("state-qualifier"), t.get(XML_LANG)) for k, t in targets.items() if k != "done"} \
            == {("needs-review-translation", "mt-suggestion", "sq")}
        assert list(holders[1]).index(holders[1].find(f"{{{ns}}}target")) == 2  # after <seg-source>
        assert {s.part for s in document.segments} == {"unit title", "unit link", "unit paired"}
    else:
        assert after.get("trgLang") == "sq"
        assert [h.get("state") for h in holders] == ["translated", "translated", "final", None, None]
        assert {s.part for s in document.segments} == {"unit 1 segment 1", "unit 1 segment 2"}


@pytest.mark.parametrize("source", [XLF12, XLF20])
def test_inline_elements_come_back_even_when_the_model_drops_their_markers(source):
    out, document = _translate(source, Upper(target="fa", max_input_tokens=400))
    ns = N1 if source is XLF12 else N2
    after, before = _tree(out), _tree(source.encode())
    for src, holder in zip(before.iter(f"{{{ns}}}source"), after.iter(f"{{{ns}}}source")):
        target = holder.getparent().find(f"{{{ns}}}target")
        if holder.getparent().tag == f"{{{N1}}}alt-trans" or target is None or target.text in ("Kreu",):
            continue
        assert [(e.tag, dict(e.attrib)) for e in target.iter()][1:] == [(e.tag, dict(e.attrib)) for e in src.iter()][1:]
        # every character back once (a code whose marker was dropped is put back near its place)
        assert sorted("".join(target.itertext()).upper().replace(" ", "")) == sorted("".join(src.itertext()).upper().replace(" ", ""))
        assert _native_codes(target) == _native_codes(src)  # never translated
    assert any(s.flags for s in document.segments)  # the repair is flagged


def test_translated_units_are_left_alone_unless_overwritten():
    out, _ = _translate(XLF12, Upper(max_input_tokens=400), FormatOptions(overwrite=True))
    target = [u for u in _tree(out).iter(f"{{{N1}}}trans-unit") if u.get("id") == "done"][0].find(f"{{{N1}}}target")
    assert (target.text, target.get("state")) == ("HOME", "needs-review-translation")
    out, _ = _translate(XLF20, Upper(max_input_tokens=400), FormatOptions(overwrite=True))
    segment = [u for u in _tree(out).iter(f"{{{N2}}}unit") if u.get("id") == "2"][0][0]
    assert (segment.find(f"{{{N2}}}target").text, segment.get("state")) == ("HOME", "translated")
    assert b"KEEP_ME</source></segment>" in out and b"PRINT_NEWS</source></segment>" in out


def test_the_declared_encoding_is_kept():
    source = XLF12.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').replace("The minister", "Ministri ë ç")
    out, _ = _translate_bytes(source.encode("latin-1"), IdentityTranslator(target="sq", max_input_tokens=400))
    assert out.startswith(b'<?xml version="1.0" encoding="ISO-8859-1"?>') and "Ministri ë ç".encode("latin-1") in out
    assert "Ministri ë ç" in "".join(etree.fromstring(out).find(f".//{{{N1}}}target").itertext())


def _translate_bytes(data: bytes, translator):
    return translate_bytes("news.xliff", data, translator)


def test_a_tiny_model_fills_every_target_once_in_persian_and_albanian(marian_multi_model, tmp_path):
    (tmp_path / "news.xlf").write_text(XLF12, "utf-8")
    (tmp_path / "app.xliff").write_text(XLF20, "utf-8")
    result = CliRunner().invoke(app, ["translate", str(tmp_path / "news.xlf"), str(tmp_path / "app.xliff"), "--to", "fa,sq",
                                      "--model", marian_multi_model, "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    for lang in ("fa", "sq"):
        one = _tree((tmp_path / "out" / f"news.{lang}.xlf").read_bytes())
        units = {u.get("id"): u for u in one.iter(f"{{{N1}}}trans-unit")}
        for key in ("title", "link", "paired"):
            [target] = units[key].findall(f"{{{N1}}}target")
            assert target.get(XML_LANG) == lang and target.get("state") == "needs-review-translation"
            source = units[key].find(f"{{{N1}}}source")
            assert sorted(e.tag for e in target.iterdescendants()) == sorted(e.tag for e in source.iterdescendants())  # each once
            assert _native_codes(target) == _native_codes(source)
        assert units["done"].find(f"{{{N1}}}target").text == "Kreu" and units["code"].find(f"{{{N1}}}target") is None
        two = _tree((tmp_path / "out" / f"app.{lang}.xliff").read_bytes())
        assert two.get("trgLang") == lang
        assert [len(s.findall(f"{{{N2}}}target")) for s in two.iter(f"{{{N2}}}segment")] == [1, 1, 1, 0, 0]


def test_bad_xml_and_a_wrong_root_are_refused_in_one_line(marian_model, tmp_path):
    for name, data, says in (("broken.xlf", b"<xliff version='1.2'><file>", "not an XLIFF file (not well-formed XML"),
                             ("page.xliff", b"<html><body/></html>", "not an XLIFF file (its root is <html>"),
                             ("old.xlf", b"<xliff version='3.0'/>", "its root is <xliff version='3.0'>")):
        path = tmp_path / name
        path.write_bytes(data)
        result = CliRunner().invoke(app, ["translate", str(path), "--to", "sq", "--model", marian_model, "--out", str(tmp_path / "o")])
        assert result.exit_code == 2, result.output
        assert says in result.output and "Traceback" not in result.output and len(result.output.splitlines()) == 1
        assert not (tmp_path / "o").exists() or not any((tmp_path / "o").glob(f"{path.stem}*"))


def test_summarize_reads_the_sources():
    from toolkit.formats.reading import plain_text

    text = plain_text("news.xlf", XLF12.encode())
    assert text.splitlines() == ["The minister met reporters.", "Read the story & more.", "Vote today now here MP", "Home"]  # codes left out


class Crossing(IdentityTranslator):
    """The last two markers swapped (a closing tag moved inside another element), and markup of the
    model's own: the target must still be well-formed XML with every source element once."""

    def translate_batch(self, sentences):
        super().translate_batch(sentences)
        out = []
        for s in sentences:
            markers = regex.findall(r"\[\d+\]", s)
            if len(markers) >= 2:
                a, b = markers[-2:]
                s = s.replace(a, "\0").replace(b, a).replace("\0", b)
            out.append(s + " <b>AT&T &nbsp; 1 < 2")
        return out


def test_a_target_is_well_formed_whatever_the_model_does_with_tags():
    source = XLF12.replace("<source>The minister met reporters.</source>",
                           '<source>The <g id="9">minister <mrk mtype="x-name">met</mrk></g> reporters.</source>')
    out, _ = _translate(source, Crossing(max_input_tokens=400))
    unit = [u for u in _tree(out).iter(f"{{{N1}}}trans-unit") if u.get("id") == "title"][0]
    target = unit.find(f"{{{N1}}}target")
    assert [e.tag for e in target.iterdescendants()] == [f"{{{N1}}}g", f"{{{N1}}}mrk"]
    assert "".join(target.itertext()).endswith(" <b>AT&T &nbsp; 1 < 2")  # the model's own markup, as text


def test_a_translation_whose_tags_cannot_be_repaired_leaves_the_unit_to_translate():
    from toolkit.formats.xliff import FORMAT

    document = FORMAT.read(XLF12.encode(), "news.xlf", FormatOptions())
    texts = [p.text for p in document.parts]
    texts[1] = "</g> only a closing tag"  # one of the source's tags, closing nothing
    units = {u.get("id"): u for u in _tree(document.write(texts, "sq")).iter(f"{{{N1}}}trans-unit")}
    target = units["link"].find(f"{{{N1}}}target")
    assert (target.get("state"), target.get("state-qualifier")) == ("needs-translation", None)
    assert _inner(target) == _inner(units["link"].find(f"{{{N1}}}source"))
    assert units["title"].find(f"{{{N1}}}target").get("state") == "needs-review-translation"


def test_entities_of_the_files_own_dtd_are_never_expanded():
    laughs = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
              b'<xliff version="1.2"><file><body><trans-unit id="1"><source>Hi &b; there</source></trans-unit>'
              b'<trans-unit id="2"><source>Plain</source></trans-unit></body></file></xliff>')
    out, _ = _translate_bytes(laughs, IdentityTranslator(target="fa", max_input_tokens=400))
    assert b"aaaaaaaaaaaaaaaaaaaa" not in out and out.startswith(laughs[:laughs.index(b"<xliff")])
    assert b'<target xml:lang="fa" state="needs-translation">Hi &b; there</target>' in out  # for a translator
    assert b'state-qualifier="mt-suggestion">Plain</target>' in out
