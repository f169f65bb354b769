"""The Pool API, matching multiprocessing.pool.Pool, under every start method."""

import multiprocessing
import multiprocessing.pool
import os
import pickle
import subprocess
import sys
import threading

import pytest

from concurrent import _shared
from concurrent._shared import BrokenPoolError, TimeoutError
from concurrent.processing._datapath.pickler import UnpicklableError
from concurrent.processing.pool import MaybeEncodingError, Pool, RemoteTraceback
from tests.conftest import QUICK_METHOD
from tests.pool import _targets
from tests.pool.conftest import METHODS, alive, get_context, receive
from tests.pool.test_interrupt import ROOT


def test_map_family(shared_pool):
    assert isinstance(shared_pool, _shared.Pool)
    assert shared_pool.map(_targets.square, range(50)) == [x * x for x in range(50)]
    assert shared_pool.map(_targets.square, range(7), chunksize=3) == [x * x for x in range(7)]
    assert shared_pool.map(_targets.square, []) == []
    assert shared_pool.starmap(_targets.add, [(1, 2), (3, 4)]) == [3, 7]
    assert list(shared_pool.imap(_targets.square, _targets.generate(40))) == [
        x * x for x in range(40)]
    assert sorted(shared_pool.imap_unordered(_targets.square, range(40), chunksize=4)) == sorted(
        x * x for x in range(40))
    assert list(shared_pool.imap(_targets.square, [])) == []


def test_apply_and_async_results(shared_pool):
    assert shared_pool.apply(_targets.power, (3,), {"exponent": 3}) == 27
    result = shared_pool.apply_async(_targets.power, (2,))
    assert isinstance(result, _shared.AsyncResult)
    assert result.get(timeout=10) == 4
    assert result.ready() and result.successful()
    result.wait(0)
    mapped = shared_pool.starmap_async(_targets.add, [(1, 1), (2, 2)])
    assert mapped.get(10) == [2, 4]
    assert shared_pool.map_async(_targets.square, [5]).get(10) == [25]


def test_callbacks_run_with_the_outcome(shared_pool):
    got, errors, done = [], [], threading.Event()
    shared_pool.map_async(_targets.square, [1, 2], callback=got.append).get(10)
    failed = shared_pool.apply_async(_targets.fail_on, (1, 1), error_callback=errors.append)
    with pytest.raises(ValueError):
        failed.get(10)
    shared_pool.apply_async(_targets.square, (9,), callback=lambda v: done.set()).get(10)
    assert done.wait(10)
    assert got == [[1, 4]]
    assert isinstance(errors[0], ValueError)


def test_get_timeout_and_not_ready(shared_pool):
    result = shared_pool.apply_async(_targets.slow_identity, (1, 0.5))
    with pytest.raises(TimeoutError):
        result.get(timeout=0.01)
    with pytest.raises(ValueError, match="not ready"):
        result.successful()
    assert result.get(10) == 1


def test_task_exception_carries_remote_traceback(shared_pool):
    with pytest.raises(ValueError, match="bad item 3") as info:
        shared_pool.starmap(_targets.fail_on, [(x, 3) for x in range(6)], chunksize=2)
    cause = info.value.__cause__
    assert isinstance(cause, RemoteTraceback)
    assert "fail_on" in str(cause) and "bad item 3" in str(cause)


_TASK_FAILING_IN_MAIN = """
import sys

from concurrent.processing import get_context


def inverse(x):
    return 1 / (x - 3)


if __name__ == "__main__":
    with get_context(sys.argv[1]).Pool(1) as pool:
        try:
            pool.apply(inverse, (3,))
        except ZeroDivisionError as exc:
            print(type(exc).__name__, type(exc.__cause__).__name__, "inverse" in str(exc.__cause__))
"""


