"""Queue, SimpleQueue and JoinableQueue across interpreters, each one ``_channel.Channel``.

An item is pickled in ``put`` (one that cannot be pickled fails there, and nothing is sent) and
unpickled by ``get``: the receiver gets a copy, as between processes.  The interpreter queue
behind a channel is bounded by ``maxsize`` itself, so a full queue refuses atomically, and
``get``/``put`` sleep on doorbells rather than poll.  ``JoinableQueue`` counts unfinished items
as tokens in a second interpreter queue: ``put`` adds one, ``task_done`` takes one, and the
``task_done`` that takes the last rings the doorbell ``join`` waits on.

``close()`` is the caller's handle only, as in multiprocessing: its ``put`` and ``get`` raise
from then on, while copies elsewhere go on.
"""

from __future__ import annotations

from concurrent import interpreters
from concurrent._shared import _queues as _abc
from concurrent._shared._errors import Empty, Full
from concurrent._shared._machinery.exports import publish
from concurrent._shared._machinery.timeouts import check_timeout
from concurrent.interpreting import _codec
from concurrent.interpreting._channel import Channel, Kind
from concurrent.interpreting._waiting import Doorbell, wait_for

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["JoinableQueue", "Queue", "SimpleQueue"]


def _check_maxsize(maxsize: Any) -> int:
    if isinstance(maxsize, bool) or not isinstance(maxsize, int):
        raise TypeError(f"maxsize must be an int, not {maxsize!r}")
    return max(0, maxsize)


class Queue(_abc.Queue):
    """``Queue(maxsize=0)``: a FIFO queue between interpreters, bounded when ``maxsize > 0``."""

    __slots__ = ("_channel", "_closed", "_maxsize")

    def __init__(self, maxsize: int = 0) -> None:
        self._maxsize = _check_maxsize(maxsize)
        self._channel = Channel(self._maxsize)
        self._closed = False

    def __getstate__(self):
        return self._maxsize, self._channel

    def __setstate__(self, state) -> None:
        self._maxsize, self._channel = state
        self._closed = False  # close() is this handle's: a copy sent elsewhere is open

    def _check_open(self) -> None:
        if self._closed:
            raise ValueError(f"Queue {self!r} is closed")

    def put(self, obj: Any, block: bool = True, timeout: float | None = None) -> None:
        """Append ``obj`` (a copy reaches the getter); ``Full`` if no room came in time."""
        self._check_open()
        if block and self._maxsize:
            check_timeout(timeout)
        payload = _codec.dumps(obj)
        self._count_one()
        if not self._channel.put(Kind.OBJECT, payload, timeout if block else 0):
            self._uncount_one()
            raise Full

    def _count_one(self) -> None:
        """An item is about to be put (``JoinableQueue`` counts it)."""

    def _uncount_one(self) -> None:
        """The item counted could not be put."""

    def get(self, block: bool = True, timeout: float | None = None) -> Any:
        """Remove and return the oldest item; ``Empty`` if none came in time."""
        self._check_open()
        if block:
            check_timeout(timeout)
        message = self._channel.get(timeout if block else 0)
        if message is None:
            raise Empty
        return _codec.loads(message[1])

    def qsize(self) -> int:
        return self._channel.qsize()

    def empty(self) -> bool:
        return self._channel.qsize() == 0

    def full(self) -> bool:
        return 0 < self._maxsize <= self._channel.qsize()

    def close(self) -> None:
        """Done with this handle: its ``put`` and ``get`` raise ``ValueError`` from now on (the
        items stay for the queue's other handles)."""
        self._closed = True

    def join_thread(self) -> None:
        """Nothing to wait for: items are in the queue when ``put`` returns (``ValueError``
        before ``close()``, as for a process queue)."""
        if not self._closed:
            raise ValueError(f"{self!r} is still open: close() it before join_thread()")

    def cancel_join_thread(self) -> None:
        """Accepted for multiprocessing's API: there is no feeder thread."""

    def __repr__(self) -> str:
        return (f"<{type(self).__module__}.{type(self).__qualname__} "
                f"{self._channel.items.id} maxsize={self._maxsize}>")


class JoinableQueue(Queue, _abc.JoinableQueue):
    """``JoinableQueue(maxsize=0)``: a ``Queue`` whose consumers call ``task_done()`` and whose
    producers ``join()``."""

    __slots__ = ("_all_done", "_unfinished")

    def __init__(self, maxsize: int = 0) -> None:
        super().__init__(maxsize)
        self._unfinished = interpreters.create_queue()
        self._all_done = Doorbell()

    def __getstate__(self):
        return self._maxsize, self._channel, self._unfinished, self._all_done

    def __setstate__(self, state) -> None:
        self._maxsize, self._channel, self._unfinished, self._all_done = state
        self._closed = False

    def _count_one(self) -> None:
        self._unfinished.put_nowait(None)

    def _uncount_one(self) -> None:
        self.task_done()

    def task_done(self) -> None:
        """Mark one item taken with ``get`` as processed."""
        try:
            self._unfinished.get_nowait()
        except interpreters.QueueEmpty:
            raise ValueError("task_done() called too many times") from None
        if self._unfinished.qsize() == 0:
            self._all_done.ring()

    def join(self) -> None:
        """Wait until every item put has been marked done with ``task_done()``."""
        wait_for(lambda: self._unfinished.qsize() == 0, (self._all_done,), None)


class SimpleQueue(_abc.SimpleQueue):
    """``SimpleQueue()``: an unbounded FIFO queue between interpreters."""

    __slots__ = ("_channel", "_closed")

    def __init__(self) -> None:
        self._channel = Channel()
        self._closed = False

    def __getstate__(self):
        return self._channel

    def __setstate__(self, state) -> None:
        self._channel = state
        self._closed = False

    def _check_open(self) -> None:
        if self._closed:
            raise OSError("handle is closed")  # as a closed process SimpleQueue's pipe

    def put(self, obj: Any) -> None:
        """Append ``obj`` (a copy reaches the getter)."""
        self._check_open()
        self._channel.put(Kind.OBJECT, _codec.dumps(obj), None)

    def get(self) -> Any:
        """Remove and return the oldest item, waiting for one."""
        self._check_open()
        return _codec.loads(self._channel.get(None)[1])

    def empty(self) -> bool:
        self._check_open()
        return self._channel.qsize() == 0

    def close(self) -> None:
        """Done with this handle: ``put``, ``get`` and ``empty`` raise ``OSError`` from now on,
        as a closed process ``SimpleQueue``'s do."""
        self._closed = True

    def __repr__(self) -> str:
        return f"<{type(self).__module__}.{type(self).__qualname__} {self._channel.items.id}>"


publish("concurrent.interpreting", globals(), __all__)
