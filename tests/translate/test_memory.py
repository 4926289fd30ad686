"""The translation memory: reruns and shared sentences are not recomputed; processes share it safely."""

import json
import multiprocessing
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.provenance import DecodingSettings
from toolkit.translate.engine import translate_texts
from toolkit.translate.factory import build_translator
from toolkit.text.normalize import normalize_segment
from toolkit.translate.memory import CachedTranslator, TranslationMemory
from tests.translate.test_engine import DOCS

runner = CliRunner()


def test_a_rerun_is_answered_from_the_memory(marian_model):
    memory = TranslationMemory()
    first = build_translator("en", "sq", str(marian_model), memory=memory)
    out = translate_texts(DOCS, first)
    assert first.hits == 0 and first.misses > 0
    again = build_translator("en", "sq", str(marian_model), memory=memory)
    assert translate_texts(DOCS, again) == out
    assert again.misses == 0 and again.hits == first.misses


def test_shared_boilerplate_is_translated_once(marian_model):
    translator = build_translator("en", "sq", str(marian_model), memory=TranslationMemory())
    boilerplate = "Journalists were not allowed to enter the building, the agency reported."
    translate_texts([f"The minister said the talks would continue. {boilerplate}"], translator)
    misses = translator.misses
    [out] = translate_texts([f"Prices rose by 12 percent.  {boilerplate}"], translator)
    assert translator.misses == misses + 1 and translator.hits == 1
    assert out.endswith(translator.inner.translate_batch([boilerplate])[0])


def test_normalised_source_shares_an_entry_but_zwnj_is_kept():
    assert normalize_segment("  Hello \t world\u00a0 ") == "Hello world"
    assert normalize_segment("می\u200cگوید") == "می\u200cگوید"
    assert normalize_segment("e\u0308") == "ë"


def test_entries_are_kept_apart_by_model_backend_quantization_decoding_and_pair(marian_model, marian_multi_model):
    memory = TranslationMemory()
    scopes = {
        CachedTranslator(build_translator("en", "sq", str(marian_model), backend, DecodingSettings(beams=beams),
                                          quantization=quantization), memory).scope
        for backend, quantization, beams in [("hf", None, 1), ("ct2", "int8", 1), ("ct2", "float32", 1), ("ct2", "int8", 2)]
    }
    scopes |= {CachedTranslator(build_translator("en", t, str(marian_multi_model)), memory).scope for t in ("sq", "fa")}
    assert len(scopes) == 6


def test_a_local_folder_without_revision_is_keyed_by_its_files(tmp_path, marian_model):
    import shutil

    folder = tmp_path / "model"
    shutil.copytree(marian_model, folder)
    memory = TranslationMemory()
    before = CachedTranslator(build_translator("en", "sq", str(folder), "hf"), memory).scope
    (folder / "generation_config.json").write_text((folder / "generation_config.json").read_text() + "\n")
    assert CachedTranslator(build_translator("en", "sq", str(folder), "hf"), memory).scope != before


def _writer(path: str, worker: int, keys: int) -> None:
    memory = TranslationMemory(Path(path))
    # Overlapping keys: worker w writes keys w*keys/2 ... w*keys/2 + keys, in small transactions.
    start = worker * keys // 2
    pairs = [(f"sentence {i}", f"translation {i}") for i in range(start, start + keys)]
    for n in range(0, len(pairs), 7):
        memory.store("scope", pairs[n:n + 7])
        memory.entries("scope", [p[0] for p in pairs[max(0, n - 20):n]])


def test_concurrent_processes_lose_nothing_and_keep_the_file_sound(tmp_path):
    path = tmp_path / "memory.sqlite3"
    workers, keys = 4, 300
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_writer, args=(str(path), w, keys)) for w in range(workers)]
    for p in processes:
        p.start()
    for p in processes:
        p.join(120)
    assert all(p.exitcode == 0 for p in processes)
    total = (workers - 1) * keys // 2 + keys
    memory = TranslationMemory(path)
    found = memory.entries("scope", [f"sentence {i}" for i in range(total)])
    assert found == {f"sentence {i}": (f"translation {i}", False) for i in range(total)}
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("SELECT COUNT(*) FROM segments").fetchone()[0] == total


