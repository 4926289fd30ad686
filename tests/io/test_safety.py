"""Nothing lost: outputs locked, inputs never overwritten, resumes by identity, every failure one
line and exit 2 before any model is loaded, honest records (issue 8, data safety)."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.permissions import enforced
from toolkit.cli import app

ARTICLE = "Iran and Albania cut diplomatic ties. The minister said the talks would continue.\n"
NO_MODEL = "./no-such-model-folder"  # a check that runs before model loading answers before this fails


def run(*args, env=None):
    result = CliRunner().invoke(app, [str(a) for a in args], env=env)
    assert "Traceback" not in result.output
    return result


def _error(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def _reports(path, count: int):
    """``count`` JSONL news records ("Report N: ...") written to ``path``."""
    path.write_text("".join(json.dumps({"id": i, "text": f"Report {i}: Iran and Albania cut ties."}) + "\n"
                            for i in range(count)), "utf-8")
    return path


def _folder(tmp_path, files: dict[str, str], name="in"):
    folder = tmp_path / name
    folder.mkdir()
    for rel, text in files.items():
        (folder / rel).write_text(text, "utf-8")
    return folder


# ---------------------------------------------------------------- 1. one job per output


@pytest.mark.slow
def test_a_second_job_on_the_same_output_is_refused_naming_the_running_one(marian_model, tmp_path):
    source = _reports(tmp_path / "big.jsonl", 1500)
    out = tmp_path / "conc.jsonl"
    command = [sys.executable, "-c", "from toolkit.cli import main; main()", "translate", str(source), "--to", "sq",
               "--model", str(marian_model), "--out", str(out), "--no-cache"]
    env = {**os.environ, "TOOLKIT_POOL_CHARS": "200"}
    first = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    progress = tmp_path / "conc.jsonl.progress.json"
    deadline = time.monotonic() + 120
    while not progress.exists() and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert first.poll() is None, "the first job ended before the second started"
    second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    first_err = first.communicate(timeout=300)[1]
    assert first.returncode == 0, first_err
    assert second.returncode == 2
    assert f"is being written by another job (pid {first.pid} on {socket.gethostname()})" in second.stderr
    assert len(second.stderr.strip().splitlines()) == 1
    assert [json.loads(line)["id"] for line in out.read_text("utf-8").splitlines()] == list(range(1500))
    assert not (tmp_path / "conc.jsonl.lock").exists()


def _held(path):
    from toolkit.io.files import OutputLock

    lock = OutputLock(path, path)
    lock.acquire()
    return lock


@pytest.mark.parametrize("kind", ["chain", "folder", "single"])
def test_chain_and_folder_outputs_are_locked_too(kind, tmp_path):
    folder = _folder(tmp_path, {"a.txt": ARTICLE})
    if kind == "chain":
        out = tmp_path / "out.jsonl"
        lock = _held(tmp_path / "out.jsonl.lock")
        args = ["chain", folder, "--method", "extractive", "--to", "sq", "--model", NO_MODEL, "--out", out]
    elif kind == "folder":
        out = tmp_path / "out"
        lock = _held(out / ".toolkit.lock")
        args = ["translate", folder, "--to", "sq", "--model", NO_MODEL, "--out", out]
    else:
        out = tmp_path / "t.txt"
        lock = _held(tmp_path / "t.txt.lock")
        args = ["translate", folder / "a.txt", "--to", "sq", "--model", NO_MODEL, "--out", out]
    try:
        result = run(*args)
    finally:
        lock.release()
    assert result.exit_code == 2
    assert f"{out} is being written by another job (pid {os.getpid()}" in _error(result)


def test_a_lock_left_by_a_dead_job_is_taken_over(marian_model, tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": 1, "text": "Iran."}) + "\n", "utf-8")
    lock = tmp_path / "out.jsonl.lock"
    lock.write_text(json.dumps({"pid": int(dead.stdout), "host": socket.gethostname()}))
    result = run("translate", source, "--to", "sq", "--model", marian_model, "--out", tmp_path / "out.jsonl")
    assert result.exit_code == 0, result.output
    assert not lock.exists() and len((tmp_path / "out.jsonl").read_text().splitlines()) == 1


# ---------------------------------------------------------------- 2. an output never replaces an input


@pytest.mark.parametrize("name", ["a.txt", "a.jsonl"])
def test_out_equal_to_the_input_is_refused(name, tmp_path):
    source = tmp_path / name
    content = ARTICLE if name.endswith(".txt") else json.dumps({"text": ARTICLE}) + "\n"
    source.write_text(content, "utf-8")
    result = run("translate", source, "--to", "sq", "--model", NO_MODEL, "--out", source)
    assert result.exit_code == 2 and "is also an input" in _error(result)
    assert source.read_text("utf-8") == content


@pytest.mark.parametrize("inside", ["", "translated"])
def test_an_output_folder_inside_the_input_folder_is_refused(inside, tmp_path):
    folder = _folder(tmp_path, {"a.txt": ARTICLE})
    result = run("translate", folder, "--to", "sq", "--model", NO_MODEL, "--out", folder / inside)
    assert result.exit_code == 2 and "inside the input folder" in _error(result)
    assert sorted(p.name for p in folder.iterdir()) == ["a.txt"]


@pytest.mark.parametrize("command", [["translate", "--to", "sq", "--model", NO_MODEL, "--json"],
                                     ["chain", "--steps", "summarize", "--method", "extractive"]])
@pytest.mark.parametrize("name", ["all.txt", "sub/all.jsonl"])
def test_an_output_file_inside_the_input_folder_is_refused(command, name, tmp_path):
    folder = _folder(tmp_path, {"a.txt": ARTICLE})
    result = run(command[0], folder, *command[1:], "--out", folder / name)
    assert result.exit_code == 2
    assert _error(result) == (f"error: the output {folder / name} is inside the input folder {folder}; the next run would "
                              "read it as input (write the output outside the input folder)")
    assert sorted(p.name for p in folder.iterdir()) == ["a.txt"]


# ---------------------------------------------------------------- 3. resume by identity


def _partial_run(tmp_path, marian_model, extra=()):
    """A job of a folder and a file that stops at the empty file c.txt (named: a bad document of a
    folder would be set aside) after the folder's a.txt (its own pool) is written."""
    folder = _folder(tmp_path, {"a.txt": ARTICLE})
    (tmp_path / "c.txt").write_text("\n", "utf-8")
    out = tmp_path / "out.jsonl"
    args = ["translate", folder, tmp_path / "c.txt", "--to", "sq", "--model", marian_model, "--json", "--out", out, *extra]
    env = {"TOOLKIT_POOL_CHARS": "10"}
    result = run(*args, env=env)
    assert result.exit_code == 2 and "c.txt: the input is empty" in result.stderr
    return folder, out, args, env


