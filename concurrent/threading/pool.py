"""``Pool``: a fixed set of worker threads with the processing ``Pool``'s whole API.

What every pool shares lives in ``concurrent._shared._machinery.pool``: the public methods, the
results (``AsyncResult``, ``IMapIterator``), chunk sizes, the imap feeder, ``progress=``, the
worker traceback attached as ``__cause__``, the argument checks, the lifecycle and the chunk
runner; the worker threads, their queue and shutting down are ``pool.threads``'.  What is
thread-specific is here: each worker thread runs the initializer, then runs each ``Chunk`` and
delivers its outcome to the result itself.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from concurrent._shared._machinery.exports import public_dir
from concurrent._shared._machinery.pool.args import check_pool_args
from concurrent._shared._machinery.pool.results import ApplyResult, IMapIterator, MapResult
from concurrent._shared._machinery.pool.runner import run_chunk
from concurrent._shared._machinery.pool.threads import ThreadWorkers, ThreadWorkersPool
from concurrent._shared._machinery.pool.tracebacks import attach_traceback
from concurrent.threading._workers import Thread, cpu_count

__all__ = ["ApplyResult", "AsyncResult", "IMapIterator", "MapResult", "Pool"]

AsyncResult = ApplyResult  # multiprocessing.pool's name for it

_pool_numbers = itertools.count(1)


class Chunk(NamedTuple):
    """Consecutive tasks of one submission, handed to a worker thread as one queue item."""

    result: Any  # the results object: deliver(start, count, outcome, payload) / abandon(exc)
    start: int
    func: Callable
    items: list
    star: bool
    on_done: Callable[[int, float | None], None] | None  # the imap feeder's chunk accounting

    def run(self) -> None:
        """Run the tasks and deliver their outcomes, failures with their traceback."""
        started = time.perf_counter() if self.on_done is not None else 0.0
        outcome, values = run_chunk(self.func, self.items, self.star, attach_traceback)
        if self.on_done is not None:
            self.on_done(len(self.items), time.perf_counter() - started)
        self.result.deliver(self.start, len(self.items), outcome, values)

    def fail(self, error: BaseException) -> None:
        """It will not run: count it done for the feeder, fail its results with ``error``."""
        if self.on_done is not None:
            self.on_done(len(self.items), None)
        self.result.abandon(error)


class _Workers(ThreadWorkers):
    """The pool's threads: each runs the initializer, then serves chunks."""

    def __init__(self, processes: int, initializer: Callable | None, initargs: Iterable,
                 maxtasks: int | None) -> None:
        self.initializer = initializer
        self.initargs = tuple(initargs)
        super().__init__(processes, maxtasks, f"ThreadPool-{next(_pool_numbers)}")

    def _start_thread(self, number: int, name: str) -> Thread:
        thread = Thread(target=self._work, daemon=True, name=name)
        thread.start()
        return thread

    def _work(self) -> None:
        if self.initializer is not None:
            try:
                self.initializer(*self.initargs)
            except BaseException as exc:
                self.break_pool(f"a worker's initializer {self.initializer!r} raised {exc!r}",
                                exc)
                return
        self.serve(Chunk.run)


class Pool(ThreadWorkersPool):
    """``Pool(processes=None, initializer=None, initargs=(), maxtasksperchild=None)`` on threads.

    ``processes`` defaults to ``cpu_count()``.  An ``initializer`` that raises breaks the pool:
    pending and later tasks fail with ``BrokenPoolError``.  ``terminate()`` fails the tasks not
    yet started with ``BrokenPoolError``; a running task cannot be stopped and finishes.  A pool
    dropped while it runs warns (``ResourceWarning``) and is terminated.  ``context`` exists
    for the processing ``Pool``'s signature: threads have no start method, so it must be
    ``None``.
    """

    def __init__(self, processes: int | None = None, initializer: Callable | None = None,
                 initargs: Iterable = (), maxtasksperchild: int | None = None,
                 context: None = None) -> None:
        processes = check_pool_args(processes, initializer, maxtasksperchild, cpu_count)
        if context is not None:
            raise TypeError(f"a thread pool has no start method: context must be None, "
                            f"not {context!r}")
        self._start_workers(processes, _Workers(processes, initializer, initargs,
                                                maxtasksperchild))

    def _prepare(self, result, func: Callable, items: list, star: bool, start: int,
                 on_done: Callable | None) -> Chunk:
        return Chunk(result, start, func, items, star, on_done)


__dir__ = public_dir(globals())
