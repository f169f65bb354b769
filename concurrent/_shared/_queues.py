"""The queue interface: FIFO channels between workers of one backend."""

import queue
from abc import ABC, abstractmethod

from concurrent._shared._machinery.exports import publish

__all__ = ["JoinableQueue", "Queue", "SimpleQueue"]


class SimpleQueue(ABC):
    """An unbounded FIFO queue with no size limit and no task tracking.

    The stdlib's C ``queue.SimpleQueue`` is registered as one.
    """

    __slots__ = ()

    def __init__(self) -> None:
        """``SimpleQueue()``: the constructor every backend's ``SimpleQueue`` has."""

    @abstractmethod
    def put(self, item) -> None:
        """Append ``item``."""

    @abstractmethod
    def get(self):
        """Remove and return the oldest item, waiting while the queue is empty."""

    @abstractmethod
    def empty(self) -> bool:
        """True if the queue holds no item (a hint: another worker may change it at once)."""


class Queue(ABC):
    """A FIFO queue, bounded when ``maxsize > 0``.

    ``Queue(maxsize=0)``.  ``put``/``get`` take ``block=True, timeout=None``; a negative timeout
    raises ``ValueError`` (for ``put``, on a bounded queue: an unbounded one never waits);
    ``get`` raises ``Empty`` and ``put`` raises ``Full`` when they give up
    (at once when ``block`` is false).  ``queue.Queue`` is registered as one.
    """

    __slots__ = ()

    def __init__(self, maxsize: int = 0) -> None:
        """``Queue(maxsize=0)``: bounded when ``maxsize > 0``."""

    @abstractmethod
    def put(self, item, block: bool = True, timeout: float | None = None) -> None:
        """Append ``item``, waiting for room if the queue is full; ``Full`` if none came."""

    @abstractmethod
    def get(self, block: bool = True, timeout: float | None = None):
        """Remove and return the oldest item; ``Empty`` if none came in time."""

    def put_nowait(self, item) -> None:
        """``put(item, block=False)``."""
        return self.put(item, False)

    def get_nowait(self):
        """``get(block=False)``."""
        return self.get(False)

    @abstractmethod
    def qsize(self) -> int:
        """The approximate number of items (``NotImplementedError`` where the OS cannot say)."""

    @abstractmethod
    def empty(self) -> bool:
        """True if the queue looks empty."""

    @abstractmethod
    def full(self) -> bool:
        """True if the queue looks full."""


class JoinableQueue(Queue):
    """A queue that counts unfinished items: consumers call ``task_done``, producers ``join``."""

    __slots__ = ()

    @abstractmethod
    def task_done(self) -> None:
        """Mark one fetched item as processed; ``ValueError`` if called more often than ``put``."""

    @abstractmethod
    def join(self) -> None:
        """Block until every item put has been marked done."""


SimpleQueue.register(queue.SimpleQueue)
Queue.register(queue.Queue)


publish("concurrent._shared", globals(), __all__)
