"""Large buffers in Pool arguments and results travel through shared memory, freed on every path."""

import gc
import glob
import threading

import pytest

from concurrent._shared import BrokenPoolError, WorkerLostError
from concurrent.processing._datapath import segments as shm
from concurrent.processing._datapath.pickler import UnpicklableError
from concurrent.processing._pool.messages import Task
from concurrent.processing.pool import Pool
from tests.pool import _targets
from tests.pool.test_interrupt import _wait_until

BIG = 300_000  # above the codec's 64 KiB threshold


def _tag(pool):
    return pool._engine.codec.pool.tag


def _segments(tag):
    return glob.glob(f"/dev/shm/cpb_{tag}_*")


def _states(pool):
    segments = pool._engine.codec.pool
    with segments._lock:
        return [segments._read(slot)[0] for slot in range(segments._slots)]


def test_large_arguments_and_results_are_data_checked(ctx):
    data = _targets.pattern(BIG, 1)
    with Pool(2, context=ctx) as pool:
        tag = _tag(pool)
        assert pool.apply(_targets.digest, (data,)) == _targets.digest(data)
        assert pool.apply(_targets.pattern, (BIG, 2)) == _targets.pattern(BIG, 2)
        views = [memoryview(data)[:BIG // 2], bytearray(data)]
        assert pool.map(_targets.digest, views, chunksize=1) == [_targets.digest(v) for v in views]
        got = pool.starmap(_targets.pattern, [(BIG, seed) for seed in range(4)], chunksize=2)
        assert got == [_targets.pattern(BIG, seed) for seed in range(4)]
        payload = pool._engine.encode(Task(_targets.digest, [(data,)], True))
        assert len(payload) < 1000  # the pipe carries the segment's name, not the data
        pool._engine.codec.discard(payload)
        assert _segments(tag)  # kept, pre-faulted, for the next payloads
    pool.join()
    assert _segments(tag) == []


def test_numpy_arrays_are_read_in_place(ctx):
    numpy = pytest.importorskip("numpy")
    array = numpy.arange(BIG // 8, dtype=numpy.float64).reshape(-1, 25)
    with Pool(1, context=ctx) as pool:
        tag = _tag(pool)
        got = pool.apply(_targets.doubled, (array,))
        assert got.shape == array.shape and numpy.array_equal(got, array * 2)
        assert not got.flags.owndata  # a view of the segment, not a copy
        assert pool.apply(_targets.digest, (array,)) == _targets.digest(array)
    pool.join()
    assert _segments(tag) == []
    assert numpy.array_equal(got, array * 2)  # unlinked, but a received array stays valid


def test_a_consumed_result_gives_its_segment_back(ctx):
    with Pool(1, context=ctx) as pool:
        tag = _tag(pool)
        for seed in range(6):
            assert pool.apply(_targets.pattern, (BIG, seed)) == _targets.pattern(BIG, seed)
        gc.collect()
        states = _states(pool)
        assert shm.MAPPED not in states and shm.IN_FLIGHT not in states
        assert 1 <= len(_segments(tag)) <= 2  # reused, not one per result
    pool.join()
    assert _segments(tag) == []


def test_a_worker_killed_holding_a_segment_gives_it_back(ctx):
    with Pool(1, context=ctx) as pool:
        tag = _tag(pool)
        with pytest.raises(WorkerLostError, match="SIGKILL"):
            pool.apply_async(_targets.die_holding, (_targets.pattern(BIG, 0), "sigkill")).get(20)
        for seed in range(3):  # the next senders reclaim the dead worker's segment
            data = _targets.pattern(BIG, seed)
            assert pool.apply(_targets.digest, (data,)) == _targets.digest(data)
        assert len(_segments(tag)) == 1
    pool.join()
    assert _segments(tag) == []


def test_the_rest_of_a_chunk_runs_again_from_fresh_segments(ctx):
    items = [_targets.pattern(BIG, seed) for seed in range(6)]
    with Pool(2, context=ctx) as pool:
        tag = _tag(pool)
        outcomes = pool.imap(_targets.SlowBufferDeath(victim=4), items, chunksize=3)
        for seed in range(6):
            if seed == 4:
                with pytest.raises(WorkerLostError, match="while running task 4$"):
                    outcomes.next(timeout=20)
            else:
                assert outcomes.next(timeout=20) == (seed, BIG)
    pool.join()
    assert _segments(tag) == []


def test_terminate_with_large_tasks_pending_leaves_no_segment(ctx):
    pool = Pool(1, context=ctx)
    tag = _tag(pool)
    busy = pool.apply_async(_targets.slow_identity, (0, 30))  # workload, ended by terminate
    pending = [pool.apply_async(_targets.digest, (_targets.pattern(BIG, seed),))
               for seed in range(3)]
    assert len(_segments(tag)) == 3  # waiting in the queue
    pool.terminate()
    pool.join()
    for result in [busy, *pending]:
        with pytest.raises(BrokenPoolError):
            result.get(timeout=10)
    assert _segments(tag) == []


def test_a_dropped_pool_unlinks_its_segments(ctx):
    pool = Pool(1, context=ctx)
    tag = _tag(pool)
    assert pool.apply(_targets.pattern, (BIG, 5)) == _targets.pattern(BIG, 5)
    busy = pool.apply_async(_targets.slow_identity, (0, 30))  # workload, ended by the drop
    pending = pool.apply_async(_targets.digest, (_targets.pattern(BIG, 6),))
    assert _segments(tag)
    with pytest.warns(ResourceWarning, match="unclosed running multiprocessing pool"):
        del pool
        gc.collect()
    _wait_until(lambda: _segments(tag) == [], 10, "the dropped pool's segments to go")
    for result in (busy, pending):
        with pytest.raises(BrokenPoolError):
            result.get(timeout=10)


def test_unpicklable_argument_beside_a_large_buffer_fails_at_submission(shared_pool):
    data = _targets.pattern(BIG, 7)
    with pytest.raises(UnpicklableError, match=r"args\[1\]"):
        shared_pool.apply_async(_targets.digest, (data, threading.Lock()))
    states = _states(shared_pool)
    assert shm.WRITING not in states and shm.IN_FLIGHT not in states
    assert shared_pool.apply(_targets.digest, (data,)) == _targets.digest(data)
