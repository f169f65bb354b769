"""Which chunk goes to which worker: the pool's queue of chunks and the rule that hands them out.

Idle workers get a chunk first; then, round by round, busy ones get more, so they never wait
on the pool thread.  Behind the chunk it runs, a worker is sent at most seven more, only small
ones and only while its chunks are short: neither side can then block writing to a full pipe
while the other also writes, and no chunk waits long behind a slow task while another worker
idles.  Each worker's new chunks go out in one write.
"""

from __future__ import annotations

import collections
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from concurrent.processing._pool import messages
from concurrent.processing._pool.messages import Task, send_frames
from concurrent.processing._pool.workers import WorkerHandle

__all__ = ["Chunk", "Schedule"]

_PREFETCH_LIMIT = 8 * 1024  # bytes per queued chunk: far below a socketpair's buffer, so
_PREFETCH_DEPTH = 8  # ... sending up to this many chunks to one worker never blocks
_SHORT_CHUNK = 0.005  # seconds: a worker whose last chunk ran shorter may get chunks queued


@dataclass(eq=False)
class Chunk:
    """Consecutive tasks of one submission, sent to a worker in one message.

    ``start``/``count`` cover the tasks not answered yet; they shrink as a worker reports
    tasks one by one, and ``offset`` counts the tasks of ``payload`` answered before.
    """

    job: Any  # a results object: deliver(start, count, outcome, payload) / abandon(exc)
    start: int
    count: int
    payload: bytes
    task: Task  # what ``payload`` encodes, to encode again if a dead worker took it
    on_done: Callable[[int, float | None], None] | None = None  # the imap feeder's accounting
    offset: int = 0
    size: int = 0  # tasks in the whole chunk (set from count)
    exact: bool = True  # a dying worker was running exactly task ``start``, and no later one

    def __post_init__(self) -> None:
        self.size = self.size or self.count


class Schedule:
    """The chunks waiting for a worker (``pending``, oldest first) and how they are sent.

    Use it under the pool's lock.
    """

    def __init__(self, maxtasks: int | None) -> None:
        self.pending: collections.deque[Chunk] = collections.deque()
        self._maxtasks = maxtasks

    def requeue(self, chunks: Iterable[Chunk]) -> None:
        """Put chunks back at the front, in their order (their worker died or refused them)."""
        self.pending.extendleft(reversed(list(chunks)))

    def assign(self, workers: Iterable[WorkerHandle]) -> None:
        """Send pending chunks to the workers that may take them."""
        # Idle workers first; then, round by round, more chunks to busy ones, so they never
        # wait on us.  Each worker's new chunks go out in one write.
        batches: dict[WorkerHandle, list[Chunk]] = {}
        workers = list(workers)
        for prefetch in (False,) + (True,) * (_PREFETCH_DEPTH - 1):
            assigned = False
            for worker in workers:
                if not self.pending:
                    break
                if self._may_send(worker, self.pending[0], prefetch):
                    chunk = self.pending.popleft()
                    worker.outstanding.append(chunk)
                    worker.sent += 1
                    batches.setdefault(worker, []).append(chunk)
                    assigned = True
            if prefetch and not assigned:
                break  # every worker is full (or the queue is empty)
        for worker, chunks in batches.items():
            frames = []
            for chunk in chunks:
                if chunk.offset:
                    frames.append(messages.resume_frame(chunk.offset))
                frames.append(chunk.payload)
            try:
                send_frames(worker.conn.fileno(), *frames)
            except OSError:  # it died; its sentinel tells us next
                for _ in chunks:
                    worker.outstanding.pop()
                worker.sent -= len(chunks)
                self.requeue(chunks)

    def _may_send(self, worker: WorkerHandle, chunk: Chunk, prefetch: bool) -> bool:
        if self._maxtasks is not None and worker.sent >= self._maxtasks:
            return False
        if not prefetch:
            return not worker.outstanding
        # Queue a little work behind a busy worker only when its chunks are known to be short:
        # a chunk queued behind a long task would wait while another worker idles.
        return (0 < len(worker.outstanding) < _PREFETCH_DEPTH and worker.ready
                and worker.last_seconds is not None and worker.last_seconds < _SHORT_CHUNK
                and len(chunk.payload) <= _PREFETCH_LIMIT)
