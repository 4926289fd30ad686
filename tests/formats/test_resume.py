"""A folder of subtitle (or DOCX) files translated by a job killed with SIGKILL: the rerun finishes it,
and every file is byte for byte what an uninterrupted job writes."""

import os
import signal
import subprocess

import pytest

from tests.formats.docx_files import make_docx
from tests.formats.test_subtitles import SRT
from tests.translate.test_resume import _started, _toolkit

# A file of each kind, its text a little different for each n.
_FILES = {"srt": lambda n: SRT.replace("next week", f"in week {n}").encode(),
          "docx": lambda n: make_docx(f"Election results announced in week {n}")}


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(_FILES))
def test_a_killed_folder_of_documents_resumes_to_the_same_files(marian_model, tmp_path, kind):
    src = tmp_path / "src"
    src.mkdir()
    for n in range(40):
        (src / f"talk{n:02d}.{kind}").write_bytes(_FILES[kind](n))
    env = {**os.environ, "TOOLKIT_POOL_CHARS": "600"}  # a checkpoint every few files

    def command(out):
        return _toolkit("translate", src, "--to", "sq", "--model", marian_model, "--out", out, env=env)

    whole = tmp_path / "whole"
    subprocess.run(command(whole), env=env, check=True, capture_output=True, timeout=300)

    out = tmp_path / "out"
    job = subprocess.Popen(command(out), env={**env, "TOOLKIT_CACHE_DIR": str(tmp_path / "other-cache")},
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _started(job, out / ".toolkit-progress.json")
    assert job.poll() is None, "the job finished before it could be killed"
    job.send_signal(signal.SIGKILL)
    job.wait()
    written = sorted(p.name for p in out.glob(f"*.{kind}"))
    assert 0 < len(written) < 40
    assert all((out / name).read_bytes() == (whole / name).read_bytes() for name in written)  # whole files only

    rerun = subprocess.run(command(out), env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert "already done" in rerun.stderr
    for n in range(40):
        name = f"talk{n:02d}.sq.{kind}"
        assert (out / name).read_bytes() == (whole / name).read_bytes(), name
