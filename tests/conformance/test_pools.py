"""Pool: every method, callbacks, timeouts, errors with the worker's traceback, bad input."""

import traceback

import pytest

import concurrent._shared as shared
from tests.conformance import _targets
from tests.conformance._helpers import finish_within

WAIT = _targets.WAIT


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
