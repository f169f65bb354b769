"""Fixtures: a context per start method, and checks that tests leave no worker behind."""

import multiprocessing
import os

import pytest

from tests.conftest import START_METHODS
from tests.pool import _targets

METHODS = START_METHODS


def get_context(method):
    """A concurrent.processing context if the core provides one, else the stdlib's."""
    try:
        from concurrent.processing import get_context as ours
    except ImportError:
        return multiprocessing.get_context(method)
    return ours(method)


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):  # it ended between the two checks
        return False


@pytest.fixture(params=METHODS)
def ctx(request):
    return get_context(request.param)


@pytest.fixture(params=METHODS)
def shared_pool(request):
    """A pool per start method for tests that do not break it.  One per test: a live pool runs
    a thread, and a fork from a process that runs threads is what Python 3.12+ warns about
    (3.15 raises it under -W error), so no pool outlives the test that forks next to it."""
    from concurrent.processing.pool import Pool

    pool = Pool(2, context=get_context(request.param))
    pids = set(pool.map(_targets.pid_of, range(8), chunksize=1))
    yield pool
    pool.terminate()
    pool.join()
    assert not [pid for pid in pids if alive(pid)]



def receive(reader, timeout=30):
    """One report from a worker, or fail after ``timeout`` seconds."""
    if not reader.poll(timeout):
        pytest.fail(f"no report from a worker within {timeout} s")
    return reader.recv()
