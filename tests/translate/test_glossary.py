"""The glossary and --no-protect through the job: one-line errors before any model, terms placed,
both part of the job's identity and manifest, from the options and the settings file."""

import json
import os

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.translate.glossary import glossary_from_mapping, read_glossary

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def write(path, text):
    path.write_text(text, "utf-8")
    return path


@pytest.mark.parametrize("content, message", [
    (None, "does not exist"),
    ("term\tsq\nTirana\tTirana\n", "has no header row"),
    ("source\tsq\nTirana\tTiranë\textra\n", ":2: 3 cells where the header has 2"),
    ("source\tsq\tfa\nTirana\tTiranë\tتیرانا\n", "has a column for fa, which this job does not translate into (sq)"),
    ("source\tsq\nminister\tministri\nMinister\tministër\n", ":3: the glossary gives 'Minister' two translations into sq"),
    ("source\txx-nope\nTirana\t=\n", "unknown language code 'xx-nope'"),
])
def test_a_bad_glossary_is_one_line_and_exit_2_before_any_model(tmp_path, content, message):
    glossary = tmp_path / "terms.tsv"
    if content is not None:
        write(glossary, content)
    result = run("translate", "The minister.", "--to", "sq", "--model", tmp_path / "no-such-model", "--glossary", glossary)
    assert result.exit_code == 2
    assert message in result.output and "no-such-model" not in result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_csv_glossary_keep_marker_and_empty_cells(tmp_path):
    glossary = read_glossary(write(tmp_path / "terms.csv", "source,sq,fa\nPrime Minister,Kryeministri,نخست‌وزیر\n"
                                   "Tirana,=,\n"), ["sq", "fa"])
    assert glossary.terms == {"sq": {"prime minister": "Kryeministri", "tirana": None}, "fa": {"prime minister": "نخست‌وزیر"}}
    assert glossary_from_mapping({"Tirana": "Tiranë", "Edi Rama": "="}, "sq").terms == {
        "sq": {"tirana": "Tiranë", "edi rama": None}}


def test_glossary_terms_are_placed_through_a_real_model(marian_model, tmp_path):
    glossary = write(tmp_path / "terms.tsv", "source\tsq\nPrime Minister\tKryeministri\nTirana\t=\n")
    result = run("translate", "The Prime Minister said the talks would continue in Tirana next week.", "--to", "sq",
                 "--model", marian_model, "--glossary", glossary)
    assert result.exit_code == 0, result.output
    assert result.output.count("Kryeministri") == 1 and result.output.count("Tirana") == 1


def _job(tmp_path, marian_model, *options):
    source = tmp_path / "news.jsonl"
    if not source.exists():
        write(source, "".join(json.dumps({"id": i, "text": text}) + "\n" for i, text in enumerate(
            ["The Prime Minister met the minister.", "Shkruani te redaksia@rtsh.al sot.", "Prices rose."])))
    out = tmp_path / "out.jsonl"
    result = run("translate", source, "--to", "sq", "--model", marian_model, "--out", out, *options)
    assert result.exit_code == 0, result.output
    return json.loads((tmp_path / "out.jsonl.manifest.json").read_text("utf-8")), result.output


def test_glossary_and_protection_are_the_jobs_identity_and_in_its_manifest(marian_model, tmp_path):
    glossary = write(tmp_path / "terms.tsv", "source\tsq\nPrime Minister\tKryeministri\n")
    manifest, _ = _job(tmp_path, marian_model, "--glossary", glossary)
    assert manifest["protect"] is True and manifest["glossary"]["terms"] == {"sq": 1}
    _, output = _job(tmp_path, marian_model, "--glossary", glossary)
    assert "already done" in output or "no new files" in output  # the same job: nothing to redo
    write(glossary, "source\tsq\nPrime Minister\tKryeministri i ri\n")
    changed, _ = _job(tmp_path, marian_model, "--glossary", glossary)
    assert changed["glossary"]["sha256"] != manifest["glossary"]["sha256"]
    assert "Kryeministri i ri" in (tmp_path / "out.jsonl").read_text("utf-8")
    unprotected, _ = _job(tmp_path, marian_model, "--glossary", glossary, "--no-protect")
    assert unprotected["protect"] is False


def test_the_settings_file_sets_protect_and_glossary(marian_model, tmp_path):
    glossary = write(tmp_path / "terms.tsv", "source\tsq\nminister\tministri\n")
    with open(os.environ["TOOLKIT_CONFIG"], "w") as config:
        config.write(f'protect = false\nglossary = "{glossary}"\n')
    manifest, _ = _job(tmp_path, marian_model)
    assert manifest["protect"] is False and manifest["glossary"]["origin"] == str(glossary)


def test_chain_places_glossary_terms_and_keeps_spans(marian_model, tmp_path):
    glossary = write(tmp_path / "terms.tsv", "source\tsq\nPrime Minister\tKryeministri\n")
    article = write(tmp_path / "article.txt", "The Prime Minister wrote to redaksia@rtsh.al on Wednesday.\n")
    result = run("chain", article, "--steps", "translate:sq", "--from", "en", "--model", marian_model,
                 "--glossary", glossary)
    assert result.exit_code == 0, result.output
    [line] = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert line["translations"]["sq"].count("Kryeministri") == 1
    assert line["translations"]["sq"].count("redaksia@rtsh.al") == 1
    assert line["manifest"]["glossary"]["terms"] == {"sq": 1} and line["manifest"]["protect"] is True
    refused = run("chain", article, "--steps", "translate:sq", "--from", "en", "--model", marian_model,
                  "--glossary", write(tmp_path / "fa.tsv", "source\tfa\nTirana\t=\n"))
    assert refused.exit_code == 2 and "does not translate into (sq)" in refused.output
