"""Manager lifecycle and registry; Value/Array details of the thread backend."""

import ctypes

import pytest

import concurrent._shared as shared
import concurrent.threading as backend
from concurrent.threading.managers import SyncManager


def test_manager_lifecycle():
    manager = SyncManager()
    with pytest.raises(RuntimeError, match="start"):
        manager.list()
    manager.start()
    with pytest.raises(RuntimeError, match="already"):
        manager.start()
    assert manager.address is None and manager.list([1]) == [1]
    manager.shutdown()
    manager.join(0)
    with pytest.raises(RuntimeError, match="shut down"):
        manager.dict()


def test_manager_objects_are_the_backend_objects():
    with backend.Manager() as manager:
        assert isinstance(manager.Lock(), shared.Lock)
        assert isinstance(manager.Event(), shared.Event)
        assert isinstance(manager.JoinableQueue(), shared.JoinableQueue)
        value = manager.Value("d", 1.5)
        value.set(2.5)
        assert value.get() == 2.5 and repr(value) == "Value('d', 2.5)"


def test_register_adds_a_factory_to_a_subclass_only():
    class Mine(SyncManager):
        pass

    Mine.register("Counter", dict.fromkeys)
    with Mine() as manager:
        assert manager.Counter("ab", 0) == {"a": 0, "b": 0}
    assert not hasattr(SyncManager, "Counter")
    with pytest.raises(ValueError):
        Mine.register("not an identifier", dict)
    with pytest.raises(TypeError):
        Mine.register("Nothing")


def test_array_of_chars_and_negative_size():
    text = backend.Array("c", b"hey")
    assert text.value == b"hey"
    text.value = b"yo"
    assert text[:2] == b"yo"
    with pytest.raises(ValueError, match="-1"):
        backend.Array("i", -1)
    assert "c_int" in repr(backend.Value("i", 1))


def test_value_accepts_ctypes_structures():
    class Point(ctypes.Structure):
        _fields_ = [("x", ctypes.c_int), ("y", ctypes.c_int)]

    point = backend.Value(Point, 1, 2)
    with point:
        assert (point.get_obj().x, point.get_obj().y) == (1, 2)
