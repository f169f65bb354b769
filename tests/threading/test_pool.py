"""The thread Pool's own behaviour: broken initializers, worker recycling, terminate, callbacks."""

import threading

import pytest

import concurrent.threading as backend

WAIT = 10.0


def _join(pool):
    pool.join(WAIT)
    assert not [w for w in pool._pool if w.is_alive()], "pool workers still running"


def test_initializer_runs_in_every_worker():
    seen, lock = set(), threading.Lock()

    def remember(tag):
        with lock:
            seen.add((tag, threading.current_thread().name))

    pool = backend.Pool(2, initializer=remember, initargs=("init",))
    assert pool.map(abs, range(8)) == list(range(8))
    pool.close()
    _join(pool)
    assert len(seen) == 2 and all(tag == "init" for tag, _ in seen)


def test_failing_initializer_breaks_the_pool():
    def explode():
        raise OSError("no database")

    pool = backend.Pool(1, initializer=explode)
    try:
        with pytest.raises(backend.BrokenPoolError) as caught:
            pool.apply(abs, (-1,))
        assert isinstance(caught.value.__cause__, OSError)
        with pytest.raises(backend.BrokenPoolError):
            pool.apply_async(abs, (-1,))
    finally:
        pool.terminate()
        _join(pool)


def test_maxtasksperchild_replaces_workers():
    pool = backend.Pool(1, maxtasksperchild=2)
    names = [pool.apply(lambda: threading.current_thread().name) for _ in range(6)]
    pool.close()
    _join(pool)
    assert len(set(names)) == 3


def test_terminate_fails_tasks_not_started():
    started, gate = threading.Event(), threading.Event()

    def hold():
        started.set()
        return gate.wait(WAIT)

    pool = backend.Pool(1)
    running = pool.apply_async(hold)
    waiting = pool.apply_async(abs, (-5,))
    assert started.wait(WAIT)
    pool.terminate()
    gate.set()
    with pytest.raises(backend.BrokenPoolError):
        waiting.get(WAIT)
    assert running.get(WAIT) is True
    _join(pool)


def test_callback_error_is_logged_and_the_result_kept(caplog):
    def bad_callback(value):
        raise RuntimeError("callback failed")

    with backend.Pool(1) as pool:
        assert pool.apply_async(abs, (-2,), callback=bad_callback).get(WAIT) == 2
        assert pool.apply(abs, (-3,)) == 3
    [record] = [r for r in caplog.records if r.name == "concurrent.pool"]
    assert "callback failed" in str(record.exc_info[1])


@pytest.mark.parametrize("kwargs, error", [
    ({"processes": "two"}, TypeError),
    ({"processes": -1}, ValueError),
    ({"initializer": "not callable"}, TypeError),
    ({"maxtasksperchild": 0}, ValueError),
    ({"context": "spawn"}, TypeError),
])
def test_bad_pool_arguments(kwargs, error):
    with pytest.raises(error):
        backend.Pool(**kwargs)


def test_bad_chunksize_and_timeouts():
    with backend.Pool(1) as pool:
        with pytest.raises(ValueError, match="chunksize"):
            pool.map(abs, [1], chunksize=0)
        with pytest.raises(ValueError):
            pool.apply_async(abs, (1,)).wait(-1)
        with pytest.raises(ValueError):
            pool.imap(abs, [1]).next(-1)


def test_join_with_timeout_returns_while_a_task_runs():
    gate = threading.Event()
    pool = backend.Pool(1)
    result = pool.apply_async(gate.wait, (WAIT,))
    pool.close()
    pool.join(0.01)
    assert not result.ready()
    gate.set()
    _join(pool)
    assert result.get(0) is True


def test_repr_names_state():
    pool = backend.Pool(1)
    pool.close()
    _join(pool)
    assert "closed" in repr(pool)


def test_imap_reads_its_input_lazily():
    import itertools

    pool = backend.Pool(2)
    squares = pool.imap(lambda x: x * x, itertools.count())
    assert list(itertools.islice(squares, 5)) == [0, 1, 4, 9, 16]
    pool.terminate()
    with pytest.raises(backend.BrokenPoolError):
        for _ in range(10_000_000):  # the feeder stops at terminate; the iterator then fails
            squares.next(WAIT)
    _join(pool)


def test_imap_streams_items_while_the_input_is_still_open():
    import queue

    source = queue.SimpleQueue()
    with backend.Pool(1) as pool:
        results = pool.imap(abs, iter(source.get, None))
        source.put(-1)
        assert results.next(WAIT) == 1
        source.put(-2)
        source.put(None)
        pool.close()
        assert list(results) == [2]
        _join(pool)


def test_imap_input_error_is_raised_in_order():
    def numbers():
        yield 1
        raise LookupError("input broke")

    with backend.Pool(1) as pool:
        results = pool.imap(abs, numbers())
        assert results.next(WAIT) == 1
        with pytest.raises(LookupError, match="input broke"):
            results.next(WAIT)
        with pytest.raises(StopIteration):
            results.next(WAIT)


def test_one_failing_initializer_still_lets_the_pool_join():
    calls, lock = [], threading.Lock()

    def fail_once():
        with lock:
            calls.append(1)
            first = len(calls) == 1
        if first:
            raise OSError("first worker cannot start")

    pool = backend.Pool(3, initializer=fail_once)
    pool.close()
    _join(pool)


def test_every_waiter_of_a_result_wakes():
    gate = threading.Event()
    with backend.Pool(1) as pool:
        result = pool.apply_async(gate.wait, (WAIT,))
        got = []
        waiters = [threading.Thread(target=lambda: got.append(result.get(WAIT)))
                   for _ in range(4)]
        for waiter in waiters:
            waiter.start()
        result.wait(0.01)
        assert not result.ready()
        gate.set()
        for waiter in waiters:
            waiter.join(WAIT)
        assert got == [True] * 4 and result.ready() and result.successful()


def test_failures_inside_a_chunk_keep_their_positions():
    def check(x):
        if x % 3 == 0:
            raise ValueError(f"bad {x}")
        return x

    with backend.Pool(1) as pool:
        results = pool.imap(check, range(1, 8), chunksize=7)
        assert [results.next(WAIT), results.next(WAIT)] == [1, 2]
        with pytest.raises(ValueError, match="bad 3"):
            results.next(WAIT)
        assert [results.next(WAIT), results.next(WAIT)] == [4, 5]
        with pytest.raises(ValueError, match="bad 6"):
            results.next(WAIT)
        assert list(results) == [7]


def test_a_finished_task_leaves_no_reference_to_its_arguments_or_result():
    import gc
    import weakref

    class Counted:
        pass

    items = [Counted() for _ in range(10)]
    refs = [weakref.ref(item) for item in items]
    with backend.Pool(2) as pool:
        results = pool.map(lambda x: x, items)
        del items, results
        gc.collect()
        assert [ref() for ref in refs] == [None] * 10
