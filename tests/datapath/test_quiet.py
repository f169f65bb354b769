"""No program of ours prints resource-tracker warnings or tracebacks: not in normal use, not when
a peer dies, under any start method."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import START_METHODS
from tests.datapath._quiet_program import SCENARIOS

ROOT = Path(__file__).parents[2]


@pytest.mark.parametrize("method", START_METHODS)
@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_large_payloads_leave_stderr_clean(scenario, method):
    done = subprocess.run(
        [sys.executable, "-m", "tests.datapath._quiet_program", scenario, method],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.stdout == "ok\n" and done.returncode == 0, done.stderr
    assert done.stderr == ""
