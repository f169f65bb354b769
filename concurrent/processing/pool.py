"""A process pool that never hangs when a worker dies: ``concurrent.processing.pool.Pool``.

Same API as ``multiprocessing.pool.Pool``, plus ``progress=`` on the maps, an adaptive chunk size
for ``imap``/``imap_unordered``, submission-time errors for arguments that cannot be pickled, and
``WorkerLostError`` for a task whose worker died (the stdlib waits forever); large buffers in
arguments and results (64 KiB and up) go through shared memory, not the pipe.  The public methods
are the ones both pools share (``concurrent._shared._machinery.pool``); the engine that runs the
workers is ``_pool``; this module packages chunks for it.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable
from multiprocessing import util
from multiprocessing.pool import MaybeEncodingError  # a result that cannot be sent back
from typing import Any

from concurrent._shared._errors import RemoteTraceback
from concurrent._shared._machinery.exports import public_dir
from concurrent._shared._machinery.pool.args import check_pool_args
from concurrent._shared._machinery.pool.lifecycle import PoolState
from concurrent._shared._machinery.pool.methods import PoolMethods
from concurrent._shared._machinery.pool.results import ApplyResult, IMapIterator, MapResult
from concurrent.processing._pool.dispatch import Dispatcher
from concurrent.processing._pool.messages import Task
from concurrent.processing._pool.schedule import Chunk

__all__ = ["ApplyResult", "AsyncResult", "IMapIterator", "MapResult", "MaybeEncodingError", "Pool",
           "RemoteTraceback"]

AsyncResult = ApplyResult  # multiprocessing.pool's name for it


def _cpu_count() -> int:
    counter = getattr(os, "process_cpu_count", None) or os.cpu_count
    return counter() or 1


class Pool(PoolMethods):
    """``processes`` worker processes that run tasks; see ``multiprocessing.pool.Pool``.

    ``context`` is a ``concurrent.processing`` or ``multiprocessing`` context whose start method
    the workers use; by default the start method this class is bound to (the program's default
    for ``concurrent.processing.Pool``, spawn for ``get_context("spawn").Pool``).
    """

    _start_method: str | None = None

    def __init__(self, processes: int | None = None, initializer: Callable | None = None,
                 initargs: Iterable = (), maxtasksperchild: int | None = None,
                 context: Any = None) -> None:
        processes = check_pool_args(processes, initializer, maxtasksperchild, _cpu_count)
        method = self._start_method if context is None else context.get_start_method()
        self._processes = processes
        self._engine = Dispatcher(method, processes, initializer, initargs, maxtasksperchild)
        self._lifecycle = self._engine.lifecycle
        self._cache: dict[int, Any] = {}
        # Ahead of the exit-time finalizers of priority 0 (every SemLock's unlink): a worker
        # still starting at exit would otherwise find the pool's lock gone (as the stdlib's
        # pool does, see multiprocessing.pool.Pool.__init__).
        self._finalizer = util.Finalize(self, self._engine.terminate, exitpriority=15)

    def __repr__(self) -> str:
        return (f"<{type(self).__module__}.{type(self).__qualname__} "
                f"state={self._lifecycle.state.value} processes={self._processes}>")

    def __reduce__(self):
        raise NotImplementedError("pool objects cannot be passed between processes or pickled")

    @property
    def _pool(self) -> list:
        """The worker processes (multiprocessing.pool's name)."""
        return self._engine.processes()

    # -- the hooks of PoolMethods -------------------------------------------------------------
    def _prepare_apply(self, result: ApplyResult, func: Callable, args: tuple,
                       kwds: dict | None) -> Chunk:
        target = functools.partial(func, **kwds) if kwds else func
        task = Task(target, [args], True)
        try:
            payload = self._engine.encode(task)
        except Exception:  # name the part that failed: func, args or kwds
            codec = self._engine.codec
            codec.check(func, what="func")
            codec.check(args, what="args")
            codec.check(kwds, what="kwds")
            raise
        return Chunk(result, 0, 1, payload, task)

    def _prepare(self, result, func: Callable, items: list, star: bool, start: int,
                 on_done: Callable | None) -> Chunk:
        task = Task(func, items, star)
        try:
            payload = self._engine.encode(task)
        except Exception:  # name the part that failed: func, or the item at its position
            codec = self._engine.codec
            codec.check(func, what="func")
            for offset, item in enumerate(items):
                codec.check(item, what=f"iterable[{start + offset}]")
            raise
        return Chunk(result, start, len(items), payload, task, on_done)

    def _check_imap_func(self, func: Callable) -> None:
        self._engine.codec.check(func, what="func")  # items are checked as they are pulled

    def _enqueue(self, chunks: list[Chunk]) -> None:
        self._engine.enqueue(chunks)

    def _enqueued(self) -> None:
        self._engine.wake()

    def _discard(self, chunks: list[Chunk]) -> None:
        self._engine.discard(chunks)

    def _feeders_done(self) -> None:
        self._engine.wake()

    # -- lifecycle ----------------------------------------------------------------------------
    def close(self) -> None:
        with self._lifecycle.lock:
            self._lifecycle.close()
        self._engine.wake()

    def terminate(self) -> None:
        self._finalizer()

    def join(self, timeout: float | None = None) -> None:
        """Wait for the workers to exit (at most ``timeout`` seconds, when given)."""
        if self._lifecycle.state is PoolState.RUNNING:
            raise ValueError("Pool is still running; call close() or terminate() before join()")
        self._engine.join(timeout)

__dir__ = public_dir(globals())
