"""benchmarks/interpreter_start.py runs end to end and prints a figure for each of its four ways,
for both workloads (on 3.11-3.13 it says which Python it needs)."""

import os
import re
import subprocess
import sys

import pytest

from tests.interpreting.conftest import needs_interpreters

SCRIPT = os.path.join(os.path.dirname(__file__), "..", "..", "benchmarks", "interpreter_start.py")
WAYS = {"threads", "bare interpreters", "InterpreterPoolExecutor", "concurrent.interpreting"}
ROW = re.compile(r"^  (\S.*?)\s+([\d.]+) ms\s+([\d.]+)x threads$", re.MULTILINE)


@needs_interpreters
def test_interpreter_start_prints_every_way_for_both_workloads():
    done = subprocess.run([sys.executable, SCRIPT, "--rounds", "1", "--fibonacci", "16",
                           "--primes", "3000"], capture_output=True, text=True, timeout=100)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "fibonacci(16), 2 workers" in done.stdout and "sum_primes(3000)" in done.stdout
    rows = ROW.findall(done.stdout)
    assert len(rows) == 2 * len(WAYS), done.stdout
    assert {name for name, _, _ in rows} == WAYS
    assert all(float(ms) > 0 and float(ratio) > 0 for _, ms, ratio in rows)


@pytest.mark.skipif(sys.version_info >= (3, 14), reason="the script runs there (above)")
def test_interpreter_start_names_the_python_it_needs():
    done = subprocess.run([sys.executable, SCRIPT], capture_output=True, text=True, timeout=30)
    assert done.returncode == 1
    assert "needs Python 3.14 or later" in done.stderr
