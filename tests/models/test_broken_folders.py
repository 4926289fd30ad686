"""A model folder with a config.json that is not JSON, or a Marian folder without its SentencePiece
models: one line naming the model, the folder and the fix, on every backend (as for truncated weights)."""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from toolkit.cli import app


def _translate(model, backend):
    return CliRunner().invoke(app, ["translate", "Iran and Albania cut ties.", "--to", "sq", "--model", str(model),
                                    "--backend", backend, "--no-cache"])


def _one_line(result) -> str:
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    [line] = result.stderr.strip().splitlines()
    return line


@pytest.mark.parametrize("backend", ["auto", "hf", "ct2"])
def test_a_config_that_is_not_json_is_one_line(marian_model, tmp_path, backend):
    broken = tmp_path / "broken-model"
    shutil.copytree(marian_model, broken)
    (broken / "config.json").write_text('{"model_type": "marian", ', "utf-8")  # cut short
    line = _one_line(_translate(broken, backend))
    assert f"model '{broken}'" in line and f"{broken}/config.json is not valid JSON" in line
    assert "download or import the model again" in line


@pytest.mark.parametrize("backend", ["auto", "hf", "ct2"])
def test_a_marian_folder_without_source_spm_is_one_line(marian_model, tmp_path, backend):
    broken = tmp_path / "no-spm"
    shutil.copytree(marian_model, broken)
    (broken / "source.spm").unlink()
    assert CliRunner().invoke(app, ["models", "import", str(broken), "--name", "acme/no-spm"]).exit_code == 0
    line = _one_line(_translate("acme/no-spm", backend))
    assert "model 'acme/no-spm'" in line and f"{broken} has no source.spm" in line
    assert "download or import the model again" in line