def test_a_file_added_after_a_failed_run_is_translated_once_and_nothing_is_dropped(marian_model, tmp_path):
    folder, out, args, env = _partial_run(tmp_path, marian_model)
    (folder / "0.txt").write_text("The talks would continue.\n", "utf-8")  # sorts before the finished a.txt
    (tmp_path / "c.txt").write_text(ARTICLE, "utf-8")  # fixed: not started, so it may change
    result = run(*args, env=env)
    assert result.exit_code == 0, result.output
    ids = [Path(json.loads(line)["id"]).name for line in out.read_text("utf-8").splitlines()]
    assert sorted(ids) == ["0.txt", "a.txt", "c.txt"]


def test_a_changed_input_is_refused_naming_it_and_restart_starts_over(marian_model, tmp_path):
    folder, out, args, env = _partial_run(tmp_path, marian_model)
    (folder / "a.txt").write_text(ARTICLE + "More text.\n", "utf-8")
    (tmp_path / "c.txt").write_text(ARTICLE, "utf-8")
    result = run(*args, env=env)
    assert result.exit_code == 2
    assert f"{(folder / 'a.txt').resolve()} changed" in _error(result) and "--restart" in _error(result)
    result = run(*args, "--restart", env=env)
    assert result.exit_code == 0, result.output
    assert sorted(Path(json.loads(line)["id"]).name for line in out.read_text("utf-8").splitlines()) == ["a.txt", "c.txt"]


