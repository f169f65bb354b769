"""Queues on threads: the stdlib's own, under the backend's names and the shared ABCs.

``Queue`` is ``queue.Queue`` (which already counts unfinished tasks, so ``JoinableQueue`` only
adds the name the process backend uses) and ``SimpleQueue`` the C ``queue.SimpleQueue``.  The
subclasses add the process queues' ``close()`` (and ``join_thread``/``cancel_join_thread``, which
have nothing to wait for between threads), and nothing to the hot paths: ``close()`` replaces
the closed queue's own ``put``/``get`` by ones that refuse, so an open queue runs the stdlib's
methods untouched.
"""

import queue

from concurrent._shared import _queues as _abc
from concurrent._shared._machinery.exports import publish

__all__ = ["Empty", "Full", "JoinableQueue", "Queue", "SimpleQueue"]

Empty = queue.Empty
Full = queue.Full


def _refuse(queue: object, error: Exception, *names: str) -> None:
    """Make the methods ``names`` of this one ``queue`` object raise ``error``."""

    def closed(*args, **kwargs):
        raise error

    for name in names:
        setattr(queue, name, closed)


class Queue(queue.Queue, _abc.Queue):
    """A FIFO queue between threads, bounded when ``maxsize > 0``."""

    _closed = False

    def close(self) -> None:
        """Done with the queue: ``put`` and ``get`` raise ``ValueError`` from now on."""
        self._closed = True
        _refuse(self, ValueError(f"Queue {self!r} is closed"),
                "put", "get", "put_nowait", "get_nowait")

    def join_thread(self) -> None:
        """Nothing to wait for between threads (``ValueError`` before ``close()``, as for a
        process queue)."""
        if not self._closed:
            raise ValueError(f"{self!r} is still open: close() it before join_thread()")

    def cancel_join_thread(self) -> None:
        """Nothing to give up between threads."""


class JoinableQueue(Queue, _abc.JoinableQueue):
    """A ``Queue`` whose consumers call ``task_done()`` and whose producers ``join()``."""


class SimpleQueue(queue.SimpleQueue, _abc.SimpleQueue):
    """An unbounded FIFO queue between threads (the C ``queue.SimpleQueue``)."""

    def close(self) -> None:
        """Done with the queue: ``put``, ``get`` and ``empty`` raise ``OSError`` from now on,
        as a closed process ``SimpleQueue``'s do."""
        _refuse(self, OSError("handle is closed"), "put", "get", "put_nowait", "get_nowait",
                "empty")


publish("concurrent.threading", globals(), __all__)
