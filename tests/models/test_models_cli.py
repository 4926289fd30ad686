"""`toolkit models` and the offline path: import a folder, then use the catalogue default."""

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from toolkit.cli import app

runner = CliRunner()


def test_imported_folder_serves_the_catalogue_default_offline(marian_model):
    result = runner.invoke(app, ["models", "import", str(marian_model), "--name", "Helsinki-NLP/opus-mt-en-sq"])
    assert result.exit_code == 0, result.output
    assert "revision sha256:" in result.stdout
    # No --model: en->sq resolves to the catalogue default, now served from the imported folder.
    result = runner.invoke(app, ["translate", "Iran and Albania cut ties.", "--to", "sq", "--json"])
    assert result.exit_code == 0, result.output
    provenance = json.loads(result.stdout)["provenance"]["sq"]
    assert provenance["model_id"] == "Helsinki-NLP/opus-mt-en-sq"
    assert provenance["revision"].startswith("sha256:")
    listing = json.loads(runner.invoke(app, ["models", "list", "--json"]).stdout)
    row = next(r for r in listing if r["model"] == "Helsinki-NLP/opus-mt-en-sq" and r["pair"] == "en-sq")
    assert row["present"] == "imported" and row["license"] == "Apache-2.0"


def test_catalogue_lists_defaults_licences_and_published_figures():
    rows = json.loads(runner.invoke(app, ["models", "list", "--json"]).stdout)
    defaults = {r["pair"]: r["model"] for r in rows if r["role"] == "default"}
    assert defaults["en-sq"] == "Helsinki-NLP/opus-mt-en-sq"
    assert defaults["en-fa"] == "facebook/m2m100_418M"
    assert {"fa-en", "sq-en"} <= set(defaults)
    nllb = [r for r in rows if r["model"] == "facebook/nllb-200-distilled-600M" and r["pair"] in ("en-fa", "en-sq")]
    assert {r["pair"]: r["quality"] for r in nllb} == {"en-fa": "chrF++ 45.7", "en-sq": "chrF++ 53.2"}
    assert all(r["license"] == "CC-BY-NC-4.0" for r in nllb)


def test_models_info_shows_published_figure_with_test_set():
    result = runner.invoke(app, ["models", "info", "Helsinki-NLP/opus-mt-en-sq"])
    info = json.loads(result.stdout)
    assert info["quality"][0] == {"pair": "en-sq", "metric": "BLEU", "value": 46.5, "test_set": "Tatoeba-test eng-sqi (model card)"}


