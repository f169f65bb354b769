"""Threads of ours that finished but may not have left the process yet, so a fork can wait.

CPython 3.12+ warns when a process that runs threads forks (the child may inherit a lock that
no thread will release).  A thread whose target returned is already gone from
``threading.enumerate()``, and on 3.12 ``join()`` returns before the kernel has removed it, so a
fork right after a pool's imap feeder or a pool's own thread ended could still see it: the
warning fires, though no thread of the program is running.  Our helper threads therefore run
through ``start_daemon`` (or ``start_thread``, for a worker thread the program may wait for at
exit), which notes each one's native id as it ends, and ``wait_until_left`` (called by our fork
path) waits, at most a bounded time, until the kernel no longer lists them.
Only Linux lists a process's threads (``/proc/self/task``); elsewhere nothing is noted.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable

__all__ = ["start_daemon", "start_thread", "wait_until_left"]

_TASKS = "/proc/self/task"
_LISTS_THREADS = os.path.isdir(_TASKS)
_PRUNE_ABOVE = 32  # ended threads noted before the gone ones are forgotten
_leaving: set[int] = set()


def start_daemon(target: Callable[..., object], *args: object, name: str) -> threading.Thread:
    """Start a daemon thread running ``target(*args)``; a fork of ours waits for it to leave
    once it ends."""
    return start_thread(target, *args, name=name, daemon=True)


def start_thread(target: Callable[..., object], *args: object, name: str,
                 daemon: bool) -> threading.Thread:
    """``start_daemon`` for a thread that may be a daemon or not."""
    thread = threading.Thread(target=_run_then_leave, args=(target, args), name=name,
                              daemon=daemon)
    thread.start()
    return thread


def _run_then_leave(target: Callable[..., object], args: tuple) -> None:
    try:
        target(*args)
    finally:
        if _LISTS_THREADS:
            if len(_leaving) >= _PRUNE_ABOVE:
                _leaving.difference_update([tid for tid in list(_leaving) if not _listed(tid)])
            _leaving.add(threading.get_native_id())


def wait_until_left(timeout: float = 1.0) -> None:
    """Return once every noted thread has left the process (or after ``timeout`` seconds)."""
    if not _leaving:
        return
    alive = {thread.native_id for thread in threading.enumerate()}
    deadline = time.monotonic() + timeout
    for tid in list(_leaving):
        # A reused id belongs to a running thread now: nothing of ours to wait for.
        while tid not in alive and _listed(tid) and time.monotonic() < deadline:
            time.sleep(0.0005)
        _leaving.discard(tid)


def _listed(tid: int) -> bool:
    return os.path.exists(f"{_TASKS}/{tid}")
