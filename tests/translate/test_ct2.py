"""The ct2 backend keeps the hf backend's contract on the tiny real models."""

import json

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.models import ct2
from toolkit.provenance import DecodingSettings
from toolkit.text.segment import split_layout
from toolkit.translate.engine import default_batch_tokens, translate_texts
from toolkit.models.backends import choose_backend
from toolkit.models.backends.ct2 import MAX_ROWS, even_parts
from toolkit.translate.factory import build_translator
from tests.tiny_models import CORPUS
from tests.translate.test_engine import DOCS

FIXTURES = [("marian_model", "sq"), ("marian_multi_model", "fa"), ("m2m100_model", "fa"), ("nllb_model", "sq"),
            ("mbart50_model", "fa")]


@pytest.mark.parametrize("fixture,target", FIXTURES)
@pytest.mark.parametrize("beams", [1, 4])
def test_float32_output_equals_hf_output(request, fixture, target, beams):
    # Same weights, same float32 arithmetic up to rounding, same tokens in and the same decoding
    # rules (length bound, no padding token, forced language token): greedy and beam search agree
    # token for token. HF forces the end token into the last allowed position and ct2 does not
    # return it, which the ct2 backend accounts for by stopping one position earlier.
    model = str(request.getfixturevalue(fixture))
    decoding = DecodingSettings(beams=beams)
    hf = build_translator("en", target, model, "hf", decoding, dtype="float32")  # pinned: the default is the CPU's
    fast = build_translator("en", target, model, "ct2", decoding, quantization="float32")
    assert fast.translate_batch(CORPUS) == hf.translate_batch(CORPUS)


@pytest.mark.parametrize("fixture,target", FIXTURES)
def test_int8_keeps_layout_order_and_records_provenance(request, fixture, target):
    model = str(request.getfixturevalue(fixture))
    hf = build_translator("en", target, model, "hf", dtype="float32")
    fast = build_translator("en", target, model, "ct2", quantization="int8")
    assert (fast.provenance.backend, fast.provenance.quantization) == ("ct2", "int8")
    assert (hf.provenance.backend, hf.provenance.quantization) == ("hf", None)
    assert fast.provenance.family == hf.provenance.family
    assert fast.provenance.revision.startswith("stamp:")  # a plain folder: path, sizes and times
    assert fast.max_input_tokens == hf.max_input_tokens
    # int8 may choose other tokens than float32, so the texts may differ; the layout may not.
    for out_fast, out_hf in zip(translate_texts(DOCS, fast, 40), translate_texts(DOCS, hf, 40)):
        assert split_layout(out_fast).pieces == split_layout(out_hf).pieces
        assert len(split_layout(out_fast).lines) == len(split_layout(out_hf).lines)


@pytest.mark.parametrize("decoding", [
    DecodingSettings(max_length_ratio=0, max_length_offset=4),
    DecodingSettings(no_repeat_ngram_size=2),
    DecodingSettings(repetition_penalty=1.5),
])
def test_decoding_options_act_as_in_hf(marian_model, decoding):
    hf = build_translator("en", "sq", str(marian_model), "hf", decoding, dtype="float32")
    fast = build_translator("en", "sq", str(marian_model), "ct2", decoding, quantization="float32")
    plain = build_translator("en", "sq", str(marian_model), "ct2", quantization="float32")
    assert fast.translate_batch(CORPUS) == hf.translate_batch(CORPUS)
    assert fast.translate_batch(CORPUS) != plain.translate_batch(CORPUS)  # the option changed something


@pytest.mark.parametrize("decoding", [DecodingSettings(no_repeat_ngram_size=2, beams=3),
                                      DecodingSettings(repetition_penalty=1.5, beams=2)])
def test_penalties_under_beam_search_are_applied(marian_model, decoding):
    # Not token-for-token equal to hf: transformers' beam search runs its logits processors on
    # log-softmaxed scores, ctranslate2 on the logits, so a penalty reorders beams differently
    # (greedy search, above, agrees exactly). What holds: the option is applied.
    fast = build_translator("en", "sq", str(marian_model), "ct2", decoding, quantization="float32")
    plain = build_translator("en", "sq", str(marian_model), "ct2", DecodingSettings(beams=decoding.beams), quantization="float32")
    assert fast.translate_batch(CORPUS) != plain.translate_batch(CORPUS)


