"""concurrent.threading: the stdlib threading module under PEP 8 names, plus the backend API.

Everything ``threading`` offers is here without a camelCase alias, together with the backend
surface shared with ``concurrent.processing`` (``Worker``, ``Process``, queues, ``Pipe``,
``Pool``, ``Manager``, ``Value``/``Array``), so switching backends is one import line.

The light parts load at import; ``Pool``, ``Manager``, ``Value``/``Array`` and the connection
machinery load on first use through the module ``__getattr__``.
"""

import threading as _threading
from threading import (
    TIMEOUT_MAX,
    ExceptHookArgs,
    ThreadError,
    active_count,
    current_thread,
    enumerate,
    excepthook,
    get_ident,
    get_native_id,
    getprofile,
    gettrace,
    local,
    main_thread,
    setprofile,
    settrace,
    stack_size,
)

from concurrent._shared._errors import BrokenPoolError, TimeoutError, WorkerLostError
from concurrent._shared._lazy import lazy_exports
from concurrent.threading._queues import Empty, Full, JoinableQueue, Queue, SimpleQueue
from concurrent.threading._sync import (
    Barrier,
    BoundedSemaphore,
    BrokenBarrierError,
    Condition,
    Event,
    Lock,
    RLock,
    Semaphore,
)
from concurrent.threading._workers import (
    Process,
    Thread,
    Timer,
    Worker,
    active_children,
    cpu_count,
    current_process,
    current_worker,
)

__all__ = [
    "TIMEOUT_MAX",
    "Array",
    "Barrier",
    "BoundedSemaphore",
    "BrokenBarrierError",
    "BrokenPoolError",
    "BufferTooShort",
    "Condition",
    "Connection",
    "Empty",
    "Event",
    "ExceptHookArgs",
    "Full",
    "JoinableQueue",
    "Lock",
    "Manager",
    "Pipe",
    "Pool",
    "Process",
    "Queue",
    "RLock",
    "Semaphore",
    "SimpleQueue",
    "Thread",
    "ThreadError",
    "TimeoutError",
    "Timer",
    "Value",
    "Worker",
    "WorkerLostError",
    "active_children",
    "active_count",
    "connection",
    "cpu_count",
    "current_process",
    "current_thread",
    "current_worker",
    "enumerate",
    "excepthook",
    "get_ident",
    "get_native_id",
    "getprofile",
    "gettrace",
    "local",
    "main_thread",
    "setprofile",
    "settrace",
    "stack_size",
    "wait",
]

if hasattr(_threading, "settrace_all_threads"):  # Python 3.12+
    from threading import setprofile_all_threads, settrace_all_threads
    __all__ += ["setprofile_all_threads", "settrace_all_threads"]

# name -> (submodule, attribute or None for the submodule itself), imported on first use.
_LAZY = {
    "Array": ("sharedctypes", "Array"),
    "BufferTooShort": ("connection", "BufferTooShort"),
    "Connection": ("connection", "Connection"),
    "Manager": ("managers", "Manager"),
    "Pipe": ("connection", "Pipe"),
    "Pool": ("pool", "Pool"),
    "Value": ("sharedctypes", "Value"),
    "connection": ("connection", None),
    "managers": ("managers", None),
    "pool": ("pool", None),
    "sharedctypes": ("sharedctypes", None),
    "wait": ("connection", "wait"),
}


__getattr__, __dir__ = lazy_exports(__name__, _LAZY, globals())
