"""The pools whose workers are threads of the caller: the thread pool, and the interpreter pool
(each of its threads drives an interpreter).

::

    Pool._enqueue(chunks) -> tasks (a queue.SimpleQueue) -> a worker thread: serve()
        loop: chunk = tasks.get() -> run(chunk) (the backend's: runs it, delivers its outcome)
        None (an end marker): the thread retires; after maxtasks chunks: it is replaced

``ThreadWorkers`` holds the threads and the queue, and what the threads hold is only it, so a
pool nobody references any more can be collected (and is then terminated, as a process pool
is).  A backend subclasses it with how a worker thread starts and works; ``ThreadWorkersPool``
is the ``Pool`` over it.  A chunk on the queue has ``fail(error)``.
"""

from __future__ import annotations

import itertools
import queue
import threading
import time
import weakref
from abc import ABC, abstractmethod
from collections.abc import Callable

from concurrent._shared._errors import BrokenPoolError
from concurrent._shared._machinery.pool.lifecycle import Lifecycle, PoolState
from concurrent._shared._machinery.pool.methods import PoolMethods
from concurrent._shared._machinery.timeouts import check_timeout

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["ThreadWorkers", "ThreadWorkersPool"]


class ThreadWorkers(ABC):
    """The worker threads of one pool, named ``{name}-Worker-{n}``, and their task queue.

    ``lifecycle.lock`` also guards ``threads`` and the task queue.
    """

    def __init__(self, processes: int, maxtasks: int | None, name: str) -> None:
        self.maxtasks = maxtasks
        self.tasks: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self.lifecycle = Lifecycle()
        self.threads: set[threading.Thread] = set()
        self.name = name
        self._numbers = itertools.count(1)
        with self.lifecycle.lock:
            for _ in range(processes):
                self.start_one()

    @abstractmethod
    def _start_thread(self, number: int, name: str) -> threading.Thread:
        """Start worker thread ``number``, called ``name``; it ends through ``serve``,
        ``retire`` or ``break_pool``."""

    def start_one(self) -> None:
        """Start one more worker thread (call with the lock held)."""
        number = next(self._numbers)
        self.threads.add(self._start_thread(number, f"{self.name}-Worker-{number}"))

    def serve(self, run: Callable[[Any], None]) -> None:
        """A worker thread's loop: ``run`` each chunk until an end marker (the thread retires)
        or ``maxtasks`` chunks (it is replaced)."""
        done = 0
        while self.maxtasks is None or done < self.maxtasks:
            chunk = self.tasks.get()
            if chunk is None:
                self.retire(replace=False)
                return
            run(chunk)
            del chunk  # its arguments and results must not outlive the task (bpo-29861)
            done += 1
        self.retire(replace=True)

    def retire(self, replace: bool) -> None:
        """The calling worker thread ends; with ``replace``, another starts unless the pool
        was terminated."""
        with self.lifecycle.lock:
            self.threads.discard(threading.current_thread())
            if replace and self.lifecycle.state is not PoolState.TERMINATED:
                self.start_one()

    def break_pool(self, message: str, cause: BaseException) -> None:
        """The calling worker could not start (``cause``): the pool is broken, every task
        pending or submitted later fails with ``BrokenPoolError(message)``."""
        error = BrokenPoolError(message)
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
                chunk.fail(error)

    def stop_all(self) -> None:
        """Queue one end marker per worker, behind the tasks (call with the lock held)."""
        for _ in self.threads:
            self.tasks.put(None)

    def terminate(self) -> None:
        """Fail what has not started; let the workers end after their current chunk."""
        with self.lifecycle.lock:
            if not self.lifecycle.terminate():
                return
        self.fail_pending(BrokenPoolError(f"{self.name} was terminated before the task "
                                          f"started"))
        with self.lifecycle.lock:
            self.stop_all()


class ThreadWorkersPool(PoolMethods):
    """The ``Pool`` methods over ``ThreadWorkers``: a subclass's ``__init__`` calls
    ``_start_workers`` and gives ``_prepare`` (a chunk from a submission)."""

    _engine: ThreadWorkers

    def _start_workers(self, processes: int, engine: ThreadWorkers) -> None:
        self._processes = processes
        self._cache: dict[int, Any] = {}
        self._engine = engine
        self._lifecycle = engine.lifecycle
        self._finalizer = weakref.finalize(self, engine.terminate)

    def __repr__(self) -> str:
        return (f"<{type(self).__module__}.{type(self).__qualname__} "
                f"state={self._lifecycle.state.value} pool_size={self._processes}>")

    @property
    def _pool(self) -> list[threading.Thread]:
        """The worker threads (multiprocessing.pool's name)."""
        with self._lifecycle.lock:
            return list(self._engine.threads)

    # -- the hooks of PoolMethods ------------------------------------------------------------
    def _enqueue(self, chunks: list) -> None:
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
