"""``toolkit summarize``, ``toolkit chain`` and ``toolkit prompts`` through the CLI."""

import json
from pathlib import Path

from typer.testing import CliRunner

from tests.corpus import corpus_file
from toolkit.cli import app

runner = CliRunner()
ARTICLE = ("The minister said the talks would continue next week in Tirana. "
           "Iran and Albania cut diplomatic ties in September 2022. "
           "More than 17,000 people were killed, officials said on Wednesday.\n")


def _error_line(result) -> str:
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("error: ")
    return lines[0]


def test_extractive_summary_of_the_corpus_article_offline():
    path = corpus_file("mehr-iran-albania-2022.txt")
    result = runner.invoke(app, ["summarize", str(path), "--method", "extractive", "--sentences", "2"])
    assert result.exit_code == 0, result.output
    assert not result.stderr  # sentences taken from the article state nothing it does not
    summary = result.output.strip()
    source = path.read_text("utf-8")
    assert summary[:60] in source and summary[-60:] in source
    assert "captcha" not in result.output and "News Code" not in result.output


def test_summary_from_stdin_and_html(tmp_path):
    result = runner.invoke(app, ["summarize", "-", "--method", "extractive", "--max-words", "15"], input=ARTICLE)
    assert result.exit_code == 0, result.output
    assert len(result.output.split()) <= 15
    page = tmp_path / "page.html"
    body = "".join(f"<p>{s}.</p>" for s in ARTICLE.split(". ")) * 3
    page.write_text(f"<html><body><nav>Home | World</nav><article>{body}</article></body></html>", "utf-8")
    result = runner.invoke(app, ["summarize", str(page), "--method", "extractive", "--from", "en"])
    assert result.exit_code == 0, result.output
    assert "Tirana" in result.output and "Home" not in result.output


