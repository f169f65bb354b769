"""Sleeping until another interpreter says so: parkers and doorbells.

Interpreters share no lock or condition object, and the stdlib's cross-interpreter queues only
poll (``Queue.get`` sleeps 10 ms between tries).  Every blocking call of this backend is a check
in a loop around ``wait_for`` instead::

    waiter: take a parker -> register it with each doorbell -> check -> sleep on it -> check ...
    waker:  change the shared state -> ring the doorbell: one byte to every registered parker

A *parker* is a pipe: the waiting thread polls its read end.  Its two descriptors are ints, so
they cross interpreters.  A *doorbell* is an interpreter queue of the write ends of the parkers
waiting on something.  A waiter registers before its last check and a waker changes the state
before it rings, so no wake-up is lost; a ring wakes every registered waiter and each checks
again, so a stale registration costs one spurious wake, never a missed one.

A parker is never closed: a waker may take a registration from a doorbell and write to it after
its waiter left, and that byte must never reach a descriptor reused for a file.  Each
interpreter keeps the parkers it used; an interpreter this backend started gets some from the
main interpreter's spares and hands all of its own back when it ends (``spare_parkers``,
``adopt_parkers``), so the process holds about as many pipes as threads ever waited at once.
"""

from __future__ import annotations

import math
import os
import select
import threading
import time
from collections.abc import Callable, Iterable

from concurrent import interpreters

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Doorbell", "adopt_parkers", "spare_parkers", "wait_for"]

_LONGEST_SLEEP_MS = 3_600_000  # poll() takes milliseconds; sleep in slices of at most an hour
_STALE_LIMIT = 256  # more registrations than this on one doorbell: ring it to clear stale ones
_POKE = b"\0"

# The parkers this interpreter owns and no thread uses right now, as (read, write) pairs.
# list.append and list.pop are atomic, so threads share it without a lock.
_idle: list[tuple[int, int]] = []
_polls: dict[int, Any] = {}  # read end -> its select.poll object, made once per parker
_polls_lock = threading.Lock()


def _new_parker() -> tuple[int, int]:
    read, write = os.pipe()
    os.set_blocking(read, False)
    os.set_blocking(write, False)
    return read, write


def _poller(read: int) -> Any:
    poller = _polls.get(read)
    if poller is None:
        with _polls_lock:
            poller = _polls.get(read)
            if poller is None:
                poller = select.poll()
                poller.register(read, select.POLLIN)
                _polls[read] = poller
    return poller


def _sleep(parker: tuple[int, int], seconds: float | None) -> None:
    """Sleep until the parker is poked or ``seconds`` pass; swallow the pokes."""
    read = parker[0]
    if seconds is None:
        milliseconds = _LONGEST_SLEEP_MS
    else:
        milliseconds = min(_LONGEST_SLEEP_MS, max(0, math.ceil(seconds * 1000)))
    if _poller(read).poll(milliseconds):
        try:
            os.read(read, 4096)
        except BlockingIOError:  # another thread of a stale registration drained it
            pass


def _poke(write: int) -> None:
    try:
        os.write(write, _POKE)
    except BlockingIOError:  # the pipe is full of pokes already: it will wake anyway
        pass


class Doorbell:
    """Whom to wake when something changes: the parkers registered to wait for it.

    It pickles as its interpreter queue, so every copy rings the same waiters.
    """

    __slots__ = ("_waiters",)

    def __init__(self, waiters: interpreters.Queue | None = None) -> None:
        self._waiters = interpreters.create_queue() if waiters is None else waiters

    def __reduce__(self):
        return Doorbell, (self._waiters,)

    def ring(self) -> None:
        """Wake every parker registered so far (each removes its registration by waking)."""
        waiters = self._waiters
        pending = waiters.qsize()
        while pending > 0:
            pending -= 1
            try:
                write = waiters.get_nowait()
            except interpreters.QueueEmpty:
                return
            if type(write) is int:  # else UNBOUND: its waiter's interpreter is gone
                _poke(write)

    def _register(self, write: int) -> None:
        waiters = self._waiters
        if waiters.qsize() > _STALE_LIMIT:
            self.ring()  # stale registrations of waits that ended without a ring
        waiters.put_nowait(write)


def wait_for(ready: Callable[[], Any], bells: Iterable[Doorbell],
             timeout: float | None) -> Any:
    """Wait until ``ready()`` returns a true value or ``timeout`` seconds pass (``None``: no
    limit); return its last value.  Whoever makes it true must ring one of ``bells`` after."""
    value = ready()
    if value or (timeout is not None and timeout <= 0):
        return value
    deadline = None if timeout is None else time.monotonic() + timeout
    bells = tuple(bells)
    try:
        parker = _idle.pop()
    except IndexError:
        parker = _new_parker()
    try:
        while True:
            for bell in bells:
                bell._register(parker[1])
            value = ready()
            if value:
                return value
            if deadline is None:
                _sleep(parker, None)
            else:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return value
                _sleep(parker, remaining)
            value = ready()
            if value:
                return value
    finally:
        _idle.append(parker)


def spare_parkers(limit: int) -> tuple[tuple[int, int], ...]:
    """Up to ``limit`` idle parkers of this interpreter, given away (to an interpreter that
    starts)."""
    given = []
    while len(given) < limit:
        try:
            given.append(_idle.pop())
        except IndexError:
            break
    return tuple(given)


def adopt_parkers(parkers: Iterable[tuple[int, int]]) -> None:
    """Take ``parkers`` (from an interpreter that starts or ends) as idle parkers of this one."""
    _idle.extend(tuple(parker) for parker in parkers)
