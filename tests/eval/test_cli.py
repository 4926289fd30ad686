import json
import os
from pathlib import Path

import pytest
import sacrebleu
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.eval.suite import load_suite
from toolkit.text.segment import split_sentences

SUITE = Path(__file__).resolve().parents[2] / "eval" / "suites" / "news-en-fa-sq.yaml"
runner = CliRunner()

HYPS = ["The minister resigned on Monday after 17,000 people protested in Tirana.",
        "Iran condemned the sanctions and said the claims were baseless."]
REFS = ["The minister resigned Monday after protests by 17,000 people in Tirana.",
        "Iran condemned new US sanctions, calling the accusations baseless."]


def _write(tmp_path, name, lines):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _invoke(*args):
    return runner.invoke(app, ["eval", *args])


def test_score_json_has_every_metric_with_signature_and_interval(tmp_path):
    hyp, ref = _write(tmp_path, "h.txt", HYPS), _write(tmp_path, "r.txt", REFS)
    result = _invoke("score", "--hyp", hyp, "--ref", ref, "--src", ref, "--json", "--bootstrap", "100")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    for name in ("rouge1", "rouge2", "rougeL", "rougeLsum"):
        assert set(data[name]) >= {"precision", "recall", "fmeasure", "signature"}
        low, high = data["ci"][name]["fmeasure"]
        assert low <= data[name]["fmeasure"] <= high
    for name in ("bleu", "chrf", "chrf++", "ter"):
        assert "version:" in data[name]["signature"] and len(data["ci"][name]) == 2
    assert data["bleu"]["score"] == sacrebleu.corpus_bleu(HYPS, [REFS]).score
    # Each "summary" is as long as its source (length_ratio); the second shares few word pairs with it (novelty).
    assert data["checks"]["failed"] == {"language": [], "length_ratio": ["1", "2"], "repetition": [], "numbers": [],
                                        "names": [], "novelty": ["2"]}


def test_score_table_and_jsonl_field(tmp_path):
    hyp = tmp_path / "h.jsonl"
    hyp.write_text("\n".join(json.dumps({"id": f"d{i}", "out": {"text": t}}) for i, t in enumerate(HYPS)), encoding="utf-8")
    ref = tmp_path / "r.jsonl"
    ref.write_text("\n".join(json.dumps({"id": f"d{i}", "out": {"text": t}}) for i, t in enumerate(REFS)), encoding="utf-8")
    result = _invoke("score", "--hyp", str(hyp), "--ref", str(ref), "--field", "out.text", "--bootstrap", "50",
                     "--metrics", "rouge,chrf")
    assert result.exit_code == 0, result.output
    assert "rougeLsum" in result.output and "chrf" in result.output and "bleu" not in result.output


@pytest.mark.parametrize(
    "hyps, refs, message",
    [
        (HYPS + ["A third line."], REFS, "r.txt has 2 documents but"),
        (["", HYPS[1]], REFS, "h.txt: empty text on line 1"),
    ],
)
def test_score_refuses_bad_files(tmp_path, hyps, refs, message):
    hyp, ref = _write(tmp_path, "h.txt", hyps), _write(tmp_path, "r.txt", refs)
    result = _invoke("score", "--hyp", hyp, "--ref", ref)
    assert result.exit_code == 2
    assert message in result.output and result.output.startswith("error:")


def test_score_refuses_reference_in_another_language(tmp_path):
    suite = load_suite(SUITE)
    hyp = _write(tmp_path, "h.txt", [a.references["fa"] for a in suite.articles])
    ref = _write(tmp_path, "r.txt", [a.references["sq"] for a in suite.articles])
    result = _invoke("score", "--hyp", hyp, "--ref", ref, "--lang", "fa")
    assert result.exit_code == 2
    assert "r.txt looks like Albanian (sq), not Persian (fa)" in result.output


def test_score_refuses_unknown_metric(tmp_path):
    hyp, ref = _write(tmp_path, "h.txt", HYPS), _write(tmp_path, "r.txt", REFS)
    result = _invoke("score", "--hyp", hyp, "--ref", ref, "--metrics", "rouge,meteor")
    assert result.exit_code == 2 and "unknown metric 'meteor'" in result.output


def test_compare_prints_difference_interval_and_p_value(tmp_path):
    ref = _write(tmp_path, "r.txt", REFS * 10)
    weak = _write(tmp_path, "a.txt", HYPS * 10)
    strong = _write(tmp_path, "b.txt", REFS[:1] * 10 + HYPS[1:] * 10)
    result = _invoke("compare", "--ref", ref, weak, strong, "--metrics", "rouge,bleu", "--bootstrap", "200", "--json")
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.output)["comparisons"][0]["metrics"]
    assert set(metrics) == {"rouge1.fmeasure", "rouge2.fmeasure", "rougeL.fmeasure", "rougeLsum.fmeasure", "bleu"}
    assert metrics["bleu"]["delta"] > 0 and metrics["bleu"]["ci"][0] > 0 and metrics["bleu"]["p_value"] < 0.05
    table = _invoke("compare", "--ref", ref, weak, strong, "--metrics", "bleu", "--bootstrap", "50")
    assert table.exit_code == 0 and "paired bootstrap" in table.output


