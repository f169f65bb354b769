"""The interpreter Pool: its workers are interpreters; faults in tasks, results and initializers."""

import pickle
import threading

import pytest

import concurrent._shared as shared
from tests.interpreting import _targets
from tests.interpreting.conftest import WAIT, needs_interpreters

pytestmark = needs_interpreters


def test_each_worker_is_an_interpreter_of_its_own(backend):
    from concurrent import interpreters

    with backend.Pool(2) as pool:
        ids = set(pool.map(_targets.interpreter_id, range(40), chunksize=1))
        assert interpreters.get_current().id not in ids and 1 <= len(ids) <= 2
        pool.close()
        pool.join(WAIT)


def test_a_task_that_raises_fails_alone_with_its_remote_traceback(backend):
    with backend.Pool(2) as pool:
        assert pool.starmap(_targets.fail_on, [(1, 3), (2, 3)]) == [1, 2]
        outcomes = pool.imap(_targets.interpreter_id, range(3))
        assert len(list(outcomes)) == 3
        with pytest.raises(ValueError, match="task 3 failed") as caught:
            pool.starmap(_targets.fail_on, [(n, 3) for n in range(6)])
        assert isinstance(caught.value.__cause__, shared.RemoteTraceback)
        assert "fail_on" in str(caught.value.__cause__)
        assert pool.apply(_targets.fail_on, (5, 3)) == 5  # the pool goes on
        pool.close()
        pool.join(WAIT)


def test_a_result_that_cannot_be_pickled_fails_its_own_task(backend):
    with backend.Pool(1) as pool:
        with pytest.raises(TypeError, match="lock"):
            pool.apply(_targets.unpicklable_result)
        results = pool.map_async(_targets.unpicklable_result, [1, 2], chunksize=2)
        with pytest.raises(TypeError, match="lock"):
            results.get(WAIT)
        assert pool.apply(_targets.fail_on, (4, 3)) == 4
        pool.close()
        pool.join(WAIT)


def test_an_argument_that_cannot_be_pickled_fails_at_submission(backend):
    with backend.Pool(1) as pool:
        with pytest.raises(TypeError, match="lock"):
            pool.apply_async(_targets.fail_on, (threading.Lock(), 3))
        with pytest.raises((pickle.PicklingError, AttributeError), match="local object"):
            pool.imap(lambda x: x, [1])
        pool.close()
        pool.join(WAIT)


def test_an_initializer_that_raises_breaks_the_pool(backend):
    pool = backend.Pool(1, initializer=_targets.raise_in_initializer)
    try:
        with pytest.raises(backend.BrokenPoolError) as caught:
            pool.apply_async(_targets.fail_on, (1, 3)).get(WAIT)
        assert "initializer failed" in repr(caught.value.__cause__)
    finally:
        pool.terminate()
        pool.join(WAIT)


def test_maxtasksperchild_gives_a_fresh_interpreter(backend):
    with backend.Pool(1, maxtasksperchild=1) as pool:
        ids = [pool.apply(_targets.interpreter_id) for _ in range(3)]
        assert len(set(ids)) == 3
        pool.close()
        pool.join(WAIT)
