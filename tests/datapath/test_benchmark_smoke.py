"""benchmarks/queue_data_path.py runs end to end (tiny sizes) and checks its data under each method.

Speed is not asserted here: the benchmark reports ratios; this only keeps it from rotting.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.datapath.conftest import START_METHODS

SCRIPT = os.path.join(os.path.dirname(__file__), "..", "..", "benchmarks", "queue_data_path.py")


@pytest.mark.parametrize("method", START_METHODS)
def test_benchmark_runs_and_checks_its_data(method):
    done = subprocess.run(
        [sys.executable, SCRIPT, "--size-mb", "2", "--rounds", "1", "--messages", "2000",
         "--start-method", method],
        capture_output=True, text=True, timeout=50,
    )
    assert done.returncode == 0, done.stderr
    assert "of memcpy" in done.stdout and "4/4" in done.stdout
    assert "Warning" not in done.stderr and "leaked" not in done.stderr, done.stderr
