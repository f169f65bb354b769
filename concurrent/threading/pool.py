"""``Pool``: a fixed set of worker threads with multiprocessing's whole ``Pool`` API.

Jobs are cut into tasks ``(result, index, func, args, kwds)`` on one queue; each worker runs a
task in ``_run_task`` and reports its outcome to ``result._task_done``.  A task's exception is
re-raised in the caller with the worker's traceback attached as ``__cause__``.  Those two methods
are the only places a task starts and ends, so per-task progress reporting or a lost-worker
check attaches there without touching the rest.
"""

import itertools
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from concurrent._shared import _pools as _abc
from concurrent._shared._errors import BrokenPoolError
from concurrent._shared._timeouts import check_timeout
from concurrent.threading._results import ApplyResult, IMapIterator, MapResult, attach_traceback
from concurrent.threading._workers import Thread, cpu_count

__all__ = ["ApplyResult", "AsyncResult", "IMapIterator", "MapResult", "Pool"]

AsyncResult = ApplyResult

_RUN, _CLOSE, _TERMINATE = "RUN", "CLOSE", "TERMINATE"
_pool_numbers = itertools.count(1)


def _map_chunk(func: Callable, chunk: list) -> list:
    return [func(item) for item in chunk]


def _starmap_chunk(func: Callable, chunk: list) -> list:
    return [func(*item) for item in chunk]


def _chunks(iterable: Iterable, size: int) -> list[list]:
    items = iter(iterable)
    return list(iter(lambda: list(itertools.islice(items, size)), []))