def _lead_outputs(tmp_path):
    """A lead-2 English baseline; Persian and Albanian are the references with their first sentence only."""
    suite = load_suite(SUITE)
    path = tmp_path / "outputs.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for article in suite.articles:
            lead = " ".join(split_sentences(article.text.split("\n")[0], "en")[:2])
            summary = {"en": lead} | {
                lang: split_sentences(article.references[lang], lang)[0] for lang in ("fa", "sq")
            }
            f.write(json.dumps({"id": article.id, "summary": summary}, ensure_ascii=False) + "\n")
    return path


def test_run_scores_produced_outputs_and_writes_three_reports(tmp_path):
    out = tmp_path / "report"
    result = _invoke("run", str(SUITE), "--outputs", str(_lead_outputs(tmp_path)), "--out", str(out),
                     "--bootstrap", "100")
    assert result.exit_code == 0, result.output
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert set(data["languages"]) == {"en", "fa", "sq"}
    for lang in ("en", "fa", "sq"):
        assert data["languages"][lang]["rouge1"]["fmeasure"] > 0
        assert data["languages"][lang]["chrf"]["score"] > 0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<svg" in html and 'dir="rtl"' in html and "http" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "| metric | score | 95% CI |" in (out / "report.md").read_text(encoding="utf-8")


def test_run_without_outputs_runs_the_chain_and_needs_its_models(tmp_path):
    result = _invoke("run", str(SUITE), "--out", str(tmp_path))  # offline: the default summariser is not here
    assert result.exit_code == 2
    assert "cannot load model 'sshleifer/distilbart-cnn-12-6'" in result.output


def test_run_refuses_outputs_missing_a_language(tmp_path):
    path = tmp_path / "outputs.jsonl"
    path.write_text(json.dumps({"id": "durres-port", "summary": {"en": "x"}}) + "\n", encoding="utf-8")
    result = _invoke("run", str(SUITE), "--outputs", str(path), "--out", str(tmp_path))
    assert result.exit_code == 2 and "outputs have no" in result.output


def test_run_scores_only_the_languages_asked_for(tmp_path):
    suite = load_suite(SUITE)
    path = tmp_path / "outputs.jsonl"
    with path.open("w", encoding="utf-8") as f:  # English summaries only, as an extractive run makes them
        for article in suite.articles:
            lead = " ".join(split_sentences(article.text.split("\n")[0], "en")[:2])
            f.write(json.dumps({"id": article.id, "summary": {"en": lead}}) + "\n")
    out = tmp_path / "report"
    result = _invoke("run", str(SUITE), "--outputs", str(path), "--out", str(out), "--langs", "en", "--bootstrap", "50")
    assert result.exit_code == 0, result.output
    assert set(json.loads((out / "report.json").read_text(encoding="utf-8"))["languages"]) == {"en"}
    result = _invoke("run", str(SUITE), "--outputs", str(path), "--out", str(out), "--langs", "de")
    assert result.exit_code == 2 and "has no references in de" in result.output


def test_run_with_the_extractive_chain_needs_no_model(tmp_path):
    out = tmp_path / "report"
    result = _invoke("run", str(SUITE), "--method", "extractive", "--langs", "en", "--out", str(out), "--bootstrap", "50")
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert "--method extractive" in report["outputs_from"]
    suite = load_suite(SUITE)
    for article in suite.articles:  # extractive: every summary sentence is a sentence of the article
        summary = report["outputs"][article.id]["en"]
        assert all(s in article.text for s in split_sentences(summary, "en"))
    assert report["languages"]["en"]["rouge2"]["fmeasure"] > 0


def test_run_names_the_line_of_an_output_that_is_not_an_object(tmp_path):
    path = tmp_path / "outputs.jsonl"
    path.write_text('\n{"id": "durres-port", "summary": {"en": "x"}}\n5\n', encoding="utf-8")
    result = _invoke("run", str(SUITE), "--outputs", str(path), "--out", str(tmp_path))
    assert result.exit_code == 2 and f"{path}:3: not a JSON object" in result.output


def _one_line_error(result, message):
    """Exit 2 and a single ``error:`` line naming the problem: no traceback."""
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and message in lines[0], result.output


