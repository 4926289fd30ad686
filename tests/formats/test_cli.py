"""`toolkit translate` on subtitle and PO files with tiny real models: files of the same kind come
back, every part translated, nothing else changed; bad files are refused in one line."""

from __future__ import annotations

import json

import polib
from typer.testing import CliRunner

from tests.formats.test_subtitles import SRT, VTT, _structure
from toolkit.cli import app
from toolkit.formats.subtitles import TAG

runner = CliRunner()
PO = '''msgid ""
msgstr ""
"Language: en\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

#, python-format
msgid "The minister met %(count)s reporters."
msgstr ""

msgid "One article"
msgid_plural "%d articles"
msgstr[0] ""
msgstr[1] ""

msgid "Home"
msgstr "Kreu"
'''


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def _cue_texts(text: str) -> list[str]:
    return [line for line in text.splitlines() if line not in _structure(text)]


def test_a_folder_of_subtitles_and_po_files_comes_back_as_files_of_the_same_kind(marian_model, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "talk.srt").write_text(SRT, "utf-8", newline="")
    (src / "news.vtt").write_text(VTT, "utf-8")
    (src / "site.pot").write_text(PO, "utf-8")
    out = tmp_path / "out"
    result = run("translate", src, "--to", "sq", "--model", marian_model, "--out", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith((".", "toolkit"))) == \
        ["news.sq.vtt", "site.sq.po", "talk.sq.srt"]
    for name, source in (("talk.sq.srt", SRT), ("news.sq.vtt", VTT)):
        translated = (out / name).read_text("utf-8")
        assert _structure(translated) == _structure(source)  # numbers, timings, headers, notes, styles
        assert not set(_cue_texts(translated)) & set(_cue_texts(source))  # no text left behind untranslated
    catalog = polib.pofile(str(out / "site.sq.po"))
    assert catalog.metadata["Language"] == "sq"
    entries = {e.msgid: e for e in catalog}
    assert entries["Home"].msgstr == "Kreu" and "fuzzy" not in entries["Home"].flags  # already translated: kept
    assert "%(count)s" in entries["The minister met %(count)s reporters."].msgstr
    plural = entries["One article"]
    assert "fuzzy" in plural.flags and sorted(plural.msgstr_plural) == [0, 1] and "%d" in plural.msgstr_plural[1]


def test_bad_subtitle_files_are_refused_in_one_line(marian_model, tmp_path):
    junk = tmp_path / "junk.srt"
    junk.write_bytes(bytes(range(256)) * 4)
    text = tmp_path / "notes.srt"
    text.write_text("These are notes, not subtitles.\n", "utf-8")
    office = tmp_path / "report.xls"
    office.write_bytes(b"PK\x03\x04" + bytes(60))
    binary = tmp_path / "data.bin"
    binary.write_bytes(b"\x00\x01\x02binary")
    unknown = tmp_path / "notes.xyz"  # text, but of no kind toolkit knows: not guessed at
    unknown.write_text("The minister spoke.\n", "utf-8")
    no_extension = tmp_path / "NOTES"
    no_extension.write_bytes(b"\x00\x01\x02binary")
    for path, says in ((junk, "not a SubRip (.srt) file (bytes that are not UTF-8"),
                       (text, "not a SubRip (.srt) file (line 1 is neither a cue number nor a 'start --> end' timing)"),
                       (office, "report.xls: Excel 97-2003 documents (.xls) are not read; .xlsx documents are (convert it with "
                                 "LibreOffice: `soffice --headless --convert-to xlsx"),
                       (binary, "data.bin: not a document of a kind toolkit reads (its extension is .bin)"),
                       (unknown, "notes.xyz: not a document of a kind toolkit reads (its extension is .xyz) (give .txt, .md, "),
                       (no_extension, "NOTES: not a text file, nor a document of a kind toolkit reads (give .txt, .md, ")):
        result = run("translate", path, "--to", "sq", "--model", marian_model, "--out", tmp_path / "o")
        assert result.exit_code == 2, result.output
        assert says in result.output and "Traceback" not in result.output and len(result.output.splitlines()) == 1
        assert not (tmp_path / "o").exists()  # nothing written, not even an empty output folder


