"""--engine ray: the local runner's records, on a local Ray started once for the module.

Every job here runs on one local Ray (2 CPUs, loopback, no dashboard) whose workers see their own
toolkit cache folder (the node-local translation memory) and never the hub.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Callable

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.translate.flagged import flags_text

ray = pytest.importorskip("ray")  # in the dev extra; CI always has it

TEXTS = [
    "The minister said the talks would continue next week in Tirana.",
    "Iran and Albania cut diplomatic ties in September 2022.\nDr. Smith arrived at 5 p.m. and met the U.S. ambassador.",
    "Prices of bread, fuel and housing rose by 12 percent in the capital last year. The United Nations called for calm.",
    "Journalists were not allowed to enter the building, the agency reported.",
]


@pytest.fixture(scope="module")
def local_ray(tmp_path_factory):
    node_cache = tmp_path_factory.mktemp("ray-node-cache")
    env = {"TOOLKIT_CACHE_DIR": str(node_cache), "TOOLKIT_DEVICE": "cpu", "HF_HUB_OFFLINE": "1",
           "HF_HUB_CACHE": os.environ["HF_HUB_CACHE"]}
    ray.init(num_cpus=2, include_dashboard=False, _node_ip_address="127.0.0.1", log_to_driver=False,
             runtime_env={"env_vars": env})
    yield node_cache
    ray.shutdown()


def _jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def _corpus(n: int) -> list[dict]:
    return [{"id": f"a{i}", "text": f"{TEXTS[i % len(TEXTS)]} Report {i}.", "section": "world"} for i in range(n)]


def _translate(*args) -> "CliRunner.invoke":
    return CliRunner().invoke(app, ["translate", *map(str, args)])


@pytest.mark.slow
def test_same_records_as_the_local_runner(local_ray, marian_multi_model, tmp_path, monkeypatch):
    monkeypatch.setenv("TOOLKIT_POOL_CHARS", "400")  # several pools: several blocks, both actors busy
    source = _jsonl(tmp_path / "news.jsonl", _corpus(24))
    local, distributed = tmp_path / "local.jsonl", tmp_path / "ray.jsonl"
    # Without the memory, each record's translation depends only on its pool (the same pools, so the
    # same batches, on both engines). With it, a segment another actor already stored is looked up
    # rather than batched, and int8 batches with other padding may differ in near-ties.
    common = [source, "--to", "sq,fa", "--model", marian_multi_model, "--quiet", "--no-cache"]  # >>sqi<<, >>pes<<
    result = _translate(*common, "--out", local)
    assert result.exit_code == 0, result.stderr
    result = _translate(*common, "--out", distributed, "--engine", "ray", "--actors", "2", "--cpus-per-actor", "0.75")
    assert result.exit_code == 0, result.stderr
    assert distributed.read_text("utf-8") == local.read_text("utf-8")
    records = [json.loads(line) for line in distributed.read_text("utf-8").splitlines()]
    assert [r["id"] for r in records] == [f"a{i}" for i in range(24)]
    assert records[0]["dir"] == {"sq": "ltr", "fa": "rtl"} and records[0]["section"] == "world"
    manifest = json.loads((tmp_path / "ray.jsonl.manifest.json").read_text())
    assert manifest["engine"] == "ray" and manifest["records"] == 24 and set(manifest["models"]) == {"sq", "fa"}

    # A rerun of the finished job skips it and leaves the output as it is.
    before = distributed.stat().st_mtime_ns
    rerun = _translate(*[a for a in common if a != "--quiet"], "--out", distributed, "--engine", "ray")
    assert rerun.exit_code == 0 and "24 were already done" in rerun.stderr
    assert distributed.stat().st_mtime_ns == before


@pytest.mark.slow
@pytest.mark.parametrize("first, then", [("local", "ray"), ("ray", "local")])
def test_a_job_stopped_on_one_engine_goes_on_on_the_other(local_ray, marian_model, tmp_path, monkeypatch, first, then):
    """One translation job for both engines: stopped on one, resumed on the other, nothing done
    twice, and the output is byte for byte an uninterrupted run's."""
    # One record a pool: a record's translation does not depend on which records share its batch.
    monkeypatch.setenv("TOOLKIT_POOL_CHARS", "1")
    a = _jsonl(tmp_path / "a.jsonl", _corpus(6))
    fixed = [{"id": "b0", "text": TEXTS[1]}, {"id": "b1", "text": TEXTS[2]}]
    b = _jsonl(tmp_path / "b.jsonl", [{**fixed[0], "translations": "not an object"}, fixed[1]])  # stops the job at b0
    engines = {"local": [], "ray": ["--engine", "ray", "--actors", "1"]}
    common = [a, b, "--to", "sq", "--model", marian_model, "--no-cache"]
    out = tmp_path / "out.jsonl"

    stopped = _translate(*common, "--out", out, *engines[first])
    assert stopped.exit_code == 2 and "the field 'translations' is not an object" in stopped.stderr
    assert not out.exists() and len((tmp_path / "out.jsonl.partial").read_text("utf-8").splitlines()) == 6

    _jsonl(b, fixed)  # b was not started: it may be fixed
    resumed = _translate(*common, "--out", out, *engines[then])
    assert resumed.exit_code == 0, resumed.stderr
    assert "translated 2 records" in resumed.stderr and "6 were already done" in resumed.stderr

    uninterrupted = tmp_path / "uninterrupted.jsonl"
    assert _translate(*common, "--out", uninterrupted, *engines[first]).exit_code == 0
    assert out.read_bytes() == uninterrupted.read_bytes()