def test_auto_picks_ct2_when_installed_and_hf_otherwise(marian_model, monkeypatch):
    assert choose_backend("auto", str(marian_model)) == "ct2"
    assert build_translator("en", "sq", str(marian_model)).provenance.backend == "ct2"
    monkeypatch.setattr(ct2, "installed", lambda: False)
    assert choose_backend("auto", str(marian_model)) == "hf"
    assert choose_backend("hf", str(marian_model)) == "hf"


def test_hf_backend_refuses_quantization(marian_model):
    with pytest.raises(Exception, match="use the ct2 backend"):
        build_translator("en", "sq", str(marian_model), "hf", quantization="int8")


def test_threads_never_exceed_the_usable_cores(monkeypatch):
    cores = ct2.usable_cores()
    assert ct2.thread_plan(None, "cpu") == (cores, 1)
    assert ct2.thread_plan(cores + 10, "cpu") == (cores, 1)
    assert ct2.thread_plan(1, "cpu") == (1, 1)
    assert ct2.thread_plan(None, "cuda") == (1, cores)
    monkeypatch.setenv("TOOLKIT_THREADS", "1")
    assert ct2.thread_plan(None, "cpu") == (1, 1)


def test_cli_translates_with_ct2_and_records_quantization(marian_model):
    result = CliRunner().invoke(app, ["translate", "Iran and Albania cut ties.", "--to", "sq", "--model", str(marian_model),
                                      "--backend", "ct2", "--json", "--threads", "1"])
    assert result.exit_code == 0, result.output
    provenance = json.loads(result.stdout)["provenance"]["sq"]
    assert (provenance["backend"], provenance["quantization"], provenance["device"]) == ("ct2", "int8", "cpu")


def test_unknown_quantization_is_a_user_error(marian_model):
    result = CliRunner().invoke(app, ["translate", "Hello.", "--to", "sq", "--model", str(marian_model),
                                      "--backend", "ct2", "--quantization", "int3"])
    assert result.exit_code == 2 and "unknown quantization 'int3'" in result.stderr


@pytest.mark.parametrize("backend", ["hf", "ct2"])
def test_end_token_first_gives_an_empty_output_on_both_backends(marian_model, tmp_path, backend):
    """A model whose end token always wins outputs nothing, and nothing is reported as cut."""
    import shutil

    import torch
    from transformers import MarianMTModel

    folder = tmp_path / "ends-at-once"
    shutil.copytree(marian_model, folder)
    model = MarianMTModel.from_pretrained(folder)
    with torch.no_grad():
        model.final_logits_bias[..., model.config.eos_token_id] = 50.0
    model.save_pretrained(folder)
    quantization = "float32" if backend == "ct2" else None
    translator = build_translator("en", "sq", str(folder), backend, quantization=quantization)
    assert translator.translate_batch(["Iran and Albania.", "The minister said."]) == ["", ""]
    assert translator.bound_reached == 0


_FRESH = """
import json, sys
from toolkit.summarize.abstractive import Seq2SeqSummarizer, DECODING
from toolkit.translate.factory import build_translator
outputs = []
for kind, folder, target, texts in json.loads(sys.argv[1]):
    if kind == "translate":
        outputs.append(build_translator("en", target, folder, "ct2", quantization="float32").translate_batch(texts))
    else:
        outputs.append(Seq2SeqSummarizer(folder, None, DECODING, "float32", "ct2").generate_prompts(texts, 1, 8))
print(json.dumps({"outputs": outputs, "torch": "torch" in sys.modules, "transformers": "transformers" in sys.modules}))
"""


