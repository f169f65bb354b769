"""The codec's pickling errors: the path and the advice for an unpicklable object."""

from __future__ import annotations

import functools
import os
import pickle
import threading

import pytest

import concurrent.processing as processing
from concurrent.processing._datapath.codec import BufferCodec
from concurrent.processing._datapath.pickler import UnpicklableError

_codec = BufferCodec()


class Holder:
    def __init__(self, **attributes) -> None:
        self.__dict__.update(attributes)


class Slotted:
    __slots__ = ("conn",)

    def __init__(self, conn) -> None:
        self.conn = conn


def _error(obj, what="obj"):
    with pytest.raises(UnpicklableError) as caught:
        _codec.dumps(obj, what=what)
    return caught.value


def test_success_round_trips():
    data = {"a": [1, 2.5, "x"], "b": Holder(n=1).__dict__}
    assert _codec.loads(_codec.dumps(data)) == data
    assert pickle.loads(_codec.dumps(data)) == data  # a plain payload is an ordinary pickle
    _codec.check(data)


@pytest.mark.parametrize(("obj", "what", "path"), [
    ((1, {"callback": lambda: None}), "args", "args[1]['callback']"),
    ([Holder(conn=threading.Lock())], "item", "item[0].conn"),
    (Slotted(threading.Lock()), "obj", "obj.conn"),
    (functools.partial(print, threading.RLock()), "target", "target.args[0]"),
    ({"gen": (n for n in range(3))}, "kwargs", "kwargs['gen']"),
    (Holder(method=Holder(bad=lambda: 1).__init__), "obj", "obj.method.__self__.bad"),
])
def test_error_names_the_innermost_bad_part(obj, what, path):
    error = _error(obj, what)
    assert error.path == path
    assert str(error).startswith(f"cannot pickle {path}: ")
    assert isinstance(error, pickle.PicklingError)
    assert isinstance(error.__cause__, Exception)


def test_advice_depends_on_the_kind_of_object():
    def nested():
        return None

    assert "define it with def at the top level" in str(_error([lambda: 0]))
    assert "define it with def at the top level" in str(_error([nested]))
    assert "values it produces" in str(_error(n for n in ()))
    assert "thread primitive" in str(_error(threading.Event()._cond._lock))
    assert "pass it to the process when creating it" in str(_error(processing.Lock()))
    with open(os.devnull) as file:
        assert "reopen it" in str(_error({"log": file}))


def test_error_survives_pickling_itself():
    error = _error({"f": lambda: 0})
    copy = pickle.loads(pickle.dumps(error))
    assert str(copy) == str(error) and copy.path == error.path


class FailingReduce:
    def __reduce__(self):
        raise RuntimeError("refuses to be pickled")


def _pickling_error(obj) -> Exception:
    try:
        pickle.dumps(obj)
    except Exception as error:
        return error
    raise AssertionError(f"{obj!r} pickles")


def _local_function():
    def local():
        return 1

    return local


@pytest.mark.parametrize(("make", "error_type"), [
    (threading.Lock, TypeError),
    (FailingReduce, RuntimeError),
    # AttributeError until 3.14, pickle.PicklingError since: whatever pickle raises here.
    (_local_function, type(_pickling_error(_local_function()))),
    (lambda: (lambda: 1), pickle.PicklingError),
], ids=["lock-TypeError", "reduce-RuntimeError", "local-function", "lambda-PicklingError"])
def test_the_original_error_type_is_kept_at_every_entry_point(make, error_type):
    def entry_points():
        queue = processing.Queue()
        yield "item", lambda bad: queue.put({"bad": bad})
        left, right = processing.Pipe()
        yield "obj", lambda bad: left.send([bad])
        pool = processing.Pool(1)
        yield "args", lambda bad: pool.apply(abs, (1, bad))
        yield "iterable", lambda bad: pool.map(abs, [1, bad])
        pool.terminate()
        pool.join()
        left.close()
        right.close()
        queue.close()

    for what, call in entry_points():
        with pytest.raises(error_type) as caught:
            call(make())
        assert isinstance(caught.value, processing.UnpicklableError)  # ours, with the path
        assert caught.value.path.startswith(what)
        assert what in str(caught.value)


def test_process_start_keeps_the_original_error_type():
    process = processing.get_context("spawn").Process(target=abs, args=(threading.Lock(),))
    with pytest.raises(TypeError, match=r"args\[0\]") as caught:
        process.start()
    assert caught.value.path == "args[0]"
