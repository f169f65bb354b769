"""Spin, then block: wait for another process by polling briefly before sleeping.

A process that sleeps until another CPU wakes it pays a cross-CPU wake-up (tens of µs here:
``benchmarks/round_trip_latency.py``) on every item of a stream whose producer keeps up with its
consumer.  Polling for up to ``SPIN_SECONDS`` first catches the next item awake.  At most one
thread per process spins (the others sleep at once), and never on a single usable CPU, where
the peer needs that CPU to make progress.
"""

from __future__ import annotations

import functools
import os
import threading
import time
from collections.abc import Callable

__all__ = ["SPIN_SECONDS", "spin_until"]

SPIN_SECONDS = 100e-6

_spinning = threading.Lock()  # held by the one thread of this process that spins


def _forget_spinner() -> None:
    global _spinning
    _spinning = threading.Lock()  # a forked child's other threads are gone


os.register_at_fork(after_in_child=_forget_spinner)


@functools.cache
def _usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def spin_until(ready: Callable[[], bool], seconds: float = SPIN_SECONDS) -> bool:
    """Poll ``ready()`` for up to ``seconds``; its last answer (False at once when this process
    already has a spinner or has one CPU: then the caller should block)."""
    if _usable_cpus() < 2 or not _spinning.acquire(False):
        return ready()
    try:
        deadline = time.perf_counter() + seconds
        while not ready():
            if time.perf_counter() > deadline:
                return False
        return True
    finally:
        _spinning.release()
