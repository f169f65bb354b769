"""``Pool``: a fixed set of worker threads with the processing ``Pool``'s whole API.

What both pools share lives in ``concurrent._shared._pool_*``: the public methods, the results
(``AsyncResult``, ``IMapIterator``), chunk sizes, the imap feeder, ``progress=``, the worker
traceback attached as ``__cause__``, and the argument checks.  What is thread-specific is here:
chunks ``(result, start, func, items, star, on_done)`` go on one queue, and each worker thread
runs them with ``_run_chunk``, which reports to ``result.deliver`` as a process worker does.
"""

from __future__ import annotations

import itertools
import queue
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from concurrent._shared._errors import BrokenPoolError
from concurrent._shared._pool_args import check_pool_args
from concurrent._shared._pool_methods import PoolMethods
from concurrent._shared._pool_results import ApplyResult, IMapIterator, MapResult
from concurrent._shared._pool_tracebacks import attach_traceback
from concurrent._shared._timeouts import check_timeout
from concurrent.threading._workers import Thread, cpu_count

__all__ = ["ApplyResult", "AsyncResult", "IMapIterator", "MapResult", "Pool"]

AsyncResult = ApplyResult  # multiprocessing.pool's name for it

_RUN, _CLOSE, _TERMINATE = "RUN", "CLOSE", "TERMINATE"
_pool_numbers = itertools.count(1)


def _run_chunk(result, start: int, func: Callable, items: list, star: bool,
               on_done: Callable | None) -> None:
    """Run one chunk's tasks and deliver their outcomes, failures with their traceback."""
    started = time.perf_counter() if on_done is not None else 0.0
    values: list[Any] = []
    failures: dict[int, BaseException] | None = None
    remaining = iter(items)
    run = itertools.starmap if star else map
    while True:
        try:
            # A C loop, as fast as the stdlib's mapstar.  When a task raises, extend keeps the
            # values before it, so the failed task's index is len(values); go on after it.
            values.extend(run(func, remaining))
        except BaseException as exc:  # SystemExit too: a task must not take its worker down
            if failures is None:
                failures = {}
            failures[len(values)] = attach_traceback(exc)
            values.append(None)
        else:
            break
    if on_done is not None:
        on_done(len(items), time.perf_counter() - started)
    if failures is None:
        result.deliver(start, len(items), "ok", values)
    else:
        result.deliver(start, len(items), "mixed", [
            (False, failures[index]) if index in failures else (True, value)
            for index, value in enumerate(values)])


