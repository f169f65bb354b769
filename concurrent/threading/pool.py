"""``Pool``: a fixed set of worker threads with the processing ``Pool``'s whole API.

What both pools share lives in ``concurrent._shared._machinery.pool``: the public methods, the
results (``AsyncResult``, ``IMapIterator``), chunk sizes, the imap feeder, ``progress=``, the
worker traceback attached as ``__cause__``, the argument checks, the lifecycle and the chunk
runner.  What is thread-specific is here: ``Chunk`` tuples go on one queue, and each worker
thread runs them and delivers their outcomes to the result itself.
"""

from __future__ import annotations

import itertools
import queue
import threading
import time
import weakref
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from concurrent._shared._errors import BrokenPoolError
from concurrent._shared._machinery.exports import public_dir
from concurrent._shared._machinery.pool.args import check_pool_args
from concurrent._shared._machinery.pool.lifecycle import Lifecycle, PoolState
from concurrent._shared._machinery.pool.methods import PoolMethods
from concurrent._shared._machinery.pool.results import ApplyResult, IMapIterator, MapResult
from concurrent._shared._machinery.pool.runner import run_chunk
from concurrent._shared._machinery.pool.tracebacks import attach_traceback
from concurrent._shared._machinery.timeouts import check_timeout
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


class _Workers:
    """The worker threads and their task queue: what the threads hold, so that a pool nobody
    references any more can be collected (and is then terminated, as a process pool is).

    ``lifecycle.lock`` also guards ``threads`` and the task queue.
    """

    def __init__(self, processes: int, initializer: Callable | None, initargs: Iterable,
                 maxtasks: int | None) -> None:
        self.initializer = initializer
        self.initargs = tuple(initargs)
        self.maxtasks = maxtasks
        self.tasks: queue.SimpleQueue[Chunk | None] = queue.SimpleQueue()
        self.lifecycle = Lifecycle()
        self.threads: set[Thread] = set()
        self._name = f"ThreadPool-{next(_pool_numbers)}"
        self._numbers = itertools.count(1)
        with self.lifecycle.lock:
            for _ in range(processes):
                self.start_one()

    def start_one(self) -> None:
        # Called with the lifecycle lock held.
        thread = Thread(target=self._work, daemon=True,
                        name=f"{self._name}-Worker-{next(self._numbers)}")
        self.threads.add(thread)
        thread.start()

    def _work(self) -> None:
        if self.initializer is not None:
            try:
                self.initializer(*self.initargs)
            except BaseException as exc:
                self._break(exc)
                return
        done = 0
        while self.maxtasks is None or done < self.maxtasks:
            chunk = self.tasks.get()
            if chunk is None:
                self._retire(replace=False)
                return
            chunk.run()
            del chunk  # its arguments and results must not outlive the task (bpo-29861)
            done += 1
        self._retire(replace=True)

    def _retire(self, replace: bool) -> None:
        with self.lifecycle.lock:
            self.threads.discard(threading.current_thread())
            if replace and self.lifecycle.state is not PoolState.TERMINATED:
                self.start_one()

    def _break(self, cause: BaseException) -> None:
        error = BrokenPoolError(f"a worker's initializer {self.initializer!r} raised {cause!r}")
        error.__cause__ = cause
        with self.lifecycle.lock:  # from here on nothing new reaches the task queue
            self.lifecycle.break_with(error)
            self.threads.discard(threading.current_thread())
        self.fail_pending(error)
        with self.lifecycle.lock:  # end markers last, so draining cannot swallow them
            self.stop_all()

    def fail_pending(self, error: BaseException) -> None:
        """Fail every chunk still queued with ``error``."""
        while True:
            try:
                chunk = self.tasks.get_nowait()
            except queue.Empty:
                return
            if chunk is not None:
                if chunk.on_done is not None:
                    chunk.on_done(len(chunk.items), None)
                chunk.result.abandon(error)

    def stop_all(self) -> None:
        """Queue one end marker per worker, behind the tasks (call with the lock held)."""
        for _ in self.threads:
            self.tasks.put(None)

    def terminate(self) -> None:
        """Fail what has not started; let the workers end after their current task."""
        with self.lifecycle.lock:
            if not self.lifecycle.terminate():
                return
        self.fail_pending(BrokenPoolError("the pool was terminated before the task started"))
        with self.lifecycle.lock:
            self.stop_all()


class Pool(PoolMethods):
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
        self._processes = processes
        self._cache: dict[int, Any] = {}
        self._engine = _Workers(processes, initializer, initargs, maxtasksperchild)
        self._lifecycle = self._engine.lifecycle
        self._finalizer = weakref.finalize(self, self._engine.terminate)

    def __repr__(self) -> str:
        return (f"<{type(self).__module__}.{type(self).__qualname__} "
                f"state={self._lifecycle.state.value} pool_size={self._processes}>")

    @property
    def _pool(self) -> list[Thread]:
        """The worker threads (multiprocessing.pool's name)."""
        with self._lifecycle.lock:
            return list(self._engine.threads)

    # -- the hooks of PoolMethods ------------------------------------------------------------

    def _prepare(self, result, func: Callable, items: list, star: bool, start: int,
                 on_done: Callable | None) -> Chunk:
        return Chunk(result, start, func, items, star, on_done)

    def _enqueue(self, chunks: list[Chunk]) -> None:
        for chunk in chunks:
            self._engine.tasks.put(chunk)

    def _feeders_done(self) -> None:
        with self._lifecycle.lock:
            self._engine.stop_all()

    # -- shutting down ------------------------------------------------------------------------

    def close(self) -> None:
        with self._lifecycle.lock:
            # With imap feeders still reading, the last of them stops the workers.
            if self._lifecycle.close() and self._lifecycle.finishing:
                self._engine.stop_all()

    def terminate(self) -> None:
        self._finalizer()

    def join(self, timeout: float | None = None) -> None:
        """Wait for the workers to exit (at most ``timeout`` seconds in all, when given)."""
        if self._lifecycle.state is PoolState.RUNNING:
            raise ValueError("Pool is still running: call close() or terminate() before join()")
        check_timeout(timeout)
        deadline = None if timeout is None else time.monotonic() + timeout
        threads = self._engine.threads
        while True:
            with self._lifecycle.lock:
                running = [t for t in threads if t is not threading.current_thread()]
            if not running:
                return
            for thread in running:
                thread.join(None if deadline is None else max(deadline - time.monotonic(), 0))
                if deadline is not None and time.monotonic() >= deadline:
                    return
            with self._lifecycle.lock:
                threads.difference_update(t for t in running if not t.is_alive())

__dir__ = public_dir(globals())
