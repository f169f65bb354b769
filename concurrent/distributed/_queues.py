"""Queue, SimpleQueue and JoinableQueue of the cluster: Dask ``Queue``\\ s in the scheduler.

Each queue is a channel (``_store.Channel``: a Dask ``Queue`` of pickled items), so any worker
of the cluster, and the caller, can put and get; items are copies, and one that cannot be
pickled fails in ``put``.  ``JoinableQueue`` counts unfinished items as tokens in a second
channel: ``put`` adds one, ``task_done`` takes one, ``join`` waits (on a Dask ``Event`` rung by
the ``task_done`` that takes the last) until none is left.
"""

from __future__ import annotations

from typing import Any

from concurrent._shared import _queues as _abc
from concurrent._shared._errors import Empty, Full
from concurrent._shared._machinery.exports import publish
from concurrent._shared._machinery.timeouts import check_timeout
from concurrent.distributed._calls import Deadline
from concurrent.distributed._store import Channel

__all__ = ["JoinableQueue", "Queue", "SimpleQueue"]


def _check_maxsize(maxsize: Any) -> int:
    if isinstance(maxsize, bool) or not isinstance(maxsize, int):
        raise TypeError(f"maxsize must be an int, got {maxsize!r}")
    return max(0, maxsize)


class Queue(_abc.Queue):
    """A FIFO queue shared by the cluster, bounded when ``maxsize > 0``."""

    __slots__ = ("_closed", "_items", "_maxsize")

    def __init__(self, maxsize: int = 0) -> None:
        self._maxsize = _check_maxsize(maxsize)
        self._items = Channel(self._maxsize)
        self._closed = False

    def __getstate__(self):
        return self._maxsize, self._items

    def __setstate__(self, state) -> None:
        self._maxsize, self._items = state
        self._closed = False  # close() is this handle's: a copy sent elsewhere is open

    def _check_open(self) -> None:
        if self._closed:
            raise ValueError(f"Queue {self!r} is closed")

    def put(self, item: Any, block: bool = True, timeout: float | None = None) -> None:
        self._check_open()
        if block and self._maxsize:
            check_timeout(timeout)
        if not self._items.put(item, timeout if block else 0):
            raise Full
        self._added()

    def _added(self) -> None:
        """An item was put (``JoinableQueue`` counts it)."""

    def get(self, block: bool = True, timeout: float | None = None) -> Any:
        self._check_open()
        if block:
            check_timeout(timeout)
        found, item = self._items.get(timeout if block else 0)
        if not found:
            raise Empty
        return item

    def qsize(self) -> int:
        return self._items.qsize()

    def empty(self) -> bool:
        return self.qsize() == 0

    def full(self) -> bool:
        return bool(self._maxsize) and self.qsize() >= self._maxsize

    def close(self) -> None:
        """Done with this handle: its ``put`` and ``get`` raise ``ValueError`` from now on (the
        scheduler keeps the items for the queue's other handles)."""
        self._closed = True

    def join_thread(self) -> None:
        """Nothing to wait for: there is no feeder thread (``ValueError`` before ``close()``,
        as for a process queue)."""
        if not self._closed:
            raise ValueError(f"{self!r} is still open: close() it before join_thread()")

    def cancel_join_thread(self) -> None:
        """Accepted for multiprocessing's API: there is no feeder thread."""

    def __repr__(self) -> str:
        return f"<{type(self).__module__}.{type(self).__qualname__} {self._items.name}>"


class JoinableQueue(Queue, _abc.JoinableQueue):
    """A ``Queue`` whose consumers call ``task_done()`` and whose producers ``join()``."""

    __slots__ = ("_unfinished",)

    def __init__(self, maxsize: int = 0) -> None:
        super().__init__(maxsize)
        self._unfinished = Channel()

    def __getstate__(self):
        return self._maxsize, self._items, self._unfinished

    def __setstate__(self, state) -> None:
        self._maxsize, self._items, self._unfinished = state
        self._closed = False

    def _added(self) -> None:
        self._unfinished.put(None)

    def task_done(self) -> None:
        found, _ = self._unfinished.get(0)
        if not found:
            raise ValueError("task_done() called too many times")
        if not self._unfinished.qsize():  # the last one: ring for join()
            self._unfinished._event(self._unfinished._space, "set")

    def join(self) -> None:
        """Wait until every item put has been marked done with ``task_done()``."""
        deadline = Deadline(None)
        channel = self._unfinished
        channel._attach()
        while channel.qsize():
            channel._event(channel._space, "clear")
            if not channel.qsize():
                return
            channel._event(channel._space, "wait", deadline.slice())


class SimpleQueue(_abc.SimpleQueue):
    """An unbounded FIFO queue shared by the cluster."""

    __slots__ = ("_closed", "_items")

    def __init__(self) -> None:
        self._items = Channel()
        self._closed = False

    def __getstate__(self):
        return self._items

    def __setstate__(self, state) -> None:
        self._items = state
        self._closed = False

    def _check_open(self) -> None:
        if self._closed:
            raise OSError("handle is closed")  # as a closed process SimpleQueue's pipe

    def put(self, item: Any) -> None:
        self._check_open()
        self._items.put(item)

    def get(self) -> Any:
        self._check_open()
        return self._items.get(None)[1]

    def empty(self) -> bool:
        self._check_open()
        return self._items.qsize() == 0

    def close(self) -> None:
        """Done with this handle: ``put``, ``get`` and ``empty`` raise ``OSError`` from now on,
        as a closed process ``SimpleQueue``'s do (the scheduler keeps the items)."""
        self._closed = True

    def __repr__(self) -> str:
        return f"<{type(self).__module__}.{type(self).__qualname__} {self._items.name}>"


publish("concurrent.distributed", globals(), __all__)
