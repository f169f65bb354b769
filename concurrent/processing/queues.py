"""Process queues that pickle in the caller, so a bad item raises in ``put`` and is never lost.

The stdlib's ``Queue.put`` hands the object to a feeder thread that pickles it later: a pickling
error is printed by that thread and the item silently vanishes (gh-84376).  Here ``put`` pickles
first (``UnpicklableError`` naming the bad part) and queues the bytes; the feeder thread then
only wraps bytes in bytes, one extra copy of the payload in exchange for never losing an error.
"""

from __future__ import annotations

from multiprocessing import queues as _mp

from concurrent import _shared
from concurrent._shared._timeouts import check_timeout
from concurrent.processing import _pickling
from concurrent.processing.synchronize import _resolve_ctx

__all__ = ["JoinableQueue", "Queue", "SimpleQueue"]


def _check_timeout(block: bool, timeout: float | None) -> None:
    if block:  # as queue.Queue: a non-blocking call ignores the timeout
        check_timeout(timeout)


class Queue(_mp.Queue, _shared.Queue):
    """A FIFO queue between processes, bounded when ``maxsize > 0``."""

    def __init__(self, maxsize: int = 0, *, ctx=None) -> None:
        super().__init__(maxsize, ctx=_resolve_ctx(ctx))

    def put(self, obj, block: bool = True, timeout: float | None = None) -> None:
        """Append ``obj``; ``Full`` if no room came in time, ``UnpicklableError`` at once."""
        _check_timeout(block, timeout)
        super().put(_pickling.dumps(obj, what="item"), block, timeout)

    def get(self, block: bool = True, timeout: float | None = None):
        """Remove and return the oldest item; ``Empty`` if none came in time."""
        _check_timeout(block, timeout)
        return _pickling.loads(super().get(block, timeout))


class JoinableQueue(_mp.JoinableQueue, _shared.JoinableQueue):
    """A ``Queue`` that counts unfinished items: consumers ``task_done()``, producers ``join()``."""

    def __init__(self, maxsize: int = 0, *, ctx=None) -> None:
        super().__init__(maxsize, ctx=_resolve_ctx(ctx))

    def put(self, obj, block: bool = True, timeout: float | None = None) -> None:
        """Append ``obj``; ``Full`` if no room came in time, ``UnpicklableError`` at once."""
        _check_timeout(block, timeout)
        super().put(_pickling.dumps(obj, what="item"), block, timeout)

    def get(self, block: bool = True, timeout: float | None = None):
        """Remove and return the oldest item; ``Empty`` if none came in time."""
        _check_timeout(block, timeout)
        return _pickling.loads(super().get(block, timeout))


class SimpleQueue(_mp.SimpleQueue, _shared.SimpleQueue):
    """An unbounded FIFO queue between processes: a pipe and two locks, no feeder thread."""

    def __init__(self, *, ctx=None) -> None:
        super().__init__(ctx=_resolve_ctx(ctx))

    def put(self, obj) -> None:
        """Append ``obj``; ``UnpicklableError`` if it cannot be pickled."""
        data = _pickling.dumps(obj, what="item")
        if self._wlock is None:  # Windows: message pipe writes are atomic
            self._writer.send_bytes(data)
        else:
            with self._wlock:
                self._writer.send_bytes(data)
