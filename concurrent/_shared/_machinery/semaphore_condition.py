"""A ``Condition`` made of a backend's lock and three of its semaphores, for backends whose
workers share no condition variable (interpreters, the cluster).

The algorithm is multiprocessing's ``Condition`` (``Lib/multiprocessing/synchronize.py``): a
waiter counts itself in ``sleeping``, releases the lock (every level of an ``RLock``) and
sleeps on ``wakeup``; ``notify`` moves up to ``n`` sleepers from ``sleeping`` to ``wakeup`` and
waits until each has counted itself in ``woken``, so a waiter that timed out is never woken in
its place.  It works across workers because the lock and the semaphores do.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from concurrent._shared import _sync as _abc
from concurrent._shared._machinery.timeouts import check_timeout

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["SemaphoreCondition"]


class SemaphoreCondition(_abc.Condition):
    """``Condition(lock=None)`` over the backend's ``Lock`` or ``RLock`` (a new ``RLock`` by
    default).  A subclass names the backend's ``_RLock`` and ``_Semaphore`` classes, and in
    ``_WRONG_LOCK`` what a bad ``lock`` should have been."""

    __slots__ = ("_lock", "_sleeping", "_wakeup", "_woken")
    _RLock: Callable[[], Any]
    _Semaphore: Callable[[int], Any]
    _WRONG_LOCK: str

    def __init__(self, lock: Any = None) -> None:
        self._lock = self._RLock() if lock is None else lock
        if not hasattr(self._lock, "_release_save"):
            raise TypeError(f"{self._WRONG_LOCK}, got {lock!r}")
        self._sleeping = self._Semaphore(0)
        self._woken = self._Semaphore(0)
        self._wakeup = self._Semaphore(0)

    def __getstate__(self):
        return self._lock, self._sleeping, self._woken, self._wakeup

    def __setstate__(self, state) -> None:
        self._lock, self._sleeping, self._woken, self._wakeup = state

    def acquire(self, block: bool = True, timeout: float | None = None) -> bool:
        return self._lock.acquire(block, timeout)

    def release(self) -> None:
        self._lock.release()

    def __enter__(self):
        self._lock.acquire()
        return self

    def _check_owned(self, what: str) -> None:
        if not self._lock._is_owned():
            raise RuntimeError(f"cannot {what} on an un-acquired lock")

    def wait(self, timeout: float | None = None) -> bool:
        self._check_owned("wait")
        check_timeout(timeout)
        self._sleeping.release()
        depth = self._lock._release_save()
        try:
            return self._wakeup.acquire(True, timeout)
        finally:
            self._woken.release()
            self._lock._acquire_restore(depth)

    def wait_for(self, predicate: Callable[[], Any], timeout: float | None = None) -> Any:
        check_timeout(timeout)
        deadline = None if timeout is None else time.monotonic() + timeout
        result = predicate()
        while not result:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                break
            self.wait(remaining)
            result = predicate()
        return result

    def notify(self, n: int = 1) -> None:
        self._check_owned("notify")
        while self._wakeup.acquire(False):  # tokens left by sleepers that timed out
            pass
        while self._woken.acquire(False):  # sleepers that already left, by timeout
            self._sleeping.acquire(False)
        sleepers = 0
        while sleepers < n and self._sleeping.acquire(False):
            self._wakeup.release()
            sleepers += 1
        for _ in range(sleepers):
            self._woken.acquire()  # each notified sleeper has woken (or timed out)
        while self._wakeup.acquire(False):  # a sleeper timed out as we woke it
            pass

    def notify_all(self) -> None:
        self.notify(2**31 - 1)

    def __repr__(self) -> str:
        return f"<{type(self).__module__}.{type(self).__qualname__} of {self._lock!r}>"
