"""``Pool`` on a cluster: chunks of tasks are Dask tasks (``Client.submit``), ``processes`` at a
time.

What every pool shares comes from ``concurrent._shared._machinery.pool`` (the public methods,
results, chunk sizes, the imap feeder, ``progress=``, tracebacks as ``__cause__``).  What is
cluster-specific is here: a chunk waits in this process until one of the pool's ``processes``
slots is free, then runs as one Dask task (``_pool_task.run_pool_chunk``) on whichever worker the
scheduler picks; its future's done-callback delivers the outcome and submits the next chunk.

Faults: a chunk whose worker process dies is run again by Dask on another worker, up to
``distributed.scheduler.allowed-failures`` (3) times; then its tasks raise ``WorkerLostError``
and the other chunks go on.  A lost scheduler fails every pending result with
``SchedulerLostError`` and breaks the pool.  ``terminate()`` fails what has not finished with
``BrokenPoolError`` at once; a chunk already running on a worker cannot be stopped there and
its result is dropped.

A pool can be handed to a ``Process`` (``manager.Pool()`` is one): the copy submits to the same
cluster under the same initializer, and refuses work once the original was closed or
terminated.
"""

from __future__ import annotations

import collections
import itertools
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from concurrent._shared._errors import BrokenPoolError, WorkerLostError
from concurrent._shared._machinery.pool.args import check_pool_args
from concurrent._shared._machinery.pool.lifecycle import Lifecycle, PoolState
from concurrent._shared._machinery.pool.methods import PoolMethods
from concurrent._shared._machinery.pool.results import ApplyResult, IMapIterator, MapResult, Outcome
from concurrent._shared._machinery.timeouts import check_timeout
from concurrent.distributed import _cluster, _monitor
from concurrent.distributed._errors import SchedulerLostError
from concurrent.distributed._pool_task import PoolSpec, Verdict, run_pool_chunk
from concurrent.distributed._store import new_name
from concurrent.distributed._sync import Event
from concurrent.distributed._workers import cpu_count

__all__ = ["ApplyResult", "AsyncResult", "IMapIterator", "MapResult", "Pool"]

AsyncResult = ApplyResult  # multiprocessing.pool's name for it
_numbers = itertools.count(1)


