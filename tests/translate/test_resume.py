"""A batch job killed with SIGKILL finishes on the rerun with every record exactly once."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest


def _toolkit(*args, env):
    return [sys.executable, "-c", "from toolkit.cli import main; main()", *map(str, args)]


def _news(tmp_path) -> tuple:
    """120 JSONL news records in ``news.jsonl``: the file and the records."""
    source = tmp_path / "news.jsonl"
    records = [{"id": i, "text": f"Iran and Albania cut diplomatic ties, report {i} said."} for i in range(120)]
    source.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    return source, records


def _started(job: subprocess.Popen, progress, records: int = 1) -> None:
    """Wait (at most 2 minutes) until the job's checkpoint counts ``records`` records, or the job ends
    (the earlier it is stopped, the wider the margin on a machine of any speed)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and job.poll() is None:
        if progress.exists() and json.loads(progress.read_text() or "{}").get("records", 0) >= records:
            break
        time.sleep(0.05)


@pytest.mark.slow
def test_killed_job_resumes_without_loss_or_duplicates(marian_model, tmp_path):
    source, records = _news(tmp_path)
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "TOOLKIT_POOL_CHARS": "300"}  # checkpoint every few records
    command = _toolkit("translate", source, "--to", "sq", "--model", marian_model, "--out", out, env=env)
    progress = tmp_path / "out.jsonl.progress.json"

    job = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _started(job, progress)
    assert job.poll() is None, "the job finished before it could be killed"
    job.send_signal(signal.SIGKILL)
    job.wait()
    done_before = json.loads(progress.read_text())["records"]
    assert 0 < done_before < len(records) and not out.exists()
    assert (tmp_path / "out.jsonl.lock").exists()  # left by the killed job: stale, taken over by the rerun

    rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"; {done_before} w" in rerun.stderr and "already done" in rerun.stderr  # was/were
    ids = [json.loads(line)["id"] for line in out.read_text("utf-8").splitlines()]
    assert ids == [r["id"] for r in records]
    assert not progress.exists() and not (tmp_path / "out.jsonl.partial").exists()
    assert not (tmp_path / "out.jsonl.lock").exists()


