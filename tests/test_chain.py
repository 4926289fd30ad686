"""The chain end to end on tiny real models: summariser (BART) and translators (Marian, M2M100)."""

import json

import pytest

from toolkit.chain import ChainOptions, Step, chain_options, default_steps, parse_steps, plan_steps, run_chain
from toolkit.errors import InputError, ToolkitError
from toolkit.summarize import SummaryLength
from toolkit.translate.glossary import Glossary

ARTICLE = ("The minister said the talks would continue next week in Tirana. "
           "Iran and Albania cut diplomatic ties in September 2022.\n\n"
           "More than 17,000 people were killed, officials said on Wednesday.\n\nNews Code 191224\n\nYour Comment\n")


@pytest.fixture
def options(bart_model, marian_multi_model):
    return ChainOptions(steps=default_steps(["fa", "sq"]), source="en", summary_model=str(bart_model),
                        translation_model=str(marian_multi_model), length=SummaryLength(max_words=12))


def test_summary_in_every_language_with_a_complete_manifest(options, bart_model, marian_multi_model):
    [result] = run_chain([ARTICLE], options).results
    assert result.source_lang == "en"
    assert list(result.summary) == ["en", "fa", "sq"]
    assert all(text.strip() for text in result.summary.values())
    assert result.translations == {}
    manifest = result.manifest
    assert manifest["steps"] == ["summarize", "translate:fa", "translate:sq"]
    summarizer = manifest["summarizer"]
    assert summarizer["model"]["model_id"] == str(bart_model)
    assert summarizer["model"]["backend"] == "ct2" and "revision" in summarizer["model"]  # auto: ct2 runs BART
    assert summarizer["model"]["quantization"] == "int8"  # the CPU default
    assert summarizer["model"]["decoding"]["no_repeat_ngram_size"] == 3
    assert summarizer["chunking"]["chunks"] >= 1 and summarizer["chunking"]["levels"] >= 1 and summarizer["chunking"]["limit"] == 64
    assert set(manifest["translators"]) == {"en-fa", "en-sq"}
    assert all(t["model_id"] == str(marian_multi_model) for t in manifest["translators"].values())
    assert set(manifest["timings_s"]) == {"summarize", "translate:fa", "translate:sq", "total"}
    assert {"toolkit", "transformers", "torch"} <= set(manifest["versions"])
    assert manifest["cleaning"]["removed_lines"] == ["News Code 191224", "Your Comment"]
    json.dumps(result.to_dict())


def test_translate_then_summarize(options):
    steps = parse_steps("translate:fa,summarize")
    [result] = run_chain([ARTICLE], ChainOptions(**{**options.__dict__, "steps": steps})).results
    assert list(result.summary) == ["fa"]
    assert list(result.translations) == ["fa"]


def test_pivot_through_english(options, m2m100_model):
    fa_article = "وزیر امور خارجه گفت که مذاکرات هفته آینده ادامه خواهد یافت."
    chain_options = ChainOptions(steps=parse_steps("translate:en,translate:sq"), source="fa",
                                 translation_model=str(m2m100_model))
    [result] = run_chain([fa_article], chain_options).results
    assert list(result.translations) == ["en", "sq"]
    assert set(result.manifest["translators"]) == {"fa-en", "en-sq"}  # sq from the English text
    assert result.summary == {}


def test_batch_to_file_resumes_and_keeps_finished_work(options, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, "utf-8")
    (folder / "b.md").write_text("# Title\n\n" + ARTICLE, "utf-8")
    (folder / "c.txt").write_text("News Code 191224\n\nYour Comment\n", "utf-8")
    out = tmp_path / "out.jsonl"
    with pytest.raises(InputError, match=r"c.txt: the article .*no text left.*the 2 articles finished before it are kept"):
        run_chain([str(folder)], options, out)
    assert len((tmp_path / "out.jsonl.partial").read_text("utf-8").splitlines()) == 2
    (folder / "c.txt").write_text(ARTICLE, "utf-8")
    report = run_chain([str(folder)], options, out)
    assert report.resumed == 2 and len(report.results) == 1
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["a.txt", "b.md", "c.txt"]
    assert all(set(r["summary"]) == {"en", "fa", "sq"} for r in rows)
    # The manifest counts the flagged translated sentences of the whole job, the resumed articles' too.
    flags = json.loads((tmp_path / "out.jsonl.manifest.json").read_text("utf-8"))["flags"]
    assert 0 < flags["segments"] == sum(len(entries) for r in rows for entries in r["flags"].values())


