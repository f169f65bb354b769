"""Pool: every method, callbacks, timeouts, errors with the worker's traceback, bad input."""

import io
import traceback

import pytest

import concurrent._shared as shared
from tests.conformance import _targets
from tests.conformance._helpers import finish_within

WAIT = _targets.WAIT


@pytest.fixture(scope="module")
def module_pool(backend):
    """One two-worker pool per backend for this module, gone before later test packages run."""
    if backend.get_start_method() == "fork":
        yield None  # see pool()
        return
    with backend.Pool(2) as shared_pool:
        yield shared_pool
        shared_pool.close()
        finish_within(shared_pool.join)


@pytest.fixture
def pool(backend, module_pool):
    """The module's pool; under fork, one per test: a live pool runs a thread, and a fork from
    a process that runs threads is what Python 3.12+ warns about (3.15 raises it under -W
    error).  The suite runs one backend at a time, so other backends' pools are gone by then."""
    if module_pool is not None:
        yield module_pool
        return
    with backend.Pool(2) as own_pool:
        yield own_pool
        own_pool.close()
        finish_within(own_pool.join)


def test_map_starmap_apply(pool):
    assert pool.map(_targets.square, range(10)) == [x * x for x in range(10)]
    assert pool.map(_targets.square, range(10), chunksize=3) == [x * x for x in range(10)]
    assert pool.map(_targets.square, []) == []
    assert pool.starmap(_targets.add, [(1, 2), (3, 4)]) == [3, 7]
    assert pool.apply(_targets.add, (1,), {"y": 5}) == 6


def test_async_forms_and_callbacks(pool):
    got, errors = [], []
    assert pool.apply_async(_targets.square, (4,), callback=got.append).get(WAIT) == 16
    assert pool.map_async(_targets.square, [1, 2], callback=got.append).get(WAIT) == [1, 4]
    assert pool.starmap_async(_targets.add, [(1, 1)], callback=got.append).get(WAIT) == [2]
    assert got == [16, [1, 4], [2]]
    failing = pool.map_async(_targets.fail_on_three, range(5), error_callback=errors.append)
    failing.wait(WAIT)
    assert failing.ready() and not failing.successful()
    assert len(errors) == 1 and isinstance(errors[0], ValueError)


def test_imap_in_order_and_unordered(pool):
    assert list(pool.imap(_targets.square, range(6))) == [0, 1, 4, 9, 16, 25]
    assert list(pool.imap(_targets.square, range(6), chunksize=4)) == [0, 1, 4, 9, 16, 25]
    assert sorted(pool.imap_unordered(_targets.square, range(6), 2)) == [0, 1, 4, 9, 16, 25]
    with pytest.raises(ValueError):
        pool.imap(_targets.square, range(3), chunksize=0)


@pytest.mark.parametrize("ordered", [True, False])
def test_a_loop_and_next_take_turns_on_one_imap(pool, ordered):
    # A loop reads the chunks in C (itertools.chain); next() must go on where a loop stopped,
    # and a loop where next() stopped, without losing or repeating a result.
    method = pool.imap if ordered else pool.imap_unordered
    items = list(range(20))
    results = method(_targets.fail_on_three, items, chunksize=4)
    taken, errors = [], []

    def loop(count):  # take up to count results in a for loop
        for value in results:
            taken.append(value)
            if len(taken) % 5 == count % 5:
                return

    def one(*timeout):
        taken.append(results.next(*timeout) if timeout else next(results))

    for step in (lambda: loop(2), one, lambda: one(WAIT), lambda: loop(8), one, one,
                 lambda: loop(100)):
        try:
            step()
        except ValueError as exc:  # the task of 3 failed: its error, then the rest go on
            errors.append(str(exc))
    while len(taken) + len(errors) < len(items):
        try:
            loop(100)
        except ValueError as exc:
            errors.append(str(exc))
    assert errors == ["fail_on_three got 3"]
    expected = [x for x in items if x != 3]
    assert (taken if ordered else sorted(taken)) == expected
    with pytest.raises(StopIteration):
        next(results)
    assert list(results) == []


def test_task_error_is_reraised_with_the_worker_traceback(pool):
    with pytest.raises(ValueError, match="fail_on_three got 3") as caught:
        pool.map(_targets.fail_on_three, range(5))
    cause = caught.value.__cause__
    assert cause is not None and "fail_on_three" in str(cause)
    assert "fail_on_three" in "".join(traceback.format_exception(caught.value))
    iterator = pool.imap(_targets.fail_on_three, [3, 4])
    with pytest.raises(ValueError):
        next(iterator)
    assert next(iterator) == 4


def test_result_timeouts(pool):
    result = pool.apply_async(_targets.slow_identity, ("late",))
    with pytest.raises(ValueError):
        result.successful()
    with pytest.raises(ValueError):
        result.get(-1)
    with pytest.raises(TimeoutError) as caught:
        result.get(0.01)
    assert isinstance(caught.value, shared.TimeoutError)
    assert result.get(WAIT) == "late" and result.successful()
    iterator = pool.imap(_targets.slow_identity, ["late"])
    with pytest.raises(TimeoutError):
        iterator.next(0.01)
    assert iterator.next(WAIT) == "late"