def test_summarize_and_translate_as_json(bart_model, marian_multi_model, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, "utf-8")
    result = runner.invoke(app, ["summarize", str(path), "--summary-model", str(bart_model), "--from", "en", "--to", "fa,sq",
                                 "--model", str(marian_multi_model), "--max-words", "10", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert list(data["summary"]) == ["en", "fa", "sq"]
    assert data["manifest"]["summarizer"]["model"]["model_id"] == str(bart_model)
    assert list(data["summary_flags"]) == ["en"]  # the summary in the article's language, checked against it
    for item in data["summary_flags"]["en"]:
        assert item["text"] in data["summary"]["en"] and {f["check"] for f in item["flags"]} <= {"numbers", "names"}
    assert set(data["flags"]) == {"fa", "sq"}  # the summary's translations, checked sentence by sentence
    for lang, entries in data["flags"].items():
        assert all(e["translation"] in data["summary"][lang] and e["source"] in data["summary"]["en"] for e in entries)
    text = runner.invoke(app, ["summarize", str(path), "--summary-model", str(bart_model), "--from", "en", "--to", "sq",
                               "--model", str(marian_multi_model), "--max-words", "10"])
    assert text.exit_code == 0, text.output
    warned = [line for line in text.stderr.splitlines() if line.startswith("warning: translated sentence")]
    assert warned and len(warned) == len(data["flags"]["sq"]) and all("(sq) is flagged: " in line for line in warned)


def test_summary_sentences_stating_what_the_article_does_not_are_listed(capsys):
    from toolkit.chain.process import ChainResult, summary_flags
    from toolkit.cli.chain import _print_result

    summary = "Iran and Albania cut ties in September 2022. Ilir Meta said 25 people were killed in Tirana."
    flags = {"en": summary_flags(ARTICLE, summary, "en")}
    result = ChainResult("a", "en", {"en": summary}, {}, {}, flags)
    _print_result(result, as_json=False)
    out, err = capsys.readouterr()
    assert out == summary + "\n"
    assert err == ("warning: summary sentence 2 (en) states what the article does not: numbers not in the article: 25; "
                   "names not in the article: Ilir, Meta\n")
    _print_result(result, as_json=True)
    assert json.loads(capsys.readouterr().out)["summary_flags"]["en"][0]["sentence"] == 1


def test_chain_batch_to_file(bart_model, marian_multi_model, m2m100_model, tmp_path):
    for name in ("a", "b"):
        (tmp_path / f"{name}.txt").write_text(ARTICLE, "utf-8")
    out = tmp_path / "out.jsonl"
    args = ["chain", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--from", "en", "--summary-model", str(bart_model),
            "--model", f"fa={m2m100_model}", "--model", f"sq={marian_multi_model}", "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert len(rows) == 2 and all(list(r["summary"]) == ["en", "fa", "sq"] for r in rows)
    assert rows[0]["manifest"]["translators"]["en-fa"]["model_id"] == str(m2m100_model)


def test_chain_counts_its_flagged_translations_and_fails_on_them_when_asked(marian_model, tmp_path):
    """The tiny random model's translations are flagged: the count is printed by check, as translate
    prints it, and --fail-on-flags exits 3 after writing every result."""
    (tmp_path / "a.txt").write_text(ARTICLE, "utf-8")
    out = tmp_path / "out.jsonl"
    args = ["chain", str(tmp_path / "a.txt"), "--from", "en", "--method", "extractive", "--sentences", "2", "--to", "sq",
            "--model", str(marian_model), "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    flagged = sum(len(entries) for entries in json.loads(out.read_text("utf-8"))["flags"].values())
    assert flagged and f"flagged {flagged} translated segments (" in result.stderr
    failed = runner.invoke(app, [*args, "--fail-on-flags"])  # the finished job: nothing redone, the same verdict
    assert failed.exit_code == 3 and f"flagged {flagged} translated segments (" in failed.stderr
    assert len(out.read_text("utf-8").splitlines()) == 1
    quiet = runner.invoke(app, [*args, "--no-flags", "--fail-on-flags"])
    assert quiet.exit_code == 0 and "translated segments" not in quiet.stderr


def test_bad_input_is_one_line_and_exit_2(tmp_path, marian_multi_model):
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", "utf-8")
    result = runner.invoke(app, ["summarize", str(empty), "--method", "extractive"])
    assert result.exit_code == 2 and "empty" in _error_line(result)
    furniture = tmp_path / "f.txt"
    furniture.write_text("Share this\nNews Code 123\n", "utf-8")
    result = runner.invoke(app, ["summarize", str(furniture), "--method", "extractive"])
    assert result.exit_code == 2 and "page furniture" in _error_line(result)
    result = runner.invoke(app, ["chain", ARTICLE, "--steps", "summarize,transl:fa"])
    assert result.exit_code == 2 and "unknown step 'transl:fa'" in _error_line(result)
    result = runner.invoke(app, ["summarize", ARTICLE, "--from", "en", "--summary-model", str(marian_multi_model)])
    assert result.exit_code == 2 and "cannot summarise" in _error_line(result)


def test_summarize_and_chain_say_which_earlier_translations_of_a_folder_they_leave_out(tmp_path):
    """As translate does: a translation written beside its source is no article of its own."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, "utf-8")
    (folder / "a.fa.txt").write_text(ARTICLE, "utf-8")  # as `toolkit translate a.txt --to fa` writes it
    extractive = ["--from", "en", "--method", "extractive", "--sentences", "1"]
    for command in (["summarize", str(folder), *extractive, "--json"], ["chain", str(folder), *extractive, "--steps", "summarize"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 0, result.output
        assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a.txt"]
        assert f"left out 1 earlier translation beside its source: {folder / 'a.fa.txt'}" in result.stderr, command


def test_a_bad_file_in_a_folder_is_set_aside_the_others_are_summarised_and_the_exit_is_2(tmp_path, monkeypatch):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, "utf-8")
    (folder / "b.docx").write_bytes(b"plain text, not a zip")
    (folder / "c.srt").write_text("not subtitles\n", "utf-8")
    monkeypatch.chdir(tmp_path)  # without --out the rejects go to the current folder
    out = tmp_path / "out.jsonl"
    extractive = ["--from", "en", "--method", "extractive", "--sentences", "1"]
    chained = runner.invoke(app, ["chain", str(folder), *extractive, "--steps", "summarize", "--out", str(out)])
    summarised = runner.invoke(app, ["summarize", str(folder), *extractive])
    assert chained.exit_code == summarised.exit_code == 2, chained.output + summarised.output
    assert [json.loads(line)["id"] for line in out.read_text("utf-8").splitlines()] == ["a.txt"]
    assert summarised.stdout.strip() in ARTICLE  # a.txt's summary
    for result, rejects in ((chained, out.with_name("out.jsonl.rejects.jsonl")), (summarised, Path("toolkit-chain.rejects.jsonl"))):
        origins = [json.loads(line)["origin"] for line in rejects.read_text("utf-8").splitlines()]
        assert origins == [str(folder / "b.docx"), str(folder / "c.srt")]
        lines = result.stderr.splitlines()
        assert any(line.startswith(f"  {folder / 'b.docx'}: ") and "not a Word" in line for line in lines), lines
        assert any(line.startswith(f"  {folder / 'c.srt'}: ") and "not a SubRip" in line for line in lines), lines
        assert lines[-1].startswith(f"error: 2 files of the input folders could not be read, set aside in {rejects}")
    assert "--skip-bad" in chained.stderr.splitlines()[-1] and "--skip-bad" not in summarised.stderr  # summarize has none


def test_prompts_list_and_show(tmp_path):
    result = runner.invoke(app, ["prompts", "list"])
    assert result.exit_code == 0
    assert "summarize-news" in result.output and "{max_words}" in result.output
    result = runner.invoke(app, ["prompts", "show", "t5-summarize"])
    assert result.output.strip() == "summarize: {text}"
    result = runner.invoke(app, ["prompts", "show", "missing"])
    assert result.exit_code == 2 and "no prompt named 'missing'" in _error_line(result)


def test_a_translation_model_without_anything_to_translate_names_the_summary_model_option(bart_model):
    # --model is the translation model: without --to it would be silently ignored and the default
    # summariser loaded in its place.
    result = runner.invoke(app, ["summarize", "-", "--from", "en", "--model", str(bart_model)], input=ARTICLE)
    assert result.exit_code == 2
    assert "--summary-model" in _error_line(result) and "--to" in _error_line(result)
    steps = runner.invoke(app, ["chain", "-", "--from", "en", "--steps", "summarize", "--model", str(bart_model)], input=ARTICLE)
    assert steps.exit_code == 2 and "--summary-model" in _error_line(steps)


def test_a_sentence_the_article_repeats_is_summarised_once(tmp_path):
    lead = "The minister said on Monday that the talks with the opposition would continue next week in Tirana."
    article = tmp_path / "dup.txt"
    article.write_text("\n\n".join(f"{lead} Paragraph {i} adds that the vote counting had been slow in several cities."
                                   for i in range(6)), "utf-8")
    result = runner.invoke(app, ["summarize", str(article), "--method", "extractive"])
    assert result.exit_code == 0, result.output
    assert result.output.count(lead) == 1 and "Paragraph 0 adds" in result.output, result.output
