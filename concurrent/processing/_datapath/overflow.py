"""The items an unbounded queue's producer could not fit in its ring, fed in as room appears.

An unbounded queue must never make ``put`` wait (``queue.Queue`` semantics); a ring in shared
memory has a fixed size.  When the ring is full, ``put`` appends the encoded item here, and a
thread of the producing process moves items into the ring, in order, as consumers make room.
While anything waits here, a later put of this process first moves what fits itself
(``drain``), and its own item goes to the ring only once nothing waits before it, so each
producer's order holds.  That thread only waits for room: a producer that keeps putting while
its consumer catches up does not wait for the thread to be given the GIL.  Like the stdlib
queue's feeder thread, the process waits at exit until these items are in the ring
(``Queue.cancel_join_thread`` gives that up).
"""

from __future__ import annotations

import collections
import os
import threading
import weakref
from collections.abc import Callable
from multiprocessing import util

from concurrent._shared._machinery.leaving_threads import start_daemon

__all__ = ["Overflow"]


class Overflow:
    """A per-process FIFO of encoded items, and a thread that pushes them into a ring.

    ``push(*item)`` moves an item into the ring if it fits now, without waiting (False if it
    does not); ``wait_for_room(*item)`` waits until it may fit (or for a while).  Items move
    only under this object's lock, oldest first.  The thread runs only while items wait, so an
    idle overflow holds no thread, and nothing here keeps the queue alive once its items are in
    the ring.
    """

    def __init__(self, push: Callable[..., bool], wait_for_room: Callable[..., None]) -> None:
        self.pid = os.getpid()
        self._push, self._wait_for_room = push, wait_for_room
        self._items: collections.deque = collections.deque()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._exit_join = util.Finalize(None, _join_at_exit, (weakref.ref(self),),
                                        exitpriority=-5)

    def __len__(self) -> int:
        return len(self._items)

    def is_ours(self) -> bool:
        """True in the process that made it (a forked child inherits its parent's)."""
        return self.pid == os.getpid()

    def append(self, item: tuple) -> None:
        """Queue ``item`` (the arguments of ``push``) behind the others; start the feeder."""
        with self._lock:
            self._items.append(item)
            if self._thread is None:
                self._thread = start_daemon(self._feed, name="queue overflow feeder")

    def drain(self) -> bool:
        """Move the items that fit now into the ring, oldest first; True if none is left."""
        with self._lock:
            return self._drain()

    def _drain(self) -> bool:
        items, push = self._items, self._push
        while items:
            if not push(*items[0]):
                return False
            items.popleft()
        return True

    def _feed(self) -> None:
        while True:
            with self._lock:
                if self._drain():
                    self._thread = None
                    return
                head = self._items[0]
            self._wait_for_room(*head)

    def join(self, timeout: float | None = None) -> None:
        """Wait until every item waiting here is in the ring."""
        with self._lock:
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def cancel(self) -> None:
        """Do not wait at exit for the items still here (they are lost if the process ends)."""
        self._exit_join.cancel()


def _join_at_exit(overflow_ref: weakref.ref) -> None:
    overflow = overflow_ref()
    if overflow is not None:
        overflow.join()
