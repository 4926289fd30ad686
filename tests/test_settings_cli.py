"""Settings mistakes are refused in one line (a missing TOOLKIT_CONFIG file, a config key that is not a
setting, two models for one target); paths in the config file are read from its folder."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.settings import SETTINGS, cache_dir, data_dir

runner = CliRunner()


def test_a_config_file_named_by_toolkit_config_that_does_not_exist_is_refused(tmp_path, monkeypatch):
    missing = tmp_path / "nonexistent.toml"
    monkeypatch.setenv("TOOLKIT_CONFIG", str(missing))
    result = runner.invoke(app, ["translate", "Hello.", "--to", "sq", "--model", "./nowhere"])
    assert result.exit_code == 2, result.output
    [line] = result.stderr.strip().splitlines()
    assert "TOOLKIT_CONFIG" in line and str(missing) in line and "does not exist" in line


def test_two_models_for_one_target_are_refused(marian_model, tmp_path):
    other = tmp_path / "other"
    result = runner.invoke(app, ["translate", "Hello.", "--to", "sq", "--model", f"sq={marian_model}",
                                 "--model", f"sq={other}"])
    assert result.exit_code == 2, result.output
    [line] = result.stderr.strip().splitlines()
    assert "two translation models for sq" in line and str(marian_model) in line and str(other) in line


def _config(text):
    path = Path(os.environ["TOOLKIT_CONFIG"])
    path.write_text(text, "utf-8")
    return path


@pytest.mark.parametrize("text, named", [
    ("max_document_md = 1\nflgs = false\n", "unknown setting 'max_document_md'"),
    ("[documents]\nmax_document_mb = 1\n", "unknown table 'documents'"),
    ('out = "translated"\n', "unknown setting 'out'"),
    ("[flags]\nenabled = false\n", "'flags' is a table"),
])
def test_a_config_file_key_that_is_not_a_setting_is_refused_naming_file_and_key(text, named):
    config = _config(text)
    result = runner.invoke(app, ["translate", "Hello.", "--to", "sq", "--model", "./nowhere"])
    assert result.exit_code == 2, result.output
    [line] = result.stderr.strip().splitlines()
    assert named in line and str(config) in line and "docs/settings.md" in line and "nowhere" not in line
    if "max_document_md" in text:
        assert "did you mean 'max_document_mb'?" in line


def test_a_mistyped_config_key_is_refused_even_when_every_setting_is_given_elsewhere(tmp_path):
    _config("flgs = false\n")
    glossary = tmp_path / "terms.tsv"
    glossary.write_text("source\tsq\nTirana\t=\n", "utf-8")
    result = runner.invoke(app, ["translate", "Hello.", "--to", "sq", "--model", "./nowhere", "--batch-tokens", "64",
                                 "--glossary", str(glossary), "--no-protect", "--no-flags"])
    assert result.exit_code == 2 and "unknown setting 'flgs'" in result.stderr and "'flags'" in result.stderr


def test_every_setting_in_the_docs_table_is_accepted_in_a_config_file():
    table = (Path(__file__).parent.parent / "docs" / "settings.md").read_text("utf-8").split("## Service limits")[0]
    documented = set(re.findall(r"^\| `(\w+)` \|", table, re.MULTILINE))
    assert documented == set(SETTINGS)


def test_a_path_in_the_config_file_is_read_from_its_folder_with_tilde_expanded(tmp_path, monkeypatch):
    config = _config('cache_dir = "cache"\ndata_dir = "~/toolkit-data"\n')
    monkeypatch.delenv("TOOLKIT_CACHE_DIR")
    monkeypatch.delenv("TOOLKIT_DATA_DIR")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    assert cache_dir() == config.parent / "cache"
    assert data_dir() == tmp_path / "toolkit-data"
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", "~/from-env")  # the environment: ~ expanded, from the current folder
    monkeypatch.setenv("TOOLKIT_DATA_DIR", "relative")
    assert cache_dir() == tmp_path / "from-env" and data_dir() == Path("relative")


def test_a_glossary_in_the_config_file_is_read_from_its_folder_and_a_missing_one_names_the_file(tmp_path, monkeypatch):
    config = _config('glossary = "terms.tsv"\n')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    (elsewhere / "terms.tsv").write_text("term\tsq\n", "utf-8")  # the current folder's is not the one meant
    args = ["translate", "Hello.", "--to", "sq", "--model", "./nowhere"]
    missing = runner.invoke(app, args)
    assert missing.exit_code == 2
    assert f"the glossary {config.parent / 'terms.tsv'} (from config file {config}) does not exist" in missing.stderr
    (config.parent / "terms.tsv").write_text("term\tsq\n", "utf-8")
    found = runner.invoke(app, args)
    assert found.exit_code == 2 and f"the glossary {config.parent / 'terms.tsv'} has no header row" in found.stderr
    monkeypatch.setenv("HOME", str(tmp_path))
    tilde = runner.invoke(app, [*args, "--glossary", "~/elsewhere/terms.tsv"])
    assert tilde.exit_code == 2 and f"the glossary {elsewhere / 'terms.tsv'} has no header row" in tilde.stderr
