"""Process queues: the fast data path (``_fast_queue``) under the stdlib's names and signatures.

A queue is a ring in shared memory (no pipe, no per-item syscall) and ``put`` pickles in the
caller, so a bad item raises ``UnpicklableError`` there and is never lost (the stdlib's feeder
thread prints the error and drops the item, gh-84376).  Buffers of 64 KiB or more (bytes,
bytearray, memoryview, numpy arrays) travel through pooled shared-memory segments that the
queue's creator unlinks when the queue is collected or the creator exits.

One difference from ``multiprocessing.Queue``: ``join_thread()`` raises ``ValueError`` unless
``close()`` came first (the stdlib only asserts it).
"""

from __future__ import annotations

from concurrent.processing._fast_queue import FastJoinableQueue, FastQueue, FastSimpleQueue
from concurrent.processing.synchronize import _resolve_ctx

__all__ = ["JoinableQueue", "Queue", "SimpleQueue"]


class Queue(FastQueue):
    """A FIFO queue between processes, bounded when ``maxsize > 0``."""

    def __init__(self, maxsize: int = 0, *, ctx=None) -> None:
        super().__init__(maxsize, ctx=_resolve_ctx(ctx))


class JoinableQueue(FastJoinableQueue):
    """A ``Queue`` that counts unfinished items: consumers ``task_done()``, producers ``join()``."""

    def __init__(self, maxsize: int = 0, *, ctx=None) -> None:
        super().__init__(maxsize, ctx=_resolve_ctx(ctx))


class SimpleQueue(FastSimpleQueue):
    """An unbounded FIFO queue between processes: ``put``, ``get``, ``empty``, ``close``."""

    def __init__(self, *, ctx=None) -> None:
        super().__init__(ctx=_resolve_ctx(ctx))
