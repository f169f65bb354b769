"""The thread backend as one object: ``ThreadContext``, the contract on threads of this process.

``concurrent.threading``'s module-level contract names are this object's (``DEFAULT``): its
classes, and its methods for the functions.  Threads start one way, so the start-method
functions accept ``"thread"`` and, for code written for processes, the platform's process start
methods, which change nothing here.
"""

from __future__ import annotations

import types
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from concurrent._shared._backend import Backend, Capability, LockConvention
from concurrent._shared._machinery.exports import publish
from concurrent._shared._machinery.one_start_method import OneStartMethod
from concurrent.threading import _queues, _sync, _workers

if TYPE_CHECKING:  # full names, so that the docs link them to the right backend's classes
    import concurrent.threading.connection
    import concurrent.threading.managers
    import concurrent.threading.pool

__all__ = ["DEFAULT", "ThreadContext"]


class ThreadContext(OneStartMethod, Backend):
    """Workers are threads of this process: they share its memory, and pass objects as they are.

    Get it with ``concurrent.threading.get_context()``; every start method gives this one.
    """

    __slots__ = ("_start_method_chosen",)
    START_METHOD = "thread"
    WORKERS = "threads"

    Worker = _workers.Thread
    Process = _workers.Process
    Lock = _sync.Lock
    RLock = _sync.RLock
    Condition = _sync.Condition
    Semaphore = _sync.Semaphore
    BoundedSemaphore = _sync.BoundedSemaphore
    Event = _sync.Event
    Barrier = _sync.Barrier
    Queue = _queues.Queue
    SimpleQueue = _queues.SimpleQueue
    JoinableQueue = _queues.JoinableQueue

    capabilities: frozenset[Capability] = frozenset()
    lock_convention = LockConvention.THREADING

    def __init__(self) -> None:
        self._start_method_chosen = False

    def __reduce__(self):
        return _default, ()

    @property
    def module(self) -> types.ModuleType:
        """``concurrent.threading``."""
        import concurrent.threading

        return concurrent.threading

    # -- workers --------------------------------------------------------------------------------
    def current_worker(self) -> _workers.Thread:
        """The thread running the caller."""
        return _workers.current_worker()

    def current_process(self) -> _workers.Thread:
        """The thread running the caller (as ``current_worker()``)."""
        return _workers.current_worker()

    def active_children(self) -> list[_workers.Thread]:
        """The live threads the calling thread started through this module."""
        return _workers.active_children()

    def cpu_count(self) -> int:
        """The number of CPUs this process may use; ``NotImplementedError`` if unknown."""
        return _workers.cpu_count()

    # -- channels, pools, shared data (their modules load on first use) -------------------------
    def Pipe(self, duplex: bool = True):
        """Two connected in-process ends (see ``concurrent.threading.connection``)."""
        return self.connection.Pipe(duplex)

    def wait(self, object_list: Iterable[Any], timeout: float | None = None) -> list:
        """The in-process connections of ``object_list`` ready to read."""
        return self.connection.wait(object_list, timeout)

    @property
    def Connection(self) -> type[concurrent.threading.connection.Connection]:
        """An in-process pipe end."""
        return self.connection.Connection

    @property
    def connection(self) -> types.ModuleType:
        """``concurrent.threading.connection``."""
        from concurrent.threading import connection

        return connection

    @property
    def Pool(self) -> type[concurrent.threading.pool.Pool]:
        """``concurrent.threading.pool.Pool``: worker threads."""
        from concurrent.threading.pool import Pool

        return Pool

    def Manager(self) -> concurrent.threading.managers.SyncManager:
        """A started in-process manager: its factories return plain objects."""
        from concurrent.threading.managers import Manager

        return Manager()

    def Value(self, typecode_or_type: Any, *args: Any, lock: Any = True) -> Any:
        """A ctypes value guarded by ``lock`` (True: a new ``RLock``; False: none)."""
        from concurrent.threading.sharedctypes import Value

        return Value(typecode_or_type, *args, lock=lock)

    def Array(self, typecode_or_type: Any, size_or_initializer: Any, *,
              lock: Any = True) -> Any:
        """A ctypes array guarded by ``lock`` (True: a new ``RLock``; False: none)."""
        from concurrent.threading.sharedctypes import Array

        return Array(typecode_or_type, size_or_initializer, lock=lock)


DEFAULT = ThreadContext()


def _default() -> ThreadContext:
    return DEFAULT


publish("concurrent.threading", globals(), __all__)