def test_in_a_folder_job_a_bad_file_goes_to_the_rejects_and_the_others_are_written(marian_model, tmp_path):
    """Without --skip-bad too: every bad file of the folder is set aside, named with its reason, the
    others are written, and the command exits 2; a rerun reuses the reject (still exit 2) until the
    file is fixed; with --skip-bad the same files, exit 0."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "good.srt").write_text(SRT, "utf-8")
    (src / "bad.srt").write_bytes(b"\xff\xfe\x00junk")
    (src / "bad.vtt").write_text("not a caption file\n", "utf-8")
    out = tmp_path / "out"
    args = ["translate", src, "--to", "sq", "--model", marian_model, "--out", out]
    rejects = out / "rejects.jsonl"

    def reasons() -> dict[str, str]:
        return {json.loads(line)["origin"]: json.loads(line)["reason"] for line in rejects.read_text("utf-8").splitlines()}

    result = run(*args)
    assert result.exit_code == 2, result.output
    assert (out / "good.sq.srt").exists() and not (out / "bad.sq.srt").exists() and not (out / "bad.sq.vtt").exists()
    assert "not a SubRip" in reasons()[str(src / "bad.srt")]
    assert "not a WebVTT (.vtt) file (it does not start with WEBVTT)" in reasons()[str(src / "bad.vtt")]
    lines = result.stderr.splitlines()
    for name in ("bad.srt", "bad.vtt"):  # one line each: the file and its reason
        assert sum(line.startswith(f"  {src / name}: {reasons()[str(src / name)]}") for line in lines) == 1, lines
    assert f"skipped 2 bad documents: see {rejects}" in lines
    assert lines[-1].startswith(f"error: 2 files of the input folders could not be read, set aside in {rejects}; the others are done")
    assert "--skip-bad" in lines[-1] and "Traceback" not in result.output
    written = (out / "good.sq.srt").stat().st_mtime_ns

    again = run(*args)  # nothing changed: nothing redone, the rejects reused, still exit 2
    assert again.exit_code == 2 and again.stderr.splitlines()[-1] == lines[-1], again.output
    assert "translated 0 documents" in again.stderr and (out / "good.sq.srt").stat().st_mtime_ns == written

    (src / "bad.srt").write_text(SRT, "utf-8")  # one fixed: it is translated, the other still set aside
    fixed = run(*args)
    assert fixed.exit_code == 2 and "translated 1 document into" in fixed.stderr, fixed.output
    assert (out / "bad.sq.srt").exists() and list(reasons()) == [str(src / "bad.vtt")]
    assert fixed.stderr.splitlines()[-1].startswith("error: 1 file of the input folders could not be read")

    (src / "bad.vtt").write_text(VTT, "utf-8")
    assert run(*args).exit_code == 0 and (out / "bad.sq.vtt").exists() and not rejects.exists()

    (src / "bad.vtt").write_text("not a caption file\n", "utf-8")
    skipping = run(*args, "--skip-bad")
    assert skipping.exit_code == 0, skipping.output
    assert list(reasons()) == [str(src / "bad.vtt")] and f"  {src / 'bad.vtt'}: " in skipping.stderr
    assert "error:" not in skipping.stderr


def test_persian_and_albanian_targets_from_one_subtitle_file(marian_model, m2m100_model, tmp_path):
    source = tmp_path / "talk.srt"
    source.write_text(SRT, "utf-8")
    out = tmp_path / "out"
    result = run("translate", source, "--to", "sq,fa", "--model", f"sq={marian_model}", "--model", f"fa={m2m100_model}",
                 "--out", out, "--line-length", "30")
    assert result.exit_code == 0, result.output
    for target in ("sq", "fa"):
        translated = (out / f"talk.{target}.srt").read_text("utf-8")
        assert _structure(translated) == _structure(SRT)
        assert all(len(TAG.sub("", line).removeprefix("\u200f")) <= 30 for line in _cue_texts(translated))  # tags take no room


def test_the_line_length_comes_from_the_settings_file_too(marian_model, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text("line_length = 12\n", "utf-8")
    monkeypatch.setenv("TOOLKIT_CONFIG", str(config))
    source = tmp_path / "talk.srt"
    source.write_text(SRT, "utf-8")
    result = run("translate", source, "--to", "sq", "--model", marian_model, "--out", tmp_path / "talk.sq.srt")
    assert result.exit_code == 0, result.output
    assert all(len(TAG.sub("", line)) <= 12 or " " not in line for line in _cue_texts((tmp_path / "talk.sq.srt").read_text("utf-8")))
    bad = tmp_path / "bad.toml"  # (the settings read a config file once)
    bad.write_text("line_length = 3\n", "utf-8")
    monkeypatch.setenv("TOOLKIT_CONFIG", str(bad))
    result = run("translate", source, "--to", "sq", "--model", marian_model, "--out", tmp_path / "again.srt")
    assert result.exit_code == 2 and "invalid value 3 for line_length in config file" in result.output


def test_one_document_without_out_is_written_beside_it_as_its_kind(marian_model, tmp_path):
    """One subtitle or PO file and no --out: `talk.sq.srt` (a template's translation `site.sq.po`)
    beside the input, which is left as it was; nothing on standard output, and the line on standard
    error names the file written."""
    (tmp_path / "talk.srt").write_text(SRT, "utf-8", newline="")
    (tmp_path / "site.pot").write_text(PO, "utf-8")
    for name, written in (("talk.srt", "talk.sq.srt"), ("site.pot", "site.sq.po")):
        before = (tmp_path / name).read_bytes()
        result = run("translate", tmp_path / name, "--to", "sq", "--model", marian_model)
        assert result.exit_code == 0, result.output
        assert result.stdout == "" and (tmp_path / written).is_file() and (tmp_path / name).read_bytes() == before
        assert "translated 1 document into sq (" in result.stderr and str(tmp_path / written) in result.stderr
    quiet = run("translate", tmp_path / "talk.srt", "--to", "sq", "--model", marian_model, "--quiet")
    assert quiet.exit_code == 0 and "translated 1 document" not in quiet.stderr
    assert _structure((tmp_path / "talk.sq.srt").read_text("utf-8")) == _structure(SRT)


def test_a_document_over_the_size_setting_is_refused_named_or_set_aside_in_a_folder(marian_model, tmp_path, monkeypatch):
    """«max_document_mb» bounds every document, a text file as it is and a zip once unzipped (a zip bomb
    is refused from its directory): named, one line and exit 2; in a folder, set aside and the rest done."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "log.txt").write_text("The minister spoke. " * 60_000, "utf-8")  # 1.2 MB
    (src / "talk.srt").write_text(SRT, "utf-8")
    monkeypatch.setenv("TOOLKIT_MAX_DOCUMENT_MB", "1")
    named = run("translate", src / "log.txt", "--to", "sq", "--model", marian_model, "--out", tmp_path / "one")
    assert named.exit_code == 2 and len(named.output.splitlines()) == 1
    assert "log.txt: a document of more than 1 MiB (split it into smaller documents, or raise the max_document_mb setting (TOOLKIT_MAX_DOCUMENT_MB))" in named.output
    assert not (tmp_path / "one").exists()
    folder = run("translate", src, "--to", "sq", "--model", marian_model, "--out", tmp_path / "out")
    assert folder.exit_code == 2 and (tmp_path / "out" / "talk.sq.srt").exists()
    assert not (tmp_path / "out" / "log.sq.txt").exists() and "a document of more than 1 MiB" in folder.stderr
    monkeypatch.setenv("TOOLKIT_MAX_DOCUMENT_MB", "0")
    bad = run("translate", src / "talk.srt", "--to", "sq", "--model", marian_model, "--out", tmp_path / "two")
    assert bad.exit_code == 2 and "invalid value '0' for max_document_mb in environment variable TOOLKIT_MAX_DOCUMENT_MB" in bad.output


def test_an_output_folder_of_an_earlier_run_inside_the_input_folder_is_not_input(marian_model, tmp_path):
    """talks/ translated into talks/fa/ (a folder the user chose), then talks/ again into another
    language: talks/fa/ holds toolkit's earlier output (its manifest says so), not new documents."""
    src = tmp_path / "talks"
    src.mkdir()
    (src / "talk.srt").write_text(SRT, "utf-8")
    assert run("translate", src, "--to", "sq", "--model", marian_model, "--out", src / "sq").exit_code == 2  # inside: refused
    first = run("translate", src / "talk.srt", "--to", "sq", "--model", marian_model, "--out", tmp_path / "sq")
    assert first.exit_code == 0, first.output
    (tmp_path / "sq").rename(src / "sq")  # the earlier run's output folder, moved beside the sources
    assert (src / "sq" / "toolkit-manifest.json").exists()
    result = run("translate", src, "--to", "sq", "--model", marian_model, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.srt")) == ["talk.sq.srt"]
    assert f"left out the output folder of an earlier run: {src / 'sq'}" in " ".join(result.stderr.split())


def test_translations_written_beside_their_sources_are_not_inputs_of_a_later_folder_run(marian_model, tmp_path):
    """A folder translated file by file (each translation beside its source), then as a whole: the
    earlier translations are not translated again (no page.sq.sq.html); a file merely named like
    one, with no source beside it, is an input as any other."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "talk.srt").write_text(SRT, "utf-8")
    (src / "notes.en.srt").write_text(SRT, "utf-8")  # no notes.srt: an input
    assert run("translate", src / "talk.srt", "--to", "sq", "--model", marian_model).exit_code == 0
    assert (src / "talk.sq.srt").exists()
    result = run("translate", src, "--to", "sq", "--model", marian_model, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if p.suffix == ".srt") == ["notes.en.sq.srt", "talk.sq.srt"]
    assert f"left out 1 earlier translation beside its source: {src / 'talk.sq.srt'}" in result.stderr
