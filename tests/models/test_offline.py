"""No connection to the hub: offline mode for this process's hub calls, without touching the environment."""

from __future__ import annotations

import subprocess
import sys

_PROBE = """
import os
from huggingface_hub import constants, is_offline_mode
constants.ENDPOINT = "http://127.0.0.1:9"  # a closed port on loopback: no connection
from toolkit.models.store import hub_offline
reason = hub_offline()
print(reason, is_offline_mode(), "HF_HUB_OFFLINE" in os.environ)
"""


def test_unreachable_hub_switches_offline_mode_without_changing_the_environment():
    env = {k: v for k, v in __import__("os").environ.items() if k != "HF_HUB_OFFLINE"}
    result = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["127.0.0.1", "cannot", "be", "reached", "True", "False"]
