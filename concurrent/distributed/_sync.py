"""Event, Condition and Barrier of the cluster.

- ``Event`` is Dask's ``distributed.Event`` (its scheduler extension), waited on in bounded
  slices.
- ``Condition`` is what Dask lacks: built from three of our semaphores and the lock, with the
  algorithm multiprocessing uses for the same job (count sleepers, release one wait token per
  notified sleeper, wait until each has woken, account for sleepers that timed out).
- ``Barrier`` is ``threading.Barrier``'s state machine over that ``Condition``, its state
  (phase, count) in a Dask ``Variable`` written only with the condition's lock held.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from threading import BrokenBarrierError
from typing import Any

from concurrent._shared import _sync as _abc
from concurrent._shared._machinery.exports import publish
from concurrent._shared._machinery.semaphore_condition import SemaphoreCondition
from concurrent._shared._machinery.timeouts import check_timeout
from concurrent.distributed import _cluster
from concurrent.distributed._calls import Deadline, request
from concurrent.distributed._locks import RLock, Semaphore
from concurrent.distributed._store import new_name

__all__ = ["Barrier", "BrokenBarrierError", "Condition", "Event"]


class Event(_abc.Event):
    """A flag of the cluster (``distributed.Event``): ``set`` wakes every waiting worker."""

    __slots__ = ("_client", "_event", "name")

    def __init__(self) -> None:
        self.name = new_name("event")
        self._event = self._client = None

    def __reduce__(self):
        return _rebuild_event, (self.name,)

    def _call(self, op: str, wait: float | None = None) -> Any:
        if self._event is None:
            from distributed import Event as DaskEvent

            self._client = _cluster.client()
            self._event = DaskEvent(self.name, self._client)
        handler = getattr(self._client.scheduler, f"event_{op}")
        kwargs = {} if wait is None else {"timeout": wait}
        return request(self._client, lambda limit: self._client.sync(
            handler, name=self.name, callback_timeout=limit, **kwargs), wait or 0.0)

    def is_set(self) -> bool:
        return bool(self._call("is_set"))

    def set(self) -> None:
        self._call("set")

    def clear(self) -> None:
        self._call("clear")

    def wait(self, timeout: float | None = None) -> bool:
        check_timeout(timeout)
        deadline = Deadline(timeout)
        while not self._call("wait", deadline.slice()):
            if deadline.expired():
                return False
        return True

    def __repr__(self) -> str:
        return f"<{type(self).__module__}.{type(self).__qualname__} {self.name}>"


def _rebuild_event(name: str) -> Event:
    event = Event.__new__(Event)
    event.name, event._event, event._client = name, None, None
    return event


class Condition(SemaphoreCondition):
    """``Condition(lock=None)`` of the cluster (a new ``RLock`` by default)."""

    __slots__ = ()
    _RLock, _Semaphore = RLock, Semaphore
    _WRONG_LOCK = "a cluster Condition needs a concurrent.distributed Lock or RLock"


class _Phase(enum.IntEnum):
    """Where a barrier is in its cycle (``threading.Barrier``'s states)."""

    FILLING = 0
    DRAINING = 1
    RESETTING = -1
    BROKEN = -2


class Barrier(_abc.Barrier):
    """``Barrier(parties, action=None, timeout=None)`` of the cluster."""

    def __init__(self, parties: int, action: Callable[[], object] | None = None,
                 timeout: float | None = None) -> None:
        if isinstance(parties, bool) or not isinstance(parties, int) or parties < 1:
            raise ValueError(f"parties must be an integer >= 1, got {parties!r}")
        check_timeout(timeout)
        self._parties, self._action, self._timeout = parties, action, timeout
        self._cond = Condition()
        self._name = new_name("barrier")
        self._variable = None
        self._store(_Phase.FILLING, 0)

    def __getstate__(self):
        return self._parties, self._action, self._timeout, self._cond, self._name

    def __setstate__(self, state) -> None:
        self._parties, self._action, self._timeout, self._cond, self._name = state
        self._variable = None

    # -- the shared state, read and written with the condition's lock held ----------------
    def _var(self) -> Any:
        if self._variable is None:
            from distributed import Variable

            self._variable = Variable(self._name, _cluster.client())
        return self._variable

    def _load(self) -> tuple[_Phase, int]:
        variable = self._var()
        phase, count = request(variable.client, lambda limit: variable.get(
            timeout=0, callback_timeout=limit))
        return _Phase(phase), count

    def _store(self, phase: _Phase, count: int) -> None:
        variable = self._var()
        request(variable.client, lambda limit: variable.set(
            [int(phase), count], callback_timeout=limit))

    # -- threading.Barrier's algorithm ----------------------------------------------------
    def wait(self, timeout: float | None = None) -> int:
        check_timeout(timeout)
        if timeout is None:
            timeout = self._timeout
        with self._cond:
            self._cond.wait_for(
                lambda: self._load()[0] not in (_Phase.DRAINING, _Phase.RESETTING))
            phase, index = self._load()
            if phase is _Phase.BROKEN:
                raise BrokenBarrierError
            self._store(phase, index + 1)
            try:
                if index + 1 == self._parties:
                    self._release()
                else:
                    self._await(timeout)
                return index
            finally:
                phase, count = self._load()
                if count - 1 == 0 and phase in (_Phase.RESETTING, _Phase.DRAINING):
                    self._store(_Phase.FILLING, 0)
                    self._cond.notify_all()
                else:
                    self._store(phase, count - 1)

    def _release(self) -> None:
        try:
            if self._action is not None:
                self._action()
            self._store(_Phase.DRAINING, self._load()[1])
            self._cond.notify_all()
        except BaseException:
            self._break()
            raise

    def _await(self, timeout: float | None) -> None:
        if not self._cond.wait_for(lambda: self._load()[0] is not _Phase.FILLING, timeout):
            self._break()
            raise BrokenBarrierError
        if self._load()[0] in (_Phase.BROKEN, _Phase.RESETTING):
            raise BrokenBarrierError

    def _break(self) -> None:
        self._store(_Phase.BROKEN, self._load()[1])
        self._cond.notify_all()

    def reset(self) -> None:
        with self._cond:
            phase, count = self._load()
            if count > 0:
                if phase in (_Phase.FILLING, _Phase.BROKEN):
                    self._store(_Phase.RESETTING, count)
            else:
                self._store(_Phase.FILLING, 0)
            self._cond.notify_all()

    def abort(self) -> None:
        with self._cond:
            self._break()

    @property
    def parties(self) -> int:
        return self._parties

    @property
    def n_waiting(self) -> int:
        phase, count = self._load()
        return count if phase is _Phase.FILLING else 0

    @property
    def broken(self) -> bool:
        return self._load()[0] is _Phase.BROKEN


publish("concurrent.distributed", globals(), __all__)
