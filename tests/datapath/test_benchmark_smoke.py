"""The data path's benchmarks run end to end (tiny sizes) and check their data under each method.

Speed is not asserted here: the benchmark reports ratios; this only keeps it from rotting.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.datapath.conftest import START_METHODS

BENCHMARKS = os.path.join(os.path.dirname(__file__), "..", "..", "benchmarks")
SCRIPT = os.path.join(BENCHMARKS, "queue_data_path.py")


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


@pytest.mark.parametrize("method", START_METHODS)
def test_process_per_file_benchmark_runs_and_counts_alike(method):
    done = subprocess.run(
        [sys.executable, os.path.join(BENCHMARKS, "process_per_file.py"), "--files", "3",
         "--lines", "200", "--rounds", "2", "--start-method", method],
        capture_output=True, text=True, timeout=50,
    )
    assert done.returncode == 0, done.stderr  # each round checked its word count
    assert "ours / stdlib time" in done.stdout
    assert "Warning" not in done.stderr and "leaked" not in done.stderr, done.stderr
