"""concurrent.threading: the stdlib threading module under PEP 8 names, plus the backend API.

Everything ``threading`` offers is here without a camelCase alias, together with the backend
contract shared with ``concurrent.processing`` (``Worker``, ``Process``, queues, ``Pipe``,
``Pool``, ``Manager``, ``Value``/``Array``, the start-method functions), so switching backends
is one import line.  The contract names are those of ``get_context()``, the thread backend
object.  Each name loads its module on first use.
"""

from concurrent._shared._machinery.exports import Export, available, lazy_exports

# The one export table: public name -> where it lives.  The contract's classes are the thread
# backend's own; its functions are that backend object's methods (``DEFAULT``).
_EXPORTS: dict[str, Export] = {
    # workers
    "Worker": Export("._workers", "Thread"),
    "Process": Export("._workers", "Process"),
    "Thread": Export("._workers", "Thread"),
    "Timer": Export("._workers", "Timer"),
    "current_worker": Export("._backend", "DEFAULT.current_worker"),
    "current_process": Export("._backend", "DEFAULT.current_process"),
    "active_children": Export("._backend", "DEFAULT.active_children"),
    "cpu_count": Export("._backend", "DEFAULT.cpu_count"),
    # the backend object and start methods
    "ThreadContext": Export("._backend", "ThreadContext"),
    "get_context": Export("._backend", "DEFAULT.get_context"),
    "get_start_method": Export("._backend", "DEFAULT.get_start_method"),
    "set_start_method": Export("._backend", "DEFAULT.set_start_method"),
    "get_all_start_methods": Export("._backend", "DEFAULT.get_all_start_methods"),
    # primitives
    "Lock": Export("._sync", "Lock"),
    "RLock": Export("._sync", "RLock"),
    "Condition": Export("._sync", "Condition"),
    "Semaphore": Export("._sync", "Semaphore"),
    "BoundedSemaphore": Export("._sync", "BoundedSemaphore"),
    "Event": Export("._sync", "Event"),
    "Barrier": Export("._sync", "Barrier"),
    # queues and channels
    "Queue": Export("._queues", "Queue"),
    "SimpleQueue": Export("._queues", "SimpleQueue"),
    "JoinableQueue": Export("._queues", "JoinableQueue"),
    "Pipe": Export("._backend", "DEFAULT.Pipe"),
    "wait": Export("._backend", "DEFAULT.wait"),
    "Connection": Export(".connection", "Connection"),
    # pools and shared data
    "Pool": Export(".pool", "Pool"),
    "Manager": Export("._backend", "DEFAULT.Manager"),
    "Value": Export("._backend", "DEFAULT.Value"),
    "Array": Export("._backend", "DEFAULT.Array"),
    # errors
    "TimeoutError": Export("concurrent._shared._errors", "TimeoutError"),
    "WorkerLostError": Export("concurrent._shared._errors", "WorkerLostError"),
    "BrokenPoolError": Export("concurrent._shared._errors", "BrokenPoolError"),
    "BrokenBarrierError": Export("threading", "BrokenBarrierError"),
    "BufferTooShort": Export("multiprocessing", "BufferTooShort"),
    "Empty": Export("queue", "Empty"),
    "Full": Export("queue", "Full"),
    "ThreadError": Export("threading", "ThreadError"),
    # the rest of threading, unchanged
    "ExceptHookArgs": Export("threading", "ExceptHookArgs"),
    "TIMEOUT_MAX": Export("threading", "TIMEOUT_MAX"),
    "active_count": Export("threading", "active_count"),
    "current_thread": Export("threading", "current_thread"),
    "enumerate": Export("threading", "enumerate"),
    "excepthook": Export("threading", "excepthook"),
    "__excepthook__": Export("threading", "__excepthook__"),
    "get_ident": Export("threading", "get_ident"),
    "get_native_id": Export("threading", "get_native_id"),
    "getprofile": Export("threading", "getprofile"),
    "gettrace": Export("threading", "gettrace"),
    "local": Export("threading", "local"),
    "main_thread": Export("threading", "main_thread"),
    "setprofile": Export("threading", "setprofile"),
    "settrace": Export("threading", "settrace"),
    "stack_size": Export("threading", "stack_size"),
    "setprofile_all_threads": Export("threading", "setprofile_all_threads", since=(3, 12)),
    "settrace_all_threads": Export("threading", "settrace_all_threads", since=(3, 12)),
    "concurrent_tee": Export("threading", "concurrent_tee", since=(3, 15)),
    "serialize_iterator": Export("threading", "serialize_iterator", since=(3, 15)),
    "synchronized_iterator": Export("threading", "synchronized_iterator", since=(3, 15)),
    # submodules
    "connection": Export(".connection", None),
    "managers": Export(".managers", None),
    "pool": Export(".pool", None),
    "sharedctypes": Export(".sharedctypes", None),
}

__all__ = available(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
