"""Every translated segment carries its flags, in every output of `toolkit translate`: the JSONL field,
the CSV column, the documents' sidecar (resumed without loss or duplicates), the end-of-job counts,
--fail-on-flags and --no-flags. The tiny random models loop, so their segments are flagged: the tests
check that the flags are the checker's own, each once, wherever they go."""

import csv
import json
import os
import signal
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.eval.segment_checks import SegmentChecker
from toolkit.translate.flagged import flags_text

from tests.translate.test_resume import _started

SENTENCES = ["The minister met 1,200 people in Tirana on Monday.", "Iran and Albania cut diplomatic ties.",
             "Prices rose by 5 percent, officials said.", "The talks would continue next week."]


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def _checked(entries: list[dict], target: str = "sq") -> list[list[dict]]:
    """What the checker itself says of each flagged segment (placeholders/glossary aside: none here)."""
    checker = SegmentChecker("en", target)
    return [[f.to_dict() for f in checker(e["source"], e["translation"])] for e in entries]


def test_jsonl_records_carry_each_segments_flags_merged_with_those_they_have(marian_model, tmp_path):
    source = tmp_path / "news.jsonl"
    records = [{"id": 1, "text": " ".join(SENTENCES[:2]), "flags": {"fa": [{"segment": 0}]}}, {"id": 2, "text": SENTENCES[2]}]
    source.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    result = run("translate", source, "--to", "sq", "--model", marian_model)
    assert result.exit_code == 0, result.output
    first, second = [json.loads(line) for line in result.stdout.splitlines()]
    entries = first["flags"]["sq"]
    assert entries and [e["flags"] for e in entries] == _checked(entries)
    assert [e["source"] for e in entries] == [s for s in SENTENCES[:2] if s in {e["source"] for e in entries}]
    assert all(e["translation"] in first["translations"]["sq"] for e in entries)
    assert first["flags"]["fa"] == [{"segment": 0}]  # an earlier job's language kept, as translations are
    assert [e["segment"] for e in second["flags"]["sq"]] in ([], [0])
    assert f"flagged {len(entries) + len(second['flags']['sq'])} translated segments" in result.stderr


def test_csv_rows_show_the_flags_of_each_target_as_text(marian_model, tmp_path):
    source = tmp_path / "news.csv"
    source.write_text("id,text\n" + "".join(f"{i},\"{s}\"\n" for i, s in enumerate(SENTENCES)), "utf-8")
    out = tmp_path / "out.csv"
    result = run("translate", source, "--to", "sq", "--model", marian_model, "--out", out)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == ["id", "text", "text_sq", "flags_sq"]
    checker = SegmentChecker("en", "sq")
    for row in rows:  # one sentence a row: the row's flags are its one segment's
        flags = [f.to_dict() for f in checker(row["text"], row["text_sq"])]
        assert row["flags_sq"] == flags_text([{"flags": flags}] if flags else [])
    assert any(row["flags_sq"] for row in rows)


def test_fail_on_flags_exits_3_after_writing_everything_and_no_flags_switches_the_checks_off(marian_model, tmp_path):
    source = tmp_path / "news.jsonl"
    source.write_text("".join(json.dumps({"id": i, "text": s}) + "\n" for i, s in enumerate(SENTENCES)), "utf-8")
    out = tmp_path / "out.jsonl"
    failed = run("translate", source, "--to", "sq", "--model", marian_model, "--out", out, "--fail-on-flags")
    assert failed.exit_code == 3, failed.output
    lines = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r["id"] for r in lines] == [0, 1, 2, 3]
    manifest = json.loads((tmp_path / "out.jsonl.manifest.json").read_text("utf-8"))
    flagged = sum(len(r["flags"]["sq"]) for r in lines)
    assert flagged and manifest["flags"]["segments"] == flagged
    for check, n in manifest["flags"].items():
        if check != "segments":
            assert n == sum(any(f["check"] == check for f in e["flags"]) for r in lines for e in r["flags"]["sq"])
            assert f"{check} {n}" in failed.stderr

    off = run("translate", source, "--to", "sq", "--model", marian_model, "--out", out, "--no-flags", "--fail-on-flags")
    assert off.exit_code == 0, off.output
    assert "translated 4 records" in off.stderr  # another job: its outputs differ
    assert all("flags" not in json.loads(line) for line in out.read_text("utf-8").splitlines())
    assert json.loads((tmp_path / "out.jsonl.manifest.json").read_text("utf-8"))["flags"] is None
    assert "flagged" not in off.stderr


def _folder(tmp_path, n: int):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(n):
        (folder / f"story{i:03}.txt").write_text(f"{SENTENCES[i % 4]} Report {i} said so.\n", "utf-8")
    return folder


def _sidecar(path) -> list[tuple]:
    return [(line["id"], line["segment"], line["lang"]) for line in map(json.loads, path.read_text("utf-8").splitlines())]


