"""The cluster Pool: batches, N at once, failures that stay with their chunk."""

import functools

import pytest

from concurrent.distributed import _pool_dispatch
from tests.distributed import _targets

WAIT = 60.0


def _overlaps(spans) -> int:
    """The most spans (start, end) that were under way at one moment."""
    events = sorted([(start, 1) for start, _ in spans] + [(end, -1) for _, end in spans])
    running = most = 0
    for _, step in events:
        running += step
        most = max(most, running)
    return most


def test_pool_of_one_runs_one_task_at_a_time(cluster):
    assert cluster.cpu_count() >= 2  # the embedded cluster: one worker per CPU
    with cluster.Pool(1) as pool:
        spans = pool.map(_targets.timed_nap, range(4), chunksize=1)
    assert _overlaps(spans) == 1


def test_pool_of_two_runs_two_at_once(cluster):
    with cluster.Pool(2) as pool:
        spans = pool.map(_targets.timed_nap, range(6), chunksize=1)
    assert _overlaps(spans) == 2


def test_many_small_chunks_travel_in_few_batches(cluster, monkeypatch):
    sizes = []
    with cluster.Pool(2) as pool:
        take = pool._dispatcher._next_batch

        def counting():
            batch = take()
            sizes.append(len(batch))
            return batch

        monkeypatch.setattr(pool._dispatcher, "_next_batch", counting)
        assert pool.map(abs, range(-2000, 0), chunksize=1) == list(range(2000, 0, -1))
    assert sum(sizes) == 2000 and len(sizes) < 100, sizes


def test_sizer_starts_at_one_and_keeps_a_share_for_every_slot():
    sizer = _pool_dispatch.BatchSizer()
    assert sizer.tasks(1000, 2) == 1
    sizer.record(10, 0.001)  # 0.1 ms per task: 500 tasks would last BATCH_SECONDS
    assert sizer.tasks(1000, 2) == 250  # but no more than 1 / (2 * slots) of the queue
    assert sizer.tasks(10**6, 1) == 500
    sizer.record(2, 1.0)  # slow tasks: one at a time
    assert sizer.tasks(1000, 2) == 1
    sizer.record(0, 1.0)  # nothing learned from an empty batch
    assert sizer.per_task == 0.5


def test_unpicklable_argument_fails_in_the_caller(cluster):
    with cluster.Pool(1) as pool:
        with pytest.raises(TypeError, match="cannot be pickled"):
            pool.map(abs, [_targets.Unpicklable()])
        assert pool.apply(abs, (-3,)) == 3


def test_unpicklable_result_fails_its_own_task_only(cluster):
    with cluster.Pool(1) as pool:
        results = list(pool.imap(_targets.square, range(3)))
        failing = pool.apply_async(_targets.return_unpicklable)
        with pytest.raises(TypeError, match="cannot be pickled"):
            failing.get(WAIT)
        assert results == [0, 1, 4] and pool.apply(_targets.square, (4,)) == 16


def test_failing_initializer_breaks_the_pool(cluster):
    pool = cluster.Pool(1, initializer=_targets.fail_to_initialize)
    try:
        with pytest.raises(cluster.BrokenPoolError, match="initializer"):
            pool.apply(abs, (1,))
        with pytest.raises(cluster.BrokenPoolError):
            pool.apply_async(abs, (1,))
    finally:
        pool.terminate()
        pool.join(WAIT)


def test_pool_refuses_a_foreign_context(cluster):
    import concurrent.threading

    with pytest.raises(TypeError, match="concurrent.distributed"):
        cluster.Pool(1, context=concurrent.threading.get_context())
    with cluster.Pool(1, context=cluster.get_context()) as pool:
        assert "pool_size=1" in repr(pool)


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_a_batch_that_loses_its_worker_runs_again_chunk_by_chunk(cluster):
    with cluster.Pool(2) as pool:
        pool.map(abs, range(200), chunksize=1)  # the pool learns that tasks are tiny
        busy = [pool.apply_async(_targets.timed_nap, (n, 0.5)) for n in range(4)]
        # Queued behind them, the 40 chunks go out in batches of several chunks.
        results = pool.imap(functools.partial(_targets.kill_on, 3), range(40), chunksize=1)
        outcomes = []
        for _ in range(40):
            try:
                outcomes.append(results.next(150))
            except cluster.WorkerLostError:
                outcomes.append("lost")
        assert all(result.ready() for result in busy)
    assert outcomes == [x if x != 3 else "lost" for x in range(40)]


class _Cancelled:
    """A Dask future as the collector sees it after the client cancelled it."""

    key = "batch-cancelled"
    status = "cancelled"

    def result(self):
        from distributed.utils import CancelledError
        raise CancelledError(self.key)


class _Outcomes:
    """A pool result that keeps what its chunks were given."""

    def __init__(self):
        self.delivered = []

    def deliver(self, start, count, outcome, payload):
        self.delivered.append((start, count, outcome, payload))


@pytest.mark.parametrize("stop", ["scheduler lost", "terminate"])
def test_a_batch_cancelled_after_the_pool_stopped_fails_with_why_it_stopped(stop):
    from concurrent.distributed import SchedulerLostError
    from concurrent.distributed._pool_collect import Collector
    from concurrent.distributed._pool_task import ChunkData, PoolSpec

    dispatcher = _pool_dispatch.Dispatcher(1, PoolSpec("p", None, (), None), "DaskPool-t")
    if stop == "terminate":
        dispatcher.terminate()
        expected = "was terminated before the task finished"
    else:
        lost = SchedulerLostError("the Dask scheduler at tcp://127.0.0.1:1 was lost")
        dispatcher.break_pool(lost, fail_with=lost)
        expected = "was lost"
    outcomes = _Outcomes()
    chunk = _pool_dispatch.Chunk(outcomes, 0, ChunkData(b"", b"", False, 1), None)
    # The monitor broke the pool first; Dask cancels the batch as the client closes after it.
    Collector(dispatcher)._settle([chunk], _Cancelled())
    [(start, count, _, error)] = outcomes.delivered
    assert (start, count) == (0, 1)
    assert type(error) is (SchedulerLostError if stop == "scheduler lost" else
                           _pool_dispatch.BrokenPoolError)
    assert expected in str(error)
