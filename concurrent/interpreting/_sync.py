"""Event, Condition and Barrier across interpreters.

- ``Event``: a flag that is an interpreter queue holding at most one token, and a doorbell
  (``_waiting``) that ``set`` rings.
- ``Condition``: multiprocessing's algorithm over three of our semaphores and the lock: count
  the sleepers, release one wake-up token per sleeper notified, wait until each has woken, and
  account for sleepers that timed out meanwhile.
- ``Barrier``: ``threading.Barrier``'s state machine over that ``Condition``; its state (phase
  and count) lives in a shared buffer written only with the condition's lock held.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from threading import BrokenBarrierError

from concurrent import interpreters
from concurrent._shared import _sync as _abc
from concurrent._shared._machinery.exports import publish
from concurrent._shared._machinery.semaphore_condition import SemaphoreCondition
from concurrent._shared._machinery.timeouts import check_timeout
from concurrent.interpreting._locks import RLock, Semaphore
from concurrent.interpreting._waiting import Doorbell, wait_for

__all__ = ["Barrier", "BrokenBarrierError", "Condition", "Event"]


class Event(_abc.Event):
    """``Event()``: a flag any interpreter can set, clear and wait for."""

    __slots__ = ("_bell", "_flag")

    def __init__(self) -> None:
        self._flag = interpreters.create_queue(1)
        self._bell = Doorbell()

    def __reduce__(self):
        return _rebuild_event, (self._flag, self._bell)

    def is_set(self) -> bool:
        return self._flag.qsize() > 0

    def set(self) -> None:
        try:
            self._flag.put_nowait(None)
        except interpreters.QueueFull:
            return  # set already: its waiters were woken then
        self._bell.ring()

    def clear(self) -> None:
        try:
            self._flag.get_nowait()
        except interpreters.QueueEmpty:
            pass

    def wait(self, timeout: float | None = None) -> bool:
        check_timeout(timeout)
        return bool(wait_for(self.is_set, (self._bell,), timeout))

    def __repr__(self) -> str:
        state = "set" if self.is_set() else "unset"
        return f"<{type(self).__module__}.{type(self).__qualname__} {state}>"


def _rebuild_event(flag: interpreters.Queue, bell: Doorbell) -> Event:
    event = Event.__new__(Event)
    event._flag, event._bell = flag, bell
    return event


class Condition(SemaphoreCondition):
    """``Condition(lock=None)`` over this backend's ``Lock`` or ``RLock`` (a new ``RLock`` by
    default)."""

    __slots__ = ()
    _RLock, _Semaphore = RLock, Semaphore
    _WRONG_LOCK = "a Condition of concurrent.interpreting needs its Lock or RLock"


class _Phase(enum.IntEnum):
    """Where a barrier is in its cycle (``threading.Barrier``'s states)."""

    FILLING = 0
    DRAINING = 1
    RESETTING = -1
    BROKEN = -2


_PHASE, _COUNT = 0, 1  # the fields of a barrier's state buffer


class Barrier(_abc.Barrier):
    """``Barrier(parties, action=None, timeout=None)`` across interpreters; ``action`` runs in
    the worker that arrives last (so it must be picklable to reach the others)."""

    __slots__ = ("_action", "_cond", "_parties", "_state", "_timeout")

    def __init__(self, parties: int, action: Callable[[], object] | None = None,
                 timeout: float | None = None) -> None:
        if isinstance(parties, bool) or not isinstance(parties, int) or parties < 1:
            raise ValueError(f"parties must be an integer >= 1, got {parties!r}")
        check_timeout(timeout)
        self._parties, self._action, self._timeout = parties, action, timeout
        self._cond = Condition()
        self._state = memoryview(bytearray(16)).cast("q")  # phase, count; zero: FILLING, 0

    def __getstate__(self):
        return self._parties, self._action, self._timeout, self._cond, self._state

    def __setstate__(self, state) -> None:
        self._parties, self._action, self._timeout, self._cond, self._state = state

    def _phase(self) -> _Phase:
        return _Phase(self._state[_PHASE])

    def _set(self, phase: _Phase, count: int) -> None:
        self._state[_PHASE], self._state[_COUNT] = int(phase), count

    # -- threading.Barrier's algorithm, with the condition's lock held ----------------------
    def wait(self, timeout: float | None = None) -> int:
        check_timeout(timeout)
        if timeout is None:
            timeout = self._timeout
        with self._cond:
            self._cond.wait_for(lambda: self._phase() not in (_Phase.DRAINING,
                                                              _Phase.RESETTING))
            if self._phase() is _Phase.BROKEN:
                raise BrokenBarrierError
            index = self._state[_COUNT]
            self._state[_COUNT] = index + 1
            try:
                if index + 1 == self._parties:
                    self._release()
                else:
                    self._await(timeout)
                return index
            finally:
                count = self._state[_COUNT] - 1
                if count == 0 and self._phase() in (_Phase.RESETTING, _Phase.DRAINING):
                    self._set(_Phase.FILLING, 0)
                    self._cond.notify_all()
                else:
                    self._state[_COUNT] = count

    def _release(self) -> None:
        try:
            if self._action is not None:
                self._action()
            self._state[_PHASE] = int(_Phase.DRAINING)
            self._cond.notify_all()
        except BaseException:
            self._break()
            raise

    def _await(self, timeout: float | None) -> None:
        if not self._cond.wait_for(lambda: self._phase() is not _Phase.FILLING, timeout):
            self._break()
            raise BrokenBarrierError
        if self._phase() in (_Phase.BROKEN, _Phase.RESETTING):
            raise BrokenBarrierError

    def _break(self) -> None:
        self._state[_PHASE] = int(_Phase.BROKEN)
        self._cond.notify_all()

    def reset(self) -> None:
        with self._cond:
            if self._state[_COUNT] > 0:
                if self._phase() in (_Phase.FILLING, _Phase.BROKEN):
                    self._state[_PHASE] = int(_Phase.RESETTING)
            else:
                self._set(_Phase.FILLING, 0)
            self._cond.notify_all()

    def abort(self) -> None:
        with self._cond:
            self._break()

    @property
    def parties(self) -> int:
        """How many workers must arrive to pass."""
        return self._parties

    @property
    def n_waiting(self) -> int:
        """How many workers wait now."""
        return self._state[_COUNT] if self._phase() is _Phase.FILLING else 0

    @property
    def broken(self) -> bool:
        """True once a timeout or ``abort()`` broke the barrier (until ``reset()``)."""
        return self._phase() is _Phase.BROKEN

    def __repr__(self) -> str:
        return (f"<{type(self).__module__}.{type(self).__qualname__} "
                f"waiters={self.n_waiting}/{self._parties}>")


publish("concurrent.interpreting", globals(), __all__)
