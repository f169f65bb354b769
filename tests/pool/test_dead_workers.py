"""A worker that dies mid-task fails that task with WorkerLostError; the pool goes on."""

import os
import random
import signal

import pytest

from concurrent._shared import WorkerLostError
from concurrent.processing.pool import Pool
from tests.conftest import QUICK_METHOD
from tests.pool import _targets
from tests.pool.conftest import METHODS, alive, get_context, receive

EXITCODES = {"sigkill": -signal.SIGKILL, "exit": 7, "segv": -signal.SIGSEGV}


def _warm(pool, workers=2):
    """Wait until every worker has answered once, so timings below exclude start-up."""
    assert len(set(pool.map(_targets.pid_of, range(20), chunksize=1))) >= 1
    assert len(pool._engine.pids()) == workers


@pytest.mark.parametrize("how", sorted(EXITCODES))
def test_dying_task_raises_worker_lost_within_two_seconds(ctx, how):
    with Pool(2, context=ctx) as pool:
        _warm(pool)
        with pytest.raises(WorkerLostError) as info:
            pool.apply_async(_targets.die, (how,)).get(timeout=2)
        error = info.value
        assert error.exitcode == EXITCODES[how]
        assert error.pid is not None and f"pid {error.pid}" in str(error)
        assert str(EXITCODES[how]) in str(error)
        # Replaced: the pool still has two workers and runs everything else.
        assert pool.map(_targets.square, range(10)) == [x * x for x in range(10)]
        assert error.pid not in pool._engine.pids()
        assert len(pool._engine.pids()) == 2
        pids = pool._engine.pids()
    assert not [pid for pid in pids + [error.pid] if alive(pid)]


def test_map_and_imap_raise_at_the_lost_position(ctx):
    with Pool(2, context=ctx) as pool:
        items = [(x, 3, "sigkill") for x in range(8)]
        with pytest.raises(WorkerLostError, match="task 3"):
            pool.starmap(_targets.die_at, items, chunksize=1)
        results = pool.imap(_targets.square, range(3))
        assert list(results) == [0, 1, 4]
        it = pool.imap(_wrapped_die_at, range(8), chunksize=1)
        assert [next(it) for _ in range(3)] == [0, 1, 4]
        with pytest.raises(WorkerLostError, match="task 3"):
            next(it)
        assert list(it) == [16, 25, 36, 49]


def _wrapped_die_at(x):
    return _targets.die_at(x, 3, "exit")


def test_fast_tasks_lose_the_rest_of_their_chunk():
    """Fast tasks are not reported one by one: the error names the range the death hit."""
    with Pool(2, context=get_context(QUICK_METHOD)) as pool:
        with pytest.raises(WorkerLostError, match=r"one of tasks 11-14"):
            pool.starmap(_targets.die_at, [(x, 12, "exit") for x in range(40)], chunksize=5)


def test_slow_tasks_in_a_chunk_lose_only_the_dying_one(ctx):
    """Slow tasks are reported one by one: only the killer fails, the rest of its chunk runs."""
    with Pool(2, context=ctx) as pool:
        outcomes = pool.imap(_targets.SlowDeath(victim=7), range(15), chunksize=5)
        for x in range(15):
            if x == 7:
                with pytest.raises(WorkerLostError, match="while running task 7$"):
                    outcomes.next(timeout=20)
            else:
                assert outcomes.next(timeout=20) == x


def test_worker_killed_from_outside(ctx):
    reader, writer = ctx.Pipe(duplex=False)
    release = ctx.Semaphore(0)
    try:
        with Pool(2, _targets.remember_channel, (writer, release), context=ctx) as pool:
            first = pool.apply_async(_targets.report_and_wait, (0,))
            second = pool.apply_async(_targets.report_and_wait, (1,))
            running = dict(receive(reader) for _ in range(2))
            os.kill(running[0], signal.SIGKILL)
            with pytest.raises(WorkerLostError, match="SIGKILL") as info:
                first.get(timeout=2)
            assert info.value.pid == running[0]
            release.release()
            assert second.get(timeout=10) == 1
            third = pool.apply_async(_targets.report_and_wait, (2,))
            assert receive(reader)[0] == 2
            release.release()
            assert third.get(timeout=10) == 2
    finally:
        reader.close()
        writer.close()


@pytest.mark.parametrize("method", METHODS)
def test_random_deaths_never_hang(method):
    """18+ deaths per start method (54+ in all), each at a random point of a random task."""
    rng = random.Random(f"pool-deaths-{method}")
    lost_pids = set()
    with Pool(2, context=get_context(method)) as pool:
        for chunksize in [1] * 6 + [3] * 2:
            victims = set(rng.sample(range(10), 3))
            plan = {x: (rng.randrange(200_000), rng.choice(sorted(EXITCODES)) if x in victims
                        else None) for x in range(10)}
            outcomes = pool.imap(_targets.PlannedTask(plan), range(10), chunksize=chunksize)
            round_pids = set()
            for x in range(10):
                chunk = range(x - x % chunksize, min(10, x - x % chunksize + chunksize))
                try:
                    value = outcomes.next(timeout=20)  # bounded: a hang fails here
                except WorkerLostError as exc:
                    # Chunks of fast tasks lose their unreported tasks with the dying one.
                    assert x in victims or any(v in victims for v in chunk), x
                    assert exc.exitcode in EXITCODES.values()
                    round_pids.add(exc.pid)
                else:
                    assert x not in victims and value == x
            assert len(round_pids) == 3 if chunksize == 1 else 1 <= len(round_pids) <= 3
            lost_pids |= round_pids
        assert pool.map(_targets.square, range(6)) == [0, 1, 4, 9, 16, 25]
        pids = pool._engine.pids()
    assert len(lost_pids) >= 18
    assert not [pid for pid in pids + sorted(lost_pids) if alive(pid)]


def test_death_while_closing_still_finishes(ctx):
    pool = Pool(2, context=ctx)
    pids = pool._engine.pids()
    result = pool.starmap_async(_targets.die_at, [(x, 5, "exit") for x in range(12)],
                                chunksize=1)
    pool.close()
    pool.join()
    with pytest.raises(WorkerLostError, match="task 5"):
        result.get(timeout=0)
    assert not [pid for pid in pids if alive(pid)]
