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


@pytest.mark.slow
def test_killed_job_resumes_without_loss_or_duplicates(marian_model, tmp_path):
    source = tmp_path / "news.jsonl"
    records = [{"id": i, "text": f"Iran and Albania cut diplomatic ties, report {i} said."} for i in range(120)]
    source.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "TOOLKIT_POOL_CHARS": "300"}  # checkpoint every few records
    command = _toolkit("translate", source, "--to", "sq", "--model", marian_model, "--out", out, env=env)
    progress = tmp_path / "out.jsonl.progress.json"

    job = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and job.poll() is None:
        if progress.exists() and json.loads(progress.read_text() or "{}").get("records", 0) >= 20:
            break
        time.sleep(0.05)
    assert job.poll() is None, "the job finished before it could be killed"
    job.send_signal(signal.SIGKILL)
    job.wait()
    done_before = json.loads(progress.read_text())["records"]
    assert 0 < done_before < len(records) and not out.exists()
    assert (tmp_path / "out.jsonl.lock").exists()  # left by the killed job: stale, taken over by the rerun

    rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{done_before} were already done" in rerun.stderr
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
