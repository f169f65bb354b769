"""Pools end cleanly however they end: terminated mid-imap, dropped, or orphaned."""

import gc
import os
import signal
import subprocess
import sys

import pytest

from concurrent._shared import BrokenPoolError
from concurrent.processing.pool import Pool
from tests.conftest import QUICK_METHOD
from tests.pool import _targets
from tests.pool.conftest import METHODS, alive, get_context
from tests.pool.test_interrupt import ROOT, _wait_until


def test_terminate_fails_a_waiting_imap():
    pool = Pool(1, context=get_context(QUICK_METHOD))
    results = pool.imap(_targets.slow_identity, [30, 30], chunksize=1)
    pool.terminate()
    with pytest.raises(BrokenPoolError, match="terminated"):
        results.next(timeout=10)
    with pytest.raises(StopIteration):
        results.next(timeout=10)
    pool.join()


def test_a_dropped_pool_stops_its_workers():
    pool = Pool(2, context=get_context(QUICK_METHOD))
    pids = pool._engine.pids()
    assert pool.map(_targets.square, [2]) == [4]
    with pytest.warns(ResourceWarning, match="unclosed running multiprocessing pool"):
        del pool  # as multiprocessing's, a running pool warns when dropped
        gc.collect()
    _wait_until(lambda: not any(alive(pid) for pid in pids), 10, "the workers to stop")


@pytest.mark.parametrize("method", METHODS)
def test_workers_exit_when_their_owner_is_killed(method):
    owner = subprocess.Popen([sys.executable, "-m", "tests.pool._orphan_script", method],
                             cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        pids = [int(pid) for pid in owner.stdout.readline().split()]
        assert len(pids) == 2
    finally:
        owner.send_signal(signal.SIGKILL)
        owner.wait(10)  # not communicate(): the orphans still hold the stdout pipe
        owner.stdout.close()
    try:  # idle workers notice within about a second that their owner is gone
        _wait_until(lambda: not any(alive(pid) for pid in pids), 10,
                    "the orphaned workers to exit")
    finally:
        for pid in pids:
            if alive(pid):  # only if the test failed: leave nothing behind
                os.kill(pid, signal.SIGKILL)


_POOLS_ONE_AFTER_ANOTHER = """
from concurrent.processing import get_context
from tests.pool import _targets

if __name__ == "__main__":
    for _ in range(15):
        with get_context("fork").Pool(2) as pool:
            assert list(pool.imap(_targets.square, range(6))) == [0, 1, 4, 9, 16, 25]
"""


@pytest.mark.skipif("fork" not in METHODS, reason="the fork start method is not available")
def test_pools_one_after_another_never_fork_beside_a_thread_that_just_ended():
    # Each pool's imap feeder and its own thread end as the pool ends; the next pool forks its
    # zygote at once.  A fork while those threads are still leaving the process would warn
    # (3.12+) on stderr.
    done = subprocess.run([sys.executable, "-W", "always::DeprecationWarning", "-c",
                           _POOLS_ONE_AFTER_ANOTHER], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert (done.returncode, done.stderr) == (0, "")