class Chunk(NamedTuple):
    """Consecutive tasks of one submission: one Dask task."""

    result: Any  # deliver(start, count, outcome, payload) / abandon(exc)
    start: int
    func: Callable
    items: list
    star: bool
    on_done: Callable[[int, float | None], None] | None  # the imap feeder's accounting

    def fail(self, error: BaseException) -> None:
        if self.on_done is not None:
            self.on_done(len(self.items), None)
        self.result.deliver(self.start, len(self.items), Outcome.ERROR, error)


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
        if not _cluster.in_worker():
            self._watch = _monitor.watch(self._client, self._lost)

    def _setup(self, processes: int, spec: PoolSpec, closed: Event) -> None:
        self._processes, self._spec, self._closed = processes, spec, closed
        self._client_cache: Any = None
        self._lifecycle = Lifecycle()  # its lock also guards _pending and _running
        self._pending: collections.deque[Chunk] = collections.deque()
        self._running: dict[str, tuple[Chunk, Any]] = {}
        self._idle = threading.Condition(self._lifecycle.lock)
        self._name = f"DaskPool-{next(_numbers)}"
        self._is_copy = False
        self._watch: int | None = None

    @property
    def _client(self) -> Any:
        # Resolved on first use: a copy may be unpickled where no client can be asked for yet.
        if self._client_cache is None:
            self._client_cache = _cluster.client()
        return self._client_cache

    def __reduce__(self):
        return _rebuild, (self._processes, self._spec, self._closed)

    def __repr__(self) -> str:
        return (f"<{type(self).__module__}.{type(self).__qualname__} "
                f"state={self._lifecycle.state.value} pool_size={self._processes}>")

    # -- the hooks of PoolMethods ------------------------------------------------------------
    def _check_running(self) -> None:
        super()._check_running()
        if self._is_copy and self._closed.is_set():
            raise ValueError("Pool not running (the pool it was copied from was closed)")

    def _prepare(self, result, func: Callable, items: list, star: bool, start: int,
                 on_done: Callable | None) -> Chunk:
        return Chunk(result, start, func, items, star, on_done)

    def _enqueue(self, chunks: list[Chunk]) -> None:
        self._pending.extend(chunks)

    def _enqueued(self) -> None:
        self._dispatch()

    def _feeders_done(self) -> None:
        with self._lifecycle.lock:
            self._idle.notify_all()

    # -- dispatching to the cluster ----------------------------------------------------------
    def _dispatch(self) -> None:
        while True:
            with self._lifecycle.lock:
                if (self._lifecycle.stopped or not self._pending
                        or len(self._running) >= self._processes):
                    return
                chunk = self._pending.popleft()
                key = new_name("pool-chunk")
                self._running[key] = (chunk, None)
            try:
                future = self._client.submit(run_pool_chunk, self._spec, chunk.func, chunk.items,
                                             chunk.star, key=key, pure=False)
            except Exception as exc:  # e.g. the function cannot be pickled
                with self._lifecycle.lock:
                    self._running.pop(key, None)
                chunk.fail(exc)
                continue
            with self._lifecycle.lock:
                if key in self._running:
                    self._running[key] = (chunk, future)
            future.add_done_callback(lambda done, chunk=chunk: self._chunk_done(chunk, done))

    def _chunk_done(self, chunk: Chunk, future: Any) -> None:
        with self._lifecycle.lock:
            known = self._running.pop(future.key, None) is not None
        if known:
            self._deliver(chunk, future)
        with self._lifecycle.lock:
            self._idle.notify_all()
        self._dispatch()

    def _deliver(self, chunk: Chunk, future: Any) -> None:
        from distributed import KilledWorker

        count = len(chunk.items)
        if future.status == "finished":
            try:
                report = future.result()
            except Exception as exc:  # the result could not be fetched or unpickled
                chunk.fail(exc)
                return
            if report.verdict is Verdict.INITIALIZER_FAILED:
                self._break(report.payload)
                chunk.fail(BrokenPoolError(f"the pool's initializer raised {report.payload!r}"))
                return
            if chunk.on_done is not None:
                chunk.on_done(count, report.seconds)
            chunk.result.deliver(chunk.start, count, report.outcome, report.payload)
        elif future.status == "error":
            error = future.exception()
            if isinstance(error, KilledWorker):
                error = WorkerLostError(
                    f"tasks {chunk.start}..{chunk.start + count - 1} of {self._name} were lost "
                    f"with their cluster worker each of the times Dask ran them "
                    f"(distributed.scheduler.allowed-failures): {error}", name=str(future.key))
            chunk.fail(error)
        elif self._lifecycle.stopped:
            chunk.fail(BrokenPoolError(f"{self._name} was terminated before the task finished"))
        else:  # Dask cancelled it under us: the client lost its scheduler
            lost = SchedulerLostError(f"the Dask scheduler at {self._client.scheduler.address} "
                                      f"was lost; {self._name} cannot finish its tasks",
                                      self._client.scheduler.address)
            chunk.fail(lost)
            self._break(lost, fail_with=lost)

    def _break(self, cause: BaseException, fail_with: BaseException | None = None) -> None:
        error = BrokenPoolError(f"{self._name} is broken: {cause!r}")
        error.__cause__ = cause
        with self._lifecycle.lock:
            self._lifecycle.break_with(error)
        self._stop_all(error if fail_with is None else fail_with)

    def _lost(self, error: SchedulerLostError) -> None:
        self._break(error, fail_with=error)

    def _stop_all(self, error: BaseException) -> None:
        with self._lifecycle.lock:
            pending, self._pending = list(self._pending), collections.deque()
            running, self._running = list(self._running.values()), {}
            self._idle.notify_all()
        for chunk in pending:
            chunk.fail(error)
        for chunk, future in running:
            chunk.fail(error)
            if future is not None and self._client.status == "running":
                future.release()
        if self._watch is not None:
            _monitor.unwatch(self._watch)

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
        with self._lifecycle.lock:
            if not self._lifecycle.terminate():
                return
        self._stop_all(BrokenPoolError(f"{self._name} was terminated before the task finished"))
        self._mark_closed()

    def join(self, timeout: float | None = None) -> None:
        """Wait until every queued chunk has finished (at most ``timeout`` seconds)."""
        if self._lifecycle.state is PoolState.RUNNING:
            raise ValueError("Pool is still running: call close() or terminate() before join()")
        check_timeout(timeout)
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._lifecycle.lock:
            while self._pending or self._running or self._lifecycle.feeders:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return
                self._idle.wait(left)
        if self._watch is not None:
            _monitor.unwatch(self._watch)


def _rebuild(processes: int, spec: PoolSpec, closed: Event) -> Pool:
    pool = Pool.__new__(Pool)
    pool._setup(processes, spec, closed)
    pool._is_copy = True
    return pool


def _module():
    import concurrent.distributed

    return concurrent.distributed

