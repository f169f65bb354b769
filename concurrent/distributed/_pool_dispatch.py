"""The cluster pool's queue and its Dask tasks, behind ``concurrent.distributed.pool.Pool``.

::

    caller threads           Dispatcher                         collector thread (_pool_collect)
    --------------           ----------                         --------------------------------
    Pool._prepare (pickle)
    Pool._enqueue  ------->  pending chunks
    Pool._enqueued ------->  dispatch: batches (BatchSizer),
                               at most _in_flight() running:
                               client.map(run_pool_batch) --->  (cluster workers run them)
    Dask callback thread:    _batch_done: free the slot,
                               dispatch the next batch,
                               (batch, future) -> finished -->  Collector.run: gather all ready
                                                                reports in one request, deliver
                                                                each chunk's outcome to its result;
                             requeue_alone / break_pool <-----  a lost worker / lost scheduler

``lifecycle.lock`` guards the queue, the running batches and the count of batches being
collected.  Nothing here refers to the ``Pool``: the collector thread and Dask's callbacks
keep the dispatcher alive until the last batch is delivered, not the pool.
"""

from __future__ import annotations

import collections
import functools
import math
import queue
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any

from concurrent._shared._errors import BrokenPoolError
from concurrent._shared._machinery.pool.lifecycle import Lifecycle
from concurrent._shared._machinery.pool.results import Outcome
from concurrent.distributed import _cluster, _monitor
from concurrent.distributed._errors import SchedulerLostError
from concurrent.distributed._pool_collect import Collector
from concurrent.distributed._pool_task import ChunkData, PoolSpec, run_pool_batch
from concurrent.distributed._store import new_name
from concurrent.distributed._workers import cpu_count

__all__ = ["BatchSizer", "Chunk", "Dispatcher"]

BATCH_SECONDS = 0.05  # how long one Dask task of a pool should keep its worker busy
MAX_BATCH_TASKS = 4096
THREADS_RECHECK = 5.0  # seconds between counts of the cluster's worker threads


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


class BatchSizer:
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


