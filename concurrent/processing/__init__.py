"""concurrent.processing: the process backend, built on multiprocessing's machinery.

The backend contract of ``concurrent._shared`` (the same names and semantics as
``concurrent.threading``), plus everything in ``multiprocessing.__all__`` and its submodules
``connection``, ``sharedctypes``, ``shared_memory``, ``pool`` and ``managers``.  The contract names
are those of ``get_context()``, the default backend object, whose start method is the running
Python's multiprocessing default (``fork`` on Linux up to 3.13; 3.14 moved Linux to
``forkserver``) unless ``set_start_method`` chooses another; ``get_context(method)`` gives the
backend bound to another.

Importing this package imports nothing of multiprocessing: each name loads its module on first
use (a module ``__getattr__``, as ``concurrent.futures`` does).
"""

from concurrent._shared._machinery.exports import Export, available, lazy_exports

# The one export table: public name -> where it lives.  The contract's classes are the
# package's own; its functions are the default backend object's methods (``DEFAULT``).
_EXPORTS: dict[str, Export] = {
    # workers
    "Process": Export(".process", "Process"),
    "Worker": Export(".process", "Process"),
    "ForkProcess": Export(".process", "ForkProcess"),
    "SpawnProcess": Export(".process", "SpawnProcess"),
    "ForkServerProcess": Export(".process", "ForkServerProcess"),
    "current_process": Export(".context", "DEFAULT.current_process"),
    "current_worker": Export(".context", "DEFAULT.current_worker"),
    "parent_process": Export(".context", "DEFAULT.parent_process"),
    "active_children": Export(".context", "DEFAULT.active_children"),
    "cpu_count": Export(".context", "DEFAULT.cpu_count"),
    # the backend objects and start methods
    "Context": Export(".context", "Context"),
    "DefaultContext": Export(".context", "DefaultContext"),
    "ForkContext": Export(".context", "ForkContext"),
    "SpawnContext": Export(".context", "SpawnContext"),
    "ForkServerContext": Export(".context", "ForkServerContext"),
    "get_context": Export(".context", "DEFAULT.get_context"),
    "get_start_method": Export(".context", "DEFAULT.get_start_method"),
    "set_start_method": Export(".context", "DEFAULT.set_start_method"),
    "get_all_start_methods": Export(".context", "DEFAULT.get_all_start_methods"),
    "set_executable": Export(".context", "DEFAULT.set_executable"),
    "set_forkserver_preload": Export(".context", "DEFAULT.set_forkserver_preload"),
    "freeze_support": Export(".context", "DEFAULT.freeze_support"),
    "allow_connection_pickling": Export(".context", "DEFAULT.allow_connection_pickling"),
    "reducer": Export("multiprocessing", "reducer"),
    # primitives
    "Lock": Export(".synchronize", "Lock"),
    "RLock": Export(".synchronize", "RLock"),
    "Condition": Export(".synchronize", "Condition"),
    "Semaphore": Export(".synchronize", "Semaphore"),
    "BoundedSemaphore": Export(".synchronize", "BoundedSemaphore"),
    "Event": Export(".synchronize", "Event"),
    "Barrier": Export(".synchronize", "Barrier"),
    # queues and channels
    "Queue": Export(".queues", "Queue"),
    "SimpleQueue": Export(".queues", "SimpleQueue"),
    "JoinableQueue": Export(".queues", "JoinableQueue"),
    "Pipe": Export(".context", "DEFAULT.Pipe"),
    "wait": Export(".context", "DEFAULT.wait"),
    "Connection": Export(".connection", "Connection"),
    # pools and shared data
    "Pool": Export(".pool", "Pool"),
    "Manager": Export(".context", "DEFAULT.Manager"),
    "Value": Export(".context", "DEFAULT.Value"),
    "Array": Export(".context", "DEFAULT.Array"),
    "RawValue": Export(".context", "DEFAULT.RawValue"),
    "RawArray": Export(".context", "DEFAULT.RawArray"),
    # logging
    "get_logger": Export(".context", "DEFAULT.get_logger"),
    "log_to_stderr": Export(".context", "DEFAULT.log_to_stderr"),
    # errors
    "TimeoutError": Export("concurrent._shared._errors", "TimeoutError"),
    "WorkerLostError": Export("concurrent._shared._errors", "WorkerLostError"),
    "BrokenPoolError": Export("concurrent._shared._errors", "BrokenPoolError"),
    "BrokenBarrierError": Export("threading", "BrokenBarrierError"),
    "BufferTooShort": Export("multiprocessing", "BufferTooShort"),
    "Empty": Export("queue", "Empty"),
    "Full": Export("queue", "Full"),
    "ProcessError": Export("multiprocessing", "ProcessError"),
    "AuthenticationError": Export("multiprocessing", "AuthenticationError"),
    "UnpicklableError": Export("._datapath.pickler", "UnpicklableError"),
    # submodules
    "connection": Export(".connection", None),
    "context": Export(".context", None),
    "managers": Export(".managers", None),
    "pool": Export(".pool", None),
    "queues": Export(".queues", None),
    "shared_memory": Export(".shared_memory", None),
    "sharedctypes": Export(".sharedctypes", None),
    "synchronize": Export(".synchronize", None),
}

__all__ = available(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