def _open_and_store(path: str, start, answers) -> None:
    start.wait()
    try:
        TranslationMemory(Path(path)).store("scope", [(f"sentence {os.getpid()}", "translation")])
        answers.put("stored")
    except Exception as exc:  # the answer the user would see
        answers.put(str(exc))


def test_processes_opening_a_new_memory_at_once_all_get_in(tmp_path):
    """Several jobs starting together on a machine with no memory yet (CI's failure: one of them was told
    "database is locked" while another turned the new file to WAL)."""
    context = multiprocessing.get_context("fork")
    answers = []
    for round_ in range(30):
        start, queue = context.Event(), context.Queue()
        processes = [context.Process(target=_open_and_store, args=(str(tmp_path / f"m{round_}.sqlite3"), start, queue))
                     for _ in range(6)]
        for p in processes:
            p.start()
        start.set()
        answers += [queue.get(timeout=120) for _ in processes]
        for p in processes:
            p.join(120)
    assert [a for a in answers if a != "stored"] == []


def test_cli_uses_the_memory_and_no_cache_bypasses_it(marian_model):
    args = ["translate", "Iran and Albania cut ties. The minister said.", "--to", "sq", "--model", str(marian_model)]
    assert runner.invoke(app, [*args, "--no-cache"]).exit_code == 0
    stats = json.loads(runner.invoke(app, ["cache", "stats", "--json"]).stdout)
    assert stats["segments"] == 0
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    stats = json.loads(runner.invoke(app, ["cache", "stats", "--json"]).stdout)
    assert stats["segments"] == 2 and stats["scopes"][0]["backend"] == "ct2" and stats["scopes"][0]["pair"] == "en-sq"
    assert runner.invoke(app, args).stdout == first.stdout
    table = runner.invoke(app, ["cache", "stats"])
    assert table.exit_code == 0 and "2 segments" in table.stdout
    cleared = runner.invoke(app, ["cache", "clear", "--model", "someone-else"])
    assert "removed 0 segments" in cleared.stdout
    cleared = runner.invoke(app, ["cache", "clear"])
    assert "removed 2 segments" in cleared.stdout
    assert json.loads(runner.invoke(app, ["cache", "stats", "--json"]).stdout)["segments"] == 0
    assert os.path.exists(stats["path"])


_RERUN = """
import sys
from toolkit.cli import main
sys.argv = ["toolkit", *sys.argv[1:]]
try:
    main()
finally:
    print(" ".join(m for m in ("torch", "transformers") if m in sys.modules), file=sys.stderr)
"""


@pytest.mark.parametrize("backend", ["hf", "ct2"])
def test_a_rerun_the_memory_serves_loads_neither_torch_nor_weights(marian_model, tmp_path, backend):
    # The re-run answers from the memory in a fresh process: no torch, no transformers, on either backend.
    from toolkit.models.cuda import gpu_driver_present

    if gpu_driver_present() and backend == "hf":
        pytest.skip("on a GPU machine hf asks torch which device to use")
    source = tmp_path / "in.txt"
    source.write_text("Iran and Albania cut ties.\nThe minister said the talks would continue.\n", "utf-8")
    args = ["translate", str(source), "--to", "sq", "--model", str(marian_model), "--backend", backend, "-q"]
    first = runner.invoke(app, [*args, "--out", str(tmp_path / "first.txt")])
    assert first.exit_code == 0, first.output
    rerun = subprocess.run([sys.executable, "-c", _RERUN, *args, "--out", str(tmp_path / "again.txt")],
                           capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert (tmp_path / "again.txt").read_bytes() == (tmp_path / "first.txt").read_bytes()
    assert rerun.stderr.splitlines()[-1] == ""  # neither module was imported
