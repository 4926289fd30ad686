"""Inputs read as the user meant them: literal texts with a slash, table rows with extra cells."""

import json
import os
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

from toolkit.cli import app


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_a_literal_text_with_a_slash_is_a_text_not_a_missing_path(marian_model):
    result = run("translate", "The vote was 50/50.", "--to", "sq", "--model", marian_model)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()


@pytest.mark.parametrize("missing", ["news/today.jsonl", "articles/", "a.txt"])
def test_a_missing_path_is_still_named(missing):
    result = run("translate", missing, "--to", "sq")
    assert result.exit_code == 2 and f"no such file or folder: {missing}" in result.stderr


@pytest.mark.parametrize("suffix, sep", [(".tsv", "\t"), (".csv", ",")])
@pytest.mark.parametrize("header, bad", [(["id", "text"], ["2", "Albania.", "stray"]),  # more cells than the header
                                         (["id", "text", "note"], ["2", "Albania."])])  # fewer
def test_a_row_with_another_number_of_cells_than_the_header_names_its_line_or_is_rejected(marian_model, tmp_path, suffix,
                                                                                          sep, header, bad):
    rows = [header, ["1", "Iran.", "a"][:len(header)], bad, ["3", "Tirana.", ""][:len(header)]]
    source = tmp_path / f"in{suffix}"
    source.write_text("".join(sep.join(row) + "\n" for row in rows), "utf-8")
    out = tmp_path / f"out{suffix}"
    result = run("translate", source, "--to", "sq", "--model", marian_model, "--out", out)
    assert result.exit_code == 2
    assert f"in{suffix}:3: {len(bad)} cells, but the header has {len(header)}" in result.stderr and not out.exists()
    result = run("translate", source, "--to", "sq", "--model", marian_model, "--out", out, "--skip-bad")
    assert result.exit_code == 0, result.output
    assert [line.split(sep)[0] for line in out.read_text("utf-8").splitlines()] == ["id", "1", "3"]
    [reject] = [json.loads(line) for line in (tmp_path / f"out{suffix}.rejects.jsonl").read_text("utf-8").splitlines()]
    assert reject["origin"] == f"{source}:3" and reject["line"] == sep.join(bad)


def test_a_long_literal_text_is_a_text_not_a_file_name(marian_model):
    long_text = "The minister said the talks would continue next week in Tirana. " * 6  # over 255 bytes, one name
    result = run("translate", long_text, "--to", "sq", "--model", marian_model)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()


def test_an_unknown_errors_policy_is_refused_by_the_library_and_named_as_a_flag():
    from toolkit.errors import InputError
    from toolkit.io.inputs import InputOptions

    with pytest.raises(InputError, match="errors must be strict or replace, not 'maybe'"):
        InputOptions(errors="maybe")
    result = run("translate", "Iran and Albania cut ties.", "--to", "sq", "--errors", "maybe")
    assert result.exit_code == 2 and "error: --errors must be strict or replace, not 'maybe'" in result.stderr


@pytest.mark.parametrize("suffix, sep", [(".tsv", "\t"), (".csv", ",")])
def test_a_header_naming_a_column_twice_is_refused(suffix, sep, tmp_path):
    source = tmp_path / f"in{suffix}"
    source.write_text(sep.join(["id", "text", "text"]) + "\n" + sep.join(["1", "Iran.", "Albania."]) + "\n", "utf-8")
    result = run("translate", source, "--to", "sq", "--model", "./no-such-model", "--out", tmp_path / f"out{suffix}")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"error: {source}: the header names the column 'text' twice" in result.stderr
    assert not (tmp_path / f"out{suffix}").exists()


def test_a_json_file_is_refused_with_a_conversion_to_jsonl_that_works(marian_model, tmp_path):
    source = tmp_path / "news.json"
    source.write_text(json.dumps([{"id": 1, "text": "Iran and Albania."}, {"id": 2, "text": "Tirana."}], indent=2), "utf-8")
    result = run("translate", source, "--to", "sq", "--model", marian_model)
    assert result.exit_code == 2 and result.stdout == ""
    converted = tmp_path / "news.jsonl"
    assert result.stderr == (f"error: {source}: a JSON document, not JSON lines (convert it to one object per line: "
                             f"jq -c '.[]' {source} > {converted}, and give the .jsonl file)\n")
    if shutil.which("jq") is None:
        pytest.skip("jq is not installed: the hint's command cannot be run here")
    subprocess.run(f"jq -c '.[]' {source} > {converted}", shell=True, check=True)
    result = run("translate", converted, "--to", "sq", "--model", marian_model)
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [1, 2]