class Pool(PoolMethods):
    """``Pool(processes=None, initializer=None, initargs=(), maxtasksperchild=None)`` on threads.

    ``processes`` defaults to ``cpu_count()``.  An ``initializer`` that raises breaks the pool:
    pending and later tasks fail with ``BrokenPoolError``.  ``terminate()`` fails the tasks not
    yet started with ``BrokenPoolError``; a running task cannot be stopped and finishes.
    ``context`` exists for the processing ``Pool``'s signature: threads have no start method,
    so it must be ``None``.
    """

    def __init__(self, processes: int | None = None, initializer: Callable | None = None,
                 initargs: Iterable = (), maxtasksperchild: int | None = None,
                 context: None = None) -> None:
        processes = check_pool_args(processes, initializer, maxtasksperchild, cpu_count)
        if context is not None:
            raise TypeError(f"a thread pool has no start method: context must be None, "
                            f"not {context!r}")
        self._processes = processes
        self._initializer = initializer
        self._initargs = tuple(initargs)
        self._maxtasks = maxtasksperchild
        self._tasks: queue.SimpleQueue = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._state = _RUN
        self._broken: BaseException | None = None
        self._workers: set[Thread] = set()
        self._feeders = 0  # imap feeder threads still reading their input
        self._name = f"ThreadPool-{next(_pool_numbers)}"
        self._worker_numbers = itertools.count(1)
        with self._lock:
            for _ in range(processes):
                self._start_worker()

    def __repr__(self) -> str:
        return f"<{type(self).__qualname__} state={self._state} pool_size={self._processes}>"

    # -- workers ------------------------------------------------------------------------------

    def _start_worker(self) -> None:
        # Called with self._lock held.
        worker = Thread(target=self._work, daemon=True,
                        name=f"{self._name}-Worker-{next(self._worker_numbers)}")
        self._workers.add(worker)
        worker.start()

    def _work(self) -> None:
        if self._initializer is not None:
            try:
                self._initializer(*self._initargs)
            except BaseException as exc:
                self._break(exc)
                return
        done = 0
        while self._maxtasks is None or done < self._maxtasks:
            task = self._tasks.get()
            if task is None:
                self._retire(replace=False)
                return
            _run_chunk(*task)
            done += 1
        self._retire(replace=True)

    def _retire(self, replace: bool) -> None:
        with self._lock:
            self._workers.discard(threading.current_thread())
            if replace and self._state != _TERMINATE:
                self._start_worker()

    def _break(self, cause: BaseException) -> None:
        error = BrokenPoolError(f"a worker's initializer {self._initializer!r} raised {cause!r}")
        error.__cause__ = cause
        with self._lock:  # from here on nothing new reaches the task queue
            self._broken = error
            self._workers.discard(threading.current_thread())
        self._fail_pending(error)
        with self._lock:  # end markers last, so draining the queue cannot swallow them
            self._stop_workers()

    def _fail_pending(self, error: BaseException) -> None:
        while True:
            try:
                task = self._tasks.get_nowait()
            except queue.Empty:
                return
            if task is not None:
                result, _start, _func, items, _star, on_done = task
                if on_done is not None:
                    on_done(len(items), None)
                result.abandon(error)

    def _stop_workers(self) -> None:
        # Called with self._lock held: one end marker per worker, behind the queued tasks.
        for _ in self._workers:
            self._tasks.put(None)

    # -- packaging and queueing chunks (the hooks of PoolMethods) ----------------------------

    def _check_running(self) -> None:
        if self._broken is not None:
            raise BrokenPoolError(str(self._broken)) from self._broken.__cause__
        if self._state != _RUN:
            raise ValueError("Pool not running: it was closed or terminated")

    def _prepare(self, result, func: Callable, items: list, star: bool, start: int,
                 on_done: Callable | None) -> tuple:
        return (result, start, func, items, star, on_done)

    def _submit(self, chunks: list[tuple]) -> None:
        with self._lock:
            self._check_running()
            for chunk in chunks:
                self._tasks.put(chunk)

    def _feed(self, chunk: tuple) -> bool:
        with self._lock:
            if self._stopped():
                return False
            self._tasks.put(chunk)
        return True

    def _stopped(self) -> bool:
        return self._state == _TERMINATE or self._broken is not None

    def _add_feeder(self) -> None:
        with self._lock:
            self._check_running()
            self._feeders += 1

    def _remove_feeder(self) -> None:
        with self._lock:
            self._feeders -= 1
            if self._feeders == 0 and self._state == _CLOSE:
                self._stop_workers()

    # -- shutting down ------------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            if self._state == _RUN:
                self._state = _CLOSE
                if self._feeders == 0:  # otherwise the last imap feeder stops the workers
                    self._stop_workers()

    def terminate(self) -> None:
        with self._lock:
            if self._state == _TERMINATE:
                return
            self._state = _TERMINATE
        self._fail_pending(BrokenPoolError("the pool was terminated before the task started"))
        with self._lock:
            self._stop_workers()

    def join(self, timeout: float | None = None) -> None:
        """Wait for the workers to exit (at most ``timeout`` seconds in all, when given)."""
        if self._state == _RUN and self._broken is None:
            raise ValueError("Pool is still running: call close() or terminate() before join()")
        check_timeout(timeout)
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            with self._lock:
                workers = [w for w in self._workers if w is not threading.current_thread()]
            if not workers:
                return
            for worker in workers:
                worker.join(None if deadline is None else max(deadline - time.monotonic(), 0))
                if deadline is not None and time.monotonic() >= deadline:
                    return
            with self._lock:
                self._workers.difference_update(w for w in workers if not w.is_alive())
