"""Session-wide check: the test run leaves no child process, semaphore or shared-memory segment,
and no interpreter (Python 3.14+).

The resource tracker (the helper process multiprocessing starts to unlink named semaphores and
shared memory that a program forgot) is started before any test module is imported, with its
stderr sent to a file.  At the end of the session it is stopped: it then reports, on that
stderr, every resource still registered, i.e. created by a test and never released.  Any such
report, or any child process still running, fails the session (as an error in the teardown of
the last test).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
import tempfile
import time
from multiprocessing import resource_tracker

import pytest

_DEADLINE_SECONDS = 10.0

# The start methods this platform has, its default first: tests of processes run under each.
START_METHODS = multiprocessing.get_all_start_methods()
# The quickest to start, for tests about something other than starting.
QUICK_METHOD = "fork" if "fork" in START_METHODS else START_METHODS[0]
_tracker_log: str | None = None


def pytest_configure(config: pytest.Config) -> None:
    """Start the resource tracker with its stderr in a file we read at the end of the session."""
    global _tracker_log
    tracker = resource_tracker._resource_tracker
    if tracker._fd is not None:  # already started by a plugin: it writes where it writes
        return
    descriptor, _tracker_log = tempfile.mkstemp(prefix="resource-tracker-", suffix=".txt")
    saved = os.dup(2)
    try:
        os.dup2(descriptor, 2)
        resource_tracker.ensure_running()
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(descriptor)


def _os_children() -> set[int]:
    """Child pids of this process, from /proc (every thread's list); empty where unsupported."""
    pids: set[int] = set()
    try:
        tasks = os.listdir(f"/proc/{os.getpid()}/task")
    except OSError:
        return pids
    for task in tasks:
        try:
            with open(f"/proc/{os.getpid()}/task/{task}/children") as file:
                pids.update(int(pid) for pid in file.read().split())
        except OSError:
            continue
    return pids


def _describe(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as file:
            command = file.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return str(pid)
    return f"{pid}: {command[:200]}"


def _until(condition, seconds: float = _DEADLINE_SECONDS) -> bool:
    """Poll ``condition()`` until it is true or the deadline passes (no sleep as sync)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _reap_process_objects() -> list[str]:
    """Join children that are ending; kill (and report) any that are not."""
    _until(lambda: not multiprocessing.active_children())
    stray = multiprocessing.active_children()
    for child in stray:
        child.kill()
        child.join(_DEADLINE_SECONDS)
    return [f"child process still alive at session end: {child.name} (pid {child.pid})"
            for child in stray]


def _helper_pids() -> set[int]:
    from multiprocessing import forkserver

    pids = {resource_tracker._resource_tracker._pid, forkserver._forkserver._forkserver_pid}
    return {pid for pid in pids if pid is not None}


def _reap_os_children() -> list[str]:
    """Children not known to multiprocessing (os.fork, subprocess): report and kill them."""
    _until(lambda: not _os_children() - _helper_pids())
    stray = sorted(_os_children() - _helper_pids())
    problems = [f"OS-level child process left running: {_describe(pid)}" for pid in stray]
    for pid in stray:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            continue
    return problems


def _stray_interpreters() -> list[str]:
    """Interpreters the run started and never closed (concurrent.interpreting closes an ended
    worker's from a thread of its own, so this waits for it within the deadline)."""
    if sys.version_info < (3, 14) or "concurrent.interpreting" not in sys.modules:
        return []
    from concurrent import interpreters

    main = interpreters.get_main().id
    _until(lambda: all(interp.id == main for interp in interpreters.list_all()))
    return [f"interpreter left open at session end: {interp!r}"
            for interp in interpreters.list_all() if interp.id != main]


def _stop_tracker() -> list[str]:
    """Close the tracker's pipe so it reports leftovers and exits; bounded, unlike ``_stop``."""
    tracker = resource_tracker._resource_tracker
    with tracker._lock:
        if tracker._fd is None:
            return []
        os.close(tracker._fd)
        pid, tracker._fd, tracker._pid = tracker._pid, None, None
    if _until(lambda: os.waitpid(pid, os.WNOHANG)[0] != 0):
        return []
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return ["the resource tracker did not exit: some process still holds its pipe"]


@pytest.fixture(scope="module", autouse=True)
def collect_garbage_between_modules():
    """Run the finalizers of a module's unreachable locks and queues before the next one runs.

    From 3.13 on, a collection that happens to start inside a resource-tracker call (a SemLock
    made under spawn or forkserver registers itself) makes the semaphores it frees unregister
    reentrantly: the stdlib then warns and leaves them to the tracker.  Garbage left over from
    earlier modules made that happen once in CI (py313, 12 semaphores); collecting it at each
    module's end leaves little for such a collection to find.
    """
    yield
    gc.collect()


@pytest.fixture(scope="session", autouse=True)
def no_leaked_processes_or_resources():
    """Fail the session if it leaves a child process or a tracked resource behind."""
    yield
    problems = _reap_process_objects()
    from concurrent.processing._datapath import ring

    ring._takeover_locks.clear()  # kept for the process's life: its exit would unlink them
    gc.collect()  # run the finalizers of unreachable locks, queues and segments
    problems += _stray_interpreters()
    problems += _reap_os_children()
    from multiprocessing import forkserver

    forkserver._forkserver._stop()
    problems += _stop_tracker()
    if _tracker_log is not None:
        with open(_tracker_log, encoding="utf-8", errors="replace") as file:
            problems += [f"resource tracker: {line.strip()}" for line in file
                         if "leaked" in line]
        os.unlink(_tracker_log)
    if problems:
        pytest.fail("the test session leaked:\n  " + "\n  ".join(problems), pytrace=False)