def test_pool_rejects_bad_arguments(backend, pool):
    with pytest.raises(ValueError):
        backend.Pool(0)
    with pytest.raises(ValueError):
        pool.join()


def test_closed_and_terminated_pools_refuse_work(backend):
    with backend.Pool(1) as closing:
        assert closing.apply(_targets.square, (3,)) == 9
        closing.close()
        with pytest.raises(ValueError):
            closing.apply_async(_targets.square, (3,))
        finish_within(closing.join)
    with pytest.raises(ValueError):
        closing.map(_targets.square, [1])


def test_terminated_pool_joins_and_refuses_work(backend):
    pool = backend.Pool(1)
    assert pool.apply(_targets.square, (2,)) == 4
    pool.terminate()
    finish_within(pool.join)
    with pytest.raises(ValueError):
        pool.apply(_targets.square, (2,))


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_pool_and_results_are_the_shared_abcs(pool):
    assert isinstance(pool, shared.Pool)
    assert isinstance(pool.apply_async(_targets.square, (2,)), shared.AsyncResult)
    assert isinstance(pool.map_async(_targets.square, [2]), shared.AsyncResult)


@pytest.mark.parametrize("call", ["map", "starmap", "imap", "imap_unordered"])
def test_progress_callable_gets_done_and_total(pool, call):
    seen = []
    star = call == "starmap"
    items = [(x, 1) for x in range(25)] if star else list(range(25))
    func = _targets.add if star else _targets.square
    results = list(getattr(pool, call)(func, items, progress=lambda *counts: seen.append(counts)))
    assert len(results) == 25
    done = [d for d, _ in seen]
    assert done == sorted(done) and done[-1] == 25
    assert {total for _, total in seen} == {25}


def test_progress_on_the_async_maps(pool):
    seen = []
    result = pool.map_async(_targets.square, range(6), progress=lambda *c: seen.append(c))
    assert result.get(WAIT) == [x * x for x in range(6)] and seen[-1] == (6, 6)
    result = pool.starmap_async(_targets.add, [(1, 2)], progress=lambda *c: seen.append(c))
    assert result.get(WAIT) == [3] and seen[-1] == (1, 1)


def test_progress_true_draws_only_on_a_terminal(pool, capfd, monkeypatch):
    assert pool.map(_targets.square, range(5), progress=True) == [0, 1, 4, 9, 16]
    assert capfd.readouterr().err == ""
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert list(pool.imap(_targets.square, range(12), progress=True)) == [
        x * x for x in range(12)]
    assert "12/12" in terminal.getvalue() and terminal.getvalue().endswith("\n")


def test_bad_progress_is_a_type_error(pool):
    with pytest.raises(TypeError, match="progress"):
        pool.map(_targets.square, [1], progress="yes")
    with pytest.raises(TypeError, match="progress"):
        pool.imap(_targets.square, [1], progress=3)


def test_callbacks_have_run_when_get_returns(pool):
    got, errors = [], []
    result = pool.apply_async(_targets.fail_on_three, (3,), callback=got.append,
                              error_callback=errors.append)
    with pytest.raises(ValueError, match="fail_on_three got 3"):
        result.get(WAIT)
    assert got == [] and len(errors) == 1 and isinstance(errors[0], ValueError)
    assert pool.apply_async(_targets.square, (5,), callback=got.append).get(WAIT) == 25
    assert got == [25]
    pool.starmap_async(_targets.add, [(1, 0), (3, 0)], error_callback=errors.append).get(WAIT)
    assert len(errors) == 1
    with pytest.raises(TypeError, match="callback"):
        pool.apply_async(_targets.square, (1,), callback=5)


def test_remote_traceback_is_the_cause_everywhere(pool):
    for run in (lambda: pool.apply(_targets.fail_on_three, (3,)),
                lambda: pool.starmap(_targets.fail_on_three, [(1,), (3,)], chunksize=2),
                lambda: next(iter(pool.imap_unordered(_targets.fail_on_three, [3])))):
        with pytest.raises(ValueError, match="fail_on_three got 3") as caught:
            run()
        cause = caught.value.__cause__
        assert isinstance(cause, shared.RemoteTraceback)
        assert "fail_on_three" in str(cause) and "ValueError" in str(cause)


def test_wait_with_a_timeout_and_a_ready_result(pool):
    result = pool.apply_async(_targets.slow_identity, ("late",))
    result.wait(0.01)
    assert not result.ready()
    with pytest.raises(ValueError):
        result.wait(-1)
    result.wait(WAIT)
    assert result.ready() and result.successful() and result.get(0) == "late"
    with pytest.raises(ValueError):
        pool.imap(_targets.square, [1]).next(-1)


