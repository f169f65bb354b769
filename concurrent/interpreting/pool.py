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
import threading
import time
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, NamedTuple

from concurrent._shared._machinery.exports import public_dir
from concurrent._shared._machinery.leaving_threads import start_thread
from concurrent._shared._machinery.pool.args import check_pool_args
from concurrent._shared._machinery.pool.results import (
    ApplyResult,
    IMapIterator,
    MapResult,
    Outcome,
)
from concurrent._shared._machinery.pool.threads import ThreadWorkers, ThreadWorkersPool
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


class _Workers(ThreadWorkers):
    """The pool's threads: each starts an interpreter, runs the initializer there, then serves
    chunks into it."""

    def __init__(self, processes: int, initializer: Any, maxtasks: int | None) -> None:
        self.initializer = initializer  # pickled (initializer, initargs), or None
        super().__init__(processes, maxtasks, f"InterpreterPool-{next(_pool_numbers)}")

    def _start_thread(self, number: int, name: str) -> threading.Thread:
        return start_thread(self._work, number, name, daemon=DAEMON_THREADS, name=name)

    def _work(self, number: int, name: str) -> None:
        from concurrent.interpreting import _bootstrap, _interpreters

        try:
            started = _interpreters.start()
        except _interpreters.ProgramExitingError:
            self.retire(replace=False)
            return
        except Exception as exc:
            self.break_pool(f"a worker of {self.name} could not start: {exc!r}", exc)
            return
        try:
            error = started.call_briefly(_bootstrap.start_pool_worker, name, (number,),
                                         self.initializer)
            if error is not None:
                cause = _codec.loads(error)
                self.break_pool(f"a worker of {self.name} could not start: {cause!r}", cause)
                return
            self.serve(partial(self._run, started))
        except _interpreters.ProgramExitingError:
            self.retire(replace=False)
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

    @staticmethod
    def _run(started: Any, chunk: Chunk) -> None:
        from concurrent.interpreting import _bootstrap

        began = time.perf_counter()
        try:
            outcome, payload = _codec.loads(started.call(_bootstrap.run_chunk, chunk.payload))
        except BaseException as exc:  # the chunk's outcome cannot be read here
            outcome, payload = Outcome.ERROR, exc
        if chunk.on_done is not None:
            chunk.on_done(chunk.count, time.perf_counter() - began)
        chunk.result.deliver(chunk.start, chunk.count, outcome, payload)


class Pool(ThreadWorkersPool):
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
        self._start_workers(processes, _Workers(processes, init, maxtasksperchild))

    def _prepare(self, result, func: Callable, items: list, star: bool, start: int,
                 on_done: Callable | None) -> Chunk:
        return Chunk(result, start, len(items), _codec.dumps((func, items, star)), on_done)

    def _check_imap_func(self, func: Callable) -> None:
        _codec.dumps(func)  # a function that cannot reach the workers fails in imap()


__dir__ = public_dir(globals())
