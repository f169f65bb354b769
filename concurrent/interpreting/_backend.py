"""The interpreter backend as one object: ``InterpreterContext``, the contract on isolated
interpreters of this process (PEP 734).

``concurrent.interpreting``'s module-level contract names are this object's (``DEFAULT``).
Workers start one way, as new interpreters, so the start-method functions accept
``"interpreter"`` and, for code written for processes, the platform's process start methods,
which change nothing here.
"""

from __future__ import annotations

import types
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from concurrent._shared._backend import Backend, Capability, LockConvention
from concurrent._shared._machinery.exports import publish
from concurrent._shared._machinery.one_start_method import OneStartMethod
from concurrent.interpreting import _locks, _queues, _sync, _workers

if TYPE_CHECKING:  # full names, so that the docs link them to the right backend's classes
    import concurrent.interpreting.connection
    import concurrent.interpreting.managers
    import concurrent.interpreting.pool

__all__ = ["DEFAULT", "InterpreterContext"]


class InterpreterContext(OneStartMethod, Backend):
    """Workers are interpreters of this process, each with its own GIL: what crosses between
    them is a pickled copy.

    Get it with ``concurrent.interpreting.get_context()``; every start method gives this one.
    """

    __slots__ = ("_start_method_chosen",)
    START_METHOD = "interpreter"
    WORKERS = "workers"

    Worker = _workers.Process
    Process = _workers.Process
    Lock = _locks.Lock
    RLock = _locks.RLock
    Condition = _sync.Condition
    Semaphore = _locks.Semaphore
    BoundedSemaphore = _locks.BoundedSemaphore
    Event = _sync.Event
    Barrier = _sync.Barrier
    Queue = _queues.Queue
    SimpleQueue = _queues.SimpleQueue
    JoinableQueue = _queues.JoinableQueue

    #: copies (pickled); an interpreter can be neither stopped from outside nor lost alone.
    capabilities: frozenset[Capability] = frozenset({Capability.COPIES_OBJECTS})
    #: acquire(block=True, timeout=None), a timeout of 0 or less does not wait, ValueError /
    #: AssertionError on a bad release: multiprocessing's, so processing code runs unchanged.
    lock_convention = LockConvention.SEMLOCK

    def __init__(self) -> None:
        self._start_method_chosen = False

    def __reduce__(self):
        return _default, ()

    @property
    def module(self) -> types.ModuleType:
        """``concurrent.interpreting``."""
        import concurrent.interpreting

        return concurrent.interpreting

    # -- workers --------------------------------------------------------------------------------
    def current_worker(self) -> _workers.Process:
        """The ``Process`` running the caller (``MainProcess`` in the main interpreter)."""
        return _workers.current_process()

    def current_process(self) -> _workers.Process:
        """As ``current_worker()``."""
        return _workers.current_process()

    def active_children(self) -> list[_workers.Process]:
        """The workers this interpreter started that have not ended."""
        return _workers.active_children()

    def cpu_count(self) -> int:
        """The number of CPUs this process may use; ``NotImplementedError`` if unknown."""
        return _workers.cpu_count()

    # -- channels, pools, shared data (their modules load on first use) -------------------------
    def Pipe(self, duplex: bool = True):
        """Two connected ends between interpreters (see ``concurrent.interpreting.connection``)."""
        return self.connection.Pipe(duplex)

    def wait(self, object_list: Iterable[Any], timeout: float | None = None) -> list:
        """The connections of ``object_list`` ready to read."""
        return self.connection.wait(object_list, timeout)

    @property
    def Connection(self) -> type[concurrent.interpreting.connection.Connection]:
        """A pipe end between interpreters."""
        return self.connection.Connection

    @property
    def connection(self) -> types.ModuleType:
        """``concurrent.interpreting.connection``."""
        from concurrent.interpreting import connection

        return connection

    @property
    def Pool(self) -> type[concurrent.interpreting.pool.Pool]:
        """``concurrent.interpreting.pool.Pool``: one interpreter per worker."""
        from concurrent.interpreting.pool import Pool

        return Pool

    def Manager(self) -> concurrent.interpreting.managers.SyncManager:
        """A started manager whose shared objects live in this interpreter."""
        from concurrent.interpreting.managers import Manager

        return Manager()

    def Value(self, typecode_or_type: Any, *args: Any, lock: Any = True) -> Any:
        """A ctypes value in a buffer every interpreter maps, guarded by ``lock`` (True: a new
        ``RLock``; False: none)."""
        from concurrent.interpreting.sharedctypes import Value

        return Value(typecode_or_type, *args, lock=lock)

    def Array(self, typecode_or_type: Any, size_or_initializer: Any, *,
              lock: Any = True) -> Any:
        """A ctypes array in a buffer every interpreter maps, guarded by ``lock`` (True: a new
        ``RLock``; False: none)."""
        from concurrent.interpreting.sharedctypes import Array

        return Array(typecode_or_type, size_or_initializer, lock=lock)


DEFAULT = InterpreterContext()


def _default() -> InterpreterContext:
    return DEFAULT


publish("concurrent.interpreting", globals(), __all__)