def test_after_a_resume_the_manifest_counts_the_jobs_records(marian_model, tmp_path):
    folder, out, args, env = _partial_run(tmp_path, marian_model)
    (tmp_path / "c.txt").write_text(ARTICLE, "utf-8")
    result = run(*args, env=env)
    assert result.exit_code == 0, result.output
    assert "1 was already done" in result.stderr
    manifest = json.loads((tmp_path / "out.jsonl.manifest.json").read_text())
    assert manifest["records"] == 2 and manifest["bound_reached"]["sq"] > 0


# ---------------------------------------------------------------- 4. one line, exit 2, before any model work


def test_an_unreadable_file_alone_or_in_a_folder_even_with_skip_bad(tmp_path):
    folder = _folder(tmp_path, {"a.txt": ARTICLE, "b.txt": ARTICLE})
    (folder / "b.txt").chmod(0)
    with enforced():
        alone = run("translate", folder / "b.txt", "--to", "sq", "--model", NO_MODEL)
        in_folder = run("translate", folder, "--to", "sq", "--model", NO_MODEL, "--out", tmp_path / "out", "--skip-bad")
    for result in (alone, in_folder):
        assert result.exit_code == 2 and f"cannot read {folder / 'b.txt'}: Permission denied" in _error(result)


def test_out_in_a_read_only_folder_is_refused_before_loading_a_model(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"text": ARTICLE}) + "\n", "utf-8")
    locked = tmp_path / "ro"
    locked.mkdir()
    locked.chmod(0o555)
    for command in (["translate", source, "--to", "sq"], ["chain", source, "--method", "extractive", "--to", "sq"]):
        with enforced():
            result = run(*command, "--model", NO_MODEL, "--out", locked / "out.jsonl")
        assert result.exit_code == 2 and f"cannot write the output {locked / 'out.jsonl'}" in _error(result)


def test_a_jsonl_out_that_is_a_folder_is_refused(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"text": ARTICLE}) + "\n", "utf-8")
    (tmp_path / "out.jsonl").mkdir()
    result = run("translate", source, "--to", "sq", "--model", NO_MODEL, "--out", tmp_path / "out.jsonl")
    assert result.exit_code == 2 and "is a folder" in _error(result)


def test_skip_bad_with_an_unwritable_rejects_file_is_refused(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"text": ARTICLE}) + "\n", "utf-8")
    (tmp_path / "out.jsonl.rejects.jsonl").mkdir()  # cannot be appended to, even by root
    result = run("translate", source, "--to", "sq", "--model", NO_MODEL, "--out", tmp_path / "out.jsonl", "--skip-bad")
    assert result.exit_code == 2 and f"cannot write {tmp_path / 'out.jsonl.rejects.jsonl'}" in _error(result)


@pytest.mark.parametrize("command", [["translate", ARTICLE, "--to", "sq"], ["chain", ARTICLE, "--to", "sq"]])
@pytest.mark.parametrize("variable, value", [("TOOLKIT_BATCH_TOKENS", "0"), ("TOOLKIT_BATCH_TOKENS", "lots"),
                                             ("TOOLKIT_THREADS", "0"), ("TOOLKIT_POOL_CHARS", "-5")])
def test_environment_settings_are_checked_like_flags(command, variable, value):
    result = run(*command, "--model", NO_MODEL, env={variable: value})
    assert result.exit_code == 2
    assert f"invalid value '{value}'" in _error(result) and f"environment variable {variable}" in _error(result)


# ---------------------------------------------------------------- 5. honest records


def test_results_served_from_the_translation_memory_keep_their_bound_flag(marian_model, tmp_path):
    # The tiny random model never produces its end token: both sentences stop at the bound.
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": 1, "text": "Iran and Albania. The minister said."}) + "\n", "utf-8")
    for n in (1, 2):  # the second run is answered from the memory
        out = tmp_path / f"out{n}.jsonl"
        result = run("translate", source, "--to", "sq", "--model", marian_model, "--out", out)
        assert result.exit_code == 0, result.output
        assert "warning: 2 translated sentences (sq: 2) stopped at the output length bound" in result.stderr
        assert json.loads((tmp_path / f"out{n}.jsonl.manifest.json").read_text())["bound_reached"] == {"sq": 2}