class Dispatcher:
    """The queued chunks, the batches running in Dask, and the hand-over of finished ones to
    a collector thread (``Collector``), which delivers them.

    The pool queues chunks under ``lifecycle.lock`` (``enqueue``), then calls ``dispatch``.
    """

    def __init__(self, processes: int, spec: PoolSpec, name: str) -> None:
        self.processes, self.spec, self.name = processes, spec, name
        self.lifecycle = Lifecycle()  # its lock also guards the queues below
        self._client_cache: Any = None
        self._pending: collections.deque[Chunk] = collections.deque()
        self._queued_tasks = 0  # tasks in _pending
        self._running: dict[str, tuple[list[Chunk], Any]] = {}  # Dask key -> batch, future
        self.finished: queue.SimpleQueue = queue.SimpleQueue()  # (batch, future) to collect
        self._collecting = 0  # batches finished in Dask, not delivered yet
        self._collector: threading.Thread | None = None
        self._idle = threading.Condition(self.lifecycle.lock)
        self.sizer = BatchSizer()
        self._cluster_threads: int | None = None  # worker threads of the cluster, when known
        self._threads_checked = 0.0  # time.monotonic() of that count
        self._watch: int | None = None
        # Why the pool stopped, for a batch whose Dask future is cancelled afterwards: set with
        # the state, under lifecycle.lock, so the collector never reports a lost scheduler as
        # a plain terminate().
        self._stop_error: BaseException | None = None

    @property
    def client(self) -> Any:
        # Resolved on first use: a copy may be unpickled where no client can be asked for yet.
        if self._client_cache is None:
            self._client_cache = _cluster.client()
        return self._client_cache

    def enqueue(self, chunks: list[Chunk]) -> None:
        """Queue chunks behind the others (call with ``lifecycle.lock`` held, then
        ``dispatch``)."""
        self._pending.extend(chunks)
        self._queued_tasks += sum(chunk.data.count for chunk in chunks)

    def wake_joiners(self) -> None:
        """Make ``join`` look again (e.g. the last imap feeder finished)."""
        with self.lifecycle.lock:
            self._idle.notify_all()

    # -- the cluster's size ------------------------------------------------------------------
    def refresh_threads(self) -> None:
        """Count the cluster's worker threads again (one request; at most every few seconds)."""
        self._threads_checked = time.monotonic()
        try:
            self._cluster_threads = cpu_count()
        except Exception:  # no workers yet, or no answer: no batch ahead until known
            self._cluster_threads = None

    def refresh_threads_if_stale(self) -> None:
        """Count again when the last count is ``THREADS_RECHECK`` old: a cluster may grow or
        shrink."""
        if time.monotonic() - self._threads_checked > THREADS_RECHECK:
            self.refresh_threads()

    def _in_flight(self) -> int:
        """How many batches may be submitted at once: ``processes``, or twice that when the
        cluster cannot run more than ``processes`` tasks anyway (each worker then finds its
        next batch waiting in the scheduler, instead of idling for a round trip through us)."""
        threads = self._cluster_threads
        if threads is not None and threads <= self.processes:
            return 2 * self.processes
        return self.processes

    # -- dispatching to the cluster ----------------------------------------------------------
    def _next_batch(self) -> list[Chunk]:
        # Called with the lock held and _pending not empty.
        first = self._pending.popleft()
        batch, tasks = [first], first.data.count
        if not first.alone:
            limit = self.sizer.tasks(self._queued_tasks, self.processes)
            while (self._pending and not self._pending[0].alone
                   and tasks + self._pending[0].data.count <= limit):
                chunk = self._pending.popleft()
                batch.append(chunk)
                tasks += chunk.data.count
        self._queued_tasks -= tasks
        return batch

    def dispatch(self) -> None:
        """Submit queued chunks as batches while fewer than ``_in_flight()`` run."""
        with self.lifecycle.lock:
            batches = {}
            limit = self._in_flight()
            while (not self.lifecycle.stopped and self._pending
                   and len(self._running) < limit):
                key = new_name("pool-batch")
                batches[key] = self._running[key] = (self._next_batch(), None)
            if batches:
                self._ensure_collector()
        if not batches:
            return
        keys = list(batches)
        try:
            futures = self.client.map(run_pool_batch, [[chunk.data for chunk in batch]
                                                       for batch, _ in batches.values()],
                                      spec=self.spec, key=keys, pure=False)
        except Exception as exc:  # e.g. the initializer cannot be pickled
            with self.lifecycle.lock:
                for key in keys:
                    self._running.pop(key, None)
            for batch, _ in batches.values():
                for chunk in batch:
                    chunk.fail(exc)
            self.dispatch()
            return
        with self.lifecycle.lock:
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

    def requeue_alone(self, batch: list[Chunk]) -> None:
        """Run each chunk of ``batch`` in a Dask task of its own, first in the queue: the batch
        shared its worker with the chunk that killed it, or holds it, and only that one should
        fail."""
        with self.lifecycle.lock:
            if self.lifecycle.stopped:
                return
            for chunk in reversed(batch):
                chunk.alone = True
                self._pending.appendleft(chunk)
                self._queued_tasks += chunk.data.count
        self.dispatch()

    # -- handing finished batches to the collector ---------------------------------------------
    def _ensure_collector(self) -> None:
        # Called with the lock held.  The thread holds the dispatcher only while it runs.
        if self._collector is None or not self._collector.is_alive():
            self._collector = threading.Thread(target=Collector(self).run, daemon=True,
                                               name=f"{self.name} collector")
            self._collector.start()

    def _batch_done(self, future: Any) -> None:
        # Dask's callback thread: free the slot, start the next batch, leave the rest to the
        # collector (a result fetch would hold up every other callback).
        with self.lifecycle.lock:
            entry = self._running.pop(future.key, None)
            if entry is None:  # terminated: its chunks already failed
                return
            self._collecting += 1
            self.finished.put((entry[0], future))
            self._ensure_collector()
        self.dispatch()

    def end_collector_if_idle(self) -> bool:
        """True (and the collector is forgotten) when nothing is left to collect or running:
        the next dispatch starts a new collector."""
        with self.lifecycle.lock:  # every put is counted under it
            if not self._collecting and not self._running:
                self._collector = None
                return True
        return False

    def delivered(self, batches: int) -> None:
        """The collector delivered that many batches of ``finished``."""
        with self.lifecycle.lock:
            self._collecting -= batches
            self._idle.notify_all()

    # -- breaking and stopping ----------------------------------------------------------------
    def watch_scheduler(self) -> None:
        """Break the pool if the scheduler is lost while nobody asks it anything."""
        # The monitor holds the dispatcher weakly, and stops watching once it is collected.
        self._watch = _monitor.watch(self.client, functools.partial(_lost, weakref.ref(self)))
        weakref.finalize(self, _monitor.unwatch, self._watch)

    def unwatch(self) -> None:
        if self._watch is not None:
            _monitor.unwatch(self._watch)

    def break_pool(self, cause: BaseException, fail_with: BaseException | None = None) -> None:
        """Terminate with a ``BrokenPoolError`` caused by ``cause``; fail every unfinished
        chunk with it (or with ``fail_with``)."""
        error = BrokenPoolError(f"{self.name} is broken: {cause!r}")
        error.__cause__ = cause
        fail_with = error if fail_with is None else fail_with
        with self.lifecycle.lock:
            self.lifecycle.break_with(error)
            if self._stop_error is None:
                self._stop_error = fail_with
        self.stop_all(fail_with)

    def terminate(self) -> bool:
        """Stop now (``Pool.terminate``): every unfinished chunk fails with
        ``BrokenPoolError``.  False if the pool had stopped already."""
        with self.lifecycle.lock:
            if not self.lifecycle.terminate():
                return False
            self._stop_error = BrokenPoolError(f"{self.name} was terminated before the task "
                                               f"finished")
        self.stop_all(self._stop_error)
        return True

    @property
    def stop_error(self) -> BaseException | None:
        """The error unfinished chunks fail with once the pool stopped (None while it runs)."""
        return self._stop_error

    def stop_all(self, error: BaseException) -> None:
        """Fail every queued and running chunk with ``error`` (the lifecycle is stopped)."""
        with self.lifecycle.lock:
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
        self.unwatch()

    def _cancel(self, futures: list) -> None:
        """Tell Dask these batches are not wanted (a running one still finishes there)."""
        if futures and self.client.status == "running":
            try:
                self.client.cancel(futures)
            except Exception:  # the cluster is going away: nothing left to stop there
                pass

    def join(self, timeout: float | None) -> None:
        """Wait until every queued chunk has been delivered and no imap feeder is left (at
        most ``timeout`` seconds); then stop watching the scheduler."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self.lifecycle.lock:
            while (self._pending or self._running or self._collecting
                   or self.lifecycle.feeders):
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return
                self._idle.wait(left)
        self.unwatch()


def _lost(dispatcher_ref: weakref.ref, error: SchedulerLostError) -> None:
    dispatcher = dispatcher_ref()
    if dispatcher is not None:
        dispatcher.break_pool(error, fail_with=error)
