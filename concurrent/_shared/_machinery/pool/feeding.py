"""How ``imap`` feeds a pool: its input pulled in chunks, in a thread, a bounded number ahead.

Both pools use it.  The feeder runs in its own thread, so a slow or endless input blocks nobody
and ``imap`` returns at once; it keeps at most ``InFlight``'s limit of chunks queued or running,
so an endless input does not fill memory; and with ``chunksize=None`` a ``ChunkSizer`` learns
from each finished chunk how large the next should be.  An exception raised by the input is
raised by the results iterator where the chunk it broke would start, and ends the results.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator

from concurrent._shared._errors import BrokenPoolError
from concurrent._shared._machinery.pool.chunks import ChunkSizer
from concurrent._shared._machinery.pool.results import Outcome

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Feeder", "InFlight"]

# submit(items, start, on_done) queues one chunk; False once the pool was terminated.
Submit = Callable[[list, int, Callable[[int, "float | None"], None]], bool]


class InFlight:
    """Bounds the chunks an imap has in flight, and wakes its feeder only once half drained.

    A semaphore would wake the feeder for every finished chunk, costing two thread switches
    per task when tasks are tiny.
    """

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._count = 0
        self._cond = threading.Condition(threading.Lock())

    def acquire(self, timeout: float) -> bool:
        with self._cond:
            if self._count >= self._limit and not self._cond.wait_for(
                    lambda: self._count <= self._limit // 2, timeout):
                return False
            self._count += 1
            return True

    def release(self) -> None:
        with self._cond:
            self._count -= 1
            if self._count == self._limit // 2:
                self._cond.notify()


class Feeder:
    """Feeds ``iterator`` to a pool for one imap whose results go to ``result``.

    ``submit`` packages and queues a chunk (an exception it raises fails that chunk's tasks);
    ``terminated()`` tells the feeder to give up while it waits for room.
    """

    def __init__(self, iterator: Iterator, chunksize: int | None, workers: int,
                 length: int | None, result: Any, submit: Submit,
                 terminated: Callable[[], bool]) -> None:
        self._iterator = iterator
        self._chunksize = chunksize
        self._sizer = ChunkSizer(workers, length) if chunksize is None else None
        self._slots = InFlight(max(64, 8 * workers))
        self._result = result
        self._submit = submit
        self._terminated = terminated

    def chunk_done(self, count: int, seconds: float | None) -> None:
        """A chunk of ``count`` tasks finished after ``seconds`` in a worker (``None``: lost)."""
        if self._sizer is not None and seconds is not None:
            self._sizer.record(count, seconds)
        self._slots.release()

    def run(self) -> None:
        """Pull, chunk and submit until the input ends, fails, or the pool is terminated."""
        result, start, failure = self._result, 0, None
        stopped = BrokenPoolError("the pool was terminated")
        try:
            while failure is None:
                size = self._chunksize if self._sizer is None else self._sizer.next_size()
                try:
                    items = list(itertools.islice(self._iterator, size))
                except Exception as exc:  # the input itself failed: as in the stdlib, the
                    failure = exc  # chunk it broke is dropped and the error takes its place
                    break
                if not items:
                    break
                while not self._slots.acquire(timeout=0.1):
                    if self._terminated():
                        result.abandon(stopped)
                        return
                try:
                    queued = self._submit(items, start, self.chunk_done)
                except Exception as exc:
                    result.deliver(start, len(items), Outcome.ERROR, exc)
                    self._slots.release()
                else:
                    if not queued:
                        result.abandon(stopped)
                        return
                start += len(items)
            if failure is not None:
                result.deliver(start, 1, Outcome.ERROR, failure)
                start += 1
        finally:
            result.set_length(start)
