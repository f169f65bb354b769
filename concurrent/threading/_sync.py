"""Synchronization primitives on threads.

``Lock()`` and ``RLock()`` return the stdlib's C locks themselves, never a wrapper: the classes
exist so that ``isinstance(obj, concurrent.threading.Lock)`` works (the C lock types are
registered with them) and so every backend's ``Lock`` is a class.  The pure-Python primitives
are subclassed only to drop camelCase aliases and to reject bad input up front: a negative
timeout, ``Barrier(0)``.
"""

import _thread
import threading

from concurrent._shared import _sync as _abc
from concurrent._shared._machinery.exports import publish
from concurrent._shared._machinery.timeouts import check_timeout
from concurrent.threading._pep8 import PEP8Only, Renamed

__all__ = [
    "Barrier",
    "BoundedSemaphore",
    "BrokenBarrierError",
    "Condition",
    "Event",
    "Lock",
    "RLock",
    "Semaphore",
]

BrokenBarrierError = threading.BrokenBarrierError


class Lock(_abc.Lock):
    """``Lock()``: a new C ``threading.Lock`` (an instance of this class by registration)."""

    __slots__ = ()

    def __new__(cls) -> "Lock":
        return _thread.allocate_lock()


class RLock(_abc.RLock):
    """``RLock()``: a new C ``threading.RLock`` (an instance of this class by registration)."""

    __slots__ = ()

    def __new__(cls) -> "RLock":
        return _thread.RLock()


Lock.register(_thread.LockType)
RLock.register(_thread.RLock)


def _check_acquire_timeout(blocking: bool, timeout: float | None) -> float | None:
    # The lock convention: -1 (and None) wait forever, other negatives are a mistake.
    if timeout == -1:
        timeout = None
    check_timeout(timeout)
    if not blocking and timeout is not None:
        raise ValueError("can't specify a timeout for a non-blocking call")
    return timeout


class Condition(threading.Condition, metaclass=PEP8Only):
    """``threading.Condition`` with PEP 8 names only; a negative timeout raises ``ValueError``."""

    notifyAll = Renamed("notify_all()")  # noqa: N815

    def wait(self, timeout: float | None = None) -> bool:
        check_timeout(timeout)
        return super().wait(timeout)

    def wait_for(self, predicate, timeout: float | None = None):
        check_timeout(timeout)
        return super().wait_for(predicate, timeout)


class Event(threading.Event, metaclass=PEP8Only):
    """``threading.Event`` with PEP 8 names only; a negative timeout raises ``ValueError``."""

    isSet = Renamed("is_set()")  # noqa: N815

    def wait(self, timeout: float | None = None) -> bool:
        # Written out rather than calling super(): the extra call would make a set event's
        # wait() much slower than the stdlib's.  Reading the flag is atomic, so a set event
        # returns without taking the lock.
        if timeout is not None and timeout < 0:
            check_timeout(timeout)
        if self._flag:
            return True
        with self._cond:
            return self._flag or self._cond.wait(timeout)


class Semaphore(threading.Semaphore):
    """``threading.Semaphore``; ``timeout=-1`` waits forever like a lock, other negatives raise."""

    def acquire(self, blocking: bool = True, timeout: float | None = None) -> bool:
        return super().acquire(blocking, _check_acquire_timeout(blocking, timeout))


class BoundedSemaphore(Semaphore, threading.BoundedSemaphore):
    """A ``Semaphore`` whose ``release`` past the initial value raises ``ValueError``."""


class Barrier(threading.Barrier):
    """``threading.Barrier`` that rejects a party count below 1 and a negative timeout."""

    def __init__(self, parties: int, action=None, timeout: float | None = None) -> None:
        if not isinstance(parties, int) or parties < 1:
            raise ValueError(f"parties must be an integer >= 1, got {parties!r}")
        check_timeout(timeout)
        super().__init__(parties, action, timeout)

    def wait(self, timeout: float | None = None) -> int:
        check_timeout(timeout)
        return super().wait(timeout)


for _abc_class, _class in [(_abc.Condition, Condition), (_abc.Event, Event),
                           (_abc.Semaphore, Semaphore), (_abc.BoundedSemaphore, BoundedSemaphore),
                           (_abc.Barrier, Barrier)]:
    _abc_class.register(_class)
del _abc_class, _class

publish("concurrent.threading", globals(), __all__)
