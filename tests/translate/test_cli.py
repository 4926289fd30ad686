"""`toolkit translate` end to end on tiny real models: every input kind and every bad input."""

import csv
import json
import re

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.text.segment import split_layout

runner = CliRunner()
ARTICLE = "Iran and Albania cut diplomatic ties. The minister said the talks would continue.\n\nMore than 17,000 people were killed.\n"


def run(*args, input=None):
    return runner.invoke(app, [str(a) for a in args], input=input)


def test_text_argument_to_standard_output(marian_model):
    result = run("translate", "The minister said the talks would continue.", "--to", "sq", "--model", marian_model)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()


def test_stdin_keeps_paragraphs(marian_model):
    result = run("translate", "-", "--to", "sq", "--model", marian_model, input=ARTICLE)
    assert result.exit_code == 0, result.output
    assert split_layout(result.stdout).pieces == split_layout(ARTICLE).pieces


def test_json_output_marks_direction_and_provenance(marian_multi_model):
    result = run("translate", ARTICLE, "--to", "fa,sq", "--model", marian_multi_model, "--json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert set(record["translations"]) == {"fa", "sq"}
    assert record["dir"] == {"fa": "rtl", "sq": "ltr"}
    assert record["provenance"]["fa"]["model_id"] == str(marian_multi_model)
    assert record["provenance"]["fa"]["decoding"]["beams"] == 1


def test_model_per_target(marian_model, m2m100_model, tmp_path):
    result = run("translate", ARTICLE, "--to", "fa,sq", "--model", f"sq={marian_model}", "--model", f"fa={m2m100_model}", "--json")
    assert result.exit_code == 0, result.output
    provenance = json.loads(result.stdout)["provenance"]
    assert provenance["sq"]["family"] == "marian" and provenance["fa"]["family"] == "m2m100"


def test_jsonl_keeps_every_field_and_adds_translations(m2m100_model, tmp_path):
    source = tmp_path / "news.jsonl"
    rows = [{"id": f"a{i}", "text": f"Iran and Albania cut ties {i}.", "section": "world"} for i in range(5)]
    source.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    out = tmp_path / "out.jsonl"
    result = run("translate", source, "--to", "fa,sq", "--model", m2m100_model, "--out", out)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r["id"] for r in records] == [r["id"] for r in rows]
    for row, record in zip(rows, records):
        assert {k: record[k] for k in row} == row
        assert set(record["translations"]) == {"fa", "sq"}
    assert json.loads((tmp_path / "out.jsonl.manifest.json").read_text())["records"] == 5
    assert not (tmp_path / "out.jsonl.partial").exists()


def test_jsonl_translations_already_there_are_kept(marian_multi_model, tmp_path):
    source = tmp_path / "news.jsonl"
    source.write_text(json.dumps({"id": 1, "text": "Iran and Albania.", "translations": {"de": "Iran und Albanien."},
                                  "dir": {"de": "ltr"}}) + "\n", "utf-8")
    into_fa, into_sq = tmp_path / "fa.jsonl", tmp_path / "fa-sq.jsonl"
    assert run("translate", source, "--to", "fa", "--model", marian_multi_model, "--out", into_fa).exit_code == 0
    result = run("translate", into_fa, "--to", "sq", "--model", marian_multi_model, "--out", into_sq)
    assert result.exit_code == 0, result.output
    [fa], [sq] = ([json.loads(line) for line in p.read_text("utf-8").splitlines()] for p in (into_fa, into_sq))
    assert sq["translations"] == {"de": "Iran und Albanien.", "fa": fa["translations"]["fa"], "sq": sq["translations"]["sq"]}
    assert sq["dir"] == {"de": "ltr", "fa": "rtl", "sq": "ltr"} and sq["translations"]["sq"]


def test_a_jsonl_translations_field_that_is_not_an_object_is_refused(marian_model, tmp_path):
    source = tmp_path / "news.jsonl"
    source.write_text(json.dumps({"id": 1, "text": "Iran.", "translations": "Iran."}) + "\n", "utf-8")
    result = run("translate", source, "--to", "sq", "--model", marian_model, "--out", tmp_path / "out.jsonl")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"error: {source}:1: the field 'translations' is not an object of languages" in result.stderr


def test_csv_adds_a_column_per_target(marian_model, tmp_path):
    source = tmp_path / "news.csv"
    source.write_text("id,headline\n1,Iran and Albania cut ties.\n2,\"Prices rose, officials said.\"\n", "utf-8")
    out = tmp_path / "out.csv"
    result = run("translate", source, "--to", "sq", "--model", marian_model, "--column", "headline", "--out", out)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["id"] for r in rows] == ["1", "2"] and all(r["headline_sq"] for r in rows)
    assert rows[1]["headline"] == "Prices rose, officials said."


