"""concurrent._shared itself: the ABCs' own behaviour, the shared exceptions and validation.

These tests need no backend: they check what every backend inherits.
"""

import pickle

import pytest

import concurrent._shared as shared
from concurrent._shared._machinery import values as _values
from concurrent._shared._machinery.timeouts import check_timeout


def test_every_exported_name_resolves():
    assert [name for name in shared.__all__ if getattr(shared, name, None) is None] == []
    with pytest.raises(AttributeError, match="Nope"):
        shared.Nope  # noqa: B018


@pytest.mark.parametrize("abc", [shared.Lock, shared.Event, shared.Queue, shared.Connection,
                                 shared.Pool, shared.AsyncResult, shared.Manager, shared.Worker])
def test_abcs_cannot_be_instantiated_without_their_methods(abc):
    incomplete = type("Incomplete", (abc,), {})
    with pytest.raises(TypeError, match="abstract"):
        incomplete()


def test_inherited_helpers_call_the_abstract_methods():
    calls = []

    class ListQueue(shared.Queue):
        def put(self, item, block=True, timeout=None):
            calls.append(("put", item, block))

        def get(self, block=True, timeout=None):
            calls.append(("get", block))
            return "item"

        def qsize(self):
            return 0

        def empty(self):
            return True

        def full(self):
            return False

    class CountingLock(shared.Lock):
        def acquire(self, blocking=True, timeout=-1):
            calls.append("acquire")
            return True

        def release(self):
            calls.append("release")

    queue = ListQueue()
    queue.put_nowait(1)
    assert queue.get_nowait() == "item"
    with CountingLock() as lock:
        assert isinstance(lock, CountingLock)
    assert calls == [("put", 1, False), ("get", False), "acquire", "release"]


def test_worker_lost_error_survives_pickling():
    error = shared.WorkerLostError("worker 7 died", name="Worker-7", pid=1234, exitcode=-9)
    copy = pickle.loads(pickle.dumps(error))
    assert (str(copy), copy.name, copy.pid) == ("worker 7 died", "Worker-7", 1234)
    assert copy.exitcode == -9


def test_remote_traceback_shows_its_text():
    assert str(shared.RemoteTraceback("Traceback ...\nValueError")) == "Traceback ...\nValueError"


def test_buffer_too_short_is_multiprocessings():
    import multiprocessing

    assert shared.BufferTooShort is multiprocessing.BufferTooShort


@pytest.mark.parametrize("timeout", [0, 0.5, None, 10**9])
def test_check_timeout_accepts(timeout):
    assert check_timeout(timeout) is None


def test_check_timeout_names_the_bad_value():
    with pytest.raises(ValueError, match=r"-0\.25"):
        check_timeout(-0.25)


def test_value_argument_checks():
    import ctypes

    assert _values.resolve_ctype("d") is ctypes.c_double
    assert _values.resolve_ctype(ctypes.c_uint8) is ctypes.c_uint8
    with pytest.raises(ValueError, match="'z'"):
        _values.resolve_ctype("z")
    with pytest.raises(TypeError, match="float"):
        _values.resolve_ctype(float)
    with pytest.raises(AttributeError, match="acquire"):  # multiprocessing's type
        _values.check_lock(object())
