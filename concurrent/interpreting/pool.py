"""``Pool``: worker threads of the caller, each running chunks of tasks in an interpreter of its
own, with the processing ``Pool``'s whole API.

What every pool shares comes from ``concurrent._shared._machinery.pool``: the public methods,
the results, chunk sizes, the imap feeder, ``progress=``, the worker traceback as ``__cause__``,
the argument checks, the lifecycle and the chunk runner.  What is specific here::

    submit: _prepare pickles (function, items, star) -> a Chunk on the task queue
    worker thread: _interpreters.start() -> _bootstrap.start_pool_worker(initializer)
        loop: chunk = tasks.get() -> Interpreter.call(_bootstrap.run_chunk, payload)
              -> unpickle (Outcome, values) -> result.deliver(...)
    end: _bootstrap.stop_pool_worker() -> the interpreter is retired to the reaper

The call into the interpreter blocks only its worker thread, which holds no lock meanwhile, so
the tasks of N workers run at once on N cores.  A chunk is pickled when it is submitted (an
unpicklable argument fails in the caller) and its outcome when it is done (a result that cannot
be pickled fails its own task).  A running chunk cannot be stopped: ``terminate()`` fails what
has not started with ``BrokenPoolError`` and lets the workers end after their current chunk.
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
from concurrent._shared._machinery.leaving_threads import start_thread
from concurrent._shared._machinery.pool.args import check_pool_args
from concurrent._shared._machinery.pool.lifecycle import Lifecycle, PoolState
from concurrent._shared._machinery.pool.methods import PoolMethods
from concurrent._shared._machinery.pool.results import (
    ApplyResult,
    IMapIterator,
    MapResult,
    Outcome,
)
from concurrent._shared._machinery.timeouts import check_timeout
from concurrent.interpreting import _codec
from concurrent.interpreting._workers import DAEMON_THREADS, cpu_count

__all__ = ["ApplyResult", "AsyncResult", "IMapIterator", "MapResult", "Pool"]

AsyncResult = ApplyResult  # multiprocessing.pool's name for it

_pool_numbers = itertools.count(1)


class Chunk(NamedTuple):
    """Consecutive tasks of one submission, pickled: one call into a worker's interpreter."""

    result: Any  # the results object: deliver(start, count, outcome, payload) / abandon(exc)
    start: int
    count: int
    payload: Any  # what _codec.dumps made of (function, items, star)
    on_done: Callable[[int, float | None], None] | None  # the imap feeder's chunk accounting

    def fail(self, error: BaseException) -> None:
        if self.on_done is not None:
            self.on_done(self.count, None)
        self.result.abandon(error)