def test_changed_job_does_not_reuse_partial_output(marian_model, tmp_path):
    from typer.testing import CliRunner

    from toolkit.cli import app

    source = tmp_path / "news.jsonl"
    source.write_text('{"id": 1, "text": "Iran."}\n', "utf-8")
    out = tmp_path / "out.jsonl"
    (tmp_path / "out.jsonl.progress.json").write_text(json.dumps({"job": "other", "units": {}, "records": 1, "rejected": 0, "sizes": {}}))
    args = ["translate", str(source), "--to", "sq", "--model", str(marian_model), "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2 and "unfinished job with other inputs or settings" in result.stderr
    result = CliRunner().invoke(app, [*args, "--restart"])
    assert result.exit_code == 0 and len(out.read_text().splitlines()) == 1


def _stopped_job(marian_model, tmp_path, monkeypatch):
    """A job over a.jsonl and b.jsonl that stopped at a bad line of b.jsonl, after some of a.jsonl was
    written; the CLI command that runs it; b.jsonl fixed."""
    from typer.testing import CliRunner

    from toolkit.cli import app

    monkeypatch.setenv("TOOLKIT_POOL_CHARS", "50")  # a checkpoint every record or two
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text("".join(json.dumps({"id": i, "text": f"Iran and Albania cut ties {i}."}) + "\n" for i in range(3)), "utf-8")
    b.write_text('{"id": 9, "text": "The talks go on."}\nnot json\n', "utf-8")
    args = ["translate", str(a), str(b), "--to", "sq", "--model", str(marian_model), "--out", str(tmp_path / "out.jsonl"),
            "--no-cache"]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 2 and "malformed JSON" in first.stderr
    assert (tmp_path / "out.jsonl.progress.json").exists()
    b.write_text('{"id": 9, "text": "The talks go on."}\n{"id": 10, "text": "Prices rose."}\n', "utf-8")
    return lambda: CliRunner().invoke(app, args), a


@pytest.mark.parametrize("how", ["touch", "restored from a copy"])
def test_an_unchanged_input_with_a_new_time_does_not_block_the_resume(marian_model, tmp_path, monkeypatch, how):
    rerun, a = _stopped_job(marian_model, tmp_path, monkeypatch)
    stat = a.stat()
    if how == "touch":
        os.utime(a, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    else:
        copy = tmp_path / "copy.jsonl"
        copy.write_bytes(a.read_bytes())
        a.unlink()
        os.replace(copy, a)
        os.utime(a, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    result = rerun()
    assert result.exit_code == 0, result.output
    assert "were already done" in result.stderr
    ids = [json.loads(line)["id"] for line in (tmp_path / "out.jsonl").read_text("utf-8").splitlines()]
    assert ids == [0, 1, 2, 9, 10]


def test_an_input_changed_in_content_still_blocks_the_resume(marian_model, tmp_path, monkeypatch):
    rerun, a = _stopped_job(marian_model, tmp_path, monkeypatch)
    a.write_text(a.read_text("utf-8").replace("ties 0", "ties 7"), "utf-8")  # same size, other content
    result = rerun()
    assert result.exit_code == 2 and f"{a.resolve().as_posix()} changed" in result.stderr


def _records_line(i: int, text: str) -> str:
    return json.dumps({"id": i, "text": text}) + "\n"


def test_a_finished_job_rerun_redoes_exactly_the_changed_input(marian_model, tmp_path):
    """Three inputs, a bad line set aside in the first; the third changes: only its records are
    translated again, and the output of the other two (and their rejects) is kept byte for byte."""
    from typer.testing import CliRunner

    from toolkit.cli import app

    a, b, c = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "c.jsonl"
    a.write_text(_records_line(1, "Iran and Albania cut ties.") + "not json\n" + _records_line(2, "The talks go on."), "utf-8")
    b.write_text(_records_line(3, "Prices rose in the capital."), "utf-8")
    c.write_text(_records_line(4, "Journalists were not allowed in.") + _records_line(5, "The minister said so."), "utf-8")
    out = tmp_path / "out.jsonl"
    args = ["translate", str(a), str(b), str(c), "--to", "sq", "--model", str(marian_model), "--out", str(out),
            "--no-cache", "--skip-bad"]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.output
    rejects = tmp_path / "out.jsonl.rejects.jsonl"
    before, rejected, stamp = out.read_bytes(), rejects.read_bytes(), out.stat().st_mtime_ns

    same = CliRunner().invoke(app, args)  # nothing changed: nothing redone, the output left as it is
    assert same.exit_code == 0, same.output
    assert "translated 0 records" in same.stderr and "5 were already done" in same.stderr
    assert out.stat().st_mtime_ns == stamp and out.read_bytes() == before and rejects.read_bytes() == rejected

    c.write_text(_records_line(4, "Journalists were not allowed in.") + _records_line(6, "Officials said more."), "utf-8")
    changed = CliRunner().invoke(app, args)
    assert changed.exit_code == 0, changed.output
    assert "translated 2 records" in changed.stderr and "3 were already done" in changed.stderr
    lines = out.read_bytes().splitlines(keepends=True)
    assert b"".join(lines[:3]) == b"".join(before.splitlines(keepends=True)[:3])  # a and b: kept byte for byte
    assert [json.loads(line)["id"] for line in lines] == [1, 2, 3, 4, 6]
    assert rejects.read_bytes() == rejected
    manifest = json.loads((tmp_path / "out.jsonl.manifest.json").read_text("utf-8"))
    assert manifest["records"] == 5 and manifest["rejected"] == 1


def test_a_finished_folder_job_rerun_rewrites_only_the_changed_document(marian_model, tmp_path):
    from typer.testing import CliRunner

    from toolkit.cli import app

    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    (folder / "one.txt").write_text("Iran and Albania cut ties.\n", "utf-8")
    (folder / "two.txt").write_text("The talks go on.\n", "utf-8")
    args = ["translate", str(folder), "--to", "sq", "--model", str(marian_model), "--out", str(out), "--no-cache"]
    assert CliRunner().invoke(app, args).exit_code == 0
    [kept] = [p for p in out.rglob("*.txt") if p.name.startswith("one.")]
    stamp = kept.stat().st_mtime_ns
    (folder / "two.txt").write_text("Prices rose in the capital.\n", "utf-8")
    rerun = CliRunner().invoke(app, args)
    assert rerun.exit_code == 0, rerun.output
    assert "translated 1 document into" in rerun.stderr and "1 was already done" in rerun.stderr
    assert kept.stat().st_mtime_ns == stamp


@pytest.mark.slow
def test_sigterm_stops_a_job_like_ctrl_c_and_it_resumes(marian_model, tmp_path):
    """SIGTERM (timeout, systemd, Kubernetes) prints the same line as Ctrl-C, exit 143, and the rerun resumes."""
    source, records = _news(tmp_path)
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "TOOLKIT_POOL_CHARS": "300"}
    command = _toolkit("translate", source, "--to", "sq", "--model", marian_model, "--out", out, "--no-cache", env=env)
    progress = tmp_path / "out.jsonl.progress.json"
    job = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _started(job, progress)
    assert job.poll() is None, "the job finished before it could be stopped"
    job.send_signal(signal.SIGTERM)
    _, stderr = job.communicate(timeout=60)
    assert job.returncode == 143, stderr
    assert stderr.strip().splitlines()[-1] == "interrupted: finished results are saved; run the same command again to resume"
    rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0 and "already done" in rerun.stderr
    assert [json.loads(line)["id"] for line in out.read_text("utf-8").splitlines()] == [r["id"] for r in records]
