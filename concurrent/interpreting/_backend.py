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
from concurrent.interpreting import _locks, _queues, _sync, _workers

if TYPE_CHECKING:  # full names, so that the docs link them to the right backend's classes
    import concurrent.interpreting.connection
    import concurrent.interpreting.managers
    import concurrent.interpreting.pool

__all__ = ["DEFAULT", "InterpreterContext"]

START_METHOD = "interpreter"


def _process_start_methods() -> list[str]:
    import multiprocessing  # only for code that names a process start method

    return multiprocessing.get_all_start_methods()


class InterpreterContext(Backend):
    """Workers are interpreters of this process, each with its own GIL: what crosses between
    them is a pickled copy.

    Get it with ``concurrent.interpreting.get_context()``; every start method gives this one.
    """

    __slots__ = ("_start_method_chosen",)

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

    # -- start methods --------------------------------------------------------------------------
    def get_context(self, method: str | None = None) -> InterpreterContext:
        """This backend, for ``None``, ``"interpreter"`` or any of the platform's process start
        methods (code written for processes runs unchanged); ``ValueError`` for others."""
        if method is None or method == START_METHOD or method in _process_start_methods():
            return self
        raise ValueError(f"unknown start method {method!r}: workers start as "
                         f"{START_METHOD!r}; the process start methods "
                         f"{_process_start_methods()} are accepted too and change nothing")

    def get_start_method(self, allow_none: bool = False) -> str | None:
        """``"interpreter"`` (``None`` with ``allow_none`` before ``set_start_method``)."""
        if allow_none and not self._start_method_chosen:
            return None
        self._start_method_chosen = True
        return START_METHOD

    def set_start_method(self, method: str | None, force: bool = False) -> None:
        """Fix the start method once, as multiprocessing does: ``RuntimeError`` if it was set
        already (unless ``force``).  Every accepted method starts interpreters."""
        if self._start_method_chosen and not force:
            raise RuntimeError("context has already been set")
        if method is None and force:
            self._start_method_chosen = False
            return
        self.get_context(method)  # ValueError for an unknown name
        self._start_method_chosen = True

    def get_all_start_methods(self) -> list[str]:
        """``["interpreter"]``: workers start one way."""
        return [START_METHOD]

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