def _reference_outputs(tmp_path, name="outputs.jsonl", change=None):
    """The suite's own references as outputs; ``change(article index, summary)`` edits them."""
    suite = load_suite(SUITE)
    path = tmp_path / name
    with path.open("w", encoding="utf-8") as f:
        for i, article in enumerate(suite.articles):
            summary = dict(article.references)
            if change:
                change(i, summary)
            f.write(json.dumps({"id": article.id, "summary": summary}, ensure_ascii=False) + "\n")
    return path


def test_run_out_under_a_file_is_refused_before_any_model_is_loaded(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    # No --outputs: the chain would load the (absent) default summariser; the report folder is checked first.
    _one_line_error(_invoke("run", str(SUITE), "--out", str(blocker / "report")), str(blocker / "report"))


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_run_out_in_a_read_only_folder_is_refused(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = _invoke("run", str(SUITE), "--outputs", str(_reference_outputs(tmp_path)), "--out", str(folder / "r"))
    finally:
        folder.chmod(0o755)
    _one_line_error(result, "cannot write")


@pytest.mark.parametrize("option, value, message", [("--zwnj", "maybe", "ZWNJ mode 'maybe'"),
                                                    ("--bleu-tokenize", "nope", "BLEU tokenizer 'nope'")])
def test_score_refuses_bad_metric_options(tmp_path, option, value, message):
    hyp, ref = _write(tmp_path, "h.txt", HYPS), _write(tmp_path, "r.txt", REFS)
    _one_line_error(_invoke("score", "--hyp", hyp, "--ref", ref, option, value), message)


def test_suite_whose_summary_is_a_list_is_refused(tmp_path):
    suite = tmp_path / "suite.yaml"
    suite.write_text("name: s\ntargets: [en]\narticles:\n  - id: a\n    text: Some text.\n    summary: [one, two]\n",
                     encoding="utf-8")
    _one_line_error(_invoke("run", str(suite), "--outputs", str(tmp_path / "x.jsonl"), "--out", str(tmp_path / "r")),
                    "article a: 'summary' is not an object keyed by language")


def test_run_refuses_latin1_outputs_naming_the_line(tmp_path):
    path = _reference_outputs(tmp_path)
    lines = path.read_bytes().splitlines(keepends=True)
    lines[2] = lines[2].replace("ë".encode("utf-8"), "ë".encode("latin-1"))  # one line saved in Latin-1
    path.write_bytes(b"".join(lines))
    _one_line_error(_invoke("run", str(SUITE), "--outputs", str(path), "--out", str(tmp_path / "r")),
                    f"{path}:3: bytes that are not UTF-8")


def test_run_refuses_a_null_summary(tmp_path):
    path = _reference_outputs(tmp_path, change=lambda i, s: s.update(en=None) if i == 1 else None)
    _one_line_error(_invoke("run", str(SUITE), "--outputs", str(path), "--out", str(tmp_path / "r")),
                    f"{path}:2: summary 'en' is not a string")


def test_a_byte_order_mark_is_not_part_of_the_text(tmp_path):
    hyp, ref = tmp_path / "h.txt", _write(tmp_path, "r.txt", REFS)
    hyp.write_bytes(b"\xef\xbb\xbf" + "\n".join(REFS).encode("utf-8") + b"\n")
    result = _invoke("score", "--hyp", str(hyp), "--ref", ref, "--metrics", "bleu", "--json", "--bootstrap", "10",
                     "--no-checks")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["bleu"]["score"] == pytest.approx(100)
    outputs = _reference_outputs(tmp_path)
    outputs.write_bytes(b"\xef\xbb\xbf" + outputs.read_bytes())
    out = tmp_path / "report"
    result = _invoke("run", str(SUITE), "--outputs", str(outputs), "--out", str(out), "--metrics", "bleu",
                     "--bootstrap", "10")
    assert result.exit_code == 0, result.output
    assert json.loads((out / "report.json").read_text("utf-8"))["languages"]["en"]["bleu"]["score"] == pytest.approx(100)


def test_run_takes_the_summariser_as_summary_model(tmp_path):
    result = _invoke("run", str(SUITE), "--summary-model", "no-such/summariser", "--out", str(tmp_path / "r"))
    _one_line_error(result, "cannot load model 'no-such/summariser'")


@pytest.mark.parametrize("spec", ["no-such/translator", "fa=no-such/translator"])
def test_run_takes_translators_as_model_like_translate_and_chain(tmp_path, spec):
    # A bare --model is the translator for every target (as in translate and chain), never the summariser.
    result = _invoke("run", str(SUITE), "--method", "extractive", "--langs", "en,fa", "--model", spec,
                     "--out", str(tmp_path / "r"))
    _one_line_error(result, "cannot load model 'no-such/translator'")
