"""concurrent.processing: the process backend, built on multiprocessing's machinery.

Same names and semantics as ``concurrent.threading`` (DESIGN §3), plus everything in
``multiprocessing.__all__`` and its submodules ``connection``, ``sharedctypes``,
``shared_memory``, ``pool`` and ``managers``.  The start method is the running Python's
multiprocessing default (``fork`` on Linux up to 3.13; 3.14 moved Linux to ``forkserver``)
unless ``set_start_method`` or ``get_context(method)`` chooses another.

Importing this package imports nothing of multiprocessing: each name loads its module on first
use (a module ``__getattr__``, as ``concurrent.futures`` does), so ``import concurrent.processing``
stays cheap.
"""

from typing import TYPE_CHECKING

from concurrent._shared._lazy import lazy_exports

# name -> (module relative to this package, attribute in it; None means the module itself)
_EXPORTS: dict[str, tuple[str, str | None]] = {
    # workers
    "Process": ("process", "Process"),
    "Worker": ("process", "Process"),
    "ForkProcess": ("process", "ForkProcess"),
    "SpawnProcess": ("process", "SpawnProcess"),
    "ForkServerProcess": ("process", "ForkServerProcess"),
    "current_process": ("process", "current_process"),
    "current_worker": ("process", "current_process"),
    "parent_process": ("process", "parent_process"),
    "active_children": ("process", "active_children"),
    "cpu_count": ("_api", "cpu_count"),
    # start methods and contexts
    "Context": ("context", "Context"),
    "get_context": ("context", "get_context"),
    "get_start_method": ("context", "get_start_method"),
    "set_start_method": ("context", "set_start_method"),
    "get_all_start_methods": ("context", "get_all_start_methods"),
    "set_executable": ("_api", "set_executable"),
    "set_forkserver_preload": ("_api", "set_forkserver_preload"),
    "freeze_support": ("_api", "freeze_support"),
    "allow_connection_pickling": ("_api", "allow_connection_pickling"),
    "reducer": ("_api", "reducer"),
    # primitives
    "Lock": ("synchronize", "Lock"),
    "RLock": ("synchronize", "RLock"),
    "Condition": ("synchronize", "Condition"),
    "Semaphore": ("synchronize", "Semaphore"),
    "BoundedSemaphore": ("synchronize", "BoundedSemaphore"),
    "Event": ("synchronize", "Event"),
    "Barrier": ("synchronize", "Barrier"),
    # queues and channels
    "Queue": ("queues", "Queue"),
    "SimpleQueue": ("queues", "SimpleQueue"),
    "JoinableQueue": ("queues", "JoinableQueue"),
    "Pipe": ("connection", "Pipe"),
    "Connection": ("connection", "Connection"),
    "wait": ("connection", "wait"),
    # shared data, pools, managers
    "Value": ("sharedctypes", "Value"),
    "Array": ("sharedctypes", "Array"),
    "RawValue": ("sharedctypes", "RawValue"),
    "RawArray": ("sharedctypes", "RawArray"),
    "Pool": ("_api", "Pool"),
    "Manager": ("_api", "Manager"),
    # logging
    "get_logger": ("_api", "get_logger"),
    "log_to_stderr": ("_api", "log_to_stderr"),
    # errors
    "TimeoutError": ("_api", "TimeoutError"),
    "WorkerLostError": ("_api", "WorkerLostError"),
    "BrokenPoolError": ("_api", "BrokenPoolError"),
    "BrokenBarrierError": ("_api", "BrokenBarrierError"),
    "BufferTooShort": ("_api", "BufferTooShort"),
    "Empty": ("_api", "Empty"),
    "Full": ("_api", "Full"),
    "ProcessError": ("_api", "ProcessError"),
    "AuthenticationError": ("_api", "AuthenticationError"),
    "UnpicklableError": ("_pickling", "UnpicklableError"),
    # submodules
    "connection": ("connection", None),
    "sharedctypes": ("sharedctypes", None),
    "shared_memory": ("shared_memory", None),
    "pool": ("pool", None),
    "managers": ("managers", None),
}

__all__ = [
    "Array", "AuthenticationError", "Barrier", "BoundedSemaphore", "BrokenBarrierError",
    "BrokenPoolError", "BufferTooShort", "Condition", "Connection", "Context", "Empty", "Event",
    "ForkProcess", "ForkServerProcess", "Full", "JoinableQueue", "Lock", "Manager", "Pipe", "Pool",
    "Process", "ProcessError", "Queue", "RLock", "RawArray", "RawValue", "Semaphore",
    "SimpleQueue", "SpawnProcess", "TimeoutError", "UnpicklableError", "Value", "Worker",
    "WorkerLostError", "active_children", "allow_connection_pickling", "connection", "cpu_count",
    "current_process", "current_worker", "freeze_support", "get_all_start_methods", "get_context",
    "get_logger", "get_start_method", "log_to_stderr", "managers", "parent_process", "pool",
    "reducer", "set_executable", "set_forkserver_preload", "set_start_method", "shared_memory",
    "sharedctypes", "wait",
]


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())


if TYPE_CHECKING:  # the same names, visible to type checkers and IDEs
    from concurrent.processing import connection, managers, pool, shared_memory, sharedctypes
    from concurrent.processing._api import (
        AuthenticationError,
        BrokenBarrierError,
        BrokenPoolError,
        BufferTooShort,
        Empty,
        Full,
        Manager,
        Pool,
        ProcessError,
        TimeoutError,
        WorkerLostError,
        allow_connection_pickling,
        cpu_count,
        freeze_support,
        get_logger,
        log_to_stderr,
        reducer,
        set_executable,
        set_forkserver_preload,
    )
    from concurrent.processing._pickling import UnpicklableError
    from concurrent.processing.connection import Connection, Pipe, wait
    from concurrent.processing.context import (
        Context,
        get_all_start_methods,
        get_context,
        get_start_method,
        set_start_method,
    )
    from concurrent.processing.process import (
        ForkProcess,
        ForkServerProcess,
        Process,
        SpawnProcess,
        active_children,
        current_process,
        parent_process,
    )
    from concurrent.processing.process import Process as Worker
    from concurrent.processing.process import current_process as current_worker
    from concurrent.processing.queues import JoinableQueue, Queue, SimpleQueue
    from concurrent.processing.sharedctypes import Array, RawArray, RawValue, Value
    from concurrent.processing.synchronize import (
        Barrier,
        BoundedSemaphore,
        Condition,
        Event,
        Lock,
        RLock,
        Semaphore,
    )
