"""Fixtures for the interpreter backend's own tests (Python 3.14+).

Every test must leave no worker running and, once what they sent was taken, no interpreter and
no thread it started (the backend's reaper, pool and manager threads end with what they serve):
what ends asynchronously is waited for, bounded.
"""

import sys
import threading
import time

import pytest

WAIT = 10.0
HAVE_INTERPRETERS = sys.version_info >= (3, 14)
needs_interpreters = pytest.mark.skipif(
    not HAVE_INTERPRETERS, reason="concurrent.interpreting needs Python 3.14+ "
                                  "(concurrent.interpreters)")


def until(condition, timeout: float = WAIT) -> bool:
    """Poll ``condition()`` until true or ``timeout`` passes (a deadline, not a sleep as sync)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


@pytest.fixture
def backend():
    import concurrent.interpreting

    return concurrent.interpreting


@pytest.fixture(autouse=True)
def no_stray_workers_or_interpreters():
    if not HAVE_INTERPRETERS:
        yield
        return
    import concurrent.interpreting as backend
    from concurrent import interpreters

    before = {interp.id for interp in interpreters.list_all()}
    threads_before = set(threading.enumerate())
    yield
    assert until(lambda: not backend.active_children()), (
        f"workers still running after the test: {backend.active_children()}")
    assert until(lambda: {i.id for i in interpreters.list_all()} <= before), (
        f"interpreters left behind: {interpreters.list_all()} (before: {sorted(before)})")
    assert until(lambda: set(threading.enumerate()) <= threads_before), (
        f"threads left running: {set(threading.enumerate()) - threads_before}")
