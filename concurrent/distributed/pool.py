"""``Pool`` on a cluster: batches of chunks run as Dask tasks, ``processes`` of them at a time.

What every pool shares comes from ``concurrent._shared._machinery.pool`` (the public methods,
results, chunk sizes, the imap feeder, ``progress=``, tracebacks as ``__cause__``).  What is
cluster-specific is here.  A Dask task costs about a millisecond of scheduling and a result
round trip, more than a small task, so the pool spends them sparingly:

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

import collections
import functools
import itertools
import math
import queue
import threading
import time
import weakref
from collections.abc import Callable, Iterable
from typing import Any

from concurrent._shared._errors import BrokenPoolError, WorkerLostError
from concurrent._shared._machinery.exports import public_dir
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
from concurrent.distributed import _cluster, _monitor
from concurrent.distributed._calls import address_of
from concurrent.distributed._errors import SchedulerLostError
from concurrent.distributed._pool_task import (
    BatchReport,
    ChunkData,
    PoolSpec,
    dumps,
    loads,
    run_pool_batch,
)
from concurrent.distributed._store import new_name
from concurrent.distributed._sync import Event
from concurrent.distributed._workers import cpu_count

__all__ = ["ApplyResult", "AsyncResult", "IMapIterator", "MapResult", "Pool"]

AsyncResult = ApplyResult  # multiprocessing.pool's name for it
BATCH_SECONDS = 0.05  # how long one Dask task of a pool should keep its worker busy
MAX_BATCH_TASKS = 4096
THREADS_RECHECK = 5.0  # seconds between counts of the cluster's worker threads
_numbers = itertools.count(1)


class Chunk:
    """Consecutive tasks of one submission, pickled: part of one Dask task."""

    __slots__ = ("alone", "data", "on_done", "result", "start")

    def __init__(self, result: Any, start: int, data: ChunkData,
                 on_done: Callable[[int, float | None], None] | None) -> None:
        self.result, self.start, self.data, self.on_done = result, start, data, on_done
        self.alone = False  # run it in a Dask task of its own (after a lost worker)

    def deliver(self, outcome: Any, payload: Any, seconds: float | None) -> None:
        if self.on_done is not None:
            self.on_done(self.data.count, seconds)
        self.result.deliver(self.start, self.data.count, outcome, payload)

    def fail(self, error: BaseException) -> None:
        self.deliver(Outcome.ERROR, error, None)


class _Sizer:
    """How many tasks the next batch takes: enough to last ``BATCH_SECONDS`` at the time per
    task measured last, at most a ``1 / (2 * processes)`` share of what is queued."""

    __slots__ = ("per_task",)

    def __init__(self) -> None:
        self.per_task: float | None = None  # seconds, from the last finished batch

    def tasks(self, queued_tasks: int, lanes: int) -> int:
        if self.per_task is None:
            return 1
        wanted = BATCH_SECONDS / max(self.per_task, 1e-7)
        share = math.ceil(queued_tasks / (2 * lanes))
        return max(1, min(int(wanted), share, MAX_BATCH_TASKS))

    def record(self, tasks: int, seconds: float) -> None:
        if tasks > 0:
            self.per_task = seconds / tasks


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
        self._refresh_threads()
        if not _cluster.in_worker():
            # The monitor holds the pool weakly: a dropped pool is collected (and warns).
            self._watch = _monitor.watch(self._client, functools.partial(_lost, weakref.ref(self)))
            weakref.finalize(self, _monitor.unwatch, self._watch)

    def _setup(self, processes: int, spec: PoolSpec, closed: Event) -> None:
        self._processes, self._spec, self._closed = processes, spec, closed
        self._client_cache: Any = None
        self._lifecycle = Lifecycle()  # its lock also guards the queues below
        self._cache: dict[int, Any] = {}  # unfinished results (multiprocessing.pool's name)
        self._pending: collections.deque[Chunk] = collections.deque()
        self._queued_tasks = 0  # tasks in _pending
        self._running: dict[str, tuple[list[Chunk], Any]] = {}  # Dask key -> batch, future
        self._finished: queue.SimpleQueue = queue.SimpleQueue()  # (batch, future) to collect
        self._collecting = 0  # batches finished in Dask, not delivered yet
        self._collector: threading.Thread | None = None
        self._idle = threading.Condition(self._lifecycle.lock)
        self._sizer = _Sizer()
        self._func_memo: tuple[Any, bytes] | None = None
        self._cluster_threads: int | None = None  # worker threads of the cluster, when known
        self._threads_checked = 0.0  # time.monotonic() of that count
        self._name = f"DaskPool-{next(_numbers)}"
        self._is_copy = False
        self._watch: int | None = None

    @property
    def _client(self) -> Any:
        # Resolved on first use: a copy may be unpickled where no client can be asked for yet.
        if self._client_cache is None:
            self._client_cache = _cluster.client()
        return self._client_cache

    def __del__(self) -> None:
        if not getattr(self, "_is_copy", True):  # a copy's original owns the pool's lifetime
            super().__del__()

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
        self._pending.extend(chunks)
        self._queued_tasks += sum(chunk.data.count for chunk in chunks)

    def _enqueued(self) -> None:
        self._dispatch()

    def _feeders_done(self) -> None:
        with self._lifecycle.lock:
            self._idle.notify_all()

    # -- dispatching to the cluster ----------------------------------------------------------
    def _refresh_threads(self) -> None:
        """Count the cluster's worker threads again (one request; at most every few seconds)."""
        self._threads_checked = time.monotonic()
        try:
            self._cluster_threads = cpu_count()
        except Exception:  # no workers yet, or no answer: no batch ahead until known
            self._cluster_threads = None

    def _in_flight(self) -> int:
        """How many batches may be submitted at once: ``processes``, or twice that when the
        cluster cannot run more than ``processes`` tasks anyway (each worker then finds its
        next batch waiting in the scheduler, instead of idling for a round trip through us)."""
        threads = self._cluster_threads
        if threads is not None and threads <= self._processes:
            return 2 * self._processes
        return self._processes

    def _next_batch(self) -> list[Chunk]:
        # Called with the lock held and _pending not empty.
        first = self._pending.popleft()
        batch, tasks = [first], first.data.count
        if not first.alone:
            limit = self._sizer.tasks(self._queued_tasks, self._processes)
            while (self._pending and not self._pending[0].alone
                   and tasks + self._pending[0].data.count <= limit):
                chunk = self._pending.popleft()
                batch.append(chunk)
                tasks += chunk.data.count
        self._queued_tasks -= tasks
        return batch

    def _dispatch(self) -> None:
        with self._lifecycle.lock:
            batches = {}
            limit = self._in_flight()
            while (not self._lifecycle.stopped and self._pending
                   and len(self._running) < limit):
                key = new_name("pool-batch")
                batches[key] = self._running[key] = (self._next_batch(), None)
            if batches:
                self._ensure_collector()
        if not batches:
            return
        keys = list(batches)
        try:
            futures = self._client.map(run_pool_batch, [[chunk.data for chunk in batch]
                                                        for batch, _ in batches.values()],
                                       spec=self._spec, key=keys, pure=False)
        except Exception as exc:  # e.g. the initializer cannot be pickled
            with self._lifecycle.lock:
                for key in keys:
                    self._running.pop(key, None)
            for batch, _ in batches.values():
                for chunk in batch:
                    chunk.fail(exc)
            self._dispatch()
            return
        with self._lifecycle.lock:
            dropped = []
            for key, future in zip(keys, futures):
                if key in self._running:
                    self._running[key] = (self._running[key][0], future)
                else:  # terminated meanwhile: its chunks already failed
                    dropped.append(future)
        if dropped:
            self._cancel(dropped)
        for future in futures:
            future.add_done_callback(self._batch_done)

    def _ensure_collector(self) -> None:
        # Called with the lock held.
        if self._collector is None or not self._collector.is_alive():
            self._collector = threading.Thread(target=self._collect, daemon=True,
                                               name=f"{self._name} collector")
            self._collector.start()

    def _batch_done(self, future: Any) -> None:
        # Dask's callback thread: free the slot, start the next batch, leave the rest to the
        # collector (a result fetch would hold up every other callback).
        with self._lifecycle.lock:
            entry = self._running.pop(future.key, None)
            if entry is None:  # terminated: its chunks already failed
                return
            self._collecting += 1
            self._finished.put((entry[0], future))
            self._ensure_collector()
        self._dispatch()

    # -- collecting results -------------------------------------------------------------------
    def _collect(self) -> None:
        """Deliver finished batches, fetching the results of all that are ready at once; end
        when nothing has run for a while (the next dispatch starts a new collector)."""
        while True:
            try:
                done = [self._finished.get(timeout=1.0)]
            except queue.Empty:
                with self._lifecycle.lock:  # every put is counted under it
                    if not self._collecting and not self._running:
                        self._collector = None
                        return
                continue
            while True:
                try:
                    done.append(self._finished.get_nowait())
                except queue.Empty:
                    break
            self._deliver_all(done)
            if time.monotonic() - self._threads_checked > THREADS_RECHECK:
                self._refresh_threads()  # a cluster may grow or shrink
            with self._lifecycle.lock:
                self._collecting -= len(done)
                self._idle.notify_all()

    def _deliver_all(self, done: list[tuple[list[Chunk], Any]]) -> None:
        reports: dict[str, Any] = {}
        finished = {future.key: future for _, future in done if future.status == "finished"}
        if finished:
            try:
                # Unbounded, in this thread only: a batch recomputed after its worker died is
                # waited for; a lost scheduler is noticed by the monitor, which breaks the pool.
                reports = self._client.gather(finished, errors="skip")
            except Exception:  # each on its own, below
                reports = {}
        for batch, future in done:
            report = reports.get(future.key)
            if report is None:
                self._settle(batch, future)
            else:
                self._deliver(batch, report)

    def _deliver(self, batch: list[Chunk], report: BatchReport) -> None:
        if report.initializer_error is not None:
            error = loads(report.initializer_error)
            self._break(error)
            failure = BrokenPoolError(f"the pool's initializer raised {error!r}")
            for chunk in batch:
                chunk.fail(failure)
            return
        self._sizer.record(sum(chunk.data.count for chunk in batch),
                           sum(seconds for _, _, seconds in report.chunks))
        for chunk, (outcome, payload, seconds) in zip(batch, report.chunks):
            try:
                value = loads(payload)
            except Exception as exc:  # e.g. a value's class is not importable here
                chunk.fail(exc)
            else:
                chunk.deliver(outcome, value, seconds)

    def _settle(self, batch: list[Chunk], future: Any) -> None:
        """A batch whose report did not come with the others: fetch it alone (waiting for
        Dask to run it again if its result was lost with a worker), or settle its failure."""
        from distributed import KilledWorker
        from distributed.utils import CancelledError

        try:
            report = future.result()
        except KilledWorker as error:
            if len(batch) > 1:
                self._run_alone(batch)
                return
            chunk = batch[0]
            self._fail(batch, WorkerLostError(
                f"tasks {chunk.start}..{chunk.start + chunk.data.count - 1} of {self._name} "
                f"were lost with their cluster worker each of the times Dask ran them "
                f"(distributed.scheduler.allowed-failures): {error}", name=str(future.key)))
        except CancelledError:
            if self._lifecycle.stopped:
                self._fail(batch, BrokenPoolError(f"{self._name} was terminated before the "
                                                  f"task finished"))
                return
            # Dask cancelled it under us: the client lost its scheduler.
            address = address_of(self._client)
            lost = SchedulerLostError(f"the Dask scheduler at {address} was lost; "
                                      f"{self._name} cannot finish its tasks", address)
            self._fail(batch, lost)
            self._break(lost, fail_with=lost)
        except Exception as error:  # the batch itself failed (e.g. its initializer could not
            self._fail(batch, error)  # be unpickled), or its report could not be
        else:
            self._deliver(batch, report)

    @staticmethod
    def _fail(batch: list[Chunk], error: BaseException) -> None:
        for chunk in batch:
            chunk.fail(error)

    def _run_alone(self, batch: list[Chunk]) -> None:
        # The batch shared its worker with the chunk that killed it, or holds it: run each
        # chunk on its own so that only that one fails.
        with self._lifecycle.lock:
            if self._lifecycle.stopped:
                return
            for chunk in reversed(batch):
                chunk.alone = True
                self._pending.appendleft(chunk)
                self._queued_tasks += chunk.data.count
        self._dispatch()

    # -- breaking and stopping ----------------------------------------------------------------
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
            self._queued_tasks = 0
            running, self._running = list(self._running.values()), {}
            self._idle.notify_all()
        for chunk in pending:
            chunk.fail(error)
        for batch, _ in running:
            for chunk in batch:
                chunk.fail(error)
        self._cancel([future for _, future in running if future is not None])
        if self._watch is not None:
            _monitor.unwatch(self._watch)

    def _cancel(self, futures: list) -> None:
        """Tell Dask these batches are not wanted (a running one still finishes there)."""
        if futures and self._client.status == "running":
            try:
                self._client.cancel(futures)
            except Exception:  # the cluster is going away: nothing left to stop there
                pass

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
            while (self._pending or self._running or self._collecting
                   or self._lifecycle.feeders):
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return
                self._idle.wait(left)
        if self._watch is not None:
            _monitor.unwatch(self._watch)


def _lost(pool_ref: weakref.ref, error: SchedulerLostError) -> None:
    pool = pool_ref()
    if pool is not None:
        pool._lost(error)


def _rebuild(processes: int, spec: PoolSpec, closed: Event) -> Pool:
    pool = Pool.__new__(Pool)
    pool._setup(processes, spec, closed)
    pool._is_copy = True
    return pool


def _module():
    import concurrent.distributed

    return concurrent.distributed


__dir__ = public_dir(globals())