@pytest.mark.parametrize("chunksize", [None, 1, 2, 7, 100])
def test_every_chunksize_gives_the_same_results(pool, chunksize):
    expected = [x * x for x in range(23)]
    assert pool.map(_targets.square, range(23), chunksize) == expected
    assert pool.starmap(_targets.add, [(x, x) for x in range(23)], chunksize) == [
        2 * x for x in range(23)]
    assert list(pool.imap(_targets.square, iter(range(23)), chunksize)) == expected
    assert sorted(pool.imap_unordered(_targets.square, range(23), chunksize)) == expected


def test_automatic_chunks_for_a_long_imap(pool):
    assert sum(pool.imap(_targets.square, range(5000))) == sum(x * x for x in range(5000))


@pytest.mark.parametrize("chunksize, error", [(0, ValueError), (-2, ValueError),
                                              ("2", TypeError), (1.5, TypeError)])
def test_bad_chunksize(pool, chunksize, error):
    for call in (pool.map, pool.starmap, pool.map_async, pool.imap, pool.imap_unordered):
        with pytest.raises(error, match="chunksize"):
            call(_targets.square, [1], chunksize)


def test_system_exit_in_a_task_does_not_hang_the_pool(pool):
    with pytest.raises(SystemExit):
        pool.apply_async(_targets.raise_system_exit).get(WAIT)
    assert pool.map(_targets.square, range(4)) == [0, 1, 4, 9]


@pytest.mark.parametrize("kwargs, error", [
    ({"processes": 0}, ValueError),
    ({"processes": "two"}, TypeError),
    ({"initializer": 3}, TypeError),
    ({"maxtasksperchild": 0}, ValueError),
])
def test_bad_pool_arguments(backend, kwargs, error):
    with pytest.raises(error):
        backend.Pool(**kwargs)


def test_initializer_and_maxtasksperchild(backend):
    with backend.Pool(1, initializer=_targets.remember_init, initargs=("conformance",),
                      maxtasksperchild=1) as recycled:
        assert recycled.map(_targets.square, range(4), chunksize=1) == [0, 1, 4, 9]
        assert "conformance" in recycled.apply(_targets.initialized)
        recycled.close()
        finish_within(recycled.join)


def test_terminate_fails_what_has_not_run(backend):
    pool = backend.Pool(1)
    running = pool.apply_async(_targets.slow_identity, ("running",))
    waiting = pool.apply_async(_targets.square, (3,))
    pool.terminate()
    with pytest.raises(shared.BrokenPoolError):
        waiting.get(WAIT)
    running.wait(WAIT)
    assert running.ready()
    finish_within(pool.join)


def test_a_terminated_pool_refuses_with(backend):
    pool = backend.Pool(1)
    pool.terminate()
    finish_within(pool.join)
    with pytest.raises(ValueError):
        with pool:
            pass


@pytest.mark.parametrize("chunksize, fail_at, before", [(1, 0, 0), (1, 3, 3), (2, 7, 6),
                                                        (4, 7, 4)])
def test_an_input_that_raises_raises_from_next_where_its_chunk_starts(pool, chunksize, fail_at,
                                                                      before):
    # As multiprocessing: the chunk the input broke is dropped, the error takes its place, and
    # the results end there.
    results = pool.imap(_targets.square, _targets.breaking_input(20, fail_at), chunksize)
    assert [results.next(_targets.WAIT) for _ in range(before)] == [
        x * x for x in range(before)]
    with pytest.raises(_targets.InputBrokeError, match=f"broke at {fail_at}"):
        results.next(_targets.WAIT)
    with pytest.raises(StopIteration):
        results.next(_targets.WAIT)


@pytest.mark.parametrize("chunksize, fail_at, before", [(1, 0, 0), (1, 3, 3), (2, 7, 6)])
def test_an_input_that_raises_ends_imap_unordered_with_its_error(pool, chunksize, fail_at,
                                                                 before):
    results = pool.imap_unordered(_targets.square, _targets.breaking_input(20, fail_at),
                                  chunksize)
    got = []
    with pytest.raises(_targets.InputBrokeError, match=f"broke at {fail_at}"):
        for _ in range(before + 1):  # the error comes among the results, in no set order
            got.append(results.next(_targets.WAIT))
    assert set(got) <= {x * x for x in range(before)}


def test_pool_cache_and_workers_as_multiprocessing_names_them(backend):
    with backend.Pool(2) as pool:
        if backend.module.__name__ != "concurrent.distributed":  # no workers of its own
            assert len(pool._pool) == 2
        result = pool.apply_async(_targets.slow_identity, (1, 0.2))
        assert result in pool._cache.values()
        assert result.get(_targets.WAIT) == 1
        assert pool._cache == {}  # nothing outstanding when idle


def test_a_dropped_running_pool_warns(backend):
    import gc

    pool = backend.Pool(1)
    with pytest.warns(ResourceWarning, match="unclosed running multiprocessing pool"):
        del pool
        gc.collect()
