"""The one job runner, as the library (and the coming service) calls it: records in, finished
records out, any sink; and the chain on it, pooled across articles like translate."""

import json

import pytest
from typer.testing import CliRunner

from toolkit.chain import Chain, ChainOptions, default_steps, run_chain
from toolkit.cli import app
from toolkit.io.inputs import Record
from toolkit.io.jobs import run_job
from toolkit.io.inputs import Finished
from toolkit.io.sinks import StreamSink
from toolkit.summarize import SummaryLength

ARTICLES = {
    "one": "The minister said the talks in Tirana would continue next week. Iran and Albania cut ties in 2022.",
    "two": "Officials in Tehran said more than seventeen thousand people were killed. The report came on Wednesday.",
    "three": "The parliament voted on the budget. Fifty members were against it and the debate went on.",
}


def _records(n: int) -> list[Record]:
    return [Record(f"u:{i}", str(i), f"text {i}", f"line {i}", unit="u") for i in range(n)]


def _upper(records):
    return [Finished(r, {"id": r.id, "text": r.text.upper()}) for r in records]


def test_a_job_stopped_mid_way_resumes_by_key_with_every_record_once(tmp_path):
    out = tmp_path / "out.jsonl"
    units = {"u": [1, 2]}
    calls = []

    def dies_at_third_pool(records):
        calls.append(len(records))
        if len(calls) == 3:
            raise KeyboardInterrupt
        return _upper(records)

    def line(f):
        return json.dumps(f.output) + "\n"

    with StreamSink(out, line) as sink, pytest.raises(KeyboardInterrupt):
        run_job(iter(_records(10)), dies_at_third_pool, sink, sink.begin("job", units, False), pool_chars=14)
    with StreamSink(out, line) as sink:
        progress = sink.begin("job", units, False)
        report = run_job(iter(_records(10)), _upper, sink, progress, pool_chars=14)
        sink.finish(None)
    assert (report.resumed, report.records, progress.records) == (4, 6, 10)
    assert [json.loads(x)["text"] for x in out.read_text().splitlines()] == [f"TEXT {i}" for i in range(10)]


def test_translate_records_returns_the_output_record_schema(marian_multi_model):
    from toolkit.translate.factory import build_translator
    from toolkit.translate.job import translate_records

    translators = {t: build_translator("en", t, str(marian_multi_model)) for t in ("fa", "sq")}
    document = Record("a", "a", "Iran and Albania.", "a.txt")
    row = Record("b", "7", "Tirana.", "in.jsonl:1", fields={"id": 7, "text": "Tirana.", "note": "x"})
    doc_out, row_out = (f.output for f in translate_records([document, row], translators))
    assert set(doc_out) == {"id", "source", "source_lang", "translations", "dir", "provenance"}
    assert doc_out["dir"] == {"fa": "rtl", "sq": "ltr"} and set(doc_out["translations"]) == {"fa", "sq"}
    assert {k: row_out[k] for k in ("id", "text", "note")} == {"id": 7, "text": "Tirana.", "note": "x"}
    assert set(row_out) == {"id", "text", "note", "translations", "dir"}


class _Recording:
    """A real translator that records the sentences of each batch it is given."""

    def __init__(self, inner):
        self.inner, self.batches = inner, []
        self.source, self.target, self.provenance = inner.source, inner.target, inner.provenance
        self.max_input_tokens = inner.max_input_tokens

    @property
    def bound_reached(self):
        return self.inner.bound_reached

    def count_tokens(self, texts):
        return self.inner.count_tokens(texts)

    def translate_batch(self, sentences):
        self.batches.append(list(sentences))
        return self.inner.translate_batch(sentences)


def _chain(marian_multi_model):
    from toolkit.translate.factory import build_translator

    options = ChainOptions(steps=default_steps(["fa"]), source="en", method="extractive",
                           length=SummaryLength(sentences=2), translation_memory=False)
    chain = Chain(options)
    recording = _Recording(build_translator("en", "fa", str(marian_multi_model)))
    chain._translators["en", "fa"] = recording
    return chain, options, recording


def test_the_chain_translates_the_summaries_of_a_pool_of_articles_in_one_batch_set(marian_multi_model):
    chain, options, recording = _chain(marian_multi_model)
    report = run_chain(ARTICLES, options, chain=chain)
    assert [r.id for r in report.results] == ["one", "two", "three"]
    mixed = [b for b in recording.batches if len({name for s in b for name, text in ARTICLES.items() if s in text}) > 1]
    assert mixed, recording.batches  # one article at a time would never mix them


def test_the_chain_honours_the_batch_budget_from_the_environment(marian_multi_model, monkeypatch):
    sizes = {}
    for budget in ("16", "100000"):
        monkeypatch.setenv("TOOLKIT_BATCH_TOKENS", budget)
        chain, options, recording = _chain(marian_multi_model)
        run_chain(ARTICLES, options, chain=chain)
        sizes[budget] = [len(b) for b in recording.batches]
    assert max(sizes["16"]) == 1 and sum(sizes["16"]) == 6  # no two sentences fit in 16 padded tokens
    assert sizes["100000"] == [6]


def test_chain_accepts_json_and_text(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLES["one"], "utf-8")
    common = ["chain", str(article), "--method", "extractive", "--steps", "summarize", "--from", "en"]
    as_json = CliRunner().invoke(app, [*common, "--json"])
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.stdout)["summary"]["en"]
    as_text = CliRunner().invoke(app, [*common, "--text"])
    assert as_text.exit_code == 0 and as_text.stdout.strip() == json.loads(as_json.stdout)["summary"]["en"]


def test_records_are_counted_in_folders_too(tmp_path):
    from toolkit.translate.job import count_records

    (tmp_path / "in" / "sub").mkdir(parents=True)
    for name in ("a.txt", "b.md", "sub/c.txt", "skip.png"):
        (tmp_path / "in" / name).write_text("Text.", "utf-8")
    assert count_records([str(tmp_path / "in"), "A literal text."]) == 4


def test_toolkit_threads_is_honoured_on_the_hf_backend(marian_model, monkeypatch):
    import torch

    from toolkit.translate.factory import build_translator

    before = torch.get_num_threads()
    monkeypatch.setenv("TOOLKIT_THREADS", "1")
    try:
        translator = build_translator("en", "sq", str(marian_model), "hf")
        assert translator.translate_batch(["Iran."])
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)