def test_skip_bad_sets_bad_articles_aside(options, tmp_path):
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text(json.dumps({"id": "bad", "text": "  \n "}) + "\n" + json.dumps({"id": "good", "text": ARTICLE}) + "\n", "utf-8")
    out = tmp_path / "out.jsonl"
    report = run_chain([str(jsonl)], options, out, skip_bad=True)
    assert [r.id for r in report.results] == ["good"] and report.rejected == 1
    assert "empty" in (tmp_path / "out.jsonl.rejects.jsonl").read_text("utf-8")


@pytest.mark.parametrize("value,message", [
    ("summarize,translat:fa", "unknown step 'translat:fa'"),
    ("summarize,summarize", "'summarize' twice"),
    ("translate:xx", "unknown language code 'xx'"),
    ("", "steps is empty"),
])
def test_bad_steps(value, message):
    with pytest.raises(ToolkitError, match=message):
        parse_steps(value)


def test_steps_and_to_are_one_or_the_other():
    assert plan_steps(None, None, "fa,sq") == (Step("summarize"), Step("translate", "fa"), Step("translate", "sq"))
    with pytest.raises(ToolkitError, match="targets and steps were both given"):
        plan_steps("summarize", "fa")


def test_translation_model_as_summariser_is_refused(marian_multi_model):
    chain_options = ChainOptions(source="en", summary_model=str(marian_multi_model))
    with pytest.raises(ToolkitError, match="translation model"):
        run_chain([ARTICLE], chain_options)


def test_library_call_with_ids_and_texts(bart_model, marian_multi_model):
    options = chain_options(default_steps(["fa", "sq"]), "en", summary_model=str(bart_model),
                            models=[f"fa={marian_multi_model}", f"sq={marian_multi_model}"])
    report = run_chain({"a/1": ARTICLE, "b": "A text with a slash, 24/7, is not a path. " + ARTICLE}, options)
    assert [r.id for r in report.results] == ["a/1", "b"]
    assert all(list(r.summary) == ["en", "fa", "sq"] for r in report.results)


def test_eval_suite_runs_the_chain(bart_model, marian_multi_model, tmp_path):
    from toolkit.eval.suite import run_suite

    suite = tmp_path / "suite.yaml"
    suite.write_text(json.dumps({  # JSON is YAML
        "name": "tiny", "source_lang": "en", "targets": ["en", "fa", "sq"], "metrics": ["chrf"],
        "articles": [{"id": "one", "text": ARTICLE,
                      "summary": {"en": "Talks continue.", "fa": "مذاکرات ادامه دارد.", "sq": "Bisedimet vazhdojnë."}}],
    }), "utf-8")
    result = run_suite(suite, summary_model=str(bart_model), models=[str(marian_multi_model)])
    assert set(result.outputs["one"]) == {"en", "fa", "sq"}
    assert set(result.results) == {"en", "fa", "sq"}


def test_bad_method_options_are_refused_before_any_article_is_read():
    with pytest.raises(InputError, match="extractive method uses no model"):
        run_chain(["missing-file.txt"], ChainOptions(method="extractive", summary_model="x"))
    with pytest.raises(InputError, match="unknown summarisation method 'magic'"):
        run_chain(["missing-file.txt"], ChainOptions(method="magic"))


def test_a_target_in_the_source_language_is_already_done(options):
    [result] = run_chain([ARTICLE], ChainOptions(**{**options.__dict__, "steps": default_steps(["en", "fa"])})).results
    assert list(result.summary) == ["en", "fa"]
    assert "translate:en" not in result.manifest["timings_s"] and set(result.manifest["translators"]) == {"en-fa"}


def test_translation_backend_and_memory_are_chosen_for_the_chain(options, tmp_path):
    from dataclasses import replace

    from toolkit.translate.memory import TranslationMemory

    [result] = run_chain([ARTICLE], replace(options, backend="hf", translation_memory=False)).results
    assert {t["backend"] for t in result.manifest["translators"].values()} == {"hf"}
    assert list(TranslationMemory().stats()) == []  # nothing stored without the memory
    [first] = run_chain([ARTICLE], options).results
    assert {t["backend"] for t in first.manifest["translators"].values()} == {"ct2"}
    stored = {s.description["pair"]: s.segments for s in TranslationMemory().stats()}
    assert set(stored) == {"en-fa", "en-sq"} and all(n > 0 for n in stored.values())
    [again] = run_chain([ARTICLE], options).results  # served from the memory: same summaries
    assert again.summary == first.summary


