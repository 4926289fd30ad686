"""Property: with a translator that returns its input, the real pipeline (layout, sentence
segmentation, cutting to the model limit, pooling, length-sorted batches, reassembly, and a batch
job stopped part way and resumed) gives every generated document back byte for byte."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.translate import factory
from toolkit.translate.engine import translate_texts
from toolkit.translate.job import TranslationJob, run_translation_job

from tests.identity import IdentityTranslator, Stopped

SENTENCES = {
    "en": ["Dr. Smith met the U.S. envoy at 5 p.m. on Monday.", "Prices rose 12.5 percent in 2022.",
           "More than 17,000 people were killed, officials said.", "Is it true?", "Iran and Albania cut ties!",
           "The vote was 50/50.", "See e.g. page 3.", '"We will stay," he said.'],
    "fa": ["آیا این خبر درست است؟", "وزیر امور خارجه گفت که مذاکرات ادامه خواهد یافت.", "قیمت‌ها ۱۲٫۵ درصد افزایش یافت.",
           "ایران و آلبانی روابط را در شهریور ۱۴۰۱ قطع کردند.", "سخنگو می‌گوید نه!", "«ما می‌مانیم»، او گفت."],
    "sq": ["Çfarë ndodhi në Tiranë?", "Qeveria nuk dha përgjigje.", "Më 12 shtator 2022, z. Rama foli.",
           "Çmimet u rritën me 12,5 për qind.", "P.sh. kjo është e vërtetë!", "Shqipëria dhe Irani ndërprenë marrëdhëniet."],
}
LETTERS = "abcdefghijklmnopqrstuvwxyzABCXYZëçËÇابپتثجچحخدرزسشصکگلمنوهیءآ‌0123456789۰۱۲۳۴۵۶۷۸۹"
WORD_GAPS = [" ", " ", " ", "  ", "\t", "\u00a0"]
SENTENCE_GAPS = ["", " ", " ", "  ", "\t", "\u00a0", " \u00a0 ", "\u2003"]  # "" as in "Tirana.Albania"
PREFIXES = ["", "", "", "# ", "## ", "- ", "* ", "1. ", "12) ", "> ", "  ", "\t", "    - "]


@st.composite
def sentences(draw, lang):
    if draw(st.booleans()):
        return draw(st.sampled_from(SENTENCES[lang]))
    words = draw(st.lists(st.text(LETTERS, min_size=1, max_size=14), min_size=1, max_size=12))
    text = words[0]
    for word in words[1:]:
        text += draw(st.sampled_from(WORD_GAPS)) + draw(st.sampled_from(["", "", "", ",", "،", ";", ":"])) + word
    return text + draw(st.sampled_from([".", ".", "?", "!", "؟", "...", '."', ".)", ""]))


@st.composite
def documents(draw):
    lang = draw(st.sampled_from(sorted(SENTENCES)))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    lines = []
    for _ in range(draw(st.integers(1, 6))):
        if draw(st.integers(0, 4)) == 0:
            lines.append(draw(st.sampled_from(["", " ", "\t"])))  # a blank line
            continue
        parts = draw(st.lists(sentences(lang), min_size=1, max_size=4))
        line = parts[0]
        for part in parts[1:]:
            line += draw(st.sampled_from(SENTENCE_GAPS)) + part
        lines.append(draw(st.sampled_from(PREFIXES)) + line + draw(st.sampled_from(["", "", " ", "\t"])))
    if not any(line.strip() for line in lines):
        lines.append("Tirana.")
    return lang, newline.join(lines) + draw(st.sampled_from(["", newline, newline * 2]))


# A few dozen examples each: the whole file runs in seconds; derandomized, so a failure reproduces.
PROPERTY = settings(max_examples=30, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(st.lists(documents(), min_size=1, max_size=4), st.integers(4, 20), st.integers(8, 200))
def test_identity_translation_returns_every_document_exactly(docs, limit, batch_tokens):
    lang = docs[0][0]
    texts = [text for _, text in docs]
    translator = IdentityTranslator(source=lang, target="de", max_input_tokens=limit)
    assert translate_texts(texts, translator, batch_tokens=max(batch_tokens, limit)) == texts


@pytest.mark.parametrize("kind", ["folder", "jsonl"])
def test_stopped_and_resumed_job_returns_every_document_exactly(kind, monkeypatch):
    """The job runner's public entry point, with the identity translator in place of the models it
    would build (the only double: inputs, pools, sinks, checkpoints and resume are the real ones)."""
    stop_after: list[int | None] = [None]

    def identity_translators(source, models, *args, **kwargs):
        return {t: IdentityTranslator(source, t, max_input_tokens=12, fail_after=stop_after[0]) for t in models}

    monkeypatch.setattr(factory, "build_translators", identity_translators)

    @PROPERTY
    @given(st.lists(documents(), min_size=2, max_size=6), st.integers(0, 8))
    def check(docs, stop):
        lang = docs[0][0]
        texts = [text for _, text in docs]
        with tempfile.TemporaryDirectory() as tmp:
            folder, out = Path(tmp) / "in", Path(tmp) / "out"
            folder.mkdir()
            if kind == "folder":
                for i, text in enumerate(texts):
                    (folder / f"doc{i:02}.md").write_bytes(text.encode())
                item = str(folder)
            else:
                item = str(folder / "news.jsonl")
                Path(item).write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(texts)))
                out = out.with_suffix(".jsonl")
            job = TranslationJob(targets=("de",), source=lang, models=("identity",), memory=False, out=out,
                                 batch_tokens=40, pool_chars=60)
            stop_after[0] = stop
            try:
                run_translation_job([item], job)  # stopped after ``stop`` batches, as if killed
            except Stopped:
                pass
            stop_after[0] = None
            run_translation_job([item], job)  # resumes
            if kind == "folder":
                assert [(out / f"doc{i:02}.de.md").read_bytes().decode() for i in range(len(texts))] == texts
            else:
                records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
                assert [r["translations"]["de"] for r in records] == texts

    check()
