"""Queues on threads: the stdlib's own, under the backend's names and the shared ABCs.

``Queue`` is ``queue.Queue`` (which already counts unfinished tasks, so ``JoinableQueue`` only
adds the name the process backend uses) and ``SimpleQueue`` the C ``queue.SimpleQueue``: the
subclasses add nothing to their hot paths.
"""

import queue

from concurrent._shared import _queues as _abc
from concurrent._shared._machinery.exports import publish

__all__ = ["Empty", "Full", "JoinableQueue", "Queue", "SimpleQueue"]

Empty = queue.Empty
Full = queue.Full


class Queue(queue.Queue, _abc.Queue):
    """A FIFO queue between threads, bounded when ``maxsize > 0``."""


class JoinableQueue(Queue, _abc.JoinableQueue):
    """A ``Queue`` whose consumers call ``task_done()`` and whose producers ``join()``."""


class SimpleQueue(queue.SimpleQueue, _abc.SimpleQueue):
    """An unbounded FIFO queue between threads (the C ``queue.SimpleQueue``)."""

    __slots__ = ()


publish("concurrent.threading", globals(), __all__)