# What each ChainOptions field changes in the job key: a new field must be put in one of the two.
IDENTIFYING = {"steps": parse_steps("summarize,translate:fa"), "source": "fa", "method": "extractive",
               "summary_model": "m", "prompt": "p", "length": SummaryLength(sentences=2), "translation_model": "m",
               "translation_models": {"fa": "m"}, "beams": 2, "backend": "hf", "quantization": "float32",
               "protect": False, "glossary": Glossary({"fa": {"tirana": "تیرانا"}}), "flags": False}
NOT_IDENTIFYING = {"translation_memory": False, "batch_tokens": 64, "pool_chars": 1000}


def test_job_key_is_what_identifies_a_job():
    from dataclasses import fields, replace

    from toolkit.chain import chain_job_key

    assert set(IDENTIFYING) | set(NOT_IDENTIFYING) == {f.name for f in fields(ChainOptions)}
    key = chain_job_key("files", ChainOptions())
    assert key == chain_job_key("files", ChainOptions()) == "eaaabb30e0e84001"  # stable across runs and processes
    for name, value in IDENTIFYING.items():
        assert chain_job_key("files", replace(ChainOptions(), **{name: value})) != key, name
    for name, value in NOT_IDENTIFYING.items():
        assert chain_job_key("files", replace(ChainOptions(), **{name: value})) == key, name
    assert len({key, chain_job_key("jsonl", ChainOptions()), chain_job_key("files", ChainOptions(), column="body"),
                chain_job_key("files", ChainOptions(), errors="replace")}) == 4


def test_a_rerun_with_other_outputs_or_memory_is_the_same_job(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, "utf-8")
    options = ChainOptions(method="extractive", length=SummaryLength(sentences=1))

    def job(out: str, **changes) -> str:
        from dataclasses import replace

        run_chain([str(tmp_path / "a.txt")], replace(options, **changes), tmp_path / out)
        return json.loads((tmp_path / f"{out}.manifest.json").read_text("utf-8"))["job"]

    key = job("one.jsonl")
    assert job("two.jsonl", translation_memory=False, pool_chars=100) == key
    assert job("three.jsonl", length=SummaryLength(sentences=2)) != key


def test_a_target_model_that_translates_from_english_pivots_through_it(marian_model, m2m100_model):
    """``sq=`` an en->sq model (as opus-mt-en-sq) for a Persian article: fa->en, then en->sq, as one
    translator whose provenance names both legs; the English is not an output."""
    fa_article = "وزیر امور خارجه گفت که مذاکرات هفته آینده ادامه خواهد یافت."
    options = chain_options(parse_steps("translate:sq"), "fa", models=[f"sq={marian_model}", f"en={m2m100_model}"])
    [result] = run_chain([fa_article], options).results
    assert list(result.translations) == ["sq"] and result.translations["sq"].strip()
    pivoted = result.manifest["translators"]["fa-sq"]
    assert pivoted["pivot"] == "en"
    assert [leg["model_id"] for leg in pivoted["legs"]] == [str(m2m100_model), str(marian_model)]


def test_translations_carry_their_segments_flags_as_translate_gives_them(options, marian_multi_model):
    """Article translations (and a summary's) carry the checker's flags per language; --no-flags drops them."""
    from dataclasses import replace

    from toolkit.eval.segment_checks import SegmentChecker
    from toolkit.translate.factory import build_translator
    from toolkit.translate.flagged import checkers, segment_flags
    from toolkit.translate.engine import translate_documents

    steps = parse_steps("translate:sq,summarize")
    [result] = run_chain([ARTICLE], replace(options, steps=steps)).results
    assert list(result.flags) == ["sq"] and result.flags["sq"]
    translator = build_translator("en", "sq", str(marian_multi_model))
    cleaned = ARTICLE.split("\n\nNews Code")[0] + "\n"
    [document] = translate_documents([cleaned], translator, check=checkers("en", {"sq": options.protection("sq")})["sq"])
    assert result.flags["sq"] == segment_flags(document)  # the same flags as translate's, segment for segment
    checker = SegmentChecker("en", "sq")
    assert all(e["flags"] == [f.to_dict() for f in checker(e["source"], e["translation"])] for e in result.flags["sq"])
    assert result.to_dict()["flags"] == result.flags

    [summarised] = run_chain([ARTICLE], options).results  # summary translations: their flags too
    assert set(summarised.flags) == {"fa", "sq"}
    [off] = run_chain([ARTICLE], replace(options, flags=False)).results
    assert off.flags is None and "flags" not in off.to_dict()
