"""Every request to the scheduler is bounded: a lost scheduler is an error, never a hang.

Dask's blocking calls (``Queue.get``, ``Event.wait`` ...) wait inside the scheduler.  Ours never
ask it to wait longer than ``SLICE`` seconds at a time: a longer wait is a loop of slices, and
each request must be answered within its own wait plus ``GRACE`` seconds (Dask's
``callback_timeout``).  A closed connection, a refused reconnection or a missing answer raise
``SchedulerLostError`` naming the scheduler; so a blocking ``get``, ``join``, ``acquire`` or
``wait`` ends within ``SLICE + GRACE`` seconds of the scheduler going away (at once when its
socket closes, which is the usual case).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from concurrent.distributed._errors import SchedulerLostError

__all__ = ["GRACE", "SLICE", "Deadline", "address_of", "request"]

SLICE = 1.0  # seconds one request may wait inside the scheduler
GRACE = 10.0  # seconds an answer may take beyond that before the scheduler counts as lost

T = TypeVar("T")


def address_of(client: Any) -> str | None:
    try:
        return client.scheduler.address
    except Exception:  # a closed client may have dropped its rpc
        return None


def request(client: Any, call: Callable[[float], T], wait: float = 0.0) -> T:
    """``call(limit)``: one Dask call that waits at most ``wait`` s in the scheduler and passes
    ``callback_timeout=limit``; scheduler trouble becomes ``SchedulerLostError``.

    A ``TimeoutError`` from the scheduler itself (a queue that stayed empty) passes through.
    """
    from distributed.client import ClosedClientError

    if client.status in ("closing", "closed"):
        raise SchedulerLostError(f"the Dask client of this process is {client.status}: the "
                                 f"cluster at {address_of(client)} was shut down or lost; "
                                 f"connect() again", address_of(client))
    limit = wait + GRACE
    started = time.monotonic()
    try:
        return call(limit)
    except TimeoutError as exc:
        if time.monotonic() - started < limit:
            raise  # the scheduler answered: the wait ran out there
        raise SchedulerLostError(
            f"the Dask scheduler at {address_of(client)} did not answer within {limit:g} s",
            address_of(client)) from exc
    except (OSError, ClosedClientError) as exc:
        raise SchedulerLostError(
            f"lost the Dask scheduler at {address_of(client)}: {type(exc).__name__}: {exc}",
            address_of(client)) from exc


class Deadline:
    """The time left of a caller's timeout (``None``: wait forever), in slices."""

    __slots__ = ("_end",)

    def __init__(self, timeout: float | None) -> None:
        self._end = None if timeout is None else time.monotonic() + max(timeout, 0.0)

    def remaining(self) -> float | None:
        """Seconds left (``None``: unbounded), never below zero."""
        return None if self._end is None else max(0.0, self._end - time.monotonic())

    def expired(self) -> bool:
        return self._end is not None and time.monotonic() >= self._end

    def slice(self) -> float:
        """How long the next request may wait: ``SLICE`` or what is left, if less."""
        left = self.remaining()
        return SLICE if left is None else min(SLICE, left)
