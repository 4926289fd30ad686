"""Protected spans and Markdown structure through a real tiny model, which garbles everything else."""

from toolkit.provenance import DecodingSettings
from toolkit.text.codes import MARKER, Protection
from toolkit.translate.engine import translate_documents, translate_texts, translate_texts_nbest
from toolkit.translate.factory import build_translator
from toolkit.translate.memory import CachedTranslator, TranslationMemory

SPANS = ["https://www.rtsh.al/lajme/2024/a.b.html", "redaksia@rtsh.al", "@BBCPersian", "{count}", "%(city)s", "${USER}",
         "`toolkit translate`"]
TEXT = (f"Ministri tha se bisedimet vazhdojnë në {SPANS[0]}. Shkruani te {SPANS[1]} ose {SPANS[2]}.\n"
        f"وزیر گفت {SPANS[3]} نفر در {SPANS[4]} بودند؛ {SPANS[5]} را با {SPANS[6]} ببینید.\n")


class Dropper:
    """A real tiny model's translations with every marker taken out: what a model that drops codes gives."""

    def __init__(self, inner):
        self.inner = inner
        self.source, self.target, self.provenance = inner.source, inner.target, inner.provenance
        self.max_input_tokens, self.bound_reached = inner.max_input_tokens, 0
        self.seen: list[str] = []

    def count_tokens(self, texts):
        return self.inner.count_tokens(texts)

    def translate_batch(self, sentences):
        self.seen += sentences
        return [out + " " + " ".join(w for w in s.split() if "[" not in w)[:20] for s, out in
                zip(sentences, self.inner.translate_batch(sentences))]


def test_every_protected_span_comes_back_byte_for_byte_through_a_real_model(marian_model):
    translator = build_translator("en", "sq", str(marian_model))
    [doc] = translate_documents([TEXT], translator)
    for span in SPANS:
        assert doc.text.count(span) == 1
    assert doc.text.count("\n") == TEXT.count("\n")
    assert [s.source for s in doc.segments][0] == f"Ministri tha se bisedimet vazhdojnë në {SPANS[0]}."


def test_the_model_sees_markers_never_the_spans_and_a_lost_marker_is_reinserted_and_flagged(marian_model):
    dropper = Dropper(build_translator("en", "sq", str(marian_model)))
    [doc] = translate_documents([TEXT], dropper)
    assert not any(span in sentence for span in SPANS for sentence in dropper.seen)
    assert f"Ministri tha se bisedimet vazhdojnë në {MARKER.format(n=1)}." in dropper.seen
    for span in SPANS:
        assert doc.text.count(span) == 1
    flagged = [s for s in doc.segments if s.flags]
    assert flagged and all(f.check == "placeholders" and f.detail.startswith("lost: ") for s in flagged for f in s.flags)


def test_no_protect_sends_the_spans_to_the_model(marian_model):
    dropper = Dropper(build_translator("en", "sq", str(marian_model)))
    translate_texts([TEXT], dropper, protection=Protection(spans=False))
    assert any(SPANS[0] in sentence for sentence in dropper.seen)


def test_markdown_code_blocks_tables_and_link_targets_survive(marian_model):
    doc = ("# Lajme nga Tirana\n\n"
           "```bash\ntoolkit translate lajme.md --to fa\n```\n\n"
           "    indented = code(1)\n\n"
           "Lexoni [raportin e plotë](https://x.al/r.html \"titull\") dhe ![foto](img/a.png).\n\n"
           "| Qyteti | Çmimi |\n|---|---:|\n| Tiranë | 120 lekë |\n\n"
           "~~~\nraw ~~~ text\n~~~\n")
    translator = build_translator("en", "sq", str(marian_model))
    [out] = translate_texts([doc], translator, markdown=[True])
    for kept in ("# ", "```bash\ntoolkit translate lajme.md --to fa\n```\n\n", "    indented = code(1)\n\n",
                 '](https://x.al/r.html "titull")', "](img/a.png)", "|---|---:|\n", "~~~\nraw ~~~ text\n~~~\n"):
        assert out.count(kept) == 1, kept
    assert out.count("[") == 2 and out.count("![") == 1  # the link's and the image's openings, once each
    assert out.count("|") == doc.count("|") and "Tiranë" not in out  # the pipes kept, the cells translated


def test_the_memory_stores_masked_sentences_so_any_url_reuses_them(marian_model, tmp_path):
    memory = TranslationMemory(tmp_path / "tm.sqlite3")
    cached = CachedTranslator(build_translator("en", "sq", str(marian_model)), memory)
    first = translate_texts(["Lexoni https://a.al/1 sot."], cached)[0]
    second = translate_texts(["Lexoni https://b.al/2 sot."], cached)[0]
    assert cached.hits == 1 and "https://b.al/2" in second and "https://a.al/1" in first


def test_nbest_keeps_the_spans_in_every_hypothesis(marian_model):
    translator = build_translator("en", "sq", str(marian_model), decoding=DecodingSettings(beams=3))
    hypotheses = translate_texts_nbest([f"Shihni {SPANS[0]} sot."], translator, 2)[0]
    assert all(h.count(SPANS[0]) == 1 for h in hypotheses)


def test_each_segment_carries_its_source_translation_and_the_checks_flags(marian_model):
    from toolkit.text.flags import Flag

    translator = build_translator("en", "sq", str(marian_model))
    seen = []

    def check(source, translation):
        seen.append((source, translation))
        return (Flag("numbers", "missing: 12"),) if "12" in source else ()

    [doc] = translate_documents(["Çmimet u rritën me 12 për qind. Qeveria nuk dha përgjigje.\n\nTiranë."], translator,
                                check=check)
    assert [s.index for s in doc.segments] == [0, 1, 2]
    assert [s.source for s in doc.segments] == ["Çmimet u rritën me 12 për qind.", "Qeveria nuk dha përgjigje.", "Tiranë."]
    assert [(s.source, s.translation) for s in doc.segments] == seen
    assert [s.flags for s in doc.segments] == [(Flag("numbers", "missing: 12"),), (), ()]
    assert doc.text == "".join([doc.segments[0].translation, " ", doc.segments[1].translation, "\n\n",
                                doc.segments[2].translation])


def test_a_markdown_file_job_keeps_its_code_fence(marian_model, tmp_path):
    from typer.testing import CliRunner

    from toolkit.cli import app

    story = tmp_path / "story.md"
    story.write_text("# Lajme\n\n```\nprint('{x}')\n```\n\nÇmimet u rritën.\n", "utf-8")
    result = CliRunner().invoke(app, ["translate", str(story), "--to", "sq", "--model", str(marian_model),
                                      "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "```\nprint('{x}')\n```\n" in (tmp_path / "out" / "story.sq.md").read_text("utf-8")
