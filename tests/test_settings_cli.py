"""Settings mistakes are refused in one line: a missing TOOLKIT_CONFIG file, two models for one target."""

from __future__ import annotations

from typer.testing import CliRunner

from toolkit.cli import app

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