def test_a_missing_json_file_is_named_as_a_missing_path():
    result = run("translate", "news.json", "--to", "sq")
    assert result.exit_code == 2 and "no such file or folder: news.json" in result.stderr


def test_a_lone_surrogate_in_jsonl_names_the_record_and_skip_bad_sets_it_aside(marian_model, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": 1, "text": "Iran."}\n{"id": 2, "text": "Broken \\ud800 surrogate."}\n'
                      '{"id": 3, "note": "\\udc00", "text": "Tirana."}\n{"id": 4, "text": "Smile \\ud83d\\ude00."}\n', "utf-8")
    out = tmp_path / "out.jsonl"
    result = run("translate", source, "--to", "sq", "--model", marian_model, "--out", out)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr.startswith(f"error: {source}:2: a lone surrogate (\\ud800) in the record, not text") and not out.exists()
    result = run("translate", source, "--to", "sq", "--model", marian_model, "--out", out, "--skip-bad")
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in out.read_text("utf-8").splitlines()] == [1, 4]
    rejects = [json.loads(line) for line in (tmp_path / "out.jsonl.rejects.jsonl").read_text("utf-8").splitlines()]
    assert [r["origin"] for r in rejects] == [f"{source}:2", f"{source}:3"]


def test_a_lone_surrogate_in_a_text_argument_is_one_line_and_skip_bad_sets_it_aside(marian_model, tmp_path):
    result = run("translate", "Broken \ud800 surrogate.", "--to", "sq", "--model", marian_model)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr.startswith("error: text argument 1: a lone surrogate (\\ud800) in the record, not text")
    out = tmp_path / "out"
    result = run("translate", "Broken \ud800 surrogate.", "Iran and Albania.", "--to", "sq", "--model", marian_model,
                 "--out", out, "--skip-bad")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.glob("*.txt")) == ["text-2.sq.txt"]
    [reject] = [json.loads(line) for line in (out / "rejects.jsonl").read_text("utf-8").splitlines()]
    assert reject["origin"] == "text argument 1"


@pytest.mark.parametrize("in_folder", [True, False])
def test_a_file_name_that_is_not_utf8_is_refused_before_any_work(in_folder, tmp_path):
    (tmp_path / "in").mkdir()
    bad = tmp_path / "in" / os.fsdecode(b"caf\xe9.txt")  # Latin-1
    bad.write_text("Iran and Albania.\n", "utf-8")
    result = run("translate", bad.parent if in_folder else bad, "--to", "sq", "--model", "./no-such-model",
                 "--out", tmp_path / "out")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr == f"error: {tmp_path}/in/caf\\xe9.txt: a file name that is not UTF-8 (rename the file)\n"


def _zip_bytes():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document><w:body><w:p><w:r><w:t>Tirana.</w:t></w:r></w:p></w:body></w:document>")
    return buffer.getvalue()


@pytest.mark.parametrize("data, says, fix", [
    (_zip_bytes(), "a zip file (a Word, PowerPoint, Excel, OpenDocument or EPUB document?), not text",
     "give it its real extension: .docx, .pptx, .xlsx, .odt, .epub..."),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "a PDF file, not text", "give it its real extension: .pdf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0\0", "an old binary Office file (Word, Excel or PowerPoint 97-2003) or a "
     "password-protected one, not text", "save it as .docx, .xlsx or .pptx, without a password"),
], ids=["zip", "pdf", "ole"])
def test_a_document_renamed_to_txt_is_named_for_what_it_is_not_sent_on_with_errors_replace(tmp_path, monkeypatch,
                                                                                          marian_model, data, says, fix):
    report = tmp_path / "report.txt"
    report.write_bytes(data)
    for command in (["summarize", report, "--method", "extractive"], ["summarize", report, "--errors", "replace"],
                    ["translate", report, "--to", "sq", "--model", marian_model, "--out", tmp_path / "out"]):
        result = run(*command)
        assert result.exit_code == 2, result.output
        assert result.stderr == f"error: {report}: {says} ({fix})\n", command
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("The minister said the talks would continue next week in Tirana.\n", "utf-8")
    shutil.copy(report, folder / "report.txt")
    monkeypatch.chdir(tmp_path)  # where the rejects go
    summarised = run("summarize", folder, "--method", "extractive", "--from", "en", "--json")
    assert summarised.exit_code == 2 and f"  {folder / 'report.txt'}: {says}" in summarised.stderr  # set aside
    assert [json.loads(line)["id"] for line in summarised.stdout.splitlines()] == ["a.txt"]
