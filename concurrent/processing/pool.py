"""A process pool that never hangs when a worker dies: ``concurrent.processing.pool.Pool``.

Same API as ``multiprocessing.pool.Pool``, plus ``progress=`` on the maps, an adaptive chunk size
for ``imap``/``imap_unordered``, submission-time errors for arguments that cannot be pickled, and
``WorkerLostError`` for a task whose worker died (the stdlib waits forever); large buffers in
arguments and results (64 KiB and up) go through shared memory, not the pipe.  The machinery lives
in ``_pool_dispatch`` (workers and the pool thread) and ``_pool_worker`` (the worker loop); the
public methods and what the thread pool shares (results, chunk sizes, imap feeding, progress,
tracebacks, argument checks) live in ``concurrent._shared._pool_*``; this module packages and
queues chunks for processes.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import weakref
from collections.abc import Callable, Iterable
from typing import Any

from concurrent._shared._errors import RemoteTraceback
from concurrent._shared._pool_args import check_pool_args
from concurrent._shared._pool_methods import PoolMethods
from concurrent._shared._pool_results import ApplyResult, IMapIterator, MapResult
from concurrent.processing._pickling import dumps
from concurrent.processing._pool_dispatch import TERMINATE, Chunk, Dispatcher

__all__ = ["ApplyResult", "AsyncResult", "IMapIterator", "MapResult", "Pool", "RemoteTraceback"]

AsyncResult = ApplyResult  # multiprocessing.pool's name for it


def _default_context():
    try:
        from concurrent.processing import get_context
    except ImportError:
        return multiprocessing.get_context()
    return get_context()


def _cpu_count() -> int:
    counter = getattr(os, "process_cpu_count", None) or os.cpu_count
    return counter() or 1


class Pool(PoolMethods):
    """``processes`` worker processes that run tasks; see ``multiprocessing.pool.Pool``.

    ``context`` is a ``concurrent.processing`` or ``multiprocessing`` context (its start method
    is used for the workers); by default the current default context.
    """

    def __init__(self, processes: int | None = None, initializer: Callable | None = None,
                 initargs: Iterable = (), maxtasksperchild: int | None = None,
                 context: Any = None) -> None:
        processes = check_pool_args(processes, initializer, maxtasksperchild, _cpu_count)
        self._ctx = context if context is not None else _default_context()
        self._processes = processes
        self._engine = Dispatcher(self._ctx, processes, initializer, initargs, maxtasksperchild)
        self._finalizer = weakref.finalize(self, self._engine.terminate)

    def __repr__(self) -> str:
        return (f"<{type(self).__module__}.{type(self).__qualname__} "
                f"state={self._engine.state} processes={self._processes}>")

    def __reduce__(self):
        raise NotImplementedError("pool objects cannot be passed between processes or pickled")

    # -- packaging and queueing chunks (the hooks of PoolMethods) ----------------------------
    def _prepare_apply(self, result: ApplyResult, func: Callable, args: tuple,
                       kwds: dict | None) -> Chunk:
        target = functools.partial(func, **kwds) if kwds else func
        task = (target, args, None)  # the apply form: see _pool_worker
        try:
            payload = self._engine.encode(task)
        except Exception:
            dumps(func, what="func")
            dumps(args, what="args")
            dumps(kwds, what="kwds")
            raise
        return Chunk(result, 0, 1, payload, task=task)

    def _prepare(self, result, func: Callable, items: list, star: bool, start: int,
                 on_done: Callable | None) -> Chunk:
        task = (func, items, star)
        try:
            payload = self._engine.encode(task)
        except Exception:
            dumps(func, what="func")
            for offset, item in enumerate(items):
                dumps(item, what=f"iterable[{start + offset}]")
            raise
        return Chunk(result, start, len(items), payload, on_done, task=task)

    def _check_imap_func(self, func: Callable) -> None:
        dumps(func, what="func")  # items are pickled lazily, as they are pulled; func now

    def _submit(self, chunks: list[Chunk]) -> None:
        self._engine.submit(chunks)

    def _feed(self, chunk: Chunk) -> bool:
        return self._engine.feed(chunk)

    def _stopped(self) -> bool:
        return self._engine.state == TERMINATE

    def _add_feeder(self) -> None:
        self._engine.add_feeder()

    def _remove_feeder(self) -> None:
        self._engine.remove_feeder()

    def _check_running(self) -> None:
        self._engine.check_running()

    # -- lifecycle ---------------------------------------------------------------------------
    def close(self) -> None:
        self._engine.close()

    def terminate(self) -> None:
        self._finalizer()

    def join(self) -> None:
        if self._engine.state == "running":
            raise ValueError("Pool is still running; call close() or terminate() before join()")
        self._engine.join()