def test_a_csv_target_column_already_there_is_replaced_in_place(marian_multi_model, tmp_path):
    source = tmp_path / "news.csv"
    source.write_text("id,text,text_sq,text_fa\n1,Iran and Albania.,old,kept\n", "utf-8")
    out = tmp_path / "out.csv"
    result = run("translate", source, "--to", "sq,de", "--model", marian_multi_model, "--out", out)
    assert result.exit_code == 0, result.output
    header, row = list(csv.reader(out.open(encoding="utf-8")))
    assert header == ["id", "text", "text_sq", "text_fa", "text_de", "flags_sq", "flags_de"]
    alone = run("translate", "Iran and Albania.", "--to", "sq", "--model", marian_multi_model).stdout.strip()
    assert row[:4] == ["1", "Iran and Albania.", alone, "kept"] and row[4]


def test_folder_is_mirrored_as_name_lang_ext(marian_multi_model, tmp_path):
    (tmp_path / "in" / "world").mkdir(parents=True)
    (tmp_path / "in" / "a.txt").write_text(ARTICLE, "utf-8")
    (tmp_path / "in" / "world" / "b.md").write_text("# Title\n\n" + ARTICLE, "utf-8")
    result = run("translate", tmp_path / "in", "--to", "fa,sq", "--model", marian_multi_model, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    made = sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.txt"))
    assert made == ["a.fa.txt", "a.sq.txt"]
    made = sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.md"))
    assert made == ["world/b.fa.md", "world/b.sq.md"]
    assert split_layout((tmp_path / "out" / "world" / "b.fa.md").read_text("utf-8")).pieces == split_layout("# Title\n\n" + ARTICLE).pieces


def test_files_with_one_stem_in_a_folder_each_keep_their_translation(marian_model, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "story.md").write_text("# Iran and Albania.\n", "utf-8")
    (tmp_path / "in" / "story.txt").write_text("The minister said the talks would continue.\n", "utf-8")
    result = run("translate", tmp_path / "in", "--to", "sq", "--model", marian_model, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith(("toolkit", "."))) == [
        "story.sq.md", "story.sq.txt"]
    assert (tmp_path / "out" / "story.sq.md").read_text("utf-8").startswith("# ")
    assert result.stderr.count("story.sq.md") == 1 and result.stderr.count("story.sq.txt") == 1


def test_one_name_from_two_folders_mirrors_each_folder(marian_model, tmp_path):
    for folder, text in (("a", "Iran and Albania.\n"), ("b", "The minister said the talks would continue.\n")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.txt").write_text(text, "utf-8")
    out = tmp_path / "out"
    result = run("translate", tmp_path / "a" / "x.txt", tmp_path / "b", "--to", "sq", "--model", marian_model, "--out", out)
    assert result.exit_code == 0, result.output
    a, b = (run("translate", tmp_path / f / "x.txt", "--to", "sq", "--model", marian_model).stdout for f in ("a", "b"))
    assert (out / "a" / "x.sq.txt").read_text("utf-8") == a and (out / "b" / "x.sq.txt").read_text("utf-8") == b


@pytest.mark.parametrize("second", ["a/x.txt", "a"])
def test_an_input_given_twice_is_refused_before_any_work_naming_both(second, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text("Iran.\n", "utf-8")
    out = tmp_path / "out"
    result = run("translate", tmp_path / "a" / "x.txt", tmp_path / second, "--to", "sq", "--model", "./no-such-model",
                 "--out", out)
    assert result.exit_code == 2, result.output
    x = tmp_path / "a" / "x.txt"
    assert f"error: {x} is given twice (as {x} and {tmp_path / second}); both would be written to {out / 'x.sq.txt'}" in result.stderr
    assert not out.exists()


def test_single_file_to_named_outputs_per_target(marian_multi_model, tmp_path):
    (tmp_path / "a.md").write_text(ARTICLE, "utf-8")
    result = run("translate", tmp_path / "a.md", "--to", "fa,sq", "--model", marian_multi_model, "--out", tmp_path / "t.txt")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "t.fa.txt").read_text("utf-8").strip() and (tmp_path / "t.sq.txt").read_text("utf-8").strip()


# ---------------------------------------------------------------- bad input


def test_empty_input_is_an_error(marian_model, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n", "utf-8")
    result = run("translate", empty, "--to", "sq", "--model", marian_model)
    assert result.exit_code == 2
    assert "empty.txt: the input is empty" in result.stderr


@pytest.mark.parametrize("content", ["\u200b\u200b\n", "\ufeff\u200b \u2060\n\u200c"])
def test_a_file_of_zero_width_characters_is_empty_like_whitespace(marian_model, tmp_path, content):
    invisible = tmp_path / "invisible.txt"
    invisible.write_text(content, "utf-8")
    result = run("translate", invisible, "--to", "sq", "--model", marian_model)
    assert result.exit_code == 2 and result.stdout == ""
    assert "invisible.txt: the input is empty" in result.stderr


def test_a_jsonl_text_field_that_is_not_a_string_says_so(marian_model, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": 1, "text": 42}\n', "utf-8")
    result = run("translate", source, "--to", "sq", "--model", marian_model)
    assert result.exit_code == 2
    assert "in.jsonl:1: the field 'text' is a number, not a string" in result.stderr and "no text field" not in result.stderr


def test_undecodable_bytes_name_the_line_and_replace_goes_on(marian_model, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes("First line.\nSecond ".encode() + b"\xff\xfe line.\n")
    result = run("translate", bad, "--to", "sq", "--model", marian_model)
    assert result.exit_code == 2 and "bad.txt:2: bytes that are not UTF-8" in result.stderr and "--errors replace" in result.stderr
    result = run("translate", bad, "--to", "sq", "--model", marian_model, "--errors", "replace")
    assert result.exit_code == 0, result.output


def test_malformed_jsonl_line_stops_with_its_line_and_skip_bad_rejects_it(marian_model, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": 1, "text": "Iran and Albania."}\n{"id": 2, "text": oops}\n{"id": 3, "text": "The minister."}\n', "utf-8")
    out = tmp_path / "out.jsonl"
    result = run("translate", source, "--to", "sq", "--model", marian_model, "--out", out)
    assert result.exit_code == 2 and "in.jsonl:2: malformed JSON" in result.stderr and "--skip-bad" in result.stderr
    assert not out.exists()
    result = run("translate", source, "--to", "sq", "--model", marian_model, "--out", out, "--skip-bad")
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == [1, 3]
    rejects = [json.loads(line) for line in (tmp_path / "out.jsonl.rejects.jsonl").read_text().splitlines()]
    assert [r["origin"] for r in rejects] == [f"{source}:2"]
    assert "skipped 1 bad record: see" in result.stderr


def test_missing_jsonl_field_names_the_field(marian_model, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": 1, "body": "Iran."}\n', "utf-8")
    result = run("translate", source, "--to", "sq", "--model", marian_model)
    assert result.exit_code == 2 and "no text field 'text' (fields: id, body)" in result.stderr


def test_missing_csv_column_lists_the_columns(marian_model, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("id,body\n1,Iran.\n", "utf-8")
    result = run("translate", source, "--to", "sq", "--model", marian_model)
    assert result.exit_code == 2 and "no column 'text' (columns: id, body)" in result.stderr


def test_unsupported_pair_lists_the_supported_ones(marian_multi_model):
    result = run("translate", "Hello.", "--to", "fr", "--model", marian_multi_model)
    assert result.exit_code == 2
    assert "does not translate en->fr" in result.stderr and "deu, pes, sqi" in result.stderr


def test_unknown_language_code_is_named():
    result = run("translate", "Hello.", "--to", "xx")
    assert result.exit_code == 2 and "unknown language code 'xx'" in result.stderr


@pytest.mark.parametrize("model, message", [
    ("nobody/no-such-model", "not in the Hugging Face cache and HF_HUB_OFFLINE is set"),
    ("./missing-folder", "does not exist"),
])
def test_model_that_cannot_load_names_model_reason_and_fix(model, message):
    result = run("translate", "Hello.", "--to", "sq", "--model", model)
    assert result.exit_code == 2
    assert message in result.stderr and "toolkit models import" in result.stderr
    assert "Traceback" not in result.output


def test_folder_without_weights_is_named(marian_model, tmp_path):
    folder = tmp_path / "noweights"
    folder.mkdir()
    (folder / "config.json").write_text((marian_model / "config.json").read_text())
    result = run("translate", "Hello.", "--to", "sq", "--model", folder)
    assert result.exit_code == 2 and "has no weights" in result.stderr


def test_an_empty_file_in_a_folder_is_set_aside_and_the_exit_is_2_unless_skip_bad(marian_model, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(ARTICLE, "utf-8")
    (tmp_path / "in" / "b.txt").write_text("\n", "utf-8")
    (tmp_path / "in" / "c.txt").write_text(ARTICLE, "utf-8")
    args = ["translate", tmp_path / "in", "--to", "sq", "--model", marian_model, "--out", tmp_path / "out"]
    for result, code in ((run(*args), 2), (run(*args, "--skip-bad"), 0)):
        assert result.exit_code == code, result.output
        assert f"  {tmp_path / 'in' / 'b.txt'}: the input is empty" in result.stderr.splitlines()
        assert sorted(p.name for p in (tmp_path / "out").glob("*.txt")) == ["a.sq.txt", "c.sq.txt"]
        rejects = [json.loads(line) for line in (tmp_path / "out" / "rejects.jsonl").read_text().splitlines()]
        assert [r["origin"] for r in rejects] == [str(tmp_path / "in" / "b.txt")]
    result = run("translate", tmp_path / "in" / "b.txt", "--to", "sq", "--model", marian_model)  # named: it stops
    assert result.exit_code == 2 and result.stderr == f"error: {tmp_path / 'in' / 'b.txt'}: the input is empty (pass a file or text that is not empty)\n"


def test_many_bad_files_in_a_folder_are_named_five_then_counted(marian_model, tmp_path, monkeypatch):
    """Standard output's rejects file gathers every run's: each run names its own bad files only."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(ARTICLE, "utf-8")
    for n in range(7):
        (tmp_path / "in" / f"empty{n}.txt").write_text(" \n", "utf-8")
    monkeypatch.chdir(tmp_path)
    for _ in range(2):
        result = run("translate", tmp_path / "in", "--to", "sq", "--model", marian_model, "--quiet")
        assert result.exit_code == 2, result.output
        lines = result.stderr.splitlines()
        assert lines[:7] == ["skipped 7 bad documents: see toolkit-rejects.jsonl",
                             *(f"  {tmp_path / 'in' / f'empty{n}.txt'}: the input is empty" for n in range(5)), "  and 2 more"]
        assert lines[-1].startswith("error: 7 files of the input folders could not be read, set aside in toolkit-rejects.jsonl")
    assert len((tmp_path / "toolkit-rejects.jsonl").read_text("utf-8").splitlines()) == 14


def test_outputs_cut_at_the_length_bound_are_reported(marian_model, tmp_path):
    # The tiny random model never produces its end token, so every output reaches the bound.
    out = tmp_path / "out.jsonl"
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": 1, "text": "Iran and Albania. The minister said."}\n', "utf-8")
    result = run("translate", source, "--to", "sq", "--model", marian_model, "--out", out)
    assert result.exit_code == 0, result.output
    assert "warning: 2 translated sentences (sq: 2) stopped at the output length bound" in result.stderr
    assert json.loads((tmp_path / "out.jsonl.manifest.json").read_text())["bound_reached"] == {"sq": 2}


def test_undecodable_csv_row_names_its_line(marian_model, tmp_path):
    source = tmp_path / "in.csv"
    source.write_bytes(b"id,text\n1,Iran and Albania.\n2,The \xff minister.\n")
    result = run("translate", source, "--to", "sq", "--model", marian_model, "--out", tmp_path / "out.csv")
    assert result.exit_code == 2 and "in.csv:3: bytes that are not UTF-8" in result.stderr
    result = run("translate", source, "--to", "sq", "--model", marian_model, "--out", tmp_path / "out.csv", "--errors", "replace")
    assert result.exit_code == 0, result.output
    assert len(list(csv.DictReader((tmp_path / "out.csv").open(encoding="utf-8")))) == 2


def test_a_job_stopped_by_a_bad_line_resumes_when_rerun_with_skip_bad(marian_model, tmp_path, monkeypatch):
    """The error names the line and says to pass --skip-bad; doing so goes on from the records the
    stopped run finished (they are not translated again), the bad line set aside."""
    monkeypatch.setenv("TOOLKIT_POOL_CHARS", "60")  # a pool a record: the records before the bad one are written
    lines = [json.dumps({"id": i, "text": f"The minister spoke on day {i}."}) for i in range(6)]
    lines[4] = "{not json"
    source = tmp_path / "news.jsonl"
    source.write_text("\n".join(lines) + "\n", "utf-8")
    out = tmp_path / "out.jsonl"
    stopped = run("translate", source, "--to", "sq", "--model", marian_model, "--out", out)
    assert stopped.exit_code == 2 and "news.jsonl:5: malformed JSON" in stopped.output and "--skip-bad" in stopped.output
    rerun = run("translate", source, "--to", "sq", "--model", marian_model, "--out", out, "--skip-bad")
    assert rerun.exit_code == 0, rerun.output
    done = re.search(r"translated (\d+) records .*; (\d+) were already done", rerun.stderr)
    assert done and int(done.group(2)) >= 1 and int(done.group(1)) + int(done.group(2)) == 5, rerun.stderr
    assert [json.loads(line)["id"] for line in out.read_text("utf-8").splitlines()] == [0, 1, 2, 3, 5]