@pytest.mark.slow
def test_a_finished_job_rerun_redoes_exactly_the_changed_input(local_ray, marian_model, tmp_path, monkeypatch):
    """As on the local runner: a changed input is translated again, the other's output kept byte for byte."""
    monkeypatch.setenv("TOOLKIT_POOL_CHARS", "200")
    a = _jsonl(tmp_path / "a.jsonl", _corpus(6))
    b = _jsonl(tmp_path / "b.jsonl", [{"id": "b0", "text": TEXTS[0]}, {"id": "b1", "text": TEXTS[3]}])
    out = tmp_path / "out.jsonl"
    args = [a, b, "--to", "sq", "--model", marian_model, "--out", out, "--no-cache", "--engine", "ray", "--actors", "1"]
    assert _translate(*args).exit_code == 0
    before = out.read_bytes().splitlines(keepends=True)
    _jsonl(b, [{"id": "b0", "text": TEXTS[0]}, {"id": "b2", "text": TEXTS[1]}])
    rerun = _translate(*args)
    assert rerun.exit_code == 0, rerun.stderr
    assert "translated 2 records" in rerun.stderr and "6 were already done" in rerun.stderr
    after = out.read_bytes().splitlines(keepends=True)
    assert after[:6] == before[:6] and [json.loads(line)["id"] for line in after[6:]] == ["b0", "b2"]


def test_each_pool_is_its_own_block(local_ray, tmp_path):
    """Pools reach the actors one block each, so that actors share a file's work and the runner
    writes (and checkpoints) pool by pool; Ray Data merges a read task's output blocks unless told not to."""
    from toolkit.distributed.reading import records_dataset
    from toolkit.io.inputs import InputOptions, classify, read_items
    from toolkit.io.jobs import item_chars, pooled

    inputs = classify([str(_jsonl(tmp_path / "news.jsonl", _corpus(40)))], InputOptions())
    pools = len(list(pooled(read_items(inputs), item_chars, 400)))
    assert pools > 5
    assert records_dataset(inputs, 400, {}).materialize().num_blocks() == pools


def _pids(matches: Callable[[Path], bool]) -> list[int]:
    """Process ids of this machine's processes whose /proc entry ``matches``."""
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and matches(entry):
                pids.append(int(entry.name))
        except OSError:
            continue
    return pids