class _Workers:
    """The worker threads and their task queue: what the threads hold, so that a pool nobody
    references any more can be collected (and is then terminated, as a process pool is).

    ``lifecycle.lock`` also guards ``threads`` and the task queue.
    """

    def __init__(self, processes: int, initializer: Any, maxtasks: int | None) -> None:
        self.initializer = initializer  # pickled (initializer, initargs), or None
        self.maxtasks = maxtasks
        self.tasks: queue.SimpleQueue[Chunk | None] = queue.SimpleQueue()
        self.lifecycle = Lifecycle()
        self.threads: set[threading.Thread] = set()
        self.name = f"InterpreterPool-{next(_pool_numbers)}"
        self._numbers = itertools.count(1)
        with self.lifecycle.lock:
            for _ in range(processes):
                self.start_one()

    def start_one(self) -> None:
        # Called with the lifecycle lock held.
        number = next(self._numbers)
        thread = start_thread(self._work, number, daemon=DAEMON_THREADS,
                              name=f"{self.name}-Worker-{number}")
        self.threads.add(thread)

    def _work(self, number: int) -> None:
        from concurrent.interpreting import _bootstrap, _interpreters

        try:
            started = _interpreters.start()
        except _interpreters.ProgramExitingError:
            self._retire(replace=False)
            return
        except Exception as exc:
            self._break(exc)
            return
        try:
            error = started.call_briefly(_bootstrap.start_pool_worker,
                                         f"{self.name}-Worker-{number}", (number,),
                                         self.initializer)
            if error is not None:
                self._break(_codec.loads(error))
                return
            done = 0
            while self.maxtasks is None or done < self.maxtasks:
                chunk = self.tasks.get()
                if chunk is None:
                    self._retire(replace=False)
                    return
                self._run(started, chunk)
                del chunk  # its arguments and results must not outlive the task (bpo-29861)
                done += 1
            self._retire(replace=True)
        except _interpreters.ProgramExitingError:
            self._retire(replace=False)
        finally:
            self._stop(started)

    @staticmethod
    def _stop(started: Any) -> None:
        from concurrent.interpreting import _bootstrap, _interpreters

        parkers = ()
        try:
            parkers = started.call_briefly(_bootstrap.stop_pool_worker)
        except _interpreters.ProgramExitingError:
            pass
        finally:
            started.retire(parkers)

    def _run(self, started: Any, chunk: Chunk) -> None:
        from concurrent.interpreting import _bootstrap

        began = time.perf_counter()
        try:
            outcome, payload = _codec.loads(started.call(_bootstrap.run_chunk, chunk.payload))
        except BaseException as exc:  # the chunk's outcome cannot be read here
            outcome, payload = Outcome.ERROR, exc
        if chunk.on_done is not None:
            chunk.on_done(chunk.count, time.perf_counter() - began)
        chunk.result.deliver(chunk.start, chunk.count, outcome, payload)

    def _retire(self, replace: bool) -> None:
        with self.lifecycle.lock:
            self.threads.discard(threading.current_thread())
            if replace and self.lifecycle.state is not PoolState.TERMINATED:
                self.start_one()

    def _break(self, cause: BaseException) -> None:
        error = BrokenPoolError(f"a worker of {self.name} could not start: {cause!r}")
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


class Pool(PoolMethods):
    """``Pool(processes=None, initializer=None, initargs=(), maxtasksperchild=None,
    context=None)``: ``processes`` interpreters (default: ``cpu_count()``), each run by a
    thread of the caller.

    An ``initializer`` that raises breaks the pool: pending and later tasks fail with
    ``BrokenPoolError``.  ``maxtasksperchild`` replaces a worker's interpreter by a fresh one
    after that many chunks.  A pool dropped while it runs warns (``ResourceWarning``) and is
    terminated.  ``context`` exists for the processing ``Pool``'s signature: interpreters start
    one way, so it must be ``None``.
    """

    def __init__(self, processes: int | None = None, initializer: Callable | None = None,
                 initargs: Iterable = (), maxtasksperchild: int | None = None,
                 context: None = None) -> None:
        processes = check_pool_args(processes, initializer, maxtasksperchild, cpu_count)
        if context is not None:
            raise TypeError(f"interpreters start one way: context must be None, "
                            f"not {context!r}")
        init = None if initializer is None else _codec.dumps((initializer, tuple(initargs)))
        self._processes = processes
        self._cache: dict[int, Any] = {}
        self._engine = _Workers(processes, init, maxtasksperchild)
        self._lifecycle = self._engine.lifecycle
        self._finalizer = weakref.finalize(self, self._engine.terminate)

    def __repr__(self) -> str:
        return (f"<{type(self).__module__}.{type(self).__qualname__} "
                f"state={self._lifecycle.state.value} pool_size={self._processes}>")

    @property
    def _pool(self) -> list[threading.Thread]:
        """The worker threads, one per interpreter (multiprocessing.pool's name)."""
        with self._lifecycle.lock:
            return list(self._engine.threads)

    # -- the hooks of PoolMethods ------------------------------------------------------------
    def _prepare(self, result, func: Callable, items: list, star: bool, start: int,
                 on_done: Callable | None) -> Chunk:
        return Chunk(result, start, len(items), _codec.dumps((func, items, star)), on_done)

    def _enqueue(self, chunks: list[Chunk]) -> None:
        for chunk in chunks:
            self._engine.tasks.put(chunk)

    def _feeders_done(self) -> None:
        with self._lifecycle.lock:
            self._engine.stop_all()

    def _check_imap_func(self, func: Callable) -> None:
        _codec.dumps(func)  # a function that cannot reach the workers fails in imap()

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
