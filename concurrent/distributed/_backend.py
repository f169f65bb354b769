"""The cluster backend as one object: ``ClusterContext``, the contract on a Dask cluster.

``concurrent.distributed``'s module-level contract names are this object's (``DEFAULT``).
Workers start one way, as Dask tasks, so the start-method functions accept ``"dask"`` and, for
code written for processes, the platform's process start methods, which change nothing here.
"""

from __future__ import annotations

import types
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from concurrent._shared._backend import Backend, Capability, LockConvention
from concurrent._shared._machinery.exports import publish
from concurrent._shared._machinery.one_start_method import OneStartMethod
from concurrent.distributed import _locks, _queues, _sync, _workers

if TYPE_CHECKING:  # full names, so that the docs link them to the right backend's classes
    import concurrent.distributed.connection
    import concurrent.distributed.managers
    import concurrent.distributed.pool

__all__ = ["DEFAULT", "ClusterContext"]


class ClusterContext(OneStartMethod, Backend):
    """Workers are tasks on a Dask cluster: what crosses between them is a pickled copy.

    Get it with ``concurrent.distributed.get_context()``; every start method gives this one.
    Which cluster it uses is this process's (``connect()``, the environment, or embedded).
    """

    __slots__ = ("_start_method_chosen",)
    START_METHOD = "dask"
    WORKERS = "cluster workers"

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

    #: copies (pickled, through the scheduler); terminate() stops a target (see Process);
    #: a cluster worker can die under a task (WorkerLostError after Dask's retries).
    capabilities: frozenset[Capability] = frozenset({
        Capability.COPIES_OBJECTS, Capability.TERMINATES_WORKERS, Capability.LOSES_WORKERS})
    #: acquire(block=True, timeout=None), negative timeout = do not wait, ValueError /
    #: AssertionError on a bad release: multiprocessing's, so processing code runs unchanged.
    lock_convention = LockConvention.SEMLOCK

    def __init__(self) -> None:
        self._start_method_chosen = False

    def __reduce__(self):
        return _default, ()

    @property
    def module(self) -> types.ModuleType:
        """``concurrent.distributed``."""
        import concurrent.distributed

        return concurrent.distributed

    # -- workers --------------------------------------------------------------------------------
    def current_worker(self) -> Any:
        """The ``Process`` running the caller (or this program, or the pool task's worker)."""
        return _workers.current_process()

    def current_process(self) -> Any:
        """As ``current_worker()``."""
        return _workers.current_process()

    def active_children(self) -> list[_workers.Process]:
        """The ``Process``\\ es this program started that have not ended."""
        return _workers.active_children()

    def cpu_count(self) -> int:
        """The cluster's worker threads in all."""
        return _workers.cpu_count()

    # -- channels, pools, shared data (their modules load on first use) -------------------------
    def Pipe(self, duplex: bool = True):
        """Two connected ends through the scheduler (see ``concurrent.distributed.connection``)."""
        return self.connection.Pipe(duplex)

    def wait(self, object_list: Iterable[Any], timeout: float | None = None) -> list:
        """The cluster connections of ``object_list`` ready to read."""
        return self.connection.wait(object_list, timeout)

    @property
    def Connection(self) -> type[concurrent.distributed.connection.Connection]:
        """A cluster pipe end (a Dask ``Queue`` per direction)."""
        return self.connection.Connection

    @property
    def connection(self) -> types.ModuleType:
        """``concurrent.distributed.connection``."""
        from concurrent.distributed import connection

        return connection

    @property
    def Pool(self) -> type[concurrent.distributed.pool.Pool]:
        """``concurrent.distributed.pool.Pool``: chunks of tasks as Dask tasks."""
        from concurrent.distributed.pool import Pool

        return Pool

    def Manager(self) -> concurrent.distributed.managers.SyncManager:
        """A started manager whose shared objects live on the cluster."""
        from concurrent.distributed.managers import Manager

        return Manager()

    def Value(self, typecode_or_type: Any, *args: Any, lock: Any = True) -> Any:
        """A ctypes value of the cluster guarded by ``lock`` (True: a new ``RLock``)."""
        from concurrent.distributed.sharedctypes import Value

        return Value(typecode_or_type, *args, lock=lock)

    def Array(self, typecode_or_type: Any, size_or_initializer: Any, *,
              lock: Any = True) -> Any:
        """A ctypes array of the cluster guarded by ``lock`` (True: a new ``RLock``)."""
        from concurrent.distributed.sharedctypes import Array

        return Array(typecode_or_type, size_or_initializer, lock=lock)


DEFAULT = ClusterContext()


def _default() -> ClusterContext:
    return DEFAULT


publish("concurrent.distributed", globals(), __all__)
