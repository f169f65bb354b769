"""``Manager()`` on threads: the factories of processing's ``SyncManager``, serving plain objects.

Threads share memory, so there is no server and no proxy: ``manager.list()`` is a real ``list``
and ``manager.Lock()`` a real lock.  The class exists so code written against a process manager
(``with Manager() as m: ...``) runs unchanged on threads.
"""

import array
import threading
import types
from collections.abc import Callable, Iterable
from typing import Any

from concurrent._shared import _managers as _abc
from concurrent._shared._machinery.exports import public_dir
from concurrent.threading import _queues, _sync
from concurrent.threading.pool import Pool

__all__ = ["Manager", "Namespace", "SyncManager", "Value"]


class Namespace(types.SimpleNamespace):
    """A bag of attributes, like a manager's ``Namespace`` proxy."""


class Value:
    """A managed value: read and write it through ``.value`` (or ``get``/``set``)."""

    __slots__ = ("_typecode", "_value")

    def __init__(self, typecode: str, value: Any) -> None:
        self._typecode = typecode
        self._value = value

    def get(self) -> Any:
        return self._value

    def set(self, value: Any) -> None:
        self._value = value

    value = property(get, set)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._typecode!r}, {self._value!r})"


class SyncManager(_abc.Manager):
    """An in-process manager; every factory returns a plain object of this backend."""

    def __init__(self) -> None:
        self._state = "initial"
        self._stopped = threading.Event()

    @classmethod
    def register(cls, typeid: str, callable: Callable | None = None, **options: Any) -> None:
        """Add a factory method ``typeid`` that returns ``callable(*args, **kwds)``.

        Process managers' proxy options (``proxytype``, ``exposed``, ...) are accepted and have
        no effect: there is no proxy between threads.
        """
        if not typeid.isidentifier():
            raise ValueError(f"typeid must be an identifier, got {typeid!r}")
        if callable is None:
            raise TypeError(f"register({typeid!r}) needs a callable in an in-process manager")

        def factory(self, *args, **kwds):
            return self._make(callable, *args, **kwds)

        factory.__name__ = factory.__qualname__ = typeid
        setattr(cls, typeid, factory)

    @property
    def address(self) -> None:
        """In-process managers have no address."""
        return None

    def start(self, initializer: Callable | None = None, initargs: Iterable = ()) -> None:
        """Start serving; ``RuntimeError`` if this manager was already started."""
        if self._state != "initial":
            raise RuntimeError(f"the manager is already {self._state}; a manager starts once")
        if initializer is not None:
            initializer(*initargs)
        self._state = "started"

    def _check_started(self) -> None:
        if self._state != "started":
            raise RuntimeError(f"the manager is {self._state}: call start() (or use Manager())")

    def shutdown(self) -> None:
        """Stop the manager; its factories raise ``RuntimeError`` afterwards."""
        self._state = "shut down"
        self._stopped.set()

    def join(self, timeout: float | None = None) -> None:
        """Wait until ``shutdown()`` was called, or ``timeout`` seconds."""
        self._stopped.wait(timeout)

    def _make(self, factory: Callable, *args: Any, **kwds: Any) -> Any:
        self._check_started()
        return factory(*args, **kwds)

    def list(self, sequence: Iterable = ()) -> list:
        """A new list (shared as is: threads share memory)."""
        return self._make(list, sequence)

    def dict(self, *args: Any, **kwds: Any) -> dict:
        """A new dict, built like ``dict(*args, **kwds)``."""
        return self._make(dict, *args, **kwds)

    def set(self, iterable: Iterable = ()) -> set:
        """A new set (multiprocessing's managers have ``set()`` since Python 3.14)."""
        return self._make(set, iterable)

    def Namespace(self, **attributes: Any) -> Namespace:
        """A new attribute bag."""
        return self._make(Namespace, **attributes)

    def Queue(self, maxsize: int = 0) -> _queues.Queue:
        return self._make(_queues.Queue, maxsize)

    def JoinableQueue(self, maxsize: int = 0) -> _queues.JoinableQueue:
        return self._make(_queues.JoinableQueue, maxsize)

    def Lock(self) -> Any:
        return self._make(_sync.Lock)

    def RLock(self) -> Any:
        return self._make(_sync.RLock)

    def Semaphore(self, value: int = 1) -> _sync.Semaphore:
        return self._make(_sync.Semaphore, value)

    def BoundedSemaphore(self, value: int = 1) -> _sync.BoundedSemaphore:
        return self._make(_sync.BoundedSemaphore, value)

    def Condition(self, lock: Any = None) -> _sync.Condition:
        return self._make(_sync.Condition, lock)

    def Event(self) -> _sync.Event:
        return self._make(_sync.Event)

    def Barrier(self, parties: int, action: Callable | None = None,
                timeout: float | None = None) -> _sync.Barrier:
        return self._make(_sync.Barrier, parties, action, timeout)

    def Value(self, typecode: str, value: Any, lock: Any = True) -> Value:
        """A value read and written through ``.value``.

        ``lock`` is there for ``multiprocessing``'s signature, whose manager ignores it too: a
        managed value needs no lock of its own.
        """
        return self._make(Value, typecode, value)

    def Array(self, typecode: str, sequence: Iterable, lock: Any = True) -> array.array:
        """An ``array.array`` of that typecode (``lock``: as for ``Value``)."""
        return self._make(array.array, typecode, sequence)

    def Pool(self, processes: int | None = None, initializer: Callable | None = None,
             initargs: Iterable = (), maxtasksperchild: int | None = None) -> Pool:
        return self._make(Pool, processes, initializer, initargs, maxtasksperchild)


    def __enter__(self) -> "SyncManager":
        if self._state == "initial":
            self.start()
        return self


def Manager() -> SyncManager:
    """Return a started in-process ``SyncManager``."""
    manager = SyncManager()
    manager.start()
    return manager

__dir__ = public_dir(globals())