def test_import_of_a_folder_without_weights_is_refused(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    result = runner.invoke(app, ["models", "import", str(tmp_path), "--name", "x"])
    assert result.exit_code == 2 and "has no weights" in result.stderr


def test_help_and_models_list_import_no_heavy_library():
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from toolkit.cli import app\n"
        "for args in (['--help'], ['translate', '--help'], ['models', 'list']):\n"
        "    assert CliRunner().invoke(app, args).exit_code == 0, args\n"
        "heavy = [m for m in ('torch', 'transformers', 'ctranslate2') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_without_a_connection_a_cached_hub_model_loads_and_an_uncached_one_fails_at_once(marian_model, monkeypatch):
    """No HF_HUB_OFFLINE, no connection to the hub: offline mode is switched on instead of retrying."""
    import shutil
    from pathlib import Path

    from huggingface_hub import constants

    from toolkit.models import store
    from toolkit.translate.factory import build_translator

    commit = "0123456789abcdef0123456789abcdef01234567"
    repo = Path(constants.HF_HUB_CACHE) / "models--acme--tiny-en-sq"
    shutil.copytree(marian_model, repo / "snapshots" / commit, dirs_exist_ok=True)
    (repo / "refs").mkdir(exist_ok=True)
    (repo / "refs" / "main").write_text(commit)
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(constants, "ENDPOINT", "http://127.0.0.1:9")  # nothing listens there: refused at once
    store.hub_offline.cache_clear()
    try:
        assert store.hub_offline() == "127.0.0.1 cannot be reached"
        assert constants.HF_HUB_OFFLINE is True
        translator = build_translator("en", "sq", "acme/tiny-en-sq", "hf")
        assert translator.provenance.revision == commit
        result = runner.invoke(app, ["translate", "Hello.", "--to", "sq", "--model", "nobody/not-cached", "--backend", "hf"])
        assert result.exit_code == 2
        assert "not in the Hugging Face cache and 127.0.0.1 cannot be reached" in result.stderr
    finally:
        store.hub_offline.cache_clear()


@pytest.mark.parametrize("backend", ["hf", "ct2"])
def test_without_a_connection_no_advice_about_a_variable_the_user_never_set(backend, monkeypatch):
    """Offline mode switched on by toolkit (no connection) is not reported as the user's HF_HUB_OFFLINE."""
    from huggingface_hub import constants

    from toolkit.models import store

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(constants, "ENDPOINT", "http://127.0.0.1:9")  # nothing listens there: refused at once
    store.hub_offline.cache_clear()
    try:
        result = runner.invoke(app, ["translate", "Hello.", "--to", "sq", "--model", "nobody/not-cached", "--backend", backend])
    finally:
        store.hub_offline.cache_clear()
    assert result.exit_code == 2
    assert "not in the Hugging Face cache and 127.0.0.1 cannot be reached" in result.stderr
    assert "HF_HUB_OFFLINE" not in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize("columns", [80, 120])
def test_list_in_a_narrow_terminal_keeps_task_and_pair_whole(columns):
    # Long cells (model ids, published figures) wrap; the columns a user reads first are never cut.
    result = runner.invoke(app, ["models", "list"], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(map(len, lines)) <= columns
    table = result.stdout
    for row in json.loads(runner.invoke(app, ["models", "list", "--json"]).stdout):
        assert f" {row['task']} " in table and f" {row['pair']} " in table


@pytest.mark.parametrize("name", [".", "..", "/tmp/elsewhere", "a/../..", "a\\b", "../x", "a/b/c", "two\nlines"])
def test_a_model_name_that_is_a_path_is_refused_and_nothing_is_deleted(marian_model, tmp_path, name):
    """`--name . --copy` used to delete every model copied before, `--name .. --copy` the whole data folder."""
    data = tmp_path / "toolkit-data"  # TOOLKIT_DATA_DIR (tests/conftest.py)
    assert runner.invoke(app, ["models", "import", str(marian_model), "--name", "kept", "--copy"]).exit_code == 0
    (data / "notes.txt").write_text("not toolkit's")
    before = sorted(str(p.relative_to(data)) for p in data.rglob("*"))
    result = runner.invoke(app, ["models", "import", str(marian_model), "--name", name, "--copy"])
    assert result.exit_code == 2, result.output
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: ") and "--name" in line and "Traceback" not in result.output
    assert sorted(str(p.relative_to(data)) for p in data.rglob("*")) == before
    assert runner.invoke(app, ["translate", "Hello.", "--to", "sq", "--model", "kept", "--no-cache"]).exit_code == 0


def test_a_copy_never_replaces_a_folder_toolkit_did_not_make(marian_model, tmp_path):
    stranger = tmp_path / "toolkit-data" / "models" / "mine"
    stranger.mkdir(parents=True)
    (stranger / "precious.txt").write_text("keep me")
    result = runner.invoke(app, ["models", "import", str(marian_model), "--name", "mine", "--copy"])
    assert result.exit_code == 2 and "is not the copy toolkit made" in result.stderr
    assert (stranger / "precious.txt").read_text() == "keep me"
    # A copy toolkit made is replaced by a second import under the same name.
    for _ in range(2):
        result = runner.invoke(app, ["models", "import", str(marian_model), "--name", "acme/tiny", "--copy"])
        assert result.exit_code == 0, result.output
    assert (tmp_path / "toolkit-data" / "models" / "acme--tiny" / "config.json").is_file()