def test_outputs_are_created_with_the_users_umask(marian_model, tmp_path):
    folder = _folder(tmp_path, {"a.txt": ARTICLE})
    (tmp_path / "in.jsonl").write_text(json.dumps({"text": ARTICLE}) + "\n", "utf-8")
    old = os.umask(0o022)
    try:
        assert run("translate", folder, "--to", "sq", "--model", marian_model, "--out", tmp_path / "out").exit_code == 0
        assert run("translate", tmp_path / "in.jsonl", "--to", "sq", "--model", marian_model,
                   "--out", tmp_path / "out.jsonl").exit_code == 0
    finally:
        os.umask(old)
    for path in (tmp_path / "out" / "a.sq.txt", tmp_path / "out" / "toolkit-manifest.json", tmp_path / "out.jsonl",
                 tmp_path / "out.jsonl.manifest.json"):
        assert path.stat().st_mode & 0o777 == 0o644, path


def test_the_done_message_names_the_files_really_written(marian_multi_model, tmp_path):
    (tmp_path / "art.md").write_text(ARTICLE, "utf-8")
    result = run("translate", tmp_path / "art.md", "--to", "fa,sq", "--model", marian_multi_model, "--out", tmp_path / "art.txt")
    assert result.exit_code == 0, result.output
    assert f"{tmp_path / 'art.fa.txt'}, {tmp_path / 'art.sq.txt'}" in result.stderr
    assert f"{tmp_path / 'art.txt'}," not in result.stderr and (tmp_path / "art.fa.txt").exists()


def test_a_translation_memory_made_before_the_bound_flag_is_migrated(tmp_path):
    import sqlite3

    from toolkit.translate.memory import TranslationMemory, _digest

    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as old:
        old.executescript("CREATE TABLE scopes (scope TEXT PRIMARY KEY, model TEXT NOT NULL, description TEXT NOT NULL);"
                          "CREATE TABLE segments (scope TEXT NOT NULL, source BLOB NOT NULL, translation TEXT NOT NULL,"
                          " PRIMARY KEY (scope, source)) WITHOUT ROWID;")
        old.execute("INSERT INTO segments VALUES (?, ?, ?)", ("s", _digest("Iran."), "Irani."))
    memory = TranslationMemory(path)
    assert memory.entries("s", ["Iran."]) == {"Iran.": ("Irani.", False)}
    memory.store("s", [("Albania.", "Shqipëria.", True)])
    assert memory.entries("s", ["Albania.", "Iran."]) == {"Albania.": ("Shqipëria.", True), "Iran.": ("Irani.", False)}


def test_a_corrected_segment_replaces_the_stored_one_and_is_not_bound(tmp_path):
    from toolkit.translate.memory import TranslationMemory

    memory = TranslationMemory(tmp_path / "tm.sqlite3")
    memory.store("s", [("Iran.", "Irani i gjatë i gjatë", True)])
    memory.correct("s", "Iran.", "Irani.")
    assert memory.entries("s", ["Iran."]) == {"Iran.": ("Irani.", False)}


# ---------------------------------------------------------------- names at the file system's limit


def test_an_input_named_near_the_file_name_limit_is_translated(marian_model, tmp_path):
    stem = "n" * (252 - len(".txt"))  # 252 bytes: its translation's name, stem.sq.txt, has 255
    folder = _folder(tmp_path, {stem + ".txt": ARTICLE})
    result = run("translate", folder, "--to", "sq", "--model", marian_model, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / f"{stem}.sq.txt").read_text("utf-8").strip()
    assert [p.name for p in (tmp_path / "out").iterdir() if p.name.endswith(".tmp")] == []