@pytest.mark.slow
def test_ct2_runs_without_torch_or_transformers_in_a_fresh_interpreter(request):
    # Every family the ct2 path runs: translation (Marian, M2M100, NLLB, mBART-50) and summaries (BART, T5).
    # Converting a model needs torch (done here, once); translating with it afterwards does not.
    import os
    import subprocess
    import sys
    from pathlib import Path

    from toolkit.summarize.abstractive import DECODING, Seq2SeqSummarizer

    jobs = [("translate", str(request.getfixturevalue(f)), t, CORPUS[:4]) for f, t in FIXTURES]
    jobs += [("summarize", str(request.getfixturevalue(f)), None, CORPUS[:2]) for f in ("bart_model", "t5_model")]
    for _, folder, _, _ in jobs:
        ct2.convert(folder, "float32")  # into this test's cache folder (loaded engines are shared in-process)
    expected = [build_translator("en", t, m, "ct2", quantization="float32").translate_batch(x) if k == "translate"
                else Seq2SeqSummarizer(m, None, DECODING, "float32", "ct2").generate_prompts(x, 1, 8)
                for k, m, t, x in jobs]
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", _FRESH, json.dumps(jobs)], capture_output=True, text=True, env=env, cwd=root)
    assert done.returncode == 0, done.stderr
    fresh = json.loads(done.stdout)
    assert fresh["outputs"] == expected
    assert (fresh["torch"], fresh["transformers"]) == (False, False)


@pytest.mark.parametrize("fixture,target", [("marian_model", "sq"), ("m2m100_model", "fa")])
def test_a_batch_split_across_parallel_translators_comes_back_in_order_as_alone(request, fixture, target):
    # Two translators each take one part of the batch (longest first), each decoding to its own
    # part's bound: every output is still the one its sentence gives alone, in the input's order.
    model = str(request.getfixturevalue(fixture))
    translator = build_translator("en", target, model, "ct2", quantization="float32", threads=2)
    sentences = ["Short one.", " ".join(DOCS[0].split()[:12]), "Prices rose.", " ".join(CORPUS[0].split()[:8]), "Yes."]
    batched = translator.translate_batch(sentences)
    assert translator.model._model.workers == 2  # the case under test: the batch was decoded in two parts
    assert batched == [translator.translate_batch([s])[0] for s in sentences]


def test_a_batch_of_more_sentences_than_one_engine_batch_holds_comes_back_in_order_as_alone(marian_model):
    # More short sentences than MAX_ROWS (the rows ctranslate2 decodes together): still one
    # translation per sentence, in order, each as alone.
    translator = build_translator("en", "sq", str(marian_model), "ct2", quantization="float32", threads=1)
    words = " ".join(CORPUS).split()
    sentences = list(dict.fromkeys(" ".join(words[i:i + 1 + i % 3]) for i in range(len(words) - 3)))[:MAX_ROWS + 6]
    assert len(sentences) > MAX_ROWS
    assert translator.translate_batch(sentences) == [translator.translate_batch([s])[0] for s in sentences]


def test_on_a_cpu_each_parallel_translator_gets_a_full_batch_by_default(marian_model):
    # ct2 splits each batch across its translators (one per core): the default budget is per translator,
    # so two translators take twice the padded tokens of one, and each part stays as large.
    one, two = (build_translator("en", "sq", str(marian_model), "ct2", threads=n) for n in (1, 2))
    assert (one.workers, two.workers) == (1, 2)
    assert default_batch_tokens(two) == 2 * default_batch_tokens(one)
    assert default_batch_tokens(build_translator("en", "sq", str(marian_model), "hf", threads=2)) == default_batch_tokens(one)


@pytest.mark.parametrize("bounds,parts,cuts", [
    ([175, 175, 100, 90, 50, 30, 20], 2, [2]),  # two long sentences take as long as five shorter ones
    ([40] * 10, 2, [5]),  # equal sentences: equal halves
    ([40] * 3, 4, [1, 2]),  # fewer sentences than translators: one each
    ([40] * 9, 1, []),  # one translator (a GPU): the whole batch
])
def test_a_batch_is_cut_into_parts_of_about_equal_decoding_work(bounds, parts, cuts):
    # The translators wait for the slowest part before the next batch: the largest part's work
    # (sentences x its longest bound) is the least any cut into at most ``parts`` runs gives.
    assert even_parts(bounds, parts) == cuts
