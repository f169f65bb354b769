"""Ctrl-C in the parent during map stops the workers; no process is left behind."""

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.pool.conftest import METHODS, alive

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _wait_until(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)  # polling interval of a bounded poll, not synchronization


@pytest.mark.parametrize("target", ["parent", "process-group"])
@pytest.mark.parametrize("method", METHODS)
def test_sigint_during_map_stops_every_worker(method, target, tmp_path):
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.pool._interrupt_script", method, str(tmp_path)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True)
    try:
        pids = [int(pid) for pid in child.stdout.readline().split()]
        assert len(pids) == 2, pids
        _wait_until(lambda: len(os.listdir(tmp_path)) >= 2, 30, "both workers to start a task")
        if target == "parent":
            child.send_signal(signal.SIGINT)
        else:  # what a terminal's Ctrl-C does
            os.killpg(child.pid, signal.SIGINT)
        out, err = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait(10)
    assert child.returncode == 3, (child.returncode, err)
    assert "interrupted; still alive: []" in out, out
    _wait_until(lambda: not any(alive(pid) for pid in pids), 10, "the workers to be gone")
