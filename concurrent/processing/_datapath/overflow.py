"""The items an unbounded queue's producer could not fit in its ring, fed in as room appears.

An unbounded queue must never make ``put`` wait (``queue.Queue`` semantics); a ring in shared
memory has a fixed size.  When the ring is full, ``put`` appends the encoded item here, and a
thread of the producing process moves items into the ring, in order, as consumers make room.
While anything waits here, later puts of this process queue behind it, so each producer's
order holds.  Like the stdlib queue's feeder thread, the process waits at exit until these
items are in the ring (``Queue.cancel_join_thread`` gives that up).
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

    The thread runs only while items wait, so an idle overflow holds no thread, and nothing
    here keeps the queue alive once its items are in the ring.
    """

    def __init__(self, push: Callable[..., None]) -> None:
        self.pid = os.getpid()
        self._push = push  # push(payload, kind): blocks until the ring took the item
        self._items: collections.deque = collections.deque()
        self._ready = threading.Lock()
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
        with self._ready:
            self._items.append(item)
            if self._thread is None:
                self._thread = start_daemon(self._feed, name="queue overflow feeder")

    def _feed(self) -> None:
        while True:
            with self._ready:
                if not self._items:
                    self._thread = None
                    return
                item = self._items[0]
            self._push(*item)
            with self._ready:  # removed only now: until it is in the ring, later puts queue here
                self._items.popleft()

    def join(self, timeout: float | None = None) -> None:
        """Wait until every item waiting here is in the ring."""
        with self._ready:
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