def _map_workers() -> list[int]:
    """Process ids of this machine's Ray Data actor processes (named ray::MapWorker(...))."""
    return _pids(lambda entry: (entry / "cmdline").read_bytes().startswith(b"ray::MapWorker"))


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="finds the actor's process in /proc")
def test_killed_actor_every_record_exactly_once(local_ray, marian_model, tmp_path):
    from toolkit.distributed import ClusterOptions, run_ray_translation
    from toolkit.translate.job import TranslationJob

    records = _corpus(400)
    source = _jsonl(tmp_path / "news.jsonl", records)
    out = tmp_path / "out.jsonl"
    progress = tmp_path / "out.jsonl.progress.json"
    # Pools of about ten records on the slower hf backend: dozens of blocks, so the actor is still busy when killed.
    job = TranslationJob(targets=("sq",), models=(str(marian_model),), backend="hf", memory=False, pool_chars=1200,
                         out=out)
    outcome: dict = {}

    def run():
        try:
            outcome["summary"] = run_ray_translation([str(source)], job, ClusterOptions())
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            outcome["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 240
    killed = None
    while time.monotonic() < deadline and thread.is_alive():
        written = json.loads(progress.read_text() or '{"records": 0}').get("records", 0) if progress.exists() else 0
        if written >= 5:
            workers = _map_workers()
            if workers:
                killed, written_before = workers[0], written
                os.kill(killed, signal.SIGKILL)
                break
        time.sleep(0.02)
    thread.join(timeout=300)
    assert "error" not in outcome, outcome.get("error")
    assert killed is not None, "the job finished before its actor could be killed"
    assert written_before < len(records)  # killed mid-job, with pools written and pools to come
    assert killed not in _map_workers()
    ids = [json.loads(line)["id"] for line in out.read_text("utf-8").splitlines()]
    assert ids == [r["id"] for r in records]
    assert outcome["summary"].records == len(records)


@pytest.mark.slow
def test_csv_and_parquet_keep_their_columns(local_ray, marian_model, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    csv_in = tmp_path / "news.csv"
    csv_in.write_text("id,text,section\n" + "".join(f'{i},"{t}",world\n' for i, t in enumerate(TEXTS)), "utf-8")
    local, distributed = tmp_path / "local.csv", tmp_path / "ray.csv"
    common = [csv_in, "--to", "sq", "--model", marian_model, "-q", "--no-cache"]
    result = _translate(*common, "--out", local)
    assert result.exit_code == 0, result.stderr
    result = _translate(*common, "--out", distributed, "--engine", "ray")
    assert result.exit_code == 0, result.stderr
    assert distributed.read_text("utf-8") == local.read_text("utf-8")
    assert distributed.read_text("utf-8").splitlines()[0] == "id,text,section,text_sq,flags_sq"

    table = pa.table({"id": pa.array(range(len(TEXTS)), pa.int64()), "text": TEXTS, "views": [1.5, 2.0, None, 4.25]})
    pq.write_table(table, tmp_path / "news.parquet")
    out = tmp_path / "out.parquet"
    result = _translate(tmp_path / "news.parquet", "--to", "sq", "--model", marian_model, "--out", out, "-q",
                        "--no-cache", "--engine", "ray")
    assert result.exit_code == 0, result.stderr
    back = pq.read_table(out)
    assert back.column_names == ["id", "text", "views", "translations", "dir", "flags"]
    assert back.schema.field("id").type == pa.int64() and back.column("views").to_pylist() == [1.5, 2.0, None, 4.25]
    with local.open(encoding="utf-8", newline="") as f:
        local_rows = list(csv.DictReader(f))
    assert [t["sq"] for t in back.column("translations").to_pylist()] == [row["text_sq"] for row in local_rows]
    assert back.column("dir").to_pylist() == [{"sq": "ltr"}] * len(TEXTS)
    flags = [f["sq"] for f in back.column("flags").to_pylist()]  # typed: per target, the flagged segments
    assert [flags_text(f) for f in flags] == [row["flags_sq"] for row in local_rows] and any(flags)


@pytest.mark.slow
def test_bad_input_as_the_local_runner(local_ray, marian_model, tmp_path):
    lines = [json.dumps({"id": 1, "text": TEXTS[0]}), "{not json", json.dumps({"id": 3, "body": "no text"}),
             json.dumps({"id": 4, "text": TEXTS[1]})]
    source = tmp_path / "bad.jsonl"
    source.write_text("\n".join(lines) + "\n", "utf-8")
    common = [source, "--to", "sq", "--model", marian_model, "-q"]

    local = _translate(*common, "--out", tmp_path / "local.jsonl")
    distributed = _translate(*common, "--out", tmp_path / "ray.jsonl", "--engine", "ray")
    assert local.exit_code == distributed.exit_code == 2
    error = [line for line in local.stderr.splitlines() if line.startswith("error:")]
    assert error == [f"error: {source}:2: malformed JSON (Expecting property name enclosed in double quotes: line 1 "
                     "column 2 (char 1)) (fix the line, or pass --skip-bad to write it to a rejects file and go on)"]
    assert [line for line in distributed.stderr.splitlines() if line.startswith("error:")] == error

    local = _translate(*common, "--out", tmp_path / "local.jsonl", "--skip-bad")
    distributed = _translate(*common, "--out", tmp_path / "ray.jsonl", "--skip-bad", "--engine", "ray")
    assert local.exit_code == distributed.exit_code == 0, distributed.stderr
    assert (tmp_path / "ray.jsonl").read_text("utf-8") == (tmp_path / "local.jsonl").read_text("utf-8")
    rejects = (tmp_path / "ray.jsonl.rejects.jsonl").read_text("utf-8")
    assert rejects == (tmp_path / "local.jsonl.rejects.jsonl").read_text("utf-8")
    assert [json.loads(r)["origin"] for r in rejects.splitlines()] == [f"{source}:2", f"{source}:3"]
    assert "no text field 'text' (fields: id, body)" in rejects
    assert "skipped 2 bad records" in distributed.stderr

    # The actors used their node's own translation memory, not the driver's.
    from toolkit.translate.memory import TranslationMemory

    node_memory = TranslationMemory(local_ray / "translation-memory.sqlite3")
    assert sum(scope.segments for scope in node_memory.stats()) >= 3


def test_without_ray_one_line_naming_the_extra(marian_model, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # as if Ray were not installed
    monkeypatch.setitem(sys.modules, "ray.data", None)
    source = _jsonl(tmp_path / "news.jsonl", _corpus(2))
    result = _translate(source, "--to", "sq", "--model", marian_model, "--engine", "ray")
    assert result.exit_code == 2
    assert result.stderr == "error: the ray engine needs Ray Data, which is not installed (pip install 'toolkit[ray]')\n"
    result = CliRunner().invoke(app, ["chain", str(source), "--to", "sq", "--engine", "ray"])
    assert result.exit_code == 2 and "pip install 'toolkit[ray]'" in result.stderr


def test_actor_pool_that_cannot_fit_is_refused(local_ray, marian_model, tmp_path):
    source = _jsonl(tmp_path / "news.jsonl", _corpus(2))
    result = _translate(source, "--to", "sq", "--model", marian_model, "--engine", "ray", "--actors", "2,3")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: 2 actors x 1 CPUs and a reader (0.25 CPU) need 2.25 CPUs; the cluster has 2")


@pytest.mark.slow
def test_chain_same_records_as_the_local_runner(local_ray, marian_model, tmp_path):
    source = _jsonl(tmp_path / "articles.jsonl", _corpus(6))
    common = ["chain", str(source), "--from", "en", "--method", "extractive", "--sentences", "1", "--to", "sq",
              "--model", str(marian_model), "--no-cache"]
    local = CliRunner().invoke(app, [*common, "--out", str(tmp_path / "local.jsonl")])
    distributed = CliRunner().invoke(app, [*common, "--out", str(tmp_path / "ray.jsonl"), "--engine", "ray"])
    assert local.exit_code == 0 and distributed.exit_code == 0, distributed.stderr

    def records(path: Path) -> list[dict]:
        rows = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
        for row in rows:
            row["manifest"].pop("timings_s")  # seconds differ from run to run
            row["manifest"]["summarizer"].pop("seconds")
        return rows

    assert records(tmp_path / "ray.jsonl") == records(tmp_path / "local.jsonl")
    assert [r["id"] for r in records(tmp_path / "ray.jsonl")] == [f"a{i}" for i in range(6)]
    assert "chained 6 articles" in distributed.stderr


def _processes_of_raylet(raylet: int) -> list[int]:
    """This user's processes that a local Ray's raylet started (they carry its pid in RAY_RAYLET_PID)."""
    marker = f"\0RAY_RAYLET_PID={raylet}\0".encode()
    return _pids(lambda entry: marker in b"\0" + (entry / "environ").read_bytes())


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_local_ray_does_not_outlive_a_driver_killed_with_sigkill(tmp_path):
    """Ray's dashboard and runtime-env agents ignore their raylet's death (and SIGTERM): the local Ray
    the toolkit starts is reaped when the process that started it dies, however it dies."""
    import subprocess

    code = ("import os, time\n"
            "import ray\n"
            "from ray._private import ray_constants\n"
            "from toolkit.distributed.cluster import ClusterOptions, connect\n"
            "connect(ClusterOptions())\n"
            "node = ray._private.worker._global_node\n"
            "print(node.all_processes[ray_constants.PROCESS_TYPE_RAYLET][0].process.pid, flush=True)\n"
            "time.sleep(600)\n")
    driver = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        raylet = int(driver.stdout.readline())
        deadline = time.monotonic() + 60
        while len(_processes_of_raylet(raylet)) < 2 and time.monotonic() < deadline:  # the agents have started
            time.sleep(0.5)
        assert len(_processes_of_raylet(raylet)) >= 2
    finally:
        driver.send_signal(signal.SIGKILL)
        driver.wait()
    deadline = time.monotonic() + 30
    while _processes_of_raylet(raylet) and time.monotonic() < deadline:
        time.sleep(0.5)
    left = _processes_of_raylet(raylet)
    for pid in left:  # never leave them to the next test
        os.kill(pid, signal.SIGKILL)
    assert left == []


@pytest.mark.slow
def test_a_ray_job_prints_the_commands_lines_not_rays(marian_model, tmp_path):
    """Ray Data's execution plan and progress lines and Ray's notices stay off the command's standard
    error (a local Ray started by the command itself, as a user's run does)."""
    import subprocess

    source = _jsonl(tmp_path / "news.jsonl", _corpus(4))
    out = tmp_path / "out.jsonl"
    command = [sys.executable, "-c", "from toolkit.cli import main; main()", "translate", str(source), "--to", "sq",
               "--model", str(marian_model), "--out", str(out), "--no-cache", "--engine", "ray"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert any(line.startswith("translated 4 records") for line in lines)
    others = [line for line in lines if not line.startswith(("translated ", "flagged ", "warning: "))]
    # The one line left is Ray's C++ core worker's, which Python's logging does not reach
    # (ray-project/ray#57733: Ray Data's own actor arguments).
    assert all("core_worker.cc" in line and "constructor arguments in the object store" in line for line in others), others


@pytest.mark.slow
def test_glossary_and_protected_spans_as_the_local_runner(local_ray, marian_model, tmp_path):
    """The glossary is read by the driver and handed to the actors (whose nodes need not see the file)."""
    source = _jsonl(tmp_path / "news.jsonl", [{"id": i, "text": f"The Prime Minister wrote to desk{i}@rtsh.al in Tirana."}
                                              for i in range(6)])
    glossary = tmp_path / "terms.tsv"
    glossary.write_text("source\tsq\nPrime Minister\tKryeministri\n", "utf-8")
    common = [source, "--to", "sq", "--model", marian_model, "--quiet", "--no-cache", "--glossary", glossary]
    local, distributed = tmp_path / "local.jsonl", tmp_path / "ray.jsonl"
    assert _translate(*common, "--out", local).exit_code == 0
    result = _translate(*common, "--out", distributed, "--engine", "ray", "--actors", "1")
    assert result.exit_code == 0, result.stderr
    assert distributed.read_text("utf-8") == local.read_text("utf-8")
    for i, line in enumerate(distributed.read_text("utf-8").splitlines()):
        text = json.loads(line)["translations"]["sq"]
        assert text.count("Kryeministri") == 1 and text.count(f"desk{i}@rtsh.al") == 1
    manifests = [json.loads((tmp_path / f"{name}.jsonl.manifest.json").read_text()) for name in ("local", "ray")]
    assert manifests[1]["glossary"]["terms"] == {"sq": 1}
    # The same flags (the glossary's forms known to the names check), counted alike on both engines.
    assert all("flags" in json.loads(line) for line in distributed.read_text("utf-8").splitlines())
    assert manifests[1]["flags"] == manifests[0]["flags"] and manifests[0]["flags"]["segments"] > 0


def test_a_folder_of_subtitles_po_and_docx_files_as_the_local_runner(local_ray, marian_model, tmp_path):
    """Documents of a format on Ray (a binary DOCX too): one read task each, the same files as the local engine's."""
    from tests.formats.docx_files import make_docx
    from tests.formats.test_cli import PO
    from tests.formats.test_subtitles import SRT, VTT

    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "talk.srt").write_text(SRT, "utf-8", newline="")
    (src / "sub" / "news.vtt").write_text(VTT, "utf-8")
    (src / "site.pot").write_text(PO, "utf-8")
    (src / "news.docx").write_bytes(make_docx())
    (src / "bad.srt").write_text("not subtitles\n", "utf-8")
    common = [src, "--to", "sq", "--model", marian_model, "--quiet", "--line-length", "30"]
    local, distributed = tmp_path / "local", tmp_path / "ray"
    here = _translate(*common, "--out", local)
    result = _translate(*common, "--out", distributed, "--engine", "ray")
    # The bad file is set aside without --skip-bad too, the others are written, and the exit is 2.
    assert here.exit_code == result.exit_code == 2, result.stderr
    assert result.stderr.splitlines()[-1] == here.stderr.splitlines()[-1].replace(str(local), str(distributed))
    assert f"  {src / 'bad.srt'}: not a SubRip" in result.stderr
    for name in ("talk.sq.srt", "sub/news.sq.vtt", "site.sq.po", "news.sq.docx"):
        assert (distributed / name).read_bytes() == (local / name).read_bytes(), name
    assert not (distributed / "bad.sq.srt").exists() and "not a SubRip" in (distributed / "rejects.jsonl").read_text("utf-8")
    text = _translate("Some text.", "--to", "sq", "--model", marian_model, "--engine", "ray")
    assert text.exit_code == 2 and "not texts or standard input" in text.stderr


@pytest.mark.slow
def test_the_ray_data_api_adds_what_the_local_records_carry(local_ray, marian_model, tmp_path):
    """translate_dataset and summarize_dataset in a user's own Ray Data pipeline: the same
    translations, directions and flags as `toolkit translate`'s JSONL records, the same summaries
    and translations as `toolkit chain`'s."""
    from toolkit.chain import chain_options, parse_steps
    from toolkit.distributed import summarize_dataset, translate_dataset

    corpus = _corpus(5) + [{"id": "n", "text": "Turnout was 61.5% in 2022, up from 48% in 2018.", "section": "x"}]
    source = _jsonl(tmp_path / "news.jsonl", corpus)
    local = tmp_path / "local.jsonl"
    result = _translate(source, "--to", "sq", "--model", marian_model, "--no-cache", "--quiet", "--out", local)
    assert result.exit_code == 0, result.stderr
    expected = [json.loads(line) for line in local.read_text("utf-8").splitlines()]
    assert any(r["flags"]["sq"] for r in expected)  # random weights: the numbers check flags some

    rows = translate_dataset(ray.data.from_items(corpus), ["sq"], [str(marian_model)], memory=False).take_all()
    assert [r["id"] for r in rows] == [r["id"] for r in expected] and rows[0]["section"] == "world"
    assert [r["translations"] for r in rows] == [r["translations"] for r in expected]
    assert [r["dir"] for r in rows] == [r["dir"] for r in expected]
    assert [json.loads(r["flags"]["sq"]) for r in rows] == [r["flags"]["sq"] for r in expected]
    unchecked = translate_dataset(ray.data.from_items(corpus[:1]), ["sq"], [str(marian_model)], memory=False, flags=False)
    assert "flags" not in unchecked.take_all()[0]

    chained = tmp_path / "chain.jsonl"
    result = CliRunner().invoke(app, ["chain", str(source), "--from", "en", "--method", "extractive", "--sentences", "1",
                                      "--to", "sq", "--model", str(marian_model), "--no-cache", "--out", str(chained)])
    assert result.exit_code == 0, result.stderr
    options = chain_options(parse_steps("summarize,translate:sq"), source="en", method="extractive", sentences=1,
                            models=(str(marian_model),), memory=False)
    rows = summarize_dataset(ray.data.from_items(corpus), options).take_all()
    records = [json.loads(line) for line in chained.read_text("utf-8").splitlines()]
    assert [r["id"] for r in rows] == [r["id"] for r in records]
    assert [json.loads(r["summary"]) for r in rows] == [r["summary"] for r in records]
    assert [json.loads(r["translations"]) for r in rows] == [r["translations"] for r in records]


def test_chain_reads_a_folder_of_documents_as_the_local_runner(local_ray, marian_model, tmp_path):
    """Ray chain reads document files and folders as the local chain does (their plain text): the same
    records, the same bad file set aside, the same exit."""
    from tests.formats.docx_files import make_docx
    from tests.formats.test_subtitles import SRT

    src = tmp_path / "src"
    src.mkdir()
    (src / "news.docx").write_bytes(make_docx())
    (src / "talk.srt").write_text(SRT, "utf-8", newline="")
    (src / "story.txt").write_text(TEXTS[2], "utf-8")
    (src / "bad.docx").write_bytes(b"plain text, not a zip")
    common = ["chain", str(src), "--from", "en", "--method", "extractive", "--sentences", "1", "--to", "sq",
              "--model", str(marian_model), "--no-cache"]
    local = CliRunner().invoke(app, [*common, "--out", str(tmp_path / "local.jsonl")])
    distributed = CliRunner().invoke(app, [*common, "--out", str(tmp_path / "ray.jsonl"), "--engine", "ray"])
    assert local.exit_code == distributed.exit_code == 2, distributed.stderr
    assert f"  {src / 'bad.docx'}: not a Word (DOCX) file" in distributed.stderr

    def records(path: Path) -> list[dict]:
        rows = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
        for row in rows:
            row["manifest"].pop("timings_s")
            row["manifest"]["summarizer"].pop("seconds")
            row["manifest"].pop("pool_articles")  # on Ray each document is read (and pooled) by a task of its own
        return rows

    assert records(tmp_path / "ray.jsonl") == records(tmp_path / "local.jsonl")
    assert [r["id"] for r in records(tmp_path / "ray.jsonl")] == ["news.docx", "story.txt", "talk.srt"]
    rejects = (tmp_path / "ray.jsonl.rejects.jsonl").read_text("utf-8")
    assert rejects == (tmp_path / "local.jsonl.rejects.jsonl").read_text("utf-8") and "bad.docx" in rejects
    text = CliRunner().invoke(app, ["chain", "Some text.", "--method", "extractive", "--engine", "ray"])
    assert text.exit_code == 2 and "not texts or standard input" in text.stderr