def test_an_input_whose_translation_name_would_be_too_long_is_refused_before_any_work(tmp_path):
    stem = "n" * (254 - len(".txt"))
    folder = _folder(tmp_path, {stem + ".txt": ARTICLE})
    result = run("translate", folder, "--to", "sq", "--model", NO_MODEL, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert _error(result) == (f"error: the translation of {folder / (stem + '.txt')} would be named {stem}.sq.txt, "
                              "257 bytes, over the file system's limit of 255 (give the input a shorter name)")


def test_a_rejects_file_whose_name_would_be_too_long_is_refused_naming_the_fix(tmp_path):
    source = tmp_path / ("n" * 248 + ".txt")
    source.write_text(ARTICLE, "utf-8")
    result = run("translate", source, "--to", "sq", "--model", NO_MODEL, "--skip-bad")
    assert result.exit_code == 2
    assert _error(result) == (f"error: the rejects file would be named {source.name}.rejects.jsonl, 266 bytes, over the "
                              "file system's limit of 255 (give the input a shorter name, or write to an output file (--out))")


@pytest.mark.parametrize("length", [241, 250])  # OUT.rejects.jsonl: 255 bytes, 264
def test_an_output_named_near_the_limit_works_or_is_refused_naming_its_side_file(marian_model, length, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": 1, "text": ARTICLE}) + "\n", "utf-8")
    out = tmp_path / ("o" * (length - len(".jsonl")) + ".jsonl")
    result = run("translate", source, "--to", "sq", "--model", marian_model, "--out", out)
    if length == 241:
        assert result.exit_code == 0, result.output
        assert json.loads(out.read_text("utf-8"))["id"] == 1
    else:
        assert result.exit_code == 2
        assert _error(result).startswith(f"error: the output's side file of {out} would be named {out.name}.")
        assert "(choose a shorter output name)" in result.stderr and not out.exists()


# ---------------------------------------------------------------- a full disk


def _fsize_limited(limit: int):
    def preexec() -> None:
        import resource
        import signal

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write over the limit fails with EFBIG, not a signal
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return preexec


@pytest.mark.slow
def test_a_file_size_limit_mid_job_is_one_line_and_the_job_resumes_byte_identical(marian_model, tmp_path):
    source = _reports(tmp_path / "news.jsonl", 40)
    env = {**os.environ, "TOOLKIT_POOL_CHARS": "200"}

    def translate(out, preexec=None):
        command = [sys.executable, "-c", "from toolkit.cli import main; main()", "translate", str(source), "--to", "sq",
                   "--model", str(marian_model), "--out", str(out), "--no-cache"]
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, preexec_fn=preexec)

    whole = translate(tmp_path / "whole.jsonl")  # first: it also converts the model for ct2 (a write of its own)
    assert whole.returncode == 0, whole.stderr
    out = tmp_path / "out.jsonl"
    stopped = translate(out, _fsize_limited(12000))  # a few pools of records with their flags (~900 bytes each)
    assert stopped.returncode == 2, stopped.stderr
    assert stopped.stderr.splitlines() == [
        f"error: cannot write {out}.partial: File too large (raise the file-size limit or free space there, then run "
        "the same command again: it resumes where it stopped)"]
    done_before = json.loads((tmp_path / "out.jsonl.progress.json").read_text())["records"]
    assert 0 < done_before < 40 and not out.exists()
    resumed = translate(out)
    assert resumed.returncode == 0, resumed.stderr
    assert f"; {done_before} w" in resumed.stderr and "already done" in resumed.stderr  # was/were
    assert out.read_bytes() == (tmp_path / "whole.jsonl").read_bytes()


@pytest.mark.slow
def test_standard_output_on_a_full_disk_is_one_line(marian_model, tmp_path):
    source = _reports(tmp_path / "news.jsonl", 40)
    command = [sys.executable, "-c", "from toolkit.cli import main; main()", "translate", str(source), "--to", "sq",
               "--model", str(marian_model), "--no-cache"]
    subprocess.run(command, stdout=subprocess.DEVNULL, check=True, timeout=300)  # first: converts the model for ct2
    with (tmp_path / "out.jsonl").open("wb") as stdout:
        stopped = subprocess.run(command, stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=300,
                                 env={**os.environ, "TOOLKIT_POOL_CHARS": "200"}, preexec_fn=_fsize_limited(4000))
    assert stopped.returncode == 2, stopped.stderr
    assert stopped.stderr.splitlines() == [
        "error: cannot write standard output: File too large (raise the file-size limit or free space there, then run "
        "the same command again)"]