@pytest.mark.parametrize("method", METHODS)
def test_a_task_error_stays_itself_when_warnings_are_errors(tmp_path, method):
    # The worker formats the task's traceback.  Given a frame of a module run from a path
    # (__mp_main__ under spawn and forkserver), Python 3.15's linecache warns about its missing
    # __spec__.loader, and under -W error that warning replaced the task's error.
    script = tmp_path / "task_failing_in_main.py"
    script.write_text(_TASK_FAILING_IN_MAIN)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [ROOT, os.environ.get(
        "PYTHONPATH")])))
    done = subprocess.run([sys.executable, "-W", "error::DeprecationWarning", str(script),
                           method], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert (done.returncode, done.stdout, done.stderr) == (
        0, "ZeroDivisionError RemoteTraceback True\n", "")


def test_imap_raises_at_the_failing_position_and_goes_on(shared_pool):
    it = shared_pool.imap(_targets.square, _targets.generate(5, fail_at=3), chunksize=1)
    assert [next(it), next(it), next(it)] == [0, 1, 4]
    with pytest.raises(LookupError, match="failed at 3"):
        next(it)
    with pytest.raises(StopIteration):
        next(it)


def test_base_exceptions_in_tasks_do_not_hang(shared_pool):
    with pytest.raises(SystemExit):
        shared_pool.apply_async(_targets.raise_base, ("exit",)).get(10)
    with pytest.raises(KeyboardInterrupt):
        shared_pool.apply_async(_targets.raise_base, ("interrupt",)).get(10)
    assert shared_pool.map(_targets.square, range(4)) == [0, 1, 4, 9]


def test_unpicklable_argument_fails_at_submission(shared_pool):
    lock = threading.Lock()
    with pytest.raises(UnpicklableError, match=r"args\[1\]"):
        shared_pool.apply_async(_targets.add, (1, lock))
    with pytest.raises(UnpicklableError, match=r"iterable\[2\]"):
        shared_pool.map(_targets.square, [1, 2, lock, 4])
    with pytest.raises(UnpicklableError, match="func"):
        shared_pool.map(lambda x: x, [1])
    with pytest.raises(UnpicklableError, match="func"):
        shared_pool.imap(lambda x: x, [1])
    with pytest.raises(UnpicklableError, match=r"kwds\['exponent'\]"):
        shared_pool.apply_async(_targets.power, (2,), {"exponent": lock})
    # imap pulls its items lazily: an unpicklable one fails at its position.
    results = shared_pool.imap(_targets.square, [1, lock, 3], chunksize=1)
    assert next(results) == 1
    with pytest.raises(UnpicklableError, match=r"iterable\[1\]"):
        next(results)
    assert next(results) == 9


def test_unpicklable_result_is_an_error_not_a_hang(shared_pool):
    # The stdlib's own error, which code written for multiprocessing catches.
    with pytest.raises(multiprocessing.pool.MaybeEncodingError, match="Error sending result"):
        shared_pool.apply_async(_targets.unpicklable_result, (1,)).get(10)
    assert MaybeEncodingError is multiprocessing.pool.MaybeEncodingError


def test_a_remote_traceback_carries_its_text_as_tb(shared_pool):
    with pytest.raises(ValueError) as caught:
        shared_pool.apply(_targets.fail_on, (3, 3))
    cause = caught.value.__cause__
    assert isinstance(cause, RemoteTraceback)
    assert "Traceback" in cause.tb and str(cause) == cause.tb


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="processes must be at least 1, got 0"):
        Pool(0)
    with pytest.raises(TypeError, match="initializer must be callable"):
        Pool(1, initializer=3)
    with pytest.raises(ValueError, match="maxtasksperchild"):
        Pool(1, maxtasksperchild=0)
    with Pool(1, context=get_context(QUICK_METHOD)) as pool:
        with pytest.raises(ValueError, match="chunksize must be at least 1, got 0"):
            pool.map(_targets.square, [1], chunksize=0)
        with pytest.raises(TypeError, match="func must be callable"):
            pool.apply_async(42)
        with pytest.raises(TypeError, match="progress must be"):
            pool.map(_targets.square, [1], progress="yes")
        with pytest.raises(NotImplementedError):
            pickle.dumps(pool)