def test_a_text_or_markdown_documents_flags_name_the_line_each_segment_is_on(marian_model, tmp_path):
    """The sidecar names a plain document's part as a format's (paragraph, cue): its line, the same line
    in the source and the translation (the layout is kept line for line)."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "story.md").write_text(f"# {SENTENCES[0]}\n\n{SENTENCES[1]} {SENTENCES[2]}\n\n```\ncode\n```\n\n"
                                     f"| {SENTENCES[3]} | {SENTENCES[0]} |\n", "utf-8")
    (folder / "story.txt").write_text(f"\n\n{SENTENCES[2]}\n\n\n{SENTENCES[1]}\n", "utf-8")
    out = tmp_path / "out"
    result = run("translate", folder, "--to", "sq", "--model", marian_model, "--out", out, "--no-cache")
    assert result.exit_code == 0, result.output
    entries = [json.loads(line) for line in (out / "toolkit-flags.jsonl").read_text("utf-8").splitlines()]
    assert {e["id"] for e in entries} == {"story.md", "story.txt"}
    for e in entries:
        source = (folder / e["id"]).read_text("utf-8").splitlines()
        translation = (out / e["id"].replace(".", ".sq.")).read_text("utf-8").splitlines()
        number = int(e["part"].removeprefix("line "))
        assert e["source"] in source[number - 1] and e["translation"] in translation[number - 1], e


def test_document_outputs_write_a_sidecar_that_a_rerun_keeps_for_unchanged_documents(marian_model, tmp_path):
    folder = _folder(tmp_path, 3)
    out = tmp_path / "out"
    args = ["translate", folder, "--to", "sq", "--model", marian_model, "--out", out, "--no-cache"]
    first = run(*args)
    assert first.exit_code == 0, first.output
    sidecar = out / "toolkit-flags.jsonl"
    lines = [json.loads(line) for line in sidecar.read_text("utf-8").splitlines()]
    assert lines and {line["file"] for line in lines} <= {str(p) for p in folder.iterdir()}
    assert [line["flags"] for line in lines] == _checked(lines)
    assert f"see {sidecar}" in first.stderr
    manifest = json.loads((out / "toolkit-manifest.json").read_text("utf-8"))
    assert manifest["flags_file"] == str(sidecar) and manifest["flags"]["segments"] == len(lines)

    (folder / "story002.txt").write_text("Journalists were not allowed in. Officials said more.\n", "utf-8")
    rerun = run(*args)
    assert "translated 1 document into" in rerun.stderr, rerun.output
    again = [json.loads(line) for line in sidecar.read_text("utf-8").splitlines()]
    assert [x for x in again if x["id"] != "story002.txt"] == [x for x in lines if x["id"] != "story002.txt"]
    assert sorted(_sidecar(sidecar)) == sorted(set(_sidecar(sidecar)))
    assert json.loads((out / "toolkit-manifest.json").read_text("utf-8"))["flags"]["segments"] == len(again)
    unchanged = run(*args)  # the end-of-job line names the translated files, never the sidecar among them
    for result in (first, unchanged):
        [done] = [line for line in result.stderr.splitlines() if line.startswith("translated ")]
        assert str(sidecar) not in done, done
    assert done.endswith("3 were already done: no new files"), done


def test_a_single_document_to_a_named_file_has_its_sidecar_beside_it(marian_model, tmp_path):
    out = tmp_path / "story.sq.txt"
    result = run("translate", " ".join(SENTENCES), "--to", "sq", "--model", marian_model, "--out", out)
    assert result.exit_code == 0, result.output
    lines = _sidecar(tmp_path / "story.sq.txt.flags.jsonl")
    assert lines and [segment for _, segment, _ in lines] == sorted({segment for _, segment, _ in lines})


@pytest.mark.slow
def test_a_killed_folder_job_resumes_with_every_flagged_segment_once(marian_model, tmp_path):
    folder, out = _folder(tmp_path, 80), tmp_path / "out"
    env = {**os.environ, "TOOLKIT_POOL_CHARS": "300"}  # checkpoint every few documents
    command = [sys.executable, "-c", "from toolkit.cli import main; main()", "translate", str(folder), "--to", "sq",
               "--model", str(marian_model), "--out", str(out), "--no-cache"]
    job = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _started(job, out / ".toolkit-progress.json")
    assert job.poll() is None, "the job finished before it could be killed"
    job.send_signal(signal.SIGKILL)
    job.wait()
    rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0 and "already done" in rerun.stderr, rerun.stderr
    resumed = _sidecar(out / "toolkit-flags.jsonl")

    whole = tmp_path / "whole"
    fresh = subprocess.run(command[:-2] + [str(whole), "--no-cache"], env=env, capture_output=True, text=True, timeout=300)
    assert fresh.returncode == 0, fresh.stderr
    assert resumed == _sidecar(whole / "toolkit-flags.jsonl")  # nothing lost, nothing twice, in order
    counts = [json.loads((o / "toolkit-manifest.json").read_text("utf-8"))["flags"] for o in (out, whole)]
    assert counts[0] == counts[1] and counts[0]["segments"] == len(resumed)


def test_the_settings_file_can_switch_the_checks_off_and_a_bad_value_is_one_line(marian_model, tmp_path, monkeypatch):
    source = tmp_path / "news.jsonl"
    source.write_text(json.dumps({"id": 1, "text": SENTENCES[0]}) + "\n", "utf-8")
    config = tmp_path / "config.toml"
    monkeypatch.setenv("TOOLKIT_CONFIG", str(config))
    config.write_text("flags = false\n", "utf-8")
    off = run("translate", source, "--to", "sq", "--model", marian_model, "--fail-on-flags")
    assert off.exit_code == 0, off.output
    assert "flags" not in json.loads(off.stdout) and "flagged" not in off.stderr
    config = tmp_path / "bad.toml"  # the settings file is read once per process: another file
    config.write_text("flags = 3\n", "utf-8")
    monkeypatch.setenv("TOOLKIT_CONFIG", str(config))
    bad = run("translate", source, "--to", "sq", "--model", marian_model)
    assert bad.exit_code == 2 and bad.stderr.strip().splitlines() == [
        f"error: invalid value 3 for flags in config file {config} (must be true or false)"]
