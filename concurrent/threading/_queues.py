"""Queues on threads: the stdlib's own, registered with the ``concurrent._shared`` ABCs.

``queue.Queue`` already counts unfinished tasks, so ``JoinableQueue`` only adds the name the
process backend uses; ``SimpleQueue`` is the C ``queue.SimpleQueue``.
"""

import queue

from concurrent._shared import _queues as _abc

__all__ = ["Empty", "Full", "JoinableQueue", "Queue", "SimpleQueue"]

Empty = queue.Empty
Full = queue.Full
Queue = queue.Queue
SimpleQueue = queue.SimpleQueue


class JoinableQueue(queue.Queue):
    """A ``Queue`` whose consumers call ``task_done()`` and whose producers ``join()``."""


_abc.JoinableQueue.register(JoinableQueue)