def test_lifecycle_close_join_terminate(ctx):
    pool = Pool(2, context=ctx)
    pending = pool.map_async(_targets.square, range(20))
    with pytest.raises(ValueError, match="still running"):
        pool.join()
    pool.close()
    with pytest.raises(ValueError, match="Pool not running"):
        pool.apply_async(_targets.square, (1,))
    pool.join()
    assert pending.get(0) == [x * x for x in range(20)]

    pool = Pool(1, context=ctx)
    blocked = pool.apply_async(_targets.slow_identity, (1, 30))
    pids = pool._engine.pids()
    pool.terminate()
    pool.join()
    with pytest.raises(BrokenPoolError, match="terminated"):
        blocked.get(5)
    assert not [pid for pid in pids if alive(pid)]


def test_context_manager_terminates():
    with Pool(1, context=get_context(QUICK_METHOD)) as pool:
        pids = pool._engine.pids()
        assert pool.apply(_targets.square, (4,)) == 16
    pool.join()
    assert not [pid for pid in pids if alive(pid)]


def test_initializer_and_maxtasksperchild(ctx):
    reader, writer = ctx.Pipe(duplex=False)
    release = ctx.Semaphore(3)
    try:
        with Pool(1, _targets.remember_channel, (writer, release), maxtasksperchild=1,
                  context=ctx) as pool:
            assert pool.map(_targets.report_and_wait, range(3), chunksize=1) == [0, 1, 2]
            pids = {receive(reader)[1] for _ in range(3)}
        assert len(pids) == 3  # one worker per task: each was replaced after its task
    finally:
        reader.close()
        writer.close()


def test_failing_initializer_breaks_the_pool():
    with Pool(1, _targets.failing_init, context=get_context(QUICK_METHOD)) as pool:
        with pytest.raises(BrokenPoolError) as info:  # at submission, or from the result
            pool.apply_async(_targets.square, (2,)).get(10)
        assert "initializer" in str(info.value)
        with pytest.raises(BrokenPoolError):
            pool.apply_async(_targets.square, (2,))


def test_accepts_a_stdlib_context():
    with Pool(1, context=multiprocessing.get_context(QUICK_METHOD)) as pool:
        assert pool.map(_targets.square, [3]) == [9]


def test_unpicklable_task_exception_arrives_as_a_named_runtime_error(shared_pool):
    with pytest.raises(RuntimeError, match="LockedError: holds a lock") as info:
        shared_pool.apply(_targets.raise_unpicklable)
    assert isinstance(info.value.__cause__, RemoteTraceback)
    assert "raise_unpicklable" in str(info.value.__cause__)


def test_failed_submissions_leave_no_result_and_no_reference_cycle(shared_pool):
    """A submission that fails is out of ``_cache`` at once, and its error holds no cycle that
    would keep the pool and its locks alive until the garbage collector runs (a lock's
    finalizer run by a collection inside the resource tracker cannot unregister it)."""
    import gc

    lock = threading.Lock()
    calls = (lambda: shared_pool.apply_async(_targets.add, (1, lock)),
             lambda: shared_pool.map(_targets.square, [1, 2, lock, 4], chunksize=1),
             lambda: shared_pool.apply(_targets.unpicklable_result, (1,)))
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for call in calls:
            try:
                call()
            except (UnpicklableError, MaybeEncodingError):
                pass
            else:
                raise AssertionError(f"{call} did not fail")
        left = dict(shared_pool._cache)
        gc.collect()
        cyclic = sorted({type(obj).__name__ for obj in gc.garbage
                         if isinstance(obj, (BaseException, _shared.AsyncResult))})
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert left == {}
    assert cyclic == []
