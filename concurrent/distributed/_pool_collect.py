"""The cluster pool's collector thread: results of finished batches to their chunks.

Dask's callback thread only hands a finished batch over (``Dispatcher.finished``): fetching a
result there would hold up every other callback.  The collector fetches the reports of every
batch that is ready in one request, unpickles each chunk's values and delivers them; a batch
whose report did not come is settled on its own (``Collector._settle``).  It ends when
nothing has run for a second; the next dispatch starts another.
"""

from __future__ import annotations

import queue
from typing import TYPE_CHECKING, Any

from concurrent._shared._errors import BrokenPoolError, WorkerLostError
from concurrent.distributed._calls import address_of
from concurrent.distributed._errors import SchedulerLostError
from concurrent.distributed._pool_task import BatchReport, loads

if TYPE_CHECKING:
    from concurrent.distributed._pool_dispatch import Chunk, Dispatcher

__all__ = ["Collector"]


class Collector:
    """The work of one collector thread of ``dispatcher`` (its ``run``)."""

    def __init__(self, dispatcher: Dispatcher) -> None:
        self._dispatcher = dispatcher

    def run(self) -> None:
        """Deliver finished batches, fetching the results of all that are ready at once; end
        when nothing has run for a while (the next dispatch starts a new collector)."""
        dispatcher = self._dispatcher
        while True:
            try:
                done = [dispatcher.finished.get(timeout=1.0)]
            except queue.Empty:
                if dispatcher.end_collector_if_idle():
                    return
                continue
            while True:
                try:
                    done.append(dispatcher.finished.get_nowait())
                except queue.Empty:
                    break
            self._deliver_all(done)
            dispatcher.refresh_threads_if_stale()
            dispatcher.delivered(len(done))

    def _deliver_all(self, done: list[tuple[list[Chunk], Any]]) -> None:
        reports: dict[str, Any] = {}
        finished = {future.key: future for _, future in done if future.status == "finished"}
        if finished:
            try:
                # Unbounded, in this thread only: a batch recomputed after its worker died is
                # waited for; a lost scheduler is noticed by the monitor, which breaks the pool.
                reports = self._dispatcher.client.gather(finished, errors="skip")
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
            self._dispatcher.break_pool(error)
            failure = BrokenPoolError(f"the pool's initializer raised {error!r}")
            for chunk in batch:
                chunk.fail(failure)
            return
        self._dispatcher.sizer.record(sum(chunk.data.count for chunk in batch),
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

        dispatcher = self._dispatcher
        try:
            report = future.result()
        except KilledWorker as error:
            if len(batch) > 1:
                dispatcher.requeue_alone(batch)
                return
            chunk = batch[0]
            _fail(batch, WorkerLostError(
                f"tasks {chunk.start}..{chunk.start + chunk.data.count - 1} of "
                f"{dispatcher.name} were lost with their cluster worker each of the times Dask "
                f"ran them (distributed.scheduler.allowed-failures): {error}",
                name=str(future.key)))
        except CancelledError:
            stopped_by = dispatcher.stop_error
            if stopped_by is not None:  # terminated, or broken (e.g. by a lost scheduler)
                _fail(batch, stopped_by)
                return
            # Dask cancelled it under us: the client lost its scheduler.
            address = address_of(dispatcher.client)
            lost = SchedulerLostError(f"the Dask scheduler at {address} was lost; "
                                      f"{dispatcher.name} cannot finish its tasks", address)
            _fail(batch, lost)
            dispatcher.break_pool(lost, fail_with=lost)
        except Exception as error:  # the batch itself failed (e.g. its initializer could not
            _fail(batch, error)  # be unpickled), or its report could not be
        else:
            self._deliver(batch, report)


def _fail(batch: list[Chunk], error: BaseException) -> None:
    for chunk in batch:
        chunk.fail(error)