class Pool(_abc.Pool):
    """``Pool(processes=None, initializer=None, initargs=(), maxtasksperchild=None)`` on threads.

    ``processes`` defaults to ``cpu_count()``.  An ``initializer`` that raises breaks the pool:
    pending and later tasks fail with ``BrokenPoolError``.  ``terminate()`` fails the tasks not
    yet started with ``BrokenPoolError``; a running task cannot be stopped and finishes.
    """

    def __init__(self, processes: int | None = None, initializer: Callable | None = None,
                 initargs: Iterable = (), maxtasksperchild: int | None = None) -> None:
        if processes is None:
            processes = cpu_count()
        if not isinstance(processes, int) or processes < 1:
            raise ValueError(f"Number of processes must be at least 1, got {processes!r}")
        if initializer is not None and not callable(initializer):
            raise TypeError(f"initializer must be callable, got {initializer!r}")
        if maxtasksperchild is not None and (
                not isinstance(maxtasksperchild, int) or maxtasksperchild < 1):
            raise ValueError(
                f"maxtasksperchild must be a positive int or None, got {maxtasksperchild!r}")
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
            self._run_task(*task)
            done += 1
        self._retire(replace=True)

    @staticmethod
    def _run_task(result, index: int, func: Callable, args: tuple, kwds: dict) -> None:
        try:
            value = func(*args, **kwds)
        except BaseException as exc:
            result._task_done(index, False, attach_traceback(exc))
        else:
            result._task_done(index, True, value)

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
                task[0]._task_done(task[1], False, error)

    # -- submitting ---------------------------------------------------------------------------

    def _check_running(self) -> None:
        if self._broken is not None:
            raise BrokenPoolError(str(self._broken)) from self._broken.__cause__
        if self._state != _RUN:
            raise ValueError("Pool not running: it was closed or terminated")

    def _submit(self, result, tasks: list[tuple]) -> None:
        with self._lock:
            self._check_running()
            for index, (func, args, kwds) in enumerate(tasks):
                self._tasks.put((result, index, func, args, kwds))

    def _chunksize(self, items: list, chunksize: int | None) -> int:
        if chunksize is None:
            chunksize, extra = divmod(len(items), self._processes * 4)
            return chunksize + 1 if extra else max(chunksize, 1)
        if not isinstance(chunksize, int) or chunksize < 1:
            raise ValueError(f"chunksize must be a positive int, got {chunksize!r}")
        return chunksize

    def _map_tasks(self, func: Callable, iterable: Iterable, chunksize: int | None,
                   star: bool) -> list[tuple]:
        self._check_running()
        items = list(iterable)
        run_chunk = _starmap_chunk if star else _map_chunk
        return [(run_chunk, (func, chunk), {})
                for chunk in _chunks(items, self._chunksize(items, chunksize))]

    def apply_async(self, func: Callable, args: Iterable = (), kwds: dict | None = None,
                    callback: Callable | None = None,
                    error_callback: Callable | None = None) -> ApplyResult:
        result = ApplyResult(callback, error_callback)
        self._submit(result, [(func, tuple(args), dict(kwds or {}))])
        return result

    def apply(self, func: Callable, args: Iterable = (), kwds: dict | None = None) -> Any:
        return self.apply_async(func, args, kwds).get()

    def map_async(self, func: Callable, iterable: Iterable, chunksize: int | None = None,
                  callback: Callable | None = None,
                  error_callback: Callable | None = None) -> MapResult:
        tasks = self._map_tasks(func, iterable, chunksize, star=False)
        result = MapResult(len(tasks), callback, error_callback)
        self._submit(result, tasks)
        return result

    def map(self, func: Callable, iterable: Iterable, chunksize: int | None = None) -> list:
        return self.map_async(func, iterable, chunksize).get()

    def starmap_async(self, func: Callable, iterable: Iterable[Iterable],
                      chunksize: int | None = None, callback: Callable | None = None,
                      error_callback: Callable | None = None) -> MapResult:
        tasks = self._map_tasks(func, iterable, chunksize, star=True)
        result = MapResult(len(tasks), callback, error_callback)
        self._submit(result, tasks)
        return result

    def starmap(self, func: Callable, iterable: Iterable[Iterable],
                chunksize: int | None = None) -> list:
        return self.starmap_async(func, iterable, chunksize).get()

    def _imap(self, func: Callable, iterable: Iterable, chunksize: int | None,
              ordered: bool) -> IMapIterator:
        chunksize = self._chunksize([], 1 if chunksize is None else chunksize)
        items = iter(iterable)
        result = IMapIterator(ordered)
        with self._lock:
            self._check_running()
            self._feeders += 1
        # Like a process pool's task handler, a feeder thread reads the input as the workers
        # go, so ``imap`` returns at once and works on iterators that are slow or endless.
        Thread(target=self._feed, args=(result, func, items, chunksize), daemon=True,
               name=f"{self._name}-Feeder").start()
        return result

    def _feed(self, result: IMapIterator, func: Callable, items: Iterator,
              chunksize: int) -> None:
        index = 0
        try:
            while True:
                try:
                    chunk = list(itertools.islice(items, chunksize))
                except BaseException as exc:  # the input itself failed: report it in order
                    result._task_done(index, False, exc)
                    index += 1
                    return
                if not chunk:
                    return
                with self._lock:
                    if self._state == _TERMINATE or self._broken is not None:
                        error = self._broken or BrokenPoolError(
                            "the pool was terminated before the task started")
                        result._task_done(index, False, error)
                        index += 1
                        return
                    self._tasks.put((result, index, _map_chunk, (func, chunk), {}))
                index += 1
        finally:
            result._set_length(index)
            with self._lock:
                self._feeders -= 1
                if self._feeders == 0 and self._state == _CLOSE:
                    self._stop_workers()

    def _stop_workers(self) -> None:
        # Called with self._lock held: one end marker per worker, behind the queued tasks.
        for _ in self._workers:
            self._tasks.put(None)

    def imap(self, func: Callable, iterable: Iterable, chunksize: int | None = 1) -> Iterator:
        return self._imap(func, iterable, chunksize, ordered=True)

    def imap_unordered(self, func: Callable, iterable: Iterable,
                       chunksize: int | None = 1) -> Iterator:
        return self._imap(func, iterable, chunksize, ordered=False)

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

