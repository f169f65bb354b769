"""benchmarks/round_trip_latency.py runs end to end and prints a positive figure for each way."""

import os
import re
import subprocess
import sys

import pytest

SCRIPT = os.path.join(os.path.dirname(__file__), "..", "benchmarks", "round_trip_latency.py")


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="needs sched_setaffinity")
def test_round_trip_latency_prints_three_ways():
    done = subprocess.run([sys.executable, SCRIPT, "--trips", "300", "--runs", "1"],
                          capture_output=True, text=True, timeout=50)
    assert done.returncode == 0, done.stderr
    figures = dict(re.findall(r"^(both [^\d]+?)\s+([\d.]+) µs per round trip$", done.stdout,
                              re.MULTILINE))
    assert set(figures) == {"both block", "both block, one CPU", "both poll"}, done.stdout
    assert all(float(value) > 0 for value in figures.values())
