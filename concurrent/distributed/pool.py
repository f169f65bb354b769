"""``Pool`` on a cluster: batches of chunks run as Dask tasks, ``processes`` of them at a time.

What every pool shares comes from ``concurrent._shared._machinery.pool`` (the public methods,
results, chunk sizes, the imap feeder, ``progress=``, tracebacks as ``__cause__``).  What is
cluster-specific is here (packaging chunks, the pool's life, its copies), in ``_pool_dispatch``
(the queue, batches as Dask tasks) and in ``_pool_collect`` (their results back to the chunks).
A Dask task costs about a millisecond of scheduling and a result round trip, more than a small
task, so the pool spends them sparingly:

- a chunk is pickled when it is submitted, in the caller (an argument that cannot be pickled
  fails there), its function once per submission;
- the pool keeps exactly ``processes`` Dask tasks in flight, so ``Pool(processes=N)`` runs N
  at once whatever the size of the cluster; each carries a *batch* of the queued chunks
  (``_pool_task.run_pool_batch``), sized from the measured time per task so that a batch keeps
  a worker busy for about ``BATCH_SECONDS``, yet never more than its share of what is queued
  (so the work stays balanced at the end); the first batches hold one chunk;
- the moment a batch finishes, Dask's callback submits the next (one message, no round trip),
  then the pool's collector thread gathers every finished batch's results in one request.

Faults: a batch whose worker process dies is run again by Dask on another worker, up to
``distributed.scheduler.allowed-failures`` (3) times.  If it still fails, a batch of several
chunks is split and each chunk runs alone (it may only have shared the worker with the chunk
that killed it); a chunk that fails alone raises ``WorkerLostError`` and the other chunks go on.
A lost scheduler fails every pending result with ``SchedulerLostError`` and breaks the pool.
``terminate()`` fails what has not finished with ``BrokenPoolError`` at once; a batch already
running on a worker cannot be stopped there and its results are dropped.

A pool can be handed to a ``Process`` (``manager.Pool()`` is one): the copy submits to the same
cluster under the same initializer, and refuses work once the original was closed or
terminated.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from typing import Any

from concurrent._shared._machinery.exports import public_dir
from concurrent._shared._machinery.pool.args import check_pool_args
from concurrent._shared._machinery.pool.lifecycle import PoolState
from concurrent._shared._machinery.pool.methods import PoolMethods
from concurrent._shared._machinery.pool.results import ApplyResult, IMapIterator, MapResult
from concurrent._shared._machinery.timeouts import check_timeout
from concurrent.distributed import _cluster
from concurrent.distributed._pool_dispatch import Chunk, Dispatcher
from concurrent.distributed._pool_task import ChunkData, PoolSpec, dumps
from concurrent.distributed._store import new_name
from concurrent.distributed._sync import Event
from concurrent.distributed._workers import cpu_count

__all__ = ["ApplyResult", "AsyncResult", "IMapIterator", "MapResult", "Pool"]

AsyncResult = ApplyResult  # multiprocessing.pool's name for it
_numbers = itertools.count(1)


class Pool(PoolMethods):
    """``Pool(processes=None, initializer=None, initargs=(), maxtasksperchild=None,
    context=None)`` on the cluster (see the module docstring).

    ``processes`` defaults to ``cpu_count()``, the cluster's worker threads; ``context`` is
    ``None`` or a backend of ``concurrent.distributed`` (``get_context()``).
    """

    def __init__(self, processes: int | None = None, initializer: Callable | None = None,
                 initargs: Iterable = (), maxtasksperchild: int | None = None,
                 context: Any = None) -> None:
        processes = check_pool_args(processes, initializer, maxtasksperchild, cpu_count)
        if context is not None and getattr(context, "module", None) is not _module():
            raise TypeError(f"context must be None or a concurrent.distributed backend "
                            f"(get_context()), not {context!r}")
        self._setup(processes, PoolSpec(new_name("pool"), initializer, tuple(initargs),
                                        maxtasksperchild), Event())
        self._dispatcher.refresh_threads()
        if not _cluster.in_worker():
            self._dispatcher.watch_scheduler()

    def _setup(self, processes: int, spec: PoolSpec, closed: Event) -> None:
        self._processes, self._closed = processes, closed
        self._dispatcher = Dispatcher(processes, spec, f"DaskPool-{next(_numbers)}")
        self._lifecycle = self._dispatcher.lifecycle
        self._cache: dict[int, Any] = {}  # unfinished results (multiprocessing.pool's name)
        self._func_memo: tuple[Any, bytes] | None = None
        self._is_copy = False

    def __del__(self) -> None:
        if not getattr(self, "_is_copy", True):  # a copy's original owns the pool's lifetime
            super().__del__()

    def __reduce__(self):
        return _rebuild, (self._processes, self._dispatcher.spec, self._closed)

    def __repr__(self) -> str:
        return (f"<{type(self).__module__}.{type(self).__qualname__} "
                f"state={self._lifecycle.state.value} pool_size={self._processes}>")

    # -- the hooks of PoolMethods ------------------------------------------------------------
    def _check_running(self) -> None:
        super()._check_running()
        if self._is_copy and self._closed.is_set():
            raise ValueError("Pool not running (the pool it was copied from was closed)")

    def _pickled_func(self, func: Callable) -> bytes:
        memo = self._func_memo  # one submission's chunks share the function's bytes
        if memo is not None and memo[0] is func:
            return memo[1]
        data = dumps(func)
        self._func_memo = (func, data)
        return data

    def _prepare(self, result, func: Callable, items: list, star: bool, start: int,
                 on_done: Callable | None) -> Chunk:
        data = ChunkData(self._pickled_func(func), dumps(items), star, len(items))
        return Chunk(result, start, data, on_done)

    def _enqueue(self, chunks: list[Chunk]) -> None:
        self._dispatcher.enqueue(chunks)

    def _enqueued(self) -> None:
        self._dispatcher.dispatch()

    def _feeders_done(self) -> None:
        self._dispatcher.wake_joiners()

    # -- shutting down ------------------------------------------------------------------------
    def _mark_closed(self) -> None:
        if not self._is_copy:
            self._closed.set()

    def close(self) -> None:
        with self._lifecycle.lock:
            closed = self._lifecycle.close()
        if closed:
            self._mark_closed()

    def terminate(self) -> None:
        if self._dispatcher.terminate():
            self._mark_closed()

    def join(self, timeout: float | None = None) -> None:
        """Wait until every queued chunk has finished (at most ``timeout`` seconds)."""
        if self._lifecycle.state is PoolState.RUNNING:
            raise ValueError("Pool is still running: call close() or terminate() before join()")
        check_timeout(timeout)
        self._dispatcher.join(timeout)


def _rebuild(processes: int, spec: PoolSpec, closed: Event) -> Pool:
    pool = Pool.__new__(Pool)
    pool._setup(processes, spec, closed)
    pool._is_copy = True
    return pool


def _module():
    import concurrent.distributed

    return concurrent.distributed


__dir__ = public_dir(globals())
