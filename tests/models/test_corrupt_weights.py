"""A model folder whose weights file is damaged: one line naming the model and the fix, on either backend."""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from toolkit.cli import app


@pytest.mark.parametrize("backend", ["hf", "ct2"])
def test_corrupt_weights_are_one_line_not_a_traceback(marian_model, tmp_path, backend):
    broken = tmp_path / "broken-model"
    shutil.copytree(marian_model, broken)
    weights = broken / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[: weights.stat().st_size // 3])
    result = CliRunner().invoke(app, ["translate", "Iran and Albania cut ties.", "--to", "sq", "--model", str(broken),
                                      "--backend", backend, "--no-cache"])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: cannot load the weights of model") and "download or import the model again" in line
